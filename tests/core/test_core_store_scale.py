"""The outbox at any backlog (issue 16) and personal data leaving the files (issue 12, items 10): query plans of
the hot statements pinned, the counts the triggers keep, purges in batches that let the other process write and
give the space back, a checkpoint held up by a reader finished by the next housekeeping, the migrations from
versions 2 and 4.

Speed figures are the benchmark's (``python -m bench scale``); these tests pin what makes them possible."""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path

import pytest

from kiosk.store import STATE_CONFIRMED, STATE_PURGED, SUBMISSION_KINDS, Store, canonical_json, new_key
from kiosk.store.inspect import Inspector
from kiosk.store.migrations import LATEST_VERSION, MIGRATIONS, backup_path, migrate, schema_version
from kiosk.store.outbox import FOLD_EVERY, outbox_counts
from kiosk.store.space import Pacer
from tests.core.test_core_store import FakeClock

T0 = 1_800_000_000.0
CONTROL = ("fault", "command_result")  # the sync agent's control lane


def on_disk(directory: Path, needle: str) -> list[str]:
    """The files under ``directory`` whose bytes hold ``needle`` (UTF-8)."""
    data = needle.encode("utf-8")
    return sorted(p.name for p in directory.iterdir() if p.is_file() and data in p.read_bytes())


