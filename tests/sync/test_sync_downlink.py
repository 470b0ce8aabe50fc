"""Downlink: commands, config and catalog updates, fault acks; every type fuzzed with bad payloads."""

from __future__ import annotations

import json
import logging
import threading
import time
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.catalog import CatalogRepository, shipped_catalog_path
from kiosk.config import load_config
from kiosk.shared_settings import MAINTENANCE_SETTING, ui_inbox_kind
from sync import contract
from sync.agent_main import catalog_installer
from tests import citizen
from tests.sync.conftest import Broker, Kiosk, Loop, RawClient, ScreenStandIn, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until

KIOSK = "KSK-0001"


class Rig:
    """Hall + kiosk agent running on threads, and an impostor client that can publish anything anywhere."""

    def __init__(self, tmp_path: Path, broker: Broker, **kiosk_kwargs: Any) -> None:
        self.hall = make_hall(tmp_path / "hall.db", broker.port)
        self.hall_loop = Loop(self.hall, "hall")
        wait_until(lambda: self.hall.connected, 5, "hall connected")
        stub = type("C", (), {"kiosk": type("K", (), {"data_dir": tmp_path / KIOSK})()})()
        kiosk_kwargs.setdefault("catalog_installer", catalog_installer(stub))  # type: ignore[arg-type]
        self.k: Kiosk = make_kiosk(tmp_path, mqtt_section(broker.port), **kiosk_kwargs)
        self.screen = ScreenStandIn(self.k.store)  # the screen process is up: self_test can see its devices
        self.agent_loop = Loop(self.k.agent, "agent")
        wait_until(lambda: self.k.agent.connected, 5, "agent connected")
        self.impostor = RawClient(broker.port, "impostor")
        self.topics = contract.Topics("gov/v1", "test-hall", KIOSK)

    def send(self, kind: str, **fields: Any) -> str:
        return self.hall.submit(lambda h: h.send(KIOSK, kind, **fields)).result(timeout=5)

    def result(self, msg_id: str, timeout: float = 10) -> dict:
        return wait_until(lambda: self.hall.results().get(msg_id), timeout, f"the result of {msg_id}")

    def all_results(self) -> list[dict]:
        return [m["payload"] for m in self.hall.db.messages("command_result")]

    def stop(self) -> None:
        self.impostor.close()
        self.screen.stop()
        self.agent_loop.stop()
        self.hall_loop.stop()


@pytest.fixture
def rig(tmp_path: Path, broker: Broker) -> Iterator[Rig]:
    r = Rig(tmp_path, broker)
    try:
        yield r
    finally:
        r.stop()


def test_self_test_and_maintenance_mode(rig: Rig) -> None:
    res = rig.result(rig.send("command", command="self_test", args={}))
    assert res["status"] == "ok" and res["command"] == "self_test"
    assert {"devices", "open_faults", "outbox_depth", "disk_free_bytes"} <= set(res["detail"])
    res = rig.result(rig.send("command", command="enter_maintenance", args={"reason": "换纸"}))
    assert res["status"] == "ok"
    assert rig.k.store.get_setting(MAINTENANCE_SETTING)["on"] is True
    assert rig.k.store.get_setting(MAINTENANCE_SETTING)["reason"] == "换纸"
    rig.result(rig.send("command", command="leave_maintenance", args={}))
    assert rig.k.store.get_setting(MAINTENANCE_SETTING)["on"] is False


def test_resend_since_sends_confirmed_rows_again_and_the_hall_still_holds_one_each(rig: Rig) -> None:
    t0 = time.time()
    keys = [rig.k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(20)]
    wait_until(lambda: rig.hall.db.count("submission") == 20, 10, "first delivery")
    copies_before = rig.hall.db.copies()
    res = rig.result(rig.send("command", command="resend_since", args={"since": t0 - 1}))
    assert res["status"] == "ok" and res["detail"]["requeued"] >= 20
    wait_until(lambda: rig.hall.db.copies() >= copies_before + 20, 10, "the resent copies")
    wait_until(lambda: rig.k.store.outbox_stats().depth == 0, 10, "confirmed again")
    assert sorted(rig.hall.db.keys("submission")) == sorted(keys)


