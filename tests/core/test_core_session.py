"""The citizen visit on a real store: every transition, every refused action, idle, offline, failures, privacy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.appointments import CHINA_TZ, BookingRules
from kiosk.catalog import Bundle, Catalog, Choice, FieldSpec, Material, Notice, Service, Text
from kiosk.config import Config
from kiosk.identity import identity_from_card
from kiosk.online import Result, SignIn, Status
from kiosk.store import Store, StoreUnavailable
from kiosk.visit.flow import BACK_STEPS, TRANSITIONS, back_targets
from kiosk.visit.session import Session, SessionError, SessionSettings, Step

THU_NIGHT = datetime(2026, 3, 5, 21, 30, tzinfo=CHINA_TZ).timestamp()
THU_MORNING = datetime(2026, 3, 5, 10, 0, tzinfo=CHINA_TZ).timestamp()
NAME, ID_NUMBER, ADDRESS = "乌云娜仁", "360426199101010071", "鄂尔多斯市东胜区测试巷88号"
PHONE, CHILD = "13912345678", "乌小宝宝"
PERSONAL = (NAME, ID_NUMBER, ADDRESS, PHONE, CHILD, "测试巷")
BIRTH = date(1991, 1, 1)


def notice(zh: str) -> Notice:
    return Notice(materials=(Material(Text(f"{zh}材料", f"{zh} doc")),), basis=(Text("依据", "Basis"),),
                  conditions=Text("条件", "Who"), time_limit=Text("即办", "At once"), fee=Text("免费", "Free"),
                  result=Text("证书", "Certificate"))


APPLICANT = (
    FieldSpec("name", Text("姓名", "Name"), kind="name", prefill="name"),
    FieldSpec("id_number", Text("身份证号", "ID number"), kind="id_number", prefill="id_number"),
    FieldSpec("sex", Text("性别", "Sex"), kind="choice", prefill="sex",
              choices=(Choice("1", Text("男", "Male")), Choice("2", Text("女", "Female")))),
    FieldSpec("phone", Text("联系电话", "Phone"), kind="phone"),
)
YEAR = FieldSpec("year", Text("年度", "Year"), kind="number", required=False)
CHILD_FIELDS = (
    FieldSpec("child_name", Text("新生儿姓名", "Baby's name"), kind="name"),
    FieldSpec("child_birth", Text("出生日期", "Birth date"), kind="date"),
)


def catalog() -> Catalog:
    def svc(sid: str, dept: str, fields: tuple[FieldSpec, ...], **kw) -> Service:
        return Service(id=sid, name=Text(sid, sid), department=dept, notice=notice(sid), fields=fields, **kw)

    services = {
        "birth_cert": svc("birth_cert", "health", APPLICANT + CHILD_FIELDS, standalone=False),
        "hukou": svc("hukou", "police", APPLICANT + CHILD_FIELDS[:1] +
                     (FieldSpec("address", Text("住址", "Address"), kind="address", prefill="address"),)),
        "marriage_cert": svc("marriage_cert", "civil", APPLICANT),
        "pension_online": svc("pension_online", "social", APPLICANT, online_only=True),
        # Answered at once (kiosk/visit/online.py): a record query and a certificate printed on A4.
        "pension_query": svc("pension_query", "social", (*APPLICANT[:2], YEAR), online_only=True, query=True,
                             assurance="phone_code"),
        "pension_cert": svc("pension_cert", "social", APPLICANT[:2], online_only=True, prints_document=True,
                            assurance="phone_code"),
    }
    bundles = {
        "newborn": Bundle(id="newborn", number=1, name=Text("新生儿出生", "Newborn"), services=("birth_cert", "hukou"),
                          materials=(Material(Text("出生医学证明", "Birth medical certificate")),)),
        "retire": Bundle(id="retire", number=2, name=Text("退休", "Retirement"), services=("pension_online",),
                         materials=()),
    }
    departments = {k: Text(k, k) for k in ("health", "police", "civil", "social")}
    return Catalog(version="test-1", departments=departments, services=services, bundles=bundles)


def card(valid_to: str = "长期"):
    return identity_from_card({
        "name": NAME, "sex": "2", "nation": "02", "birth_date": "19910101", "address": ADDRESS,
        "id_number": ID_NUMBER, "authority": "东胜分局", "valid_from": "20110101", "valid_to": valid_to,
    }, photo=b"\x01PHOTO\x02")


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


SETTINGS = SessionSettings(kiosk_id="K01", hall_name=Text("测试大厅", "Test hall"), idle_timeout_s=90, warning_s=20,
                           booking=BookingRules(per_slot=2))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db", clock=lambda: THU_MORNING)
    yield s
    s.close()


@pytest.fixture
def make(store: Store) -> Callable[..., tuple[Session, Clock, SimpleNamespace]]:
    def build(t: float = THU_MORNING, online: bool = True, **kw) -> tuple[Session, Clock, SimpleNamespace]:
        clock, link = Clock(t), SimpleNamespace(online=online, camera=True)  # a kiosk with a working camera
        session = Session(catalog=kw.pop("catalog", catalog()), store=kw.pop("store", store), clock=clock,
                          settings=kw.pop("settings", SETTINGS), hall_online=lambda: link.online,
                          camera_ready=kw.pop("camera_ready", lambda: link.camera), **kw)
        return session, clock, link

    return build


def fill(s: Session) -> None:
    for key, value in (("phone", PHONE), ("child_name", CHILD), ("child_birth", "2026-03-01")):
        if key in [f.key for f in s.view().fields]:
            s.set_field(key, value)


# How to take each event, and how to reach each step (at 10:00 on a Thursday, card identified).
ACTIONS: dict[str, Callable[[Session, Clock], object]] = {
    "start": lambda s, c: s.start(),
    "ticket": lambda s, c: s.start_ticket(),
    "report": lambda s, c: s.start_report(),
    "card": lambda s, c: s.identify_card(card()),
    "typed": lambda s, c: s.identify_typed(ID_NUMBER),
    "service": lambda s, c: s.choose_service("marriage_cert"),
    "bundle": lambda s, c: s.choose_bundle("newborn"),
    "appointment": lambda s, c: s.start_appointment("civil"),
    "accept": lambda s, c: s.accept_notice(),
    "submit": lambda s, c: (fill(s) if s.step == Step.FORM else None, s.submit_form()),
    "confirm": lambda s, c: s.confirm(),
    "photograph": lambda s, c: s.photograph_materials(),
    "receipt": lambda s, c: s.receipt(),
    "next": lambda s, c: s.proceed(),
    "rate": lambda s, c: s.rate(5),
    "skip": lambda s, c: s.skip_rating(),
    "book": lambda s, c: s.book(s.appointment_slots()[0] if s.step == Step.APPOINTMENT else None),
    "more": lambda s, c: s.more(),
    "bookings": lambda s, c: s.start_bookings(),
    "withdraw": lambda s, c: s.withdraw_booking(next((b.reference for b in s.my_bookings()), "none")),
    "finish": lambda s, c: s.finish(),
    "take": lambda s, c: s.take_ticket("police"),
    "send": lambda s, c: s.report_unresolved("not_found"),
    "card_removed": lambda s, c: s.card_removed(),
    "timeout": lambda s, c: s.tick(c.t + 1000),
    "cancel": lambda s, c: s.cancel(),
    "reset": lambda s, c: s.reset(),
    "recover": lambda s, c: s.recover(),
    "fail": lambda s, c: s.out_of_service("disk unplugged"),
    "progress": lambda s, c: s.start_progress(),
    "phone_code": lambda s, c: phone_sign_in(s),
    "ask": lambda s, c: s.submit_form(),
}
SIGNIN_CODE = "KSP1-TESTCODE"


def phone_sign_in(s: Session, name: str = NAME, id_number: str = ID_NUMBER) -> None:
    """Scan a phone code and let the hall's answer (a real SignIn result, as the client parses it) come back."""
    s.sign_in(SIGNIN_CODE)
    ask = s.online_ask()
    assert ask is not None and [r.kind for r in ask.requests] == ["signin"]
    assert s.online_done(ask.token, [Result(Status.OK, SignIn(name, id_number))])