def fill(store: Store, clock: FakeClock, rows: int, *, seed: int = 1) -> list[str]:
    """A backlog of every shape: submissions (personal), heartbeats, device status, a few faults; some confirmed
    long ago, some purged. Returns the keys."""
    rng = random.Random(seed)
    keys = []
    for i in range(rows):
        kind = rng.choice(["submission", "submission", "appointment", "heartbeat", "device_status", "fault"])
        personal = kind in SUBMISSION_KINDS
        keys.append(store.enqueue(kind, {"i": i, "name": "张三" if personal else ""}, personal=personal).key)
        clock.t += 1
    store.confirm_many(rng.sample(keys, rows // 3))
    return keys


# ------------------------------------------------------------------------------------------ query plans


def traced(store: Store) -> list[str]:
    """Every SQL statement the store's connection runs from now on, with its values in place."""
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)  # the test looks under the store on purpose
    return statements


def plan(db: Path, sql: str) -> list[str]:
    """EXPLAIN QUERY PLAN of ``sql``, one detail line each, on a connection of its own."""
    conn = sqlite3.connect(db)
    try:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    finally:
        conn.close()


def as_if_big(store: Store, rows: int = 100_000) -> None:
    """ANALYZE, then scale its figures up to a table of ``rows``: the planner, given statistics, must still
    choose the indexes (on a table as small as a test's, reading it all would rightly be cheaper)."""
    conn = store._conn
    conn.execute("ANALYZE")
    for table, index, stat in conn.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall():
        numbers = stat.split()
        scaled = [numbers[0] and str(int(numbers[0]) * rows // 400)] + [
            n if n == "1" else str(int(n) * rows // 400) for n in numbers[1:]
        ]
        conn.execute("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?", (" ".join(scaled), table, index))


def scans_of_the_outbox(db: Path, statements: list[str]) -> dict[str, list[str]]:
    """Statements whose plan reads the whole outbox (a SCAN, or a sort of what it read), with their plans."""
    bad = {}
    for sql in dict.fromkeys(statements):
        if "outbox" not in sql or not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
            continue
        lines = plan(db, sql)
        if any(line == "SCAN outbox" or line.startswith("SCAN outbox ") or "TEMP B-TREE" in line for line in lines):
            bad[sql] = lines
    return bad


@pytest.mark.parametrize("analyzed", [False, True], ids=["as-shipped", "after-ANALYZE"])
def test_hot_statements_answer_from_indexes_never_a_scan_of_the_outbox(tmp_path: Path, analyzed: bool) -> None:
    """Every statement of the agent's lanes, confirmations, enqueue, trim, stats and the clean-ups: no plan walks
    the backlog, with the shipped schema and after an ANALYZE gave the planner statistics to be clever with."""
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock, retention_s=3600, telemetry_limit=50) as store:
        keys = fill(store, clock, 400)
        if analyzed:
            as_if_big(store)
        statements = traced(store)
        for kinds, after in ((CONTROL, 0), (SUBMISSION_KINDS, 0), (None, 100), (["heartbeat"], 3)):
            store.pending(limit=100, kinds=kinds, after_seq=after)
        store.pending(limit=100, exclude=SUBMISSION_KINDS)
        store.confirm_many(keys[:100])
        store.confirm(keys[100])
        store.enqueue("heartbeat", {"up": 1})
        store.get(keys[5])
        store.outbox_stats()
        store.trim_telemetry()
        clock.t += 7200
        store.housekeep()
        store.record_attempt(keys[7])
    with Inspector(db) as inspector:
        statements += traced(inspector)
        inspector.last_confirmed()
        inspector.oldest_pending()
        inspector.personal_rows()
    assert len(statements) > 20
    assert scans_of_the_outbox(db, statements) == {}


@pytest.mark.parametrize("analyzed", [False, True], ids=["as-shipped", "after-ANALYZE"])
def test_confirm_many_finds_each_row_by_its_key(tmp_path: Path, analyzed: bool) -> None:
    """From 4 keys on, the planner preferred an index on state and read every pending row (issue 16)."""
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock) as store:
        keys = fill(store, clock, 400)
        if analyzed:
            as_if_big(store)
        statements = traced(store)
        store.confirm_many(keys[:100])
    update = next(sql for sql in statements if sql.startswith("UPDATE outbox SET state = 'confirmed'"))
    assert plan(db, update) == ["SEARCH outbox USING INDEX sqlite_autoindex_outbox_1 (key=?)"]


def test_the_empty_control_lane_never_touches_the_backlog(tmp_path: Path) -> None:
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock) as store:
        for i in range(300):
            store.enqueue("submission", {"i": i}, personal=True)
        statements = traced(store)
        assert store.pending(kinds=CONTROL) == []
    reads = [sql for sql in statements if "outbox" in sql]
    assert reads and scans_of_the_outbox(db, reads) == {}
    backlog = [sql for sql in reads if "FROM outbox " in sql]
    staged = [sql for sql in reads if "FROM outbox_staged " in sql]
    assert backlog and all("outbox_pending (kind=? AND seq>?)" in " ".join(plan(db, sql)) for sql in backlog)
    # and the few rows staged since the last move, by seq
    by_seq = "SEARCH outbox_staged USING INTEGER PRIMARY KEY (rowid>?)"
    assert staged and all(plan(db, sql) == [by_seq] for sql in staged)


# ---------------------------------------------------------------------------------------- counts, lanes


def recount(db: Path) -> tuple[dict, dict]:
    """(what the store's counts say, what counting the rows says), per (kind, state): (rows, personal on disk).
    The store's: the kept counts plus the rows after its fold mark and the staged ones, as the store reads them."""
    conn = sqlite3.connect(db)
    try:
        kept = outbox_counts(conn)
        counted = conn.execute(
            "SELECT kind, state, count(*), sum(personal = 1 AND purged_at IS NULL) FROM outbox_all GROUP BY kind, state"
        )
        return kept, {(k, s): (n, p) for k, s, n, p in counted}
    finally:
        conn.close()