def test_purge_personal_wipes_every_personal_payload_when_asked_for_all(rig: Rig) -> None:
    rig.k.store.enqueue("submission", citizen.submission(1), personal=True)
    wait_until(lambda: rig.hall.db.count("submission") == 1, 10, "delivery")
    res = rig.result(rig.send("command", command="purge_personal", args={"scope": "expired"}))
    assert res["detail"] == {"purged": 0, "scope": "expired"}  # confirmed moments ago: within retention
    res = rig.result(rig.send("command", command="purge_personal", args={"scope": "all"}))
    assert res["status"] == "ok" and res["detail"]["purged"] == 1
    assert rig.k.store.pending(kinds=["submission"]) == []


def test_print_test_page_is_handed_to_the_screen_process_and_answered_when_done(rig: Rig) -> None:
    msg_id = rig.send("command", command="print_test_page", args={})
    entries = wait_until(lambda: rig.k.store.inbox_pending(kinds=[ui_inbox_kind("print_test_page")]), 5, "handoff")
    # A command sent after it is answered; results go out in outbox order, so an early answer would be there too.
    rig.result(rig.send("command", command="self_test", args={}))
    assert entries[0].msg_id == msg_id and rig.hall.results().get(msg_id) is None
    rig.k.store.inbox_done(msg_id, {"status": "ok", "detail": {"printed": True}})  # what the screen process does
    assert rig.result(msg_id)["status"] == "ok"


def test_a_command_the_screen_never_carries_out_is_answered_with_an_error(tmp_path: Path, broker: Broker) -> None:
    rig = Rig(tmp_path, broker)
    rig.k.downlink._ui_timeout_s = 0.5  # the screen process is not running in this test
    try:
        res = rig.result(rig.send("command", command="print_test_page", args={}))
        assert res["status"] == "error" and "did not carry out" in res["error"]
    finally:
        rig.stop()


