"""The shell cannot be left: frameless, no context menus, no key combos, no closing; named CJK font."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QFontInfo, QKeyEvent
from PySide6.QtWidgets import QLabel

from kiosk.shared_settings import UI_LIVENESS_SETTING
from ui.app import KioskGuard, kiosk_window, pyside_problem, setup_fonts
from ui.liveness import Liveness
from ui.main import has_display, main

from .conftest import Kiosk


def test_this_pyside_keeps_reference_counts() -> None:
    assert pyside_problem() == ""


def test_kiosk_window_is_frameless_and_refuses_to_close(kiosk: Kiosk, qapp: Any) -> None:
    window = kiosk.shell.window
    kiosk_window(window, fullscreen=True)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    assert not window.close() and window.isVisible()
    assert window.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_guard_swallows_context_menus_and_key_combos(qapp: Any, kiosk: Kiosk) -> None:
    guard = KioskGuard(allowed_keys=frozenset({Qt.Key.Key_F2}))
    target = kiosk.shell.window
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
    assert guard.eventFilter(target, menu)
    mod = Qt.KeyboardModifier
    combos = [(Qt.Key.Key_F4, mod.AltModifier), (Qt.Key.Key_Q, mod.ControlModifier),
              (Qt.Key.Key_Escape, mod.NoModifier), (Qt.Key.Key_Tab, mod.NoModifier)]  # fmt: skip
    for key, mods in combos:
        assert guard.eventFilter(target, QKeyEvent(QEvent.Type.KeyPress, key, mods)), key
    assert not guard.eventFilter(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier))
    assert not guard.eventFilter(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_5, Qt.KeyboardModifier.NoModifier))


def test_no_text_can_be_selected(kiosk: Kiosk) -> None:
    kiosk.identify_by_card()
    labels = kiosk.shell.window.findChildren(QLabel)
    assert labels
    assert all(lab.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction for lab in labels)


def test_cjk_font_is_named_and_installed(qapp: Any) -> None:
    font = setup_fonts(qapp, "Noto Sans CJK SC")
    assert QFontInfo(font).family() == "Noto Sans CJK SC"


class _Store:
    def __init__(self, fail: bool = False) -> None:
        self.values: dict[str, float] = {}
        self.fail = fail

    def set_setting(self, key: str, value: float) -> None:
        if self.fail:
            raise OSError("disk full")
        self.values[key] = value


def test_liveness_beats_on_the_gui_thread(qtbot: Any) -> None:
    store = _Store()
    times = iter([100.0, 105.0, 110.0])
    beat = Liveness(store, clock=lambda: next(times), interval_s=0.02)
    beat.start()
    assert store.values[UI_LIVENESS_SETTING] == 100.0
    qtbot.waitUntil(lambda: store.values[UI_LIVENESS_SETTING] == 110.0, timeout=2000)
    beat.stop()
    broken = Liveness(_Store(fail=True), clock=lambda: 1.0)
    broken.beat()  # logged, not raised into the event loop
    assert broken.failures == 1


def test_command_line(tmp_path: Path, capsys: Any) -> None:
    assert has_display({"DISPLAY": ":0"}) and has_display({"WAYLAND_DISPLAY": "w"}) and not has_display({})
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[screen]\norientation = 'diagonal'\n", encoding="utf-8")
    assert main(["run", "--config", str(bad)]) == 2
    assert "screen.orientation" in capsys.readouterr().err
