"""Delivery through a real mosquitto to the reference hall: confirmed only on the hall's ack, once per key.

Tests taking ``hall_db`` run once per hall database backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests import citizen
from tests.sync.conftest import Broker, Loop, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until


def test_end_to_end_delivery_with_the_reference_hall(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port))
    keys = [k.store.enqueue("submission", citizen.submission(i, name="张三"), personal=True).key for i in range(200)]
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: k.store.outbox_stats().by_kind.get("submission", 0) == 0, 20, "drain")
    finally:
        for loop in loops:
            loop.stop()
    assert sorted(hall.db.keys("submission")) == sorted(keys)
    rows = hall.db.messages("submission")
    assert [citizen.number(r["payload"]) for r in rows] == list(range(200))
    assert rows[0]["payload"]["identity"]["name"] == "张三"


def test_a_puback_is_not_a_delivery_rows_stay_pending_until_the_hall_acknowledges(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, inflight=8, ack_timeout_s=0.3, retry_max_s=0.6))
    keys = [k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(30)]
    loop = Loop(k.agent, "agent")
    try:
        # The broker takes (PUBACKs) every publish, but no hall is listening: nothing may be confirmed, and
        # never more than the window is out at once, resends included.
        wait_until(lambda: k.agent.state.resent >= 8, 10, "resends after the ack timeout")
        assert k.store.outbox_stats().by_kind["submission"] == 30
        assert k.agent.state.confirmed == 0
        assert k.agent.state.published - k.agent.state.resent == 8  # only the window's first sends
        hall = make_hall(hall_db, broker.port)
        hall_loop = Loop(hall, "hall")
        wait_until(lambda: k.store.outbox_stats().depth == 0, 10, "drain once the hall is there")
        hall_loop.stop()
    finally:
        loop.stop()
    assert sorted(hall.db.keys("submission")) == sorted(keys)


def test_the_agent_survives_its_own_crash_and_the_hall_counts_nothing_twice(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    hall = make_hall(hall_db, broker.port)
    hall_loop = Loop(hall, "hall")
    link = mqtt_section(broker.port, inflight=32)
    first = make_kiosk(tmp_path, link)
    keys = [first.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(3000)]
    loop = Loop(first.agent, "agent-1")
    try:
        wait_until(lambda: first.agent.state.confirmed >= 500, 20, "part of the drain")
    finally:
        loop.stop(close=False)  # a crash: no offline status, no clean disconnect, acks in flight lost
    first.agent._discard_client()
    first.store.close()
    second = make_kiosk(tmp_path, link)  # a new process on the same database
    loop = Loop(second.agent, "agent-2")
    try:
        wait_until(lambda: second.store.outbox_stats().depth == 0, 30, "the rest of the drain")
    finally:
        loop.stop()
        hall_loop.stop()
    assert hall.db.count("submission") == 3000
    assert sorted(hall.db.keys("submission")) == sorted(keys)


def test_rows_are_published_in_outbox_order_per_kind(tmp_path: Path, broker: Broker) -> None:
    hall = make_hall(tmp_path / "hall.db", broker.port)
    hall_loop = Loop(hall, "hall")
    k = make_kiosk(tmp_path, mqtt_section(broker.port, inflight=16))
    kinds = ["submission", "ticket", "event", "rating"]
    records = {"submission": citizen.submission, "ticket": citizen.ticket, "rating": citizen.rating}
    for i in range(400):
        kind = kinds[i % 4]
        k.store.enqueue(kind, records[kind](i) if kind in records else {"n": i}, personal=kind == "submission")
    loop = Loop(k.agent, "agent")
    try:
        wait_until(lambda: hall.db.count() >= 400, 20, "delivery")
    finally:
        loop.stop()
        hall_loop.stop()
    con = sqlite3.connect(tmp_path / "hall.db")
    for kind in kinds:
        arrival = [seq for (seq,) in con.execute("SELECT seq FROM messages WHERE kind = ? ORDER BY rowid", (kind,))]
        assert arrival == sorted(arrival) and len(arrival) == 100, kind
    con.close()


def test_citizen_records_are_never_dropped_but_old_telemetry_is(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    from kiosk.store import Store

    store = Store(tmp_path / "KSK-0001.db", telemetry_limit=100)
    for i in range(300):
        store.enqueue("event", {"n": i})
        store.enqueue("submission", citizen.submission(i), personal=True)
    store.trim_telemetry()
    k = make_kiosk(tmp_path, mqtt_section(broker.port), store=store)
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: store.outbox_stats().depth == 0, 20, "drain")
    finally:
        for loop in loops:
            loop.stop()
    assert hall.db.count("submission") == 300
    events = [m["payload"]["n"] for m in hall.db.messages("event")]
    # At most the newest 100 telemetry rows were kept (the agent's own heartbeat counts too): oldest dropped first.
    assert 90 <= len(events) <= 100
    assert events == list(range(300 - len(events), 300))


def test_two_hall_instances_split_the_load_through_a_shared_subscription(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    halls = [make_hall(hall_db, broker.port, instance=str(i)) for i in (1, 2)]
    loops = [Loop(h, f"hall-{i}") for i, h in enumerate(halls)]
    for h in halls:
        wait_until(lambda h=h: h.connected, 5, "hall connected")
    kiosks = [make_kiosk(tmp_path, mqtt_section(broker.port), kiosk_id=f"KSK-{i:04d}") for i in range(1, 4)]
    keys = [
        k.store.enqueue("submission", citizen.submission(i, k.kiosk.id), personal=True).key
        for k in kiosks
        for i in range(300)
    ]
    loops += [Loop(k.agent, k.kiosk.id) for k in kiosks]
    try:
        wait_until(lambda: all(k.store.outbox_stats().depth == 0 for k in kiosks), 30, "drain")
    finally:
        for loop in loops:
            loop.stop()
    assert all(h.stats.stored > 0 for h in halls), [h.stats for h in halls]  # both took a share
    assert sorted(halls[0].db.keys("submission")) == sorted(keys)  # one shared database, each key once
