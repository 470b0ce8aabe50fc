"""Plain-data snapshots of a visit for the UI, and the catalog item a citizen chose.

The shell is a pure view: it renders :class:`SessionView` and calls :class:`kiosk.visit.session.Session` actions.
Nothing here refers back to the session, so a view can be kept, compared or printed safely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from kiosk.appointments import KeptBooking, Slot
from kiosk.catalog import Bundle, Catalog, Choice, Material, Notice, Service, Text, strictest_assurance
from kiosk.forms import MergedForm, display_value
from kiosk.identity import NATIONS, mask_id_number
from kiosk.receipts import AppointmentSlip, QueueTicket, Receipt
from kiosk.visit.flow import Step
from kiosk.visit.materials import CaptureView

if TYPE_CHECKING:
    from kiosk.visit.online import OnlineView


@dataclass(frozen=True)
class Chosen:
    """The service or bundle the citizen is applying for."""

    kind: str  # "service" | "bundle"
    id: str
    name: Text
    services: tuple[Service, ...]
    notice: Notice  # for a bundle: its materials plus the services' conditions, limits, fees
    online_only: bool
    assurance: str = "card"  # the weakest identity accepted past the notice (a bundle: its strictest service's)

    @property
    def service_ids(self) -> tuple[str, ...]:
        """Ids of the services applied for, in handling order."""
        return tuple(s.id for s in self.services)


def _joined(services: tuple[Service, ...], part: str) -> Text:
    """One notice part of several services, one line per service: "service name：text"."""
    lines = [(s.name, getattr(s.notice, part)) for s in services]
    return Text(
        "\n".join(f"{name.zh}：{t.zh}" for name, t in lines),
        "\n".join(f"{name.en or name.zh}: {t.en or t.zh}" for name, t in lines),
    )


def bundle_notice(bundle: Bundle, services: tuple[Service, ...]) -> Notice:
    """The one-time notice of a bundle: its one set of materials, and each service's terms."""
    basis: list[Text] = []
    for s in services:
        basis += [b for b in s.notice.basis if b not in basis]
    return Notice(
        materials=bundle.materials,
        basis=tuple(basis),
        conditions=_joined(services, "conditions"),
        time_limit=_joined(services, "time_limit"),
        fee=_joined(services, "fee"),
        result=_joined(services, "result"),
    )


def chosen_service(service: Service) -> Chosen:
    """A single service as the chosen item."""
    return Chosen(
        "service", service.id, service.name, (service,), service.notice, service.online_only, service.assurance
    )


def chosen_bundle(bundle: Bundle, services: tuple[Service, ...]) -> Chosen:
    """A bundle as the chosen item (online-only when any of its services is)."""
    online_only = any(s.online_only for s in services)
    notice = bundle_notice(bundle, services)
    return Chosen("bundle", bundle.id, bundle.name, services, notice, online_only, strictest_assurance(services))


@dataclass(frozen=True)
class Offer:
    """A service or bundle on the choose screen, and whether it can be chosen now."""

    kind: str  # "service" | "bundle"
    id: str
    name: Text
    department: Text | None  # None for bundles (they span departments)
    available: bool
    reason: Text | None  # why not, when not available
    department_id: str = ""  # key of Catalog.departments ("" for bundles)


NEEDS_HALL = Text(
    "该事项需联网办理，目前与政务服务中心的连接中断，请稍后再试，或预约到窗口办理。",
    "This service needs the service center's network, which is down now. Try later or book a window appointment.",
)


def offers(catalog: Catalog, hall_online: bool, documents: Text | None = None) -> tuple[Offer, ...]:
    """Bundles first (by their number), then standalone services, each marked available or not; ``documents``
    is why no certificate can be printed now (None: they can), which greys the services that print one."""
    out = []
    for b in sorted(catalog.bundles.values(), key=lambda b: (b.number, b.id)):
        available, reason = _availability(catalog, b.services, hall_online, documents)
        out.append(Offer("bundle", b.id, b.name, None, available, reason))
    for s in catalog.services.values():
        if s.standalone:
            available, reason = _availability(catalog, (s.id,), hall_online, documents)
            dept = catalog.departments.get(s.department)
            out.append(Offer("service", s.id, s.name, dept, available, reason, department_id=s.department))
    return tuple(out)


def _availability(
    catalog: Catalog, service_ids: tuple[str, ...], hall_online: bool, documents: Text | None = None
) -> tuple[bool, Text | None]:
    services = [catalog.services[i] for i in service_ids if i in catalog.services]
    if any(s.online_only for s in services) and not hall_online:
        return False, NEEDS_HALL
    printed_here = services and all(s.query or s.prints_document for s in services)  # answered at once
    if documents is not None and printed_here and any(s.prints_document for s in services):
        return False, documents
    return True, None


