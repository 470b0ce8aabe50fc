"""The machinery of a visit: steps, history, idle timeout, failure, and the per-citizen state.

:class:`SessionCore` moves along :data:`kiosk.visit.flow.TRANSITIONS` and owns the one :class:`Visit`
holding everything about the current citizen; :class:`kiosk.visit.session.Session` adds the citizen's actions.
A visit ends (finish, cancel, idle timeout, failure) by replacing the Visit with a fresh one, so nothing
personal outlives it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from kiosk.appointments import (
    BookingLedger,
    BookingRules,
    HallHours,
    KeptBooking,
    LedgerBooking,
    LedgerCancel,
    StoreBookingLedger,
)
from kiosk.capture.page import Page
from kiosk.catalog import Catalog, CatalogError, Text
from kiosk.config import Config
from kiosk.forms import MergedForm
from kiosk.identity import Identity
from kiosk.languages import LANGUAGES
from kiosk.online import VisitAnswers
from kiosk.queue_numbers import TicketNumbering
from kiosk.receipts import AppointmentSlip, QueueTicket, Receipt
from kiosk.store.attachments import AttachmentRef
from kiosk.store.citizen import CitizenRecord
from kiosk.store.models import OutboxEntry, StoreError, new_key
from kiosk.visit.flow import BACK_STEPS, TRANSITIONS, SessionError, Step
from kiosk.visit.view import Chosen, IdleState

log = logging.getLogger(__name__)

HallTicketIssuer = Callable[[str], tuple[str, int | None]]  # department -> (number, waiting ahead); may raise
CatalogSource = Callable[[], Catalog]  # the catalog in force now, e.g. CatalogRepository(data_dir).active

OUT_OF_SERVICE = Text(
    "本机暂停服务，请到其他自助终端或窗口办理。", "This kiosk is out of service. Please use another one."
)

class SessionStore(Protocol):
    """The part of :class:`kiosk.store.Store` a session uses (settings: the booking ledger's reads)."""

    def record_citizen(
        self,
        kind: str,
        build_payload: Callable[[int | None], dict],
        *,
        key: str | None = None,
        personal: bool,
        counter: str | None = None,
        booking: LedgerBooking | LedgerCancel | None = None,
        attachments: Sequence[AttachmentRef] = (),
    ) -> CitizenRecord: ...
    def stage_attachment(self, data: bytes, media_type: str) -> AttachmentRef: ...
    def discard_staged(self, refs: Iterable[AttachmentRef]) -> int: ...
    def get(self, key: str) -> OutboxEntry | None: ...
    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class SessionSettings:
    """The configuration a visit needs."""

    kiosk_id: str
    hall_name: Text
    hotline: str = "12345"
    idle_timeout_s: float = 90.0
    warning_s: float = 20.0
    elderly_idle_timeout_s: float = 180.0
    end_linger_s: float = 5.0  # how long the goodbye screen stays
    hall_hours: HallHours = field(default_factory=HallHours)
    appointment_hours: HallHours = field(default_factory=HallHours)
    booking: BookingRules = field(default_factory=BookingRules)
    lang: str = "zh"
    tickets: TicketNumbering = field(default_factory=TicketNumbering)  # this kiosk's offline queue numbers

    @classmethod
    def from_config(cls, config: Config) -> SessionSettings:
        """Settings from the kiosk config (the hall is closed on the appointment holidays too)."""
        a, h = config.appointment, config.hall_hours
        return cls(
            kiosk_id=config.kiosk.id,
            hall_name=Text(config.kiosk.hall_name, config.kiosk.hall_name_en),
            hotline=config.kiosk.hotline,
            idle_timeout_s=config.session.idle_timeout_s,
            warning_s=config.session.warning_s,
            elderly_idle_timeout_s=config.session.elderly_idle_timeout_s,
            hall_hours=HallHours.from_strings(h.open, h.close, h.weekdays, a.holidays),
            appointment_hours=HallHours.from_strings(a.open, a.close, holidays=a.holidays),
            booking=BookingRules(a.slot_minutes, a.lead_hours, a.days_ahead, a.per_slot, a.cancel_hours),
            lang=config.kiosk.language,
            tickets=TicketNumbering(config.kiosk.position, config.kiosk.hall_kiosks),
        )


@dataclass(repr=False)
class Visit:
    """Everything about the current citizen. Replaced, never edited back to empty, at the end of a visit."""

    lang: str
    started_at: float
    history: list[Step] = field(default_factory=list)
    elderly: bool = False
    identity: Identity | None = None
    card_present: bool = False
    chosen: Chosen | None = None
    form: MergedForm | None = None
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, Text] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    validated: bool = False  # a submit was tried: messages now follow the typing
    reference: str | None = None
    receipt: Receipt | None = None
    department: str | None = None  # of the appointment being booked
    slip: AppointmentSlip | None = None
    withdrawn: KeptBooking | None = None  # the booking just cancelled
    ticket: QueueTicket | None = None
    message: Text | None = None  # why the last action was refused
    answers: VisitAnswers = field(default_factory=VisitAnswers)  # what the hall answered (wiped at the end)
    online: Any = None  # kiosk.visit.online.OnlineState of the step waiting for (or showing) an answer
    record_key: str | None = None  # the outbox key of the submission sent (its delivery shows on screen)
    # The materials photographed (material id -> pages, kiosk.visit.materials): personal, in memory only.
    materials: dict[str, list[Page]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)  # materials the citizen will bring to the window (容缺)
    capturing: str | None = None  # the material being photographed now

    def __repr__(self) -> str:
        return f"Visit(identified={self.identity is not None}, chosen={self.chosen.id if self.chosen else None})"


