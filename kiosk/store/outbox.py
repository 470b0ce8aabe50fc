"""The outbox: what must reach the hall, oldest first, until the hall confirms it.

:class:`OutboxReads` is shared by the store and the read-only inspector; :class:`OutboxWrites` is the store's.
Both are mixins over :class:`kiosk.store.core.ConnectionCore`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kiosk.store.connection import DiskGuard
from kiosk.store.core import ConnectionCore
from kiosk.store.models import (
    STATE_PENDING,
    SUBMISSION_KINDS,
    OutboxEntry,
    OutboxStats,
    StoreUnavailable,
    canonical_json,
    new_key,
)

TRIM_EVERY = 64  # telemetry enqueues between automatic trims (a trim scans the pending index)
_CONFIRM_CHUNK = 500  # keys per UPDATE: well under SQLite's bound-parameter limit

OUTBOX_COLUMNS = "seq, key, kind, payload, created_at, attempts, last_attempt_at, state, confirmed_at, personal"
SUBMISSION_LIST = ", ".join(f"'{kind}'" for kind in sorted(SUBMISSION_KINDS))
# ON CONFLICT DO NOTHING: the idempotency check costs no extra statement when the key is new. (No RETURNING:
# it costs a third of the CPU time of the insert; the new row is known from the parameters and lastrowid.)
INSERT_OUTBOX = (
    "INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING"
)
_TRIM_TELEMETRY = (
    "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state = 'pending' "
    f"AND kind NOT IN ({SUBMISSION_LIST}) ORDER BY seq DESC LIMIT -1 OFFSET ?)"
)


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

    def pending(self, *, limit: int = 100, kinds: Iterable[str] | None = None, after_seq: int = 0) -> list[OutboxEntry]:
        """Pending entries with ``seq > after_seq``, oldest first, at most ``limit``."""
        sql = f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND seq > ?"
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
            row = conn.execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE key = ?", (key,)).fetchone()
        return None if row is None else OutboxEntry.from_row(row)

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


class OutboxWrites(OutboxReads):
    """Writing the outbox: enqueue, attempts, confirmations, resends, the telemetry trim."""

    _disk: DiskGuard
    _telemetry_limit: int
    _telemetry_since_trim: int

    def enqueue(self, kind: str, payload: dict, *, key: str | None = None, personal: bool = False) -> OutboxEntry:
        """Append a record to the outbox; committed and fsynced before it returns.

        ``key`` (default: a new :func:`new_key`) makes it idempotent: an existing key returns the stored entry
        unchanged. Raises :class:`StoreUnavailable` when the disk is full or read-only, or, for submissions, when
        free disk space is below ``min_free_bytes``. Citizen records that take a number or book a slot go
        through :meth:`kiosk.store.citizen.CitizenRecords.record_citizen` instead (one transaction for all).
        """
        if not isinstance(payload, dict):
            raise TypeError(f"outbox payload must be a dict, not {type(payload).__name__}")
        text = canonical_json(payload)
        stored = json.loads(text)  # the entry's own copy, parsed before the insert (see checked_payload)
        key = key or new_key()
        now = self._now()
        if kind in SUBMISSION_KINDS and (free := self._disk.shortfall(now)) is not None:
            return self._retry_or_refuse(key, free)
        # The idempotency check is the ON CONFLICT of the insert itself: one statement, one transaction.
        cursor = self._write_statement(INSERT_OUTBOX, (key, kind, text, now, int(personal)))
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
        if self._telemetry_since_trim >= TRIM_EVERY:
            self._telemetry_since_trim = 0
            self.trim_telemetry()

    def trim_telemetry(self) -> int:
        """Drop the oldest pending telemetry beyond ``telemetry_limit``; submissions are never dropped."""
        with self._tx(write=True) as conn:
            return conn.execute(_TRIM_TELEMETRY, (self._telemetry_limit,)).rowcount

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
