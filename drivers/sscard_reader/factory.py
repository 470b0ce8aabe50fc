"""Make the social security card reader the config asks for."""

from __future__ import annotations

from drivers.base import DriverError
from drivers.sscard_reader.interface import SsCardReader
from drivers.sscard_reader.pcsc_reader import PcscCardReader
from drivers.sscard_reader.simulator import SimulatedSsCard, SimulatedSsCardReader
from kiosk.config import DeviceSection


def open_from_config(section: DeviceSection) -> SsCardReader:
    """The reader for ``section`` (not opened yet: its DeviceRunner opens it on its own thread).

    transport "pcsc": the PC/SC reader whose name contains ``address`` ("" = the first one), through pcscd;
    ``options.pin`` (digits) is verified before the holder file when the cards need it. transport
    "simulator": an in-process reader running the same card profile; ``options.card`` "sample" (default)
    starts with the sample card in it, "" with none.
    """
    if section.transport == "pcsc":
        return PcscCardReader(section.address, timeout_s=section.timeout_s, pin=section.options.get("pin", ""))
    if section.transport == "simulator":
        card = SimulatedSsCard() if section.options.get("card", "sample") else None
        return SimulatedSsCardReader(card, timeout_s=section.timeout_s)
    raise DriverError(f"devices.sscard_reader.transport {section.transport!r} is not supported (pcsc, simulator)")
