"""Make the social security card reader the config asks for."""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.sscard_reader.facade import PcscCardReader
from drivers.sscard_reader.simulator import SimulatedPcsc, SimulatedSsCard
from kiosk.config import DeviceSection


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> PcscCardReader:
    """The reader for ``section`` (not opened yet: its DeviceRunner opens it on its own thread).

    transport "pcsc": the PC/SC reader whose name contains ``address`` ("" = the first one), through pcscd;
    ``options.pin`` (digits) is verified before the holder file when the cards need it. transport
    "simulator": the same reader over a simulated PC/SC layer (:class:`SimulatedPcsc`, its ``simulator``);
    ``options.card`` "sample" (default) starts with the sample card in it, "" with none. ``data_dir`` is not
    used.
    """
    pin = section.options.get("pin", "")
    if section.transport == "pcsc":
        return PcscCardReader(section.address, timeout_s=section.timeout_s, pin=pin)
    if section.transport == "simulator":
        pcsc = SimulatedPcsc(SimulatedSsCard() if section.options.get("card", "sample") else None)
        return PcscCardReader(section.address, timeout_s=section.timeout_s, pin=pin, scard=pcsc, simulator=pcsc)
    raise DriverError(f"devices.sscard_reader.transport {section.transport!r} is not supported (pcsc, simulator)")
