"""The receipt printer as the rest of the kiosk sees it."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from drivers.base import Device
from kiosk.devices import DeviceKind
from kiosk.layout import PrintJob


class ReceiptPrinter(Device):
    """Prints receipts (PrintJob) and reports paper, cover and cutter status."""

    kind: ClassVar[DeviceKind] = DeviceKind.PRINTER

    @abstractmethod
    def print_job(self, job: PrintJob) -> None:
        """Print ``job`` (blocking, bounded by the timeout).

        Raises NoMedium when there is no paper, DeviceTimeout / DeviceGone when the printer does not answer,
        DriverError for any other reason it cannot print (cover open, cutter error).
        """
