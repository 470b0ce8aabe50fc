"""The paging rule the paged views share (``ui.widgets.pager``): page buttons only while the text does not fit,
each enabled only where there is more to see, a press moving 80% of the view; down the page for text, sideways
for vertical Mongolian."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from ui.app import setup_fonts
from ui.widgets.pager import PAGE_SHARE, TextPager
from ui.widgets.vertical_text import VerticalPager

MONGOLIAN = "ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠰᠣᠩᠭᠣᠬᠤ "


def shown(widget: Any, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()


def test_a_text_pager_pages_down_and_back_and_hides_its_buttons_when_the_text_fits(qapp: Any) -> None:
    pager = TextPager()
    pager.set_text("\n".join(f"line {i}" for i in range(200)))
    shown(pager, 400, 300)
    bar = pager.area.verticalScrollBar()
    assert pager.nav.isVisible() and bar.maximum() > 0
    assert not pager.up.isEnabled() and pager.down.isEnabled()  # at the top: only on
    pager.down.click()
    assert bar.value() == int(pager.area.viewport().height() * PAGE_SHARE)
    assert pager.up.isEnabled()
    while pager.down.isEnabled():
        pager.down.click()
    assert bar.value() == bar.maximum() and pager.up.isEnabled()  # at the end: only back
    pager.up.click()
    assert bar.value() < bar.maximum() and pager.down.isEnabled()
    pager.set_text("one line")
    QApplication.processEvents()
    assert not pager.nav.isVisible()  # it fits: no buttons
    bar_pager = TextPager(bar=True)  # a scroll bar instead of the buttons
    bar_pager.set_text("\n".join(f"line {i}" for i in range(200)))
    shown(bar_pager, 400, 300)
    assert bar_pager.area.verticalScrollBar().maximum() > 0 and not bar_pager.nav.isVisible()
    for w in (pager, bar_pager):
        w.close()
        w.deleteLater()


def test_a_vertical_pager_pages_sideways_by_the_same_rule(qapp: Any) -> None:
    setup_fonts(qapp, "Noto Sans CJK SC")
    pager = VerticalPager(px=24)
    pager.set_text(MONGOLIAN * 60)
    shown(pager, 400, 300)
    bar = pager.area.horizontalScrollBar()
    assert pager.nav.isVisible() and bar.maximum() > 0
    assert not pager.back.isEnabled() and pager.on.isEnabled()
    pager.on.click()
    assert bar.value() == int(pager.area.viewport().width() * PAGE_SHARE) and pager.back.isEnabled()
    pager.back.click()
    assert bar.value() == 0 and not pager.back.isEnabled()
    pager.set_text(MONGOLIAN)
    QApplication.processEvents()
    assert not pager.nav.isVisible()
    pager.close()
    pager.deleteLater()