def choose_query(s: Session, c: Clock) -> None:
    s.choose_service("pension_query")
PATHS: dict[Step, tuple[str | Callable[[Session, Clock], object], ...]] = {
    Step.ATTRACT: (),
    Step.IDENTIFY: ("start",),
    Step.CHOOSE: ("start", "card"),
    Step.NOTICE: ("start", "card", "bundle"),
    Step.FORM: ("start", "card", "bundle", "accept"),
    Step.REVIEW: ("start", "card", "bundle", "accept", "submit"),
    Step.CAPTURE: ("start", "card", "bundle", "accept", "submit", "photograph"),
    Step.SUBMITTED: ("start", "card", "bundle", "accept", "submit", "confirm"),
    Step.RECEIPT: ("start", "card", "bundle", "accept", "submit", "confirm", "receipt"),
    Step.RATE: ("start", "card", "bundle", "accept", "submit", "confirm", "receipt", "next"),
    Step.TAKE_CARD: ("start", "card", "cancel"),
    Step.END: ("start", "cancel"),
    Step.APPOINTMENT: ("start", "card", "appointment"),
    Step.APPOINTMENT_DONE: ("start", "card", "appointment", "book"),
    Step.BOOKINGS: ("start", "card", "appointment", "book", "more", "bookings"),
    Step.BOOKING_CANCELLED: ("start", "card", "appointment", "book", "more", "bookings", "withdraw"),
    Step.TICKET: ("start", "card", "ticket"),
    Step.TICKET_DONE: ("start", "card", "ticket", "take"),
    Step.REPORT: ("start", "card", "report"),
    Step.REPORT_DONE: ("start", "card", "report", "send"),
    Step.OUT_OF_SERVICE: ("fail",),
    Step.ANSWER: ("start", "card", choose_query, "accept", "ask"),
    Step.PROGRESS: ("progress",),
}
# Where an event needs another way to its step than PATHS': a form is asked online only for a query's.
EVENT_PATHS: dict[tuple[Step, str], tuple[str | Callable[[Session, Clock], object], ...]] = {
    (Step.FORM, "ask"): ("start", "card", choose_query, "accept"),
}


