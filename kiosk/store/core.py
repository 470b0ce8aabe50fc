"""The one connection and its transactions, shared by every part of :class:`kiosk.store.Store` and by the
read-only :class:`kiosk.store.inspect.Inspector`.

Every public method of the table mixins is one short transaction taken here: ``BEGIN IMMEDIATE`` for writes, so
two processes queue on the busy timeout instead of failing on a lock upgrade; a single write statement may run
as its own transaction (:meth:`ConnectionCore._write_statement`). SQLite errors are translated on the way out
(:func:`kiosk.store.connection.translate_error`): "cannot write" becomes :class:`StoreUnavailable`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from kiosk.store.connection import BUSY_TIMEOUT_MS, execute_when_free, rollback, translate_error
from kiosk.store.models import StoreError, StoreUnavailable
from kiosk.store.space import CHECKPOINT_BUSY_MS, Pacer, checkpoint

log = logging.getLogger(__name__)


class ConnectionCore:
    """One SQLite connection behind a lock (thread-safe), the injected clock, and the transaction helpers."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        clock: Callable[[], float] = time.time,
        read_only_reason: str | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        """Take over ``conn`` (opened on ``path``); ``read_only_reason`` set: writes raise StoreUnavailable.
        ``pacer`` sizes and spaces the batches of long clean-ups (see :class:`kiosk.store.space.Pacer`)."""
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = conn
        self.read_only_reason = read_only_reason
        self._pacer = pacer or Pacer()
        self._polling = False  # the connection's busy_timeout is 0 (writes poll), not BUSY_TIMEOUT_MS (reads)
        self.lock_wait_s = 0.0  # how long the last write waited for the other process's write lock
        self.longest_lock_wait_s = 0.0  # and the longest any write of this store waited
        self._on_write: Callable[[], None] | None = None  # told after every commit of a write (the checkpointer)

    # ----------------------------------------------------------------------------------------- lifecycle
    def close(self) -> None:
        """Close the connection; later calls raise :class:`StoreError`. Closing twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _now(self) -> float:
        return float(self._clock())

    def pragmas(self) -> dict[str, int | str]:
        """This connection's durability settings as SQLite reports them (``synchronous``: 0 OFF, 1 NORMAL,
        2 FULL, 3 EXTRA), and the file's journal mode and schema version."""
        names = ("journal_mode", "synchronous", "foreign_keys", "secure_delete", "busy_timeout", "user_version")
        with self._lock:
            conn = self._connection(write=False)
            try:
                self._wait_by_polling(conn, False)
                return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
            except sqlite3.Error as exc:
                raise self._failed(conn, exc, False) from exc

    # -------------------------------------------------------------------------------------- transactions
    def _connection(self, *, write: bool) -> sqlite3.Connection:
        """The open connection (the caller holds the lock); refuses writes on a read-only store."""
        if self._conn is None:
            raise StoreError("the store is closed")
        if write and self.read_only_reason is not None:
            raise StoreUnavailable(self.read_only_reason)
        return self._conn

    def _wait_by_polling(self, conn: sqlite3.Connection, polling: bool) -> None:
        """Writes look for the write lock every millisecond themselves (busy timeout 0, :func:`execute_when_free`);
        reads keep SQLite's own wait (a reader is refused only while the other process recovers the WAL). The
        setting changes only when the kind of transaction does: a run of writes (the UI's enqueues) pays no
        PRAGMA, which costs tens of microseconds after an fsync (the caller holds the lock)."""
        if polling != self._polling:
            conn.execute("PRAGMA busy_timeout = 0" if polling else f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._polling = polling

    def _waited(self, seconds: float) -> None:
        self.lock_wait_s = seconds
        if seconds > self.longest_lock_wait_s:
            self.longest_lock_wait_s = seconds

    @staticmethod
    def _failed(conn: sqlite3.Connection, exc: sqlite3.Error, write: bool) -> StoreError:
        rollback(conn)
        error = translate_error(exc)
        log.error("store %s failed: %s", "write" if write else "read", error)
        return error

    @contextmanager
    def _tx(self, *, write: bool, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock; rolls back and translates sqlite3 errors on the way out.

        ``durable=False`` (a batch of a clean-up): the commit is not fsynced while it holds the write lock; the
        WAL is synced by the next checkpoint (or by any later durable commit, of either process, which syncs
        everything before it). A clean-up lost to a power cut is simply done again.
        """
        with self._lock:
            conn = self._connection(write=write)
            with self._sync_relaxed(conn, relaxed=write and not durable):
                try:
                    self._wait_by_polling(conn, write)
                    if write:  # the write lock, looked for every millisecond (see execute_when_free)
                        self._waited(execute_when_free(conn, "BEGIN IMMEDIATE")[1])
                        self._before_write(conn)
                    else:
                        conn.execute("BEGIN")
                    yield conn
                    conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    raise self._failed(conn, exc, write) from exc
                except BaseException:
                    rollback(conn)
                    raise
                if write and self._on_write is not None:
                    self._on_write()

    def _before_write(self, conn: sqlite3.Connection) -> None:
        """Runs first in every write transaction, under the write lock (the outbox moves its staged rows here)."""

    @staticmethod
    @contextmanager
    def _sync_relaxed(conn: sqlite3.Connection, *, relaxed: bool = True) -> Iterator[None]:
        """``synchronous = NORMAL`` inside (the caller holds the lock, so no other thread's commit is relaxed)."""
        previous = conn.execute("PRAGMA synchronous").fetchone()[0] if relaxed else 0
        if previous > 1:
            conn.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            if previous > 1:
                conn.execute(f"PRAGMA synchronous = {int(previous)}")

    def _in_batches(self, job: str, step: Callable[[sqlite3.Connection, int], int]) -> int:
        """Run ``step(conn, size)`` (it changes at most ``size`` rows; returns how many) in short write
        transactions until a batch comes back short; return the total. A batch's commit is not fsynced under
        the write lock (``durable=False``); after it the WAL is checkpointed, passively (synced and copied
        without blocking the other process, whose next commit then has neither a long WAL to copy nor our pages
        to sync), and the pacer pauses, so the other process's writes get in between (:mod:`.space`)."""
        total = batches = 0
        while True:
            size = self._pacer.size(job)
            with self._tx(write=True, durable=False) as conn:
                started = time.perf_counter()  # the write lock is ours from here (BEGIN IMMEDIATE took it)
                done = step(conn, size)
            ended = time.perf_counter()  # committed: the lock is free again
            self._pacer.took(job, ended - started, done)
            total += done
            batches += 1
            if done < size:
                return total
            if batches % self._pacer.checkpoint_every == 0:
                self._checkpoint(truncate=False)
            self._pacer.pause(since=ended, held=ended - started)

    def _checkpoint(self, *, truncate: bool) -> bool:
        """Checkpoint the WAL (see :func:`kiosk.store.space.checkpoint`); False if it could not finish now."""
        with self._lock:
            conn = self._connection(write=False)
            try:
                return checkpoint(conn, truncate=truncate, busy_ms=CHECKPOINT_BUSY_MS)
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed: %s", exc)
                return False

    def _write_statement(self, sql: str, params: tuple) -> sqlite3.Cursor:
        """One write statement as its own transaction: SQLite takes the write lock when the statement starts
        (as BEGIN IMMEDIATE would) and commits, fsynced, before ``execute`` returns. Two round trips fewer."""
        with self._lock:
            conn = self._connection(write=True)
            try:
                self._wait_by_polling(conn, True)
                cursor, waited = execute_when_free(conn, sql, params)
            except sqlite3.Error as exc:
                raise self._failed(conn, exc, True) from exc
            self._waited(waited)
            if self._on_write is not None:
                self._on_write()
            return cursor
