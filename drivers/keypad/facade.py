"""The keypad as the shell sees it: commands ("up", "down", "select", "back", "help") read from its node."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from drivers.keypad.protocol import commands
from drivers.keypad.transport import KeypadLink
from drivers.scanner.transport import list_input_devices, open_input_device


class EvdevKeypad:
    """A keypad found by name / vendor id / path among the input devices; ``simulator`` when simulated."""

    def __init__(
        self,
        *,
        name: str = "",
        vendor_id: int | None = None,
        path: str = "",
        list_devices: Callable[[], Iterable[str]] = list_input_devices,
        open_device: Callable[[str], Any] = open_input_device,
        simulator: Any = None,
    ) -> None:
        self.link = KeypadLink(name=name, vendor_id=vendor_id, path=path, list_devices=list_devices,
                               open_device=open_device)  # fmt: skip
        self.simulator = simulator

    def open(self) -> None:
        """Find the keypad and grab it (DeviceGone when it is not there)."""
        self.link.open()

    def close(self) -> None:
        """Ungrab and close; safe twice."""
        self.link.close()

    def read_commands(self, timeout_s: float) -> list[str]:
        """The commands pressed within ``timeout_s`` (often none); DeviceGone when the keypad went away."""
        return list(commands(self.link.read_events(timeout_s)))