def reach(s: Session, clock: Clock, step: Step, event: str = "") -> None:
    for action in EVENT_PATHS.get((step, event), PATHS[step]):
        (ACTIONS[action] if isinstance(action, str) else action)(s, clock)
    assert s.step == step


def test_paths_reach_every_step() -> None:
    assert set(PATHS) == set(Step)
    assert {e for events in TRANSITIONS.values() for e in events} == set(ACTIONS)


ALL_EDGES = [(step, event) for step, events in TRANSITIONS.items() for event in events]


@pytest.mark.parametrize(("step", "event"), ALL_EDGES, ids=[f"{s}-{e}" for s, e in ALL_EDGES])
def test_every_transition(make, step: Step, event: str) -> None:
    s, clock, _ = make()
    reach(s, clock, step, event)
    ACTIONS[event](s, clock)
    target = TRANSITIONS[step][event]
    card_present = step not in (Step.IDENTIFY, Step.ATTRACT, Step.PROGRESS)  # a progress lookup needs no card
    if target == Step.TAKE_CARD and not card_present:
        target = Step.END  # nothing to take: the reminder is skipped
    assert s.step == target
    assert s.view().events == s.available_events()


# Events that are sensor/system inputs, valid everywhere by design: a card lifted, the clock, a failure.
ALWAYS_ACCEPTED = {"card_removed", "timeout", "fail"}
INVALID = [(step, event) for step in Step for event in ACTIONS
           if event not in TRANSITIONS[step] and event not in ALWAYS_ACCEPTED
           and not (step == Step.ATTRACT and event in ("card", "phone_code"))]  # a card or phone code starts


@pytest.mark.parametrize(("step", "event"), INVALID, ids=[f"{s}-{e}" for s, e in INVALID])
def test_every_invalid_event_is_refused_without_change(make, store: Store, step: Step, event: str) -> None:
    s, clock, _ = make()
    reach(s, clock, step)
    before, pending = s.view(), len(store.pending(limit=1000))
    with pytest.raises(SessionError) as info:
        ACTIONS[event](s, clock)
    assert info.value.code == "invalid_action" and info.value.text.zh and info.value.text.en
    assert s.step == step and s.view() == before
    assert len(store.pending(limit=1000)) == pending


@pytest.mark.parametrize("step", sorted(set(Step) - {Step.FORM}))
def test_form_and_slot_actions_outside_their_step(make, step: Step) -> None:
    s, clock, _ = make()
    reach(s, clock, step)
    with pytest.raises(SessionError):
        s.set_field("phone", PHONE)
    if step != Step.APPOINTMENT:
        with pytest.raises(SessionError):
            s.appointment_slots()
    if step not in BACK_STEPS:
        with pytest.raises(SessionError):
            s.back()
    assert s.step == step


