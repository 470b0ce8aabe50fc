"""The store's API: outbox, retention, telemetry trim, faults, device status, inbox, settings, migrations, two
processes on one file, and the read-only inspection API."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.store import STATE_CONFIRMED, STATE_PENDING, STATE_PURGED, Store, StoreError, canonical_json, new_key
from kiosk.store.inspect import Inspector
from kiosk.store.migrations import LATEST_VERSION, MIGRATIONS, backup_path, migrate, schema_version, split_statements

WRITER = Path(__file__).with_name("store_writer.py")
REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    """A settable wall clock."""

    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def store(db: Path, clock: FakeClock):
    with Store(db, clock=clock, retention_s=3600, telemetry_limit=5) as s:
        yield s


def stored_payload_text(db: Path, key: str) -> str:
    """The payload column as SQLite holds it, read past the store."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT payload FROM outbox_all WHERE key = ?", (key,)).fetchone()[0]
    finally:
        conn.close()


def files_contain(directory: Path, needle: str) -> list[str]:
    """Names of the files under ``directory`` whose bytes contain ``needle`` (UTF-8)."""
    data = needle.encode("utf-8")
    return [p.name for p in directory.iterdir() if p.is_file() and data in p.read_bytes()]


# ------------------------------------------------------------------------------------------------ outbox


def test_enqueue_stores_canonical_json_durably_and_returns_the_entry(db: Path, store: Store, clock: FakeClock) -> None:
    payload = {"姓名": "张三", "b": [1, 2.5, None, True], "a": {"z": "ü", "y": 0}}
    entry = store.enqueue("submission", payload, personal=True)
    assert (entry.kind, entry.payload, entry.created_at, entry.state) == ("submission", payload, clock.t, "pending")
    assert (entry.attempts, entry.last_attempt_at, entry.confirmed_at, entry.personal) == (0, None, None, True)
    assert entry.payload_json == '{"a":{"y":0,"z":"ü"},"b":[1,2.5,null,true],"姓名":"张三"}'
    assert stored_payload_text(db, entry.key) == entry.payload_json  # byte-identical on disk
    assert uuid.UUID(entry.key).version == 7
    with Store(db) as other:  # another connection sees it committed, same entry
        assert other.get(entry.key) == entry


