"""Citizen records against their schemas (``sync/schemas/up-<kind>.json``).

Real records, written by real Session visits, follow their schemas; a record missing a field, with a wrong type
or breaking a rule is refused with an error that names the field, by the schema and by the hall's fast check;
the fast check agrees with the schemas on hundreds of broken records; the schemas list what the kiosk code
writes; and the reference hall quarantines a broken record with its reason while the good ones arrive.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.demo import sample_identity
from kiosk.forms import LANDLINE_RE, MAX_VALUE_LENGTH, MOBILE_RE
from kiosk.identity import NATIONS, SEXES, SOURCES, identity_from_signin
from kiosk.store import SUBMISSION_KINDS, OutboxEntry, Store
from kiosk.visit import records
from kiosk.visit.flow import RATING_LEVELS, RATING_REASONS, REPORT_CATEGORIES, REPORT_MAX_CHARS
from sync import contract
from sync.citizen import problem
from tests import citizen
from tests.sync.conftest import HALL_ID, Broker, Loop, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until

KINDS = contract.CITIZEN_KINDS


def wire(entry: OutboxEntry, kiosk_id: str = citizen.KIOSK_ID) -> dict[str, Any]:
    """The message the agent publishes for an outbox row (its own encoder), parsed."""
    body = contract.encode_uplink(
        key=entry.key, kind=entry.kind, kiosk_id=kiosk_id, hall_id=HALL_ID, seq=entry.seq,
        created_at=entry.created_at, sent_at=entry.created_at + 1, attempt=1, personal=entry.personal,
        payload_json=entry.payload_json,
    )  # fmt: skip
    return json.loads(body)


@pytest.fixture(scope="module")
def visited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every citizen record of seven real visits, as wire messages, by kind."""
    store = Store(tmp_path_factory.mktemp("visits") / "kiosk.db")
    try:
        citizen.visit(store)
        citizen.other_visits(store)
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for entry in store.pending(limit=100):
            by_kind.setdefault(entry.kind, []).append(wire(entry))
    finally:
        store.close()
    return by_kind


def refused(msg: Any) -> tuple[str, str]:
    """(the schema's error, the fast check's error); fails the test if either accepts ``msg``."""
    with pytest.raises(contract.ContractError) as by_schema:
        contract.validate(contract.up_schema(msg["kind"]), msg)
    with pytest.raises(contract.ContractError) as by_check:
        contract.check_uplink(msg)
    return str(by_schema.value), str(by_check.value)


def first(visited: dict[str, list[dict[str, Any]]], kind: str) -> dict[str, Any]:
    return copy.deepcopy(visited[kind][0])


# ----------------------------------------------------------------------------------------- real records


def test_the_records_of_real_visits_follow_their_schemas(visited: dict[str, list[dict[str, Any]]]) -> None:
    assert {kind: len(msgs) for kind, msgs in visited.items()} == {
        "submission": 2, "appointment": 1, "ticket": 2, "rating": 2, "report": 2
    }  # fmt: skip
    for kind, messages in visited.items():
        for msg in messages:
            contract.validate(contract.up_schema(kind), msg)
            contract.check_uplink(msg)
    sources = {m["payload"]["identity"]["source"] for m in visited["submission"]}
    assert sources == {"id_card", "typed"} and {m["payload"]["item_kind"] for m in visited["submission"]} == {
        "bundle", "service"
    }  # fmt: skip
    assert {m["payload"]["offline"] for m in visited["ticket"]} == {True, False}
    assert {m["personal"] for m in visited["report"]} == {True}
    assert "photo" not in json.dumps(visited["submission"])


def test_a_phone_sign_in_identity_is_taken_with_the_vouched_name_only(visited: dict[str, list[dict[str, Any]]]) -> None:
    msg = first(visited, "submission")
    card = sample_identity()
    msg["payload"]["identity"] = records.identity_payload(identity_from_signin(card.name, card.id_number))
    assert msg["payload"]["identity"]["source"] == "phone_code" and msg["payload"]["identity"]["name"] == card.name
    contract.validate(contract.up_schema("submission"), msg)
    contract.check_uplink(msg)
    msg["payload"]["identity"]["address"] = card.address  # a phone code says nothing of an address
    _, by_check = refused(msg)
    assert by_check.startswith("payload/identity: a phone sign-in gives no nation, address")


