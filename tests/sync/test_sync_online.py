"""Online requests end to end: the screen process's client, the real agent and its socket, a real mosquitto,
the reference hall with its sample departments. Queries, certificates, progress, sign-in, and every failure."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.demo import sample_identity
from kiosk.identity import identity_from_card, identity_from_id_number
from kiosk.online import OnlineClient, Status, VisitAnswers
from kiosk.receipts import qr_payload
from sync import hall_main
from sync.online import wire
from sync.online.backends import sample_departments
from sync.online.codes import Codes
from tests import citizen
from tests.sync.conftest import Broker, RawClient, free_port, mqtt_section, wait_until
from tests.sync.online_rig import AnsweringHall, OnlineKiosk, personal_traces, start_hall, start_kiosk

WANG = sample_identity()  # 王晓丽, the demo's citizen
LI = identity_from_card({"name": "李示例", "id_number": "150602198503151236", "sex": "1", "birth_date": "19850315"})
UNKNOWN = identity_from_id_number("110101199003077774")


@pytest.fixture
def rig(tmp_path: Path, broker: Broker, hall_db: str) -> Iterator[tuple[OnlineKiosk, AnsweringHall]]:
    hall = start_hall(hall_db, broker.port)
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port))
    try:
        yield kiosk, hall
    finally:
        kiosk.stop()
        hall.stop()


def test_a_query_comes_back_as_a_table_and_leaves_nothing_personal_on_the_kiosk(rig, tmp_path: Path) -> None:
    kiosk, hall = rig
    result = kiosk.client.query("mi_account_query", WANG)
    assert result.ok, result.problem
    table = result.value
    assert table.title.zh == "医保个人账户明细" and [c.key for c in table.columns] == [
        "date", "summary", "amount", "balance"
    ]
    assert len(table.rows) >= 6 and all(len(r) == 4 for r in table.rows)
    assert "个人账户划入" in {r[1] for r in table.rows}
    assert "王晓丽" not in repr(result) and WANG.id_number not in repr(result)
    # The agent relayed it and kept nothing: no request waits, and no byte of the citizen is in the data dir.
    assert kiosk.relay.stats.answered == 1 and not kiosk.relay._pending
    cert = kiosk.client.certificate("si_certificate_print", WANG, {"si_certificate_type": "pension"})
    assert cert.ok, cert.problem
    kiosk.k.store.enqueue("heartbeat", {"n": 1})  # the store is written meanwhile (WAL in use)
    wait_until(lambda: kiosk.k.store.outbox_stats().depth == 0, 10, "the outbox drained")
    assert personal_traces(kiosk.k.kiosk.data_dir, WANG.name, WANG.id_number) == []
    control = tmp_path / "control"  # the scan does find a citizen where there is one
    control.mkdir()
    (control / "x.db-wal").write_bytes(b"\0" + WANG.name.encode("gbk") + b"\0")
    assert personal_traces(control, WANG.name, WANG.id_number) != []
    # The hall registered the certificate with a masked holder only.
    assert "王晓丽" not in repr(hall.handler.store.certificate(cert.value.verification_code))


def test_every_sample_service_answers_through_the_hall(rig) -> None:
    kiosk, _ = rig
    for service in sorted(sample_departments().services("query")):
        params = {"lawyer_search": "示例"} if service == "legal_service_search" else {}
        who = None if service == "legal_service_search" else LI
        result = kiosk.client.query(service, who, params)
        assert result.ok and result.value.rows, (service, result.status)


def test_a_certificate_is_an_a4_pdf_with_the_name_title_and_a_code_the_hall_verifies(
    rig, tmp_path: Path, hall_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kiosk, _ = rig
    answers = VisitAnswers()
    result = kiosk.client.certificate("iit_record_print", WANG, {"record_start_month": "2024-01"})
    assert result.ok, result.problem
    cert = answers.keep(result.value)
    assert cert.title.zh == "中华人民共和国个人所得税纳税记录" and cert.pages >= 1
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(bytes(cert.pdf))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "王晓丽" in text and "个人所得税纳税记录" in text and cert.verification_code in text
    assert "A4" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    db = hall_db
    assert hall_main.main(["verify", cert.verification_code, "--db", db]) == 0
    assert '"valid": true' in capsys.readouterr().out
    tampered = cert.verification_code[:-1] + ("A" if cert.verification_code[-1] != "A" else "B")
    assert hall_main.main(["verify", tampered, "--db", db]) == 1
    answers.clear()
    assert len(answers) == 0 and len(cert.pdf) == 0  # the visit is over: the document is gone from memory


def test_progress_by_reference_or_receipt_qr_as_the_operator_sets_it(
    rig, hall_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kiosk, hall = rig
    payload = citizen.submission(7)  # a real application record (the hall refuses made-up ones)
    reference = payload["reference"]
    entry = kiosk.k.store.enqueue("submission", payload, personal=True)
    wait_until(lambda: hall.hall.db.count("submission") == 1, 10, "the submission reached the hall")
    first = kiosk.client.progress(reference)
    assert first.ok and first.value.status == "received" and first.value.status_text.zh == "已受理"
    service = citizen.shipped_catalog().services[payload["item_id"]].name
    assert first.value.service is not None and first.value.service.zh == service.zh
    db = hall_db
    assert hall_main.main(["progress", "set", reference, "needs_materials", "--note", "请补交户口簿", "--db", db]) == 0
    capsys.readouterr()
    qr = qr_payload("KSK-0001", reference, entry.key)
    second = kiosk.client.progress(qr)
    assert second.ok and second.value.status == "needs_materials" and second.value.note.zh == "请补交户口簿"
    assert second.value.updated_at >= first.value.updated_at
    assert kiosk.client.progress("KSK-0001-270101-9999").status is Status.NO_RECORD
    assert kiosk.client.progress(qr_payload("KSK-0001", reference, "ffffffff")).status is Status.NO_RECORD
    assert kiosk.client.progress("hello").status is Status.NO_RECORD
    assert hall_main.main(["progress", "set", "KSK-0001-270101-9999", "done", "--db", db]) == 1


def test_phone_sign_in_good_used_expired_and_forged(rig, hall_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    kiosk, hall = rig
    db = hall_db
    assert hall_main.main(["signin-code", LI.id_number, "--db", db]) == 0
    code = capsys.readouterr().out.strip()
    good = kiosk.client.signin(code)
    assert good.ok and (good.value.name, good.value.id_number) == ("李示例", LI.id_number)
    assert good.value.assurance == "phone_code"
    used = kiosk.client.signin(code)
    assert used.status is Status.REFUSED and used.problem.reason == "used"
    assert "用过" in used.problem.message.zh
    store = hall.handler.store
    stale, token = Codes(store.secret(), clock=lambda: time.time() - 600).new_signin_code(120)
    store.issue_signin(token.nonce, LI.id_number, token.expires_at)
    expired = kiosk.client.signin(stale)
    assert expired.status is Status.REFUSED and expired.problem.reason == "expired"
    forged, _ = Codes(b"not the hall's secret, 32 bytes.").new_signin_code(120)
    for bad in (forged, code[:-2] + ("AA" if not code.endswith("AA") else "BB"), "KSP1-HELLO", "123456"):
        refused = kiosk.client.signin(bad)
        assert refused.status is Status.REFUSED and refused.problem.reason == "invalid", bad
    assert hall_main.main(["signin-code", "110101199003077774", "--db", db]) == 1  # not a sample citizen


def test_unknown_citizen_wrong_name_and_bad_requests_get_plain_answers(rig) -> None:
    kiosk, _ = rig
    nobody = kiosk.client.query("mi_enrollment_query", UNKNOWN)
    assert nobody.status is Status.NO_RECORD and "没有查到" in nobody.problem.message.zh
    impostor = identity_from_card({"name": "张冒名", "id_number": WANG.id_number, "birth_date": "19900307"})
    assert kiosk.client.query("mi_enrollment_query", impostor).status is Status.NO_RECORD
    retired = identity_from_card({"name": "乌云其其格", "id_number": "150621195809200024", "birth_date": "19580920"})
    assert kiosk.client.certificate("iit_record_print", retired).status is Status.NO_RECORD  # pensions are untaxed
    assert kiosk.client.query("hukou_certificate", WANG).status is Status.BAD_REQUEST  # no department answers it
    wrong_way = {"record_start_month": "2025-06", "record_end_month": "2025-01"}
    assert kiosk.client.certificate("si_certificate_print", WANG, wrong_way).status is Status.BAD_REQUEST
    assert kiosk.client.query("NOT A SERVICE", WANG).status is Status.BAD_REQUEST  # refused by the agent


def test_a_department_that_is_down_is_said_to_be_down(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    departments = sample_departments()
    hall = start_hall(hall_db, broker.port, departments=departments)
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port))
    try:
        tax = next(b for b in departments.backends if b.department == "tax")
        tax.set_down(True)
        down = kiosk.client.certificate("tax_payment_certificate", WANG)
        assert down.status is Status.DEPARTMENT_DOWN and "暂时无法使用" in down.problem.message.zh
        assert kiosk.client.query("mi_enrollment_query", WANG).ok  # the other departments still answer
        tax.set_down(False)
        assert kiosk.client.certificate("tax_payment_certificate", WANG).ok
    finally:
        kiosk.stop()
        hall.stop()


def test_a_slow_department_holds_up_neither_uplink_acks_nor_other_departments(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    departments = sample_departments()
    tax = next(b for b in departments.backends if b.department == "tax")
    tax.latency_s = 3.0
    hall = start_hall(hall_db, broker.port, departments=departments)
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port), timeout_s=8.0)
    try:
        slow: list = []
        asker = threading.Thread(target=lambda: slow.append(kiosk.client.query("si_payment_query", WANG)))
        asker.start()
        wait_until(lambda: hall.handler.stats.received == 1, 5, "the slow request reached the hall")
        started = time.monotonic()
        keys = [kiosk.k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(200)]
        wait_until(lambda: kiosk.k.store.outbox_stats().depth == 0, 10, "every row acknowledged")
        assert kiosk.client.query("mi_enrollment_query", WANG).ok
        meanwhile = time.monotonic() - started
        assert not slow, "the slow department answered before the others were served"
        asker.join(timeout=15)
        assert slow and slow[0].ok
        assert meanwhile < 3.0  # acks and the other answer came while tax was still busy
        assert sorted(hall.hall.db.keys("submission")) == sorted(keys)
    finally:
        kiosk.stop()
        hall.stop()


def test_a_backend_slower_than_the_kiosk_waits_is_answered_department_down(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    departments = sample_departments()
    next(b for b in departments.backends if b.department == "justice").latency_s = 4.0
    hall = start_hall(hall_db, broker.port, departments=departments)
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port), timeout_s=2.0)
    try:
        result = kiosk.client.query("legal_service_search", None, {"lawyer_search": "示例"})
        assert result.status is Status.DEPARTMENT_DOWN and "in time" in result.error
    finally:
        kiosk.stop()
        hall.stop()


def test_no_hall_answering_is_a_timeout_and_no_broker_is_no_link(tmp_path: Path, broker: Broker) -> None:
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port), timeout_s=1.0)
    try:
        started = time.monotonic()
        result = kiosk.client.query("mi_account_query", WANG)
        assert result.status is Status.TIMEOUT and "没有及时回复" in result.problem.message.zh
        assert 0.9 <= time.monotonic() - started < 3.0
        assert kiosk.client.link_up()
        broker.kill()
        wait_until(lambda: not kiosk.relay.connected, 10, "the agent noticed the broker is gone")
        cut = kiosk.client.query("mi_account_query", WANG)
        assert cut.status is Status.NO_LINK and "连不上" in cut.problem.message.zh
        assert not kiosk.client.link_up()
    finally:
        kiosk.stop()
    # No agent at all (its socket gone): the screens are told the same plainly.
    gone = kiosk.client.query("mi_account_query", WANG)
    assert gone.status is Status.NO_LINK
    nowhere = OnlineClient(tmp_path / "no-such.sock").signin("KSP1-X")
    assert nowhere.status is Status.NO_LINK


def test_an_agent_that_never_connected_says_no_link_at_once(tmp_path: Path) -> None:
    kiosk = start_kiosk(tmp_path, mqtt_section(free_port()), connect=False)
    try:
        started = time.monotonic()
        assert kiosk.client.query("mi_account_query", WANG).status is Status.NO_LINK
        assert time.monotonic() - started < 1.0
    finally:
        kiosk.stop()


def test_two_hall_instances_share_the_requests_and_each_is_answered_once(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    one = start_hall(hall_db, broker.port, instance="a")
    two = start_hall(hall_db, broker.port, instance="b")
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port))
    try:
        results = [kiosk.client.query("sscard_hr_column", LI) for _ in range(20)]
        assert all(r.ok for r in results)
        answered = sum(h.handler.stats.answered["ok"] for h in (one, two))
        assert answered == 20 and kiosk.relay.stats.stray_answers == 0
    finally:
        kiosk.stop()
        one.stop()
        two.stop()


def test_captured_requests_and_answers_follow_the_published_schemas(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    sniffer = RawClient(broker.port, "sniffer", subscribe="gov/v1/#")
    hall = start_hall(hall_db, broker.port)
    kiosk = start_kiosk(tmp_path, mqtt_section(broker.port))
    try:
        assert kiosk.client.query("mi_enrollment_query", WANG).ok
        assert kiosk.client.certificate("mi_enrollment_certificate_print", WANG).ok
        assert kiosk.client.progress("KSK-0001-270101-0001").status is Status.NO_RECORD
        assert kiosk.client.signin("KSP1-AAAA").status is Status.REFUSED

        def traffic() -> list[tuple[str, dict]]:
            return [(t, json.loads(p)) for t, p, _ in sniffer.received() if "/req/" in t or t.endswith("/answer")]

        wait_until(lambda: len(traffic()) == 8, 5, "four requests and four answers")
        kinds = []
        for topic, msg in traffic():
            if "/req/" in topic:
                wire.validate_request(msg)
                assert topic.endswith("/req/" + msg["kind"]) and f"/kiosk/{msg['kiosk_id']}/" in topic
            else:
                wire.validate_answer(msg)
                assert topic == "gov/v1/test-hall/kiosk/KSK-0001/down/answer"
            kinds.append((msg["kind"], msg.get("status")))
        assert sorted(kinds) == sorted(
            [("query", None), ("certificate", None), ("progress", None), ("signin", None),
             ("answer", "ok"), ("answer", "ok"), ("answer", "no_record"), ("answer", "refused")]
        )
    finally:
        sniffer.close()
        kiosk.stop()
        hall.stop()


def test_kiosk_sync_and_kiosk_hall_as_processes_serve_the_screens(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    """The real commands: kiosk-sync serves the socket from its config, kiosk-hall run answers with its samples."""
    data = tmp_path / "kiosk"
    data.mkdir()
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "KSK-0009"\nhall_id = "test-hall"\nmode = "lab"\ndata_dir = "{data}"\n'
        f'[mqtt]\nport = {broker.port}\nheartbeat_s = 3600\n[online]\nrequest_timeout_s = 3.0\n'
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    hall = subprocess.Popen(
        [sys.executable, "-m", "sync.hall_main", "run", "--db", hall_db, "--hall", "test-hall",
         "--port", str(broker.port), "--hall-name", "测试政务服务中心"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    agent = subprocess.Popen([sys.executable, "-m", "sync.agent_main", "--config", str(config)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    client = OnlineClient(data / "online.sock", timeout_s=3.0)
    try:
        wait_until(client.link_up, 20, "kiosk-sync serving and connected")
        result = wait_until(lambda: (r := client.query("sscard_mi_column", WANG)).ok and r, 20, "an answer")
        assert result.value.title.zh == "医保服务专栏"
        cert = client.certificate("mi_enrollment_certificate_print", WANG)
        assert cert.ok and bytes(cert.value.pdf).startswith(b"%PDF-")
    finally:
        client.close()
        for proc in (agent, hall):
            os.killpg(proc.pid, signal.SIGTERM)
            out = proc.communicate(timeout=30)[0].decode(errors="replace")
            assert proc.returncode == 0, out[-2000:]
            assert WANG.id_number not in out and WANG.name not in out  # nothing personal in either log
    assert not (data / "online.sock").exists()  # removed on a clean stop
    assert personal_traces(data, WANG.name, WANG.id_number) == []
