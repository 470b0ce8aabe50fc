"""Retention: personal data purged after the hall confirmed it, old telemetry and handled messages forgotten."""

from __future__ import annotations

import logging
import sqlite3

from kiosk.store.models import PURGED_PAYLOAD, canonical_json
from kiosk.store.outbox import SUBMISSION_LIST, OutboxWrites

log = logging.getLogger(__name__)


class Retention(OutboxWrites):
    """The periodic clean-ups (``housekeep``) and the technician's wipe."""

    _retention_s: float

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
        self.purge_attachments()  # type: ignore[attr-defined]  # the pages' files (store/attachments.py)
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
        self.purge_attachments(everything=True)  # type: ignore[attr-defined]
        self._checkpoint_truncate()
        return cursor.rowcount

    def forget_old(self) -> int:
        """Delete confirmed telemetry and handled inbox messages older than the retention window."""
        cutoff = self._now() - self._retention_s
        with self._tx(write=True) as conn:
            outbox = conn.execute(
                f"DELETE FROM outbox WHERE state = 'confirmed' AND kind NOT IN ({SUBMISSION_LIST}) "
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
