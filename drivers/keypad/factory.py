"""Make the keypad ``[devices.keypad]`` asks for: ``transport`` "evdev" (``name`` substring, ``vendor_id`` hex, or
``address``: a fixed node), "simulator" (a :class:`~drivers.keypad.simulator.KeypadSimulator` read by the real
transport and facade; its ``press(command)`` presses a key) or "none" (the default: the registry reports it
DISABLED and never calls this)."""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.keypad.facade import EvdevKeypad
from drivers.keypad.simulator import KeypadSimulator
from kiosk.config import DeviceSection, KeypadSection


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> EvdevKeypad:
    """The keypad for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    if section.transport == "simulator":
        sim = KeypadSimulator(directory=data_dir / "simulator" if data_dir else None)
        return EvdevKeypad(name=sim.name, list_devices=sim.list_devices, open_device=sim.open_device, simulator=sim)
    if section.transport == "evdev":
        # [devices.keypad] is a KeypadSection (name and vendor_id keys, checked on load); a plain DeviceSection
        # (a test, a bench) picks it by options, as the scanner does.
        keys = section if isinstance(section, KeypadSection) else None
        name = keys.name if keys else section.options.get("name", "")
        vendor = keys.vendor_id if keys else section.options.get("vendor_id", "")
        try:
            vendor_id = int(vendor, 16) if vendor else None
        except ValueError:
            raise DriverError(f"devices.keypad vendor_id {vendor!r}: expected a hex USB id such as 04d9") from None
        return EvdevKeypad(name=name, vendor_id=vendor_id, path=section.address)
    raise DriverError(f"devices.keypad.transport {section.transport!r} is not supported (evdev, simulator)")
