"""Make the keypad ``[keypad]`` asks for: ``transport`` "evdev" (``name`` substring, ``vendor_id`` hex, or
``path``), "simulator" (a :class:`~drivers.keypad.simulator.KeypadSimulator` read by the real transport), or ""
for none (the default: a kiosk without a keypad)."""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.keypad.facade import EvdevKeypad
from drivers.keypad.simulator import KeypadSimulator
from kiosk.settings import KeypadSection


def open_from_settings(section: KeypadSection, *, data_dir: Path | None = None) -> EvdevKeypad | None:
    """The keypad for ``section`` (not opened), or None when the kiosk has none."""
    if not section.transport:
        return None
    if section.transport == "simulator":
        sim = KeypadSimulator(directory=data_dir / "simulator" if data_dir else None)
        return EvdevKeypad(name=sim.name, list_devices=sim.list_devices, open_device=sim.open_device, simulator=sim)
    if section.transport == "evdev":
        vendor = int(section.vendor_id, 16) if section.vendor_id else None
        return EvdevKeypad(name=section.name, vendor_id=vendor, path=section.path)
    raise DriverError(f"keypad.transport {section.transport!r} is not supported (evdev, simulator)")