@pytest.mark.parametrize("step", sorted(BACK_STEPS))
def test_back_returns_to_where_the_citizen_came_from(make, step: Step) -> None:
    s, clock, _ = make()
    reach(s, clock, step)
    s.back()
    assert s.step in back_targets(step)
    assert s.step == {Step.IDENTIFY: Step.ATTRACT, Step.CHOOSE: Step.IDENTIFY, Step.NOTICE: Step.CHOOSE,
                      Step.FORM: Step.NOTICE, Step.REVIEW: Step.FORM, Step.ANSWER: Step.FORM,
                      Step.PROGRESS: Step.ATTRACT, Step.CAPTURE: Step.REVIEW}.get(step, Step.CHOOSE)


def test_back_keeps_typed_values_but_forgets_the_choice(make) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.REVIEW)
    s.back()
    assert {f.key: f.value for f in s.view().fields}["phone"] == PHONE
    s.back()
    s.accept_notice()
    assert {f.key: f.value for f in s.view().fields}["phone"] == PHONE  # kept across notice <-> form
    s.back()
    s.back()
    assert s.step == Step.CHOOSE and s.view().chosen is None
    s.back()
    assert s.step == Step.IDENTIFY and s.view().greeting_name == ""
    s.back()
    assert s.step == Step.ATTRACT


def test_ticket_back_from_attract_goes_to_attract(make) -> None:
    s, _, _ = make()
    s.start_ticket()
    s.back()
    assert s.step == Step.ATTRACT


def test_more_after_booking_returns_to_choose_with_a_clean_history(make) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.APPOINTMENT_DONE)
    s.more()
    assert s.step == Step.CHOOSE and s.view().greeting_name == NAME
    s.back()
    assert s.step == Step.IDENTIFY


def test_full_night_visit_records_submission_and_rating(make, store: Store) -> None:
    s, clock, _ = make(t=THU_NIGHT)
    s.identify_card(card())  # a tap on the attract screen starts the visit
    assert s.step == Step.CHOOSE and s.view().greeting_name == NAME
    s.choose_bundle("newborn")
    view = s.view()
    assert view.notice is not None and view.notice.materials[0].name.zh == "出生医学证明"
    assert s.document() is not None and "出生医学证明" in s.document().plain_text()
    s.accept_notice()
    fields = {f.key: f for f in s.view().fields}
    assert list(fields) == ["name", "id_number", "sex", "phone", "child_name", "child_birth", "address"]
    assert fields["name"].value == NAME and fields["name"].locked
    assert fields["sex"].value == "2" and fields["address"].locked and not fields["phone"].locked
    errors = s.submit_form()
    assert errors is not None and set(errors) == {"phone", "child_name", "child_birth"}
    assert s.step == Step.FORM and s.view().message is not None
    assert s.set_field("phone", "123") is not None
    assert s.view().fields[3].error is not None  # live after a failed submit
    fill(s)
    assert all(f.error is None for f in s.view().fields)
    assert s.submit_form() is None and s.step == Step.REVIEW
    review = dict((label.zh, value.zh) for label, value in s.view().review)
    assert review["性别"] == "女" and review["新生儿姓名"] == CHILD
    reference = s.confirm()
    assert reference == "K01-260305-0001" and s.step == Step.SUBMITTED
    [entry] = store.pending(kinds=["submission"])
    assert entry.personal and entry.payload["reference"] == reference
    assert entry.payload["bundle_id"] == "newborn" and entry.payload["service_ids"] == ["birth_cert", "hukou"]
    assert entry.payload["form"]["phone"] == PHONE and entry.payload["identity"]["id_number"] == ID_NUMBER
    assert entry.payload["catalog_version"] == "test-1" and entry.payload["lang"] == "zh"
    assert "photo" not in entry.payload["identity"]
    receipt = s.receipt()
    assert receipt.reference == reference and receipt.qr == f"KSK1|K01|{reference}|{entry.key[:8]}"
    assert not receipt.queued_offline and receipt.materials[0].name.zh == "出生医学证明"
    assert s.view().receipt == receipt and reference in s.document().plain_text()
    s.proceed()
    assert [lvl for lvl, _ in s.view().rating_levels] == [5, 4, 3, 2, 1]
    s.rate(2, ["slow"])
    [rating] = store.pending(kinds=["rating"])
    assert not rating.personal and rating.payload["level"] == 2 and rating.payload["reasons"] == ["slow"]
    assert rating.payload["reference"] == reference and ID_NUMBER not in rating.payload_json
    assert s.step == Step.TAKE_CARD
    s.card_removed()
    assert s.step == Step.END
    assert s.tick(clock.t + 4) == Step.END and s.tick(clock.t + 5) == Step.ATTRACT


