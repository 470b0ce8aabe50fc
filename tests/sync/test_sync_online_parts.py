"""The parts of online requests on their own: the agent's Unix socket, the sample departments against the catalog
and the demo's citizens, the hall's signed codes, certificate PDFs, and the wire helpers."""

from __future__ import annotations

import re
import socket
import stat
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from drivers.id_reader.simulator import SAMPLE_CARDS
from drivers.sscard_reader.simulator import SAMPLE_CITIZEN
from kiosk.catalog import Text, load_catalog, shipped_catalog_path
from kiosk.demo import sample_identity
from kiosk.identity import validate_id_number
from kiosk.online import OnlineClient, Status
from kiosk.online.framing import read_frame, socket_address, write_frame
from sync import contract
from sync.online import wire
from sync.online.backends import Citizen, NoRecord, sample_departments
from sync.online.backends.sample import PEOPLE
from sync.online.codes import CodeRefused, Codes
from sync.online.local_server import LocalServer
from sync.online.pdf import Issuer, render_certificate
from sync.online.relay import Relay

# Online-only services that are applications (they go through the outbox as submissions), not queries.
APPLICATIONS = {"pension_qualification_certification", "mi_cross_region_filing"}


def _relay() -> Relay:
    return Relay(kiosk_id="KSK-0001", hall_id="h", topic_root="gov/v1", hall_identity="hall")


def test_the_sample_departments_answer_every_online_query_and_every_printed_document_of_the_catalog() -> None:
    catalog = load_catalog(shipped_catalog_path())
    departments = sample_departments()
    printed = {s.id for s in catalog.services.values() if s.prints_document}
    queries = {s.id for s in catalog.services.values() if s.online_only and not s.prints_document} - APPLICATIONS
    assert printed <= departments.services("certificate"), printed - departments.services("certificate")
    assert queries <= departments.services("query"), queries - departments.services("query")
    for kind in ("query", "certificate"):  # ... each by the backend of the catalog's own department, or 人社's card
        for service in departments.services(kind):
            backend = departments.backend_for(kind, service)
            assert catalog.services[service].department == backend.department or service.startswith("sscard_")


def test_the_sample_citizens_are_the_demos_and_the_simulators() -> None:
    people = {p.id_number: p.name for p in PEOPLE}
    demo = sample_identity()
    assert people[demo.id_number] == demo.name
    for card in SAMPLE_CARDS.values():
        if validate_id_number(card.fields["id_number"]).ok:
            assert people[card.fields["id_number"]] == card.fields["name"]
    assert people[SAMPLE_CITIZEN.id_number] == SAMPLE_CITIZEN.name
    assert all(validate_id_number(n).ok for n in people)
    with pytest.raises(NoRecord):
        sample_departments().backends[0].query("sscard_hr_column", Citizen("无名", "110101199003077774", "typed"), {})


def test_verification_codes_are_signed_and_typos_are_forgiven() -> None:
    codes = Codes(b"k" * 32)
    code = codes.new_verification_code()
    assert len(code) == 19 and code.count("-") == 3
    assert codes.verification_code(code.lower().replace("-", " ")) == code
    assert codes.verification_code(f"KSV1|h|{code}") == code
    assert Codes(b"x" * 32).verification_code(code) is None  # another hall's secret
    flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert codes.verification_code(flipped) is None and codes.verification_code("short") is None


def test_sign_in_codes_expire_and_cannot_be_forged() -> None:
    now = [1_000_000.0]
    codes = Codes(b"k" * 32, clock=lambda: now[0])
    code, token = codes.new_signin_code(60)
    assert codes.check_signin_code(code.lower()) == token
    now[0] += 61
    with pytest.raises(CodeRefused) as expired:
        codes.check_signin_code(code)
    assert expired.value.reason == "expired"
    for forged in (Codes(b"x" * 32, clock=lambda: now[0]).new_signin_code(60)[0], "KSP1-AAAA", "nonsense", code + "A"):
        with pytest.raises(CodeRefused) as refused:
            codes.check_signin_code(forged)
        assert refused.value.reason == "invalid"


def test_a_long_certificate_runs_over_pages_each_with_the_code_and_the_name_on_the_first(tmp_path: Path) -> None:
    backend = sample_departments().backend_for("certificate", "si_certificate_print")
    citizen = Citizen("李示例", "150602198503151236", "id_card")
    records = backend.certificate("si_certificate_print", citizen, {"record_start_month": "2022-01"})
    pdf, pages = render_certificate(
        records, citizen, issuer=Issuer(Text("示例政务服务中心", "Sample hall"), "h"), code="ABCD-EFGH-IJKL-MNOP",
        issued=datetime(2027, 1, 1, 9, 30),
    )
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    assert pages > 1
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M) and "595.276 x 841.89" in info  # A4 in points
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "ABCD-EFGH-IJKL-MNOP" in text and "示例政务服务中心" in text
    first = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    assert "李示例" in first and "社会保险参保缴费证明" in first and "2027年01月01日" in first