class SessionCore:
    """The visit state machine without the citizen's actions (see :class:`kiosk.visit.session.Session`)."""

    def __init__(
        self,
        *,
        catalog: Catalog | CatalogSource,
        store: SessionStore,
        clock: Callable[[], float],
        settings: SessionSettings,
        hall_online: Callable[[], bool],
        bookings: BookingLedger | None = None,
        hall_ticket: HallTicketIssuer | None = None,
        camera_ready: Callable[[], bool] | None = None,
    ) -> None:
        """``catalog`` is a fixed Catalog, or a source of the catalog in force, asked between visits (cheap: a
        stat while nothing changed) so a catalog the hall installs reaches the next visit and never the running
        one. ``hall_ticket`` asks the hall for a queue number and must time out quickly; None: kiosk numbers.
        ``camera_ready`` says whether the document camera works now (None: this kiosk has none, so every
        material is brought to the window)."""
        self._catalog_source = None if isinstance(catalog, Catalog) else catalog
        self._catalog = catalog if isinstance(catalog, Catalog) else catalog()
        self._catalog_problem = ""
        self._store = store
        self._clock = clock
        self._settings = settings
        self._hall_online = hall_online
        self._bookings = bookings if bookings is not None else StoreBookingLedger(store)
        self._hall_ticket = hall_ticket
        self._camera_ready = camera_ready or (lambda: False)
        self._step = Step.ATTRACT
        self._oos_reason = ""
        self._entered_at = self._last_activity = clock()
        self._visit = Visit(lang=settings.lang, started_at=self._entered_at)

    # ------------------------------------------------------------------------------------------ machine
    @property
    def step(self) -> Step:
        """The current step."""
        return self._step

    @property
    def catalog(self) -> Catalog:
        """The catalog of the current visit (between visits: the one the next visit starts with, so far)."""
        return self._catalog

    @property
    def lang(self) -> str:
        """The visit's language ("zh" or "en")."""
        return self._visit.lang

    def clear(self) -> None:
        """Drop the visit: every personal field and everything that refers to it (answers' bytes overwritten)."""
        self._visit.answers.clear()
        self._visit = Visit(lang=self._settings.lang, started_at=self._clock())

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), self._settings.hall_hours.tz)

    def _today(self) -> date:
        return self._now().date()

    def available_events(self) -> tuple[str, ...]:
        """The events possible in the current step (plus "back" where it applies)."""
        events = tuple(TRANSITIONS[self._step])
        return (*events, "back") if self._can_go_back() else events

    def _can_go_back(self) -> bool:
        return self._step in BACK_STEPS and bool(self._visit.history)

    def _require(self, event: str) -> None:
        """Raise SessionError unless ``event`` is possible now; counts as citizen activity."""
        if event not in TRANSITIONS[self._step]:
            raise SessionError(
                "invalid_action", Text("当前页面不能进行此操作", f"{event!r} is not possible in step {self._step!s}")
            )
        self._last_activity = self._clock()

    def _refuse(self, code: str, text: Text) -> SessionError:
        """Remember why an action was refused (the view shows it); the error to raise."""
        self._visit.message = text
        return SessionError(code, text)

    def _refresh_catalog(self) -> None:
        """Take up the catalog in force now. Only between visits: a visit keeps the catalog it started with."""
        if self._catalog_source is None:
            return
        try:
            catalog = self._catalog_source()
        except (CatalogError, OSError) as exc:  # keep serving with the catalog in use; say so once
            if str(exc) != self._catalog_problem:
                log.error("cannot read the catalog in force, keeping %s: %s", self._catalog.version, exc)
            self._catalog_problem = str(exc)
            return
        self._catalog_problem = ""
        if catalog is not self._catalog:
            log.info("catalog %s replaces %s between visits", catalog.version, self._catalog.version)
            self._catalog = catalog

    def _go(self, event: str) -> None:
        """Take ``event``'s edge and run the entry rules of the target step."""
        if self._step == Step.ATTRACT:
            self._refresh_catalog()  # a visit starts: it keeps this catalog to its end
        target, history = TRANSITIONS[self._step][event], self._visit.history
        if target in history:  # re-entering a step (e.g. "more" -> choose): forget what came after it
            del history[history.index(target) :]
        elif target not in (Step.TAKE_CARD, Step.END, Step.OUT_OF_SERVICE, Step.ATTRACT):
            history.append(self._step)
        log.info("session %s --%s--> %s", self._step, event, target)
        self._step, self._visit.message, self._entered_at = target, None, self._clock()
        if target == Step.TAKE_CARD and not self._visit.card_present:
            self._go("card_removed")
        elif target in (Step.END, Step.ATTRACT):
            self.clear()
        else:
            self._entered(target)

    def _entered(self, step: Step) -> None:
        """Entry rules of the action steps (overridden by the session)."""

    def _fail(self, reason: str) -> SessionError:
        """The store cannot record anything: drop the visit, go out of service; the error to raise."""
        log.error("session out of service: %s", reason)
        self._step, self._oos_reason, self._entered_at = Step.OUT_OF_SERVICE, reason, self._clock()
        self.clear()
        return SessionError("out_of_service", OUT_OF_SERVICE)

    def _record(
        self,
        kind: str,
        build: Callable[[int | None], dict],
        *,
        personal: bool,
        counter: str | None = None,
        booking: LedgerBooking | LedgerCancel | None = None,
        attachments: Sequence[AttachmentRef] = (),
    ) -> CitizenRecord:
        """Write one citizen record durably, in one transaction with its number (``counter``), ledger entry
        (``booking``) and staged pages (``attachments``); ``build(number)`` makes the payload. A store failure ->
        out of service."""
        try:
            return self._store.record_citizen(
                kind, build, key=new_key(), personal=personal, counter=counter, booking=booking,
                attachments=attachments,
            )  # fmt: skip
        except StoreError as exc:  # disk full or read-only, or a write that failed: nothing was recorded
            raise self._fail(getattr(exc, "reason", str(exc))) from exc

    def _photographed_pages(self) -> Mapping[int, Sequence[tuple[bytes, str]]]:
        """The pages photographed for the application, by the material's index (0-based) in the notice's list:
        (bytes, media type) each. None here; the capture step (``kiosk.visit.capture_step``) provides them."""
        return {}

    def _stage_pages(self, pages: Mapping[int, Sequence[tuple[bytes, str]]]) -> dict[int, list[AttachmentRef]]:
        """Store the pages durably (``Store.stage_attachment``) before the submission names them; a full disk
        or attachment budget -> out of service, as for any record."""
        staged: dict[int, list[AttachmentRef]] = {}
        try:
            for material, items in pages.items():
                for data, media_type in items:
                    staged.setdefault(material, []).append(self._store.stage_attachment(data, media_type))
        except StoreError as exc:
            self._discard([ref for refs in staged.values() for ref in refs])
            raise self._fail(getattr(exc, "reason", str(exc))) from exc
        return staged

    def _discard(self, refs: list[AttachmentRef]) -> None:
        """Pages staged for an application that was not recorded leave the disk (best effort)."""
        try:
            if refs:
                self._store.discard_staged(refs)
        except StoreError:  # the retention sweep removes them later
            log.warning("could not discard %d pages of an unsent application now", len(refs))

    def _reference_counter(self, day: date) -> str:
        """The store counter of reference numbers: one per day."""
        return f"reference:{day.isoformat()}"

    def _reference(self, day: date, number: int | None) -> str:
        """A reference number <kiosk>-<YYMMDD>-<nnnn> (short: printed big)."""
        return f"{self._settings.kiosk_id}-{day:%y%m%d}-{number or 0:04d}"

    # ------------------------------------------------------------------------------------------- idle
    def _idle_limit(self) -> float:
        return self._settings.elderly_idle_timeout_s if self._visit.elderly else self._settings.idle_timeout_s

    def idle_state(self, now: float | None = None) -> IdleState:
        """Whether to show the "are you still there?" countdown, and the whole seconds left."""
        if "timeout" not in TRANSITIONS[self._step]:
            return IdleState(False, None)
        now = self._clock() if now is None else now
        left = max(0.0, self._idle_limit() - (now - self._last_activity))
        return IdleState(left <= self._settings.warning_s, math.ceil(left))

    def touch(self) -> None:
        """The citizen touched the screen (scrolling, "I'm still here"): restart the idle countdown."""
        self._last_activity = self._clock()

    def tick(self, now: float | None = None) -> Step:
        """Let time pass: idle timeout -> END (visit dropped); END lingers, then ATTRACT. Call about 1/s.

        On the attract screen it also takes up a newly installed catalog, so the next visit starts without
        waiting for it to be read and checked."""
        now = self._clock() if now is None else now
        if self._step == Step.ATTRACT:
            self._refresh_catalog()
        if "timeout" in TRANSITIONS[self._step] and now - self._last_activity >= self._idle_limit():
            log.info("session idle for %.0f s in %s", now - self._last_activity, self._step)
            self._go("timeout")
            self._entered_at = now  # the goodbye lingers from the moment the timeout was seen
        elif self._step == Step.END and now - self._entered_at >= self._settings.end_linger_s:
            self._go("reset")
        return self._step

    # -------------------------------------------------------------------------------- navigation actions
    def set_lang(self, lang: str) -> None:
        """Switch the language of the screens and printouts (one of ``kiosk.languages.LANGUAGES``)."""
        if lang not in LANGUAGES:
            raise SessionError("bad_language", Text("不支持该语言", f"unsupported language {lang!r}"))
        self._visit.lang = lang
        self.touch()

    def set_elderly(self, on: bool) -> None:
        """Elderly mode (适老化): the idle timeout gets longer; bigger screens are the UI's business."""
        self._visit.elderly = bool(on)
        self.touch()

    def start(self) -> None:
        """Leave the attract screen to identify."""
        self._require("start")
        self._go("start")

    def back(self) -> None:
        """Return to the previous step; what was chosen after it is forgotten (identity too, back to identify)."""
        if not self._can_go_back():
            raise SessionError("invalid_action", Text("此页面不能返回", f"no way back from step {self._step!s}"))
        self._last_activity = self._clock()
        v = self._visit
        target = v.history.pop()
        log.info("session %s --back--> %s", self._step, target)
        self._step, v.message, self._entered_at = target, None, self._clock()
        if target == Step.ATTRACT:
            self.clear()
        if target == Step.IDENTIFY:
            v.identity, v.card_present = None, False
        if target in (Step.IDENTIFY, Step.CHOOSE):
            v.chosen, v.form, v.values, v.errors, v.validated, v.department = None, None, {}, {}, False, None
            v.materials, v.skipped, v.capturing = {}, set(), None

    def cancel(self) -> None:
        """The citizen gives up: remind them to take their card, then end."""
        self._require("cancel")
        self._go("cancel")

    def card_removed(self) -> None:
        """The card reader saw the card taken away."""
        self._visit.card_present = False
        if self._step == Step.TAKE_CARD:
            self._go("card_removed")

    def reset(self) -> None:
        """Leave the goodbye screen now."""
        self._require("reset")
        self._go("reset")

    def out_of_service(self, reason: str) -> None:
        """Take the kiosk out of service (store failure, technician); the visit is dropped."""
        self._fail(reason)

    def recover(self) -> None:
        """Back in service: to the attract screen."""
        self._require("recover")
        self._oos_reason = ""
        self._go("recover")
