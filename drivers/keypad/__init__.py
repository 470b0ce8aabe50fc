"""The EZ Access style keypad (up, down, select, back, help) for citizens who cannot see the screen, read like the
scanner: ``transport`` (the grabbed evdev node), ``protocol`` (key events to commands), ``facade`` (the Keypad
the shell reads), ``simulator`` (an input device carrying the kernel's event records on a pipe), ``factory``."""
