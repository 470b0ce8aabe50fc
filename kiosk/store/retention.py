"""Retention: personal data purged after the hall confirmed it, old telemetry and handled messages forgotten,
and the space they took given back to the disk.

Every clean-up runs in short batches (:meth:`kiosk.store.core.ConnectionCore._in_batches`), so the UI's writes
wait for one batch, never for the whole purge of a long holiday's backlog. A purged row is rewritten (deleted
and inserted again as its small placeholder, same seq and key): an UPDATE to a shorter payload would leave
every page nearly empty but in use, and the file could never shrink. Freed pages are zeroed
(``secure_delete``) and handed back to the file system (incremental vacuum), and the WAL is checkpointed and
truncated so the old pages leave it too; a checkpoint that a reader kept from finishing is retried by every
:meth:`Retention.housekeep`.
"""

from __future__ import annotations

import logging
import sqlite3

from kiosk.store.models import PURGED_PAYLOAD, STATE_PENDING, STATE_PURGED, SUBMISSION_KINDS, canonical_json
from kiosk.store.outbox import CONFIRMED_KINDS, NOT_NEWEST, OutboxWrites
from kiosk.store.space import free_pages

log = logging.getLogger(__name__)

_KEPT_COLUMNS = "seq, key, kind, created_at, attempts, last_attempt_at, state, confirmed_at, personal"
_PLACEHOLDER = (
    "INSERT INTO outbox (seq, key, kind, created_at, attempts, last_attempt_at, state, confirmed_at, personal, "
    "payload, purged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Personal payloads confirmed before a time and not yet purged: the outbox_purgeable index, oldest first.
_PURGEABLE = (
    "SELECT seq FROM outbox WHERE state = 'confirmed' AND personal = 1 AND purged_at IS NULL AND confirmed_at <= ? "
    "ORDER BY confirmed_at LIMIT ?"
)
# Every personal payload still on disk, in seq order from a cursor (the technician's wipe; the kiosk is stopped).
_UNPURGED_AFTER = "SELECT seq FROM outbox WHERE seq > ? AND personal = 1 AND purged_at IS NULL ORDER BY seq LIMIT ?"
_OLD_OF_KIND = (
    "SELECT seq FROM (SELECT seq FROM outbox WHERE state = 'confirmed' AND kind = ? AND confirmed_at <= ? LIMIT ?)"
)


class Retention(OutboxWrites):
    """The periodic clean-ups (``housekeep``) and the technician's wipe."""

    _retention_s: float

    def purge_personal(self) -> int:
        """Wipe personal payloads confirmed more than the retention window ago; return how many.

        The payload becomes ``{"purged": true}``; key, kind and times stay (idempotency, statistics). Migration
        backups older than the window are deleted too, since they hold copies of the same data. Then the space
        is given back and the WAL emptied (see the module docstring).
        """
        purged = self._purge_confirmed()
        if purged:
            self._reclaim()
        return purged

    def purge_all_personal(self) -> int:
        """Technician wipe: every personal payload, sent or not; unsent ones become state 'purged'."""
        now, after = self._now(), 0

        def batch(conn: sqlite3.Connection, size: int) -> int:
            nonlocal after
            seqs = [row[0] for row in conn.execute(_UNPURGED_AFTER, (after, size))]
            if seqs:
                after = seqs[-1]
                _rewrite_as_purged(conn, seqs, now, wipe=True)
            return len(seqs)

        purged = self._in_batches("wipe", batch)
        after = 0  # once more from the start: rows a full database kept staged may have moved in below the cursor
        purged += self._in_batches("wipe", batch)
        self._remove_backups(older_than=None)
        self.purge_attachments(everything=True)  # type: ignore[attr-defined]  # the pages' files
        self._reclaim()
        return purged

    def forget_old(self) -> int:
        """Delete confirmed telemetry and handled inbox messages older than the retention window."""
        cutoff = self._now() - self._retention_s
        with self._tx(write=False) as conn:
            kinds = [kind for (kind,) in conn.execute(CONFIRMED_KINDS) if kind not in SUBMISSION_KINDS]
        union = " UNION ALL ".join([_OLD_OF_KIND] * len(kinds))

        def batch(conn: sqlite3.Connection, size: int) -> int:
            params = [value for kind in kinds for value in (kind, cutoff, size)]
            sql = f"DELETE FROM outbox WHERE seq IN (SELECT seq FROM ({union}) LIMIT ?) AND {NOT_NEWEST}"
            return conn.execute(sql, [*params, size]).rowcount

        outbox = self._in_batches("forget", batch) if kinds else 0
        with self._tx(write=True) as conn:
            inbox = conn.execute("DELETE FROM inbox WHERE done_at <= ?", (cutoff,)).rowcount
        return outbox + inbox

    def housekeep(self) -> dict[str, int]:
        """Run every periodic clean-up (call it e.g. hourly); return counts per step. Ends by giving free pages
        back and checkpointing the WAL every time, so a checkpoint a reader held up earlier is finished now."""
        self._fold_counts()
        done = {"purged": self._purge_confirmed(), "trimmed": self.trim_telemetry(), "forgotten": self.forget_old()}
        self._reclaim()
        return done

    def _purge_confirmed(self) -> int:
        now = self._now()
        cutoff = now - self._retention_s

        def batch(conn: sqlite3.Connection, size: int) -> int:
            seqs = [row[0] for row in conn.execute(_PURGEABLE, (cutoff, size))]
            _rewrite_as_purged(conn, seqs, now, wipe=False)
            return len(seqs)

        purged = self._in_batches("purge", batch)
        self._remove_backups(older_than=cutoff)
        self.purge_attachments()  # type: ignore[attr-defined]  # the pages' files (store/attachments.py)
        return purged

    def _remove_backups(self, *, older_than: float | None) -> None:
        for backup in self.path.parent.glob(f"{self.path.name}.v*.bak"):
            try:
                if older_than is None or backup.stat().st_mtime <= older_than:
                    backup.unlink()
                    log.info("removed old database backup %s", backup)
            except OSError as exc:
                log.warning("cannot remove database backup %s: %s", backup, exc)

    def _reclaim(self) -> None:
        """Give free pages back to the file system, then copy the WAL into the database and empty it, so
        overwritten personal data leaves the WAL file too. A reader can keep the checkpoint from finishing:
        then the next call (every housekeeping) finishes it."""
        self._vacuum_free_pages()
        self._checkpoint(truncate=False)  # the bulk, without blocking the other process's writes
        if not self._checkpoint(truncate=True):
            log.info("WAL checkpoint incomplete (a reader was active); the next housekeeping finishes it")

    def _vacuum_free_pages(self) -> int:
        """Hand the freelist back to the file system, a batch of pages per transaction; return how many."""

        def batch(conn: sqlite3.Connection, size: int) -> int:
            pages = min(size, free_pages(conn))
            for _ in range(pages):  # one page per step: Python's execute stops after the pragma's first step
                conn.execute("PRAGMA incremental_vacuum(1)")
            return pages

        return self._in_batches("vacuum", batch)


def _rewrite_as_purged(conn: sqlite3.Connection, seqs: list[int], now: float, *, wipe: bool) -> None:
    """Replace the rows ``seqs`` by their placeholders: same seq, key, kind, times and state (a wipe turns
    unsent ones into 'purged'), payload ``{"purged": true}``. Deleted, not updated, so their pages merge."""
    if not seqs:
        return
    marks = ", ".join("?" * len(seqs))
    rows = conn.execute(f"DELETE FROM outbox WHERE seq IN ({marks}) RETURNING {_KEPT_COLUMNS}", seqs).fetchall()
    text = canonical_json(PURGED_PAYLOAD)
    conn.executemany(
        _PLACEHOLDER,
        [
            (seq, key, kind, created, attempts, last, STATE_PURGED if wipe and state == STATE_PENDING else state,
             confirmed_at, personal, text, now)
            for seq, key, kind, created, attempts, last, state, confirmed_at, personal in rows
        ],
    )  # fmt: skip
