"""Make the ticket dispenser the config asks for.

``transport`` "serial" (``address`` = the port, ``baudrate``, usually 9600) is the real thing; "simulator"
starts a :class:`~drivers.dispenser.simulator.DispenserSimulator` on a pty and connects the real serial
transport and facade to it (``options.simulator = "tcp"`` for TCP instead). The other printer transports
("network", "usb", "file") work too, and the printer's options apply (``paper``, ``confirm``, ``state``,
``png_dir``): see :mod:`drivers.printer.factory`.
"""

from __future__ import annotations

from pathlib import Path

from drivers.dispenser.facade import EscposTicketDispenser
from drivers.dispenser.protocol import FAULTS, PAPER
from drivers.dispenser.simulator import DispenserSimulator
from drivers.printer.factory import build_engine
from kiosk.config import DeviceSection
from kiosk.devices import DeviceKind


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> EscposTicketDispenser:
    """The dispenser for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    engine, sim = build_engine(
        section, kind=DeviceKind.DISPENSER, paper=PAPER, faults=FAULTS, data_dir=data_dir, simulator=DispenserSimulator
    )
    return EscposTicketDispenser(engine, simulator=sim)
