"""The outbox: what must reach the hall, oldest first, until the hall confirms it.

:class:`OutboxReads` is shared by the store and the read-only inspector; :class:`OutboxWrites` is the store's.
Both are mixins over :class:`kiosk.store.core.ConnectionCore`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from kiosk.store.connection import DiskGuard
from kiosk.store.core import ConnectionCore
from kiosk.store.models import (
    STATE_CONFIRMED,
    STATE_PENDING,
    SUBMISSION_KINDS,
    OutboxEntry,
    OutboxStats,
    StoreUnavailable,
    canonical_json,
    new_key,
)

TRIM_EVERY = 16  # telemetry enqueues between automatic trims: a few rows each time, not a burst of 64
_CONFIRM_CHUNK = 500  # keys per UPDATE: well under SQLite's bound-parameter limit

OUTBOX_COLUMNS = "seq, key, kind, payload, created_at, attempts, last_attempt_at, state, confirmed_at, personal"
# A staged row read as an outbox row: pending, never attempted (schema version 6, kiosk.store.migrations).
STAGED_COLUMNS = "seq, key, kind, payload, created_at, 0, NULL, 'pending', NULL, personal"
# The row of a key, staged or not: outbox_all is both tables (the outbox's half answers from its key index).
ROW_OF_KEY = f"SELECT {OUTBOX_COLUMNS} FROM outbox_all WHERE key = ?"
# An enqueue writes one row to outbox_staged, which has no index: one B-tree page per fsync'd commit, as a plain
# table. Its seq is final: above every seq of both tables. (No RETURNING: it costs a third of the CPU time of
# the insert; the new row is known from the parameters and lastrowid.)
_NEXT_SEQ = (
    "max(coalesce((SELECT max(seq) FROM outbox_staged), 0), coalesce((SELECT max(seq) FROM outbox), 0)) + 1"
)
# A fresh key (new_key: 72 random bits beside the millisecond) is new to both tables by construction.
STAGE_FRESH = (
    f"INSERT INTO outbox_staged (seq, key, kind, payload, created_at, personal) VALUES ({_NEXT_SEQ}, ?, ?, ?, ?, ?)"
)
# A key the caller chose (a retry) is looked for in both tables by the insert itself: no row when it is known.
STAGE_KEYED = (
    f"INSERT INTO outbox_staged (seq, key, kind, payload, created_at, personal) SELECT {_NEXT_SEQ}, ?1, ?2, ?3, ?4, ?5 "
    "WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE key = ?1) AND NOT EXISTS (SELECT 1 FROM outbox_staged WHERE key = ?1)"
)
# Staged rows into the outbox, seqs kept. The keys are unique already (above); DO NOTHING keeps a move from ever
# failing, which would fail every write after it.
_MOVE_STAGED = (
    "INSERT INTO outbox (seq, key, kind, payload, created_at, personal) "
    "SELECT seq, key, kind, payload, created_at, personal FROM outbox_staged ORDER BY seq ON CONFLICT (key) DO NOTHING"
)
_NEWEST_STAGED = "SELECT max(seq) FROM outbox_staged"
MOVE_CHUNK = 8  # rows per step when a full database leaves no room to move all staged rows at once
_OLDEST_STAGED = f"SELECT seq FROM outbox_staged ORDER BY seq LIMIT {MOVE_CHUNK}"
_MOVE_CHUNK = _MOVE_STAGED.replace(
    "FROM outbox_staged ORDER BY seq", f"FROM outbox_staged WHERE seq IN ({_OLDEST_STAGED}) ORDER BY seq"
)
_DELETE_CHUNK = f"DELETE FROM outbox_staged WHERE seq IN ({_OLDEST_STAGED})"
# A row written straight to the outbox (a citizen record, in a write transaction that moved the staged rows
# first) also takes its seq above both tables: above any rows a full disk kept staged.
INSERT_OUTBOX = (
    f"INSERT INTO outbox (seq, key, kind, payload, created_at, personal) VALUES ({_NEXT_SEQ}, ?, ?, ?, ?, ?)"
)
# "+state": the key is unique, so the key index finds each row; without the "+" the planner may prefer an index
# on state and read every pending row to confirm a handful (issue 16: 93 ms per 100 keys at 100k pending).
CONFIRM_KEYS = "UPDATE outbox SET state = 'confirmed', confirmed_at = ? WHERE +state = 'pending' AND key IN ({marks})"
# The first pending rows of one kind after a seq: one range of the outbox_pending index, in seq order.
_FIRST_OF_KIND = (
    "SELECT seq FROM (SELECT seq FROM outbox WHERE state = 'pending' AND kind = ? AND seq > ? ORDER BY seq LIMIT ?)"
)
# The kinds that have rows in a state, read from that state's index itself (one seek per kind, not a walk).
_KINDS_IN = (
    "WITH RECURSIVE k(kind) AS (SELECT min(kind) FROM outbox WHERE state = '{state}' "
    "UNION ALL SELECT (SELECT min(kind) FROM outbox WHERE state = '{state}' AND kind > k.kind) FROM k "
    "WHERE k.kind IS NOT NULL) "
)
PENDING_KINDS = _KINDS_IN.format(state="pending") + "SELECT kind FROM k WHERE kind IS NOT NULL"
CONFIRMED_KINDS = _KINDS_IN.format(state="confirmed") + "SELECT kind FROM k WHERE kind IS NOT NULL"
# The oldest pending row's creation time: the first row (by seq) of each kind, and the first staged row; rows
# are made in time order.
OLDEST_PENDING = (
    "SELECT min(created_at) FROM (SELECT ("
    + _KINDS_IN.format(state="pending")
    + "SELECT min((SELECT created_at FROM outbox WHERE state = 'pending' AND kind = k.kind ORDER BY seq LIMIT 1)) "
    "FROM k WHERE kind IS NOT NULL) AS created_at "
    "UNION ALL SELECT (SELECT created_at FROM outbox_staged ORDER BY seq LIMIT 1))"
)
# Counts: the kept ones (rows up to outbox_counted.upto), and the rows after it, counted where they are.
_COUNTED = "SELECT kind, state, n, personal FROM outbox_counts WHERE n != 0 OR personal != 0"
_TAIL = "SELECT kind, state, personal = 1 AND purged_at IS NULL FROM outbox WHERE seq > ?"
_STAGED_TAIL = "SELECT kind, 'pending', personal = 1 FROM outbox_staged"
_UPTO = "SELECT upto FROM outbox_counted"
# The rows between the mark and a new one, counted into the kept counts by SQLite (the fold runs on the UI's
# checkpoint thread, holding the store's lock: no Python loop per row).
_FOLD_TAIL = (
    "INSERT INTO outbox_counts (kind, state, n, personal) "
    "SELECT kind, state, count(*), sum(personal = 1 AND purged_at IS NULL) FROM outbox WHERE seq > ? AND seq <= ? "
    "GROUP BY kind, state "
    "ON CONFLICT (kind, state) DO UPDATE SET n = n + excluded.n, personal = personal + excluded.personal"
)
# Every delete of outbox rows leaves the newest row alone: a new row gets max(seq) + 1 (no AUTOINCREMENT since
# schema version 5), so the newest row staying is what keeps seqs from ever coming back.
NOT_NEWEST = "seq < (SELECT max(seq) FROM outbox)"
NOT_NEWEST_STAGED = "seq < (SELECT max(seq) FROM outbox_staged)"
FOLD_EVERY = 64  # rows after the kept counts before an enqueue folds them in (they are counted one by one)
# The UI's store folds from its checkpoint thread instead (off the citizen's path); its enqueue folds only this
# far behind, should that thread be stuck. Busy is not stuck: under enqueues that never pause (~6,000/s here) a
# round of the thread (its 50 ms gap, then a move, a fold and a checkpoint) falls up to ~340 rows behind, and a
# backstop of 256 made a citizen's enqueue do the move and fold itself about once in 800. A stats read counts
# the rows after the mark one by one: ~1 ms at the backstop.
FOLD_BACKSTOP = 16 * FOLD_EVERY


def outbox_counts(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, state) -> (rows, rows whose personal payload is on disk): the counts the triggers keep, plus the
    few rows after them (see migration 3), in the caller's transaction. Never a count of the table."""
    upto = conn.execute(_UPTO).fetchone()[0]
    counts = {(kind, state): (n, personal) for kind, state, n, personal in conn.execute(_COUNTED)}
    tail = [*conn.execute(_TAIL, (upto,)), *conn.execute(_STAGED_TAIL)]
    for (kind, state), (n, personal) in _count_rows(tail).items():
        before = counts.get((kind, state), (0, 0))
        counts[kind, state] = (before[0] + n, before[1] + personal)
    return {key: value for key, value in counts.items() if value != (0, 0)}


