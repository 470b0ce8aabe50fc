"""Issue 12 point 3: idempotency keys are scoped per kiosk at the hall.

Fault keys are UUID5 of (kiosk, "fault", id, event) and fault ids are small, so any kiosk can compute another's
future keys. Kiosk A published an event carrying B's next fault key on A's own topic (the broker allows it: it is
A's topic); B's real ``paper_out`` was then acknowledged as a duplicate, deleted on B, and never reached the hall's
fault table. Attacked here through the shipped broker rules, with real kiosk certificates.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kiosk.devices import DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from sync import contract
from tests.sync.conftest import HALL_ID, Broker, Loop, Pki, RawClient, make_hall, make_kiosk, mqtt_section
from tests.sync.test_sync_security import tls_for
from tests.waiting import wait_until

ATTACKER, VICTIM = "KSK-000A", "KSK-000B"


def _forged_fault(key: str) -> bytes:
    """A contract-valid fault event of the attacker, on its own topic, under the victim's future key."""
    now = time.time()
    payload = {
        "event": "raised", "fault_id": 1, "code": "jam", "device": "dispenser", "severity": "minor", "message": "",
        "action_zh": "清理", "action_en": "Clear it", "raised_at": now, "cleared_at": None, "duration_s": None,
        "acked_at": None, "acked_by": None,
    }  # fmt: skip
    return contract.encode_uplink(
        key=key, kind="fault", kiosk_id=ATTACKER, hall_id=HALL_ID, seq=1, created_at=now, sent_at=now, attempt=1,
        personal=False, payload_json=contract.encode(payload).decode(),
    )  # fmt: skip


def _state(store: Any, key: str) -> str | None:
    row = store.get(key)
    return None if row is None else row.state


def test_a_kiosk_cannot_take_another_kiosks_fault_key(
    tls_broker: Broker, pki: Pki, hall_db: str, tmp_path: Path
) -> None:
    at, bt, ht = tls_for(pki, ATTACKER), tls_for(pki, VICTIM), tls_for(pki, "hall-1")
    hall = make_hall(hall_db, tls_broker.port, tls=(Path(ht["ca_certs"]), Path(ht["certfile"]), Path(ht["keyfile"])))
    hall_loop = Loop(hall, "hall")
    loops = [hall_loop]
    attacker = RawClient(tls_broker.port, ATTACKER, tls=at)
    try:
        wait_until(lambda: hall.connected, 10, "the hall connected")
        stolen = contract.event_key(VICTIM, "fault", 1, "raised")  # what B will use for its first fault
        attacker.publish(f"gov/v1/{HALL_ID}/kiosk/{ATTACKER}/up/fault", _forged_fault(stolen))
        wait_until(lambda: hall.db.count("fault", ATTACKER) == 1, 10, "the attacker's event stored as its own")

        link = mqtt_section(
            tls_broker.port, tls=True, ca_file=Path(bt["ca_certs"]), cert_file=Path(bt["certfile"]),
            key_file=Path(bt["keyfile"]),
        )  # fmt: skip
        victim = make_kiosk(tmp_path, link, kiosk_id=VICTIM)
        # B's printer runs out of paper: its driver reports it and paper_out is B's first fault (id 1).
        StatusSink(victim.store).report(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
        loops.append(Loop(victim.agent, "victim"))
        wait_until(lambda: victim.store.open_faults(), 10, "paper_out raised on the victim")
        assert [(f.id, f.code) for f in victim.store.open_faults()] == [(1, "paper_out")]
        # The victim's event is settled (acknowledged) on the kiosk: from here on it exists only at the hall.
        wait_until(lambda: _state(victim.store, stolen) == "confirmed", 10, "the victim's fault event acknowledged")
    finally:
        attacker.close()
        for loop in loops:
            loop.stop()
    stored = hall.db.messages("fault", VICTIM)
    assert [(m["key"], m["payload"]["event"]) for m in stored] == [(stolen, "raised")], "taken for a duplicate"
    assert [(f["code"], f["device"]) for f in hall.db.faults(VICTIM, open_only=True)] == [("paper_out", "printer")]
    assert [f["code"] for f in hall.db.faults(ATTACKER)] == ["jam"]  # the attacker only wrote its own state
