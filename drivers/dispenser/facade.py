"""The queue-ticket dispenser as the rest of the kiosk sees it, and the one that drives it: a serial thermal
ticket printer speaking ESC/POS.

Everything but the paper (58 mm, 32 columns) and the fault mapping (cutter and paper-feed errors are a JAM at
the ticket outlet) is the receipt printer's engine: :class:`drivers.printer.facade.EscposEngine`.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from drivers.base import Device
from drivers.printer.facade import EngineBacked
from kiosk.devices import DeviceKind
from kiosk.layout import PrintJob


class TicketDispenser(Device):
    """Prints queue tickets (big number, Chinese, QR, cut) and reports its paper and jam status.

    Ticket numbers are not the dispenser's business: the session takes them from the hall when online and
    issues kiosk-prefixed ones when not; ``kiosk.receipts.ticket_job`` turns a ticket into the PrintJob.
    """

    kind: ClassVar[DeviceKind] = DeviceKind.DISPENSER
    io_methods = Device.io_methods | {"print_ticket"}

    @abstractmethod
    def print_ticket(self, job: PrintJob) -> None:
        """Print one ticket (blocking, bounded by the timeout).

        Raises NoMedium when there is no paper, DeviceTimeout / DeviceGone when the dispenser does not answer,
        DriverError for any other reason it cannot print (jam, cover open).
        """


class EscposTicketDispenser(EngineBacked, TicketDispenser):
    """A ticket printer on a serial port (or any ESC/POS transport)."""

    def print_ticket(self, job: PrintJob) -> None:
        """Print one ticket."""
        self.engine.print_job(job)
