"""Real citizen records for the tests: a scripted visit through the real Session, and the same builders in bulk.

The hall validates every citizen record against its schema (``sync/schemas/up-<kind>.json``), so tests that
send records through a hall must send real ones. ``visit`` writes one record of each kind through
:class:`kiosk.visit.session.Session` into a store (as the screen process does), ``other_visits`` the other
branches; ``submission``, ``appointment``, ``ticket`` and ``rating`` build records with the same functions the
session uses (``kiosk/visit/records.py``), numbered ``n`` through the reference, for tests that need thousands.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from kiosk.appointments import CHINA_TZ, Slot
from kiosk.catalog import Catalog, FieldSpec, Text, load_catalog, shipped_catalog_path
from kiosk.demo import sample_identity
from kiosk.forms import check_value, merge_forms, prefill
from kiosk.identity import check_digit
from kiosk.visit import records
from kiosk.visit.session import Session, SessionSettings, SessionStore, Step
from kiosk.visit.view import FieldView, chosen_bundle, chosen_service

KIOSK_ID = "KSK-0001"
# A Thursday morning: the hall's windows are open (tickets), and appointment slots lie ahead.
VISIT_TIME = datetime(2026, 3, 5, 10, 0, tzinfo=CHINA_TZ)
SERVICE = "mediation_application"  # a standalone service of the shipped catalog
BUNDLE = "newborn"  # 新生儿出生, the first row of seed 004's table A.1
DEPARTMENT = "civil_affairs"
REPORT_TEXT = "想办理独生子女父母奖励，自助机上没有找到这个事项。"
PHONE = "13912345678"


@cache
def shipped_catalog() -> Catalog:
    """The catalog the kiosk ships with."""
    return load_catalog(shipped_catalog_path())


def _valid_id(first17: str) -> str:
    return first17 + check_digit(first17)


# Values a citizen would type, by field key (the shipped newborn bundle), then by kind; the form checks decide.
_BY_KEY = {
    "child_name": "王小禾", "spouse_name": "李示范", "household_head_name": "李示范",
    "spouse_id_number": _valid_id("15060219880512131"), "child_nation": "蒙古族",
    "birth_institution": "鄂尔多斯市中心医院", "birth_certificate_number": "O150123456",
    "marriage_certificate_number": "J150602-2015-001234", "opposing_party_name": "赵某某",
    "matter_description": "邻里之间因停车位发生纠纷，希望调解。",
}
_BY_KIND = {
    "name": "王示例", "id_number": _valid_id("15060219880512131"), "phone": PHONE,
    "address": "内蒙古自治区鄂尔多斯市东胜区示例路1号", "text": "示例",
}


def _value_for(spec: FieldSpec, today: date) -> str:
    candidates = [_BY_KEY.get(spec.key, ""), *(c.value for c in spec.choices), _BY_KIND.get(spec.kind, "")]
    if spec.kind == "date":
        candidates.append((today - timedelta(days=7)).isoformat())
    if spec.kind == "number":
        candidates.append(str(today.year))
    for value in candidates:
        if value and check_value(spec, value, today) is None:
            return value
    raise AssertionError(f"no test value fits form field {spec.key!r} ({spec.kind})")


@cache
def _typed_value(spec: FieldSpec) -> str:
    return _value_for(spec, VISIT_TIME.date())


def _spec(f: FieldView) -> FieldSpec:
    return FieldSpec(f.key, f.label, kind=f.kind, required=f.required, choices=f.choices, max_length=f.max_length,
                     pattern=f.pattern)


def fill_form(session: Session) -> None:
    """Fill every empty required field with a value the form accepts, as a citizen would."""
    today = VISIT_TIME.date()
    for f in session.view().fields:
        if f.required and not f.locked and not f.value:
            session.set_field(f.key, _value_for(_spec(f), today))


def settings(kiosk_id: str = KIOSK_ID) -> SessionSettings:
    """Session settings of a test kiosk (default hall hours and booking rules)."""
    return SessionSettings(kiosk_id=kiosk_id, hall_name=Text("测试大厅", "Test hall"))


def visit(store: SessionStore, kiosk_id: str = KIOSK_ID) -> dict[str, str]:
    """Four citizens at the kiosk, writing one record of each kind into ``store``; their references by kind.

    1. Card, the newborn bundle through the form to the receipt, then a bad rating with reasons.
    2. Card, a window appointment.  3. A queue ticket (no hall ticket service: a kiosk number).
    4. No identification, a 办不成事 report with a phone number for a call back.
    """
    clock = VISIT_TIME.timestamp
    s = Session(catalog=shipped_catalog(), store=store, clock=clock, settings=settings(kiosk_id),
                hall_online=lambda: True)
    refs: dict[str, str] = {}
    s.identify_card(sample_identity())
    s.choose_bundle(BUNDLE)
    s.accept_notice()
    fill_form(s)
    errors = s.submit_form()
    assert errors is None, {k: t.en for k, t in errors.items()}
    refs["submission"] = s.confirm()
    s.receipt()
    s.proceed()
    s.rate(2, ["slow", "unclear"])
    refs["rating"] = refs["submission"]
    s.card_removed()
    s.reset()

    s.identify_card(sample_identity())
    s.start_appointment(DEPARTMENT)
    slot = next(slot for slot in s.appointment_slots() if slot.remaining > 0)
    refs["appointment"] = s.book(slot).reference
    s.finish()
    s.card_removed()
    s.reset()

    s.start_ticket()
    refs["ticket"] = s.take_ticket(DEPARTMENT).number
    s.finish()
    s.reset()

    s.start_report()
    refs["report"] = s.report_unresolved("not_found", REPORT_TEXT, PHONE)
    s.finish()
    s.reset()
    assert s.step == Step.ATTRACT
    return refs


def other_visits(store: SessionStore, kiosk_id: str = KIOSK_ID) -> None:
    """The other branches of the records, written into ``store`` through the Session:

    1. A typed ID number, one service, a neutral rating with a reason.
    2. Card, then a 办不成事 report of category "other" (names the citizen: they identified themselves).
    3. A queue number from the hall's ticket service (the issuer a Session is given), with the queue length.
    """
    clock = VISIT_TIME.timestamp
    # The shipped catalog no longer lets a typed ID number past a personal application's notice (identity
    # assurance); records from kiosks with an older catalog still carry "typed" identities, and the hall must take
    # them, so visit 1 runs on a copy of the catalog whose SERVICE accepts a typed number.
    catalog = shipped_catalog()
    typed_ok = dataclasses.replace(catalog.services[SERVICE], assurance="typed")
    catalog = dataclasses.replace(catalog, services={**catalog.services, SERVICE: typed_ok})
    s = Session(catalog=catalog, store=store, clock=clock, settings=settings(kiosk_id),
                hall_online=lambda: True, hall_ticket=lambda department: ("A023", 4))
    s.start()
    s.identify_typed(sample_identity().id_number)
    s.choose_service(SERVICE)
    s.accept_notice()
    fill_form(s)
    errors = s.submit_form()
    assert errors is None, {k: t.en for k, t in errors.items()}
    s.confirm()
    s.receipt()
    s.proceed()
    s.rate(3, ["other"])
    s.reset()

    s.identify_card(sample_identity())
    s.start_report()
    s.report_unresolved("other", "窗口说需要的证明自助机上开不出来。")
    s.finish()
    s.card_removed()
    s.reset()

    s.start_ticket()
    assert s.take_ticket(DEPARTMENT).number == "A023"
    s.finish()
    s.reset()
    assert s.step == Step.ATTRACT


# ------------------------------------------------------------------------------------------ in bulk


def reference(n: int, kiosk_id: str = KIOSK_ID) -> str:
    """The ``n``-th reference number of the visit day."""
    return f"{kiosk_id}-{VISIT_TIME:%y%m%d}-{n:04d}"


def number(payload: dict[str, Any]) -> int:
    """``n`` back from a record built by :func:`submission`, :func:`rating` (or a ticket: its number)."""
    reference = payload["reference"]
    return int(reference.rsplit("-", 1)[1] if "-" in reference else reference[1:])  # a ticket: "B007"


def submission(n: int, kiosk_id: str = KIOSK_ID, name: str | None = None) -> dict[str, Any]:
    """The ``n``-th application (a single service, card identity; ``name`` replaces the card's name)."""
    identity = sample_identity()
    if name is not None:
        identity = dataclasses.replace(identity, name=name)
    service = shipped_catalog().services[SERVICE]
    form = prefill(merge_forms([service]), identity)  # what the card fills in; the citizen types the rest
    for spec in service.fields:
        if spec.required and spec.key not in form:
            form[spec.key] = _typed_value(spec)
    return records.submission_payload(
        kiosk_id=kiosk_id, reference=reference(n, kiosk_id), chosen=chosen_service(service), values=form,
        identity=identity, catalog_version=shipped_catalog().version, now=VISIT_TIME, lang="zh",
    )


def rating(n: int, kiosk_id: str = KIOSK_ID) -> dict[str, Any]:
    """A 非常满意 rating of the ``n``-th application (the newborn bundle)."""
    catalog = shipped_catalog()
    bundle = catalog.bundles[BUNDLE]
    chosen = chosen_bundle(bundle, tuple(catalog.services[s] for s in bundle.services))
    return records.rating_payload(
        kiosk_id=kiosk_id, reference=reference(n, kiosk_id), chosen=chosen, level=5, reasons=(), now=VISIT_TIME,
        lang="zh",
    )


def appointment(n: int, kiosk_id: str = KIOSK_ID) -> dict[str, Any]:
    """The ``n``-th window appointment (the card's citizen, the next morning at ten)."""
    start = VISIT_TIME + timedelta(days=1)
    slot = Slot(start=start, end=start + timedelta(hours=1), remaining=1)
    return records.appointment_payload(
        kiosk_id=kiosk_id, reference=reference(n, kiosk_id), department=DEPARTMENT, slot=slot,
        identity=sample_identity(), now=VISIT_TIME, lang="zh",
    )


def ticket(n: int, kiosk_id: str = KIOSK_ID) -> dict[str, Any]:
    """The ``n``-th queue number the kiosk handed out itself (offline)."""
    return records.ticket_payload(
        kiosk_id=kiosk_id, number=f"B{n:03d}", department=DEPARTMENT, offline=True, waiting_ahead=None,
        now=VISIT_TIME, lang="zh",
    )
