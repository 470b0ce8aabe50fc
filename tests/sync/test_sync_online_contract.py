"""The hand-written request/answer checks (sync/online/fastcheck.py) accept and refuse exactly what the published
schemas (sync/schemas/req-*.json, answer-*.json) do, on valid messages and on many generated variants."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import contract
from sync.online import wire

RID = "9f0d2c1e-4b7a-4c55-8a51-2d0e6f1b7c30"
IDENTITY = {"name": "王晓丽", "id_number": "150602199003071226", "assurance": "id_card"}
TEXT = {"zh": "表", "en": "Table"}


def requests() -> list[dict[str, Any]]:
    base = {"request_id": RID, "kiosk_id": "KSK-0001", "hall_id": "h", "sent_at": 1.0, "timeout_s": 5.0}
    return [
        wire.request_message("query", service="mi_account_query", params={}, identity=IDENTITY, **base),
        wire.request_message("query", service="legal_service_search", params={"lawyer_search": "示例"}, **base),
        wire.request_message("certificate", service="si_certificate_print", params={"a": "1"}, identity=IDENTITY,
                             **base),
        wire.request_message("progress", reference="KSK-0001-270101-0007", **base),
        wire.request_message("signin", code="KSP1-ABCDEFGH", **base),
    ]


def answers() -> list[dict[str, Any]]:
    def ok(kind: str, result: dict[str, Any]) -> dict[str, Any]:
        return wire.answer_message(kind, RID, sender="hall", created_at=1.0, status="ok", result=result)

    return [
        ok("query", {"service": "s", "title": TEXT, "columns": [{"key": "a", "title": TEXT}], "rows": [["x"]],
                     "note": None}),
        ok("certificate", {"service": "s", "title": TEXT, "pdf_base64": "JVBERi0xLjQK", "sha256": "0" * 64,
                           "pages": 1, "verification_code": "ABCD-EFGH-IJKL-MNOP", "issued_at": 1.0}),
        ok("progress", {"reference": "R", "status": "done", "updated_at": 1.0, "service": TEXT, "note": None}),
        ok("signin", {"name": "李示例", "id_number": "150602198503151236", "assurance": "phone_code"}),
        wire.answer_message("signin", RID, sender="hall", created_at=1.0, status="refused", reason="used", error="x"),
        wire.answer_message("query", RID, sender="hall", created_at=1.0, status="no_record", error=None),
    ]


def _agree(msg: Any, direction: str) -> None:
    fast = wire.validate_request if direction == "req" else wire.validate_answer
    try:
        fast(msg)
        fast_ok = True
    except contract.ContractError:
        fast_ok = False
    try:
        wire.schema_check(msg, direction)
        schema_ok = True
    except (contract.ContractError, KeyError, TypeError):  # schema_check needs a kind to pick the kind's schema
        schema_ok = False
    assert fast_ok == schema_ok, (direction, msg)


@pytest.mark.parametrize("msg", requests())
def test_valid_requests_pass_both(msg: dict[str, Any]) -> None:
    wire.validate_request(msg)
    wire.schema_check(msg, "req")


@pytest.mark.parametrize("msg", answers())
def test_valid_answers_pass_both(msg: dict[str, Any]) -> None:
    wire.validate_answer(msg)
    wire.schema_check(msg, "answer")


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 300), st.sampled_from([0.0, 1.0, 2.5, -1.0, 120.0, 120.5, 1e9]),
    st.sampled_from(["", "x", "ok", "answer", "query", "progress", "used", "id_card", "phone_code", RID, "K\n",
                     "KSK-0001", "150602199003071226", "A" * 64, "0" * 64, "ABCD-EFGH", "zh", "a_b", "Bad Key"]),
    st.text(max_size=5),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["zh", "en", "key", "title", "name", "id_number", "assurance", "a", "X"]), inner, max_size=3),
    max_leaves=6)


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(msg: dict[str, Any], data: st.DataObject) -> Any:
    msg = copy.deepcopy(msg)
    for _ in range(data.draw(st.integers(1, 2))):
        paths = [p for p in _paths(msg) if p]
        if not paths:
            return data.draw(VALUES)
        path = data.draw(st.sampled_from(paths))
        parent = msg
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["set", "drop", "add"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "note", "reason", "result", "identity", "zh", "en"]))] = (
                data.draw(VALUES)
            )
        else:
            parent[path[-1]] = data.draw(VALUES)
    return msg


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_the_fast_checks_agree_with_the_schemas_on_variants(data: st.DataObject) -> None:
    direction = data.draw(st.sampled_from(["req", "answer"]))
    base = data.draw(st.sampled_from(requests() if direction == "req" else answers()))
    _agree(_mutate(base, data), direction)
