"""The keypad's input node: the scanner's evdev link (find by name / vendor id / path, grab, bounded reads),
matching a device that has the up and down arrow keys rather than letters."""

from __future__ import annotations

from drivers.scanner.transport import EvdevLink


class KeypadLink(EvdevLink):
    """The keypad's grabbed evdev node (grabbed, so its keys never reach the GUI as typing)."""

    required_keys = ("KEY_UP", "KEY_DOWN")  # its node with the arrow keys
    label = "keypad"
