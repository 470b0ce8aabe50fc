"""Scanned codes reach the shell: constructed evdev key events on the simulated scanner's wire, read by the real
evdev transport and decoder on the scanner's device runner, arrive as ``DeviceBridge.scanned`` on the GUI thread
and at the current screen's ``on_scanned(code)``."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from evdev import InputEvent, ecodes

from drivers.scanner.simulator import events_for_text
from kiosk.maintenance import hash_pin
from kiosk.visit.flow import Step
from ui.screens.base import Screen

from .conftest import Kiosk

RECEIPT_QR = "KSK1|KSK-DEMO-01|A012|3f9c"


def key(code: int, value: int) -> InputEvent:
    return InputEvent(0, 0, ecodes.EV_KEY, code, value)


@pytest.fixture
def scanning(kiosk_factory: Any) -> Kiosk:
    """A kiosk with the simulated scanner fitted, reported usable."""
    k = kiosk_factory(scanner=True)
    k.wait(lambda: k.runtime.bridge.usable("scanner"))
    return k


def test_a_scanned_code_reaches_the_current_screen_on_the_gui_thread(
    scanning: Kiosk, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    k = scanning
    gui = threading.get_ident()
    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(k.screen, "on_scanned", lambda code: seen.append((code, threading.get_ident())))
    sim = k.runtime.device("scanner").simulator
    with qtbot.waitSignal(k.runtime.bridge.scanned, timeout=5000) as blocker:
        sim.send(events_for_text(RECEIPT_QR))
    assert blocker.args == [RECEIPT_QR]
    k.wait(lambda: bool(seen))
    assert seen == [(RECEIPT_QR, gui)]


def test_hand_built_key_events_are_decoded_for_the_shell(scanning: Kiosk, qtbot: Any) -> None:
    k = scanning
    c = ecodes
    events = [
        key(c.KEY_LEFTSHIFT, 1), key(c.KEY_P, 1), key(c.KEY_P, 0), key(c.KEY_LEFTSHIFT, 0),
        key(c.KEY_1, 1), key(c.KEY_1, 0), key(c.KEY_F5, 1),  # F5: no character, skipped
        key(c.KEY_MINUS, 1), key(c.KEY_8, 1), key(c.KEY_ENTER, 1),
    ]  # fmt: skip
    with qtbot.waitSignal(k.runtime.bridge.scanned, timeout=5000) as blocker:
        k.runtime.device("scanner").simulator.send(events)
    assert blocker.args == ["P1-8"]


def test_a_screen_without_a_use_for_codes_ignores_them(scanning: Kiosk, qtbot: Any) -> None:
    k = scanning
    assert type(k.screen).on_scanned is Screen.on_scanned  # the attract screen keeps the default
    # The shell's slot is connected first, so it has run when the signal reaches the test.
    with qtbot.waitSignal(k.runtime.bridge.scanned, timeout=5000):
        k.runtime.device("scanner").simulator.scan(RECEIPT_QR)
    assert k.session.step == Step.ATTRACT


def test_codes_do_not_reach_the_screen_under_the_maintenance_pad(
    kiosk_factory: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    k = kiosk_factory(scanner=True, pin_hash=hash_pin("246810", iterations=1000))
    k.wait(lambda: k.runtime.bridge.usable("scanner"))
    seen: list[str] = []
    monkeypatch.setattr(k.screen, "on_scanned", seen.append)
    for _ in range(5):
        k.shell.maintenance.corner_tap(20, 20)  # the technician's gesture: the PIN pad opens over the screen
    assert k.shell.maintenance.active
    with qtbot.waitSignal(k.runtime.bridge.scanned, timeout=5000):
        k.runtime.device("scanner").simulator.scan(RECEIPT_QR)
    assert seen == []


def test_no_scanner_fitted_no_signal_source(kiosk: Kiosk) -> None:
    assert not kiosk.runtime.bridge.has("scanner")  # the demo kiosk has none unless asked