def test_counts_kept_by_triggers_match_a_recount_after_every_kind_of_change(tmp_path: Path) -> None:
    db, clock = tmp_path / "k.db", FakeClock()
    rng = random.Random(7)
    with Store(db, clock=clock, retention_s=100, telemetry_limit=30, pacer=Pacer(sleep=lambda _: None)) as store:
        keys = fill(store, clock, 300)
        steps = [
            lambda: fill(store, clock, 40, seed=rng.random()),
            lambda: store.confirm_many(rng.sample(keys, 50)),
            lambda: store.confirm(rng.choice(keys)),
            lambda: store.requeue_since(T0 + rng.randrange(300)),
            lambda: store.trim_telemetry(),
            lambda: store.purge_personal(),
            lambda: store.forget_old(),
            lambda: store.housekeep(),
        ]
        for _ in range(25):
            clock.t += rng.randrange(0, 80)
            rng.choice(steps)()
            kept, counted = recount(db)
            assert kept == counted
        store.purge_all_personal()
        kept, counted = recount(db)
        assert kept == counted and not any(personal for _, personal in kept.values())
        stats = store.outbox_stats()
    assert stats.depth == sum(n for (_, s), (n, _) in counted.items() if s == "pending")
    assert stats.confirmed == sum(n for (_, s), (n, _) in counted.items() if s == STATE_CONFIRMED)


def kept_counts(db: Path) -> tuple[int, dict]:
    """The fold mark and the kept counts, read past the store."""
    conn = sqlite3.connect(db)
    try:
        upto = conn.execute("SELECT upto FROM outbox_counted").fetchone()[0]
        return upto, {(k, s): (n, p) for k, s, n, p in conn.execute("SELECT * FROM outbox_counts") if n or p}
    finally:
        conn.close()


def test_an_enqueue_writes_no_count_until_a_fold_and_rows_written_past_the_store_are_counted(tmp_path: Path) -> None:
    """Counting each insert cost a page write per durable enqueue; the newest rows are counted where they are
    until an enqueue folds them in (every FOLD_EVERY rows), and the store's figures are right all along."""
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock) as store:
        first = [store.enqueue("heartbeat", {"i": i}) for i in range(FOLD_EVERY - 1)]
        assert kept_counts(db) == (0, {})  # not one count written
        assert store.outbox_stats().by_kind == {"heartbeat": FOLD_EVERY - 1}
        store.confirm_many(e.key for e in first[:10])  # rows after the mark change state: nothing to keep
        last = store.enqueue("submission", {"n": 1}, personal=True)
        upto, kept = kept_counts(db)
        assert upto == last.seq and kept == {
            ("heartbeat", "pending"): (FOLD_EVERY - 11, 0), ("heartbeat", "confirmed"): (10, 0),
            ("submission", "pending"): (1, 1),
        }  # fmt: skip
        store.confirm(last.key)  # a row before the mark: its trigger keeps the counts
        assert kept_counts(db)[1][("submission", "confirmed")] == (1, 1)
    past = sqlite3.connect(db, isolation_level=None)  # e.g. a restore or an import, past the store
    past.executemany(
        "INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES (?, 'event', '{}', 0, 0)",
        [(new_key(),) for _ in range(1000)],
    )
    past.close()
    with Inspector(db) as inspector:  # read-only: counts the rows after the mark, cannot fold
        assert inspector.outbox_stats().by_kind == {"heartbeat": FOLD_EVERY - 11, "event": 1000}
    with Store(db, clock=clock) as store:  # opening folds them
        assert kept_counts(db)[0] == last.seq + 1000
        assert store.outbox_stats().by_kind == {"heartbeat": FOLD_EVERY - 11, "event": 1000}
    kept, counted = recount(db)
    assert kept == counted


def test_pending_merges_kinds_in_seq_order_after_the_cursor(tmp_path: Path) -> None:
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock) as store:
        keys = fill(store, clock, 120)
        everything = store.pending(limit=1000)
        seqs = [e.seq for e in everything]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)) == 120 - 40
        assert {e.key for e in everything} <= set(keys)
        citizen = store.pending(limit=7, kinds=SUBMISSION_KINDS, after_seq=seqs[10])
        expected = [e for e in everything if e.kind in SUBMISSION_KINDS and e.seq > seqs[10]][:7]
        assert citizen == expected
        rest = store.pending(limit=1000, exclude=SUBMISSION_KINDS)
        assert rest == [e for e in everything if e.kind not in SUBMISSION_KINDS]
        assert store.pending(limit=0) == [] and store.pending(kinds=[]) == []
        assert (
            store.pending(kinds=["heartbeat", "heartbeat"], limit=3)
            == [e for e in everything if e.kind == "heartbeat"][:3]
        )


