"""The shell's online side: what the session asks of the hall goes out (:class:`ui.online.OnlineDesk`), the
answers come back to it; certificates come out of the A4 printer as they arrive and again on request; scanner
codes and cards that mean something to the visit (a sign-in code, a receipt's QR code, a card confirming a
typed ID number) go to the session first.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

from kiosk.catalog import Text
from kiosk.config import Config
from kiosk.maintenance import PrintCounters
from kiosk.online import OnlineClient
from kiosk.visit.flow import SessionError, Step
from kiosk.visit.view import SessionView
from ui.certificates import CertificatePrinting
from ui.devices import DeviceBridge
from ui.i18n import translate
from ui.navigator import Navigator
from ui.online import OnlineDesk
from ui.screens.answer import AnswerScreen
from ui.window import KioskWindow

log = logging.getLogger(__name__)

# Steps where a card tapped confirms a typed ID number (the same person's), right where it was refused.
CONFIRM_STEPS = frozenset({Step.CHOOSE, Step.NOTICE})


class OnlineFront(QObject):
    """Wired by the shell: ``follow(view)`` after every render, the rest from its slots."""

    def __init__(
        self,
        config: Config,
        session: Any,
        navigator: Navigator,
        window: KioskWindow,
        bridge: DeviceBridge,
        *,
        counters: PrintCounters | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.navigator, self.window = session, navigator, window
        self.desk = OnlineDesk(OnlineClient.from_config(config), self)
        self.certificates = CertificatePrinting(bridge, self, counters=counters)
        self.desk.finished.connect(self.on_done)
        self.certificates.note.connect(self.on_certificate_note)
        self.certificates.ended.connect(self.on_certificate_ended)

    @property
    def busy(self) -> bool:
        """Whether a request to the hall is under way."""
        return self.desk.busy

    def stop(self) -> None:
        """The shell stops: let the requests under way end."""
        self.desk.stop()

    def forget(self) -> None:
        """The visit ended (a job still printing reports to nobody)."""
        self.certificates.forget()

    def follow(self, view: SessionView) -> None:
        """After a render: send what the session asks of the hall; show a phone sign-in's wait or problem."""
        ask = self.session.online_ask()
        if ask is not None:
            self.desk.ask(ask)
        online = view.online
        if online is None or online.kind != "signin":
            return
        if online.waiting:
            self.window.show_notice(translate("Online", "Checking your phone code, please wait…"))
        elif online.problem is not None:
            self.window.show_notice(f"{online.problem.message.get(view.lang)} {online.problem.advice.get(view.lang)}")

    def on_done(self, token: str, results: list[Any]) -> None:
        """The hall answered (or the client gave up): to the session, which drops what nobody waits for."""
        before = self.session.certificate()
        if not self.session.online_done(token, results):
            return
        self.navigator.render()
        certificate = self.session.certificate()
        if certificate is not None and certificate is not before:
            self.print_certificate()  # a certificate comes out on A4 as soon as it arrives

    def print_certificate(self) -> None:
        """Print the visit's certificate on the A4 printer (again, after a failed job or for a second copy)."""
        certificate = self.session.certificate()
        screen = self.navigator.current
        if certificate is None or self.certificates.busy:
            return
        if isinstance(screen, AnswerScreen):
            screen.set_printing(True)
        self.certificates.print(certificate)

    def on_certificate_note(self, text: Text, ok: bool) -> None:
        """What the A4 printer did, on the answer screen."""
        screen = self.navigator.current
        if isinstance(screen, AnswerScreen) and self.session.step == Step.ANSWER:
            screen.set_device_note(text.get(self.session.lang), ok)

    def on_certificate_ended(self, printed: bool) -> None:
        """The job ended: the citizen may print again."""
        screen = self.navigator.current
        if isinstance(screen, AnswerScreen):
            screen.set_printing(False)

    def confirm_identity(self, identity: Any) -> bool:
        """A card on the choose or notice screen: does it confirm a typed ID number (the same person's)? True when
        the card was the visit's business here (confirmed, or refused with the reason shown)."""
        if self.session.step not in CONFIRM_STEPS:
            return False
        try:
            changed = self.session.upgrade_identity(identity)
        except SessionError as exc:
            log.info("card refused: %s", exc.code)
            changed = True  # the refusal is the view's message
        if changed:
            self.navigator.render()
        return changed

    def scanned(self, code: str) -> bool:
        """A scanner code: True when the visit took it (sign-in, progress lookup, or refused with the reason)."""
        try:
            taken = self.session.scanned(code)
        except SessionError as exc:
            log.info("scanned code refused: %s", exc.code)
            taken = True  # the refusal is the view's message
        if taken:
            self.navigator.render()
        return taken
