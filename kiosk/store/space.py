"""Giving space back and keeping out of the other process's way: incremental auto-vacuum, WAL checkpoints, and
the pacing of long clean-ups in short write batches.

- The file shrinks: a database is made with ``auto_vacuum = INCREMENTAL``; an older one is switched once, by a
  ``VACUUM`` when it is opened (:func:`switch_to_incremental_vacuum`; atomic: a crash or a full disk leaves the
  file as it was, and the next open tries again). Free pages are then handed back in short batches
  (``PRAGMA incremental_vacuum``).
- A long clean-up (a purge after a long holiday, a big trim) runs in batches that each hold the write lock for
  about :attr:`Pacer.target_s`, with the lock left free after each for :attr:`Pacer.gap_s` and at least twice
  as long as the batch held it. A writer in the other process (the UI) looks for the lock again every
  millisecond (:func:`kiosk.store.connection.execute_when_free`), so it gets in within a millisecond of a batch's
  end: a citizen's record waits for about one batch, never for the whole clean-up.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.store.files import file_lock

log = logging.getLogger(__name__)

INCREMENTAL = 2  # PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental
CHECKPOINT_BUSY_MS = 20  # how long a checkpoint that takes the write lock may wait for the writer and the readers


@dataclass
class Pacer:
    """Sizes write batches to hold the lock about ``target_s`` and leaves it free ``gap_s`` after each.

    Each job (``"purge"`` rows, ``"vacuum"`` pages, ...) has its own size, adapted to what its last full batch
    cost, between ``lo`` and ``hi``: grown by half while a batch takes under half the target, by an eighth
    while under it, cut in proportion past it (the disk and the machine's load vary; growing gently keeps the
    batch after a fast one from overshooting past a waiting writer's try at 18 ms). ``sleep`` and ``clock``
    are injected so a test can act in the gaps. ``longest`` (and its job) is the longest a batch held the
    lock: the longest another writer could have waited for it.
    """

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.perf_counter
    target_s: float = 0.008
    gap_s: float = 0.015
    gap_ratio: float = 2.0  # the lock is left free at least this many times as long as the batch held it
    # Batches between passive checkpoints. Every one: the WAL never reaches the autocheckpoint (1000 pages) that
    # the UI's next commit would have to do, and a batch's unsynced pages are synced here, not by the UI's fsync.
    checkpoint_every: int = 1
    # The first batch of a job is small: its pages are cold (read from the disk under the write lock), and it
    # held the lock 90 ms at 100 rows on a 100k backlog; the sizes grow from there by what each batch cost.
    first: int = 20
    lo: int = 20
    hi: int = 5000
    sizes: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    longest: float = 0.0
    longest_job: str = ""

    def size(self, job: str) -> int:
        """How many rows (pages) the next batch of ``job`` may change."""
        return self.sizes.get(job, self.first)

    def took(self, job: str, seconds: float, done: int) -> None:
        """Record a batch of ``job`` that changed ``done`` rows holding the write lock ``seconds``."""
        self.batches += 1
        if seconds > self.longest:
            self.longest, self.longest_job = seconds, job
        size = self.size(job)
        if done < size:  # a short (last) batch says nothing about the next
            return
        if seconds < self.target_s / 2:
            size += size // 2 + 1
        elif seconds < self.target_s:
            size += size // 8 + 1
        else:  # over the target: down in proportion (at most by half: one slow batch may be the disk's hiccup)
            size = int(size * max(0.5, self.target_s / seconds))
        self.sizes[job] = max(self.lo, min(self.hi, size))

    def pause(self, since: float, held: float) -> None:
        """Leave the write lock free until ``gap_s`` after ``since`` (the end of the last batch; what ran since,
        e.g. a passive checkpoint, did not hold it), and at least ``gap_ratio`` times what the batch ``held``
        it: under load a batch takes longer and so must its gap, or a waiting writer's tries keep landing in
        batches."""
        self.sleep(max(0.0, max(self.gap_s, self.gap_ratio * held) - (self.clock() - since)))


def switch_to_incremental_vacuum(conn: sqlite3.Connection, db_path: Path | None) -> bool:
    """Make the file one that gives free pages back; True once it is. A database made before this software
    needs one ``VACUUM`` (a rewrite of the whole file, in one transaction): done under the migration lock so
    the UI and the sync agent do not both do it. If it fails (e.g. no room for the copy) the database works
    as before and the next open tries again."""
    if _auto_vacuum(conn) == INCREMENTAL:
        return True
    lock = file_lock(db_path.with_name(f"{db_path.name}.migrate-lock")) if db_path is not None else nullcontext()
    with lock:
        if _auto_vacuum(conn) != INCREMENTAL:  # the other process may have done it while we waited
            started = time.monotonic()
            try:
                conn.execute(f"PRAGMA auto_vacuum = {INCREMENTAL}")
                conn.execute("VACUUM")
            except sqlite3.Error as exc:
                log.warning("cannot switch the database to incremental vacuum yet (retried at the next start): %s", exc)
            else:
                log.info("database rewritten for incremental vacuum in %.1f s", time.monotonic() - started)
    return _auto_vacuum(conn) == INCREMENTAL


def _auto_vacuum(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA auto_vacuum").fetchone()[0])


def free_pages(conn: sqlite3.Connection) -> int:
    """Pages of the file on its freelist (what an incremental vacuum can give back)."""
    return int(conn.execute("PRAGMA freelist_count").fetchone()[0])


def checkpoint(conn: sqlite3.Connection, *, truncate: bool, busy_ms: int) -> bool:
    """Copy the WAL into the database; True when all of it went (and, with ``truncate``, the WAL is empty).

    PASSIVE never blocks the other process. TRUNCATE holds the write lock while it waits for readers, so it
    waits at most ``busy_ms`` (instead of the connection's 5 s) and then gives up; the caller retries later.
    """
    if not truncate:
        busy, wal, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return not busy and wal == copied
    busy, wal, copied = blocking_checkpoint(conn, "TRUNCATE", busy_ms)
    return not busy and wal in (0, -1) and copied in (0, -1)


def blocking_checkpoint(conn: sqlite3.Connection, mode: str, busy_ms: int) -> tuple[int, int, int]:
    """``PRAGMA wal_checkpoint(mode)`` for a mode that takes the write lock (RESTART, TRUNCATE), waiting at most
    ``busy_ms`` for the writer and the readers, the connection's own wait restored after; SQLite's
    (busy, frames in the WAL, frames copied)."""
    previous = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    try:
        busy, wal, copied = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(previous)}")
    return int(busy), int(wal), int(copied)
