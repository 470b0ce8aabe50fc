"""The hall database itself, on both backends (``hall_db``: a SQLite file, a PostgreSQL database): several
instances on one database, keys per kiosk, values a database refuses, the backlog estimate, migrations."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from sync.halldb import HALL_MIGRATIONS, HallStore, Migration, SchemaTooNew, open_db
from tests import citizen


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def msg(kind: str, seq: int, payload: dict[str, Any], *, kiosk: str = "KSK-0001", key: str | None = None,
        created_at: float = 1_800_000_000.0, sent_at: float | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "v": 1, "key": key or str(uuid.uuid4()), "kind": kind, "kiosk_id": kiosk, "hall_id": "h", "seq": seq,
        "created_at": created_at, "sent_at": created_at if sent_at is None else sent_at, "attempt": 1,
        "personal": kind == "submission", "payload": payload,
    }  # fmt: skip


def fault(fault_id: int, event: str, *, raised: float = 100.0, cleared: float | None = None) -> dict[str, Any]:
    return {
        "event": event, "fault_id": fault_id, "code": "paper_out", "device": "printer", "severity": "major",
        "message": "", "action_zh": "换纸", "action_en": "Paper", "raised_at": raised, "cleared_at": cleared,
        "duration_s": None if cleared is None else cleared - raised, "acked_at": None, "acked_by": None,
    }  # fmt: skip


def heartbeat(depth: int, oldest_age: float) -> dict[str, Any]:
    return {"outbox": {"depth": depth, "oldest_pending_age_s": oldest_age, "by_kind": {}}, "versions": {}}


@pytest.fixture
def db(hall_db: str) -> Any:
    store = open_db(hall_db)
    yield store
    store.close()


def test_instances_storing_the_same_messages_at_once_keep_one_row_each(hall_db: str) -> None:
    """Four instances on one database take the same 1,200 messages (as after resends), in batches, in different
    orders, all at once: one row per message, every copy counted, and each message new for exactly one of them."""
    messages = [(f"KSK-{i % 7:04d}", msg("submission", i + 1, citizen.submission(i))) for i in range(1200)]
    stores = [open_db(hall_db) for _ in range(4)]
    fresh = [0] * len(stores)
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def instance(n: int) -> None:
        mine = messages[n % 2 :: 2] + messages[(n + 1) % 2 :: 2]  # two halves, in two different orders
        if n >= 2:
            mine.reverse()
        barrier.wait()
        try:
            for i in range(0, len(mine), 100):
                fresh[n] += stores[n].store(mine[i : i + 100]).stored
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=instance, args=(n,)) for n in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        check = stores[0]
        assert check.count("submission") == 1200 and sum(fresh) == 1200, fresh
        assert check.copies() == 4 * 1200
        assert sorted(check.keys("submission")) == sorted(m["key"] for _, m in messages)
    finally:
        for s in stores:
            s.close()


def test_keys_are_unique_per_kiosk_not_across_kiosks(db: HallStore) -> None:
    key = str(uuid.uuid4())
    first = db.store([("KSK-000A", msg("fault", 1, fault(1, "raised"), kiosk="KSK-000A", key=key))])
    second = db.store([("KSK-000B", msg("fault", 1, fault(1, "raised"), kiosk="KSK-000B", key=key))])
    again = db.store([("KSK-000B", msg("fault", 1, fault(1, "raised"), kiosk="KSK-000B", key=key))])
    assert (first.fresh, second.fresh, again.fresh) == ([True], [True], [False])
    assert sorted(f["kiosk_id"] for f in db.faults(open_only=True)) == ["KSK-000A", "KSK-000B"]
    assert db.keys(kiosk_id="KSK-000B") == [key] and db.copies() == 3


def test_fault_state_is_applied_once_whatever_the_order_of_arrival(db: HallStore) -> None:
    cleared = msg("fault", 2, fault(7, "cleared", cleared=160.0))
    raised = msg("fault", 1, fault(7, "raised"))
    db.store([("KSK-0001", cleared)])
    db.store([("KSK-0001", raised), ("KSK-0001", raised)])  # late, and twice
    (state,) = db.faults()
    assert (state["raised_at"], state["cleared_at"], state["duration_s"]) == (100.0, 160.0, 60.0)
    assert db.open_fault_counts() == {}


def test_a_value_the_database_cannot_hold_is_quarantined_and_the_rest_stored(db: HallStore) -> None:
    good = msg("submission", 1, citizen.submission(1))
    huge_seq = msg("event", 2**70, {"n": 1})
    huge_fault = msg("fault", 3, fault(2**64, "raised"))
    result = db.store([("KSK-0001", good), ("KSK-0001", huge_seq), ("KSK-0001", huge_fault)])
    assert result.fresh == [True, False, False] and sorted(result.refused) == [1, 2]
    assert result.stored == 1 and result.duplicates == 0
    assert db.keys() == [good["key"]]
    quarantined = db.quarantined()
    assert [q["key"] for q in quarantined] == [huge_seq["key"], huge_fault["key"]]
    assert all("database refused" in q["error"] for q in quarantined)
    db.quarantine(key="a\x00b", kiosk_id="KSK-0001", topic="t", error="NUL in a key", raw=b"\x00\xff")
    assert db.quarantine_count() == 3


def test_the_backlog_shrinks_by_what_arrived_after_the_heartbeat_counted_it(hall_db: str) -> None:
    """Issue 15.5: a heartbeat said 4 pending (oldest 106 s); the four arrive after it; the table said '4 (oldest
    106s)' with an empty outbox until the next heartbeat."""
    clock = Clock()
    db = open_db(hall_db, clock=clock)
    try:
        t0 = clock.t  # the kiosk's clock runs 500 s behind the hall's; only the heartbeat's transit counts
        kiosk_t = t0 - 500.0
        pending = [msg("submission", s, citizen.submission(s), created_at=kiosk_t - 107 + s) for s in range(1, 5)]
        hb = msg("heartbeat", 5, heartbeat(4, 106.0), created_at=kiosk_t, sent_at=kiosk_t + 0.5)
        clock.t = t0 + 1.0  # the heartbeat arrives first (another kind, another order)
        db.store([("KSK-0001", hb)])
        (row,) = db.fleet()
        assert (row.backlog, row.backlog_reported) == (4, 4)
        assert row.oldest_pending_age_s == pytest.approx(106.5)  # 106 s, and 0.5 s since it was composed
        clock.t = t0 + 2.0
        db.store([("KSK-0001", pending[0]), ("KSK-0001", pending[1])])
        (row,) = db.fleet()
        # The two oldest are in: two left, taken to be no older than the newer one in (105 s before the heartbeat).
        assert row.backlog == 2 and row.oldest_pending_age_s == pytest.approx(105 + 1.5)
        clock.t = t0 + 3.0
        db.store([("KSK-0001", pending[2]), ("KSK-0001", pending[3])])
        later = msg("event", 6, {"n": 6}, created_at=kiosk_t + 1)  # queued after the heartbeat: not in its count
        db.store([("KSK-0001", later)])
        (row,) = db.fleet()
        assert (row.backlog, row.oldest_pending_age_s, row.backlog_reported) == (0, None, 4)
    finally:
        db.close()


