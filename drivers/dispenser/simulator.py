"""A simulated ticket dispenser: the printer simulator on 58 mm paper, served on a pty (or TCP).

Its states are the printer simulator's; the ones a dispenser meets most are "paper_out", "near_end",
"paper_jam" (a recoverable paper-feed error) and "cutter_error", the last two read by the driver as JAM.
"""

from __future__ import annotations

from pathlib import Path

from drivers.dispenser.protocol import PAPER
from drivers.printer.protocol.encoder import PaperProfile
from drivers.printer.simulator import STATES, PrinterSimulator


class DispenserSimulator(PrinterSimulator):
    """PrinterSimulator with dispenser paper."""

    def __init__(self, *, paper: PaperProfile = PAPER, state: str = "ok", png_dir: Path | None = None) -> None:
        super().__init__(paper=paper, state=state, png_dir=png_dir)


__all__ = ["STATES", "DispenserSimulator"]