@dataclass(frozen=True)
class FieldView:
    """One form field as the form screen shows it."""

    key: str
    label: Text
    kind: str
    required: bool
    choices: tuple[Choice, ...]
    help: Text | None
    max_length: int | None
    value: str = field(repr=False)  # personal: never in a log line
    error: Text | None
    locked: bool  # came from a card: shown, not editable
    pattern: str | None = None  # regex the value must match (input hints)


def field_views(
    form: MergedForm, values: Mapping[str, str], errors: Mapping[str, Text], locked: frozenset[str]
) -> tuple[FieldView, ...]:
    """The form's fields with their current values, messages and lock state."""
    return tuple(
        FieldView(
            key=f.key, label=f.label, kind=f.kind, required=f.required, choices=f.choices, help=f.help,
            max_length=f.max_length, value=values.get(f.key, ""), error=errors.get(f.key), locked=f.key in locked,
            pattern=f.pattern,
        )
        for f in form.fields
    )


def review_rows(form: MergedForm, values: Mapping[str, str]) -> tuple[tuple[Text, Text], ...]:
    """(label, value as read) for every filled field, in form order, for the review screen; an ethnic group
    typed in Chinese (蒙古族) reads in English too (Mongol)."""
    return tuple(
        (f.label, _nation(display_value(f, values[f.key]))) for f in form.fields if values.get(f.key, "").strip()
    )


def _nation(value: Text) -> Text:
    """``value`` with its English from the ethnic groups' table when it names one."""
    found = next((t for t in NATIONS.values() if t.zh == value.zh.strip()), None)
    return Text(value.zh, found.en) if found is not None and value.en == value.zh else value


SECRET_KINDS = frozenset({"id_number", "phone"})  # shown masked on screen (as on the slip) until tapped


def mask_value(kind: str, value: str) -> str:
    """How a value of ``kind`` shows before the citizen taps to see it: ID numbers as the slip prints them
    (1506**********1235), phone numbers with the middle four hidden (139****1234); anything else as it is."""
    v = value.strip()
    if kind == "id_number":
        return mask_id_number(v)
    if kind == "phone":
        return v[:3] + "****" + v[7:] if len(v) >= 11 else "*" * len(v)
    return v


def review_secrets(form: MergedForm, values: Mapping[str, str]) -> tuple[str, ...]:
    """For each row of :func:`review_rows`: its value masked when its kind is secret, else ""."""
    return tuple(
        mask_value(f.kind, values[f.key]) if f.kind in SECRET_KINDS else ""
        for f in form.fields
        if values.get(f.key, "").strip()
    )


class IdleState(NamedTuple):
    """Idle timeout state (a ``(warning, seconds_left)`` tuple): show the countdown when ``warning`` is True."""

    warning: bool
    seconds_left: int | None  # None when no timeout runs in this step


@dataclass(frozen=True)
class SessionView:
    """Everything the current screen shows or decides, as plain data."""

    step: Step
    events: tuple[str, ...]  # actions possible now ("back" included when it is)
    lang: str
    elderly: bool
    idle: IdleState
    hall_online: bool
    ticket_available: bool  # the hall is open: queue tickets can be taken
    message: Text | None  # why the last action was refused (cleared by the next successful action)
    greeting_name: str = field(default="", repr=False)  # the citizen's name ("" when none); kept out of reprs
    identity_source: str | None = None  # id_card | sscard | typed
    offers: tuple[Offer, ...] = ()
    departments: tuple[tuple[str, Text], ...] = ()
    chosen: Chosen | None = None
    notice: Notice | None = None
    fields: tuple[FieldView, ...] = ()
    review: tuple[tuple[Text, Text], ...] = field(default=(), repr=False)
    review_masked: tuple[str, ...] = field(default=(), repr=False)  # per review row: masked value, "" if none
    capture: CaptureView | None = None  # the capture step: materials, pages, the camera
    photograph_next: bool = False  # on the review: the materials can be photographed before sending
    reference: str | None = None
    receipt: Receipt | None = None
    materials_to_bring: tuple[Material, ...] = ()  # not photographed here: still to bring to the window
    slots: tuple[Slot, ...] = ()
    appointment_department: Text | None = None
    slip: AppointmentSlip | None = None
    bookings: tuple[KeptBooking, ...] = ()  # the citizen's bookings made at this kiosk (to cancel one)
    withdrawn: KeptBooking | None = None  # the booking just cancelled
    ticket: QueueTicket | None = None
    rating_levels: tuple[tuple[int, Text], ...] = ()
    rating_reasons: tuple[tuple[str, Text], ...] = ()
    report_categories: tuple[tuple[str, Text], ...] = ()
    out_of_service_reason: str = ""
    online: OnlineView | None = None  # a department's answer, a progress lookup, a phone sign-in (or waiting)
    # The application of this visit: None before one is sent; False saved on this kiosk and not yet acknowledged
    # by the hall (offline, or still on its way); True received by the hall, with every page (say so only then).
    delivered_to_hall: bool | None = None
