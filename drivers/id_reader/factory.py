"""Make the resident ID card reader the config asks for."""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.id_reader.facade import SamIdReader
from drivers.id_reader.simulator import SamSimulator
from kiosk.config import DeviceSection


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> SamIdReader:
    """The reader for ``section`` (not opened yet: its DeviceRunner opens it on its own thread).

    transport "serial": a SAM reader at ``address`` (e.g. /dev/kiosk-idreader). transport "simulator": a pty
    simulator is started and the real serial transport and facade talk to it (``data_dir`` is not used);
    ``options.card`` names the sample card on the reader at start ("normal" by default, "" for none), and
    ``dispose()`` stops the simulator.
    """
    if section.transport == "serial":
        if not section.address:
            raise DriverError("devices.id_reader.address: the serial port is not set")
        return SamIdReader(section.address, baudrate=section.baudrate, timeout_s=section.timeout_s)
    if section.transport == "simulator":
        simulator = SamSimulator()
        simulator.insert(section.options.get("card", "normal") or None)
        path = simulator.start()
        return SamIdReader(path, baudrate=section.baudrate, timeout_s=section.timeout_s, simulator=simulator)
    raise DriverError(f"devices.id_reader.transport {section.transport!r} is not supported (serial, simulator)")
