"""Printer-independent print layout: a print job is a sequence of blocks the printer driver renders.

``kiosk/receipts.py`` builds jobs (receipt, queue ticket, one-time notice); ``drivers/printer`` renders them
to ESC/POS; the shell can render them on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Align(StrEnum):
    """Horizontal alignment of a line."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class TextLine:
    """A line of text; ``scale`` multiplies width and height (1..8); long lines wrap."""

    text: str
    align: Align = Align.LEFT
    scale: int = 1
    bold: bool = False


@dataclass(frozen=True)
class KeyValue:
    """A label and its value on one line (wrapped under the label when too long)."""

    key: str
    value: str


@dataclass(frozen=True)
class Rule:
    """A horizontal separator line."""

    char: str = "-"


@dataclass(frozen=True)
class QrCode:
    """A QR code, printed natively by the printer; ``size`` is the module size in dots (1..16)."""

    data: str
    size: int = 6
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


Block = TextLine | KeyValue | Rule | QrCode | Feed


@dataclass(frozen=True)
class PrintJob:
    """A whole document to print, cut at the end."""

    title: str  # for logs only
    blocks: tuple[Block, ...]
    cut: bool = True

    def plain_text(self, width: int = 32) -> str:
        """The job as plain text (demo output, on-screen fallback, tests)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, TextLine):
                out.append(b.text.center(width) if b.align == Align.CENTER else b.text)
            elif isinstance(b, KeyValue):
                out.append(f"{b.key}：{b.value}")
            elif isinstance(b, Rule):
                out.append(b.char * width)
            elif isinstance(b, QrCode):
                out.append(f"[QR {b.data}]")
            elif isinstance(b, Feed):
                out.extend([""] * b.lines)
        return "\n".join(out)
