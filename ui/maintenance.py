"""Maintenance mode on the kiosk: the hidden gesture, the PIN pad, the technician screen and the way back.

The shell asks :meth:`Maintenance.corner_tap` about every tap while no citizen's visit holds personal data
(attract, goodbye, out of service); five taps in the corner open the PIN pad. The right PIN opens the technician
screen, recorded for the hall by :class:`kiosk.maintenance.MaintenanceSession`; so is leaving it, by the button,
by the idle timeout (the same countdown a citizen gets) or by the shell stopping. The screens are created on
entry and deleted on exit, so no typed PIN or note outlives the mode.

While the mode is on the shell sends it every tap and tick and renders no citizen screen; ``closed(reason)``
tells it to render the session's screen again.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QPoint, QRect, Signal

from drivers.base import SelfTestResult
from kiosk.config import Config
from kiosk.devices import DeviceKind, DeviceStatus
from kiosk.faults import FAULT_INFO, FaultCode
from kiosk.maintenance import (
    COUNTED_DEVICES,
    InspectionChecklist,
    InspectionError,
    MaintenanceSession,
    PinGate,
    PrintCounters,
)
from kiosk.store.models import StoreError
from kiosk.visit.view import IdleState
from ui import sample_cards
from ui.devices import DeviceBridge
from ui.gesture import CornerTaps
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.inspection import InspectionPage
from ui.screens.pin_pad import PinPadScreen
from ui.screens.technician import TechnicianScreen, device_name
from ui.window import KioskWindow

log = logging.getLogger(__name__)

PIN, TECHNICIAN = "pin", "technician"


def fault_action(code: str, lang: str) -> str:
    """What the technician should do about fault ``code`` ("" for a code the kiosk does not know)."""
    try:
        info = FAULT_INFO[FaultCode(code)]
    except (ValueError, KeyError):
        return ""
    return info.action_en if lang == "en" else info.action_zh


class Maintenance(QObject):
    """Owns the maintenance screens while they are up; ``closed(reason)`` when they are gone again."""

    closed = Signal(str)

    def __init__(
        self,
        window: KioskWindow,
        bridge: DeviceBridge,
        store: Any,
        config: Config,
        *,
        counters: PrintCounters | None,
        lang: Callable[[], str],
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window, self.bridge, self.store, self.config = window, bridge, store, config
        self.counters = counters
        self._lang, self._clock, self._monotonic = lang, clock, monotonic
        m = config.maintenance
        limits = {"lockout_max_s": m.lockout_max_s, "max_failures_per_day": m.max_failures_per_day}
        gate = PinGate(m.pin_hash, store, clock, m.lockout_after, m.lockout_s, **limits) if store is not None else None
        self.gate = gate
        self.gesture = CornerTaps(window.theme.target_px * 2)
        self.stage = ""
        self.pin_screen: PinPadScreen | None = None
        self.technician: TechnicianScreen | None = None
        self.session: MaintenanceSession | None = None
        self.checklist = InspectionChecklist()
        self._last_activity = 0.0
        self._generation = 0  # bumped on close: late self-test answers of an earlier visit are not shown
        bridge.status_changed.connect(self._on_status)

    # -- entering --------------------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """Whether a PIN is set (and a store to count wrong tries in): else the gesture does nothing."""
        return self.gate is not None and self.gate.enabled

    @property
    def active(self) -> bool:
        """Whether a maintenance screen (PIN pad or technician screen) is up."""
        return bool(self.stage)

    def corner_tap(self, x: float, y: float) -> bool:
        """A tap the shell saw (window coordinates); True when it completed the gesture and the PIN pad opened."""
        if not self.enabled or self.active:
            return False
        self.gesture.size = self.window.theme.target_px * 2  # about 30 mm, whatever the theme
        hall = self.window.hall  # the whole hall name counts, not only the corner of it
        self.gesture.area = QRect(hall.mapTo(self.window, QPoint(0, 0)), hall.size())
        if not self.gesture.tap(x, y, self._monotonic()):
            return False
        self.open_pin_pad()
        return True

    def _context(self) -> Context:
        return Context(self.window.theme, self.config.kiosk)

    def _show(self, screen: Screen) -> None:
        screen.lang = self._lang()
        self.window.stack.addWidget(screen)
        self.window.stack.setCurrentWidget(screen)
        self.window.show_notice("")
        self.window.show_maintenance(screen.title(), self._lang())

    def open_pin_pad(self) -> None:
        """Show the PIN pad (with the lock, if one is running)."""
        log.info("maintenance: PIN pad opened")
        self.pin_screen = PinPadScreen(self._context())
        self.pin_screen.submitted.connect(self.check_pin)
        self.pin_screen.cancelled.connect(lambda: self.close("cancelled"))
        self.stage = PIN
        self._show(self.pin_screen)
        self.touch()
        assert self.gate is not None
        self.pin_screen.show_locked(self.gate.locked_for())

    def check_pin(self, pin: str) -> None:
        """The technician pressed Enter."""
        if self.gate is None or self.pin_screen is None:
            return
        result = self.gate.attempt(pin)
        if result.ok:
            self.open_technician()
        elif result.locked_s > 0:
            log.warning("maintenance: PIN locked for %.0f s", result.locked_s)
            self.pin_screen.show_locked(result.locked_s)
        else:
            log.info("maintenance: wrong PIN (%d tries left)", result.tries_left)
            self.pin_screen.show_wrong(result.tries_left)

    def open_technician(self) -> None:
        """The PIN was right: the technician screen, and the hall is told."""
        self.session = MaintenanceSession(self.store, kiosk_id=self.config.kiosk.id, clock=self._clock)
        self.session.enter()
        page = InspectionPage(self.window.theme, self.checklist)
        counted = [d for d in COUNTED_DEVICES if self.bridge.has(d)]
        screen = TechnicianScreen(self._context(), [str(k) for k in DeviceKind], counted, page)
        screen.self_test.connect(self.self_test)
        screen.sample_card.connect(self.sample_card)
        screen.reset_counter.connect(self.reset_counter)
        screen.submit_inspection.connect(self.submit_inspection)
        screen.leave.connect(lambda: self.close("button"))
        self._drop(self.pin_screen)
        self.pin_screen = None
        self.technician = screen
        self.stage = TECHNICIAN
        self._show(screen)
        page.set_lang(self._lang())
        self.refresh()
        log.info("maintenance: technician screen opened")

    # -- the technician's work -------------------------------------------------------------------------------

    def sample_card(self, kind: str) -> None:
        """Put the sample card in the simulated reader of ``kind``, or take it out."""
        sample_cards.toggle(self.bridge, kind)
        self._show_samples()

    def _show_samples(self) -> None:
        if self.technician is None:
            return
        simulated = sample_cards.simulated(self.bridge)
        for kind, c in self.technician.cards.items():
            c.show_sample(kind in simulated, kind in simulated and sample_cards.card_in(self.bridge, kind))

    def refresh(self) -> None:
        """Device states, open faults, backlog and counters, as the store and the device threads last said."""
        screen = self.technician
        if screen is None:
            return
        statuses: dict[str, DeviceStatus | None] = {}
        lines: list[str] = []
        depth: int | None = None
        try:
            statuses.update(self.store.device_statuses())
            lang = self._lang()
            for f in self.store.open_faults():
                action = fault_action(f.code, lang) or f.message
                where = device_name(f.device) if f.device else translate("Maintenance", "Kiosk")
                lines.append(f"{where}: {f.code}{' — ' + action if action else ''}")
            depth = self.store.outbox_stats().depth
            if self.counters is not None:
                screen.show_counters({d: self.counters.get(d) for d in screen.counter_value})
        except StoreError:
            log.exception("maintenance: cannot read the store")
            screen.show_message(translate("Maintenance", "The kiosk's storage cannot be read."), False)
        for kind in screen.cards:
            fresh = self.bridge.status(kind)  # the device thread's report is newer than the store's row
            if fresh is not None:
                statuses[kind] = fresh
        screen.show_devices(statuses, [k for k in screen.cards if self.bridge.has(k)])
        screen.show_faults(lines, depth)
        self._show_samples()

    def _on_status(self, status: DeviceStatus) -> None:
        if self.technician is not None:
            self.refresh()

    def self_test(self, kind: str) -> None:
        """Run ``kind``'s self-test on its device thread; the outcome comes back on the GUI thread."""
        screen, session = self.technician, self.session
        if screen is None or session is None or not self.bridge.has(kind):
            return
        screen.cards[kind].show_result(translate("Maintenance", "Testing…"), True, running=True)
        generation = self._generation
        device = self.bridge.device(kind)

        def done(result: SelfTestResult) -> None:
            session.record_self_test(kind, result.ok, result.steps)
            failed = [f"{step}: {detail}" for step, ok, detail in result.steps if not ok]
            self._self_tested(generation, kind, result.ok, "; ".join(failed))

        def failed(exc: BaseException) -> None:
            session.record_self_test(kind, False, [("call", False, f"{type(exc).__name__}: {exc}")])
            self._self_tested(generation, kind, False, str(exc) or type(exc).__name__)

        self.bridge.call(kind, device.self_test, on_done=done, on_error=failed)

    def _self_tested(self, generation: int, kind: str, ok: bool, why: str) -> None:
        if generation != self._generation or self.technician is None:
            return  # the technician left meanwhile; the hall got the event all the same
        if ok:
            text = translate("Maintenance", "Self-test passed.")
        else:
            text = translate("Maintenance", "Self-test failed: {0}").format(why[:200])
        self.technician.cards[kind].show_result(text, ok)

    def reset_counter(self, device: str) -> None:
        """A new roll is in ``device``: its counter starts from zero."""
        if self.technician is None or self.session is None or self.counters is None:
            return
        try:
            old = self.session.reset_counter(self.counters, device)
        except StoreError:
            log.exception("maintenance: cannot reset the %s counter", device)
            self.technician.show_message(translate("Maintenance", "Could not save: the kiosk's storage failed."), False)
            return
        self.technician.show_message(
            translate("Maintenance", "Counter reset ({0} printed on the old roll).").format(old.count)
        )
        self.refresh()

    def submit_inspection(self, inspector: str) -> None:
        """Send the daily inspection to the hall (through the outbox) and start a fresh checklist."""
        if self.technician is None or self.session is None:
            return
        try:
            key = self.session.submit_inspection(self.checklist, inspector)
        except InspectionError:
            self.technician.show_message(
                translate("Maintenance", "Answer every item, with a note for each problem, and type who inspected."),
                False,
            )
            return
        if key is None:
            self.technician.show_message(translate("Maintenance", "Could not save: the kiosk's storage failed."), False)
            return
        log.info("maintenance: inspection recorded (%s)", key)
        self.checklist = InspectionChecklist()
        self.technician.inspection.reset(self.checklist)
        self.technician.show_message(
            translate("Maintenance", "Inspection saved. It is sent to the hall as soon as the link allows.")
        )

    def card_read(self, ok: bool) -> None:
        """A card reader read (or failed to read) a card while the technician screen was up."""
        if self.technician is not None:
            if ok:
                self.technician.show_message(translate("Maintenance", "A card was read: the card reader works."))
            else:
                self.technician.show_message(translate("Maintenance", "A card could not be read."), False)

    # -- time, language, leaving -----------------------------------------------------------------------------

    def _limit(self) -> float:
        # The technician walks round the kiosk during the inspection: the longer of the configured timeouts.
        s = self.config.session
        return s.elderly_idle_timeout_s if self.stage == TECHNICIAN else s.idle_timeout_s

    def idle_state(self) -> IdleState:
        """The countdown to leaving the mode by itself."""
        left = max(0.0, self._limit() - (self._clock() - self._last_activity))
        return IdleState(left <= self.config.session.warning_s, math.ceil(left))

    def touch(self) -> None:
        """A tap: the technician is still there."""
        self._last_activity = self._clock()
        self.window.show_idle(self.idle_state())

    def tick(self) -> None:
        """Once a second: the idle timeout, the lock's minutes, the technician screen's figures."""
        if not self.active:
            return
        idle = self.idle_state()
        if idle.seconds_left == 0:
            self.close("timeout")
            return
        self.window.show_idle(idle)
        if self.pin_screen is not None and self.gate is not None:
            self.pin_screen.show_locked(self.gate.locked_for())
        self.refresh()

    def retranslate(self) -> None:
        """The language was switched: texts of the screen shown, header included."""
        screen = self.technician or self.pin_screen
        if screen is None:
            return
        screen.lang = self._lang()
        screen.retranslate()
        if self.technician is not None:
            self.technician.inspection.set_lang(self._lang())
            self.refresh()
        self.window.show_maintenance(screen.title(), self._lang())

    def _drop(self, screen: Screen | None) -> None:
        if screen is not None:
            screen.clear()
            self.window.stack.removeWidget(screen)
            screen.deleteLater()

    def close(self, reason: str) -> None:
        """Leave the mode (``reason``: button, cancelled, timeout, shutdown); the hall hears of a technician's."""
        if not self.active:
            return
        if self.session is not None:
            self.session.leave(reason)
        log.info("maintenance: closed (%s)", reason)
        self._drop(self.pin_screen)
        self._drop(self.technician)
        self.pin_screen = self.technician = self.session = None
        self.checklist = InspectionChecklist()  # an unsent checklist is not left for the next visitor
        self.stage = ""
        self._generation += 1
        self.gesture.reset()
        self.closed.emit(reason)
