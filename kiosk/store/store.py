"""The kiosk's durable state: one SQLite file shared by the UI process and the sync agent.

WAL with ``synchronous=FULL``: a commit is fsynced before it returns, and readers never block the writer.
Every public method is one short transaction: ``BEGIN IMMEDIATE`` for writes, so two processes queue on the
busy timeout instead of failing on a lock upgrade; ``enqueue`` is a single INSERT, which SQLite runs as its own
transaction with the write lock taken at its start (the same, two round trips fewer). SQLite errors that mean
"cannot write" become :class:`StoreUnavailable`, which the UI shows as "out of service"; committed data stays
readable, and a store whose files cannot be written at all opens read-only.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.store.connection import (
    DiskGuard,
    DiskUsage,
    file_read_only_reason,
    open_read_only,
    open_read_write,
    rollback,
    translate_error,
)
from kiosk.store.health_records import HealthRecords
from kiosk.store.migrations import fsync_dir
from kiosk.store.models import (
    PURGED_PAYLOAD,
    STATE_CONFIRMED,
    STATE_PENDING,
    STATE_PURGED,
    SUBMISSION_KINDS,
    Fault,
    InboxEntry,
    OutboxEntry,
    OutboxStats,
    StoreError,
    StoreUnavailable,
    canonical_json,
    is_submission,
    new_key,
)

if TYPE_CHECKING:
    from kiosk.config import Config

__all__ = [
    "STATE_CONFIRMED",
    "STATE_PENDING",
    "STATE_PURGED",
    "SUBMISSION_KINDS",
    "Fault",
    "InboxEntry",
    "OutboxEntry",
    "OutboxStats",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "canonical_json",
    "is_submission",
    "new_key",
    "translate_error",
]

log = logging.getLogger(__name__)

_TRIM_EVERY = 64  # telemetry enqueues between automatic trims (a trim scans the pending index)
_CONFIRM_CHUNK = 500  # keys per UPDATE: well under SQLite's bound-parameter limit

_OUTBOX_COLUMNS = "seq, key, kind, payload, created_at, attempts, last_attempt_at, state, confirmed_at, personal"
_SUBMISSION_LIST = ", ".join(f"'{kind}'" for kind in sorted(SUBMISSION_KINDS))
# ON CONFLICT DO NOTHING: the idempotency check costs no extra statement when the key is new. (No RETURNING:
# it costs a third of the CPU time of the insert; the new row is known from the parameters and lastrowid.)
_INSERT_OUTBOX = (
    "INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING"
)
_TRIM_TELEMETRY = (
    "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state = 'pending' "
    f"AND kind NOT IN ({_SUBMISSION_LIST}) ORDER BY seq DESC LIMIT -1 OFFSET ?)"
)


class Store(HealthRecords):
    """The kiosk database. Thread-safe (one connection behind a lock); safe with another process on the file."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        retention_s: float = 72 * 3600,
        telemetry_limit: int = 10_000,
        min_free_bytes: int = 0,
        max_db_bytes: int | None = None,
        disk_usage: DiskUsage = shutil.disk_usage,
        disk_check_interval_s: float = 2.0,
    ) -> None:
        """Open (creating if needed) and migrate the database at ``path``.

        ``min_free_bytes``: below this much free disk, submissions are refused (telemetry is still taken);
        enough space, once seen, is trusted for ``disk_check_interval_s`` (see :class:`DiskGuard`).
        ``max_db_bytes``: cap on the database file; past it writes fail as "disk full".
        A database that can only be read opens in read-only mode (see :attr:`read_only_reason`).
        """
        self.path = Path(path)
        self._clock = clock
        self._retention_s = float(retention_s)
        self._telemetry_limit = int(telemetry_limit)
        self._disk = DiskGuard(self.path.parent, min_free_bytes, disk_usage, disk_check_interval_s)
        self._lock = threading.Lock()
        self._telemetry_since_trim = 0
        self.read_only_reason: str | None = None
        self._conn: sqlite3.Connection | None = self._open(max_db_bytes)

    @classmethod
    def from_config(cls, config: Config, *, clock: Callable[[], float] = time.time) -> Store:
        """The store at ``config.db_path`` with the ``[store]`` section's retention, limits and reserve."""
        section = config.store
        return cls(
            config.db_path,
            clock=clock,
            retention_s=section.retention_hours * 3600,
            telemetry_limit=section.telemetry_limit,
            min_free_bytes=section.min_free_bytes,
        )

    # ----------------------------------------------------------------------------------------- lifecycle
    def close(self) -> None:
        """Close the connection; later calls raise :class:`StoreError`. Closing twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _now(self) -> float:
        return float(self._clock())

    def free_disk_bytes(self) -> int:
        """Bytes free for ordinary users on the filesystem holding the database."""
        return self._disk.free_bytes()

    def _open(self, max_db_bytes: int | None) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the data directory {self.path.parent}: {exc}") from exc
        try:
            conn = open_read_write(self.path, max_db_bytes=max_db_bytes)
            self.read_only_reason = file_read_only_reason(self.path)
        except StoreUnavailable as exc:
            conn = open_read_only(self.path, exc.reason)
            self.read_only_reason = exc.reason
        fsync_dir(self.path.parent)  # the -wal/-shm files may have just been created
        return conn

    def _connection(self, *, write: bool) -> sqlite3.Connection:
        """The open connection (the caller holds the lock); refuses writes on a read-only store."""
        if self._conn is None:
            raise StoreError("the store is closed")
        if write and self.read_only_reason is not None:
            raise StoreUnavailable(self.read_only_reason)
        return self._conn

    @staticmethod
    def _failed(conn: sqlite3.Connection, exc: sqlite3.Error, write: bool) -> StoreError:
        rollback(conn)
        error = translate_error(exc)
        log.error("store %s failed: %s", "write" if write else "read", error)
        return error

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock; rolls back and translates sqlite3 errors on the way out."""
        with self._lock:
            conn = self._connection(write=write)
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._failed(conn, exc, write) from exc
            except BaseException:
                rollback(conn)
                raise

    def _write_statement(self, sql: str, params: tuple) -> sqlite3.Cursor:
        """One write statement as its own transaction: SQLite takes the write lock when the statement starts
        (as BEGIN IMMEDIATE would) and commits, fsynced, before ``execute`` returns. Two round trips fewer."""
        with self._lock:
            conn = self._connection(write=True)
            try:
                return conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise self._failed(conn, exc, True) from exc

    # -------------------------------------------------------------------------------------------- outbox
    def enqueue(self, kind: str, payload: dict, *, key: str | None = None, personal: bool = False) -> OutboxEntry:
        """Append a record to the outbox; committed and fsynced before it returns.

        ``key`` (default: a new :func:`new_key`) makes it idempotent: an existing key returns the stored entry
        unchanged. Raises :class:`StoreUnavailable` when the disk is full or read-only, or, for submissions, when free
        disk space is below ``min_free_bytes``.
        """
        if not isinstance(payload, dict):
            raise TypeError(f"outbox payload must be a dict, not {type(payload).__name__}")
        text = canonical_json(payload)
        # The entry's own copy, exactly as stored. Parsed now rather than after the insert: after its fsync wait
        # the CPU caches are cold and the same parse takes several times longer.
        stored = json.loads(text)
        key = key or new_key()
        now = self._now()
        if kind in SUBMISSION_KINDS and (free := self._disk.shortfall(now)) is not None:
            return self._retry_or_refuse(key, free)
        # The idempotency check is the ON CONFLICT of the insert itself: one statement, one transaction.
        cursor = self._write_statement(_INSERT_OUTBOX, (key, kind, text, now, int(personal)))
        if cursor.rowcount == 0:
            existing = self.get(key)
            # None: it was telemetry, trimmed between the conflict and the read; it is taken anew.
            return existing or self.enqueue(kind, payload, key=key, personal=personal)
        if kind not in SUBMISSION_KINDS:
            self._maybe_trim()
        return OutboxEntry(cursor.lastrowid, key, kind, stored, now, 0, None, STATE_PENDING, None, personal, text)

    def _retry_or_refuse(self, key: str, free: int) -> OutboxEntry:
        """Disk below the reserve: a retry of a record already taken is still answered, a new one refused."""
        existing = self.get(key)
        if existing is None:
            reserve = self._disk.min_free_bytes
            raise StoreUnavailable(f"disk nearly full: {free} bytes free, {reserve} kept in reserve")
        return existing

    def _maybe_trim(self) -> None:
        self._telemetry_since_trim += 1
        if self._telemetry_since_trim >= _TRIM_EVERY:
            self._telemetry_since_trim = 0
            self.trim_telemetry()

    def next_number(self, counter: str) -> int:
        """The next value (1, 2, ...) of a durable counter, e.g. queue-ticket numbers."""
        with self._tx(write=True) as conn:
            rows = conn.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (counter,),
            ).fetchall()
        return int(rows[0][0])

    def pending(self, *, limit: int = 100, kinds: Iterable[str] | None = None, after_seq: int = 0) -> list[OutboxEntry]:
        """Pending entries with ``seq > after_seq``, oldest first, at most ``limit``."""
        sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND seq > ?"
        params: list[Any] = [after_seq]
        if kinds is not None:
            kinds = list(kinds)
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params += kinds
        with self._tx(write=False) as conn:
            rows = conn.execute(sql + " ORDER BY seq LIMIT ?", [*params, limit]).fetchall()
        return [OutboxEntry.from_row(row) for row in rows]

    def get(self, key: str) -> OutboxEntry | None:
        """The outbox entry with ``key``, in any state."""
        with self._tx(write=False) as conn:
            row = conn.execute(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE key = ?", (key,)).fetchone()
        return None if row is None else OutboxEntry.from_row(row)

    def record_attempt(self, key: str) -> None:
        """Count one send attempt of ``key`` (unknown keys are ignored)."""
        with self._tx(write=True) as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE key = ?", (self._now(), key)
            )

    def confirm(self, key: str) -> bool:
        """Mark ``key`` acknowledged by the hall. False if unknown or not pending."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE outbox SET state = 'confirmed', confirmed_at = ? WHERE key = ? AND state = 'pending'",
                (self._now(), key),
            )
        return cursor.rowcount == 1

    def confirm_many(self, keys: Iterable[str]) -> int:
        """Confirm a batch of acknowledged keys in one transaction (one fsync); returns how many changed."""
        keys = list(keys)
        changed = 0
        now = self._now()
        with self._tx(write=True) as conn:
            for start in range(0, len(keys), _CONFIRM_CHUNK):
                chunk = keys[start : start + _CONFIRM_CHUNK]
                cursor = conn.execute(
                    "UPDATE outbox SET state = 'confirmed', confirmed_at = ? "
                    f"WHERE state = 'pending' AND key IN ({', '.join('?' * len(chunk))})",
                    (now, *chunk),
                )
                changed += cursor.rowcount
        return changed

    def requeue_since(self, t: float) -> int:
        """Hall asked "resend since T": confirmed entries created at or after ``t`` become pending again.

        Entries whose personal payload was already purged are not resent (there is nothing left to send).
        """
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE outbox SET state = 'pending', confirmed_at = NULL "
                "WHERE state = 'confirmed' AND created_at >= ? AND purged_at IS NULL",
                (t,),
            )
        return cursor.rowcount

    def outbox_stats(self) -> OutboxStats:
        """Backlog depth, age of the oldest pending entry, pending per kind, confirmed count."""
        with self._tx(write=False) as conn:
            by_kind = dict(
                conn.execute("SELECT kind, count(*) FROM outbox WHERE state = 'pending' GROUP BY kind").fetchall()
            )
            oldest = conn.execute("SELECT min(created_at) FROM outbox WHERE state = 'pending'").fetchone()[0]
            confirmed = conn.execute("SELECT count(*) FROM outbox WHERE state = 'confirmed'").fetchone()[0]
            personal = conn.execute("SELECT count(*) FROM outbox WHERE personal = 1 AND purged_at IS NULL")
            personal_unpurged = personal.fetchone()[0]
        age = 0.0 if oldest is None else max(0.0, self._now() - oldest)
        return OutboxStats(sum(by_kind.values()), age, by_kind, confirmed, personal_unpurged)

    # ----------------------------------------------------------------------------------------- retention
    def purge_personal(self) -> int:
        """Wipe personal payloads confirmed more than the retention window ago; return how many.

        The payload becomes ``{"purged": true}``; key, kind and times stay (idempotency, statistics). Migration
        backups older than the window are deleted too, since they hold copies of the same data.
        """
        now = self._now()
        cutoff = now - self._retention_s
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE outbox SET payload = ?, purged_at = ? WHERE personal = 1 AND purged_at IS NULL "
                "AND state = 'confirmed' AND confirmed_at <= ?",
                (canonical_json(PURGED_PAYLOAD), now, cutoff),
            )
        self._remove_backups(older_than=cutoff)
        if cursor.rowcount:
            self._checkpoint_truncate()
        return cursor.rowcount

    def purge_all_personal(self) -> int:
        """Technician wipe: every personal payload, sent or not; unsent ones become state 'purged'."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE outbox SET payload = ?, purged_at = ?, "
                "state = CASE state WHEN 'pending' THEN 'purged' ELSE state END "
                "WHERE personal = 1 AND purged_at IS NULL",
                (canonical_json(PURGED_PAYLOAD), self._now()),
            )
        self._remove_backups(older_than=None)
        self._checkpoint_truncate()
        return cursor.rowcount

    def trim_telemetry(self) -> int:
        """Drop the oldest pending telemetry beyond ``telemetry_limit``; submissions are never dropped."""
        with self._tx(write=True) as conn:
            return conn.execute(_TRIM_TELEMETRY, (self._telemetry_limit,)).rowcount

    def forget_old(self) -> int:
        """Delete confirmed telemetry and handled inbox messages older than the retention window."""
        cutoff = self._now() - self._retention_s
        with self._tx(write=True) as conn:
            outbox = conn.execute(
                f"DELETE FROM outbox WHERE state = 'confirmed' AND kind NOT IN ({_SUBMISSION_LIST}) "
                "AND confirmed_at <= ?",
                (cutoff,),
            ).rowcount
            inbox = conn.execute("DELETE FROM inbox WHERE done_at <= ?", (cutoff,)).rowcount
        return outbox + inbox

    def housekeep(self) -> dict[str, int]:
        """Run every periodic clean-up (call it e.g. hourly); return counts per step."""
        return {"purged": self.purge_personal(), "trimmed": self.trim_telemetry(), "forgotten": self.forget_old()}

    def _remove_backups(self, *, older_than: float | None) -> None:
        for backup in self.path.parent.glob(f"{self.path.name}.v*.bak"):
            try:
                if older_than is None or backup.stat().st_mtime <= older_than:
                    backup.unlink()
                    log.info("removed old database backup %s", backup)
            except OSError as exc:
                log.warning("cannot remove database backup %s: %s", backup, exc)

    def _checkpoint_truncate(self) -> None:
        """Copy the WAL into the database and empty it, so overwritten personal data leaves the WAL file."""
        with self._lock:
            if self._conn is None:
                return
            try:
                busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed: %s", exc)
                return
        if busy:
            log.info("WAL checkpoint incomplete (a reader was active); the next one will finish it")

    # --------------------------------------------------------------------------------------------- inbox
    def inbox_put(self, msg_id: str, kind: str, payload: dict) -> bool:
        """Store a downlink message; False if ``msg_id`` was already received (duplicate delivery)."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "INSERT INTO inbox (msg_id, kind, payload, received_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (msg_id) DO NOTHING",
                (msg_id, kind, canonical_json(payload), self._now()),
            )
        return cursor.rowcount == 1

    def inbox_get(self, msg_id: str) -> InboxEntry | None:
        """The downlink message ``msg_id``, handled or not."""
        with self._tx(write=False) as conn:
            row = conn.execute(
                "SELECT msg_id, kind, payload, received_at, done_at, result FROM inbox WHERE msg_id = ?", (msg_id,)
            ).fetchone()
        return None if row is None else InboxEntry.from_row(row)

    def inbox_pending(self, kinds: Iterable[str] | None = None) -> list[InboxEntry]:
        """Messages not yet handled, in arrival order."""
        sql = "SELECT msg_id, kind, payload, received_at, done_at, result FROM inbox WHERE done_at IS NULL"
        params: list[str] = []
        if kinds is not None:
            params = list(kinds)
            sql += f" AND kind IN ({', '.join('?' * len(params))})"
        with self._tx(write=False) as conn:
            rows = conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [InboxEntry.from_row(row) for row in rows]

    def inbox_done(self, msg_id: str, result: dict) -> None:
        """Record that ``msg_id`` was handled, with its result (the first result recorded wins)."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE inbox SET done_at = ?, result = ? WHERE msg_id = ? AND done_at IS NULL",
                (self._now(), canonical_json(result), msg_id),
            )
        if cursor.rowcount == 0:
            log.warning("inbox_done for unknown or already handled message %s", msg_id)

    # ------------------------------------------------------------------------------------------ settings
    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        with self._tx(write=False) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under ``key``."""
        with self._tx(write=True) as conn:
            conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, canonical_json(value), self._now()),
            )