def test_new_keys_are_time_ordered_version_7_uuids() -> None:
    """RFC 9562 version 7: the creation time in milliseconds, then 72 random bits. Keys made later sort later,
    so the outbox's key index (and the hall's) grows at its end instead of at a random page per record
    (bench store: a durable enqueue 3-5% faster)."""
    before = time.time_ns() // 1_000_000
    keys = [new_key() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    assert len(set(keys)) == 2000
    for key in keys:
        parsed = uuid.UUID(key)
        assert (str(parsed), parsed.version, parsed.variant) == (key, 7, uuid.RFC_4122)
        assert before <= parsed.int >> 80 <= after  # the first 48 bits: Unix time in ms
    time.sleep(0.002)
    assert max(keys) < new_key()  # a millisecond on, every earlier key sorts before it
    tails = {uuid.UUID(key).int & ((1 << 60) - 1) for key in keys}
    assert len(tails) == 2000  # the random part differs even within one millisecond


def test_enqueue_same_key_twice_returns_the_first_entry(store: Store) -> None:
    first = store.enqueue("submission", {"n": 1}, key="k-1")
    again = store.enqueue("submission", {"n": 2}, key="k-1")
    assert again == first and again.payload == {"n": 1}
    assert store.outbox_stats().depth == 1


def test_enqueue_refuses_what_is_not_a_json_object(store: Store) -> None:
    with pytest.raises(TypeError):
        store.enqueue("submission", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.enqueue("submission", {"x": float("nan")})
    with pytest.raises(TypeError):
        store.enqueue("submission", {"x": object()})
    assert store.outbox_stats().depth == 0


def test_next_number_is_per_counter_and_survives_reopening(db: Path, store: Store) -> None:
    assert [store.next_number("ticket") for _ in range(3)] == [1, 2, 3]
    assert store.next_number("receipt") == 1
    store.close()
    with Store(db) as reopened:
        assert reopened.next_number("ticket") == 4


def test_pending_is_ordered_and_filters_by_kind_seq_and_limit(store: Store) -> None:
    entries = [store.enqueue(kind, {"i": i}) for i, kind in enumerate(["submission", "heartbeat"] * 3)]
    assert [e.key for e in store.pending()] == [e.key for e in entries]
    assert [e.payload["i"] for e in store.pending(kinds=["heartbeat"])] == [1, 3, 5]
    assert [e.payload["i"] for e in store.pending(after_seq=entries[2].seq, limit=2)] == [3, 4]
    assert store.pending(kinds=[]) == []
    store.confirm(entries[0].key)
    assert entries[0].key not in [e.key for e in store.pending()]


def test_record_attempt_counts_and_stamps(store: Store, clock: FakeClock) -> None:
    entry = store.enqueue("rating", {"stars": 5})
    clock.advance(7)
    store.record_attempt(entry.key)
    store.record_attempt(entry.key)
    store.record_attempt("no-such-key")
    got = store.get(entry.key)
    assert (got.attempts, got.last_attempt_at) == (2, clock.t)


def test_confirm_changes_state_once(store: Store, clock: FakeClock) -> None:
    entry = store.enqueue("ticket", {"no": 1})
    clock.advance(3)
    assert store.confirm(entry.key) is True
    assert store.confirm(entry.key) is False
    assert store.confirm("unknown") is False
    got = store.get(entry.key)
    assert (got.state, got.confirmed_at) == (STATE_CONFIRMED, clock.t)


def test_requeue_since_puts_confirmed_entries_back_but_not_purged_ones(store: Store, clock: FakeClock) -> None:
    old = store.enqueue("submission", {"n": "old"})
    clock.advance(100)
    t = clock.t
    recent = store.enqueue("submission", {"n": "recent"})
    wiped = store.enqueue("submission", {"n": "wiped"}, personal=True)
    still_pending = store.enqueue("submission", {"n": "pending"})
    for e in (old, recent, wiped):
        store.confirm(e.key)
    clock.advance(3601)
    assert store.purge_personal() == 1
    assert store.requeue_since(t) == 1
    assert [e.key for e in store.pending()] == [recent.key, still_pending.key]
    assert store.get(recent.key).confirmed_at is None
    assert store.get(old.key).state == STATE_CONFIRMED


def test_outbox_stats(store: Store, clock: FakeClock) -> None:
    assert store.outbox_stats().depth == 0 and store.outbox_stats().oldest_pending_age_s == 0.0
    a = store.enqueue("submission", {}, personal=True)
    clock.advance(30)
    store.enqueue("heartbeat", {})
    store.enqueue("heartbeat", {})
    clock.advance(10)
    store.confirm(a.key)
    stats = store.outbox_stats()
    assert (stats.depth, stats.by_kind, stats.confirmed, stats.personal_unpurged) == (2, {"heartbeat": 2}, 1, 1)
    assert stats.oldest_pending_age_s == 10.0


# ------------------------------------------------------------------------------------- retention, trim


def test_purge_personal_after_the_retention_window_leaves_no_trace_on_disk(
    db: Path, store: Store, clock: FakeClock
) -> None:
    marker = "王小明身份证号码110101"
    sent = store.enqueue("submission", {"name": marker, "big": "字" * 3000}, personal=True)
    unsent = store.enqueue("submission", {"name": "赵六"}, personal=True)
    anonymous = store.enqueue("rating", {"stars": 4})
    store.confirm(sent.key)
    store.confirm(anonymous.key)
    clock.advance(3599)
    assert store.purge_personal() == 0  # inside the window: kept for a possible "resend since"
    assert store.get(sent.key).payload["name"] == marker
    clock.advance(2)
    assert store.purge_personal() == 1
    purged = store.get(sent.key)
    assert purged.payload == {"purged": True} and purged.purged and purged.state == STATE_CONFIRMED
    assert store.get(unsent.key).payload == {"name": "赵六"}  # not confirmed yet: never purged
    assert store.get(anonymous.key).payload == {"stars": 4}  # not personal
    assert files_contain(db.parent, marker) == []  # not in the database, the WAL, nor free pages
    assert store.outbox_stats().personal_unpurged == 1
    assert store.purge_personal() == 0


def test_purge_all_personal_wipes_unsent_entries_too_and_stops_sending_them(db: Path, store: Store) -> None:
    marker = "李四护照E12345678"
    unsent = store.enqueue("appointment", {"who": marker}, personal=True)
    kept = store.enqueue("heartbeat", {"up": 1})
    assert store.purge_all_personal() == 1
    assert store.get(unsent.key).state == STATE_PURGED
    assert [e.key for e in store.pending()] == [kept.key]
    assert files_contain(db.parent, marker) == []


def test_trim_drops_oldest_telemetry_and_never_submissions(store: Store) -> None:
    submissions = []
    for i in range(12):
        store.enqueue("heartbeat", {"i": i})
        if i % 3 == 0:
            submissions.append(store.enqueue("submission", {"i": i}).key)
    assert store.trim_telemetry() == 7  # limit 5
    pending = store.pending(limit=1000)
    assert [e.payload["i"] for e in pending if e.kind == "heartbeat"] == [7, 8, 9, 10, 11]
    assert [e.key for e in pending if e.kind == "submission"] == submissions
    assert store.trim_telemetry() == 0


def test_telemetry_is_trimmed_automatically_while_enqueued(db: Path, clock: FakeClock) -> None:
    with Store(db, clock=clock, telemetry_limit=10) as store:
        keep = [store.enqueue("submission", {"i": i}).key for i in range(3)]
        for i in range(200):
            store.enqueue("device_status", {"i": i})
        stats = store.outbox_stats()
        # Trimmed every 64 telemetry enqueues: never more than limit + 64 telemetry rows pending.
        assert stats.by_kind["submission"] == 3 and 10 <= stats.by_kind["device_status"] < 10 + 64
        assert [e.key for e in store.pending(kinds=["submission"])] == keep


def test_forget_old_deletes_confirmed_telemetry_and_handled_inbox_after_the_window(
    store: Store, clock: FakeClock
) -> None:
    beat = store.enqueue("heartbeat", {})
    sub = store.enqueue("submission", {})
    store.confirm(beat.key)
    store.confirm(sub.key)
    store.inbox_put("m1", "command", {"do": "reboot"})
    store.inbox_done("m1", {"ok": True})
    store.inbox_put("m2", "command", {"do": "print_test"})
    clock.advance(3601)
    assert store.housekeep() == {"purged": 0, "trimmed": 0, "forgotten": 2}
    assert store.get(beat.key) is None and store.get(sub.key) is not None
    assert [m.msg_id for m in store.inbox_pending()] == ["m2"]


# ------------------------------------------------------------------------------------------------- faults


def test_fault_lifecycle_raise_clear_ack_with_durations(store: Store, clock: FakeClock) -> None:
    t0 = clock.t
    first = store.raise_fault(FaultCode.PAPER_OUT, device="printer", severity="major", message="no paper")
    clock.advance(5)
    assert store.raise_fault("paper_out", device="printer", severity="minor") == first  # still open: same one
    other = store.raise_fault(FaultCode.PAPER_OUT, device="dispenser", severity="major")
    assert other.id != first.id
    assert [f.id for f in store.open_faults()] == [first.id, other.id]
    clock.advance(55)
    cleared = store.clear_fault(FaultCode.PAPER_OUT, device="printer")
    assert (cleared.id, cleared.cleared_at, cleared.duration_s, cleared.open) == (first.id, t0 + 60, 60.0, False)
    assert store.clear_fault(FaultCode.PAPER_OUT, device="printer") is None
    assert first.duration_s is None and first.open
    assert (first.code, first.severity, first.message) == ("paper_out", "major", "no paper")
    again = store.raise_fault(FaultCode.PAPER_OUT, device="printer", severity="major")
    assert again.id not in (first.id, other.id)
    assert store.ack_fault(first.id, "tech-07") is True
    assert store.ack_fault(first.id, "tech-08") is False
    assert store.ack_fault(99999, "tech-07") is False
    acked = next(f for f in store.faults_since(0) if f.id == first.id)
    assert (acked.acked_by, acked.acked_at) == ("tech-07", clock.t)


def test_faults_since_lists_faults_active_in_the_period(store: Store, clock: FakeClock) -> None:
    store.raise_fault("jam", device="dispenser", severity="major")
    clock.advance(10)
    store.clear_fault("jam", device="dispenser")
    store.raise_fault("cover_open", device="printer", severity="major")  # opened at t0+10, still open
    clock.advance(10)
    store.raise_fault("disk_low", severity="major")
    store.clear_fault("disk_low")
    t0 = clock.t - 20
    assert {f.code for f in store.faults_since(t0)} == {"jam", "cover_open", "disk_low"}
    assert {f.code for f in store.faults_since(t0 + 15)} == {"cover_open", "disk_low"}
    assert {f.code for f in store.faults_since(clock.t + 1)} == {"cover_open"}  # still open


# ------------------------------------------------------------------------------------------ device status


def test_device_status_reports_changes_and_keeps_the_latest(db: Path, store: Store, clock: FakeClock) -> None:
    ok = DeviceStatus("printer", DeviceState.OK, detail={"paper": "ok"}, since=clock.t)
    assert store.set_device_status(ok) is True
    clock.advance(5)
    assert store.set_device_status(DeviceStatus("printer", DeviceState.OK, detail={"paper": "ok"})) is False
    out = DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT}), {"paper": "out"}, clock.t)
    assert store.set_device_status(out) is True
    assert store.set_device_status(DeviceStatus("scanner", DeviceState.ABSENT)) is True
    store.close()
    with Store(db, clock=clock) as reopened:
        statuses = reopened.device_statuses()
    assert statuses["printer"] == out
    assert statuses["scanner"].state is DeviceState.ABSENT and statuses["scanner"].since == clock.t


