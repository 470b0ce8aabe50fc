"""The screen process's side of online requests: outcomes and their words, answers as data, references, frames,
the [online] config, and the client's handling of whatever comes back."""

from __future__ import annotations

import base64
import hashlib
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, example_config_path, load_config, parse_config
from kiosk.online import (
    Certificate,
    OnlineClient,
    Progress,
    Result,
    SignIn,
    Status,
    Table,
    VisitAnswers,
    parse_reference,
    problem,
)
from kiosk.online.framing import MAX_FRAME, FrameError, encode_frame, read_frame, write_frame
from kiosk.online.outcomes import REFUSED_REASONS
from kiosk.receipts import qr_payload

PDF = b"%PDF-1.4 a tiny stand-in for a certificate"


def _certificate_wire(pdf: bytes = PDF, **changes: object) -> dict:
    wire = {
        "service": "si_certificate_print",
        "title": {"zh": "社会保险参保缴费证明", "en": "Certificate"},
        "pdf_base64": base64.b64encode(pdf).decode(),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "pages": 1,
        "verification_code": "ABCD-EFGH-IJKL-MNOP",
        "issued_at": 1.0,
    }
    wire.update(changes)
    return wire


def test_every_outcome_but_ok_says_what_happened_and_what_to_do_in_both_languages() -> None:
    for status in Status:
        if status is Status.OK:
            with pytest.raises(ValueError):
                problem(status)
            continue
        p = problem(status)
        assert p.status is status and p.message.zh and p.message.en and p.advice.zh and p.advice.en
    texts = {problem(Status.REFUSED, r).message.zh for r in REFUSED_REASONS}
    assert len(texts) == len(REFUSED_REASONS)  # used, expired and invalid are told apart
    assert problem(Status.REFUSED, "whatever").reason == "invalid"
    assert problem(Status.NO_LINK).message != problem(Status.TIMEOUT).message != problem(Status.DEPARTMENT_DOWN).message


def test_a_reference_is_typed_or_scanned_from_the_receipt_qr() -> None:
    typed = parse_reference(" KSK-0001-270101-0007 ")
    assert (typed.reference, typed.kiosk_id, typed.key_prefix) == ("KSK-0001-270101-0007", "", "")
    scanned = parse_reference(qr_payload("KSK-0001", "KSK-0001-270101-0007", "3b0c5f0e-8a53"))
    assert (scanned.reference, scanned.kiosk_id, scanned.key_prefix) == ("KSK-0001-270101-0007", "KSK-0001", "3b0c5f0e")
    for bad in ("", "hello", "KSK1|KSK-0001||", "KSK1|KSK-0001|nope|", "KSK-0001-2701-7"):
        with pytest.raises(ValueError):
            parse_reference(bad)


def test_answers_parse_into_plain_data_and_refuse_what_does_not_fit() -> None:
    table = Table.from_wire({
        "service": "mi_account_query", "title": {"zh": "明细", "en": "Details"},
        "columns": [{"key": "a", "title": {"zh": "甲", "en": "A"}}, {"key": "b", "title": {"zh": "乙", "en": "B"}}],
        "rows": [["1", "2"]], "note": None,
    })
    assert table.rows == (("1", "2"),) and table.columns[1].title.en == "B"
    with pytest.raises(ValueError):
        Table.from_wire({"service": "s", "title": {"zh": "", "en": ""}, "columns": [{"key": "a", "title":
                         {"zh": "", "en": ""}}], "rows": [["1", "2"]]})
    cert = Certificate.from_wire(_certificate_wire())
    assert bytes(cert.pdf) == PDF and cert.pages == 1
    for bad in (_certificate_wire(sha256="0" * 64), _certificate_wire(b"not a pdf"), _certificate_wire(pages=0),
                _certificate_wire(pdf_base64="***")):
        with pytest.raises(ValueError):
            Certificate.from_wire(bad)
    progress = Progress.from_wire({"reference": "R", "status": "in_review", "updated_at": 0.0})
    assert progress.status_text.zh == "审核中" and progress.date.year == 1970
    with pytest.raises(ValueError):
        Progress.from_wire({"reference": "R", "status": "lost", "updated_at": 0.0})
    with pytest.raises(ValueError):
        SignIn.from_wire({"name": "李示例", "id_number": "150602198503151236", "assurance": "id_card"})


