"""Issue 12 point 19: what a hall written from the contract alone ran into, on a real broker.

Too-big downlinks were executed, a NaN passed validation and failed as "internal error", a wrong ``sender`` was
blamed on ``from``, the key of an answer with a null ``msg_id`` was not written down, ``self_test`` and the
heartbeat said nothing useful while the screen process was down, the example config left out link settings, and
the page did not name the ``$share`` group nor say what happens to statuses a broker lost.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.config import MqttSection, example_config_path
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.shared_settings import MAINTENANCE_SETTING
from sync import contract
from tests.sync.conftest import Broker, Loop, RawClient, make_hall, make_kiosk, mqtt_section
from tests.sync.test_sync_downlink import Rig
from tests.waiting import wait_until

DOC = Path(__file__).resolve().parents[2] / "docs" / "mqtt-contract.md"
KIOSK = "KSK-0001"


@pytest.fixture
def rig(tmp_path: Path, broker: Broker) -> Iterator[Rig]:
    r = Rig(tmp_path, broker)
    try:
        yield r
    finally:
        r.stop()


def _result_for(rig: Rig, predicate, what: str) -> dict:  # type: ignore[no-untyped-def]
    return wait_until(lambda: next((r for r in rig.all_results() if predicate(r)), None), 15, what)


@pytest.mark.parametrize("size", [2**20, 12 * 2**20], ids=["1MiB", "12MiB"])
def test_an_oversized_command_is_answered_with_an_error_and_not_carried_out(rig: Rig, size: int) -> None:
    msg = contract.down_message("command", sender="hall", created_at=time.time(), command="enter_maintenance",
                                args={"reason": "padded"})  # fmt: skip
    body = json.dumps(msg).encode()
    padded = body[:-1] + b" " * (size - len(body)) + b"}"  # valid JSON, valid schema: only its size is wrong
    assert len(padded) == size and json.loads(padded) == msg
    rig.impostor.publish(rig.topics.down("command"), padded, properties=_sender("hall"))
    res = _result_for(rig, lambda r: "16384 bytes" in (r["error"] or ""), "the size error")
    assert res["status"] == "error" and res["msg_id"] is None and res["request_kind"] == "command"
    assert f"{size} bytes" in res["error"]
    # Later commands still work, and the big one was never carried out.
    assert rig.result(rig.send("command", command="self_test", args={}))["status"] == "ok"
    assert not (rig.k.store.get_setting(MAINTENANCE_SETTING) or {}).get("on")


def test_a_nan_is_refused_naming_the_field_not_as_an_internal_error(rig: Rig) -> None:
    msg = contract.down_message("command", sender="hall", created_at=-1.0, command="self_test", args={})
    msg_id = msg["msg_id"]
    raw = json.dumps(msg).replace('"created_at": -1.0', '"created_at": NaN').encode()  # what Python would send
    assert b"NaN" in raw
    rig.impostor.publish(rig.topics.down("command"), raw, properties=_sender("hall"))
    res = rig.result(msg_id)
    assert res["status"] == "error" and "internal error" not in res["error"], res
    assert res["error"].startswith("created_at: NaN"), res


def test_a_wrong_sender_property_is_named_as_such(rig: Rig) -> None:
    msg = contract.down_message("command", sender="hall", created_at=time.time(), command="self_test", args={})
    rig.impostor.publish(rig.topics.down("command"), json.dumps(msg), properties=_sender("intruder"))
    res = rig.result(msg["msg_id"])
    assert res["status"] == "error" and res["error"].startswith("sender (MQTT user property): 'intruder'"), res
    assert not res["error"].startswith("from")


def test_the_key_of_an_answer_without_msg_id_is_the_one_the_contract_gives(rig: Rig) -> None:
    # Built from the page alone: the namespace it prints, and the name it describes.
    text = DOC.read_text(encoding="utf-8")
    namespace = uuid.UUID(re.search(r"UUID5 in the namespace\s+`([0-9a-f-]{36})`", text).group(1))  # type: ignore[union-attr]
    assert "`<kiosk>/bad/<h>`" in text and "`<kiosk>/result/<msg_id>`" in text
    payload = b"{not json at all"
    digest = hashlib.sha256(b"command" + b"\0" + payload).hexdigest()
    expected = str(uuid.uuid5(namespace, f"{KIOSK}/bad/{digest}"))
    rig.impostor.publish(rig.topics.down("command"), payload)
    row = wait_until(lambda: next((m for m in rig.hall.db.messages("command_result") if m["key"] == expected), None),
                     10, "the answer under the documented key")  # fmt: skip
    assert row["payload"]["msg_id"] is None and row["payload"]["status"] == "error"
    good = rig.send("command", command="self_test", args={})
    rig.result(good)
    keys = {m["payload"]["msg_id"]: m["key"] for m in rig.hall.db.messages("command_result")}
    assert keys[good] == str(uuid.uuid5(namespace, f"{KIOSK}/result/{good}"))


def test_self_test_and_heartbeat_say_the_devices_are_unknown_while_the_screen_is_down(
    tmp_path: Path, broker: Broker
) -> None:
    hall = make_hall(tmp_path / "hall.db", broker.port)
    k = make_kiosk(tmp_path, mqtt_section(broker.port))
    k.store.set_device_status(DeviceStatus("printer", DeviceState.OK))  # recorded by a screen that has since gone
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: hall.connected and k.agent.connected, 5, "connected")
        msg_id = hall.submit(lambda h: h.send(KIOSK, "command", command="self_test", args={})).result(5)
        res = wait_until(lambda: hall.results().get(msg_id), 10, "the self_test result")
    finally:
        for loop in reversed(loops):
            loop.stop()
    kinds = {kind.value for kind in DeviceKind}
    assert res["status"] == "error" and "screen process is not running" in res["error"], res
    assert res["detail"]["devices"] == {kind: "unknown" for kind in kinds}
    assert res["detail"]["ui"] == {"alive": False, "liveness_age_s": None}
    # No screen ever wrote a liveness note: the heartbeat must not call it alive (it did for ui_stale_s).
    beat = k.monitor.heartbeat()
    assert beat["ui"]["alive"] is False
    assert {kind: d["state"] for kind, d in beat["devices"].items()} == {kind: "unknown" for kind in kinds}
    assert beat["devices"]["printer"]["detail"] == {"last_state": "ok"}
    contract.validate("up-heartbeat", _as_uplink("heartbeat", beat))
    k.store.close()


def test_the_example_config_shows_every_link_setting() -> None:
    example = tomllib.loads(example_config_path().read_text(encoding="utf-8"))
    missing = {f.name for f in fields(MqttSection)} - set(example["mqtt"])
    assert not missing, f"kiosk.example.toml's [mqtt] leaves out {sorted(missing)}"
    assert "mode" in example["kiosk"]


def test_the_page_names_the_share_group_and_what_a_broker_that_lost_statuses_gets(
    tmp_path: Path, broker: Broker
) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "the reference hall: `hall`, `kiosk-hall run --group`" in text
    assert "publish their status **again after every (re)connect**" in text
    # And it is so: the broker restarts without persistence (every retained message lost) and has the hall's
    # status back, retained, once the instance reconnected.
    hall = make_hall(tmp_path / "hall.db", broker.port)
    loop = Loop(hall, "hall")
    try:
        wait_until(lambda: hall.connected, 5, "hall connected")
        first = hall.stats.connects
        broker.restart()
        wait_until(lambda: hall.connected and hall.stats.connects > first, 15, "the hall reconnected")
        late = RawClient(broker.port, "late-kiosk", subscribe="gov/v1/+/hall/+/status")
        try:
            got = wait_until(lambda: [m for m in late.received() if m[2]], 10, "the retained hall status")
            assert json.loads(got[-1][1])["online"] is True
        finally:
            late.close()
    finally:
        loop.stop()


def _sender(name: str) -> Properties:
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("sender", name)]
    return props


def _as_uplink(kind: str, payload: dict) -> dict:
    return {"v": 1, "key": str(uuid.uuid4()), "kind": kind, "kiosk_id": KIOSK, "hall_id": "test-hall", "seq": 1,
            "created_at": 1.0, "sent_at": 1.0, "attempt": 1, "personal": False, "payload": payload}  # fmt: skip
