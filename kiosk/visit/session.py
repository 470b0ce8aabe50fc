"""One citizen's visit at the kiosk: the citizen's actions on the visit state machine.

Steps and events are data (:mod:`kiosk.visit.flow`); the machinery (history, idle timeout, failure, the
per-citizen :class:`~kiosk.visit.core.Visit`) is :class:`~kiosk.visit.core.SessionCore`. Every action
checks its event against the table, does its work, durably records what must reach the hall in the store's
outbox, then moves. An action not possible now raises :class:`SessionError` and changes nothing; when the
store cannot write, the session goes out of service. ``view()`` is everything a screen needs, as data.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from kiosk.appointments import Slot, generate_slots, hall_open
from kiosk.catalog import Text
from kiosk.forms import MAX_VALUE_LENGTH, FormError, check_value, locked_keys, merge_forms, prefill
from kiosk.forms import validate as validate_form
from kiosk.identity import IdCheck, Identity, identity_from_id_number, validate_id_number
from kiosk.layout import PrintJob
from kiosk.queue_numbers import department_letters
from kiosk.receipts import (
    AppointmentSlip,
    QueueTicket,
    Receipt,
    appointment_job,
    make_slip,
    notice_job,
    qr_payload,
    receipt_job,
    ticket_job,
)
from kiosk.store.models import STATE_PENDING, StoreError
from kiosk.visit import records as rec
from kiosk.visit.bookings import BookingActions
from kiosk.visit.capture_step import CaptureSteps
from kiosk.visit.core import HallTicketIssuer, SessionSettings, SessionStore, Visit
from kiosk.visit.flow import RATING_LEVELS, RATING_REASONS, REPORT_CATEGORIES, SessionError, Step
from kiosk.visit.online import OnlineVisit, answer_job, answered_online
from kiosk.visit.view import (
    NEEDS_HALL,
    Chosen,
    SessionView,
    chosen_bundle,
    chosen_service,
    field_views,
    offers,
    review_rows,
    review_secrets,
)

__all__ = ["HallTicketIssuer", "Session", "SessionError", "SessionSettings", "SessionStore", "Step", "Visit"]

log = logging.getLogger(__name__)

HALL_CLOSED = Text(
    "大厅窗口未开放，暂不能取号。可以预约到窗口办理。",
    "The hall is closed: no queue numbers now. You can book an appointment instead.",
)
CARD_UNREADABLE = Text(
    "无法识别该证件，请重新放置或输入身份证号码", "This card could not be read. Place it again or type your ID number."
)
CARD_EXPIRED = Text("您的证件已过有效期，请使用有效证件", "Your card has expired. Please use a valid card.")
NOT_AVAILABLE = Text("该事项暂时不能办理", "This item cannot be applied for now.")
CORRECT_MARKED = Text("请按提示修改标红的内容", "Please correct the marked fields.")


class Session(OnlineVisit, BookingActions, CaptureSteps):
    """A citizen's visit. Not thread-safe: call it from the UI thread only.

    Built with ``Session(catalog=, store=, clock=, settings=, hall_online=, bookings=None, hall_ticket=None,
    documents=None, camera_ready=None)``; the online actions (queries, certificates, progress, phone sign-in)
    are :class:`~kiosk.visit.online.OnlineVisit`'s, photographing the materials
    :class:`~kiosk.visit.capture_step.CaptureSteps`'.
    """

    def _entered(self, step: Step) -> None:
        super()._entered(step)
        if step == Step.FORM:
            self._start_form()
        elif step == Step.CAPTURE:
            self._start_capture()

    # ------------------------------------------------------------------------------------- identifying
    def identify_card(self, identity: Identity) -> None:
        """A card was read (on the attract or identify screen). Expired or unreadable cards are refused."""
        if not isinstance(identity, Identity):
            kind = type(identity).__name__
            raise SessionError("bad_value", Text("无法识别该证件", f"expected an Identity, got {kind}"))
        if self._step == Step.ATTRACT:
            self._check_card(identity)
            self._go("start")
        self._require("card")
        self._check_card(identity)
        self._visit.identity, self._visit.card_present = identity, True
        self._go("card")

    def _check_card(self, identity: Identity) -> None:
        if not identity.from_card:
            raise SessionError("not_a_card", Text("请放置证件", "typed identities go through identify_typed"))
        if not validate_id_number(identity.id_number, self._today()).ok:
            raise self._refuse("card_invalid", CARD_UNREADABLE)
        if identity.expired(self._today()):
            raise self._refuse("card_expired", CARD_EXPIRED)

    def identify_typed(self, id_number: str) -> IdCheck:
        """The citizen typed their ID number; when it is valid go on to choose. Returns the check either way."""
        self._require("typed")
        check = validate_id_number(id_number, self._today())
        if not check.ok:
            self._visit.message = check.message
            return check
        self._visit.identity = identity_from_id_number(id_number, self._today())
        self._visit.card_present = False
        self._go("typed")
        return check

    # ------------------------------------------------------------------------------ choosing and the form
    def choose_service(self, service_id: str) -> None:
        """Apply for one service (its one-time notice comes next)."""
        self._require("service")
        service = self._catalog.services.get(service_id)
        if service is None or not service.standalone:
            raise self._refuse("unknown_item", Text("没有这个事项", f"no such service: {service_id!r}"))
        self._choose(chosen_service(service), "service")

    def choose_bundle(self, bundle_id: str) -> None:
        """Apply for a "one thing" bundle: one notice, one form, one set of materials."""
        self._require("bundle")
        bundle = self._catalog.bundles.get(bundle_id)
        if bundle is None or any(s not in self._catalog.services for s in bundle.services):
            raise self._refuse("unknown_item", Text("没有这个事项", f"no such bundle: {bundle_id!r}"))
        self._choose(chosen_bundle(bundle, tuple(self._catalog.services[s] for s in bundle.services)), "bundle")

    def _choose(self, chosen: Chosen, event: str) -> None:
        if chosen.online_only and not self._hall_online():
            raise self._refuse("needs_hall", NEEDS_HALL)
        self._check_documents(chosen)
        try:
            form = merge_forms(chosen.services)
        except FormError as exc:
            log.error("catalog error in %s %s: %s", chosen.kind, chosen.id, exc)
            raise self._refuse("catalog_error", NOT_AVAILABLE) from exc
        v = self._visit
        v.chosen, v.form, v.values, v.errors, v.validated = chosen, form, {}, {}, False
        v.materials, v.skipped, v.capturing = {}, set(), None
        self._go(event)

    def accept_notice(self) -> None:
        """The citizen has read the one-time notice: on to the form."""
        self._require("accept")
        self._check_assurance()  # a typed ID number reads every notice, but goes no further with personal data
        self._go("accept")

    def _start_form(self) -> None:
        """Entering the form: identity values prefilled (card ones locked), typed ones kept (after back)."""
        v = self._visit
        assert v.form is not None
        v.locked = locked_keys(v.form, v.identity)
        v.values = {**prefill(v.form, v.identity), **{k: x for k, x in v.values.items() if k not in v.locked}}

    def set_field(self, key: str, value: str) -> Text | None:
        """Set one form value; returns its message, if any (kept for the view once a submit was tried)."""
        if self._step != Step.FORM:
            raise SessionError("invalid_action", Text("当前页面不能填写", f"no form in step {self._step!s}"))
        self.touch()
        v = self._visit
        assert v.form is not None
        if key not in v.form.keys:
            raise SessionError("unknown_field", Text("没有这一项", f"no field {key!r} in this form"))
        if key in v.locked:
            raise self._refuse("locked_field", Text("此项由证件读取，不能修改", "This was read from your card."))
        if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
            raise SessionError("bad_value", Text("输入内容过长", "the value must be text of sensible length"))
        v.values[key] = value
        message = check_value(v.form.field(key), value, self._today())
        if v.validated:  # after a failed submit, messages follow the typing; before, they would nag
            if message is None:
                v.errors.pop(key, None)
            else:
                v.errors[key] = message
            if not v.errors and v.message == CORRECT_MARKED:
                v.message = None  # every marked field is fixed: the request to fix them goes too
        return message

    def submit_form(self) -> dict[str, Text] | None:
        """Check the form: the messages per field (staying on the form), or None (on to review)."""
        self._require("submit")
        v = self._visit
        assert v.form is not None
        v.validated = True
        v.errors = validate_form(v.form, v.values, self._today())
        if v.errors:
            v.message = CORRECT_MARKED
            return dict(v.errors)
        self._go("ask" if answered_online(v.chosen) else "submit")  # a query or certificate is answered at once
        return None

    def confirm(self) -> str:
        """Send the application (from the review, or after photographing the materials): recorded durably in
        the outbox, receipt prepared; the materials not photographed are to be brought. Returns the reference."""
        self._require("confirm")
        v = self._visit
        assert v.chosen is not None and v.identity is not None
        online = self._hall_online()
        if v.chosen.online_only and not online:
            raise self._refuse("needs_hall", NEEDS_HALL)
        now = self._now()
        day = now.date()

        def build(number: int | None) -> dict:
            return rec.submission_payload(
                kiosk_id=self._settings.kiosk_id, reference=self._reference(day, number), chosen=v.chosen,
                values=v.values, identity=v.identity, catalog_version=self._catalog.version, now=now, lang=v.lang,
                pages=pages,
            )

        pages = self._stage_pages(self._photographed_pages())  # durable before the row names them
        refs = [ref for _, staged in sorted(pages.items()) for ref in staged]
        try:
            record = self._record(
                "submission", build, personal=True, counter=self._reference_counter(day), attachments=refs
            )
        except SessionError:
            self._discard(refs)  # not sent: the pages leave the disk now (else the retention sweep takes them)
            raise
        reference, key = self._reference(day, record.number), record.entry.key
        v.reference, v.record_key = reference, key
        v.receipt = rec.build_receipt(
            reference=reference, kiosk_id=self._settings.kiosk_id, hall_name=self._settings.hall_name,
            chosen=v.chosen, now=now, qr=self._qr(reference, key), queued_offline=not online,
            hotline=self._settings.hotline, pages=v.materials,
        )
        self._go("confirm")
        return reference

    def delivered_to_hall(self) -> bool | None:
        """Whether the hall has acknowledged the application just sent (with every page): None before one is
        sent; False while it waits on this kiosk (offline, or on its way)."""
        key = self._visit.record_key
        if key is None:
            return None
        try:
            entry = self._store.get(key)
        except StoreError:
            return False
        return entry is not None and entry.state != STATE_PENDING

    def _qr(self, reference: str, key: str) -> str:
        return qr_payload(self._settings.kiosk_id, reference, key)

    def receipt(self) -> Receipt:
        """Show (and let the UI print) the receipt of the application just sent."""
        self._require("receipt")
        assert self._visit.receipt is not None
        receipt = self._visit.receipt
        self._go("receipt")
        return receipt

    def proceed(self) -> None:
        """From the receipt on to the rating."""
        self._require("next")
        self._go("next")

    # ------------------------------------------------------------------------- rating, report, finishing
    def rate(self, level: int, reasons: list[str] | tuple[str, ...] = ()) -> None:
        """Rate the visit (5 非常满意 ... 1 非常不满意); ratings 1-2 need at least one reason."""
        self._require("rate")
        checked = rec.check_rating(level, list(reasons))
        v = self._visit
        payload = rec.rating_payload(
            kiosk_id=self._settings.kiosk_id, reference=v.reference or "", chosen=v.chosen, level=level,
            reasons=checked, now=self._now(), lang=v.lang,
        )
        self._record("rating", lambda _: payload, personal=False)
        self._go("rate")

    def skip_rating(self) -> None:
        """No rating this time."""
        self._require("skip")
        self._go("skip")

    def start_report(self) -> None:
        """Open the 办不成事 form (from attract or choose)."""
        self._require("report")
        self._go("report")

    def report_unresolved(self, category: str, text: str = "", phone: str = "") -> str:
        """Report that the matter could not be done here (办不成事); returns the report's reference."""
        self._require("send")
        text, phone = rec.check_report(category, text, phone)
        v = self._visit
        now = self._now()
        day = now.date()

        def build(number: int | None) -> dict:
            return rec.report_payload(
                kiosk_id=self._settings.kiosk_id, reference=self._reference(day, number), category=category,
                text=text, phone=phone, identity=v.identity, chosen=v.chosen, now=now, lang=v.lang,
            )

        personal = v.identity is not None or bool(phone)
        record = self._record("report", build, personal=personal, counter=self._reference_counter(day))
        reference = v.reference = self._reference(day, record.number)
        self._go("send")
        return reference

    def finish(self) -> None:
        """Done (after an appointment, ticket or report): take the card, goodbye."""
        self._require("finish")
        self._go("finish")

    def more(self) -> None:
        """After booking: back to the choose screen for something else."""
        self._require("more")
        self._go("more")

    # ----------------------------------------------------------------------------- appointments, tickets
    def start_appointment(self, department: str) -> None:
        """Book a window appointment with ``department`` (a key of the catalog's departments)."""
        self._require("appointment")
        if department not in self._catalog.departments:
            raise self._refuse("unknown_department", Text("没有这个部门", f"no department {department!r}"))
        self._visit.department = department
        self._go("appointment")

    def appointment_slots(self) -> list[Slot]:
        """The slots that can be booked now, minus days the citizen already has a booking on."""
        if self._step != Step.APPOINTMENT:
            raise SessionError("invalid_action", Text("当前页面不能预约", f"no booking in step {self._step!s}"))
        identity = self._visit.identity
        assert identity is not None
        slots = generate_slots(self._now(), self._settings.appointment_hours, self._settings.booking, self._bookings)
        days = {s.start.date() for s in slots}
        booked_days = {d for d in days if self._bookings.has_booking(identity.id_number, d)}
        return [s for s in slots if s.start.date() not in booked_days]

    def book(self, slot: Slot) -> AppointmentSlip:
        """Book ``slot`` (one of :meth:`appointment_slots`); returns the appointment slip."""
        self._require("book")
        if not isinstance(slot, Slot):
            raise SessionError("bad_value", Text("请选择一个时段", f"expected a Slot, got {type(slot).__name__}"))
        v = self._visit
        assert v.identity is not None and v.department is not None
        current = {s.start: s for s in self.appointment_slots()}.get(slot.start)
        if current is None:
            raise self._refuse("slot_gone", Text("该时段已不可预约，请另选", "This time is no longer available."))
        if current.remaining <= 0:
            raise self._refuse("slot_full", Text("该时段已约满，请另选", "This time is fully booked."))
        now = self._now()
        day, department, identity = now.date(), v.department, v.identity

        def build(number: int | None) -> dict:
            return rec.appointment_payload(
                kiosk_id=self._settings.kiosk_id, reference=self._reference(day, number), department=department,
                slot=current, identity=identity, now=now, lang=v.lang,
            )

        # The ledger entry (slot count, the person's day) commits with the row and its reference number.
        # ... and the booking is kept under that reference, so its holder can cancel it here later.
        booking = self._bookings.booking(
            identity.id_number, current.start, day, end=current.end, department=department
        )
        record = self._record(
            "appointment", build, personal=True, counter=self._reference_counter(day), booking=booking
        )
        reference, key = self._reference(day, record.number), record.entry.key
        v.slip = make_slip(
            reference=reference, start=current.start, end=current.end,
            department=self._catalog.departments[v.department], name=v.identity.name or "—",
            id_number=v.identity.id_number, kiosk_id=self._settings.kiosk_id, hall_name=self._settings.hall_name,
            qr=self._qr(reference, key),
        )
        v.reference = reference
        self._go("book")
        return v.slip

    def start_ticket(self) -> None:
        """Open the queue-ticket screen; only while the hall's windows are open."""
        self._require("ticket")
        if not hall_open(self._now(), self._settings.hall_hours):
            raise self._refuse("hall_closed", HALL_CLOSED)
        self._go("ticket")

    def take_ticket(self, department: str) -> QueueTicket:
        """Take a queue number for ``department``: from the hall when online, else a kiosk-prefixed one."""
        self._require("take")
        if department not in self._catalog.departments:
            raise self._refuse("unknown_department", Text("没有这个部门", f"no department {department!r}"))
        now = self._now()
        if not hall_open(now, self._settings.hall_hours):
            raise self._refuse("hall_closed", HALL_CLOSED)
        issued = self._hall_number(department)
        offline = issued is None
        hall_number, waiting = (None, None) if issued is None else issued
        letter = department_letters(self._catalog.departments)[department]

        def ticket_number(n: int | None) -> str:  # the hall's, or (offline) this kiosk's share: "A023"
            return hall_number if hall_number is not None else self._settings.tickets.number(letter, n or 0)

        def build(n: int | None) -> dict:
            return rec.ticket_payload(
                kiosk_id=self._settings.kiosk_id, number=ticket_number(n), department=department, offline=offline,
                waiting_ahead=waiting, now=now, lang=self._visit.lang,
            )

        counter = f"ticket:{now.date().isoformat()}:{letter}" if offline else None
        record = self._record("ticket", build, personal=False, counter=counter)
        number, key = ticket_number(record.number), record.entry.key
        self._visit.ticket = QueueTicket(
            number=number, department=self._catalog.departments[department], issued_at=now,
            kiosk_id=self._settings.kiosk_id, hall_name=self._settings.hall_name, qr=self._qr(number, key),
            offline=offline, waiting_ahead=waiting,
        )
        self._go("take")
        return self._visit.ticket

    def _hall_number(self, department: str) -> tuple[str, int | None] | None:
        """A hall-issued number, or None (offline, no issuer, or the hall did not answer in time)."""
        if self._hall_ticket is None or not self._hall_online():
            return None
        try:
            return self._hall_ticket(department)
        except Exception:  # the hall link may fail in any way; the kiosk number is the fallback
            log.warning("hall ticket request failed; issuing a kiosk number", exc_info=True)
            return None

    # --------------------------------------------------------------------------------------- printing
    def document(self) -> PrintJob | None:
        """The printable of the current step: notice, receipt, slip or ticket (None when there is none)."""
        v, lang = self._visit, self._visit.lang
        if self._step == Step.NOTICE and v.chosen is not None:
            return notice_job(v.chosen.name, v.chosen.notice, lang, self._settings.hall_name)
        if self._step in (Step.SUBMITTED, Step.RECEIPT) and v.receipt is not None:
            # "Sent to the service center" only once the hall acknowledged it; until then "saved here".
            return receipt_job(replace(v.receipt, queued_offline=not self.delivered_to_hall()), lang)
        if self._step == Step.APPOINTMENT_DONE and v.slip is not None:
            return appointment_job(v.slip, lang)
        if self._step == Step.TICKET_DONE and v.ticket is not None:
            return ticket_job(v.ticket, lang)
        answer = self._online_view()
        if self._step == Step.ANSWER and answer is not None and answer.tables:
            return answer_job(answer.tables, lang, self._settings.hall_name)
        return None

    # ------------------------------------------------------------------------------------------- view
    def view(self) -> SessionView:
        """A plain-data snapshot of everything the current screen shows or decides."""
        v, step = self._visit, self._step
        online = self._hall_online()
        form_steps = (Step.FORM, Step.REVIEW)
        dept = self._catalog.departments.get(v.department) if v.department else None
        return SessionView(
            step=step, events=self.available_events(), lang=v.lang, elderly=v.elderly, idle=self.idle_state(),
            hall_online=online, ticket_available=hall_open(self._now(), self._settings.hall_hours),
            message=v.message,
            greeting_name=v.identity.name if v.identity else "",
            identity_source=v.identity.source if v.identity else None,
            offers=offers(self._catalog, online, self.documents_problem()) if step == Step.CHOOSE else (),
            departments=tuple(self._catalog.departments.items()),
            chosen=v.chosen,
            notice=v.chosen.notice if v.chosen else None,
            fields=field_views(v.form, v.values, v.errors, v.locked) if v.form and step in form_steps else (),
            review=review_rows(v.form, v.values) if v.form and step == Step.REVIEW else (),
            review_masked=review_secrets(v.form, v.values) if v.form and step == Step.REVIEW else (),
            capture=self._capture_view(),
            photograph_next=step == Step.REVIEW and self._can_photograph(),
            reference=v.reference,
            receipt=v.receipt,
            materials_to_bring=v.receipt.materials if v.receipt else (),
            slots=tuple(self.appointment_slots()) if step == Step.APPOINTMENT else (),
            appointment_department=dept,
            slip=v.slip,
            bookings=tuple(self.my_bookings()) if step == Step.BOOKINGS else (),
            withdrawn=v.withdrawn,
            ticket=v.ticket,
            rating_levels=tuple(RATING_LEVELS.items()) if step == Step.RATE else (),
            rating_reasons=tuple(RATING_REASONS.items()) if step == Step.RATE else (),
            report_categories=tuple(REPORT_CATEGORIES.items()) if step == Step.REPORT else (),
            out_of_service_reason=self._oos_reason,
            online=self._online_view(),
            delivered_to_hall=self.delivered_to_hall() if step in (Step.SUBMITTED, Step.RECEIPT) else None,
        )
