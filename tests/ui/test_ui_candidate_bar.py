"""The pinyin candidate bar: letters in, candidates shown and paged, a tap commits, what is left stays typed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.config import ScreenSection
from kiosk.pinyin import PinyinIndex
from ui.theme import Theme, make_theme
from ui.widgets.candidate_bar import CandidateBar


@pytest.fixture(scope="module")
def index() -> PinyinIndex:
    """The real index, built once for the module."""
    return PinyinIndex.build()


def make_bar(qtbot: Any, index: PinyinIndex | None, *, elderly: bool = False, width: int = 900) -> CandidateBar:
    """A shown bar with the shell's stylesheet, ``width`` pixels wide (the form's editor column)."""
    theme = make_theme(ScreenSection(), elderly=elderly)
    bar = CandidateBar(theme)
    bar.setStyleSheet(theme.stylesheet())
    qtbot.addWidget(bar)
    bar.set_index(index)
    bar.resize(width, 300)
    bar.show()
    qtbot.waitExposed(bar)
    return bar


def type_letters(bar: CandidateBar, letters: str) -> None:
    for ch in letters:
        assert bar.feed_letter(ch), ch


def shown(bar: CandidateBar) -> list[QPushButton]:
    return [b for b in bar.candidate_buttons if b.isVisible()]


def tap(qtbot: Any, b: QPushButton) -> None:
    assert b.isVisible() and b.isEnabled(), b.text()
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)


def test_typing_shows_candidates_and_a_tap_commits_the_first_syllable(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    changes: list[str] = []
    bar.compositionChanged.connect(changes.append)
    type_letters(bar, "ZHANGSAN")  # the keyboard's keys are capitals
    assert changes == ["z", "zh", "zha", "zhan", "zhang", "zhangs", "zhangsa", "zhangsan"]
    assert bar.composition_label.text() == "zhang'san"
    assert shown(bar)[0].text() == "张"
    with qtbot.waitSignal(bar.committed) as committed:
        tap(qtbot, shown(bar)[0])
    assert committed.args == ["张"]
    assert bar.composition() == "san" and changes[-1] == "san"
    assert shown(bar)[0].text() == "三"
    with qtbot.waitSignal(bar.committed) as committed:
        tap(qtbot, shown(bar)[0])
    assert committed.args == ["三"]
    assert bar.composition() == "" and changes[-1] == ""
    assert shown(bar) == [] and not bar.letters.isEnabled()


def test_a_word_is_picked_whole(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    type_letters(bar, "eerduosishi")
    assert shown(bar)[0].text() == "鄂尔多斯"
    with qtbot.waitSignal(bar.committed) as committed:
        tap(qtbot, shown(bar)[0])
    assert committed.args == ["鄂尔多斯"] and bar.composition() == "shi"


def test_backspace_edits_the_composition_then_gives_way(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    type_letters(bar, "xia")
    first = bar.page_candidates()
    assert bar.backspace() and bar.composition() == "xi"
    assert bar.page_candidates() != first and bar.page_candidates()[0] in index.characters("xi")
    assert bar.backspace() and bar.backspace()
    assert bar.composition() == "" and shown(bar) == []
    assert not bar.backspace()  # nothing left: the field's own ⌫ applies


def test_paging_walks_through_every_candidate(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    type_letters(bar, "yi")
    assert bar.pages > 3
    assert not bar.prev.isEnabled() and bar.next.isEnabled()
    seen = list(bar.page_candidates())
    while bar.next.isEnabled():
        before = bar.page
        tap(qtbot, bar.next)
        assert bar.page == before + 1
        seen += bar.page_candidates()
        assert bar.prev.isEnabled()
    assert seen == bar.candidates()  # nothing skipped, nothing twice
    tap(qtbot, bar.prev)
    assert bar.page == bar.pages - 2
    with qtbot.waitSignal(bar.committed) as committed:  # a candidate from a later page commits too
        tap(qtbot, shown(bar)[-1])
    assert committed.args[0] in index.characters("yi") and bar.composition() == ""
    assert bar.page == 0


def test_a_page_fits_the_row_and_buttons_are_touch_sized(qtbot: Any, index: PinyinIndex) -> None:
    for elderly in (False, True):
        bar = make_bar(qtbot, index, elderly=elderly)
        theme: Theme = bar.theme
        type_letters(bar, "zhongxin")
        qtbot.waitUntil(lambda bar=bar: shown(bar)[-1].geometry().right() > 0)
        buttons = shown(bar)
        assert len(buttons) >= 4
        for b in [*buttons, bar.prev, bar.next, bar.letters, bar.separator]:
            assert b.width() >= theme.target_px and b.height() >= theme.target_px, b.text()
        assert buttons[-1].geometry().right() < bar.next.geometry().left()  # nothing pushed off the row


def test_elderly_mode_and_a_narrow_bar_show_fewer_per_page(qtbot: Any, index: PinyinIndex) -> None:
    normal = make_bar(qtbot, index)
    elderly = make_bar(qtbot, index, elderly=True)
    for bar in (normal, elderly):
        type_letters(bar, "li")
    assert len(elderly.page_candidates()) < len(normal.page_candidates())
    tap(qtbot, normal.next)
    first = normal.page_candidates()[0]
    normal.resize(500, 300)
    qtbot.waitUntil(lambda: len(normal.page_candidates()) < len(elderly.page_candidates()) + 3)
    assert first in normal.page_candidates()  # the page shown still holds what the citizen was looking at


def test_letters_button_and_separator(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    type_letters(bar, "xi")
    tap(qtbot, bar.separator)
    assert bar.composition() == "xi'" and not bar.separator.isEnabled()
    type_letters(bar, "an")
    assert bar.page_candidates()[0] == "西安"
    assert bar.letters.text() == "xian"
    with qtbot.waitSignal(bar.committed) as committed:
        tap(qtbot, bar.letters)
    assert committed.args == ["xian"] and bar.composition() == ""


def test_feed_letter_takes_only_letters(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    for key in ("1", " ", ",", "-", "⌫", "张", "ü", "", "ab"):
        assert not bar.feed_letter(key), key
    assert not bar.feed_letter("'")  # nothing to separate yet
    assert bar.composition() == ""
    assert bar.feed_letter("Q") and bar.composition() == "q"
    type_letters(bar, "qq")
    assert bar.candidates() == [] and bar.letters.isEnabled()  # no pinyin: only the letters can go


def test_clear_forgets_without_committing(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, index)
    type_letters(bar, "wangxiaohe")
    with qtbot.assertNotEmitted(bar.committed), qtbot.waitSignal(bar.compositionChanged) as changed:
        bar.clear()
    assert changed.args == [""] and bar.composition() == "" and shown(bar) == []
    assert bar.composition_label.text() == "" and bar.letters.text() == ""


def test_without_an_index_letters_still_go_and_candidates_come_with_it(qtbot: Any, index: PinyinIndex) -> None:
    bar = make_bar(qtbot, None)
    type_letters(bar, "wang")
    assert bar.candidates() == [] and shown(bar) == []
    bar.set_index(index)  # built in the background, handed in later
    assert shown(bar)[0].text() == "王"
    bar.set_index(None)
    with qtbot.waitSignal(bar.committed) as committed:
        tap(qtbot, bar.letters)
    assert committed.args == ["wang"]
