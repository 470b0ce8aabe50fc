"""The EZ Access style keypad (up, down, select, back, help) for citizens who cannot see the screen, a device
kind like the scanner and run the same way: ``transport`` (the grabbed evdev node), ``protocol`` (key events to
commands), ``facade`` (the Device its runner watches), ``simulator`` (an input device carrying the kernel's event
records on a pipe), ``factory``."""
