"""The hall's fast checks of heartbeats and fault events (``sync/telemetry.py``) agree with their JSON Schemas,
on payloads the kiosk's own code writes and on thousands of broken ones."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import HealthSection, KioskSection, MqttSection
from kiosk.devices import DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from kiosk.health import HealthRules
from kiosk.shared_settings import UI_LIVENESS_SETTING
from kiosk.store import Store
from sync import contract
from sync.downlink import fault_event
from sync.heartbeat import HealthMonitor

VALUES: list[Any] = [  # every JSON type, and values right for some field and wrong for others
    None, "", "x", "paper_out", "Paper Out", "major", "ok", "cleared", 0, 1, -1, 2.5, 5.0, 101, 2**64, True, [],
    {}, ["paper_out"], ["BAD"], {"a": 1}, {"a": "1"}, "长" * 33, "x" * 2001,
]  # fmt: skip


def _envelope(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    now = time.time()
    return {
        "v": 1, "key": str(uuid.uuid4()), "kind": kind, "kiosk_id": "KSK-0001", "hall_id": "h", "seq": 1,
        "created_at": now, "sent_at": now, "attempt": 1, "personal": False, "payload": payload,
    }  # fmt: skip


@pytest.fixture
def written(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Heartbeats and fault events as the kiosk's health monitor writes them."""
    store = Store(tmp_path / "kiosk.db")
    kiosk = KioskSection(id="KSK-0001", hall_id="h", data_dir=tmp_path)
    health = HealthSection()
    monitor = HealthMonitor(store, kiosk=kiosk, link=MqttSection(), health=health,
                            rules=HealthRules.from_config(health))  # fmt: skip
    heartbeats = [monitor.heartbeat()]  # the screen process not running yet: every device "unknown"
    store.set_setting(UI_LIVENESS_SETTING, time.time())  # the screen process runs: devices as it reported them
    StatusSink(store).report(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
    store.enqueue("submission", {"n": 1})
    monitor.check()
    monitor.check()
    heartbeats.append(monitor.heartbeat())
    (fault,) = store.open_faults()
    store.ack_fault(fault.id, "wang.li")
    cleared = store.clear_fault("paper_out", device="printer")
    assert cleared is not None
    faults = [fault_event(fault, "raised"), fault_event(cleared, "cleared"), fault_event(cleared, "acked")]
    store.close()
    assert heartbeats[1]["open_faults"] and heartbeats[1]["devices"]["printer"]["faults"] == ["paper_out"]
    return {"heartbeat": [_envelope("heartbeat", p) for p in heartbeats],
            "fault": [_envelope("fault", p) for p in faults]}  # fmt: skip


def _holders(payload: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Paths to every object and list inside a payload, the payload first."""
    yield ()
    stack: list[tuple[Any, ...]] = [()]
    while stack:
        path = stack.pop()
        node = _at(payload, path)
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in children:
            if isinstance(value, dict | list):
                yield (*path, key)
                stack.append((*path, key))


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def _mutations(msg: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield msg
    for holder in list(_holders(msg["payload"])):
        node = _at(msg["payload"], holder)
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        for key in [*keys, *(["extra"] if isinstance(node, dict) else [])]:
            if key in keys:
                gone = copy.deepcopy(msg)
                target = _at(gone["payload"], holder)
                del target[key]
                yield gone
            for value in VALUES:
                changed = copy.deepcopy(msg)
                target = _at(changed["payload"], holder)
                if isinstance(target, list) and key == "extra":
                    continue
                target[key] = value
                yield changed
    for value in VALUES:
        yield {**msg, "payload": value}


def test_the_fast_telemetry_checks_agree_with_the_schemas(written: dict[str, list[dict[str, Any]]]) -> None:
    checked = refused = 0
    for kind, messages in written.items():
        schema = contract.validator(contract.up_schema(kind))
        for original in messages:
            assert schema.is_valid(original), original
            for msg in _mutations(original):
                try:
                    contract.check_uplink(msg)
                    fast_ok = True
                except contract.ContractError:
                    fast_ok = False
                assert fast_ok == schema.is_valid(msg), (kind, msg["payload"])
                checked += 1
                refused += not fast_ok
    assert checked > 3000 and refused > checked * 0.3, (checked, refused)


def test_a_broken_fault_event_says_where(written: dict[str, list[dict[str, Any]]]) -> None:
    msg = copy.deepcopy(written["fault"][1])
    msg["payload"]["duration_s"] = None
    with pytest.raises(contract.ContractError, match="cleared event carries cleared_at and duration_s"):
        contract.check_uplink(msg)
    msg = copy.deepcopy(written["heartbeat"][1])
    msg["payload"]["disk"]["free_pct"] = 120
    with pytest.raises(contract.ContractError, match="payload/disk/free_pct: above 100"):
        contract.check_uplink(msg)