def _count_rows(rows: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str], tuple[int, int]]:
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    for kind, state, personal in rows:
        n, p = counted.get((kind, state), (0, 0))
        counted[kind, state] = (n + 1, p + personal)
    return counted


def move_staged(conn: sqlite3.Connection) -> bool:
    """Move the staged rows into the outbox (in the caller's write transaction); True when none are left staged.

    With the database at its size limit the whole move (the rows are copied before their staged pages are freed,
    and index entries need pages) is undone and the rows move :data:`MOVE_CHUNK` at a time instead, oldest
    first, as far as there is room: each chunk's staged pages are freed before the next is copied. What stays
    staged is readable and durable; the write that called this still runs (a trim or a purge is what makes room).
    """
    if conn.execute(_NEWEST_STAGED).fetchone()[0] is None:
        return True
    if _moved(conn, _MOVE_STAGED, "DELETE FROM outbox_staged"):
        return True
    while conn.execute(_NEWEST_STAGED).fetchone()[0] is not None:
        if not _moved(conn, _MOVE_CHUNK, _DELETE_CHUNK):
            return False
    return True


def _moved(conn: sqlite3.Connection, move: str, delete: str) -> bool:
    """Run ``move`` then ``delete`` in a savepoint; False (and nothing done) when the database is full."""
    conn.execute("SAVEPOINT move_staged")
    try:
        conn.execute(move)
        conn.execute(delete)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_FULL:
            raise
        conn.execute("ROLLBACK TO move_staged")
        conn.execute("RELEASE move_staged")
        return False
    conn.execute("RELEASE move_staged")
    return True