def test_references_count_up_per_day(make, store: Store) -> None:
    s, clock, _ = make()
    refs = []
    for _ in range(2):
        reach(s, clock, Step.SUBMITTED)
        refs.append(s.view().reference)
        s.cancel()
        s.card_removed()
        s.reset()
    assert refs == ["K01-260305-0001", "K01-260305-0002"]


def test_rating_rules(make, store: Store) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.RATE)
    for level, reasons, code in ((1, [], "reason_needed"), (0, [], "bad_rating"), (6, [], "bad_rating"),
                                 (3, ["nonsense"], "bad_rating"), (5, ["slow"], "bad_rating")):
        with pytest.raises(SessionError) as info:
            s.rate(level, reasons)
        assert info.value.code == code and s.step == Step.RATE
    assert store.pending(kinds=["rating"]) == []
    s.rate(3, ["unclear", "unclear"])
    assert store.pending(kinds=["rating"])[0].payload["reasons"] == ["unclear"]


def test_skip_rating_records_nothing(make, store: Store) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.RATE)
    s.skip_rating()
    assert store.pending(kinds=["rating"]) == [] and s.step == Step.TAKE_CARD


def test_expired_card_and_bad_typed_number(make) -> None:
    s, _, _ = make()
    with pytest.raises(SessionError) as info:
        s.identify_card(card(valid_to="20260304"))
    assert info.value.code == "card_expired" and s.step == Step.ATTRACT
    s.start()
    check = s.identify_typed("360426199101010072")
    assert not check.ok and check.reason == "check_digit" and s.step == Step.IDENTIFY
    assert s.view().message == check.message
    assert s.identify_typed(" 11010519491231002x ").ok and s.step == Step.CHOOSE
    assert s.view().identity_source == "typed" and s.view().greeting_name == ""


def test_typed_identity_prefills_and_locks_only_number_facts(make) -> None:
    # A shipped catalog never lets a typed number past a personal application's notice (validation refuses it);
    # this one does, to show what the number alone prefills and locks.
    typed_ok = catalog()
    typed_ok.services["marriage_cert"] = replace(typed_ok.services["marriage_cert"], assurance="typed")
    s, _, _ = make(catalog=typed_ok)
    s.start()
    s.identify_typed(ID_NUMBER)
    s.choose_service("marriage_cert")
    s.accept_notice()
    fields = {f.key: f for f in s.view().fields}
    assert fields["id_number"].locked and fields["sex"].locked and fields["sex"].value == "1"
    assert not fields["name"].locked and fields["name"].value == ""
    s.set_field("name", "王测试")
    with pytest.raises(SessionError) as info:
        s.set_field("id_number", "11010519491231002X")
    assert info.value.code == "locked_field"
    with pytest.raises(SessionError) as info:
        s.set_field("nope", "x")
    assert info.value.code == "unknown_field"


def test_unknown_items_and_non_standalone_services_are_refused(make) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.CHOOSE)
    for action in (lambda: s.choose_service("nope"), lambda: s.choose_service("birth_cert"),
                   lambda: s.choose_bundle("nope"), lambda: s.start_appointment("nope")):
        with pytest.raises(SessionError):
            action()
        assert s.step == Step.CHOOSE


def test_online_only_items_need_the_hall(make, store: Store) -> None:
    s, clock, link = make(online=False)
    reach(s, clock, Step.CHOOSE)
    offers = {o.id: o for o in s.view().offers}
    assert not offers["pension_online"].available and offers["pension_online"].reason is not None
    assert not offers["retire"].available and offers["newborn"].available
    assert offers["marriage_cert"].department_id == "civil" and "birth_cert" not in offers
    for action in (lambda: s.choose_service("pension_online"), lambda: s.choose_bundle("retire")):
        with pytest.raises(SessionError) as info:
            action()
        assert info.value.code == "needs_hall" and s.step == Step.CHOOSE
    link.online = True
    s.choose_service("pension_online")
    s.accept_notice()
    s.set_field("phone", PHONE)
    s.submit_form()
    link.online = False  # the link drops while the citizen reviews
    with pytest.raises(SessionError) as info:
        s.confirm()
    assert info.value.code == "needs_hall" and s.step == Step.REVIEW
    assert store.pending(kinds=["submission"]) == []
    link.online = True
    s.confirm()
    assert s.step == Step.SUBMITTED


