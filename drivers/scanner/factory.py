"""Make the scanner the config asks for.

``transport`` "evdev": the real scanner, picked by ``options.name`` (a substring of the input device name),
``options.vendor_id`` / ``options.product_id`` (hex) or ``address`` (a device path); "simulator": a
:class:`~drivers.scanner.simulator.SimulatedScanner` whose ``scan(text)`` types a code. ``options.terminator``
is "enter" (default) or "tab", as set in the scanner.
"""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.scanner.evdev_scanner import EvdevScanner
from drivers.scanner.interface import BarcodeScanner
from drivers.scanner.simulator import SimulatedScanner
from kiosk.config import DeviceSection


def _hex(section: DeviceSection, key: str) -> int | None:
    value = section.options.get(key, "").strip()
    if not value:
        return None
    try:
        return int(value, 16)
    except ValueError:
        raise DriverError(f"devices.scanner.options.{key} {value!r}: expected a hex USB id such as 1eab") from None


def open_scanner(section: DeviceSection, *, data_dir: Path | None = None) -> BarcodeScanner:
    """The scanner for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    terminator = section.options.get("terminator", "enter")
    if section.transport == "simulator":
        return SimulatedScanner(terminator=terminator)
    if section.transport == "evdev":
        return EvdevScanner(
            name=section.options.get("name", ""),
            vendor_id=_hex(section, "vendor_id"),
            product_id=_hex(section, "product_id"),
            path=section.address,
            terminator=terminator,
        )
    raise DriverError(f"devices.scanner.transport {section.transport!r} is not supported (evdev, simulator)")


open_from_config = open_scanner  # the name every drivers/<kind>/factory.py offers
