"""Online requests on the screen, all real parts: the shell's OnlineClient on a worker thread, the sync agent's
socket and relay, a real mosquitto, the reference hall with its sample departments; the scanner fed key events on
its simulated wire; certificates printed through the real A4 driver on the simulated CUPS queue.

Covers issue 10: a query answered as a table (and printed), a certificate on A4 (and printed again after a failed
job, with a fault raised), a progress lookup from a scanned receipt, sign-in with a phone code (a used one refused),
a typed ID number refused a certificate and confirmed by a phone code, and the citizen told which problem it was
(no link, the department down) and able to stop waiting.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from kiosk.faults import FaultCode
from kiosk.online.references import SIGNIN_CODE_PREFIX
from kiosk.visit.flow import Step
from kiosk.visit.online import NEEDS_SURE_IDENTITY
from sync.online.backends import Citizen, sample_departments
from sync.online.codes import SIGNIN_PREFIX
from sync.online.local_server import LocalServer
from tests.waiting import wait_until
from ui.screens.answer import AnswerScreen

from .conftest import Kiosk
from .online_rig import LI, Rig, answered, broker, pick_service, rig, rig_factory, scan, to_form, type_field

__all__ = ["broker", "rig", "rig_factory"]  # fixtures, used by name

def test_a_query_is_answered_as_a_table_and_printed(rig: Rig) -> None:
    k = rig.kiosk
    k.card(True)
    to_form(k, "medical_insurance", "mi_account_query")
    k.tap(k.screen.submit)
    k.wait_step(Step.ANSWER)
    screen: AnswerScreen = k.screen
    online = answered(k)
    assert online.problem is None and online.tables
    # What the sample department holds for this citizen, shown cell by cell.
    backend = sample_departments().backend_for("query", "mi_account_query")
    expected = backend.query("mi_account_query", Citizen(*LI, "id_card"), {})
    shown = screen.tables.texts()
    assert expected.title.zh in shown and "余额（元）" in shown
    assert all(cell in shown for row in expected.rows for cell in row)
    assert screen.tables.isVisible() and not screen.stop.isVisible()
    pages = len(k.printer.pages)
    k.tap(screen.print_answer)
    k.wait(lambda: len(k.printer.pages) == pages + 1)
    assert expected.rows[-1][-1] in k.printer.pages[-1].text()
    k.shell.set_theme(k.shell.theme)  # the same answer on rebuilt screens (elderly mode, another layout)
    assert k.screen.tables.texts() == shown


def test_a_certificate_is_printed_on_a4_and_again_after_a_failed_job(rig: Rig) -> None:
    k = rig.kiosk
    a4 = k.runtime.device("document_printer").simulator
    k.card(True)
    to_form(k, "tax", "iit_record_print")
    type_field(k, "record_start_month", "2025-01")
    type_field(k, "record_end_month", "2025-06")
    k.tap(k.screen.submit)
    k.wait_step(Step.ANSWER)
    online = answered(k)
    assert online.problem is None and online.certificate is not None
    code = online.certificate.verification_code
    screen: AnswerScreen = k.screen
    k.wait(lambda: len(a4.outputs()) == 1 and screen.reprint.isEnabled(), timeout_ms=30_000)
    assert "请从出纸口取走" in screen.device_note.text()
    text = subprocess.run(["pdftotext", str(a4.outputs()[0]), "-"], capture_output=True, text=True, check=True)
    assert LI[0] in text.stdout and code in text.stdout and "个人所得税纳税记录" in text.stdout
    assert code in screen.cert_code.text()
    # The next job fails inside CUPS: the citizen is told and may print again; the technician gets a fault.
    a4.fail_jobs(True)
    k.tap(screen.reprint)
    k.wait(lambda: "未能打印" in screen.device_note.text() and screen.reprint.isEnabled(), timeout_ms=30_000)
    k.wait(lambda: any(f.code == FaultCode.PRINT_FAILED for f in k.runtime.store.open_faults()))
    a4.fail_jobs(False)
    k.tap(screen.reprint)
    k.wait(lambda: len(a4.outputs()) == 2 and "请从出纸口取走" in screen.device_note.text(), timeout_ms=30_000)
    k.wait(lambda: not any(f.code == FaultCode.PRINT_FAILED for f in k.runtime.store.open_faults()))


def test_without_a4_paper_certificates_are_shown_unavailable_with_the_reason(rig: Rig) -> None:
    k = rig.kiosk
    a4 = k.runtime.device("document_printer").simulator
    a4.set_condition("paper_out")
    k.runtime.bridge.poll("document_printer")
    k.wait(lambda: not k.runtime.bridge.usable("document_printer"))
    k.card(True)
    k.wait_step(Step.CHOOSE)
    k.tap(k.screen.group_buttons["tax"])
    tiles = {t.key: t for t in k.screen.grid.tiles()}
    assert not tiles["service:iit_record_print"].enabled
    assert "A4纸已用完" in tiles["service:iit_record_print"].detail
    assert tiles["service:si_payment_query"].enabled  # a query prints nothing


def test_progress_from_a_scanned_receipt(rig: Rig) -> None:
    k = rig.kiosk
    k.card(True)
    to_form(k, "human_resources", "pension_qualification_certification")
    type_field(k, "phone", "13904771234")
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    k.tap(k.screen.confirm)
    k.wait_step(Step.SUBMITTED)
    receipt = k.view.receipt
    reference, qr = receipt.reference, receipt.qr
    k.tap(k.shell.window.cancel)
    k.card(False)
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)
    wait_until(lambda: rig.hall.hall.db.count("submission") == 1, 15, "the application reached the hall")
    status = json.loads(rig.hall_cli("progress", "set", reference, "needs_materials", "--note", "请补交户口簿"))
    assert status["status"] == "needs_materials"
    scan(k, qr)  # on the attract screen: the receipt's QR code leads straight to its progress
    k.wait_step(Step.PROGRESS)
    online = answered(k)
    assert online.problem is None and online.progress.status == "needs_materials"
    assert k.screen.state.text() == "需补充材料" and "请补交户口簿" in k.screen.note.text()
    assert reference in k.screen.reference.text()
    k.screen.keys.set_value("KSK-DEMO-01-991231-9999")  # typed: a number the hall does not know
    k.tap(k.screen.look_up)
    online = answered(k)
    assert online.problem is not None and online.problem.status == "no_record"
    assert k.screen.state.text() == "没有查到您的记录。"


def test_sign_in_with_a_phone_code_and_a_used_code_is_refused(rig: Rig) -> None:
    k = rig.kiosk
    assert SIGNIN_CODE_PREFIX == SIGNIN_PREFIX  # the kiosk recognises the hall's codes
    code = rig.hall_cli("signin-code", LI[1])
    scan(k, code)  # on the attract screen: the visit starts and signs in
    k.wait_step(Step.CHOOSE)
    assert LI[0] in k.screen.greeting.text() and k.view.identity_source == "phone_code"
    k.tap(k.shell.window.cancel)
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    scan(k, code)  # the same code again
    k.wait(lambda: k.view.online is not None and k.view.online.problem is not None)
    assert k.session.step == Step.IDENTIFY and k.view.greeting_name == ""
    assert "这个手机码已经使用过了" in k.shell.window.notice.text()
    assert "请在手机上刷新" in k.shell.window.notice.text()


def test_a_typed_number_is_refused_a_certificate_and_a_phone_code_confirms_it(rig: Rig) -> None:
    k = rig.kiosk
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    k.screen.keypad.set_value(LI[1])
    k.tap(k.screen.confirm)
    k.wait_step(Step.CHOOSE)
    pick_service(k, "tax", "iit_record_print")
    k.wait_step(Step.NOTICE)
    k.tap(k.screen.accept)
    assert k.session.step == Step.NOTICE and k.screen.message.text() == NEEDS_SURE_IDENTITY.zh
    scan(k, rig.hall_cli("signin-code", LI[1]))  # the phone's code, right on the notice
    k.wait(lambda: k.view.identity_source == "phone_code")
    assert k.screen.message.text() == ""
    k.tap(k.screen.accept)
    k.wait_step(Step.FORM)


def test_no_link_and_a_department_down_are_told_apart_and_asked_again(rig_factory: Callable[..., Rig]) -> None:
    departments = sample_departments()
    rig = rig_factory(departments)
    k = rig.kiosk
    medical = departments.backend_for("query", "mi_account_query")
    medical.set_down(True)
    k.card(True)
    to_form(k, "medical_insurance", "mi_account_query")
    k.tap(k.screen.submit)
    k.wait_step(Step.ANSWER)
    online = answered(k)
    assert online.problem.status == "department_down"
    assert k.screen.status.text() == "业务部门的系统暂时无法使用。" and "这不是您的问题" in k.screen.advice.text()
    rig.agent.server.close()  # the sync agent is gone
    k.tap(k.screen.again)
    online = answered(k)
    assert online.problem.status == "no_link" and k.screen.status.text() == "本机暂时连不上大厅服务器。"
    medical.set_down(False)
    rig.agent.server = LocalServer(k.shell.config.online_socket, rig.agent.relay)
    rig.agent.server.start()
    k.tap(k.screen.again)
    online = answered(k)
    assert online.problem is None and online.tables


def test_the_citizen_may_stop_waiting_and_the_late_answer_is_dropped(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(sample_departments(latency_s=3.0))  # a slow department
    k = rig.kiosk
    k.card(True)
    to_form(k, "medical_insurance", "mi_account_query")
    k.tap(k.screen.submit)
    k.wait_step(Step.ANSWER)
    screen: AnswerScreen = k.screen
    assert screen.stop.isVisible() and "正在向业务部门查询" in screen.status.text()
    answers = rig.agent.relay.stats.answered
    k.tap(screen.stop)
    assert k.view.online.stopped and screen.again.isVisible()
    wait_until(lambda: rig.agent.relay.stats.answered > answers, 15, "the late answer reached the kiosk")
    k.wait(lambda: not k.shell.online.busy)
    assert k.view.online.tables == () and screen.tables.texts() == []


def test_a_card_tapped_on_the_notice_confirms_a_typed_number(kiosk: Kiosk) -> None:
    k = kiosk
    k.wait(lambda: k.runtime.bridge.usable("document_printer"))
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    k.screen.keypad.set_value(LI[1])
    k.tap(k.screen.confirm)
    k.wait_step(Step.CHOOSE)
    pick_service(k, "tax", "iit_record_print")
    k.wait_step(Step.NOTICE)
    k.tap(k.screen.accept)
    assert k.screen.message.text() == NEEDS_SURE_IDENTITY.zh
    k.card(True, "x_check_digit")  # somebody else's card
    k.wait(lambda: "与您输入的不一致" in k.screen.message.text())
    assert k.view.identity_source == "typed"
    k.card(False)
    k.wait(lambda: not k.shell.cards.card_present)
    k.card(True)  # her own
    k.wait(lambda: k.view.identity_source == "id_card")
    assert k.screen.message.text() == ""
    k.tap(k.screen.accept)
    k.wait_step(Step.FORM)
    assert {f.key: f.value for f in k.view.fields}["applicant_name"] == LI[0]