def test_config_update_is_validated_written_atomically_and_applied_once(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sync.downlink")
    # Issue 12 point 6: the hall's values go to the hall-settings file in the data directory; kiosk.toml, the
    # technician's and root's, is never written by the agent. The effective config is the two together.
    technicians = rig.k.config_path.read_bytes()
    path = rig.k.hall_settings_path
    first = rig.result(rig.send("config", version="2026-12", config={"session": {"warning_s": 25.0}}))
    assert first["status"] == "ok", first
    before = path.read_text()
    msg_id = rig.send(
        "config", version="2027-01", config={"session": {"idle_timeout_s": 150.0}, "health": {"ui_stale_s": 45.0}}
    )
    res = rig.result(msg_id)
    assert res["status"] == "ok" and res["detail"] == {"version": "2027-01", "restart_required": True}
    table = tomllib.loads(path.read_text())
    assert table["session"]["idle_timeout_s"] == 150.0 and load_config(rig.k.config_path).kiosk.id == KIOSK
    assert load_config(rig.k.config_path).session.idle_timeout_s == 150.0
    assert path.with_name(path.name + ".bak").read_text() == before
    assert rig.k.config_path.read_bytes() == technicians
    assert rig.k.store.get_setting("config.version") == "2027-01"
    # The retained update comes again on every reconnect: it is not applied twice.
    mtime = path.stat().st_mtime_ns
    rig.k.agent._drop("test: reconnect")
    wait_until(lambda: rig.k.agent.state.connects >= 2, 5, "reconnect")
    # The event that proves the retained copy came back and was handled: the downlink saw its msg_id again.
    again = f"downlink config {msg_id} already handled"
    wait_until(lambda: any(r.getMessage() == again for r in caplog.records), 5, "the retained update again")
    assert path.stat().st_mtime_ns == mtime
    assert sum(1 for r in rig.all_results() if r["msg_id"] == msg_id) == 1


@pytest.mark.parametrize(
    ("config", "why"),
    [
        ({"session": {"idle_timeout_s": 5}}, "session.idle_timeout_s"),
        ({"session": {"idle_timeout": 100}}, "unknown key"),
        ({"mqtt": {"host": "evil.example"}}, "mqtt.host: cannot be changed remotely"),
        ({"kiosk": {"id": "KSK-9999"}}, "kiosk.id: cannot be changed remotely"),
        ({"health": {"rules": [{"id": "x"}]}}, "health.rules[0].when"),
    ],
)
def test_a_rejected_config_update_changes_nothing_and_says_why(rig: Rig, config: dict, why: str) -> None:
    before = rig.k.config_path.read_bytes()
    res = rig.result(rig.send("config", version="bad", config=config))
    assert res["status"] == "rejected" and why in res["error"], res
    assert rig.k.config_path.read_bytes() == before
    assert not rig.k.hall_settings_path.exists()


def test_catalog_update_installs_or_is_rejected_with_why(rig: Rig, tmp_path: Path) -> None:
    catalog = json.loads(shipped_catalog_path().read_text(encoding="utf-8"))
    catalog["version"] = "2099.1.1"
    assert rig.result(rig.send("catalog", version="2099.1.1", catalog=catalog))["status"] == "ok"
    repo = CatalogRepository(tmp_path / KIOSK)
    assert repo.active().version == "2099.1.1"
    broken = dict(catalog, services="not a list", version="2099.1.2")
    res = rig.result(rig.send("catalog", version="2099.1.2", catalog=broken))
    assert res["status"] == "rejected" and "services" in res["error"]
    assert repo.active().version == "2099.1.1"


def test_fault_ack_from_the_hall(rig: Rig) -> None:
    fault = rig.k.store.raise_fault("jam", device="dispenser", severity="major")
    wait_until(lambda: rig.hall.db.faults(open_only=True), 10, "the fault at the hall")
    res = rig.result(rig.send("fault_ack", fault_id=fault.id, by="wang.li"))
    assert res["status"] == "ok"
    assert rig.k.store.open_faults()[0].acked_by == "wang.li"
    wait_until(lambda: rig.hall.db.faults()[0]["acked_by"] == "wang.li", 10, "acked state at the hall")
    res = rig.result(rig.send("fault_ack", fault_id=99999, by="wang.li"))
    assert res["status"] == "rejected" and "99999" in res["error"]


def test_an_uplink_message_the_hall_rejects_is_quarantined_and_not_resent_forever(rig: Rig) -> None:
    bad = rig.k.store.enqueue("fault", {"event": "exploded"})  # breaks up-fault.json
    wait_until(lambda: rig.k.store.get(bad.key).state == "confirmed", 10, "the rejected row to be settled")
    q = rig.hall.db.quarantined()
    assert [x["key"] for x in q] == [bad.key] and "payload" in q[0]["error"]
    assert rig.hall.db.count("fault") == 0


# ------------------------------------------------------------------------------------------------ fuzzing


def _valid(kind: str) -> dict:
    fields: dict[str, Any] = {
        "ack": {"keys": [str(uuid.uuid4())]},
        "command": {"command": "self_test", "args": {}},
        "config": {"version": "v", "config": {"session": {"idle_timeout_s": 100.0}}},
        "catalog": {"version": "v", "catalog": {"schema": 1}},
        "fault_ack": {"fault_id": 1, "by": "op"},
    }[kind]
    return contract.down_message(kind, sender="hall", created_at=time.time(), **fields)


def _bad_payloads(kind: str) -> list[tuple[bytes, str | None, Any]]:
    """(payload, msg_id the result must carry or None, MQTT properties) for one downlink kind."""
    out: list[tuple[bytes, str | None, Any]] = []
    salt = kind.encode()
    for raw in (
        b"",
        b"\xff\xfe" + salt,
        b"{not json " + salt,
        b'[1, 2, "' + salt + b'"]',
        b"42",
        b"null",
        b'"' + salt + b'"',
        b"[" * 50_000 + b"]" * 50_000,
        b'{"v": NaN, "k": "' + salt + b'"}',
    ):
        out.append((raw, None, None))

    def variant(**changes: Any) -> None:
        msg = _valid(kind)
        for key, value in changes.items():
            if value is _DELETE:
                msg.pop(key, None)
            else:
                msg[key] = value
        out.append((json.dumps(msg).encode(), msg.get("msg_id") if isinstance(msg.get("msg_id"), str) else None, None))

    variant(msg_id=_DELETE)
    variant(msg_id="not-a-uuid")
    variant(v=2)
    variant(v="1")
    variant(**{"from": "intruder"})
    variant(kind="ack" if kind != "ack" else "command")
    variant(created_at="yesterday")
    variant(surprise=True)
    variant(**{"from": None})
    nested: Any = {}
    for _ in range(400):
        nested = {"x": nested}
    variant(deep=nested)
    specific = {
        "ack": [{"keys": "all"}, {"keys": [1, 2]}, {"keys": [str(uuid.uuid4())], "rejected": [{"key": "k"}]}],
        "command": [
            {"command": "format_disk"},
            {"args": _DELETE},
            {"args": []},
            {"command": "resend_since", "args": {"since": "x"}},
            {"command": "purge_personal", "args": {"scope": "everything"}},
            {"command": "self_test", "args": {"now": True}},
        ],
        "config": [{"config": "x"}, {"config": {"session": 5}}, {"version": ""}],
        "catalog": [{"catalog": []}, {"version": _DELETE}],
        "fault_ack": [{"fault_id": 0}, {"fault_id": "1"}, {"by": "a b"}],
    }[kind]
    for change in specific:
        variant(**change)
    # The right payload from the hall's identity, but the MQTT 5 sender property says otherwise.
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("sender", "intruder")]
    good = _valid(kind)
    out.append((json.dumps(good).encode(), good["msg_id"], props))
    return out