def test_records_built_in_bulk_are_real_ones_too() -> None:
    for kind, build, personal in (
        ("submission", citizen.submission, True),
        ("appointment", citizen.appointment, True),
        ("ticket", citizen.ticket, False),
        ("rating", citizen.rating, False),
    ):
        payload = build(7)
        assert problem(kind, personal, payload) is None, kind
        assert citizen.number(payload) == 7


# -------------------------------------------------------------------------------------- broken records


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_missing_a_required_field_is_refused_naming_it(
    visited: dict[str, list[dict[str, Any]]], kind: str
) -> None:
    fields = list(visited[kind][0]["payload"])
    assert len(fields) >= 10
    for field in fields:
        msg = first(visited, kind)
        del msg["payload"][field]
        by_schema, by_check = refused(msg)
        assert by_schema.startswith("payload: ") and f"'{field}' is a required property" in by_schema, by_schema
        assert by_check == f"payload: missing required field(s) {field}"


WRONG_TYPES = [
    ("submission", ("identity", "id_number"), 150602199003071226, "payload/identity/id_number"),
    ("submission", ("service_ids",), "newborn", "payload/service_ids"),
    ("submission", ("form", "phone"), 13912345678, "payload/form/phone"),
    ("appointment", ("slot_start",), 1772762400, "payload/slot_start"),
    ("appointment", ("id_number",), None, "payload/id_number"),
    ("ticket", ("offline",), "yes", "payload/offline"),
    ("ticket", ("waiting_ahead",), "4", "payload/waiting_ahead"),
    ("rating", ("level",), "3", "payload/level"),
    ("rating", ("reasons",), "other", "payload/reasons"),
    ("report", ("phone",), 13912345678, "payload/phone"),
    ("report", ("created_at",), "2026-03-05", "payload/created_at"),
]


