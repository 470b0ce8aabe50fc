"""Online requests inside a visit, on the shipped catalog and a real store: queries answered as tables,
certificates, progress lookup, phone sign-in, identity assurance per service, the citizen told what went wrong,
late answers dropped, and answers gone when the visit ends.

The hall's answers are given to the session as the client parses them (``Table.from_wire`` ...): plain data,
exactly what ``OnlineClient`` returns; the whole way through the agent and a hall is tests/ui/test_ui_online.py.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.appointments import CHINA_TZ
from kiosk.catalog import Catalog, Text, load_catalog, shipped_catalog_path
from kiosk.config import Config
from kiosk.demo import sample_identity
from kiosk.identity import identity_from_card
from kiosk.online import Certificate, Progress, Result, SignIn, Status, Table
from kiosk.receipts import qr_payload
from kiosk.store import Store
from kiosk.visit.online import NEEDS_CARD, NEEDS_SURE_IDENTITY, NOT_A_REFERENCE, NOT_THE_SAME_PERSON
from kiosk.visit.session import Session, SessionError, SessionSettings, Step

NIGHT = datetime(2026, 11, 24, 22, 30, tzinfo=CHINA_TZ).timestamp()
WANG = sample_identity()
OTHER = identity_from_card({"name": "李示例", "id_number": "150602198503151236", "sex": "1", "birth_date": "19850315"})
BALANCE = "2,412.30"


def table(service: str = "mi_account_query") -> Table:
    return Table.from_wire({
        "service": service, "title": {"zh": "医保个人账户明细", "en": "Medical insurance personal account"},
        "columns": [{"key": "date", "title": {"zh": "日期", "en": "Date"}},
                    {"key": "balance", "title": {"zh": "余额（元）", "en": "Balance (yuan)"}}],
        "rows": [["2026-11-05", BALANCE]], "note": {"zh": "当前余额", "en": "Balance now"},
    })  # fmt: skip


def certificate(service: str = "iit_record_print") -> Certificate:
    pdf = b"%PDF-1.4\n% a certificate of " + WANG.name.encode() + b"\n%%EOF\n"
    return Certificate.from_wire({
        "service": service, "title": {"zh": "个人所得税纳税记录", "en": "Individual income tax record"},
        "pdf_base64": base64.b64encode(pdf).decode(), "sha256": hashlib.sha256(pdf).hexdigest(), "pages": 1,
        "verification_code": "ABCD-EFGH-IJKL-MNOP", "issued_at": NIGHT,
    })  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.t = NIGHT

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db", clock=Clock())
    yield s
    s.close()


class Printer:
    """What the A4 printer says about certificates now: None (they can be printed) or why not."""

    def __init__(self) -> None:
        self.problem: Text | None = None

    def __call__(self) -> Text | None:
        return self.problem


@pytest.fixture
def printer() -> Printer:
    return Printer()


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(shipped_catalog_path())


@pytest.fixture
def session(store: Store, printer: Printer, shipped: Catalog) -> Session:
    return Session(catalog=shipped, store=store, clock=Clock(),
                   settings=SessionSettings.from_config(Config()), hall_online=lambda: True, documents=printer)


def to_form(s: Session, service: str, identity: Any = WANG) -> None:
    s.start()
    if identity is None:
        s.identify_typed(WANG.id_number)
    else:
        s.identify_card(identity)
    s.choose_service(service)
    s.accept_notice()
    assert s.step == Step.FORM


def answer(s: Session, *results: Result[Any]) -> Any:
    ask = s.online_ask()
    assert ask is not None
    assert s.online_ask() is None  # a batch is handed out once
    assert s.online_done(ask.token, list(results))
    return ask


def test_a_query_is_asked_with_the_form_and_answered_as_a_table(session: Session) -> None:
    s = session
    to_form(s, "si_payment_query")
    s.set_field("payment_year", "2025")
    assert s.submit_form() is None and s.step == Step.ANSWER
    view = s.view()
    assert view.online is not None and view.online.waiting and view.online.kind == "query"
    ask = s.online_ask()
    assert ask is not None and len(ask.requests) == 1
    request = ask.requests[0]
    assert (request.kind, request.service) == ("query", "si_payment_query")
    assert dict(request.params) == {"payment_year": "2025"}
    assert request.identity is WANG and WANG.name not in repr(request)
    assert s.online_done(ask.token, [Result(Status.OK, table("si_payment_query"))])
    view = s.view()
    assert not view.online.waiting and view.online.problem is None
    assert view.online.tables[0].rows == (("2026-11-05", BALANCE),)
    printout = s.document()
    assert printout is not None and BALANCE in printout.plain_text() and "余额（元）" in printout.plain_text()
    assert "finish" in view.events and "more" in view.events and "back" in view.events
    s.more()
    assert s.step == Step.CHOOSE and s.view().online is None


def test_a_public_search_is_asked_about_no_one(session: Session) -> None:
    s = session
    s.start()
    s.identify_typed(WANG.id_number)  # a typed number may search the public directory
    s.choose_service("legal_service_search")
    s.accept_notice()
    s.set_field("lawyer_search", "东胜")
    s.submit_form()
    request = s.online_ask().requests[0]
    assert request.identity is None and dict(request.params) == {"lawyer_search": "东胜"}


def test_a_certificate_stays_for_reprinting_and_its_bytes_are_gone_after_the_visit(session: Session) -> None:
    s = session
    to_form(s, "iit_record_print")
    s.set_field("record_start_month", "2025-01")
    s.set_field("record_end_month", "2025-12")
    s.submit_form()
    ask = s.online_ask()
    assert [r.kind for r in ask.requests] == ["certificate"] and ask.requests[0].identity is WANG
    cert = certificate()
    s.online_done(ask.token, [Result(Status.OK, cert)])
    shown = s.view().online.certificate
    assert shown.verification_code == "ABCD-EFGH-IJKL-MNOP" and shown.title.zh == "个人所得税纳税记录"
    assert s.certificate() is cert and s.certificate() is s.certificate()  # the same bytes for a reprint
    assert WANG.name.encode() in cert.pdf
    s.finish()
    s.card_removed()
    assert s.step == Step.END and len(cert.pdf) == 0 and s.certificate() is None


@pytest.mark.parametrize("status", [Status.NO_LINK, Status.TIMEOUT, Status.DEPARTMENT_DOWN, Status.NO_RECORD])
def test_the_citizen_is_told_which_problem_it_is_and_may_ask_again(session: Session, status: Status) -> None:
    s = session
    to_form(s, "mi_account_query")
    s.submit_form()
    first = answer(s, Result.failed(status))
    problem = s.view().online.problem
    assert problem is not None and problem.status == status and problem.message.zh and problem.advice.en
    assert s.view().online.tables == () and s.document() is None
    s.ask_again()
    assert s.view().online.waiting and s.view().online.problem is None
    second = s.online_ask()
    assert second.token != first.token
    assert not s.online_done(first.token, [Result(Status.OK, table())])  # the first ask is over
    assert s.online_done(second.token, [Result(Status.OK, table())]) and s.view().online.tables


def test_stopping_the_wait_drops_the_late_answer(session: Session) -> None:
    s = session
    to_form(s, "mi_account_query")
    s.submit_form()
    ask = s.online_ask()
    s.stop_waiting()
    assert s.view().online.stopped and not s.view().online.waiting
    assert not s.online_done(ask.token, [Result(Status.OK, table())])
    assert s.view().online.tables == ()
    with pytest.raises(SessionError):
        s.stop_waiting()
    s.ask_again()
    assert s.online_ask() is not None


def test_an_answer_for_an_ended_visit_never_reaches_the_next_citizen(session: Session) -> None:
    s = session
    to_form(s, "mi_account_query")
    s.submit_form()
    ask = s.online_ask()
    s.cancel()
    s.card_removed()
    s.reset()
    to_form(s, "mi_account_query", OTHER)
    s.submit_form()
    assert not s.online_done(ask.token, [Result(Status.OK, table())])
    assert s.view().online.waiting and s.view().online.tables == ()


def test_a_typed_number_reads_the_notice_but_is_refused_a_certificate_with_the_reason(session: Session) -> None:
    s = session
    s.start()
    s.identify_typed(WANG.id_number)
    s.choose_service("iit_record_print")
    assert s.step == Step.NOTICE and s.view().notice is not None  # reading notices is allowed
    with pytest.raises(SessionError) as info:
        s.accept_notice()
    assert info.value.code == "needs_sure_identity" and info.value.text == NEEDS_SURE_IDENTITY
    assert s.step == Step.NOTICE and s.view().message == NEEDS_SURE_IDENTITY
    assert "身份证或社保卡" in NEEDS_SURE_IDENTITY.zh and "扫码登录" in NEEDS_SURE_IDENTITY.zh
    with pytest.raises(SessionError) as info:  # another person's card does not make it theirs
        s.upgrade_identity(OTHER)
    assert info.value.text == NOT_THE_SAME_PERSON and s.view().identity_source == "typed"
    assert s.upgrade_identity(WANG)  # the citizen's own card, tapped right there
    assert s.view().identity_source == "id_card" and s.view().message is None
    s.accept_notice()
    assert s.step == Step.FORM


def test_a_typed_number_may_book_take_a_ticket_and_report(session: Session) -> None:
    s = session
    s.start()
    s.identify_typed(WANG.id_number)
    s.start_appointment("human_resources")
    assert s.step == Step.APPOINTMENT
    s.back()
    s.start_report()
    assert s.step == Step.REPORT


def test_a_phone_code_confirms_a_typed_number_on_the_notice(session: Session) -> None:
    s = session
    s.start()
    s.identify_typed(WANG.id_number)
    s.choose_service("iit_record_print")
    assert s.scanned("KSP1-PHONECODE")  # the scanner read the phone's code right on the notice
    assert s.view().online.kind == "signin" and s.view().online.waiting
    answer(s, Result(Status.OK, SignIn(WANG.name, WANG.id_number)))
    assert s.step == Step.NOTICE and s.view().identity_source == "phone_code"
    assert s.view().greeting_name == WANG.name
    s.accept_notice()  # phone_code is enough for a certificate
    fields = {f.key: f for f in s.view().fields}
    assert fields["applicant_name"].value == WANG.name and fields["applicant_name"].locked  # the hall vouched


def test_a_phone_code_is_not_enough_for_a_property_transfer(session: Session) -> None:
    s = session
    s.start()
    assert s.scanned("KSP1-PHONECODE")
    answer(s, Result(Status.OK, SignIn(WANG.name, WANG.id_number)))
    assert s.step == Step.CHOOSE
    s.choose_bundle("home_resale_transfer")
    with pytest.raises(SessionError) as info:
        s.accept_notice()
    assert info.value.code == "needs_card" and s.view().message == NEEDS_CARD


def test_a_phone_code_on_attract_signs_in_and_a_refused_one_says_why(session: Session) -> None:
    s = session
    assert s.scanned(" KSP1-USEDCODE \n")
    assert s.step == Step.IDENTIFY and s.online_ask().requests[0].text == "KSP1-USEDCODE"
    s.online_done(s._visit.online.token, [Result.failed(Status.REFUSED, "used")])
    problem = s.view().online.problem
    assert s.step == Step.IDENTIFY and problem.reason == "used" and "已经使用过" in problem.message.zh
    assert s.view().greeting_name == ""
    assert s.scanned("KSP1-FRESHCODE")  # a fresh code from the phone
    answer(s, Result(Status.OK, SignIn(WANG.name, WANG.id_number)))
    assert s.step == Step.CHOOSE and s.view().identity_source == "phone_code"
    assert not s.scanned("KSP1-ANOTHER")  # identified well enough: a code means nothing here


def test_progress_from_a_scanned_receipt_or_a_typed_number(session: Session) -> None:
    s = session
    qr = qr_payload("KSK-DEMO-01", "KSK-DEMO-01-261124-0001", "3f9c2a1b")
    assert s.scanned(qr)  # on the attract screen: straight to the lookup
    assert s.step == Step.PROGRESS
    ask = s.online_ask()
    assert ask.requests[0].kind == "progress" and ask.requests[0].text == qr
    progress = Progress.from_wire({"reference": "KSK-DEMO-01-261124-0001", "status": "needs_materials",
                                   "updated_at": NIGHT, "service": None, "note": {"zh": "请补交户口簿", "en": "x"}})
    s.online_done(ask.token, [Result(Status.OK, progress)])
    shown = s.view().online.progress
    assert shown.status_text.zh == "需补充材料" and shown.note.zh == "请补交户口簿"
    with pytest.raises(SessionError) as info:
        s.lookup_progress("not a number")
    assert info.value.text == NOT_A_REFERENCE and s.view().online.progress == progress  # the answer stays
    s.lookup_progress(" KSK-DEMO-01-261124-0002 ")
    assert s.online_ask().requests[0].text == "KSK-DEMO-01-261124-0002"
    s.finish()
    assert s.step == Step.END


def test_codes_mean_nothing_where_nothing_reads_them(session: Session) -> None:
    s = session
    to_form(s, "mi_account_query")
    assert not s.scanned("KSP1-PHONECODE") and not s.scanned("KSK1|x|y|z")
    assert s.step == Step.FORM and s.view().online is None


def test_without_a4_paper_certificates_are_unavailable_with_the_reason(session: Session, printer: Printer) -> None:
    s = session
    printer.problem = Text("A4纸已用完", "No A4 paper")
    s.start()
    s.identify_card(WANG)
    offers = {o.id: o for o in s.view().offers}
    assert not offers["iit_record_print"].available and offers["iit_record_print"].reason == printer.problem
    assert offers["mi_account_query"].available  # a query prints nothing
    assert offers["newborn"].available  # an application is submitted, whatever its parts print later
    with pytest.raises(SessionError) as info:
        s.choose_service("iit_record_print")
    assert info.value.code == "no_certificates" and s.step == Step.CHOOSE
    printer.problem = None
    s.choose_service("iit_record_print")
    assert s.step == Step.NOTICE
