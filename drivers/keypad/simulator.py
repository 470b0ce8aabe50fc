"""A simulated keypad at the evdev wire: the scanner simulator's node (a pipe carrying the kernel's
``input_event`` records), with a keypad's name and keys; ``press(command)`` sends one key press."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from evdev import ecodes

from drivers.keypad.protocol import KEY_COMMANDS, events_for
from drivers.scanner.simulator import ScannerSimulator, SimulatedInputDevice

NAME = "Simulated EZ Access keypad"
VENDOR_ID, PRODUCT_ID = 0x04D9, 0x1203


class SimulatedKeypadDevice(SimulatedInputDevice):
    """An open handle on the simulated keypad node."""

    def capabilities(self) -> dict[int, list[int]]:
        """The keys the keypad has (arrows, Enter, back, help): no letters."""
        return {ecodes.EV_KEY: sorted(KEY_COMMANDS)}


class KeypadSimulator(ScannerSimulator):
    """A keypad plugged in at :attr:`path` (or not); ``press`` sends a command's key press (any thread).

    Its node has a name of its own, so a simulated scanner's node in the same directory is left alone.
    """

    node = "keypad-event-kbd"
    device_name = NAME
    usb_ids = (VENDOR_ID, PRODUCT_ID)

    def __init__(self, *, directory: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(directory=directory, clock=clock)

    def press(self, command: str) -> None:
        """Press and release the key of ``command`` ("up", "down", "select", "back", "help")."""
        self.send(events_for(command, self._clock()))

    def open_device(self, path: str) -> SimulatedKeypadDevice:
        """Open the node at ``path`` (OSError ENOENT when it is not there)."""
        handle = super().open_device(path)
        return SimulatedKeypadDevice(self, handle.fd, self._plugs)