def test_stats_and_oldest_pending_follow_confirmations_and_resends(tmp_path: Path) -> None:
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock) as store:
        first = store.enqueue("heartbeat", {})
        clock.t += 10
        second = store.enqueue("submission", {"n": 1}, personal=True)
        clock.t += 10
        assert store.outbox_stats().oldest_pending_age_s == 20
        store.confirm(first.key)
        assert store.outbox_stats().oldest_pending_age_s == 10
        store.confirm(second.key)
        assert store.outbox_stats().oldest_pending_age_s == 0.0 and store.outbox_stats().depth == 0
        assert store.requeue_since(T0) == 2
        stats = store.outbox_stats()
        assert (stats.depth, stats.oldest_pending_age_s, stats.confirmed) == (2, 20, 0)
    with Inspector(db) as inspector:
        assert inspector.oldest_pending() == T0 and inspector.last_confirmed() is None
        assert inspector.personal_rows().unsent == 1


# ------------------------------------------------------------------------------------ purges, the files


def confirmed_long_ago(store: Store, clock: FakeClock, rows: int, marker: str) -> None:
    for i in range(rows):
        store.enqueue("submission", {"name": marker, "i": i, "note": "申请材料" * 150}, personal=True)
    store.confirm_many(e.key for e in store.pending(limit=rows))
    clock.t += 4 * 86400


def test_a_purge_runs_in_batches_and_the_other_process_writes_between_them(tmp_path: Path) -> None:
    """After every batch the write lock is free: a writer that does not wait at all (busy timeout 0) gets in."""
    db, clock = tmp_path / "k.db", FakeClock()
    ui: list[sqlite3.Connection] = []  # the UI process's connection, once the store has made the file

    def between_batches(_seconds: float) -> None:
        ui[0].execute("INSERT INTO outbox (key, kind, payload, created_at) VALUES (?, 'event', '{}', 0)", (new_key(),))

    pacer = Pacer(sleep=between_batches, first=25, lo=25, hi=25)
    with Store(db, clock=clock, retention_s=3600, pacer=pacer) as store:
        confirmed_long_ago(store, clock, 200, "王小明")
        ui.append(sqlite3.connect(db, timeout=0, isolation_level=None))  # no patience: a busy lock fails it
        assert store.purge_personal() == 200
        assert pacer.batches > 200 // 25 and store.outbox_stats().by_kind["event"] >= 200 // 25
        assert all(store.get(e.key).purged for e in store.pending(limit=1000, kinds=["submission"]))
        assert store.outbox_stats().personal_unpurged == 0
    ui[0].close()
    assert on_disk(tmp_path, "王小明") == []


def test_the_file_gives_the_space_back_after_a_purge(tmp_path: Path) -> None:
    """A purged row is rewritten, not shrunk in place: its pages merge, free pages go back to the file system.
    The file ends within 1.5x of a VACUUMed copy (issue 16; 8x bigger before)."""
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock, retention_s=3600, pacer=Pacer(sleep=lambda _: None)) as store:
        confirmed_long_ago(store, clock, 1500, "李四")
        full = db.stat().st_size + Path(f"{db}-wal").stat().st_size
        assert store.purge_personal() == 1500
        conn = sqlite3.connect(db)
        conn.execute("VACUUM INTO ?", (str(tmp_path / "copy.db"),))
        conn.close()
        assert db.stat().st_size <= 1.5 * (tmp_path / "copy.db").stat().st_size < full / 5
        assert Path(f"{db}-wal").stat().st_size == 0
        assert store.pragmas()["secure_delete"] == 1


