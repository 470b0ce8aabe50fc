"""Health on the agent: rules applied to the store, fault events, heartbeats, and the hall's fleet view."""

from __future__ import annotations

import time
from collections import namedtuple
from pathlib import Path

import pytest

from kiosk.config import HealthSection, KioskSection
from kiosk.devices import DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from kiosk.health import HealthRules
from kiosk.shared_settings import (
    EFFECTS_SETTING,
    HALL_LINK,
    HALL_LINK_REFRESH_S,
    HALL_LINK_STALE_S,
    UI_LIVENESS_SETTING,
    hall_reachable,
)
from kiosk.store import Store
from sync import contract
from sync.hall_main import fleet_table
from sync.heartbeat import HealthMonitor
from tests.sync.conftest import Broker, Loop, make_hall, make_kiosk, mqtt_section, wait_until

Usage = namedtuple("Usage", "total used free")


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def parts(tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = Clock()
    store = Store(tmp_path / "kiosk.db", clock=clock)
    disk = {"usage": Usage(100 * 10**9, 10 * 10**9, 90 * 10**9)}
    health = HealthSection(ui_stale_s=30, backlog_max_age_s=3600)
    monitor = HealthMonitor(
        store,
        kiosk=KioskSection(id="KSK-0001", hall_id="h", data_dir=tmp_path),
        link=mqtt_section(1),
        health=health,
        rules=HealthRules.from_config(health),
        clock=clock,
        uptime=lambda: 1234.5,
        disk_usage=lambda _p: disk["usage"],
    )
    store.set_setting(UI_LIVENESS_SETTING, clock.t)
    yield store, monitor, clock, disk
    store.close()


def _events(store: Store) -> list[tuple[str, str, str]]:
    rows = store.pending(kinds=["fault"], limit=1000)
    return [(r.payload["event"], r.payload["code"], r.payload["severity"]) for r in rows]


def test_ui_liveness_stale_for_30_s_raises_a_critical_fault_and_clears_with_its_duration(parts) -> None:  # type: ignore[no-untyped-def]
    store, monitor, clock, _ = parts
    monitor.check()
    clock.t += 31  # the screen stopped writing its liveness
    monitor.check()
    assert store.open_faults() == []  # one reading is not enough
    clock.t += 5
    monitor.check()
    (fault,) = store.open_faults()
    assert (fault.code, fault.severity) == ("ui_stale", "critical")
    store.set_setting(UI_LIVENESS_SETTING, clock.t)
    clock.t += 5
    monitor.check()
    clock.t += 5
    store.set_setting(UI_LIVENESS_SETTING, clock.t)
    monitor.check()
    assert store.open_faults() == []
    events = store.pending(kinds=["fault"], limit=10)
    assert [e.payload["event"] for e in events] == ["raised", "cleared"]
    cleared = events[1].payload
    assert cleared["duration_s"] == pytest.approx(10.0) and cleared["action_en"].startswith("The screen hangs")
    for e in events:
        contract.validate(
            "up-fault",
            {
                "v": 1,
                "key": e.key,
                "kind": "fault",
                "kiosk_id": "K",
                "hall_id": "h",
                "seq": e.seq,
                "created_at": e.created_at,
                "sent_at": 1.0,
                "attempt": 1,
                "personal": False,
                "payload": e.payload,
            },
        )
    # Deriving events again (after a restart) finds the same keys: nothing is counted twice.
    monitor._events_sent.clear()
    assert monitor.sync_fault_events(clock.t) == 2
    assert len(store.pending(kinds=["fault"], limit=10)) == 2


def test_device_rules_switch_effects_for_the_shell(parts) -> None:  # type: ignore[no-untyped-def]
    store, monitor, _, disk = parts
    sink = StatusSink(store)
    sink.report(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
    store.set_device_status(DeviceStatus("id_reader", DeviceState.ABSENT))  # gone, and says nothing
    disk["usage"] = Usage(100 * 10**9, 99.9 * 10**9, 150 * 10**6)  # 150 MB free: below 10 % and min_free_mb
    monitor.check()
    monitor.check()
    assert set(store.get_setting(EFFECTS_SETTING)) == {"onscreen_receipts", "typed_id_entry", "stop_submissions"}
    faults = {(f.code, f.device): f.severity for f in store.open_faults()}
    assert faults == {
        ("paper_out", "printer"): "major",
        ("device_offline", "id_reader"): "major",
        ("disk_low", ""): "critical",
    }
    sink.report(DeviceStatus("printer", DeviceState.OK))
    store.set_device_status(DeviceStatus("id_reader", DeviceState.OK))
    disk["usage"] = Usage(100 * 10**9, 10 * 10**9, 90 * 10**9)
    monitor.check()
    monitor.check()
    assert store.get_setting(EFFECTS_SETTING) == [] and store.open_faults() == []


def test_an_old_backlog_is_a_major_fault(parts) -> None:  # type: ignore[no-untyped-def]
    store, monitor, clock, _ = parts
    store.enqueue("submission", {"n": 1})
    clock.t += 3601
    store.set_setting(UI_LIVENESS_SETTING, clock.t)
    monitor.check()
    monitor.check()
    assert [(f.code, f.severity) for f in store.open_faults()] == [("backlog_old", "major")]


def test_the_heartbeat_reports_devices_backlog_disk_uptime_versions_and_the_ui(parts) -> None:  # type: ignore[no-untyped-def]
    store, monitor, clock, _ = parts
    store.set_device_status(
        DeviceStatus("printer", DeviceState.DEGRADED, frozenset({FaultCode.PAPER_NEAR_END}), {"paper": "near_end"})
    )
    store.enqueue("submission", {"n": 1})
    clock.t += 12
    store.set_setting(UI_LIVENESS_SETTING, clock.t - 2)
    monitor.check()
    hb = monitor.heartbeat()
    assert hb["devices"]["printer"]["state"] == "degraded"
    assert hb["devices"]["printer"]["faults"] == ["paper_near_end"]
    assert hb["outbox"]["depth"] == 1 and hb["outbox"]["oldest_pending_age_s"] == pytest.approx(12)
    assert hb["disk"]["free_pct"] == pytest.approx(90) and hb["uptime_s"] == 1234.5
    assert hb["ui"] == {"liveness_age_s": 2.0, "alive": True}
    assert hb["versions"]["firmware"] and hb["versions"]["contract"] == "1"
    assert hb["agent_uptime_s"] == pytest.approx(12) and hb["maintenance"] is False
    row = store.pending(kinds=["heartbeat"])[0]
    contract.validate(
        "up-heartbeat",
        {
            "v": 1,
            "key": row.key,
            "kind": "heartbeat",
            "kiosk_id": "K",
            "hall_id": "h",
            "seq": row.seq,
            "created_at": row.created_at,
            "sent_at": 1.0,
            "attempt": 1,
            "personal": False,
            "payload": row.payload,
        },
    )


def test_the_hall_keeps_fault_state_and_prints_the_fleet(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    hall = make_hall(hall_db, broker.port)
    hall_loop = Loop(hall, "hall")
    k = make_kiosk(tmp_path, mqtt_section(broker.port, heartbeat_s=1.0), health=HealthSection(ui_stale_s=0.5))
    k.store.enqueue("submission", {"n": 1})
    loop = Loop(k.agent, "agent")
    try:
        # No screen process is running: the agent itself raises UI_STALE, which the hall shows as open.
        wait_until(lambda: any(f["code"] == "ui_stale" for f in hall.db.faults(open_only=True)), 10, "ui_stale")
        wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].last_heartbeat, 10, "a heartbeat")
        text = fleet_table(hall.db.fleet(), now=time.time())
        assert "KSK-0001" in text and "yes" in text and "ui_stale (critical)" in text
        assert text.splitlines()[0].split() == ["kiosk", "online", "last", "heartbeat", "open", "faults", "backlog"]
        # The screen comes back: the fault clears, and the hall learns how long it lasted.
        k.store.set_setting(UI_LIVENESS_SETTING, time.time() + 3600)
        wait_until(lambda: not hall.db.faults(open_only=True), 10, "the clear event")
        (fault,) = hall.db.faults()
        assert fault["duration_s"] > 0 and fault["cleared_at"] > fault["raised_at"]
    finally:
        loop.stop()
    wait_until(lambda: not hall.db.fleet()[0].online, 5, "offline")
    hall_loop.stop()
    assert " NO " in fleet_table(hall.db.fleet(), now=0) + " "


def test_the_agents_link_note_and_the_shells_rule_agree(tmp_path: Path, broker: Broker) -> None:
    """The agent writes sync.link every HALL_LINK_REFRESH_S; the shell's rule reads it. A note the agent stopped
    refreshing (hung) goes stale after HALL_LINK_STALE_S; a lost link is unreachable at once."""
    clock = Clock()
    skew = [0.0]  # moves the agent's monotonic clock, which times its notes
    k = make_kiosk(tmp_path, mqtt_section(broker.port, retry_min_s=0.1, retry_max_s=0.2), clock=clock,
                   monotonic=lambda: time.monotonic() + skew[0])  # fmt: skip

    def reachable() -> bool:
        return hall_reachable(k.store.get_setting(HALL_LINK.key), clock())

    loop = Loop(k.agent, "agent")
    try:
        wait_until(reachable, 10, "the hall reachable for the shell")
        clock.t += HALL_LINK_STALE_S - 1
        assert reachable()  # the last note is old, but not stale yet
        clock.t += 2
        assert not reachable()  # no note for longer than the rule allows: the agent is taken for hung
        skew[0] += HALL_LINK_REFRESH_S
        wait_until(reachable, 10, "the agent's next note")
        broker.kill()
        wait_until(lambda: not reachable(), 10, "the lost link noted")
        assert k.store.get_setting(HALL_LINK.key) == {"online": False, "at": clock()}
    finally:
        loop.stop()