_DELETE = object()


def test_every_downlink_type_fuzzed_gets_error_results_no_crash_and_nothing_lost(rig: Rig) -> None:
    stop = threading.Event()
    enqueued: list[str] = []

    def citizens() -> None:  # uplink keeps flowing during the fuzzing
        i = 0
        while not stop.is_set() and i < 300:
            enqueued.append(rig.k.store.enqueue("submission", citizen.submission(i), personal=True).key)
            i += 1
            time.sleep(0.005)

    writer = threading.Thread(target=citizens)
    writer.start()
    expected_ids: list[str] = []
    anonymous = 0
    try:
        for kind in contract.DOWN_KINDS:
            for payload, msg_id, props in _bad_payloads(kind):
                rig.impostor.publish(rig.topics.down(kind), payload, properties=props)
                if msg_id is not None:
                    expected_ids.append(msg_id)
                else:
                    anonymous += 1
        rig.impostor.publish(rig.topics.base + "/down/bogus", json.dumps(_valid("command")))
        expected_ids.append("bogus")
    finally:
        writer.join(timeout=30)
        stop.set()

    def answered() -> bool:
        results = rig.all_results()
        ids = {r["msg_id"] for r in results}
        named = [i for i in expected_ids if i != "bogus"]
        return (
            set(named) <= ids
            and sum(r["msg_id"] is None for r in results) >= anonymous
            and any(r["request_kind"] == "unknown" for r in results)
        )

    wait_until(answered, 30, "an error result for every bad message")
    results = rig.all_results()
    assert all(r["status"] in ("error", "rejected") for r in results), [r for r in results if r["status"] == "ok"]
    assert sum(r["msg_id"] is None for r in results) == anonymous  # each bad message answered exactly once
    # Not crashed: the agent still works, and every citizen record written meanwhile arrived exactly once.
    assert rig.result(rig.send("command", command="self_test", args={}))["status"] == "ok"
    wait_until(lambda: rig.hall.db.count("submission") == len(enqueued), 20, "every submission")
    assert sorted(rig.hall.db.keys("submission")) == sorted(enqueued)
    assert rig.k.agent.connected and rig.agent_loop.error is None