# ------------------------------------------------------------------------------------------- inbox, settings


def test_inbox_is_idempotent_on_message_id(store: Store, clock: FakeClock) -> None:
    assert store.inbox_put("m-1", "command", {"action": "reboot"}) is True
    assert store.inbox_put("m-1", "command", {"action": "other"}) is False
    assert store.inbox_put("m-2", "catalog", {"version": 3}) is True
    assert [m.msg_id for m in store.inbox_pending()] == ["m-1", "m-2"]
    assert [m.msg_id for m in store.inbox_pending(kinds=["catalog"])] == ["m-2"]
    clock.advance(2)
    store.inbox_done("m-1", {"ok": True, "说明": "已重启"})
    store.inbox_done("m-1", {"ok": False})  # the first result stands
    store.inbox_done("unknown", {})
    assert [m.msg_id for m in store.inbox_pending()] == ["m-2"]
    assert store.inbox_put("m-1", "command", {"action": "reboot"}) is False  # handled, still a duplicate
    done = store.inbox_get("m-1").result
    assert done == {"ok": True, "说明": "已重启"}


def test_settings_hold_json_values(db: Path, store: Store) -> None:
    assert store.get_setting("missing") is None and store.get_setting("missing", 7) == 7
    values = {"volume": 3, "lang": "zh", "hours": ["09:00", "17:00"], "flags": {"a": True}, "none": None}
    for key, value in values.items():
        store.set_setting(key, value)
    store.set_setting("volume", 5)
    store.close()
    with Store(db) as reopened:
        assert {key: reopened.get_setting(key, "absent") for key in values} == {**values, "volume": 5}


