"""Hand-written checks equal to ``req-*.json`` and ``answer-*.json``, for the request path.

jsonschema takes 3-10 ms for one request or answer on a kiosk-class CPU, more than the whole round trip through
the broker; these take microseconds. They follow the schemas' exact semantics (``pattern`` is a regex search,
``integer`` accepts 2.0, ``const 1`` accepts 1.0 but not true, NaN passes ``minimum``), and
``tests/sync/test_sync_online_contract.py`` checks on generated messages that they accept and refuse exactly what
the schemas do. Errors name the place and the rule, never the value (these messages hold personal data).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from sync.contract import ContractError

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,63}$")
KINDS = ("query", "certificate", "progress", "signin")
STATUSES = ("ok", "no_record", "department_down", "bad_request", "refused")
_REQUEST_BASE = ("v", "kind", "id", "kiosk_id", "hall_id", "sent_at", "timeout_s")
_REQUEST_FIELDS = {
    "query": ({"service", "params"}, {"identity"}),
    "certificate": ({"service", "identity", "params"}, set()),
    "progress": ({"reference"}, set()),
    "signin": ({"code"}, set()),
}
_ANSWER_KEYS = frozenset(
    {"v", "kind", "request_kind", "request_id", "from", "created_at", "status", "error", "reason", "result"}
)
_ANSWER_REQUIRED = ("v", "kind", "request_kind", "request_id", "from", "created_at", "status", "error")


def _fail(path: str, rule: str) -> None:
    raise ContractError(f"{path}: fails '{rule}'")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_integer(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())


def _string(v: Any, path: str, *, pattern: re.Pattern[str] | None = None, lo: int = 0, hi: int | None = None) -> None:
    if not isinstance(v, str):
        _fail(path, "type")
    if len(v) < lo:
        _fail(path, "minLength")
    if hi is not None and len(v) > hi:
        _fail(path, "maxLength")
    if pattern is not None and not pattern.search(v):
        _fail(path, "pattern")


def _timestamp(v: Any, path: str) -> None:
    if not _is_number(v):
        _fail(path, "type")
    if v < 0:
        _fail(path, "minimum")


def _object(v: Any, path: str, required: tuple[str, ...] | set[str], allowed: frozenset[str] | set[str] | None) -> dict:
    if not isinstance(v, dict):
        _fail(path, "type")
    if any(k not in v for k in required):
        _fail(path, "required")
    if allowed is not None and any(k not in allowed for k in v):
        _fail(path, "additionalProperties")
    return v


def _text(v: Any, path: str) -> None:
    _object(v, path, ("zh", "en"), {"zh", "en"})
    _string(v["zh"], f"{path}/zh", hi=2000)
    _string(v["en"], f"{path}/en", hi=2000)


def _const_one(v: Any, path: str) -> None:
    if not (_is_number(v) and v == 1):
        _fail(path, "const")


# ---------------------------------------------------------------------------------------------------- requests


def check_request(msg: Any) -> None:
    """Raise ContractError unless ``msg`` follows ``req-envelope.json`` and its kind's ``req-<kind>.json``."""
    _object(msg, "(message)", _REQUEST_BASE, None)
    _const_one(msg["v"], "v")
    if msg["kind"] not in KINDS or not isinstance(msg["kind"], str):
        _fail("kind", "enum")
    _string(msg["id"], "id", pattern=_UUID)
    _string(msg["kiosk_id"], "kiosk_id", pattern=_ID)
    _string(msg["hall_id"], "hall_id", pattern=_ID)
    _timestamp(msg["sent_at"], "sent_at")
    timeout = msg["timeout_s"]
    if not _is_number(timeout):
        _fail("timeout_s", "type")
    if timeout <= 0:
        _fail("timeout_s", "exclusiveMinimum")
    if timeout > 120:
        _fail("timeout_s", "maximum")
    required, optional = _REQUEST_FIELDS[msg["kind"]]
    _object(msg, "(message)", required, set(_REQUEST_BASE) | required | optional)
    if "service" in msg:
        _string(msg["service"], "service", pattern=_SLUG)
    if "identity" in msg:
        ident = _object(
            msg["identity"], "identity", ("name", "id_number", "assurance"), {"name", "id_number", "assurance"}
        )
        _string(ident["name"], "identity/name", hi=60)
        _string(ident["id_number"], "identity/id_number", pattern=_ID_NUMBER)
        if ident["assurance"] not in ("id_card", "sscard", "typed", "phone_code") or not isinstance(
            ident["assurance"], str
        ):
            _fail("identity/assurance", "enum")
    if "params" in msg:
        params = msg["params"]
        if not isinstance(params, dict):
            _fail("params", "type")
        if len(params) > 40:
            _fail("params", "maxProperties")
        for key, value in params.items():
            if not _SLUG.search(key):
                _fail("params", "propertyNames")
            _string(value, f"params/{key}", hi=500)
    for name in ("reference", "code"):
        if name in msg:
            _string(msg[name], name, lo=1, hi=200)


