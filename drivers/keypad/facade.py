"""The keypad as the rest of the kiosk sees it: a device like the scanner (its evdev node grabbed, watched by its
runner whenever idle), whose items are the commands "up", "down", "select", "back" and "help"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from drivers.base import Device, Simulator
from drivers.keypad.protocol import commands
from drivers.keypad.transport import KeypadLink
from drivers.scanner.facade import EvdevInput
from drivers.scanner.transport import list_input_devices, open_input_device
from kiosk.devices import DeviceKind
from kiosk.faults import FaultCode


class EvdevKeypad(EvdevInput):
    """A keypad found by name / vendor id / path among the input devices; ``simulator`` when simulated.

    Its listeners (``subscribe``) get each command on the device thread. Gone, it is reported with its own fault,
    ``keypad_offline``: the kiosk serves on, but no blind citizen can use it until a technician comes.
    """

    kind: ClassVar[DeviceKind] = DeviceKind.KEYPAD
    io_methods = Device.io_methods | {"read_commands"}
    offline_fault = FaultCode.KEYPAD_OFFLINE

    def __init__(
        self,
        *,
        name: str = "",
        vendor_id: int | None = None,
        path: str = "",
        list_devices: Callable[[], Iterable[str]] = list_input_devices,
        open_device: Callable[[str], Any] = open_input_device,
        simulator: Simulator | None = None,
    ) -> None:
        link = KeypadLink(name=name, vendor_id=vendor_id, path=path, list_devices=list_devices,
                          open_device=open_device)  # fmt: skip
        super().__init__(link, simulator)

    def read_commands(self, timeout_s: float) -> list[str]:
        """The commands pressed within ``timeout_s`` (often none); DeviceGone when the keypad went away."""
        return list(commands(self.link.read_events(timeout_s)))

    def _read(self, timeout_s: float) -> list[str]:
        return self.read_commands(timeout_s)