def staged_rows(
    conn: sqlite3.Connection, kinds: list[str] | None, skip: frozenset[str], after_seq: int, limit: int
) -> list[tuple]:
    """The first ``limit`` staged rows (as outbox rows) after ``after_seq`` of ``kinds`` (None: any), none of
    ``skip``: a range of seqs of a table that holds only the few rows of the last tens of milliseconds."""
    if kinds is None:
        which, params = "NOT IN", sorted(skip)
    else:
        which, params = "IN", [kind for kind in kinds if kind not in skip]
        if not params:
            return []
    sql = (
        f"SELECT {STAGED_COLUMNS} FROM outbox_staged WHERE seq > ? AND kind {which} ({', '.join('?' * len(params))}) "
        "ORDER BY seq LIMIT ?"
    )
    return conn.execute(sql, [after_seq, *params, limit]).fetchall()


def first_pending(kinds: list[str], after_seq: int, limit: int) -> tuple[str, list[Any]]:
    """SQL (and its parameters) for a set of seqs that holds the first ``limit`` pending rows of ``kinds`` after
    ``after_seq``: each kind's first ``limit``, one index range each, however big the backlog. The caller
    takes the first ``limit`` of them by seq (``WHERE seq IN (...) ORDER BY seq LIMIT ?``: the IN list is
    walked in order, no sort)."""
    params: list[Any] = [value for kind in kinds for value in (kind, after_seq, limit)]
    return " UNION ALL ".join([_FIRST_OF_KIND] * len(kinds)), params


def checked_payload(payload: dict) -> tuple[str, dict]:
    """The canonical text of ``payload`` and the entry's own copy parsed back from it (TypeError/ValueError
    for what is not a JSON object)."""
    if not isinstance(payload, dict):
        raise TypeError(f"outbox payload must be a dict, not {type(payload).__name__}")
    text = canonical_json(payload)
    # Parsed now rather than after the insert: after its fsync wait the CPU caches are cold and the same parse
    # takes several times longer.
    return text, json.loads(text)


