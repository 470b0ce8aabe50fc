"""The running shell: one window, the navigator over the session, devices through the bridge, idle timer,
card watcher, printing, maintenance mode, the hall's wishes (its maintenance mode, health effects, test pages),
the liveness heartbeat and the systemd watchdog, all wired together on the GUI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.capture.page import CaptureSettings
from kiosk.config import Config
from kiosk.devices import DeviceKind, DeviceStatus
from kiosk.hall_commands import OUT, RECOVER, HallState, service_change
from kiosk.health import EFFECT_ONSCREEN_RECEIPTS, EFFECT_TYPED_ID_ENTRY
from kiosk.maintenance import PrintCounters
from kiosk.sdnotify import Notifier
from kiosk.visit.flow import SessionError, Step
from kiosk.visit.presence import VisitPresence
from kiosk.visit.view import SessionView
from kiosk.voice import Utterance, action_prompt, after_action, screen_prompt
from ui.app import KioskGuard, limit_caches
from ui.camera import CameraControl
from ui.cards import CardWatcher
from ui.devices import DeviceBridge, reader_trouble
from ui.gesture import tap_position
from ui.hall import HallWatch
from ui.i18n import Translations, translate
from ui.keynav import FocusRing
from ui.liveness import Liveness
from ui.maintenance import Maintenance
from ui.navigator import Navigator
from ui.online_front import OnlineFront
from ui.pinyin_loader import pinyin_loader
from ui.printing import AUTO_PRINT, Printing
from ui.screens.base import Context
from ui.screens.identify import IdentifyScreen
from ui.speaker import Speaker
from ui.theme import Theme, make_theme
from ui.watchdog import SystemdWatchdog
from ui.window import KioskWindow

log = logging.getLogger(__name__)

PINYIN_AFTER_MS = 500  # see Shell.start

# Steps in which a card placed on the reader identifies the citizen.
CARD_STEPS = frozenset({Step.ATTRACT, Step.IDENTIFY})
# Steps after which nothing personal may remain on any screen.
CLEAN_STEPS = frozenset({Step.ATTRACT, Step.END, Step.OUT_OF_SERVICE})
_ACTIVITY = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})


class Shell(QObject):
    """Wires the window to the session and the devices. ``start()`` shows the attract screen."""

    def __init__(
        self,
        app: QApplication,
        config: Config,
        session: Any,
        bridge: DeviceBridge,
        *,
        store: Any = None,
        tick_ms: int = 1000,
        card_poll_ms: int = 400,
        demo_keys: bool = False,
        clock: Callable[[], float] = time.time,
        notifier: Notifier | None = None,
    ) -> None:
        """``clock`` is the session's wall clock (maintenance timeouts, PIN lockout); ``notifier`` talks to
        systemd when the shell runs as a service (None: nobody to tell)."""
        super().__init__()
        self.app = app
        self.config = config
        self.session = session
        self.bridge = bridge
        self.translations = Translations(app)
        self.theme = make_theme(config.screen, elderly=False)
        self.window = KioskWindow(self.theme, config.kiosk)
        self.navigator = Navigator(session, self.window.stack, Context(self.theme, config.kiosk), self)
        self.cards = CardWatcher(bridge, interval_ms=card_poll_ms, parent=self)
        # The page budget and sizes come from [devices.camera] options; a bad one stops the start, named.
        self.camera = CameraControl(bridge, self.navigator, CaptureSettings.from_options(config.devices.camera.options),
                                    parent=self)  # fmt: skip
        self.window.steps.photos = bridge.has(DeviceKind.CAMERA)  # the step bar names the capture step
        counters = PrintCounters(store, clock) if store is not None else None
        self.printing = Printing(bridge, self, counters=counters)
        # Online requests (queries, certificates, progress, phone sign-in) and certificates on the A4 printer.
        self.online = OnlineFront(config, session, self.navigator, self.window, bridge, counters=counters, parent=self)
        self.maintenance = Maintenance(
            self.window, bridge, store, config, counters=counters, lang=lambda: self.session.lang, clock=clock,
            parent=self,
        )  # fmt: skip
        self.liveness = Liveness(store, parent=self) if store is not None else None
        # Tells kiosk-update whether a citizen is being served (it never restarts the screen mid-visit).
        self.presence = VisitPresence(store, clock=clock) if store is not None else None
        self.hall = (
            HallWatch(store, bridge, kiosk_id=config.kiosk.id, hall_name=config.kiosk.hall_name, clock=clock,
                      counters=counters, parent=self)
            if store is not None else None
        )  # fmt: skip
        self.watchdog = SystemdWatchdog(notifier or Notifier({}), self)
        # Voice guidance: each new screen says its prompt (in a child process; the next screen cuts it off).
        self.speaker = Speaker(config.voice, parent=self)
        # Non-visual navigation: the keypad's commands (read by its DeviceRunner, queued to this thread by the
        # bridge) move a focus ring over the controls, each one spoken.
        self.focus = FocusRing(self.window, self.speaker.say, lambda: self.session.lang, self._prompt, self._key_back,
                               parent=self)  # fmt: skip
        self.guard = KioskGuard(self, allowed_keys=frozenset({Qt.Key.Key_F2}) if demo_keys else frozenset())
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(tick_ms)
        self.tick_timer.timeout.connect(self.tick)

        self.window.action.connect(self.on_window_action)
        self.navigator.rendered.connect(self.on_rendered)
        self.navigator.stepped.connect(self.on_stepped)
        self.navigator.refused.connect(self.window.show_notice)
        self.navigator.shell_action.connect(self.on_shell_action)
        self.cards.arrived.connect(self.on_card)
        self.cards.removed.connect(self.on_card_removed)
        self.cards.failed.connect(self.on_card_failed)
        self.printing.note.connect(self.on_print_note)
        self.bridge.status_changed.connect(self.on_device_status)
        self.bridge.scanned.connect(self.on_scanned)
        self.bridge.key_command.connect(self._on_key)
        self.maintenance.closed.connect(self.on_maintenance_closed)
        if self.hall is not None:
            self.hall.changed.connect(self.on_hall_changed)

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self, *, show: bool = True, devices: bool = True) -> SessionView:
        """Apply theme and language, render the current step, start the timers (and the card watcher)."""
        limit_caches()
        self.app.installEventFilter(self.guard)
        self.app.installEventFilter(self)
        self.app.setStyleSheet(self.theme.stylesheet())
        self.translations.switch(self.session.view().lang)
        view = self.navigator.render()
        if show:
            from ui.app import kiosk_window

            kiosk_window(self.window, fullscreen=self.config.screen.fullscreen)
        self.tick_timer.start()
        if devices:
            self.cards.start()
        if self.liveness is not None:
            self.liveness.start()
        if self.hall is not None:
            self.hall.start()
        self.watchdog.start()  # READY=1 once the event loop runs with the attract screen up
        # The Chinese input's index, on a worker thread (once per process), after READY and the first paint: its
        # second of CPU held the GIL against the GUI thread and put READY off by half (bench ui). Until it is
        # built the keyboards type letters, and no citizen reaches one this soon.
        QTimer.singleShot(PINYIN_AFTER_MS, pinyin_loader().start)
        return view

    def stop(self) -> None:
        """Stop the timers (a technician still in maintenance is reported as gone), let the window close."""
        self.maintenance.close("shutdown")
        self.watchdog.stop()
        self.speaker.stop()
        self.tick_timer.stop()
        self.online.stop()
        self.cards.stop()
        if self.liveness is not None:
            self.liveness.stop()
        if self.hall is not None:
            self.hall.stop()
        self.app.removeEventFilter(self.guard)
        self.app.removeEventFilter(self)
        self.window.allow_close = True
        self.window.close()

    # -- the citizen -----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any tap anywhere is activity: it restarts the idle countdown (and hides its warning). Taps also feed
        the maintenance gesture, but only while no visit holds a citizen's data."""
        if event.type() in _ACTIVITY and watched is self.window.windowHandle():
            pos = tap_position(event)
            if pos is not None and self.session.step in CLEAN_STEPS and not self.maintenance.active:
                self.maintenance_tap(pos.x(), pos.y())
            self.touch()
        return False

    def maintenance_tap(self, x: float, y: float) -> None:
        """A tap while the kiosk serves nobody; five in the top-left corner open the technician's PIN pad."""
        if self.maintenance.corner_tap(x, y) and self.session.step == Step.END:
            self.session.reset()  # the goodbye screen (visit already dropped) would otherwise end by itself

    def touch(self) -> None:
        """The citizen (or the technician) is still there."""
        if self.maintenance.active:
            self.maintenance.touch()
            return
        self.session.touch()
        self.window.show_idle(self.session.idle_state())

    def on_window_action(self, name: str, args: tuple) -> None:
        """Header and footer buttons, and the countdown's "continue"."""
        if name == "touch":
            self.touch()
        elif name == "toggle_voice":  # the citizen's mute button: for this visit only
            self.speaker.set_muted(not self.speaker.muted)
            self.window.show_voice(not self.speaker.muted)
            self.speaker.say(action_prompt("unmute", self.session.lang))
            self.touch()
        elif self.maintenance.active:
            if name == "set_lang":  # the only header button a maintenance screen keeps
                self.session.set_lang(*args)
                self.translations.switch(self.session.lang)
                self.maintenance.retranslate()
        else:
            self.navigator.dispatch(name, args)

    def on_maintenance_closed(self, reason: str) -> None:
        """Back from maintenance: the session's screen again (attract, or out of service), or the hall's."""
        self.session.touch()
        self.navigator.render()
        self.apply_hall()

    def on_shell_action(self, name: str, args: tuple) -> None:
        """Actions screens ask of the shell rather than the session."""
        if name == "print_document":
            view = self.navigator.view
            if view is not None:
                self.printing.print(view.step, view, self.session.document())
        elif name == "print_certificate":
            self.online.print_certificate()
        elif name == "capture_page":
            self.camera.capture(*args)
        else:
            log.error("unknown action %r", name)

    def tick(self) -> None:
        """Once a second: idle timeout and the goodbye screen's linger; the countdown otherwise. In maintenance
        the mode's own idle timeout runs instead (the session waits, on attract or out of service)."""
        if self.maintenance.active:
            self.maintenance.tick()
            return
        before = self.session.step
        try:
            after = self.session.tick()
        except SessionError as exc:  # tick never should; keep the screen alive if it does
            log.error("session tick refused: %s", exc.code)
            return
        if after != before:
            self.navigator.render()
        else:
            self.window.show_idle(self.session.idle_state())

    # -- rendering side effects ------------------------------------------------------------------------------

    def _title(self) -> str:
        screen = self.navigator.current
        return screen.title() if screen is not None else ""

    def on_rendered(self, view: SessionView) -> None:
        """Follow the view's mode and language; update header, footer and the reader state."""
        if view.elderly != self.theme.elderly:
            self.set_theme(make_theme(self.config.screen, elderly=view.elderly))
            return  # set_theme rendered again
        if view.lang != self.translations.lang:
            self.translations.switch(view.lang)
            self.navigator.render()
            return
        self.window.show_view(view, self._title())
        self.show_reader_state()
        self.online.follow(view)

    def set_theme(self, theme: Theme) -> None:
        """Switch to another theme (elderly mode): new stylesheet, screens rebuilt for its sizes and paging."""
        log.info("theme: %s elderly=%s", "portrait" if theme.portrait else "landscape", theme.elderly)
        self.theme = theme
        self.app.setStyleSheet(theme.stylesheet())
        self.window.apply_theme(theme)
        self.navigator.rebuild(Context(theme, self.config.kiosk))

    def on_stepped(self, old: Step | None, new: Step) -> None:
        """A new step: clean screens at the end of a visit, print what this step hands over."""
        self.window.show_notice("")
        if self.presence is not None:
            self.presence.stepped(new)
        self.camera.stepped(old, new)  # the preview runs while the capture step is up, never longer
        if new in CLEAN_STEPS:
            self.navigator.clear_all()
            self.printing.jobs.clear()  # a query's answer was printed from memory: nothing of it stays
            self.online.forget()
        screen = self.navigator.current
        if screen is not None:
            screen.set_device_note("")
        if new in AUTO_PRINT and self.navigator.view is not None:
            self.printing.print(new, self.navigator.view, self.session.document())
        if new == Step.SUBMITTED:  # one step for the citizen: straight on to the receipt (number, QR, printout)
            QTimer.singleShot(0, self._to_receipt)
        self.focus.clear()  # a new screen: the ring starts again from its first control
        if new == Step.END:  # the next citizen starts with the configured voice and volume
            self.speaker.reset()
            self.window.show_voice(not self.speaker.muted)
        if self.navigator.view is not None:  # the confirmation of what led here, then the screen's prompt
            self.speaker.say(after_action(self.navigator.view, self.navigator.last_action))
        self.navigator.last_action = ""
        if new == Step.ATTRACT:  # a visit ended: the hall's maintenance (or a full disk) may take over now
            QTimer.singleShot(0, self.apply_hall)  # after this render has finished

    def _prompt(self) -> Utterance | None:
        """The current screen's spoken prompt (the keypad's help key says it again)."""
        view = self.navigator.view
        return screen_prompt(view) if view is not None else None

    def _key_back(self) -> None:
        """The keypad's back key: the footer's back button, where the screen has one."""
        if self.window.back.isVisible():
            self.window.back.click()

    def _on_key(self, command: str) -> None:
        """A keypad command: the citizen is there; the ring acts on it (not in maintenance mode)."""
        if self.maintenance.active:
            return
        self.touch()
        self.focus.on_command(command)

    def _to_receipt(self) -> None:
        """SUBMITTED and RECEIPT showed the same number and QR on two screens; the shell takes the citizen
        on to the receipt as soon as the application is recorded (unless something already did)."""
        if self.session.step == Step.SUBMITTED and not self.maintenance.active:
            self.navigator.dispatch("receipt")

    def on_print_note(self, step: Step, text: str, ok: bool) -> None:
        """Show a printing note on the screen of the step it belongs to."""
        if self.navigator.view is not None and self.navigator.view.step == step and self.navigator.current:
            self.navigator.current.set_device_note(text, ok)

    # -- cards and devices -----------------------------------------------------------------------------------

    def on_card(self, identity: Any) -> None:
        """A card arrived on a reader: identify with it where that is what the screen waits for (in maintenance
        it only shows the technician that the reader works)."""
        if self.maintenance.technician is not None:
            self.maintenance.card_read(True)
            return
        # A citizen who opened the PIN pad by chance just goes on with the card.
        self.maintenance.close("card")
        if self.online.confirm_identity(identity):
            return
        if self.session.step not in CARD_STEPS:
            return
        try:
            self.session.identify_card(identity)
        except SessionError as exc:
            log.info("card refused: %s", exc.code)
            self.navigator.render()
            if self.navigator.view is not None and self.navigator.view.message is None:
                self.window.show_notice(exc.text.get(self.navigator.view.lang))
            return
        self.navigator.render()

    def on_card_removed(self) -> None:
        """The card was taken away (ends the 'take your card' reminder)."""
        before = self.session.step
        self.session.card_removed()
        if self.session.step != before:
            self.navigator.render()

    def on_card_failed(self, kind: str, exc: BaseException) -> None:
        """A read failed: tell the citizen in plain words where it matters."""
        if self.maintenance.active:
            self.maintenance.card_read(False)
        elif self.session.step in CARD_STEPS:
            self.window.show_notice(
                translate(
                    "Devices", "The card could not be read. Place it flat on the reader again, or type your ID number."
                )
            )

    def on_scanned(self, code: str) -> None:
        """A code from the QR/barcode scanner goes to the screen on display (not while a technician works)."""
        screen = self.navigator.current
        if self.maintenance.active or screen is None:
            return
        if not self.online.scanned(code):  # a phone sign-in code, or a receipt's QR code for its progress
            screen.on_scanned(code)

    def on_device_status(self, status: DeviceStatus) -> None:
        """A device changed state: the identify screen shows the reader's, the capture screen the camera's."""
        if status.kind in self.cards.kinds:
            self.show_reader_state()
        self.camera.on_status(status)

    def readers_ok(self) -> bool:
        """Whether a citizen can identify with a card now (not when the hall's rules say the reader is gone)."""
        if self.hall is not None and EFFECT_TYPED_ID_ENTRY in self.hall.state.effects:
            return False
        return not self.cards.kinds or self.cards.readers_usable()

    def show_reader_state(self) -> None:
        """The identify screen, if up, shows whether the reader works (if not: typed entry first, and why)."""
        screen = self.navigator.current
        if isinstance(screen, IdentifyScreen):
            ok = self.readers_ok()
            screen.set_reader_ok(ok, "" if ok else reader_trouble())
            screen.phone_hint.setVisible(self.bridge.has("scanner"))  # the phone's code needs the scanner

    # -- the hall --------------------------------------------------------------------------------------------

    def on_hall_changed(self, state: HallState) -> None:
        """The hall's maintenance mode or the health effects changed: follow them."""
        self.printing.onscreen = EFFECT_ONSCREEN_RECEIPTS in state.effects
        self.show_reader_state()
        self.apply_hall()

    def apply_hall(self) -> None:
        """Out of service for the hall's maintenance or a nearly full disk, back when that ends; only from the
        attract screen, so a visit in progress always finishes (or times out) first."""
        if self.hall is None or self.maintenance.active:
            return  # a technician on the screen: applied when the maintenance screens close
        wanted = self.hall.state.reason
        change = service_change(self.session.step, self.session.view().out_of_service_reason, wanted)
        if change == OUT:
            self.session.out_of_service(wanted)
        elif change == RECOVER:
            self.session.recover()
        else:
            return
        self.navigator.render()