def test_personal_data_left_by_a_checkpoint_a_reader_held_up_goes_at_the_next_housekeep(tmp_path: Path) -> None:
    """Issue 12, item 10: another connection inside a read transaction kept the purge's checkpoint from
    finishing, and the next housekeeping (which checkpointed only when it purged rows) left the ID number, name
    and address in kiosk.db and -wal. Now every housekeeping finishes what an earlier checkpoint could not."""
    db, clock = tmp_path / "k.db", FakeClock()
    secrets = ("110101199003070000", "赵敏", "北京市东城区景山前街4号")
    with Store(db, clock=clock, retention_s=3600) as store:
        entry = store.enqueue(
            "submission", dict(zip(("id_number", "name", "address"), secrets, strict=True)), personal=True
        )
        store.confirm(entry.key)
        reader = sqlite3.connect(db, isolation_level=None)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM outbox").fetchone() == (1,)  # its snapshot: before the purge
        clock.t += 3601
        assert store.purge_personal() == 1
        assert all(on_disk(tmp_path, s) for s in secrets)  # held up: the old pages are still in the files
        reader.execute("COMMIT")  # the reader is done (its connection stays open, idle)
        assert store.housekeep()["purged"] == 0
        assert [on_disk(tmp_path, s) for s in secrets] == [[], [], []]
        assert store.get(entry.key).purged
        reader.close()


def test_a_big_trim_runs_in_batches_oldest_first(tmp_path: Path) -> None:
    db, clock = tmp_path / "k.db", FakeClock()
    pauses: list[float] = []
    pacer = Pacer(sleep=pauses.append, first=40, lo=40, hi=40)
    with Store(db, clock=clock, telemetry_limit=10**6, pacer=pacer) as store:
        kept = [store.enqueue("submission", {"i": i}).key for i in range(5)]
        for i in range(300):
            store.enqueue("heartbeat" if i % 2 else "device_status", {"i": i})
    with Store(db, clock=clock, telemetry_limit=50, pacer=pacer) as store:  # a lowered limit
        assert store.trim_telemetry() == 250
        left = store.pending(limit=1000, exclude=SUBMISSION_KINDS)
        assert [e.payload["i"] for e in left] == list(range(250, 300))
        assert [e.key for e in store.pending(kinds=SUBMISSION_KINDS)] == kept
    assert len(pauses) == 250 // 40


# ------------------------------------------------------------------------------------------- migration


def make_v2_database(db: Path, rows: int) -> list[str]:
    """A database as the previous release left it: schema 2, no incremental vacuum, a backlog of rows."""
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, None, MIGRATIONS[:2])
    keys = [new_key() for _ in range(rows)]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES (?, ?, ?, ?, ?)",
        [(k, "submission" if i % 3 else "heartbeat", canonical_json({"名": i}), T0 + i, i % 3 > 0)
         for i, k in enumerate(keys)],
    )  # fmt: skip
    conn.execute("UPDATE outbox SET state = 'confirmed', confirmed_at = ? WHERE seq % 5 = 0", (T0 + rows,))
    conn.execute("UPDATE outbox SET state = 'purged', purged_at = ?, payload = '{}' WHERE seq % 7 = 0", (T0,))
    conn.execute("COMMIT")
    assert conn.execute("PRAGMA auto_vacuum").fetchone() == (0,)
    conn.close()
    return keys


def outbox_rows(db: Path) -> list[tuple]:
    """Every outbox row, every column, in seq order, read past the store (staged rows too, from version 6)."""
    conn = sqlite3.connect(db)
    try:
        views = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        table = "outbox_all" if "outbox_all" in views else "outbox"
        return conn.execute(f"SELECT * FROM {table} ORDER BY seq").fetchall()
    finally:
        conn.close()