def test_offline_submission_is_queued_and_says_so(make, store: Store) -> None:
    s, clock, _ = make(online=False)
    reach(s, clock, Step.SUBMITTED)
    assert s.view().receipt.queued_offline
    assert "网络暂时中断" in s.document().plain_text()
    assert len(store.pending(kinds=["submission"])) == 1


def test_tickets_only_while_the_hall_is_open(make) -> None:
    s, _, _ = make(t=THU_NIGHT)
    assert not s.view().ticket_available
    with pytest.raises(SessionError) as info:
        s.start_ticket()
    assert info.value.code == "hall_closed" and s.step == Step.ATTRACT
    s2, clock2, _ = make(t=THU_MORNING)
    s2.start_ticket()
    clock2.t = datetime(2026, 3, 5, 17, 0, tzinfo=CHINA_TZ).timestamp()  # closed while choosing
    with pytest.raises(SessionError):
        s2.take_ticket("police")
    assert s2.step == Step.TICKET


def test_offline_tickets_are_kiosk_numbered(make, store: Store) -> None:
    s, _, _ = make(online=False, hall_ticket=lambda dept: pytest.fail("the hall is offline"))
    numbers = []
    for _ in range(2):
        s.start_ticket()
        numbers.append(s.take_ticket("police").number)
        assert "离线" in s.document().plain_text()
        s.finish()
        s.reset()
    assert numbers == ["B001", "B002"]  # police is the catalog's 2nd department: letter B (kiosk.queue_numbers)
    entries = store.pending(kinds=["ticket"])
    assert [e.payload["number"] for e in entries] == numbers and all(e.payload["offline"] for e in entries)
    assert not any(e.personal for e in entries)


def test_online_tickets_come_from_the_hall_with_fallback(make, store: Store) -> None:
    calls = []

    def hall(dept: str) -> tuple[str, int | None]:
        calls.append(dept)
        if len(calls) > 1:
            raise TimeoutError("hall did not answer")
        return "A023", 5

    s, clock, _ = make(hall_ticket=hall)
    reach(s, clock, Step.TICKET)
    ticket = s.take_ticket("police")
    assert (ticket.number, ticket.waiting_ahead, ticket.offline) == ("A023", 5, False)
    assert ticket.qr.startswith("KSK1|K01|A023|")
    s.finish()
    s.card_removed()
    s.reset()
    s.start_ticket()
    assert s.take_ticket("civil").number == "C001"  # the hall failed: kiosk number
    assert calls == ["police", "civil"]


def test_appointment_booking(make, store: Store) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.APPOINTMENT)
    view = s.view()
    assert view.appointment_department == Text("civil", "civil") and view.slots
    first = view.slots[0]
    assert first.start == datetime(2026, 3, 6, 10, tzinfo=CHINA_TZ) and first.remaining == 2
    slip = s.book(first)
    assert slip.name_masked == "乌**仁" and slip.id_masked == "3604**********0071"
    assert s.step == Step.APPOINTMENT_DONE and "2026-03-06 10:00–11:00" in s.document().plain_text()
    [entry] = store.pending(kinds=["appointment"])
    assert entry.personal and entry.payload["id_number"] == ID_NUMBER and entry.payload["department"] == "civil"
    s.more()
    s.start_appointment("police")
    assert all(slot.start.date() != date(2026, 3, 6) for slot in s.appointment_slots())  # one per person per day
    with pytest.raises(SessionError) as info:
        s.book(first)
    assert info.value.code == "slot_gone" and s.step == Step.APPOINTMENT


def test_full_slot_is_refused(make, store: Store) -> None:
    settings = SessionSettings(kiosk_id="K01", hall_name=Text("厅", "Hall"), booking=BookingRules(per_slot=1))
    s, clock, _ = make(settings=settings)
    reach(s, clock, Step.APPOINTMENT)
    slot = s.appointment_slots()[0]
    s.book(slot)
    s.finish()
    s.card_removed()
    s.reset()
    s.start()
    s.identify_typed("11010519491231002X")  # somebody else
    s.start_appointment("civil")
    assert s.appointment_slots()[0].remaining == 0
    with pytest.raises(SessionError) as info:
        s.book(slot)
    assert info.value.code == "slot_full"