@pytest.mark.parametrize(("kind", "path", "value", "where"), WRONG_TYPES, ids=lambda v: str(v))
def test_a_field_of_the_wrong_type_is_refused_naming_it(
    visited: dict[str, list[dict[str, Any]]], kind: str, path: tuple[str, ...], value: Any, where: str
) -> None:
    msg = visited[kind][-1] if kind in ("ticket", "rating") else visited[kind][0]  # the hall's ticket, rating 3
    msg = copy.deepcopy(msg)
    target = msg["payload"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    by_schema, by_check = refused(msg)
    assert by_schema.startswith(where + ": "), by_schema
    assert by_check.startswith(where + ": "), by_check


def _set(*path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(msg: dict[str, Any]) -> None:
        target = msg
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _many(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(msg: dict[str, Any]) -> None:
        for c in changes:
            c(msg)

    return change


RULES = [  # (kind, which record, change, what the fast check says)
    ("submission", 0, _set("payload", "identity", "photo", value="AQID"), "payload/identity: unexpected field(s)"),
    ("submission", 0, _set("personal", value=False), "personal: must be true"),
    ("submission", 0, _set("payload", "bundle_id", value=None), "payload/bundle_id: a bundle application"),
    ("submission", 1, _set("payload", "service_ids", value=["a", "b"]), "payload: a single-service application"),
    ("submission", 1, _set("payload", "identity", "name", value="王晓丽"), "payload/identity: a typed ID number"),
    ("submission", 0, _set("payload", "identity", "valid_to", value="2036-01-01"), "payload/identity/valid_to"),
    ("submission", 0, _set("payload", "reference", value="KSK-0001-0001"), "payload/reference"),
    ("submission", 0, _set("payload", "form", "Phone", value="1"), "payload/form: field key 'Phone'"),
    ("appointment", 0, _set("payload", "id_number", value="15060219900307122X1"), "payload/id_number"),
    ("ticket", 0, _set("payload", "waiting_ahead", value=3), "payload/waiting_ahead: a kiosk-numbered ticket"),
    ("ticket", 0, _set("payload", "number", value="KSK-0001-007"), "payload/number"),  # not a called number
    ("ticket", 1, _set("payload", "id_number", value="150602199003071226"), "payload: unexpected field(s) id_number"),
    ("rating", 0, _set("payload", "reasons", value=[]), "payload/reasons: a bad rating"),
    ("rating", 0, _set("payload", "level_text", value="满意"), "payload/level_text: level 2"),
    ("rating", 0, _set("payload", "reasons", value=["slow", "slow"]), "payload/reasons: a reason is listed twice"),
    ("rating", 1, _many(_set("payload", "level", value=5), _set("payload", "level_text", value="非常满意")),
     "payload/reasons: ratings 4 and 5 take no reasons"),
    ("rating", 1, _set("payload", "bad", value=True), "payload/bad: must be false"),
    ("rating", 1, _set("payload", "name", value="王晓丽"), "payload: unexpected field(s) name"),
    ("report", 1, _set("payload", "text", value=""), "payload/text: a report of category 'other'"),
    ("report", 0, _set("personal", value=False), "personal: must be true"),
    ("report", 0, _set("payload", "category", value="refused"), "payload/category_text: category refused"),
    ("report", 0, _set("payload", "name", value="王晓丽"), "payload/name: a name comes only"),
    ("report", 0, _set("payload", "phone", value="12345"), "payload/phone"),
    ("report", 1, _set("payload", "text", value="长" * (REPORT_MAX_CHARS + 1)), "payload/text: longer than 500"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "which", "change", "says"), RULES, ids=[f"{r[0]}-{r[3][:40]}" for r in RULES])
def test_a_record_breaking_a_rule_of_its_schema_is_refused(
    visited: dict[str, list[dict[str, Any]]], kind: str, which: int, change: Callable, says: str
) -> None:
    msg = copy.deepcopy(visited[kind][which])
    change(msg)
    _, by_check = refused(msg)
    assert by_check.startswith(says), by_check


# -------------------------------------------------------------------------- the fast check = the schemas

VALUES: list[Any] = [  # every JSON type, and values that are right for some field and wrong for others
    None, "", "x", 0, 3, -1, 2.5, True, [], {}, ["slow"], "150602199003071226", "2026-03-05",
    "2026-03-05T10:00:00+08:00", "KSK-0001-260305-0001", "KSK-0001-001", "13912345678", "newborn", "其他问题",
    "other", "02", "typed",
]  # fmt: skip


def _mutations(msg: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield msg
    for personal in (not msg["personal"],):
        yield {**msg, "personal": personal}
    holders = [("payload",)] + ([("payload", "identity")] if "identity" in msg["payload"] else [])
    for holder in holders:
        fields = list(_at(msg, holder))
        for field in [*fields, "extra"]:
            if field in fields:
                gone = copy.deepcopy(msg)
                del _at(gone, holder)[field]
                yield gone
            for value in VALUES:
                changed = copy.deepcopy(msg)
                _at(changed, holder)[field] = value
                yield changed


def _at(msg: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        msg = msg[key]
    return msg


def test_a_visit_in_every_kiosk_language_is_accepted_by_the_hall(visited: dict[str, list[dict[str, Any]]]) -> None:
    """A citizen served in Mongolian (kiosk.languages) must not have the record refused; an unknown one is."""
    from kiosk.languages import LANGUAGES

    for kind in visited:
        for lang in LANGUAGES:
            msg = first(visited, kind)
            msg["payload"]["lang"] = lang
            contract.validate(contract.up_schema(kind), msg)
            contract.check_uplink(msg)
        msg = first(visited, kind)
        msg["payload"]["lang"] = "fr"
        refused(msg)


def test_the_halls_fast_check_agrees_with_the_schemas(visited: dict[str, list[dict[str, Any]]]) -> None:
    checked = refused_count = 0
    for kind, messages in visited.items():
        schema = contract.validator(contract.up_schema(kind))
        for original in messages:
            for msg in _mutations(original):
                try:
                    contract.check_uplink(msg)
                    fast_ok = True
                except contract.ContractError:
                    fast_ok = False
                assert fast_ok == schema.is_valid(msg), (kind, msg["personal"], msg["payload"])
                checked += 1
                refused_count += not fast_ok
    assert checked > 2500 and refused_count > checked * 0.8, (checked, refused_count)


# --------------------------------------------------------------------------- schemas = the kiosk's code


def _schema(name: str) -> dict[str, Any]:
    return json.loads((contract.SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _then_consts(schema: dict[str, Any], when: str, field: str) -> dict[Any, Any]:
    """{value of ``when``: const of ``field``} from the payload's if/then rules."""
    out = {}
    for rule in schema["properties"]["payload"]["allOf"]:
        cond = rule.get("if", {}).get("properties", {}).get(when, {})
        then = rule.get("then", {}).get("properties", {}).get(field, {})
        if "const" in cond and "const" in then:
            out[cond["const"]] = then["const"]
    return out


def test_the_schemas_list_what_the_kiosk_code_writes() -> None:
    assert set(contract.CITIZEN_KINDS) == SUBMISSION_KINDS
    rating, report, submission = _schema("up-rating"), _schema("up-report"), _schema("up-submission")
    common = _schema("citizen-common")["$defs"]
    assert common["payload_version"]["const"] == records.PAYLOAD_VERSION
    rp = rating["properties"]["payload"]["properties"]
    assert rp["level_text"]["enum"] == [t.zh for t in RATING_LEVELS.values()]
    assert _then_consts(rating, "level", "level_text") == {k: t.zh for k, t in RATING_LEVELS.items()}
    assert rp["reasons"]["items"]["enum"] == list(RATING_REASONS)
    pp = report["properties"]["payload"]["properties"]
    assert pp["category"]["enum"] == list(REPORT_CATEGORIES)
    assert pp["category_text"]["enum"] == [t.zh for t in REPORT_CATEGORIES.values()]
    assert _then_consts(report, "category", "category_text") == {k: t.zh for k, t in REPORT_CATEGORIES.items()}
    assert pp["text"]["maxLength"] == REPORT_MAX_CHARS
    form = submission["properties"]["payload"]["properties"]["form"]
    assert form["additionalProperties"]["maxLength"] == MAX_VALUE_LENGTH
    identity = common["identity"]["properties"]
    assert identity["sex"]["enum"] == list(SEXES) and sorted(identity["source"]["enum"]) == sorted(SOURCES)
    nation = re.compile(identity["nation"]["pattern"])
    assert {f"{n:02d}" for n in range(100) if nation.search(f"{n:02d}")} == set(NATIONS)
    phone = re.compile(common["optional_phone"]["pattern"])
    for number in ("13912345678", "19900000000", "0477-8581234", "04778581234", "010-12345678", "12912345678",
                   "1391234567", "477-8581234", "0477-858123", "+8613912345678"):
        assert bool(phone.search(number)) == bool(MOBILE_RE.fullmatch(number) or LANDLINE_RE.fullmatch(number))
    assert set(common["identity"]["required"]) == set(records.identity_payload(sample_identity()))


# ------------------------------------------------------------------------------------------ at the hall


def test_the_hall_quarantines_a_broken_record_with_its_reason_and_keeps_the_good_ones(
    tmp_path: Path, broker: Broker
) -> None:
    hall = make_hall(tmp_path / "hall.db", broker.port)
    k = make_kiosk(tmp_path, mqtt_section(broker.port))
    good = k.store.enqueue("submission", citizen.submission(1), personal=True).key
    broken = {key: value for key, value in citizen.submission(2).items() if key != "identity"}
    bad = k.store.enqueue("submission", broken, personal=True).key
    later = k.store.enqueue("rating", citizen.rating(1)).key
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        # The broken row is settled too (the hall acknowledged it as rejected): the kiosk stops resending it.
        wait_until(lambda: k.store.outbox_stats().depth == 0, 15, "every row settled")
    finally:
        for loop in loops:
            loop.stop()
    assert hall.db.keys("submission") == [good] and hall.db.keys("rating") == [later]
    # Each copy that reached the hall (a resend may cross the rejection) was kept aside with the reason.
    quarantined = {(q["key"], q["error"]) for q in hall.db.quarantined()}
    assert quarantined == {(bad, "payload: missing required field(s) identity")}