def test_a_version_2_database_is_migrated_counted_and_switched_to_incremental_vacuum(tmp_path: Path) -> None:
    db = tmp_path / "data" / "kiosk.db"
    keys = make_v2_database(db, 500)
    before = outbox_rows(db)
    with Store(db) as store:
        assert (store.pragmas()["user_version"], store.get(keys[1]).payload) == (LATEST_VERSION, {"名": 1})
    kept, counted = recount(db)
    assert kept == counted and sum(n for n, _ in counted.values()) == 500
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA auto_vacuum").fetchone() == (2,)
        assert outbox_rows(db) == before
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"outbox_pending", "outbox_confirmed", "outbox_purgeable"} <= indexes
        assert not indexes & {"outbox_state_seq", "outbox_personal"}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    backup = sqlite3.connect(backup_path(db, 2))
    assert schema_version(backup) == 2 and backup.execute("SELECT count(*) FROM outbox").fetchone() == (500,)
    backup.close()
    with Store(db) as store:  # opened again: nothing left to do
        assert store.outbox_stats().depth == len([r for r in before if r[7] == "pending"])
        assert store.get(keys[6]).state == STATE_PURGED and store.get(keys[4]).state == STATE_CONFIRMED


def make_v4_database(db: Path, rows: int) -> list[str]:
    """A database as version 4 of the schema left it: rows of every state, some purged, the newest two trimmed
    (AUTOINCREMENT's counter past the newest row)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, None, MIGRATIONS[:4])
    keys = [new_key() for _ in range(rows)]
    for i, key in enumerate(keys):
        state = ("pending", "confirmed", "purged")[i % 3]
        conn.execute(
            "INSERT INTO outbox (key, kind, payload, created_at, state, confirmed_at, personal, purged_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, "submission" if i % 2 else "heartbeat", f'{{"i":{i}}}', 1000.0 + i, state,
             None if state == "pending" else 2000.0 + i, i % 2, 3000.0 if state == "purged" else None),
        )  # fmt: skip
    conn.execute("DELETE FROM outbox WHERE seq > ?", (rows - 2,))  # the two newest trimmed
    conn.close()
    return keys[: rows - 2]


def test_a_version_4_database_is_rebuilt_lean_keeping_every_row_its_counts_and_its_seqs(tmp_path: Path) -> None:
    db = tmp_path / "data" / "kiosk.db"
    keys = make_v4_database(db, 300)
    before = outbox_rows(db)
    with Store(db) as store:
        assert (store.pragmas()["user_version"], store.get(keys[1]).payload) == (LATEST_VERSION, {"i": 1})
        newest = store.enqueue("heartbeat", {"new": True})
    # Past every row kept. The seqs of the two rows trimmed before the upgrade are given again: nothing holds
    # them (the hall keys records by key, and the agent reads its lanes from seq 0 when it starts, as it does
    # after an upgrade).
    assert newest.seq == before[-1][0] + 1 == 299
    assert outbox_rows(db)[:-1] == before
    kept, counted = recount(db)
    assert kept == counted
    conn = sqlite3.connect(db)
    try:
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"outbox_pending", "outbox_confirmed", "outbox_purgeable"} <= indexes
        assert triggers == {"outbox_counts_insert", "outbox_counts_delete", "outbox_counts_update"}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    backup = sqlite3.connect(backup_path(db, 4))
    assert schema_version(backup) == 4 and backup.execute("SELECT count(*) FROM outbox").fetchone() == (298,)
    backup.close()


def test_a_new_database_is_made_with_incremental_vacuum(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA auto_vacuum").fetchone() == (2,)
    conn.close()


def test_bench_scale_runs_and_prints_its_table(tmp_path: Path) -> None:
    """Only that the benchmark works; its figures are for people, not asserted here."""
    from bench.scale import format_table, misses, random_key, run

    figures = run(tmp_path, (40, 80), 1, log=lambda _: None)
    table = format_table(figures)
    assert "empty control lane" in table and "VACUUMed copy" in table
    assert isinstance(misses(figures), list)
    old = tmp_path / "random-keys"
    old.mkdir()
    assert "VACUUMed copy" in format_table(run(old, (40,), 1, log=lambda _: None, key=random_key))
    conn = sqlite3.connect(old / "pending-40.db")
    versions = {uuid.UUID(key).version for (key,) in conn.execute("SELECT key FROM outbox")}
    conn.close()
    assert versions == {4}  # a backlog as written before the store's keys were time-ordered