def test_rows_the_hall_took_before_the_heartbeat_do_not_count(hall_db: str) -> None:
    """What the hall took before the kiosk composed its heartbeat was already off the kiosk's count; a resend of it
    after the heartbeat shows it was still pending then (its ack had not arrived)."""
    clock = Clock()
    db = open_db(hall_db, clock=clock)
    try:
        early, other = (msg("submission", s, citizen.submission(s), created_at=clock.t - 60) for s in (1, 2))
        db.store([("KSK-0001", early), ("KSK-0001", other)])
        clock.t += 10
        hb = msg("heartbeat", 3, heartbeat(2, 70.0), created_at=clock.t, sent_at=clock.t)
        db.store([("KSK-0001", hb)])
        assert db.fleet()[0].backlog == 2
        clock.t += 1
        db.store([("KSK-0001", other)])  # resent: the kiosk had not heard the ack when it counted
        assert db.fleet()[0].backlog == 1
    finally:
        db.close()


# ------------------------------------------------------------------------------------------------ migrations

_SHIPPED_SQLITE = HALL_MIGRATIONS[0].sqlite  # the schema files were created with before migrations existed


def test_a_hall_file_from_before_migrations_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "hall.db"
    con = sqlite3.connect(path)
    con.executescript(_SHIPPED_SQLITE)
    key = str(uuid.uuid4())
    con.execute(
        "INSERT INTO messages (key, kiosk_id, kind, seq, created_at, received_at, personal, payload) "
        "VALUES (?, 'KSK-000A', 'event', 1, 1.0, 2.0, 0, '{\"n\": 1}')",
        (key,),
    )
    con.execute("INSERT INTO kiosks (kiosk_id, online) VALUES ('KSK-000A', 1)")
    con.commit()
    con.close()
    db = open_db(path)
    try:
        assert db.schema_versions() == {"hall": len(HALL_MIGRATIONS)}
        assert db.messages("event") == [
            {"key": key, "kiosk_id": "KSK-000A", "seq": 1, "created_at": 1.0, "payload": {"n": 1}}
        ]
        assert db.fleet()[0].online
        # Now scoped per kiosk: the same key from another kiosk is its own message.
        assert db.store([("KSK-000B", msg("event", 1, {"n": 2}, kiosk="KSK-000B", key=key))]).fresh == [True]
    finally:
        db.close()
    again = open_db(path)  # a second open (another instance) finds nothing to do
    try:
        assert again.migrate() == [] and again.count() == 2
    finally:
        again.close()


