"""What a durable enqueue costs (issue 16, item 3): the pages it writes, and what the schema makes SQLite do per
row. ``bench store`` measured enqueue at 0.70 of a raw insert into a plain table; the outbox wrote a fourth page
per row (AUTOINCREMENT's sqlite_sequence) and re-parsed every payload (a CHECK with json_valid) that the store
had just made as canonical JSON. Version 5 of the schema drops both; seqs still never come back. Version 6
stages each new row in a table without indexes (one page per commit, as a plain table) and moves the rows to
the outbox in batches.

Speed figures are the benchmark's (``python -m bench store``); these tests pin what makes them possible."""

from __future__ import annotations

import sqlite3
import statistics
import threading
from pathlib import Path

from kiosk.store import Store
from kiosk.store.outbox import FOLD_BACKSTOP, FOLD_EVERY
from tests.core.test_core_store import FakeClock
from tests.core.wal import wal_frames
from tests.waiting import wait_until


def test_a_durable_enqueue_writes_one_page_and_the_rows_reach_the_outbox_in_batches(tmp_path: Path) -> None:
    """A plain table writes one page per row, and so does an enqueue: the row is staged in a table without
    indexes. The outbox's three B-trees (rows, unique key, pending lane) take the staged rows in batches, in a
    commit that is not fsynced (they are durable where they were). Counted in the WAL, commit by commit, with
    checkpoints held off; this store has no checkpoint thread, so its enqueue moves them every FOLD_EVERY rows."""
    db = tmp_path / "k.db"
    with Store(db) as store:
        store._conn.execute("PRAGMA wal_autocheckpoint = 0")  # the WAL only grows: its size counts the pages
        for _ in range(200):  # past the first pages' allocations
            store.enqueue("submission", {"名": "张三", "note": "x" * 600}, personal=True)
        pages = []
        for i in range(3 * FOLD_EVERY):
            before = wal_frames(db)
            store.enqueue("submission", {"名": "张三", "i": i, "note": "x" * 600}, personal=True)
            pages.append(wal_frames(db) - before)
    # One page per commit. Every few rows the staged table takes a new leaf (a few pages, as a plain table
    # would); once per FOLD_EVERY rows a commit also moves the batch: each B-tree's pages once for many rows.
    moves = [n for n in pages if n > 8]
    assert min(pages) == 1 and statistics.median(pages) == 1, pages
    assert len(moves) == 3 and sum(pages) < 3 * len(pages), pages


def test_the_schema_leaves_payload_checks_to_the_store_and_seqs_to_sqlite(tmp_path: Path) -> None:
    """The store writes every payload as canonical JSON (kiosk.store.models.canonical_json refuses anything
    else); re-parsing it in a CHECK cost a tenth of the enqueue's CPU time. No AUTOINCREMENT: no sqlite_sequence
    row to read and rewrite per insert."""
    db = tmp_path / "k.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'outbox'").fetchone()[0]
        sequenced = conn.execute("SELECT name FROM sqlite_sequence").fetchall()
    finally:
        conn.close()
    assert "json_valid" not in sql and "AUTOINCREMENT" not in sql.upper()
    assert ("outbox",) not in sequenced


def test_a_seq_never_comes_back_after_the_newest_rows_are_forgotten_or_trimmed(tmp_path: Path) -> None:
    """Without AUTOINCREMENT SQLite gives a new row max(seq) + 1, so a seq would come back if the newest row
    were deleted. Clean-ups keep the newest row: seqs only grow (the agent's lane cursors rely on it)."""
    db, clock = tmp_path / "k.db", FakeClock()
    with Store(db, clock=clock, retention_s=60, telemetry_limit=100) as store:
        beats = [store.enqueue("heartbeat", {"i": i}) for i in range(5)]
        assert store.confirm_many(e.key for e in beats) == 5
        clock.t += 3600
        assert store.forget_old() == 4  # every confirmed heartbeat is old; the newest row stays
        assert [e.seq for e in store.pending(limit=10)] == []
        after_forget = store.enqueue("heartbeat", {"i": 5})
        assert after_forget.seq == beats[-1].seq + 1
        store._telemetry_limit = 0  # a limit lowered past every pending row (config allows 100 and up)
        more = [store.enqueue("heartbeat", {"i": i}) for i in range(6, 9)]
        assert store.trim_telemetry() == 3  # all but the newest
        assert [e.seq for e in store.pending(limit=10)] == [more[-1].seq]
        assert store.enqueue("heartbeat", {"i": 9}).seq == more[-1].seq + 1


def fold_mark(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT upto FROM outbox_counted").fetchone()[0]
    finally:
        conn.close()


def test_the_ui_store_folds_its_counts_from_its_checkpoint_thread_not_in_a_citizens_enqueue(tmp_path: Path) -> None:
    """Folding the counts is a transaction of its own every FOLD_EVERY rows: in the UI's store the checkpoint
    thread does it before a checkpoint. Its enqueues fold only FOLD_BACKSTOP behind, should the thread be stuck."""
    db = tmp_path / "k.db"
    with Store(db, checkpoint_in_thread=True, checkpoint_gap_s=3600.0) as store:  # one round, then the gap
        checkpointer = store.checkpointer
        assert checkpointer is not None
        store.enqueue("heartbeat", {"i": 0})
        wait_until(lambda: checkpointer.checkpoints == 1, what="the thread's first round")
        for i in range(FOLD_EVERY + 10):
            store.enqueue("heartbeat", {"i": i})
        assert fold_mark(db) == 0  # no enqueue folded
        assert store.outbox_stats().by_kind == {"heartbeat": FOLD_EVERY + 11}  # counted where they are
        checkpointer.nudge()
        wait_until(lambda: checkpointer.checkpoints == 2, what="the thread's next round")
        newest = store.enqueue("heartbeat", {"i": "last"}).seq - 1
        assert fold_mark(db) == newest  # the thread folded them
        while store.enqueue("heartbeat", {}).seq - newest < FOLD_BACKSTOP:
            assert fold_mark(db) == newest
        assert fold_mark(db) == newest + FOLD_BACKSTOP  # the backstop: this enqueue folded
        assert store.outbox_stats().by_kind == {"heartbeat": FOLD_EVERY + 11 + FOLD_BACKSTOP}


def test_enqueues_that_never_pause_leave_the_folds_to_the_checkpoint_thread(tmp_path: Path) -> None:
    """Back-to-back enqueues as fast as this disk takes them (``bench store``'s load): the thread's round is its
    gap plus its own work (a move, a fold, a checkpoint), so it falls a round's rows behind, up to ~340 here. With
    the backstop at four folds (256 rows) a citizen's enqueue folded itself about once in 800 (a move of ~250 rows
    and a fold on the citizen's path, ~3 ms); without the change this test failed, with 4 to 6 of them. The
    backstop is for a stuck thread, not a busy one."""
    db = tmp_path / "k.db"
    with Store(db, checkpoint_in_thread=True) as store:
        inline = []
        fold = store._fold_counts

        def counted_fold() -> None:
            if threading.current_thread() is threading.main_thread():
                inline.append(store._newest_seq)
            fold()

        store._fold_counts = counted_fold  # type: ignore[method-assign]
        for i in range(4000):
            store.enqueue("submission", {"i": i, "note": "材料齐全" * 40}, personal=True)
        checkpointer = store.checkpointer
        assert checkpointer is not None and checkpointer.checkpoints > 10  # the thread did work all along
        assert inline == []