def test_nothing_personal_shows_in_a_repr() -> None:
    signin = SignIn("李示例", "150602198503151236")
    cert = Certificate.from_wire(_certificate_wire())
    result = Result(Status.OK, signin)
    for text in (repr(signin), repr(cert), repr(result), str(signin)):
        assert "李示例" not in text and "150602198503151236" not in text and "a tiny stand-in" not in text


def test_a_visit_forgets_its_answers_and_overwrites_the_pdf() -> None:
    answers = VisitAnswers()
    cert = answers.keep(Certificate.from_wire(_certificate_wire()))
    answers.keep(SignIn("李示例", "150602198503151236"))
    held = cert.pdf  # what any other holder of the bytes would see
    assert len(answers) == 2 and bytes(held) == PDF
    answers.clear()
    assert len(answers) == 0 and held == bytearray() and "李示例" not in repr(answers)


def test_frames_round_trip_and_bad_frames_are_refused() -> None:
    a, b = socket.socketpair()
    with a, b:
        write_frame(a, {"v": 1, "text": "王晓丽"})
        assert read_frame(b) == {"v": 1, "text": "王晓丽"}
        a.sendall(b"\x00\x00\x00\x02[]")
        with pytest.raises(FrameError):
            read_frame(b)
        a.sendall((MAX_FRAME + 1).to_bytes(4, "big"))
        with pytest.raises(FrameError):
            read_frame(b)
    c, d = socket.socketpair()
    with d:
        c.sendall(encode_frame({"v": 1})[:-1])
        c.close()
        with pytest.raises(FrameError):
            read_frame(d)


def test_the_online_section_has_safe_defaults_and_checks_its_values(tmp_path: Path) -> None:
    example = load_config(example_config_path())
    assert example.online.request_timeout_s == 5.0 and example.online_socket == Path("/var/lib/kiosk/online.sock")
    custom = parse_config({"kiosk": {"data_dir": str(tmp_path)}, "online": {"socket_path": "/run/k/o.sock"}})
    assert custom.online_socket == Path("/run/k/o.sock")
    assert parse_config({"kiosk": {"data_dir": str(tmp_path)}}).online_socket == tmp_path / "online.sock"
    for bad in ({"request_timeout_s": 0}, {"certificate_timeout_s": 500}, {"timeout": 3}):
        with pytest.raises(ConfigError):
            parse_config({"online": bad})


def test_without_an_agent_every_call_is_no_link_in_plain_words(tmp_path: Path) -> None:
    client = OnlineClient(tmp_path / "absent.sock", timeout_s=1.0)
    for result in (client.query("mi_account_query", None), client.progress("KSK-0001-270101-0007"),
                   client.signin("KSP1-X")):
        assert result.status is Status.NO_LINK and not result.ok and result.problem.advice.zh
    assert client.link_up() is False


REPLIES = st.dictionaries(
    st.sampled_from(["status", "error", "reason", "result", "v", "link"]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(list(Status)),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
                 max_leaves=10),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(reply=REPLIES, kind=st.sampled_from(["query", "certificate", "progress", "signin"]))
def test_any_reply_from_the_agent_becomes_a_result_never_an_exception(reply: dict, kind: str) -> None:
    client = OnlineClient(Path("/nonexistent"))
    parse = {"query": Table.from_wire, "certificate": Certificate.from_wire, "progress": Progress.from_wire,
             "signin": SignIn.from_wire}[kind]
    result = client._result(kind, reply, parse)
    assert isinstance(result, Result)
    assert result.ok or (result.problem is not None and result.problem.message.zh)