def test_reports_anonymous_and_named(make, store: Store) -> None:
    s, _, _ = make()
    s.start_report()
    for category, text, phone in (("bogus", "", ""), ("other", "  ", ""), ("not_found", "", "12345"),
                                  ("not_found", "x" * 501, "")):
        with pytest.raises(SessionError):
            s.report_unresolved(category, text, phone)
    assert s.step == Step.REPORT and s.view().report_categories[0][0] == "not_found"
    s.report_unresolved("not_found", "找不到宅基地审批")
    s.finish()
    s2, clock2, _ = make()
    reach(s2, clock2, Step.REPORT)
    s2.report_unresolved("materials", "", PHONE)
    anonymous, named = store.pending(kinds=["report"])
    assert not anonymous.personal and anonymous.payload["name"] == ""
    assert anonymous.payload["text"] == "找不到宅基地审批"
    assert named.personal and named.payload["id_number"] == ID_NUMBER and named.payload["phone"] == PHONE


def test_idle_warning_and_timeout(make) -> None:
    s, clock, _ = make()
    assert s.idle_state().seconds_left is None  # no countdown on the attract screen
    reach(s, clock, Step.FORM)
    t0 = clock.t
    assert (s.idle_state(t0).warning, s.idle_state(t0).seconds_left) == (False, 90)
    assert (s.idle_state(t0 + 69).warning, s.idle_state(t0 + 70).warning) == (False, True)
    assert s.idle_state(t0 + 70).seconds_left == 20
    clock.t = t0 + 80
    s.touch()
    assert not s.idle_state().warning
    assert s.tick(t0 + 169.9) == Step.FORM
    assert s.tick(t0 + 170) == Step.END
    assert s.view().fields == () and s.view().greeting_name == ""
    clock.t = t0 + 170
    assert s.tick(t0 + 174) == Step.END and s.tick(t0 + 175) == Step.ATTRACT
    assert s.tick(t0 + 10_000) == Step.ATTRACT  # nothing times out on the attract screen


def test_elderly_mode_doubles_patience(make) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.CHOOSE)
    s.set_elderly(True)
    assert s.idle_state().seconds_left == 180
    assert s.tick(clock.t + 179) == Step.CHOOSE
    assert s.tick(clock.t + 180) == Step.END
    assert not s.view().elderly  # reset for the next citizen


def test_language(make) -> None:
    s, clock, _ = make()
    s.set_lang("en")
    reach(s, clock, Step.RECEIPT)
    assert "Application receipt" in s.document().plain_text()
    with pytest.raises(SessionError):
        s.set_lang("fr")
    s.cancel()
    s.card_removed()
    assert s.lang == "zh"


def leaves_reachable(root: object) -> list[object]:
    """Every str, bytes and date reachable from ``root`` through attributes, containers and closures."""
    found: list[object] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str | bytes | date):
            found.append(obj)
        elif isinstance(obj, dict):
            todo += list(obj.keys()) + list(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            todo += list(obj)
        else:
            todo += list(getattr(obj, "__dict__", {}).values())
            todo += [getattr(obj, n) for n in getattr(type(obj), "__slots__", ()) if hasattr(obj, n)]
            if hasattr(obj, "__self__"):  # bound methods (the clock, the hall link)
                todo.append(obj.__self__)
            if hasattr(obj, "__closure__") and obj.__closure__:
                todo += [c.cell_contents for c in obj.__closure__]
    return found


def leaks(session: Session) -> set[str]:
    leaves = leaves_reachable(session)
    found = {p for p in PERSONAL for t in leaves if isinstance(t, str) and p in t}
    found |= {"photo" for t in leaves if isinstance(t, bytes) and b"PHOTO" in t}
    return found | {"birth" for t in leaves if t == BIRTH}


@pytest.mark.parametrize("ending", ["timeout", "finish", "cancel", "failure"])
def test_no_personal_data_survives_the_visit(make, ending: str) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.RECEIPT if ending == "finish" else Step.REVIEW)
    assert leaks(s) == {*PERSONAL, "photo", "birth"}  # the walk does find the data while the visit runs
    if ending == "timeout":
        s.tick(clock.t + 90)
    elif ending == "finish":
        s.proceed()
        s.rate(4)
        s.card_removed()
    elif ending == "cancel":
        s.cancel()
        s.tick(clock.t + 1)
        s.card_removed()
    else:
        s.out_of_service("disk gone")
    assert s.step in (Step.END, Step.OUT_OF_SERVICE)
    assert leaks(s) == set()


