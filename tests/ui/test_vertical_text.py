"""Vertical Mongolian (``ui.widgets.vertical_text``): columns top to bottom, left to right, and the layout check
seeing vertical text that has too little width."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui.app import setup_fonts
from ui.widgets.buttons import WrapButton
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
    # A third of the width its columns need at a height that keeps its words whole but takes two columns (as a
    # layout that ignored its claim would leave it): the audit must see it.
    short = v.longest_word() + 10
    v._claim_width = lambda: None  # type: ignore[method-assign]  # no claim: the squeezed size stays
    v.setMinimumWidth(0)
    v.setGeometry(0, 0, v.width_for_height(short) // 3, short)
    audit.screen(window, "squeezed")
    assert [f.kind for f in audit.findings] == ["clipped"], audit.report()
    assert "columns need" in audit.findings[0].detail
    window.close()


def test_audit_reports_a_word_broken_across_columns(qapp: Any) -> None:
    """A column shorter than a word cuts it (the attract headline squeezed to a letter a column in landscape
    elderly mode was drawn so, wide enough and never reported): the audit must see it."""
    setup_fonts(qapp, "Noto Sans CJK SC")
    window = QWidget()
    row = QHBoxLayout(window)
    row.setContentsMargins(0, 0, 0, 0)
    v = VerticalText(LONG, px=40)
    row.addWidget(v)
    window.resize(900, v.longest_word() + 20)
    window.show()
    qapp.processEvents()
    assert v.longest_word() < v.natural_length() and v.broken_words(v.height()) == []
    audit = Audit(target=10)
    audit.screen(window, "words whole")
    assert not audit.findings, audit.report()
    window.resize(900, v.longest_word() // 2)  # wide enough for every column it claims, too short for a word
    qapp.processEvents()
    assert v.broken_words(v.height())
    audit.screen(window, "words cut")
    assert [f.kind for f in audit.findings] == ["clipped"], audit.report()
    assert "broken across columns" in audit.findings[0].detail
    window.close()


def test_wrap_button_breaks_its_words_onto_two_lines_only_where_one_does_not_fit(qapp: Any) -> None:
    setup_fonts(qapp, "Noto Sans CJK SC")
    window = QWidget()
    b = WrapButton(LONG, parent=window)  # placed by hand: the width is the test's, as a squeezed layout's would be
    one_line = b.sizeHint()
    b.setGeometry(0, 0, one_line.width() + 40, one_line.height())
    window.resize(one_line.width() + 80, 300)
    window.show()
    qapp.processEvents()
    assert b.text() == LONG and b.words() == LONG
    b.setGeometry(0, 0, one_line.width() * 2 // 3, 200)  # narrower than the words on one line, wide for each
    qapp.processEvents()
    assert b.text() == LONG.replace(" ", "\n") and b.words() == LONG
    # The lines follow the width, the width never the lines: the hint keeps the one-line width (its height is
    # the lines', which the audit below measures).
    assert b.sizeHint().width() == one_line.width() and b.sizeHint().height() >= one_line.height()
    b.resize(b.width(), b.sizeHint().height())
    audit = Audit(target=10)
    audit.screen(window, "two lines")
    assert not audit.findings, audit.report()
    b.setGeometry(0, 0, one_line.width() + 40, one_line.height())
    qapp.processEvents()
    assert b.text() == LONG
    window.close()
