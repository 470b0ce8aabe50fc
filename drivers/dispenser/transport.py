"""The dispenser is a serial ESC/POS printer: its transports are the receipt printer's
(:mod:`drivers.printer.transport`), serial at 9600 baud on most ticket printers."""

from __future__ import annotations

from drivers.printer.transport import FileTransport, NetworkTransport, SerialTransport, Transport, UsbTransport

__all__ = ["FileTransport", "NetworkTransport", "SerialTransport", "Transport", "UsbTransport"]
