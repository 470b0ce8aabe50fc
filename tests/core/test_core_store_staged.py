"""Staged outbox rows (schema version 6, issue 16 item 3): an enqueue writes its row to ``outbox_staged`` (no
index: one page per fsync'd commit, as a plain table) and the rows move to the outbox in batches. What must hold:
a staged row is a pending outbox row to every reader, with its final seq; the move loses nothing, changes
nothing and never lets a lane cursor skip a row; a key is never taken twice; a kill leaves the rows durable and
the next open moves them. Each test first shows the row staged, then what became of it."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.store import STATE_PENDING, Store, StoreUnavailable
from kiosk.store.inspect import Inspector, PersonalRows
from kiosk.store.outbox import FOLD_EVERY
from tests.core.test_core_store import FakeClock
from tests.waiting import wait_until


def staged_keys(db: Path) -> list[str]:
    """The keys in outbox_staged, in seq order, read past the store."""
    conn = sqlite3.connect(db)
    try:
        return [key for (key,) in conn.execute("SELECT key FROM outbox_staged ORDER BY seq")]
    finally:
        conn.close()


def outbox_seqs(db: Path) -> dict[str, int]:
    """key -> seq of the rows in the outbox table proper (not staged)."""
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT key, seq FROM outbox"))
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "k.db"


def test_a_staged_row_reads_as_a_pending_outbox_row_with_its_final_seq(db: Path) -> None:
    clock = FakeClock()
    with Store(db, clock=clock) as store:
        entry = store.enqueue("submission", {"名": "张三"}, personal=True)
        assert staged_keys(db) == [entry.key] and entry.key not in outbox_seqs(db)
        assert store.get(entry.key) == entry
        assert [e.key for e in store.pending()] == [entry.key]
        assert (store.outbox_stats().depth, store.outbox_stats().by_kind) == (1, {"submission": 1})
        assert store.outbox_stats().personal_unpurged == 1
        assert store.outbox_stats().oldest_pending_age_s == 0.0
        clock.advance(30)
        assert store.outbox_stats().oldest_pending_age_s == 30.0
        store.record_attempt(entry.key)  # any write transaction moves the staged rows first
        assert staged_keys(db) == [] and outbox_seqs(db) == {entry.key: entry.seq}
        assert store.get(entry.key).attempts == 1


def test_a_lane_cursor_sees_every_row_once_across_a_move(db: Path) -> None:
    """The agent pages a lane by seq (after_seq): the rows it read staged keep their seqs in the outbox, and a
    row written after the move takes a seq above them all."""
    with Store(db) as store:
        old = [store.enqueue("submission", {"i": i}) for i in range(3)]
        store.record_attempt(old[0].key)  # moved
        staged = [store.enqueue("submission", {"i": i}) for i in range(3, 6)]
        assert staged_keys(db) == [e.key for e in staged]
        seen = store.pending(limit=4)
        assert [e.key for e in seen] == [e.key for e in old + staged[:1]]  # the outbox, then the staged rows
        cursor = seen[-1].seq
        store.confirm_many(e.key for e in seen)  # moves the rest, confirms what was read
        assert staged_keys(db) == []
        later = store.enqueue("submission", {"i": 6})
        rest = store.pending(after_seq=cursor)
        assert [e.key for e in rest] == [e.key for e in staged[1:]] + [later.key]
        assert [e.seq for e in old + staged] + [later.seq] == sorted({e.seq for e in old + staged + [later]})


def test_a_chosen_key_is_taken_once_whether_its_row_is_staged_or_moved(db: Path) -> None:
    with Store(db) as store:
        first = store.enqueue("submission", {"v": 1}, key="retry-me")
        assert staged_keys(db) == ["retry-me"]
        again = store.enqueue("submission", {"v": 2}, key="retry-me")  # a retry while it is staged
        assert again == first and staged_keys(db) == ["retry-me"]
        store.record_attempt("other")  # moves it
        assert staged_keys(db) == [] and "retry-me" in outbox_seqs(db)
        assert store.enqueue("submission", {"v": 3}, key="retry-me").payload == {"v": 1}
        assert staged_keys(db) == [] and len(store.pending()) == 1


def test_a_citizen_record_takes_a_seq_above_the_staged_rows(db: Path) -> None:
    with Store(db) as store:
        staged = store.enqueue("heartbeat", {"up": 1})
        assert staged_keys(db) == [staged.key]
        record = store.record_citizen("submission", lambda n: {"reference": n}, personal=True, counter="ref")
        assert staged_keys(db) == [] and record.entry.seq > staged.seq
        assert outbox_seqs(db) == {staged.key: staged.seq, record.entry.key: record.entry.seq}


def test_a_kill_leaves_the_staged_rows_durable_and_the_next_open_moves_them(db: Path) -> None:
    """A store left without closing, as a kill leaves it (tests/core/test_core_store_crash.py kills real writers
    and reads the staged rows through outbox_all); the next store to open moves what was staged."""
    abandoned = Store(db)
    rows = [abandoned.enqueue("submission", {"i": i}, personal=True) for i in range(5)]
    assert staged_keys(db) == [e.key for e in rows]
    with Store(db) as reopened:  # another connection, as after a restart
        assert staged_keys(db) == []
        assert outbox_seqs(db) == {e.key: e.seq for e in rows}
        assert [e.payload for e in reopened.pending()] == [{"i": i} for i in range(5)]
    abandoned.close()


def test_the_ui_stores_checkpoint_thread_moves_staged_rows_within_its_gap(db: Path) -> None:
    with Store(db, checkpoint_in_thread=True, checkpoint_gap_s=0.05) as store:
        writer = store.checkpointer
        assert writer is not None
        writer.close()  # held still, to see the row staged
        store.checkpointer = None
        entry = store.enqueue("submission", {"i": 1})
        assert staged_keys(db) == [entry.key]
    with Store(db, checkpoint_in_thread=True, checkpoint_gap_s=0.05) as store:  # its open moved that one
        assert staged_keys(db) == []
        entries = [store.enqueue("heartbeat", {"i": i}) for i in range(3)]
        wait_until(lambda: staged_keys(db) == [], 5, "the checkpoint thread to move the staged rows")
        assert {e.key for e in entries} <= set(outbox_seqs(db))


def test_an_enqueue_moves_the_staged_rows_when_they_pile_up(db: Path) -> None:
    """The agent's store has no checkpoint thread: its own enqueues bound the staged rows."""
    with Store(db) as store:
        for i in range(3 * FOLD_EVERY):
            store.enqueue("heartbeat", {"i": i})
            assert len(staged_keys(db)) <= FOLD_EVERY
        assert len(store.pending(limit=10_000)) == 3 * FOLD_EVERY


