"""Maintenance mode through the real widgets on simulated devices: the hidden gesture, the PIN pad and its lock,
the technician screen (self-tests on the device threads, counters, the daily inspection) and what the hall is
told, from a real store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest

from drivers.runner import assert_on_device_thread
from kiosk.config import Config
from kiosk.maintenance import COUNTER_SETTING, INSPECTION_ITEMS, hash_pin
from kiosk.shared_settings import MAINTENANCE_SETTING
from kiosk.store import Store
from kiosk.visit.flow import Step
from ui.demo import MORNING
from ui.devices import DeviceBridge
from ui.gesture import CornerTaps
from ui.maintenance import Maintenance
from ui.privacy import leaks
from ui.theme import make_theme
from ui.window import KioskWindow

from .conftest import Kiosk

PIN = "246810"
CORNER = (20, 20)


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN, iterations=1000)  # fast to check; the real default is 600 000


@pytest.fixture(scope="module")
def touchscreen(qapp: Any) -> QPointingDevice:
    return QTest.createTouchDevice()


@pytest.fixture
def tech_kiosk(kiosk_factory: Callable[..., Kiosk], pin_hash: str) -> Kiosk:
    return kiosk_factory(pin_hash=pin_hash)


def finger(k: Kiosk, device: QPointingDevice, x: int, y: int) -> None:
    """One tap of a finger on the touchscreen, delivered to the window as the compositor would."""
    window = k.shell.window.windowHandle()
    for action in ("press", "release"):
        seq = QTest.touchEvent(window, device)
        getattr(seq, action)(0, QPoint(x, y))
        seq.commit()


def corner_taps(k: Kiosk, device: QPointingDevice, n: int = 5) -> None:
    for _ in range(n):
        finger(k, device, *CORNER)


def events(k: Kiosk) -> list[str]:
    return [e.payload["event"] for e in k.runtime.store.pending(kinds=["event"], limit=1000)]


def enter_pin(k: Kiosk, pin: str) -> None:
    pad = k.shell.maintenance.pin_screen
    assert pad is not None
    for digit in pin:
        k.tap(pad.keypad.keys[digit])
    k.tap(pad.enter)


def open_technician(k: Kiosk, device: QPointingDevice) -> Any:
    corner_taps(k, device)
    enter_pin(k, PIN)
    screen = k.shell.maintenance.technician
    assert screen is not None and k.shell.window.stack.currentWidget() is screen
    return screen


def test_five_corner_taps_open_the_pin_pad_only_when_no_visit_runs(tech_kiosk: Kiosk, touchscreen) -> None:
    k, m = tech_kiosk, tech_kiosk.shell.maintenance
    corner_taps(k, touchscreen, 4)
    finger(k, touchscreen, 900, 600)  # a tap elsewhere starts the count again
    corner_taps(k, touchscreen, 4)
    assert not m.active  # 8 corner taps, but never 5 in a row (and a touch counts once, not twice)
    corner_taps(k, touchscreen, 1)
    assert m.active and k.shell.window.stack.currentWidget() is m.pin_screen
    window = k.shell.window
    assert window.step_title.text() == "维护人员登录"
    assert not window.cancel.isVisible() and not window.back.isVisible() and not window.elderly_button.isVisible()
    k.tap(m.pin_screen.cancel)
    assert not m.active and k.shell.window.stack.currentWidget() is k.screen and k.session.step == Step.ATTRACT

    k.tap(k.screen.start)  # a citizen's visit: the gesture is ignored, nothing typed is lost
    k.wait_step(Step.IDENTIFY)
    k.screen.keypad.set_value("1506021985")
    corner_taps(k, touchscreen, 10)
    assert not m.active and k.session.step == Step.IDENTIFY and k.screen.keypad.value() == "1506021985"
    k.tap(k.shell.window.cancel)  # ending the visit first makes the gesture work again
    k.wait_step(Step.END)
    corner_taps(k, touchscreen)
    assert m.active and k.session.step == Step.ATTRACT  # the goodbye screen was left at once
    assert events(k) == []  # a PIN pad alone tells the hall nothing
    k.card(True)  # a citizen who opened the pad by chance just taps a card and goes on
    k.wait_step(Step.CHOOSE)
    assert not m.active and k.shell.window.stack.currentWidget() is k.screen


def test_the_gesture_needs_five_taps_within_three_seconds() -> None:
    taps = CornerTaps(100)
    assert not any(taps.tap(10, 10, t) for t in (0.0, 1.0, 2.0, 3.0))
    assert not taps.tap(10, 10, 3.5)  # the first tap is older than 3 s now
    assert taps.tap(10, 10, 3.9)
    assert not taps.tap(10, 10, 4.0)  # counting starts over after the gesture


def test_no_pin_configured_no_maintenance(qapp: Any, tmp_path: Path) -> None:
    config = Config()  # pin_hash = "": the maintenance screen is off
    with Store(tmp_path / "kiosk.db") as store:
        window = KioskWindow(make_theme(config.screen, elderly=False), config.kiosk)
        m = Maintenance(window, DeviceBridge({}), store, config, counters=None, lang=lambda: "zh")
        assert not m.enabled
        assert not any(m.corner_tap(*CORNER) for _ in range(10)) and not m.active
        window.allow_close = True
        window.close()


def test_five_wrong_pins_lock_the_pad_across_reopening_then_the_right_pin_opens(tech_kiosk: Kiosk, touchscreen) -> None:
    k, m = tech_kiosk, tech_kiosk.shell.maintenance
    corner_taps(k, touchscreen)
    for left in (4, 3, 2, 1):
        enter_pin(k, "135790")
        assert f"还可尝试 {left} 次" in m.pin_screen.message.text()
        assert m.pin_screen.keypad.value() == ""  # the typed PIN never stays
    enter_pin(k, "135790")
    pad = m.pin_screen
    assert "请 5 分钟后再试" in pad.message.text() and pad.locked
    assert not pad.keypad.keys["1"].isEnabled() and not pad.enter.isEnabled()
    k.advance(k.runtime.config.session.idle_timeout_s + 1)  # nobody there: the pad times out to attract
    assert not m.active and k.shell.window.stack.currentWidget() is k.screen
    corner_taps(k, touchscreen)
    assert m.pin_screen.locked and "分钟后再试" in m.pin_screen.message.text()  # still locked when reopened
    k.advance(300 - k.runtime.config.session.idle_timeout_s)  # the lock ran out (the pad timed out again)
    assert not m.active
    corner_taps(k, touchscreen)
    assert not m.pin_screen.locked and m.pin_screen.keypad.keys["1"].isEnabled() and not m.pin_screen.message.text()
    enter_pin(k, PIN)
    assert m.technician is not None and k.shell.window.step_title.text() == "设备维护"
    assert events(k) == ["maintenance_pin_locked", "maintenance_entered"]
    assert k.runtime.store.get_setting(MAINTENANCE_SETTING)["on"] is True


def test_self_tests_run_on_each_device_thread(tech_kiosk: Kiosk, touchscreen, monkeypatch: pytest.MonkeyPatch) -> None:
    k = tech_kiosk
    ran_on: dict[str, str] = {}
    kinds = ("printer", "id_reader", "sscard_reader", "dispenser")
    for kind in kinds:
        device = k.runtime.device(kind)

        def watched(original: Callable[[], Any] = device.self_test, kind: str = kind) -> Any:
            assert_on_device_thread()  # raises on the GUI thread
            ran_on[kind] = threading.current_thread().name
            return original()

        monkeypatch.setattr(device, "self_test", watched)
    screen = open_technician(k, touchscreen)
    assert screen.cards["scanner"].state.text() == "未启用" and not screen.cards["scanner"].test.isEnabled()
    for kind in kinds:
        k.tap(screen.cards[kind].test)
    k.wait(lambda: all(screen.cards[kind].result.text() == "自检通过。" for kind in kinds))
    assert ran_on == {kind: f"device-{kind}" for kind in kinds}

    k.printer.unplug()
    k.tap(screen.cards["printer"].test)
    k.wait(lambda: "自检未通过" in screen.cards["printer"].result.text())
    k.printer.replug()
    rows = [e.payload for e in k.runtime.store.pending(kinds=["event"], limit=100)]
    outcomes = sorted((r["device"], r["ok"]) for r in rows if r["event"] == "self_test")
    assert outcomes == sorted([(kind, True) for kind in kinds] + [("printer", False)])


def test_counters_count_printouts_and_reset_when_a_roll_is_put_in(kiosk_factory, pin_hash: str, touchscreen) -> None:
    k = kiosk_factory(pin_hash=pin_hash, start=MORNING)
    k.tap(k.screen.ticket)
    k.wait_step(Step.TICKET)
    k.tap(k.screen.grid.buttons[0])
    k.wait_step(Step.TICKET_DONE)
    k.wait(lambda: len(k.dispenser.pages) == 1)
    k.wait(lambda: (k.runtime.store.get_setting(COUNTER_SETTING.format("dispenser")) or {}).get("count") == 1)
    k.tap(k.screen.finish)
    k.wait_step(Step.END)
    screen = open_technician(k, touchscreen)
    k.tap(screen.tabs["counters"])
    assert screen.counter_value["dispenser"].text() == "1" and screen.counter_value["printer"].text() == "0"
    k.tap(screen.counter_reset["dispenser"])
    assert screen.counter_value["dispenser"].text() == "0" and "1" in screen.message.text()
    reset = next(e.payload for e in k.runtime.store.pending(kinds=["event"]) if e.payload["event"] == "counter_reset")
    assert reset["device"] == "dispenser" and reset["count"] == 1


def test_inspection_is_sent_and_leaving_by_button_or_timeout_is_reported(tech_kiosk: Kiosk, touchscreen) -> None:
    k = tech_kiosk
    screen = open_technician(k, touchscreen)
    k.tap(screen.tabs["inspection"])
    page = screen.inspection
    assert not page.submit.isEnabled()
    for item in INSPECTION_ITEMS:
        k.tap(page.rows[item.id].passed)
    k.tap(page.rows["cleanliness"].failed)  # a problem opens the note keyboard at once
    assert page.editing
    for key in "POSTER":
        k.tap(page.keyboard.keys[key])
    k.tap(page.done)
    assert page.rows["cleanliness"].note.text() == "POSTER" and not page.submit.isEnabled()
    k.tap(page.inspector_button)
    for key in "WANG07":
        k.tap(page.keyboard.keys[key])
    k.tap(page.done)
    assert page.submit.isEnabled()
    k.tap(page.submit)
    assert "已保存" in screen.message.text()
    [row] = k.runtime.store.pending(kinds=["inspection"])
    assert row.payload["inspector"] == "WANG07" and row.payload["failed"] == ["cleanliness"]
    assert {i["id"]: i["note"] for i in row.payload["items"]}["cleanliness"] == "POSTER"
    assert not page.rows["cleanliness"].failed.isChecked() and not page.submit.isEnabled()  # a fresh checklist

    k.tap(k.shell.window.lang_button)  # the technician may read English
    assert screen.tabs["devices"].text() == "Devices" and k.shell.maintenance.active
    k.tap(screen.leave_button)
    assert not k.shell.maintenance.active and k.shell.window.stack.currentWidget() is k.screen
    assert k.session.step == Step.ATTRACT and k.screen.start.text() == "Tap here to start"
    left = k.runtime.store.pending(kinds=["event"])[-1].payload
    assert left["event"] == "maintenance_left" and left["reason"] == "button" and left["inspections"] == [row.key]
    assert k.runtime.store.get_setting(MAINTENANCE_SETTING)["on"] is False
    assert leaks(k.shell.window, [PIN, "POSTER", "WANG07"]) == []  # the maintenance screens are gone

    open_technician(k, touchscreen)  # then nobody touches it: the idle countdown, then attract
    session = k.runtime.config.session
    k.advance(session.elderly_idle_timeout_s - session.warning_s + 1)
    overlay = k.shell.window.overlay
    assert overlay.isVisible() and k.shell.maintenance.active
    k.tap(overlay.go_on)  # "continue": the technician is still there
    assert not overlay.isVisible()
    k.advance(session.elderly_idle_timeout_s - 1)
    assert k.shell.maintenance.active
    k.advance(2)
    assert not k.shell.maintenance.active and k.shell.window.stack.currentWidget() is k.screen
    assert not overlay.isVisible() and k.session.step == Step.ATTRACT
    left = k.runtime.store.pending(kinds=["event"])[-1].payload
    assert left["event"] == "maintenance_left" and left["reason"] == "timeout"