class OutboxReads(ConnectionCore):
    """Reading the outbox."""

    def pending(
        self,
        *,
        limit: int = 100,
        kinds: Iterable[str] | None = None,
        after_seq: int = 0,
        exclude: Iterable[str] = (),
    ) -> list[OutboxEntry]:
        """Pending entries with ``seq > after_seq``, oldest first, at most ``limit``: of ``kinds`` (default: every
        kind) but none of ``exclude``. Costs the same at any backlog: one index range per kind, and a seq range of
        the few staged rows."""
        if limit <= 0:
            return []
        skip = frozenset(exclude)
        chosen = None if kinds is None else list(dict.fromkeys(kinds))
        with self._tx(write=False) as conn:
            wanted = [row[0] for row in conn.execute(PENDING_KINDS)] if chosen is None else chosen
            wanted = [kind for kind in wanted if kind not in skip]
            rows = []
            if wanted:
                seqs, params = first_pending(wanted, after_seq, limit)
                sql = f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE seq IN ({seqs}) ORDER BY seq LIMIT ?"
                rows = conn.execute(sql, [*params, limit]).fetchall()
            staged = staged_rows(conn, chosen, skip, after_seq, limit)
        if staged:  # newer than the outbox's rows, but for rows a full database kept from moving: merged by seq
            rows = sorted(rows + staged, key=lambda row: row[0])[:limit]
        return [OutboxEntry.from_row(row) for row in rows]

    def get(self, key: str) -> OutboxEntry | None:
        """The outbox entry with ``key``, in any state."""
        with self._tx(write=False) as conn:
            row = conn.execute(ROW_OF_KEY, (key,)).fetchone()
        return None if row is None else OutboxEntry.from_row(row)

    def outbox_stats(self) -> OutboxStats:
        """Backlog depth, age of the oldest pending entry, pending per kind, confirmed count: from the counts the
        triggers keep and one index seek per pending kind, never a count of the table."""
        with self._tx(write=False) as conn:
            counts = outbox_counts(conn)
            oldest = conn.execute(OLDEST_PENDING).fetchone()[0]
        by_kind = {kind: n for (kind, state), (n, _) in counts.items() if state == STATE_PENDING and n > 0}
        confirmed = sum(n for (_, state), (n, _) in counts.items() if state == STATE_CONFIRMED)
        personal_unpurged = sum(personal for _, personal in counts.values())
        age = 0.0 if oldest is None else max(0.0, self._now() - oldest)
        return OutboxStats(sum(by_kind.values()), age, by_kind, confirmed, personal_unpurged)