def test_another_process_reads_staged_rows_and_its_writes_move_them(db: Path) -> None:
    """The UI stages; the sync agent (its own connection) sends the staged rows and confirms them."""
    with Store(db) as ui, Store(db) as agent:
        entry = ui.enqueue("submission", {"i": 1})
        assert staged_keys(db) == [entry.key]
        assert [e.key for e in agent.pending()] == [entry.key]
        assert agent.confirm_many([entry.key]) == 1
        assert staged_keys(db) == [] and ui.get(entry.key).state == "confirmed"


def test_the_inspector_exports_staged_rows_in_seq_order(db: Path) -> None:
    with Store(db) as store:
        moved = store.enqueue("submission", {"i": 0})
        store.record_attempt(moved.key)
        staged = store.enqueue("submission", {"i": 1}, personal=True)
        assert staged_keys(db) == [staged.key]
        with Inspector(db) as inspector:
            out = io.StringIO()
            assert inspector.export_outbox_jsonl(out) == 2
            assert inspector.personal_rows() == PersonalRows(on_disk=1, unsent=1)
            assert inspector.oldest_pending() is not None
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [(row["key"], row["state"], row["payload"]) for row in lines] == [
            (moved.key, STATE_PENDING, {"i": 0}),
            (staged.key, STATE_PENDING, {"i": 1}),
        ]


