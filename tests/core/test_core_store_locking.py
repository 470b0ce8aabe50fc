"""How the store's writers wait for each other, and where its WAL is checkpointed (issue 16, item 2).

- A writer that finds the write lock taken looks again every millisecond (``execute_when_free``), not on SQLite's
  busy-handler schedule, whose tries 25-50 ms apart kept landing in a purge's periodic batches: ``bench scale``
  saw a citizen's record wait 227 ms behind batches that each held the lock at most 24 ms.
- The UI's store checkpoints from a thread of its own: a commit never copies the WAL into the database.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kiosk.store import Store
from kiosk.store.checkpointer import BACKSTOP_PAGES
from kiosk.store.connection import BUSY_TIMEOUT_MS, WRITE_POLL_S, connect, execute_when_free
from tests.core.wal import wal_frames
from tests.waiting import wait_until

PAYLOAD = {"service": "hukou_certificate", "note": "材料齐全" * 200}  # a few pages a commit


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.db"
    Store(path).close()  # created and migrated
    return path


def test_a_writer_looks_for_a_taken_write_lock_every_millisecond(db: Path) -> None:
    holder, writer = connect(str(db)), connect(str(db))
    writer.execute("PRAGMA busy_timeout = 0")  # the caller's part: SQLite's own wait off
    holder.execute("BEGIN IMMEDIATE")
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 3:  # the other process's batch ends
            holder.execute("COMMIT")

    _, waited = execute_when_free(writer, "BEGIN IMMEDIATE", sleep=nap, clock=lambda: sum(naps))
    writer.execute("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', 0)")
    writer.execute("COMMIT")
    assert naps == [WRITE_POLL_S] * 3  # refused three times, each followed by a 1 ms look again: then in
    assert waited == pytest.approx(3 * WRITE_POLL_S)  # and it says how long it waited
    assert execute_when_free(writer, "SELECT 1")[1] == 0.0  # nothing to wait for: no wait


def test_a_writer_gives_up_after_the_timeout_with_the_lock_still_taken(db: Path) -> None:
    holder, writer = connect(str(db)), connect(str(db))
    writer.execute("PRAGMA busy_timeout = 0")
    holder.execute("BEGIN IMMEDIATE")
    now = [0.0]

    def nap(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        execute_when_free(writer, "BEGIN IMMEDIATE", timeout_ms=50, sleep=nap, clock=lambda: now[0])
    assert 0.05 <= now[0] < 0.06  # it looked for 50 ms (of the injected clock), then gave up
    holder.execute("ROLLBACK")


def test_an_error_other_than_busy_is_not_retried(db: Path) -> None:
    writer = connect(str(db))
    naps: list[float] = []
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        execute_when_free(writer, "INSERT INTO nowhere VALUES (1)", sleep=naps.append)
    assert naps == []


def test_the_store_waits_for_the_other_process_and_then_writes(db: Path) -> None:
    holder = connect(str(db))
    with Store(db) as store:
        holder.execute("BEGIN IMMEDIATE")
        # The holder lets go from another thread while the store's enqueue is waiting for the lock.
        released = threading.Timer(0.05, lambda: holder.execute("COMMIT"))
        released.start()
        entry = store.enqueue("submission", PAYLOAD, personal=True)
        released.join()
        assert store.get(entry.key) is not None
        assert store.lock_wait_s > 0 and store.longest_lock_wait_s == store.lock_wait_s  # it did wait
        store.enqueue("submission", PAYLOAD, personal=True)
        assert store.lock_wait_s == 0.0 and store.longest_lock_wait_s > 0  # the next one did not


def test_the_store_writes_by_polling_and_reads_with_sqlites_wait(db: Path) -> None:
    with Store(db) as store:
        busy = lambda: store._conn.execute("PRAGMA busy_timeout").fetchone()[0]  # noqa: E731
        store.enqueue("heartbeat", {"n": 1})
        store.enqueue("heartbeat", {"n": 2})
        assert busy() == 0  # a run of writes: SQLite's wait stays off, execute_when_free looks every ms
        assert store.outbox_stats().depth == 2
        assert busy() == BUSY_TIMEOUT_MS  # a read: SQLite's own wait again
        assert store.pragmas()["busy_timeout"] == BUSY_TIMEOUT_MS



def test_the_ui_store_commits_never_checkpoint_its_thread_does(db: Path) -> None:
    with Store(db, checkpoint_in_thread=True, checkpoint_gap_s=3600.0) as store:  # one, then the gap holds
        assert store.checkpointer is not None
        assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
        store.enqueue("submission", PAYLOAD, personal=True)
        wait_until(lambda: store.checkpointer.checkpoints == 1, what="the checkpoint after the first write")
        while wal_frames(db) < 1500:  # well past SQLite's 1,000 pages, where a commit would checkpoint itself
            store.enqueue("submission", PAYLOAD, personal=True)
        # No commit copied the WAL back and restarted it: the file only grew.
        assert store.checkpointer.checkpoints == 1
        store.checkpointer.nudge()
        wait_until(lambda: store.checkpointer.checkpoints == 2, what="a checkpoint of the thread")
        last = store.checkpointer.last
        assert last is not None and last[1] >= 1500 and last[1] == last[2]  # every frame copied, by the thread
    assert store.checkpointer is None  # closed with the store


def test_the_checkpoint_thread_follows_writes_and_sleeps_while_the_kiosk_is_idle(db: Path) -> None:
    """A short WAL keeps every commit fast (bench store), so the thread checkpoints soon after writes; an idle
    kiosk has nothing to copy and the thread does not wake for nothing."""
    with Store(db, checkpoint_in_thread=True, checkpoint_gap_s=0.05) as store:
        checkpointer = store.checkpointer
        assert checkpointer is not None
        for _ in range(200):  # a burst: checkpoints at most one per gap, each one copying what came before it
            store.enqueue("heartbeat", {"up": 1})
        time.sleep(1.0)  # the burst's last checkpoint comes a gap after it at most
        during = checkpointer.checkpoints
        assert 1 <= during < 200
        assert checkpointer.last is not None and checkpointer.last[1] == checkpointer.last[2]  # all copied
        time.sleep(0.5)  # ten gaps, no writes
        assert checkpointer.checkpoints == during
        store.enqueue("heartbeat", {"up": 2})
        wait_until(lambda: checkpointer.checkpoints == during + 1, what="the checkpoint after a write")


def test_writes_that_never_pause_keep_the_wal_short(db: Path) -> None:
    """Finding: under commits that never pause, a PASSIVE checkpoint is never done before the next commit starts,
    and only a WAL copied whole is started over: the WAL grew to the 8,000-page backstop, each commit appending to
    the file (a dearer fsync), and then one commit copied all of it. The thread restarts the WAL after a burst of
    commits."""
    with Store(db, checkpoint_in_thread=True, checkpoint_gap_s=0.005, checkpoint_burst=100) as store:
        checkpointer = store.checkpointer
        assert checkpointer is not None
        for _ in range(3000):  # one page a commit: a WAL never started over has 3,000 frames or more
            store.enqueue("heartbeat", {"up": 1})
        assert checkpointer.checkpoints >= 1
        assert wal_frames(db) < 1000
        assert checkpointer.restarts >= 1


def test_stores_of_other_processes_keep_sqlites_own_checkpoints(db: Path) -> None:
    with Store(db) as store:
        assert store.checkpointer is None
        assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
