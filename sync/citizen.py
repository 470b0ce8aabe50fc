"""Fast checks of citizen records (submission, appointment, ticket, rating, report), equal to their schemas.

``sync/schemas/up-<kind>.json`` and ``citizen-common.json`` are the contract; jsonschema needs 2-5 ms for one of
these records, which would cap the hall's drain at a few hundred records a second, so the hall's hot path
(:func:`sync.contract.check_uplink`) uses these hand-written checks instead. ``tests/sync/test_sync_citizen.py``
checks they agree with the schemas on real records and hundreds of broken ones. The enumerations come from the
kiosk code that writes the records (``kiosk/visit/flow.py``, ``kiosk/identity.py``); a test checks the schemas
list the same values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.identity import NATIONS, SEXES, SOURCES
from kiosk.languages import LANGUAGES
from kiosk.visit.flow import BAD_LEVELS, RATING_LEVELS, RATING_REASONS, REPORT_CATEGORIES, REPORT_MAX_CHARS

KINDS = ("submission", "appointment", "ticket", "rating", "report")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}-[0-9]{6}-[0-9]{4,}")
_KIOSK_NUMBER = re.compile(r"[A-HJ-NP-Z][0-9]{3,}")  # a queue letter (no I, O) and digits: kiosk/queue_numbers.py
_LOCAL_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SLUG = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_PHONE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")
_NATION = re.compile("|".join(NATIONS))
TEXT_MAX = 2000  # common.json#/$defs/text
FORM_VALUE_MAX = 2000

_BASE = ("v", "kiosk_id", "reference", "created_at", "created_local", "lang")
_FIELDS = {
    "submission": (
        *_BASE, "item_kind", "item_id", "bundle_id", "service_ids", "form", "identity", "catalog_version", "materials"
    ),
    "appointment": (*_BASE, "department", "slot_start", "slot_end", "name", "id_number"),
    "ticket": (*_BASE, "number", "department", "offline", "waiting_ahead"),
    "rating": (*_BASE, "item_id", "service_ids", "level", "level_text", "bad", "reasons"),
    "report": (*_BASE, "category", "category_text", "text", "phone", "item_id", "name", "id_number"),
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]{1,100}")
MATERIAL_NAME_MAX = 200
_IDENTITY_FIELDS = frozenset(
    {"name", "sex", "nation", "birth_date", "address", "id_number", "authority", "valid_from", "valid_to",
     "long_term", "source"}
)  # fmt: skip


class _Bad(Exception):
    """One problem, as ``path: what``."""


def problem(kind: str, personal: Any, payload: Any) -> str | None:
    """What is wrong with a citizen record of ``kind`` (``payload`` and the envelope's ``personal`` flag), as
    ``payload/<field>: why``; None when it follows ``up-<kind>.json``."""
    try:
        if not isinstance(payload, dict):
            raise _Bad("payload: expected an object")
        optional = ("action",) if kind == "appointment" and "action" in payload else ()  # a cancellation
        _fields(payload, (*_FIELDS[kind], *optional), "payload")
        _base(payload)
        _CHECKS[kind](payload)
        _personal(kind, personal, payload)
    except _Bad as exc:
        return str(exc)
    return None


# -------------------------------------------------------------------------------------------------- helpers


def _fields(obj: Mapping[str, Any], expected: tuple[str, ...] | frozenset[str], where: str) -> None:
    missing = [f for f in expected if f not in obj]
    if missing:
        raise _Bad(f"{where}: missing required field(s) {', '.join(missing)}")
    extra = sorted(set(obj) - set(expected))
    if extra:
        raise _Bad(f"{where}: unexpected field(s) {', '.join(extra)}")


def _string(obj: Mapping[str, Any], key: str, pattern: re.Pattern[str] | None = None, *, empty: bool = False,
            max_len: int | None = None, where: str = "payload") -> str:
    value = obj[key]
    if not isinstance(value, str):
        raise _Bad(f"{where}/{key}: expected a string, got {_json_type(value)}")
    if max_len is not None and len(value) > max_len:
        raise _Bad(f"{where}/{key}: longer than {max_len} characters")
    if pattern is not None and not (empty and value == "") and not pattern.fullmatch(value):
        raise _Bad(f"{where}/{key}: {_show(value)} does not match {pattern.pattern}")
    return value


def _nullable(obj: Mapping[str, Any], key: str, pattern: re.Pattern[str], where: str = "payload") -> str | None:
    if obj[key] is None:
        return None
    return _string(obj, key, pattern, where=where)


def _choice(obj: Mapping[str, Any], key: str, allowed: Mapping[Any, Any] | frozenset[str] | tuple[str, ...],
            where: str = "payload") -> str:
    value = obj[key]
    if not isinstance(value, str) or value not in allowed:
        raise _Bad(f"{where}/{key}: {_show(value)} is not one of {', '.join(map(str, allowed))}")
    return value


def _bool(obj: Mapping[str, Any], key: str, where: str = "payload") -> bool:
    if not isinstance(obj[key], bool):
        raise _Bad(f"{where}/{key}: expected true or false, got {_json_type(obj[key])}")
    return obj[key]


def _is_integer(value: Any) -> bool:
    # JSON Schema's "integer" is any number with no fraction (5.0 too), never a boolean.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _slugs(obj: Mapping[str, Any], key: str) -> list[str]:
    value = obj[key]
    if not isinstance(value, list):
        raise _Bad(f"payload/{key}: expected a list, got {_json_type(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not _SLUG.fullmatch(item):
            raise _Bad(f"payload/{key}/{i}: {_show(item)} does not match {_SLUG.pattern}")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------------------------------------- the kinds


def _base(p: Mapping[str, Any]) -> None:
    if p["v"] != 1 or isinstance(p["v"], bool):
        raise _Bad(f"payload/v: expected 1, got {_show(p['v'])}")
    _string(p, "kiosk_id", _ID)
    created = p["created_at"]
    if not isinstance(created, int | float) or isinstance(created, bool) or created < 0:
        raise _Bad("payload/created_at: expected a number >= 0")
    _string(p, "created_local", _LOCAL_TIME)
    _choice(p, "lang", LANGUAGES)


def _submission(p: Mapping[str, Any]) -> None:
    _string(p, "reference", _REFERENCE)
    item_kind = _choice(p, "item_kind", ("service", "bundle"))
    _string(p, "item_id", _SLUG)
    bundle = _nullable(p, "bundle_id", _SLUG)
    services = _slugs(p, "service_ids")
    if not services:
        raise _Bad("payload/service_ids: at least one service")
    if item_kind == "bundle" and bundle is None:
        raise _Bad("payload/bundle_id: a bundle application names its bundle")
    if item_kind == "service" and (bundle is not None or len(services) > 1):
        raise _Bad("payload: a single-service application has no bundle_id and one service id")
    form = p["form"]
    if not isinstance(form, dict):
        raise _Bad(f"payload/form: expected an object, got {_json_type(form)}")
    for key in form:
        if not _SLUG.fullmatch(key):
            raise _Bad(f"payload/form: field key {_show(key)} does not match {_SLUG.pattern}")
        _string(form, key, max_len=FORM_VALUE_MAX, where="payload/form")
    _identity(p["identity"])
    _string(p, "catalog_version", max_len=200)
    if not p["catalog_version"]:
        raise _Bad("payload/catalog_version: must not be empty")
    _materials(p["materials"])


def _list(value: Any, where: str, max_items: int, min_items: int = 0) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{where}: expected a list, got {_json_type(value)}")
    if not min_items <= len(value) <= max_items:
        raise _Bad(f"{where}: expected {min_items} to {max_items} items")
    return value


def _materials(materials: Any) -> None:
    where = "payload/materials"
    if not isinstance(materials, dict):
        raise _Bad(f"{where}: expected an object, got {_json_type(materials)}")
    _fields(materials, ("provided", "missing"), where)
    for i, item in enumerate(_list(materials["provided"], f"{where}/provided", 100)):
        at = f"{where}/provided/{i}"
        if not isinstance(item, dict):
            raise _Bad(f"{at}: expected an object, got {_json_type(item)}")
        _fields(item, ("name", "pages"), at)
        if not _string(item, "name", max_len=MATERIAL_NAME_MAX, where=at):
            raise _Bad(f"{at}/name: must not be empty")
        for j, page in enumerate(_list(item["pages"], f"{at}/pages", 100, 1)):
            page_at = f"{at}/pages/{j}"
            if not isinstance(page, dict):
                raise _Bad(f"{page_at}: expected an object, got {_json_type(page)}")
            _fields(page, ("sha256", "size", "media_type"), page_at)
            _string(page, "sha256", _SHA256, where=page_at)
            _string(page, "media_type", _MEDIA_TYPE, where=page_at)
            size = page["size"]
            if not (_is_integer(size) and 1 <= size <= 268435456):
                raise _Bad(f"{page_at}/size: expected an integer 1 to 268435456")
    for i, name in enumerate(_list(materials["missing"], f"{where}/missing", 100)):
        if not isinstance(name, str) or not 1 <= len(name) <= MATERIAL_NAME_MAX:
            raise _Bad(f"{where}/missing/{i}: expected a string of 1 to {MATERIAL_NAME_MAX} characters")


def _identity(identity: Any) -> None:
    where = "payload/identity"
    if not isinstance(identity, dict):
        raise _Bad(f"{where}: expected an object, got {_json_type(identity)}")
    _fields(identity, _IDENTITY_FIELDS, where)
    for key in ("name", "address", "authority"):
        _string(identity, key, max_len=TEXT_MAX, where=where)
    _choice(identity, "sex", SEXES, where)
    nation = _string(identity, "nation", _NATION, empty=True, where=where)
    _string(identity, "birth_date", _DATE, where=where)
    _string(identity, "id_number", _ID_NUMBER, where=where)
    valid_from = _nullable(identity, "valid_from", _DATE, where)
    valid_to = _nullable(identity, "valid_to", _DATE, where)
    long_term = _bool(identity, "long_term", where)
    source = _choice(identity, "source", frozenset(SOURCES), where)
    if long_term and valid_to is not None:
        raise _Bad(f"{where}/valid_to: a long-term card has no end date")
    card_fields = (identity["name"], nation, identity["address"], identity["authority"], valid_from, valid_to)
    if source == "typed" and (any(card_fields) or long_term):
        raise _Bad(f"{where}: a typed ID number gives no name, nation, address, authority or validity")
    if source == "phone_code" and (any(card_fields[1:]) or long_term):
        raise _Bad(f"{where}: a phone sign-in gives no nation, address, authority or validity")


def _appointment(p: Mapping[str, Any]) -> None:
    if "action" in p and p["action"] != "cancel":
        raise _Bad(f"payload/action: {_show(p['action'])} is not one of cancel")
    _string(p, "reference", _REFERENCE)
    _string(p, "department", _SLUG)
    _string(p, "slot_start", _LOCAL_TIME)
    _string(p, "slot_end", _LOCAL_TIME)
    _string(p, "name", max_len=TEXT_MAX)
    _string(p, "id_number", _ID_NUMBER)


def _ticket(p: Mapping[str, Any]) -> None:
    for key in ("reference", "number"):
        if not _string(p, key, max_len=80):
            raise _Bad(f"payload/{key}: must not be empty")
    _string(p, "department", _SLUG)
    offline = _bool(p, "offline")
    waiting = p["waiting_ahead"]
    if waiting is not None and not (_is_integer(waiting) and waiting >= 0):
        raise _Bad("payload/waiting_ahead: expected an integer >= 0 or null")
    if offline:
        _string(p, "number", _KIOSK_NUMBER)
        if waiting is not None:
            raise _Bad("payload/waiting_ahead: a kiosk-numbered ticket cannot know the queue (null)")


def _rating(p: Mapping[str, Any]) -> None:
    _string(p, "reference", _REFERENCE, empty=True)
    item = _nullable(p, "item_id", _SLUG)
    services = _slugs(p, "service_ids")
    if item is None and services:
        raise _Bad("payload/service_ids: must be empty when item_id is null")
    level = p["level"]
    if not (_is_integer(level) and level in RATING_LEVELS):
        raise _Bad(f"payload/level: expected an integer 1 to 5, got {_show(level)}")
    texts = {t.zh: t for t in RATING_LEVELS.values()}
    if _choice(p, "level_text", texts) != RATING_LEVELS[int(level)].zh:
        raise _Bad(f"payload/level_text: level {int(level)} is {RATING_LEVELS[int(level)].zh!r}")
    if _bool(p, "bad") != (level in BAD_LEVELS):
        raise _Bad(f"payload/bad: must be {str(level in BAD_LEVELS).lower()} for level {int(level)}")
    reasons = p["reasons"]
    if not isinstance(reasons, list):
        raise _Bad(f"payload/reasons: expected a list, got {_json_type(reasons)}")
    for i, reason in enumerate(reasons):
        if not isinstance(reason, str) or reason not in RATING_REASONS:
            raise _Bad(f"payload/reasons/{i}: {_show(reason)} is not one of {', '.join(RATING_REASONS)}")
    if len(set(reasons)) != len(reasons):
        raise _Bad("payload/reasons: a reason is listed twice")
    if level in BAD_LEVELS and not reasons:
        raise _Bad("payload/reasons: a bad rating (level 1 or 2) needs at least one reason")
    if level >= 4 and reasons:
        raise _Bad("payload/reasons: ratings 4 and 5 take no reasons")


def _report(p: Mapping[str, Any]) -> None:
    _string(p, "reference", _REFERENCE)
    category = _choice(p, "category", REPORT_CATEGORIES)
    texts = {t.zh: t for t in REPORT_CATEGORIES.values()}
    if _choice(p, "category_text", texts) != REPORT_CATEGORIES[category].zh:
        raise _Bad(f"payload/category_text: category {category} is {REPORT_CATEGORIES[category].zh!r}")
    text = _string(p, "text", max_len=REPORT_MAX_CHARS)
    if category == "other" and not text:
        raise _Bad("payload/text: a report of category 'other' says what happened")
    _string(p, "phone", _PHONE, empty=True)
    _nullable(p, "item_id", _SLUG)
    name = _string(p, "name", max_len=TEXT_MAX)
    if not _string(p, "id_number", _ID_NUMBER, empty=True) and name:
        raise _Bad("payload/name: a name comes only with the ID number of a card")


_CHECKS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "submission": _submission,
    "appointment": _appointment,
    "ticket": _ticket,
    "rating": _rating,
    "report": _report,
}


def _personal(kind: str, personal: Any, p: Mapping[str, Any]) -> None:
    # Submissions and appointments name the citizen; tickets and ratings never do; a report does when the
    # citizen identified themselves or left a phone number.
    expected = bool(p["id_number"] or p["phone"]) if kind == "report" else kind in ("submission", "appointment")
    if personal is not expected:
        raise _Bad(f"personal: must be {str(expected).lower()} for this {kind} record")
