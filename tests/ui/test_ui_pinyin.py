"""Chinese input wired into the shell: pinyin on the letter keyboard, candidates picked into the form's Chinese
fields and the inspection's notes, codes typed straight, the index built off the GUI thread, nothing left
behind after the visit."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton

import ui.pinyin_loader as loader_module
from kiosk.config import ScreenSection
from kiosk.maintenance import InspectionChecklist
from kiosk.pinyin import PinyinIndex
from kiosk.visit.flow import Step
from ui.pinyin_loader import PinyinLoader, pinyin_loader
from ui.privacy import leaks
from ui.screens.inspection import INSPECTOR, InspectionPage
from ui.text_input import takes_chinese
from ui.theme import make_theme
from ui.widgets.pinyin_keys import PinyinKeys

from .conftest import Kiosk


@pytest.fixture
def index(qtbot: Any) -> PinyinIndex:
    """The shared index the shell builds at start (built once per process, on a worker thread)."""
    loader = pinyin_loader()
    loader.start()
    qtbot.waitUntil(lambda: loader.done, timeout=30_000)
    assert loader.index() is not None
    return loader.index()


def press(k: Any, keys: PinyinKeys, letters: str) -> None:
    for ch in letters:
        button = keys.keys.keys[ch.upper()]
        assert button.isVisible() and button.isEnabled(), ch
        button.click()


def candidate(keys: PinyinKeys, text: str) -> QPushButton:
    found = [b for b in keys.bar.candidate_buttons if b.isVisible() and b.text() == text]
    assert found, (text, keys.bar.page_candidates())
    return found[0]


def value(k: Kiosk, key: str) -> str:
    return next(f.value for f in k.session.view().fields if f.key == key)


def test_a_name_is_typed_in_pinyin_and_picked_and_codes_are_typed_straight(kiosk: Kiosk, index: PinyinIndex) -> None:
    k = kiosk
    k.to_form()
    form = k.screen
    k.tap(form.submit)  # refused: every field is marked; typing must not move the selection away
    form.select("child_name")
    text = form.editor.text
    assert text.isVisible() and text.bar.isVisible() and text.composing
    press(k, text, "wang")
    assert text.bar.composition() == "wang" and value(k, "child_name") == ""  # nothing unpicked reaches the form
    k.tap(candidate(text, "王"))
    assert value(k, "child_name") == "王" and form.selected == "child_name" and text.bar.composition() == ""
    press(k, text, "xiaohe")
    k.tap(candidate(text, "小"))
    assert text.bar.composition() == "he"
    k.tap(text.bar.letters)  # "ABC": the letters as typed, in capitals like the keys
    assert value(k, "child_name") == "王小HE"
    k.tap(text.keys.keys["⌫"])  # nothing composed: the field's own backspace
    assert value(k, "child_name") == "王小H"
    press(k, text, "he")
    k.tap(text.keys.keys["1"])  # a key that is no letter puts the pinyin in as letters first
    assert value(k, "child_name") == "王小HHE1"
    assert form.rows[0].value.text() == "王小HHE1"

    form.select("birth_certificate_number")  # pattern [A-Z]\d{9}: a code, no candidates
    assert not text.bar.isVisible() and not text.composing
    press(k, text, "o")
    assert value(k, "birth_certificate_number") == "O"

    form.select("child_birth_place")  # an address: candidates again, and a fresh composition
    assert text.bar.isVisible() and text.composing and text.bar.composition() == ""
    press(k, text, "eerduosi")
    assert text.bar.page_candidates()[0] == "鄂尔多斯"
    k.tap(k.shell.window.cancel)  # walks away mid-word: the pinyin and its candidates go with the visit
    k.wait_step(Step.TAKE_CARD)
    k.card(False)
    k.wait_step(Step.END)
    assert text.bar.composition() == "" and text.bar.page_candidates() == []
    assert leaks(k.shell.window, ["王小", "eerduosi", "HHE1"]) == []


def test_inspection_notes_and_inspector_take_pinyin(qtbot: Any, index: PinyinIndex) -> None:
    theme = make_theme(ScreenSection(), elderly=False)
    page = InspectionPage(theme, InspectionChecklist())
    page.setStyleSheet(theme.stylesheet())
    qtbot.addWidget(page)
    page.resize(theme.width // 2, theme.height - 200)
    page.show()
    page.edit(INSPECTOR)
    assert page.pinyin.bar.isVisible() and page.pinyin.composing
    press(None, page.pinyin, "li")
    candidate(page.pinyin, "李").click()
    press(None, page.pinyin, "si")
    page.done.click()  # unpicked pinyin is kept as letters, not lost
    assert page.inspector() == "李SI"
    item = page.checklist.items[0].id
    page.edit(item)
    assert page.pinyin.bar.composition() == ""
    press(None, page.pinyin, "zhiduan")
    candidate(page.pinyin, "制度").click()  # a word, picked whole; "an" is left to pick
    assert page.pinyin.bar.composition() == "an"
    page.done.click()
    assert page.checklist.note(item) == "制度AN"


def test_the_bar_is_disabled_until_the_index_is_built(
    qtbot: Any, index: PinyinIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = make_theme(ScreenSection(), elderly=False)
    failing = PinyinLoader(build=lambda: (_ for _ in ()).throw(FileNotFoundError("no pypinyin data")))
    monkeypatch.setattr(loader_module, "_shared", failing)
    keys = PinyinKeys(theme)
    qtbot.addWidget(keys)
    assert not keys.bar.isEnabled() and not keys.composing
    failing.start()
    qtbot.waitUntil(lambda: failing.done)
    assert failing.index() is None and not keys.composing
    keys.keys.keys["W"].click()  # letters only, straight into the text
    assert keys.keys.value() == "W"

    later = PinyinLoader(build=lambda: index)
    monkeypatch.setattr(loader_module, "_shared", later)
    keys = PinyinKeys(theme)
    qtbot.addWidget(keys)
    assert not keys.composing
    later.start()
    later.start()  # a second start builds nothing more
    qtbot.waitUntil(lambda: keys.composing)
    keys.keys.keys["W"].click()
    assert keys.bar.composition() == "w" and keys.keys.value() == ""


def test_which_fields_take_chinese() -> None:
    for kind in ("text", "name", "address"):
        assert takes_chinese(kind) and takes_chinese(kind, None)
    for kind in ("id_number", "phone", "date", "number", "choice"):
        assert not takes_chinese(kind)
    assert not takes_chinese("text", r"[A-Z]\d{9}") and not takes_chinese("text", "[0-9A-Za-z]{4,20}")
    assert takes_chinese("text", r"[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}") and takes_chinese("text", "[京津沪][A-Z]")
