"""The dispenser speaks the receipt printer's ESC/POS (:mod:`drivers.printer.protocol`) on 58 mm paper (32
columns), with its own reading of the paper-path errors: a cutter or paper-feed error is a JAM at the ticket
outlet (``FAULTS``)."""

from __future__ import annotations

from drivers.printer.protocol.encoder import PAPER_58MM
from drivers.printer.protocol.status import TICKET_FAULTS

PAPER = PAPER_58MM
FAULTS = TICKET_FAULTS

__all__ = ["FAULTS", "PAPER"]