def test_the_local_socket_is_private_replaces_a_stale_file_and_refuses_a_second_agent(tmp_path: Path) -> None:
    path = tmp_path / ("a-rather-long-folder-name-" * 4) / "online.sock"  # longer than a socket address holds
    path.parent.mkdir()
    with socket.socket(socket.AF_UNIX) as stale, socket_address(path) as address:
        stale.bind(address)  # a socket file left behind by an agent that died
    server = LocalServer(path, _relay())
    server.start()
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with pytest.raises(OSError, match="already serves"):
            LocalServer(path, _relay()).start()
        client = OnlineClient(path, timeout_s=1.0)
        assert client.link_up() is False  # serving, but the agent has no broker connection
        assert client.query("mi_account_query", None).status is Status.NO_LINK
        with socket.socket(socket.AF_UNIX) as raw, socket_address(path) as address:
            raw.connect(address)
            for frame, status in (
                ({"v": 1, "op": "request", "kind": "gossip", "body": {}, "timeout_s": 1}, "bad_request"),
                ({"v": 1, "op": "request", "kind": "query", "body": {"id": "x"}, "timeout_s": 1}, "bad_request"),
                ({"v": 1, "op": "request", "kind": "query", "body": {"service": "s"}, "timeout_s": 999}, "bad_request"),
                ({"v": 2, "op": "ping"}, "bad_request"),
                ({"v": 1, "op": "shutdown"}, "bad_request"),
            ):
                write_frame(raw, frame)
                assert read_frame(raw)["status"] == status, frame
            raw.sendall(b"\x00\x00\x00\x03abc")  # not JSON: answered, then the connection is closed
            assert read_frame(raw)["status"] == "bad_request"
            assert raw.recv(1) == b""
    finally:
        server.close()
    assert not path.exists()
    path.write_text("not a socket")
    with pytest.raises(OSError, match="not a socket"):
        LocalServer(path, _relay()).start()


def test_requests_the_relay_builds_follow_the_schema_and_bad_bodies_are_refused_before_sending() -> None:
    relay = _relay()
    assert relay.ask("query", {"service": "x", "params": {}, "identity": {"name": "", "id_number": "123",
                                                                           "assurance": "typed"}}, 1.0)["status"] == (
        "bad_request"
    )
    assert relay.ask("signin", {"code": "KSP1-X"}, 1.0)["status"] == "no_link"  # valid, but not connected
    msg = wire.request_message("progress", request_id=wire.new_request_id(), kiosk_id="KSK-0001", hall_id="h",
                               sent_at=time.time(), timeout_s=5.0, reference="KSK-0001-270101-0007")
    wire.validate_request(msg)
    answer = wire.answer_message("progress", msg["id"], sender="hall", created_at=1.0, status="refused",
                                 reason="used", error="x")
    with pytest.raises(contract.ContractError):  # only an ok answer carries a result
        wire.validate_answer({**answer, "result": {}})
    wire.validate_answer(answer)
    assert wire.parse_request_topic("gov/v1", "h", "gov/v1/h/kiosk/KSK-1/req/query") == ("KSK-1", "query")
    for other in ("gov/v1/h/kiosk/KSK-1/up/query", "gov/v1/x/kiosk/KSK-1/req/query", "gov/v1/h/kiosk/KSK-1/req"):
        assert wire.parse_request_topic("gov/v1", "h", other) is None
    identity = {"name": "王晓丽", "id_number": "bad", "assurance": "id_card"}
    with pytest.raises(contract.ContractError) as err:
        wire.check("req-query", {**msg, "kind": "query", "service": "s", "params": {}, "identity": identity})
    assert "王晓丽" not in str(err.value) and "bad" not in str(err.value).replace("bad_request", "")


def test_a_client_keeps_its_connection_and_recovers_when_the_agent_restarts(tmp_path: Path) -> None:
    path = tmp_path / "online.sock"
    server = LocalServer(path, _relay())
    server.start()
    client = OnlineClient(path, timeout_s=1.0)
    try:
        assert client.signin("KSP1-X").status is Status.NO_LINK  # served: the relay has no broker connection
        first = client._local.sock
        assert client.progress("KSK-0001-270101-0007").status is Status.NO_LINK
        assert client._local.sock is first  # the same connection, kept between calls
        server.close()  # the agent stops; a new one starts on the same path
        server = LocalServer(path, _relay())
        server.start()
        again = client.query("mi_account_query", None)
        assert again.status is Status.NO_LINK and again.error.startswith("the agent has no connection")
        assert client._local.sock is not first
    finally:
        client.close()
        server.close()
