"""Maps the session's steps to screen widgets and renders ``session.view()`` (Electrum's view_to_component).

The navigator is the only caller of the session on behalf of the screens: a screen emits an action name,
the navigator checks it against the list below, calls the session, and re-renders. A refused action
(:class:`SessionError`) is shown in the citizen's language; nothing else is decided here.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.catalog import Text
from kiosk.visit.flow import SessionError, Step
from kiosk.visit.view import SessionView
from ui.screens.answer import AnswerScreen
from ui.screens.appointment import AppointmentDoneScreen, AppointmentScreen
from ui.screens.attract import AttractScreen
from ui.screens.base import Context, Screen
from ui.screens.bookings import BookingCancelledScreen, BookingsScreen
from ui.screens.capture import CaptureScreen
from ui.screens.choose import ChooseScreen
from ui.screens.farewell import EndScreen, OutOfServiceScreen, TakeCardScreen
from ui.screens.form import FormScreen
from ui.screens.identify import IdentifyScreen
from ui.screens.notice import NoticeScreen
from ui.screens.progress import ProgressScreen
from ui.screens.rate import RateScreen
from ui.screens.report import ReportDoneScreen, ReportScreen
from ui.screens.review import ReviewScreen
from ui.screens.submitted import ReceiptScreen, SubmittedScreen
from ui.screens.ticket import TicketDoneScreen, TicketScreen

log = logging.getLogger(__name__)

SCREENS: dict[Step, type[Screen]] = {
    Step.ATTRACT: AttractScreen,
    Step.IDENTIFY: IdentifyScreen,
    Step.CHOOSE: ChooseScreen,
    Step.NOTICE: NoticeScreen,
    Step.FORM: FormScreen,
    Step.REVIEW: ReviewScreen,
    Step.CAPTURE: CaptureScreen,
    Step.SUBMITTED: SubmittedScreen,
    Step.RECEIPT: ReceiptScreen,
    Step.RATE: RateScreen,
    Step.END: EndScreen,
    Step.APPOINTMENT: AppointmentScreen,
    Step.APPOINTMENT_DONE: AppointmentDoneScreen,
    Step.BOOKINGS: BookingsScreen,
    Step.BOOKING_CANCELLED: BookingCancelledScreen,
    Step.TICKET: TicketScreen,
    Step.TICKET_DONE: TicketDoneScreen,
    Step.REPORT: ReportScreen,
    Step.REPORT_DONE: ReportDoneScreen,
    Step.TAKE_CARD: TakeCardScreen,
    Step.OUT_OF_SERVICE: OutOfServiceScreen,
    Step.ANSWER: AnswerScreen,
    Step.PROGRESS: ProgressScreen,
}

# Session actions a screen may ask for (by the session's method names), and the screens' short names for some.
SESSION_ACTIONS = frozenset(
    {
        "start", "back", "cancel", "touch", "set_lang", "set_elderly", "identify_typed", "choose_service",
        "choose_bundle", "accept_notice", "set_field", "submit_form", "confirm", "receipt", "proceed", "rate",
        "skip_rating", "start_report", "report_unresolved", "finish", "more", "start_appointment", "book",
        "start_ticket", "take_ticket", "reset", "start_bookings", "withdraw_booking", "photograph_materials",
        "add_page", "retake_page", "skip_material", "next_material", "select_material", "capture_problem",
    }
) | {"stop_waiting", "ask_again", "start_progress", "lookup_progress"}  # fmt: skip
ALIASES = {"ticket": "start_ticket", "report": "start_report", "progress": "start_progress"}


class SessionLike(Protocol):
    """What the navigator uses of :class:`kiosk.visit.session.Session`."""

    @property
    def step(self) -> Step: ...
    def view(self) -> SessionView: ...


class Navigator(QObject):
    """Owns the screen widgets (created on first use) inside ``stack`` and keeps them in step with the session.

    ``rendered(view)`` after every render; ``stepped(old, new)`` when the step changed; ``refused(text)`` with
    the plain words of a refused action; ``shell_action(name, args)`` for actions that are not the session's
    (printing), which the shell handles.
    """

    rendered = Signal(object)
    stepped = Signal(object, object)
    refused = Signal(str)
    shell_action = Signal(str, object)

    def __init__(self, session: Any, stack: QStackedWidget, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.stack = stack
        self.ctx = ctx
        self._screens: dict[Step, Screen] = {}
        self._step: Step | None = None
        self.view: SessionView | None = None
        self.last_action = ""  # the session action last dispatched ("" once the voice has used it)
        self.last_render_s = 0.0

    # -- screens ---------------------------------------------------------------------------------------------

    def screen(self, step: Step) -> Screen:
        """The widget of ``step``, created on first use."""
        screen = self._screens.get(step)
        if screen is None:
            screen = SCREENS[step](self.ctx)
            screen.setObjectName(f"screen-{step.value}")
            screen.action.connect(self.dispatch)
            self.stack.addWidget(screen)
            self._screens[step] = screen
        return screen

    def screens(self) -> dict[Step, Screen]:
        """The screens created so far."""
        return dict(self._screens)

    @property
    def current(self) -> Screen | None:
        """The screen on display."""
        return self._screens.get(self._step) if self._step is not None else None

    def rebuild(self, ctx: Context) -> None:
        """Drop every screen (a new theme: elderly mode or orientation) and render again."""
        self.ctx = ctx
        for screen in self._screens.values():
            self.stack.removeWidget(screen)
            screen.clear()
            screen.deleteLater()
        self._screens.clear()
        self._step = None
        self.render()

    def clear_all(self) -> None:
        """Every screen forgets what it showed (the visit ended)."""
        for screen in self._screens.values():
            screen.clear()

    # -- actions and rendering -------------------------------------------------------------------------------

    def dispatch(self, name: str, args: tuple = ()) -> Any:
        """Do action ``name`` with ``args`` for the citizen, then re-render. Returns the session's answer."""
        name = ALIASES.get(name, name)
        if name not in SESSION_ACTIONS:
            self.shell_action.emit(name, tuple(args))
            return None
        screen = self.current
        self.last_action = name  # the voice confirms it with the next screen's prompt
        try:
            result = getattr(self.session, name)(*args)
        except SessionError as exc:
            log.info("action %s refused: %s", name, exc.code)
            self.render()
            if self.view is not None and self.view.message is None:
                self.refused.emit(exc.text.get(self.view.lang))
            return None
        self.refused.emit("")
        if screen is not None and self.session.step == self._step:
            screen.on_result(name, result)
        self.render()
        return result

    def render(self) -> SessionView:
        """Show the session's current view on its screen."""
        started = time.perf_counter()
        view: SessionView = self.session.view()
        old = self._step
        screen = self.screen(view.step)
        if old != view.step:
            screen.entered()
        screen.render(view)
        if self.stack.currentWidget() is not screen:
            self.stack.setCurrentWidget(screen)
        self._step = view.step
        self.view = view
        if old != view.step:
            self.stepped.emit(old, view.step)
        self.rendered.emit(view)
        self.last_render_s = time.perf_counter() - started
        return view

    def message(self, text: Text | None) -> str:
        """A core text in the language shown."""
        return text.get(self.view.lang if self.view else "zh") if text else ""
