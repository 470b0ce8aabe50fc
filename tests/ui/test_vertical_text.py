"""Vertical Mongolian (``ui.widgets.vertical_text``): columns top to bottom, left to right, and the layout check
seeing vertical text that has too little width."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui.app import setup_fonts
from ui.widgets.vertical_text import VerticalText, is_mongolian, vertical_ok

from .layout_audit import Audit

SHORT = "ᠰᠠᠢᠨ"  # "good": one short word
LONG = "ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠰᠣᠩᠭᠣᠬᠤ"  # "choose a service": two words, several times longer


def ink_box(img: QImage, x0: int, x1: int) -> QRect:
    """The bounding box of the dark pixels of ``img`` between columns ``x0`` and ``x1``."""
    xs, ys = [], []
    for y in range(img.height()):
        for x in range(x0, x1):
            if QColor(img.pixel(x, y)).lightness() < 128:
                xs.append(x)
                ys.append(y)
    assert xs, f"no ink between x={x0} and x={x1}"
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


def ink_runs(img: QImage) -> list[tuple[int, int]]:
    """The runs of pixel columns (x from, x to) holding ink, left to right: one per column of text."""
    inked = [any(QColor(img.pixel(x, y)).lightness() < 128 for y in range(img.height())) for x in range(img.width())]
    runs: list[tuple[int, int]] = []
    for x, on in enumerate(inked):
        if on and (not runs or runs[-1][1] != x - 1):
            runs.append((x, x))
        elif on:
            runs[-1] = (runs[-1][0], x)
    return runs


def rendered(widget: QWidget) -> QImage:
    img = QImage(widget.size(), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    widget.render(img)
    return img


def test_columns_run_top_to_bottom_and_left_to_right(qapp: Any) -> None:
    setup_fonts(qapp, "Noto Sans CJK SC")
    v = VerticalText(f"{SHORT}\n{LONG}", px=40, colour="#000000")
    height = v.natural_length() + 10  # every paragraph in one column: two columns
    assert len(v.columns(height)) == 2
    v.resize(v.width_for_height(height), height)
    img = rendered(v)
    runs = ink_runs(img)
    assert len(runs) == 2, runs  # two columns of ink with white between them
    first, second = (ink_box(img, a, b + 1) for a, b in runs)
    # The first paragraph is the left column, the second is to its right (columns run left to right) ...
    assert second.left() > first.right() - 2, (first, second)
    # ... and each column is read from the top down: the short word ends high, the long text runs far down.
    assert first.top() < 12 and second.top() < 12, (first, second)
    assert second.height() > first.height() * 2, (first, second)
    # One column's text runs down, not across: the long one is much taller than it is wide.
    assert second.height() > second.width() * 3, second


def test_width_follows_the_height_it_has(qapp: Any) -> None:
    setup_fonts(qapp, "Noto Sans CJK SC")
    v = VerticalText(LONG, px=40)
    one = v.width_for_height(v.natural_length() + 10)
    squeezed = v.width_for_height(v.natural_length() // 2)
    assert squeezed > one  # less height, more columns, more width
    assert v.accessibleName() == LONG  # named for the keypad's voice and the audit's "unlabelled" check
    assert is_mongolian(LONG) and not is_mongolian("办事 24h")
    # Chinese in it (a catalog text without Mongolian) keeps horizontal runs: turned, it would lie on its side.
    assert vertical_ok(f"24 {LONG}") and not vertical_ok(f"{LONG}: 出生登记")


def test_audit_reports_vertical_text_too_narrow_for_its_columns(qapp: Any) -> None:
    setup_fonts(qapp, "Noto Sans CJK SC")
    window = QWidget()
    row = QHBoxLayout(window)
    v = VerticalText(LONG, px=40)
    row.addWidget(v)
    window.resize(600, 400)
    window.show()
    qapp.processEvents()
    audit = Audit(target=10)
    audit.screen(window, "fits")
    assert not audit.findings, audit.report()
    # A third of the width its columns need at 120 px (as a layout that ignored its claim would leave it):
    # the audit must see it.
    v._claim_width = lambda: None  # type: ignore[method-assign]  # no claim: the squeezed size stays
    v.setMinimumWidth(0)
    v.setGeometry(0, 0, v.width_for_height(120) // 3, 120)
    audit.screen(window, "squeezed")
    assert [f.kind for f in audit.findings] == ["clipped"], audit.report()
    assert "columns need" in audit.findings[0].detail
    window.close()
