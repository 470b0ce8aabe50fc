"""The real dispenser backend: a serial thermal ticket printer speaking ESC/POS.

Everything but the paper (58 mm, 32 columns) and the fault mapping (cutter and paper-feed errors are a JAM at
the ticket outlet) is the receipt printer's engine: :class:`drivers.printer.escpos_printer.EscposEngine`.
"""

from __future__ import annotations

from drivers.dispenser.interface import TicketDispenser
from drivers.printer.escpos_printer import EngineBacked, EscposEngine
from kiosk.layout import PrintJob


class EscposTicketDispenser(EngineBacked, TicketDispenser):
    """A ticket printer on a serial port (or any ESC/POS transport)."""

    def __init__(self, engine: EscposEngine, *, simulator: object | None = None) -> None:
        self.engine = engine
        self.simulator = simulator  # the in-process simulator behind it, when transport = "simulator"

    def print_ticket(self, job: PrintJob) -> None:
        """Print one ticket."""
        self.engine.print_job(job)