class BrokenStore:
    """A store whose disk died: every write fails (full, or read-only: ``numbers`` picks which)."""

    def __init__(self, store: Store, *, numbers: bool) -> None:
        self._store, self._numbers = store, numbers

    def record_citizen(self, *a, **kw):
        if self._numbers:
            raise StoreUnavailable("database or disk is full")
        raise StoreUnavailable("attempt to write a readonly database")

    def get_setting(self, key, default=None):
        return self._store.get_setting(key, default)

    def set_setting(self, key, value) -> None:
        raise StoreUnavailable("attempt to write a readonly database")


@pytest.mark.parametrize("numbers", [True, False])
def test_store_failure_takes_the_kiosk_out_of_service(make, store: Store, numbers: bool) -> None:
    s, clock, _ = make(store=BrokenStore(store, numbers=numbers))
    reach(s, clock, Step.REVIEW)
    with pytest.raises(SessionError) as info:
        s.confirm()
    assert info.value.code == "out_of_service"
    view = s.view()
    assert view.step == Step.OUT_OF_SERVICE and view.events == ("recover",)
    assert "readonly" in view.out_of_service_reason or "full" in view.out_of_service_reason
    assert leaks(s) == set()
    s.recover()
    assert s.step == Step.ATTRACT and s.view().out_of_service_reason == ""


def test_disk_low_store_refuses_tickets_and_goes_out_of_service(make, tmp_path: Path) -> None:
    with Store(tmp_path / "low.db", min_free_bytes=10**9, disk_usage=lambda p: SimpleNamespace(free=1)) as low:
        s, _, _ = make(store=low, online=False)
        s.start_ticket()
        with pytest.raises(SessionError):
            s.take_ticket("police")
        assert s.step == Step.OUT_OF_SERVICE and "disk" in s.view().out_of_service_reason


def test_settings_from_config() -> None:
    settings = SessionSettings.from_config(Config())
    assert settings.kiosk_id == Config().kiosk.id and settings.hall_name.en
    assert settings.idle_timeout_s == Config().session.idle_timeout_s
    assert settings.booking.per_slot == Config().appointment.per_slot
    assert settings.hall_hours.weekdays == frozenset({1, 2, 3, 4, 5})


def test_bad_arguments_are_refused_cleanly(make) -> None:
    s, clock, _ = make()
    with pytest.raises(SessionError) as info:
        s.identify_card("360426199101010071")  # type: ignore[arg-type]
    assert info.value.code == "bad_value" and s.step == Step.ATTRACT
    reach(s, clock, Step.APPOINTMENT)
    with pytest.raises(SessionError) as info:
        s.book("tomorrow 9:00")  # type: ignore[arg-type]
    assert info.value.code == "bad_value" and s.step == Step.APPOINTMENT
    s.back()
    s.choose_service("marriage_cert")
    s.accept_notice()
    with pytest.raises(SessionError) as info:
        s.set_field("phone", "1" * 5000)
    assert info.value.code == "bad_value"


def test_choose_view_lists_bundles_first_and_documents_follow_the_step(make) -> None:
    s, clock, _ = make()
    assert s.document() is None
    reach(s, clock, Step.CHOOSE)
    view = s.view()
    assert [(o.kind, o.id) for o in view.offers][:2] == [("bundle", "newborn"), ("bundle", "retire")]
    assert ("civil", Text("civil", "civil")) in view.departments and s.document() is None
    s.choose_service("marriage_cert")
    assert "一次性告知单" in s.document().plain_text()


def test_logs_and_reprs_carry_no_personal_data(make, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    s, clock, _ = make()
    reach(s, clock, Step.RATE)
    text = caplog.text + repr(s._visit) + repr(s._visit.identity) + repr(s.view().chosen)
    assert "session review --confirm--> submitted" in caplog.text
    assert not [p for p in PERSONAL if p in text]


def test_view_repr_hides_personal_values(make) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.REVIEW)
    view = s.view()
    assert view.greeting_name == NAME and any(f.value == PHONE for f in view.fields)
    assert not [p for p in PERSONAL if p in repr(view)]


def test_idle_state_is_a_plain_tuple(make) -> None:
    s, clock, _ = make()
    reach(s, clock, Step.CHOOSE)
    warning, seconds_left = s.idle_state(clock.t + 75)
    assert (warning, seconds_left) == (True, 15) and s.view().idle == (False, 90)
