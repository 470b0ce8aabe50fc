"""One paragraph laid out in lines as Qt wraps a label's text: used to draw vertical Mongolian (each line a
column, :mod:`ui.widgets.vertical_text`) and by the layout check to see where a label's lines break."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextLayout, QTextOption


def wrapped_layout(paragraph: str, font: QFont, width: float, *, anywhere: bool = True) -> QTextLayout:
    """``paragraph`` (no newline) laid out in lines of ``width``; ``anywhere`` False breaks only between words
    (so a line wider than ``width`` is a word too wide)."""
    lay = QTextLayout(paragraph, font)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if anywhere else QTextOption.WrapMode.WordWrap)
    lay.setTextOption(opt)
    lay.beginLayout()
    while True:
        line = lay.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
    lay.endLayout()
    return lay