def test_a_full_database_keeps_rows_staged_and_its_writes_still_run(tmp_path: Path) -> None:
    """Moving needs pages (index entries); at the size limit the move is skipped, so a trim can make room."""
    db = tmp_path / "k.db"
    with Store(db, max_db_bytes=160 * 1024, telemetry_limit=0) as store:
        keys = []
        with pytest.raises(StoreUnavailable, match="disk full"):
            for i in range(10_000):
                keys.append(store.enqueue("heartbeat", {"i": i, "text": "办事指南" * 200}).key)
        assert staged_keys(db)  # rows staged that could not move
        assert store.trim_telemetry() > 0  # a write transaction that ran all the same
        after = store.enqueue("submission", {"after": "trim"})
        assert store.get(after.key) == after
    with Store(db) as reopened:
        assert staged_keys(db) == []
        assert after.key in {e.key for e in reopened.pending(limit=10_000)}


def test_a_lane_stays_in_seq_order_when_a_full_database_kept_rows_staged(tmp_path: Path) -> None:
    """Found by review: at the size limit the move is skipped; a citizen record then written straight to the
    outbox has a seq above the staged rows, and a lane page must still come oldest first, or the agent's cursor
    jumps past the staged rows. Every row stays, and each moves once there is room."""
    db = tmp_path / "k.db"
    with Store(db, max_db_bytes=200 * 1024, telemetry_limit=0) as store:
        taken = []
        with pytest.raises(StoreUnavailable, match="disk full"):
            for i in range(10_000):
                kind = "submission" if i % 2 else "heartbeat"
                taken.append(store.enqueue(kind, {"i": i, "text": "办事指南" * 200}))
        staged = staged_keys(db)
        assert staged  # rows the full database had no room to move
        trimmed = store.trim_telemetry()
        assert trimmed > 0
        record = store.record_citizen("submission", lambda n: {"reference": n}, personal=True, counter="ref")
        submissions = [e for e in taken if e.kind == "submission"] + [record.entry]
        lane = []
        cursor = 0
        while page := store.pending(limit=3, kinds=["submission"], after_seq=cursor):
            lane += page
            cursor = page[-1].seq
        assert [e.key for e in lane] == [e.key for e in sorted(submissions, key=lambda e: e.seq)]
        assert len(staged_keys(db)) < len(staged)  # the chunks that fitted moved
    with Store(db) as reopened:  # no limit: the rest moves
        assert staged_keys(db) == []
        assert {e.key for e in reopened.pending(limit=10_000, kinds=["submission"])} == {e.key for e in submissions}


def test_pending_merges_staged_rows_below_outbox_rows_by_seq(db: Path) -> None:
    """The state a full database can leave (review finding): staged rows the move had no room for, and a citizen
    record written straight to the outbox above them. Made past the store here, so no write moves them."""
    with Store(db) as store:
        first = store.enqueue("submission", {"i": 0})
        store.record_attempt(first.key)  # moved: the outbox's newest row
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO outbox_staged (seq, key, kind, payload, created_at, personal) VALUES (?, ?, ?, ?, ?, 0)",
                [
                    (first.seq + 1, "staged-1", "submission", '{"i":1}', 1.0),
                    (first.seq + 2, "staged-2", "submission", '{"i":2}', 2.0),
                ],
            )
            conn.execute(
                "INSERT INTO outbox (seq, key, kind, payload, created_at) "
                "VALUES (?, 'citizen', 'submission', '{}', 3.0)",
                (first.seq + 3,),
            )
    finally:
        conn.close()
    with Inspector(db) as reader:  # reads only: nothing moves
        pages, cursor = [], 0
        while page := reader.pending(limit=2, kinds=["submission"], after_seq=cursor):
            pages.append([e.key for e in page])
            cursor = page[-1].seq
        assert pages == [[first.key, "staged-1"], ["staged-2", "citizen"]]
        assert reader.oldest_pending() == 1.0  # the staged row, older than the outbox's pending one