# ----------------------------------------------------------------------------------------------------- answers


def _result_query(r: Any) -> None:
    _object(r, "result", ("service", "title", "columns", "rows"), {"service", "title", "columns", "rows", "note"})
    _string(r["service"], "result/service", pattern=_SLUG)
    _text(r["title"], "result/title")
    columns = r["columns"]
    if not isinstance(columns, list):
        _fail("result/columns", "type")
    if not 1 <= len(columns) <= 30:
        _fail("result/columns", "minItems" if not columns else "maxItems")
    for i, col in enumerate(columns):
        _object(col, f"result/columns/{i}", ("key", "title"), {"key", "title"})
        _string(col["key"], f"result/columns/{i}/key", pattern=_SLUG)
        _text(col["title"], f"result/columns/{i}/title")
    rows = r["rows"]
    if not isinstance(rows, list):
        _fail("result/rows", "type")
    if len(rows) > 2000:
        _fail("result/rows", "maxItems")
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            _fail(f"result/rows/{i}", "type")
        if len(row) > 30:
            _fail(f"result/rows/{i}", "maxItems")
        for j, cell in enumerate(row):
            _string(cell, f"result/rows/{i}/{j}", hi=500)
    if "note" in r and r["note"] is not None:
        _text(r["note"], "result/note")


def _result_certificate(r: Any) -> None:
    keys = ("service", "title", "pdf_base64", "sha256", "pages", "verification_code", "issued_at")
    _object(r, "result", keys, set(keys))
    _string(r["service"], "result/service", pattern=_SLUG)
    _text(r["title"], "result/title")
    _string(r["pdf_base64"], "result/pdf_base64", lo=8, hi=5_600_000)
    _string(r["sha256"], "result/sha256", pattern=_SHA256)
    pages = r["pages"]
    if not _is_integer(pages):
        _fail("result/pages", "type")
    if not 1 <= pages <= 100:
        _fail("result/pages", "minimum" if pages < 1 else "maximum")
    _string(r["verification_code"], "result/verification_code", pattern=_CODE)
    _timestamp(r["issued_at"], "result/issued_at")


def _result_progress(r: Any) -> None:
    _object(
        r, "result", ("reference", "status", "updated_at"), {"reference", "status", "updated_at", "service", "note"}
    )
    _string(r["reference"], "result/reference", lo=1, hi=100)
    if r["status"] not in ("received", "in_review", "needs_materials", "done") or not isinstance(r["status"], str):
        _fail("result/status", "enum")
    _timestamp(r["updated_at"], "result/updated_at")
    for name in ("service", "note"):
        if name in r and r[name] is not None:
            _text(r[name], f"result/{name}")


def _result_signin(r: Any) -> None:
    _object(r, "result", ("name", "id_number", "assurance"), {"name", "id_number", "assurance"})
    _string(r["name"], "result/name", lo=1, hi=60)
    _string(r["id_number"], "result/id_number", pattern=_ID_NUMBER)
    if r["assurance"] != "phone_code" or not isinstance(r["assurance"], str):
        _fail("result/assurance", "const")


_RESULTS: Mapping[str, Callable[[Any], None]] = {
    "query": _result_query,
    "certificate": _result_certificate,
    "progress": _result_progress,
    "signin": _result_signin,
}


def check_answer(msg: Any) -> None:
    """Raise ContractError unless ``msg`` follows ``answer-envelope.json`` and ``answer-<request_kind>.json``."""
    _object(msg, "(message)", _ANSWER_REQUIRED, None)
    _const_one(msg["v"], "v")
    if msg["kind"] != "answer" or not isinstance(msg["kind"], str):
        _fail("kind", "const")
    kind = msg["request_kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        _fail("request_kind", "enum")
    _string(msg["request_id"], "request_id", pattern=_UUID)
    _string(msg["from"], "from", pattern=_ID)
    _timestamp(msg["created_at"], "created_at")
    if not isinstance(msg["status"], str) or msg["status"] not in STATUSES:
        _fail("status", "enum")
    if msg["error"] is not None:
        _string(msg["error"], "error", hi=2000)
    if "reason" in msg and (not isinstance(msg["reason"], str) or msg["reason"] not in ("used", "expired", "invalid")):
        _fail("reason", "enum")
    if "result" in msg and not isinstance(msg["result"], dict):
        _fail("result", "type")
    if msg["status"] == "ok":
        if "result" not in msg:
            _fail("(message)", "required")
    elif "result" in msg:
        _fail("(message)", "not")
    _object(msg, "(message)", (), _ANSWER_KEYS)
    if "result" in msg:
        _RESULTS[kind](msg["result"])
