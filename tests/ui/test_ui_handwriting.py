"""Handwriting in the form's text editor: a character drawn with a finger is offered in the candidate bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.config import ScreenSection
from kiosk.pinyin import PinyinIndex
from ui.app import setup_fonts
from ui.theme import make_theme
from ui.widgets.pinyin_keys import PinyinKeys


def draw(canvas: Any, points: list[tuple[int, int]]) -> None:
    """One stroke through ``points`` (canvas coordinates), as a finger would."""
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[0]))
    for p in points[1:]:
        QTest.mouseMove(canvas, QPoint(*p))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


def test_write_a_character_and_pick_it(qapp: Any, qtbot: Any) -> None:
    setup_fonts(qapp, "Noto Sans CJK SC")
    theme = make_theme(ScreenSection(), elderly=False)
    qapp.setStyleSheet(theme.stylesheet())
    keys = PinyinKeys(theme)
    qtbot.addWidget(keys)
    keys.set_index(PinyinIndex({"shi": "十"}, {}))
    keys.set_chinese(True)
    keys.resize(900, 700)
    keys.show()
    qtbot.waitExposed(keys)
    assert keys.bar.write.isVisible() and not keys.handwriting
    qtbot.mouseClick(keys.bar.write, Qt.MouseButton.LeftButton)
    assert keys.handwriting and keys.pad.canvas.isVisible()
    canvas = keys.pad.canvas
    w, h = canvas.width(), canvas.height()
    draw(canvas, [(w * i // 10, h // 2) for i in range(2, 9)])  # 一
    draw(canvas, [(w // 2, h * i // 10) for i in range(1, 10)])  # 丨: together 十
    assert keys.bar.page_candidates()[0] == "十"
    qtbot.mouseClick(keys.bar.candidate_buttons[0], Qt.MouseButton.LeftButton)
    assert keys.keys.value() == "十" and canvas.strokes == []  # in the field; the pad is ready for the next
    qtbot.mouseClick(keys.pad.delete, Qt.MouseButton.LeftButton)
    assert keys.keys.value() == ""
    qtbot.mouseClick(keys.pad.to_keys, Qt.MouseButton.LeftButton)
    assert not keys.handwriting and keys.keys.isVisible()
