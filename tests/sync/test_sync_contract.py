"""The contract: topics, schemas, the fast envelope check, and captured wire traffic validated against the schemas."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kiosk.catalog import CatalogRepository, shipped_catalog_path
from kiosk.devices import DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from kiosk.maintenance import MaintenanceSession
from kiosk.store import Store
from sync import contract
from sync.agent_main import catalog_installer
from sync.config_update import PROTECTED_KEYS
from tests import citizen
from tests.sync.conftest import HALL_ID, Broker, Loop, RawClient, ScreenStandIn, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until

DOC = Path(__file__).resolve().parents[2] / "docs" / "mqtt-contract.md"


def test_every_schema_is_a_valid_json_schema_with_its_id() -> None:
    names = contract.schema_names()
    assert {
        "up-envelope",
        "up-heartbeat",
        "up-fault",
        "up-command-result",
        "status",
        "hall-status",
        "down-envelope",
        "down-ack",
        "down-command",
        "down-config",
        "down-catalog",
        "down-fault-ack",
        "citizen-common",
        "up-submission",
        "up-appointment",
        "up-ticket",
        "up-rating",
        "up-report",
    } <= set(names)
    for name in names:
        doc = json.loads((contract.SCHEMA_DIR / f"{name}.json").read_text())
        Draft202012Validator.check_schema(doc)
        assert doc["$id"] == contract.SCHEMA_BASE + name + ".json"


def test_topics_are_built_and_parsed_back() -> None:
    t = contract.Topics("gov/v1", "ordos-kbs", "KSK-0001")
    assert t.up("submission") == "gov/v1/ordos-kbs/kiosk/KSK-0001/up/submission"
    assert t.status == "gov/v1/ordos-kbs/kiosk/KSK-0001/status"
    assert t.down("command") == "gov/v1/ordos-kbs/kiosk/KSK-0001/down/command"
    assert t.down_filter == "gov/v1/ordos-kbs/kiosk/KSK-0001/down/+"
    assert contract.Topics("gov/v1", "ordos-kbs", "+").up_filter("hall") == "$share/hall/gov/v1/ordos-kbs/kiosk/+/up/+"
    assert t.hall_status("h1") == "gov/v1/ordos-kbs/hall/h1/status"
    p = contract.parse_topic("gov/v1", t.up("fault"))
    assert (p.hall, p.kiosk, p.direction, p.kind) == ("ordos-kbs", "KSK-0001", "up", "fault")
    assert contract.parse_topic("gov/v1", t.status).direction == "status"
    assert contract.parse_topic("gov/v1", t.hall_status("h1")).kind == "h1"
    for foreign in ("gov/v2/x/kiosk/k/up/a", "gov/v1/x/kiosk/k/up", "gov/v1/x/kiosk/k/sideways/a", "other"):
        assert contract.parse_topic("gov/v1", foreign) is None


@pytest.mark.parametrize("bad", ["KSK/1", "K+", "#", "", "a b", "x" * 65])
def test_ids_that_cannot_be_topic_segments_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        contract.Topics("gov/v1", "hall", bad)


def _envelope() -> dict:
    return json.loads(
        contract.encode_uplink(
            key=str(uuid.uuid4()),
            kind="submission",
            kiosk_id="KSK-1",
            hall_id="h",
            seq=7,
            created_at=1.5,
            sent_at=2.0,
            attempt=1,
            personal=True,
            payload_json='{"a":[1,"二"]}',
        )
    )


def _mutations() -> list[dict]:
    base = _envelope()
    out = [copy.deepcopy(base)]
    values = [
        None,
        "x",
        -1,
        0,
        1,
        1.5,
        True,
        False,
        [],
        {},
        "KSK-1",
        str(uuid.uuid4()),
        "A-UUID",
        "kind_2",
        "1x",
        "ünï",
        10**12,
    ]
    for field in list(base):
        missing = copy.deepcopy(base)
        del missing[field]
        out.append(missing)
        for v in values:
            m = copy.deepcopy(base)
            m[field] = v
            out.append(m)
    extra = copy.deepcopy(base)
    extra["extra"] = 1
    out += [extra, [], "x", None]
    return out


def test_the_fast_envelope_check_agrees_with_the_schema() -> None:
    schema = contract.validator("up-envelope")
    checked = 0
    for msg in _mutations():
        try:
            contract.check_envelope(msg)
            fast_ok = True
        except contract.ContractError:
            fast_ok = False
        assert fast_ok == schema.is_valid(msg), msg
        checked += 1
    assert checked > 150


def test_encode_uplink_is_the_same_json_as_building_the_dict() -> None:
    msg = _envelope()
    assert msg["payload"] == {"a": [1, "二"]}
    assert json.loads(contract.encode(msg)) == msg


def test_the_contract_document_names_every_schema_topic_command_and_protected_key() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in contract.schema_names():
        assert f"{name}.json" in text, name
    for piece in (
        "/up/<kind>",
        "/status",
        "/down/ack",
        "/down/command",
        "/down/config",
        "/down/catalog",
        "/down/fault_ack",
        "/hall/<instance>/status",
        "$share/",
    ):
        assert piece in text, piece
    for command in contract.COMMANDS:
        assert f"`{command}`" in text, command
    for key in PROTECTED_KEYS:
        assert f"`{key}`" in text, key


def test_the_documents_uplink_examples_follow_their_schemas() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    uplinks = []
    for block in blocks:
        try:
            msg = json.loads(block)
        except json.JSONDecodeError:
            continue  # several messages in one block, or elided ids ("…")
        if isinstance(msg, dict) and "key" in msg and "payload" in msg:
            uplinks.append(msg)
            contract.validate(contract.up_schema(msg["kind"]), msg)
            contract.check_uplink(msg)
    assert {m["kind"] for m in uplinks} >= {"ticket"}


def _schema_for(topic: str) -> str:
    parsed = contract.parse_topic("gov/v1", topic)
    assert parsed is not None, topic
    if parsed.direction == "up":
        return contract.up_schema(parsed.kind)
    if parsed.direction == "down":
        return contract.down_schema(parsed.kind)
    return "status" if parsed.direction == "status" else "hall-status"


def test_captured_wire_traffic_matches_the_schemas(tmp_path: Path, broker: Broker) -> None:
    sniffer = RawClient(broker.port, "sniffer", subscribe="gov/v1/#")
    hall = make_hall(tmp_path / "hall.db", broker.port)
    hall_loop = Loop(hall, "hall")
    wait_until(lambda: hall.connected, 5, "hall connected")
    link = mqtt_section(broker.port, heartbeat_s=1.0)
    cfg_stub = type("C", (), {"kiosk": type("K", (), {"data_dir": tmp_path / "KSK-0001"})()})()
    k = make_kiosk(tmp_path, link, catalog_installer=catalog_installer(cfg_stub))  # type: ignore[arg-type]
    screen = ScreenStandIn(k.store)  # the screen process is up (self_test reports its device states)
    agent_loop = Loop(k.agent, "agent")
    try:
        # Four citizens at the kiosk: the screen process's Session writes their records into the shared database.
        with Store(k.kiosk.data_dir / "kiosk.db") as screen_store:
            references = citizen.visit(screen_store)
            technician = MaintenanceSession(screen_store, kiosk_id="KSK-0001")  # telemetry of the plain envelope
            technician.enter()
            technician.leave()
        sink = StatusSink(k.store)
        sink.report(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
        wait_until(lambda: hall.db.faults(open_only=True), 10, "the fault to reach the hall")
        fault_id = hall.db.faults()[0]["fault_id"]
        sink.report(DeviceStatus("printer", DeviceState.OK))
        catalog = json.loads(shipped_catalog_path().read_text(encoding="utf-8"))
        sent = hall.submit(
            lambda h: [
                h.send("KSK-0001", "command", command="self_test", args={}),
                h.send("KSK-0001", "config", version="c1", config={"session": {"idle_timeout_s": 120}}),
                h.send("KSK-0001", "catalog", version="cat1", catalog=catalog),
                h.send("KSK-0001", "fault_ack", fault_id=fault_id, by="duty-officer"),
            ]
        ).result(timeout=5)
        wait_until(lambda: set(sent) <= set(hall.results()), 15, "every result")
        wait_until(lambda: hall.db.count("heartbeat") >= 1, 10, "a heartbeat")
        wait_until(lambda: len(hall.db.messages("fault")) == 3, 10, "raised, cleared and acked events")
        wait_until(
            lambda: all(hall.db.count(kind) == 1 for kind in contract.CITIZEN_KINDS), 10, "one record of each kind"
        )
        wait_until(lambda: hall.db.count("event") == 2, 10, "the technician's two events")
        results = hall.results()
        assert [results[m]["status"] for m in sent] == ["ok", "ok", "ok", "ok"], results
    finally:
        screen.stop()
        agent_loop.stop()
        hall_loop.stop()
    wait_until(
        lambda: any(t.endswith("/kiosk/KSK-0001/status") and b'"online":false' in p for t, p, _ in sniffer.received()),
        5,
        "offline status",
    )
    sniffer.close()

    seen: dict[str, int] = {}
    for topic, payload, _retained in sniffer.received():
        if not payload:
            continue
        name = _schema_for(topic)
        contract.validate(name, json.loads(payload))
        seen[name] = seen.get(name, 0) + 1
    # Every message type went over the wire and matched its schema.
    expected = {
        "up-envelope",
        "up-heartbeat",
        "up-fault",
        "up-command-result",
        "status",
        "hall-status",
        "down-ack",
        "down-command",
        "down-config",
        "down-catalog",
        "down-fault-ack",
        "up-submission",
        "up-appointment",
        "up-ticket",
        "up-rating",
        "up-report",
    }
    assert expected <= set(seen), expected - set(seen)
    # The hall stored the Session's records as they were written, and refused none.
    assert hall.db.quarantined() == []
    for kind in contract.CITIZEN_KINDS:
        (stored,) = hall.db.messages(kind)
        assert stored["payload"]["reference"] == references[kind], kind
    events = sorted(m["payload"]["event"] for m in hall.db.messages("fault"))
    assert events == ["acked", "cleared", "raised"]
    cleared = next(m["payload"] for m in hall.db.messages("fault") if m["payload"]["event"] == "cleared")
    assert cleared["duration_s"] == pytest.approx(cleared["cleared_at"] - cleared["raised_at"])
    assert CatalogRepository(tmp_path / "KSK-0001").active().version == catalog["version"]
    assert re.search(r"idle_timeout_s = 120\b", k.hall_settings_path.read_text())  # the hall's settings file
    assert hall.db.count("submission") + hall.db.count("ticket") + hall.db.count("rating") == 3
    assert HALL_ID in {m["payload"].get("hall_id", HALL_ID) for m in hall.db.messages("heartbeat")}


def test_the_fast_ack_check_agrees_with_the_schema() -> None:
    base = contract.ack_message([str(uuid.uuid4()), "x"], sender="hall", created_at=5.0, rejected=[("k", "bad")])
    schema = contract.validator("down-ack")
    values = [
        None,
        "x",
        -1,
        0,
        1,
        1.5,
        True,
        [],
        {},
        ["a"],
        [1],
        [""],
        ["y" * 201],
        "hall",
        str(uuid.uuid4()),
        [{"key": "k", "error": "e"}],
        [{"key": "k"}],
        [{"key": 1, "error": "e"}],
        ["k"] * 10_001,
    ]
    cases = [copy.deepcopy(base)]
    for field in [*base, "extra"]:
        if field in base:
            missing = copy.deepcopy(base)
            del missing[field]
            cases.append(missing)
        for v in values:
            m = copy.deepcopy(base)
            m[field] = v
            cases.append(m)
    for msg in [*cases, [], "ack"]:
        try:
            contract.check_ack(msg)
            fast_ok = True
        except contract.ContractError:
            fast_ok = False
        assert fast_ok == schema.is_valid(msg), msg