class OutboxWrites(OutboxReads):
    """Writing the outbox: enqueue, attempts, confirmations, resends, the telemetry trim."""

    _disk: DiskGuard
    _telemetry_limit: int
    _telemetry_since_trim: int
    _counted_upto: int  # the fold mark as this process last saw it
    _moved_upto: int  # this process's rows up to here are known to be out of the staged table
    _newest_seq: int  # the seq of this process's newest enqueue
    _fold_at: int  # rows after the mark at which an enqueue folds (FOLD_EVERY, or FOLD_BACKSTOP)

    def enqueue(self, kind: str, payload: dict, *, key: str | None = None, personal: bool = False) -> OutboxEntry:
        """Append a record to the outbox; committed and fsynced before it returns.

        ``key`` (default: a new :func:`new_key`) makes it idempotent: an existing key returns the stored entry
        unchanged. Raises :class:`StoreUnavailable` when the disk is full or read-only, or, for submissions, when
        free disk space is below ``min_free_bytes``. Citizen records that take a number or book a slot go
        through :meth:`kiosk.store.citizen.CitizenRecords.record_citizen` instead (one transaction for all).
        """
        if not isinstance(payload, dict):
            raise TypeError(f"outbox payload must be a dict, not {type(payload).__name__}")
        text = canonical_json(payload)  # the entry parses its own copy from this text if it is ever read
        # A chosen key's idempotency check is the insert itself: one statement, one transaction.
        stage = STAGE_FRESH if key is None else STAGE_KEYED
        key = key or new_key()
        now = self._now()
        if kind in SUBMISSION_KINDS and (free := self._disk.shortfall(now)) is not None:
            return self._retry_or_refuse(key, free)
        # Built before the insert: after its fsync wait the CPU caches are cold and the same Python work takes
        # several times longer; only its seq is filled in afterwards.
        entry = OutboxEntry.written(0, key, kind, text, now, personal)
        cursor = self._write_statement(stage, (key, kind, text, now, int(personal)))
        if cursor.rowcount == 0:
            existing = self.get(key)
            # None: it was telemetry, trimmed between the conflict and the read; it is taken anew.
            return existing or self.enqueue(kind, payload, key=key, personal=personal)
        entry.__dict__["seq"] = seq = cursor.lastrowid  # the entry is frozen to callers; this is its making
        self._newest_seq = seq
        if seq - self._counted_upto >= self._fold_at:  # of either process's rows
            self._fold_counts()  # a write transaction: it moves the staged rows first
        if kind not in SUBMISSION_KINDS:
            self._maybe_trim()
        return entry

    def _retry_or_refuse(self, key: str, free: int) -> OutboxEntry:
        """Disk below the reserve: a retry of a record already taken is still answered, a new one refused."""
        existing = self.get(key)
        if existing is None:
            reserve = self._disk.min_free_bytes
            raise StoreUnavailable(f"disk nearly full: {free} bytes free, {reserve} kept in reserve")
        return existing

    def _maybe_trim(self) -> None:
        self._telemetry_since_trim += 1
        if self._telemetry_since_trim >= TRIM_EVERY:
            self._telemetry_since_trim = 0
            self.trim_telemetry()

    def trim_telemetry(self) -> int:
        """Drop the oldest pending telemetry beyond ``telemetry_limit``; submissions are never dropped.

        The counts say how many are over (nothing is counted); the oldest are found per kind in the pending
        index. Far over the limit (e.g. a lowered limit) it deletes in paced batches, each its own transaction.
        """
        with self._tx(write=False) as conn:  # the common case: nothing over, no write lock taken
            _, over = self._telemetry_over(conn)
        if over <= 0:
            return 0

        def batch(conn: sqlite3.Connection, size: int) -> int:
            kinds, over = self._telemetry_over(conn)  # again under the write lock: the other process trims too
            if over <= 0:
                return 0
            count = min(over, size)
            seqs, params = first_pending(kinds, 0, count)
            oldest = f"SELECT seq FROM outbox WHERE seq IN ({seqs}) ORDER BY seq LIMIT ?"
            sql = f"DELETE FROM outbox WHERE seq IN ({oldest}) AND {NOT_NEWEST}"
            deleted = conn.execute(sql, [*params, count]).rowcount
            if deleted < count:  # rows a full disk kept staged (no room to move them): the newest after
                marks = ", ".join("?" * len(kinds))
                oldest = f"SELECT seq FROM outbox_staged WHERE kind IN ({marks}) ORDER BY seq LIMIT ?"
                sql = f"DELETE FROM outbox_staged WHERE seq IN ({oldest}) AND {NOT_NEWEST_STAGED}"
                deleted += conn.execute(sql, [*kinds, count - deleted]).rowcount
            return deleted

        return self._in_batches("trim", batch)

    def _telemetry_over(self, conn: sqlite3.Connection) -> tuple[list[str], int]:
        """The kinds of pending telemetry, and by how many rows all of it is over the limit."""
        pending = {
            kind: n
            for (kind, state), (n, _) in outbox_counts(conn).items()
            if state == STATE_PENDING and n > 0 and kind not in SUBMISSION_KINDS
        }
        return list(pending), sum(pending.values()) - self._telemetry_limit

    def fold_if_due(self) -> None:
        """Move this process's staged rows into the outbox, and fold the counts if its rows since the last fold
        are :data:`FOLD_EVERY` or more (the UI's checkpoint thread calls it, so its enqueues need not)."""
        if self._newest_seq - self._counted_upto >= FOLD_EVERY:
            self._fold_counts()
        elif self._newest_seq > self._moved_upto:
            with self._tx(write=True, durable=False):
                pass  # the write transaction moves them (_before_write); not fsynced: they are durable where they are

    def _before_write(self, conn: sqlite3.Connection) -> None:
        """Every write transaction starts by moving the staged rows into the outbox, so what it reads and writes
        of the outbox is every row (but for rows a full database had no room to move: see :func:`move_staged`)."""
        if move_staged(conn):  # none left staged, whoever moved them
            self._moved_upto = max(self._moved_upto, self._newest_seq)

    def _fold_counts(self) -> None:
        """Fold the rows after the kept counts into them (one transaction, not fsynced: counts are derived, and a
        fold lost to a power cut is lost whole, with its mark)."""
        with self._tx(write=True, durable=False) as conn:
            upto = conn.execute(_UPTO).fetchone()[0]
            top = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0] or 0
            if top > upto:
                conn.execute(_FOLD_TAIL, (upto, top))
                conn.execute("UPDATE outbox_counted SET upto = ?", (top,))
                upto = top
        self._counted_upto = upto

    def record_attempt(self, key: str) -> None:
        """Count one send attempt of ``key`` (unknown keys are ignored)."""
        with self._tx(write=True) as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE key = ?", (self._now(), key)
            )

    def confirm(self, key: str) -> bool:
        """Mark ``key`` acknowledged by the hall. False if unknown or not pending."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(CONFIRM_KEYS.format(marks="?"), (self._now(), key))
        return cursor.rowcount == 1

    def confirm_many(self, keys: Iterable[str]) -> int:
        """Confirm a batch of acknowledged keys in one transaction (one fsync); returns how many changed."""
        keys = list(keys)
        changed = 0
        now = self._now()
        with self._tx(write=True) as conn:
            for start in range(0, len(keys), _CONFIRM_CHUNK):
                chunk = keys[start : start + _CONFIRM_CHUNK]
                cursor = conn.execute(CONFIRM_KEYS.format(marks=", ".join("?" * len(chunk))), (now, *chunk))
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
