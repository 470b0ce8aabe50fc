"""Make the scanner the config asks for.

``transport`` "evdev": the real scanner, picked by ``options.name`` (a substring of the input device name),
``options.vendor_id`` / ``options.product_id`` (hex) or ``address`` (a device path); "simulator": a
:class:`~drivers.scanner.simulator.ScannerSimulator` (its node in ``<data_dir>/simulator``) found and read by the
real evdev transport and facade; its ``scan(text)`` types a code. ``options.terminator`` is "enter" (default) or
"tab", as set in the scanner.
"""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.scanner.facade import EvdevScanner
from drivers.scanner.simulator import ScannerSimulator
from kiosk.config import DeviceSection


def _hex(section: DeviceSection, key: str) -> int | None:
    value = section.options.get(key, "").strip()
    if not value:
        return None
    try:
        return int(value, 16)
    except ValueError:
        raise DriverError(f"devices.scanner.options.{key} {value!r}: expected a hex USB id such as 1eab") from None


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> EvdevScanner:
    """The scanner for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    terminator = section.options.get("terminator", "enter")
    if section.transport == "simulator":
        sim = ScannerSimulator(directory=data_dir / "simulator" if data_dir else None, terminator=terminator)
        return EvdevScanner(
            name=sim.name,
            terminator=terminator,
            list_devices=sim.list_devices,
            open_device=sim.open_device,
            simulator=sim,
        )
    if section.transport == "evdev":
        return EvdevScanner(
            name=section.options.get("name", ""),
            vendor_id=_hex(section, "vendor_id"),
            product_id=_hex(section, "product_id"),
            path=section.address,
            terminator=terminator,
        )
    raise DriverError(f"devices.scanner.transport {section.transport!r} is not supported (evdev, simulator)")
