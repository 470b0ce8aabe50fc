"""Make the ticket dispenser the config asks for.

``transport`` "serial" (``address`` = the port, ``baudrate``, usually 9600) is the real thing; "simulator"
starts a 58 mm printer simulator on a pty and connects the real serial backend to it (``options.simulator =
"tcp"`` for TCP instead). The other printer transports ("network", "usb", "file") work too, and the printer's
options apply (``paper``, ``confirm``, ``state``, ``png_dir``): see :mod:`drivers.printer.factory`.
"""

from __future__ import annotations

from pathlib import Path

from drivers.dispenser.escpos_dispenser import EscposTicketDispenser
from drivers.printer.escpos_encoder import PAPER_58MM
from drivers.printer.factory import build_engine
from drivers.printer.status import TICKET_FAULTS
from kiosk.config import DeviceSection
from kiosk.devices import DeviceKind


def open_dispenser(section: DeviceSection, *, data_dir: Path | None = None) -> EscposTicketDispenser:
    """The dispenser for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    engine, sim = build_engine(
        section, kind=DeviceKind.DISPENSER, paper=PAPER_58MM, faults=TICKET_FAULTS, data_dir=data_dir
    )
    return EscposTicketDispenser(engine, simulator=sim)


open_from_config = open_dispenser  # the name every drivers/<kind>/factory.py offers