def test_store_from_config_takes_the_store_section(tmp_path: Path) -> None:
    from kiosk.config import demo_config

    config = demo_config(tmp_path / "data", store={"retention_hours": 1, "telemetry_limit": 100, "min_free_mb": 1})
    clock = FakeClock()
    with Store.from_config(config, clock=clock) as store:
        assert store.path == config.db_path and config.db_path.exists()
        entry = store.enqueue("submission", {"x": 1}, personal=True)
        store.confirm(entry.key)
        clock.advance(3599)
        assert store.purge_personal() == 0
        clock.advance(2)
        assert store.purge_personal() == 1  # retention_hours = 1
        for i in range(150):
            store.enqueue("event", {"i": i})
        store.trim_telemetry()
        assert store.outbox_stats().by_kind["event"] == 100  # telemetry_limit = 100


def test_closed_store_raises_store_error(db: Path) -> None:
    store = Store(db)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.enqueue("submission", {})
    with pytest.raises(StoreError, match="closed"):
        store.pending()


# ------------------------------------------------------------------------------------------- concurrency


def test_threads_share_one_store(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                store.enqueue("submission", {"thread": n, "i": i})
                store.pending(limit=5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = store.pending(limit=1000)
    assert len(entries) == 160 and len({e.seq for e in entries}) == 160


def test_two_processes_write_and_drain_one_file(db: Path) -> None:
    """The sync agent (here) confirms while the UI (a real subprocess) keeps writing."""
    Store(db).close()  # created and migrated before the writer starts
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen(
        [sys.executable, "-S", str(WRITER), "run", str(db), "7", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    confirmed: set[str] = set()
    with Store(db) as agent:
        while writer.poll() is None or agent.pending():
            for entry in agent.pending(limit=20):
                agent.record_attempt(entry.key)
                assert agent.confirm(entry.key)
                confirmed.add(entry.key)
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == 0, err
        reported = [line.split()[0] for line in out.splitlines() if len(line.split()) == 3]
        assert len(reported) == 300
        assert confirmed == set(reported)  # every one written was drained, none twice, none lost
        assert agent.outbox_stats().confirmed == 300 and agent.outbox_stats().depth == 0
        assert agent.next_number("ticket") == 301


def open_at_once(db: Path, openers: int) -> list[BaseException]:
    """Open ``openers`` stores on ``db`` from as many threads released together; return their errors."""
    barrier = threading.Barrier(openers)
    errors: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            Store(db).close()
        except BaseException as exc:  # pragma: no cover - reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(openers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_stores_opening_a_new_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    """Several openers racing on a new file (the UI and the sync agent at boot): all succeed, one migration."""
    for round_no in range(50):  # the races are narrow: try them many times
        db = tmp_path / f"race-{round_no}" / "kiosk.db"
        assert open_at_once(db, 4) == [], f"round {round_no}"
        with Inspector(db) as inspector:
            assert inspector.pragmas()["user_version"] == LATEST_VERSION
        assert list(db.parent.glob("*.bak")) == [], f"round {round_no}: backed up a database just created"


# ---------------------------------------------------------------------------------------------- migrations


def make_v1_database(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, None, MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES ('v1-key', 'submission', ?, 1.0, 1)",
        (canonical_json({"名": "v1"}),),
    )
    conn.close()


def test_migration_from_v1_keeps_data_and_backs_up_first(db: Path, clock: FakeClock) -> None:
    make_v1_database(db)
    with Store(db, clock=clock) as store:
        entry = store.get("v1-key")
        assert entry.payload == {"名": "v1"} and entry.state == STATE_PENDING and entry.personal
        store.raise_fault("jam", severity="major")  # a v2 table works
    backup = backup_path(db, 1)
    conn = sqlite3.connect(backup)
    try:
        assert schema_version(conn) == 1
        assert conn.execute("SELECT key FROM outbox").fetchall() == [("v1-key",)]
    finally:
        conn.close()
    conn = sqlite3.connect(db)
    assert schema_version(conn) == LATEST_VERSION
    conn.close()


def test_migration_backups_are_removed_with_personal_data(db: Path, clock: FakeClock) -> None:
    make_v1_database(db)
    with Store(db, clock=clock, retention_s=3600) as store:
        made = backup_path(db, 1).stat().st_mtime  # file times are wall-clock times: the fake clock follows
        clock.t = made + 3599
        assert store.purge_personal() == 0
        assert backup_path(db, 1).exists()  # younger than the retention window
        clock.t = made + 3601
        store.purge_personal()
        assert not backup_path(db, 1).exists()


def test_database_newer_than_the_code_is_refused_untouched(db: Path) -> None:
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match=rf"version {LATEST_VERSION + 1} is newer than this software"):
        Store(db)
    assert db.read_bytes() == before


def test_foreign_database_without_version_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE something_else (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a kiosk database"):
        Store(db)


def test_a_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    broken = (*MIGRATIONS, (LATEST_VERSION + 1, "CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1);"))
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrate(conn, tmp_path / "m.db", broken)
    assert schema_version(conn) == LATEST_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    assert not conn.in_transaction
    with pytest.raises(ValueError, match="numbered"):
        migrate(conn, None, ((1, "SELECT 1"), (3, "SELECT 1")))
    conn.close()


def test_split_statements_respects_strings_and_trigger_bodies() -> None:
    sql = """
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 'c;d'; SELECT 1; END;
    """
    statements = split_statements(sql)
    assert len(statements) == 2 and statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE t (x TEXT DEFAULT 'unterminated;")


# ---------------------------------------------------------------------------------------------- inspection


def test_export_outbox_jsonl_and_table_counts(db: Path, store: Store, tmp_path: Path) -> None:
    a = store.enqueue("submission", {"姓名": "张三"}, personal=True)
    b = store.enqueue("heartbeat", {"up": 5})
    store.confirm(b.key)
    buffer = io.StringIO()
    inspector = Inspector(db)
    assert inspector.export_outbox_jsonl(buffer) == 1  # pending only, by default
    line = buffer.getvalue()
    assert "张三" in line  # readable, not \\u escapes
    row = json.loads(line)
    assert (row["key"], row["kind"], row["payload"], row["personal"], row["state"]) == (
        a.key,
        "submission",
        {"姓名": "张三"},
        True,
        "pending",
    )
    out = tmp_path / "export.jsonl"
    assert inspector.export_outbox_jsonl(out, states=("pending", "confirmed")) == 2
    assert [json.loads(x)["seq"] for x in out.read_text(encoding="utf-8").splitlines()] == [a.seq, b.seq]
    counts = inspector.table_counts()
    inspector.close()
    assert counts["outbox"] == 2 and counts["faults"] == 0 and "sqlite_sequence" not in counts
    with pytest.raises(FileNotFoundError):
        Inspector(tmp_path / "nope.db")


def test_bench_store_runs_and_prints_its_table(tmp_path: Path) -> None:
    """Only that the benchmark works; its speed figures are for people, not asserted here."""
    from bench.store import format_table, paired_ratio, run

    turns = run(tmp_path, ops=10, chunk=5, min_free_bytes=0)
    assert {len(side) for side in turns.values()} == {2}
    table = format_table(turns)
    assert "Store.enqueue (durable)" in table and "raw BEGIN/INSERT/COMMIT" in table
    assert paired_ratio(turns) > 0
    assert "enqueue costs" in table and "us more than the plain insert" in table


def test_bench_store_reports_the_added_cost_per_operation_round_by_round() -> None:
    """The ratio moves with the disk's fsync; the added microseconds are the store's own work, per round."""
    from bench.store import added_us, round_ratios

    plain = [[150e-6] * 4, [150e-6] * 4, [300e-6] * 4, [300e-6] * 4]  # the disk slows down in the 2nd round
    store = [[200e-6] * 4, [200e-6] * 4, [350e-6] * 4, [350e-6] * 4]
    turns = {"store": store, "plain": plain}
    assert [round(x) for x in added_us(turns, "plain", rounds=2, store="store")] == [50, 50]
    assert [round(x, 2) for x in round_ratios(turns, "plain", rounds=2, store="store")] == [0.75, 0.86]


def test_confirm_many_confirms_only_pending_keys_in_one_go(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    keys = [store.enqueue("submission", {"n": i}).key for i in range(1203)]
    store.confirm(keys[0])
    assert store.confirm_many([*keys, "no-such-key", keys[5]]) == 1202
    assert store.outbox_stats().depth == 0
    assert all(store.get(k).state == "confirmed" for k in keys[:: 100])
    assert store.confirm_many([]) == 0
    store.close()


def test_inbox_get_returns_handled_and_unhandled_messages(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.inbox_put("m1", "command", {"name": "self_test"})
    assert store.inbox_get("m1").done_at is None
    store.inbox_done("m1", {"status": "ok"})
    got = store.inbox_get("m1")
    assert got.result == {"status": "ok"} and got.done_at is not None
    assert store.inbox_get("m2") is None
    store.close()