def test_instances_starting_together_migrate_once(hall_db: str) -> None:
    barrier = threading.Barrier(4)
    opened: list[HallStore] = []
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            opened.append(open_db(hall_db))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors and len(opened) == 4, errors
        with opened[0].reading() as tx:
            ledger = tx.execute("SELECT component, version FROM schema_migrations ORDER BY version").fetchall()
        assert [tuple(r) for r in ledger] == [("hall", m.version) for m in HALL_MIGRATIONS]
    finally:
        for db in opened:
            db.close()


def test_a_database_from_a_newer_hall_is_refused(hall_db: str) -> None:
    db = open_db(hall_db)
    future = Migration(len(HALL_MIGRATIONS) + 1, "from the future", "SELECT 1", "SELECT 1")
    db.migrate("hall", (*HALL_MIGRATIONS, future))
    db.close()
    with pytest.raises(SchemaTooNew, match="upgrade kiosk-hall"):
        open_db(hall_db)


def test_another_component_keeps_its_own_tables_and_versions(db: HallStore) -> None:
    """How a module with tables of its own (attachments, say) plugs in: its migrations, its SQL, one transaction."""
    steps = (
        Migration(1, "chunks", "CREATE TABLE chunks (id TEXT PRIMARY KEY, body BLOB NOT NULL)",
                  "CREATE TABLE chunks (id TEXT PRIMARY KEY, body BYTEA NOT NULL)"),
    )  # fmt: skip
    assert db.migrate("materials", steps) == [1] and db.migrate("materials", steps) == []
    db.atomic(lambda tx: tx.execute("INSERT INTO chunks (id, body) VALUES (?, ?)", ("c1", b"\x00\x01")))
    with db.reading() as tx:
        assert bytes(tx.execute("SELECT body FROM chunks WHERE id = ?", ("c1",)).fetchone()[0]) == b"\x00\x01"
    assert db.schema_versions() == {"hall": len(HALL_MIGRATIONS), "materials": 1}
    assert json.loads(json.dumps(db.schema_versions()))  # what kiosk-hall migrate prints
