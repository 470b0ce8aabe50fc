"""What the reference hall keeps for online requests, in its own tables of the hall database.

- ``online_secret``: the hall's HMAC secret (made once; instances sharing the file share it).
- ``progress``: the status of a submission an operator set (``kiosk-hall progress set``); a stored submission
  without a row is ``received`` as of its arrival.
- ``certificates``: the register of issued certificates by verification code: what, when, for whom (masked),
  the PDF's SHA-256. Never the document itself.
- ``signin_codes``: issued phone sign-in codes (random part, whose ID number, expiry, when used): single use
  across every instance is one conditional UPDATE.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.online.references import ReferenceQuery
from sync.hall_db import HallDB

PROGRESS = ("received", "in_review", "needs_materials", "done")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS online_secret (name TEXT PRIMARY KEY, secret BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS progress (
    reference TEXT PRIMARY KEY, status TEXT NOT NULL, note TEXT, updated_at REAL NOT NULL, by TEXT
);
CREATE TABLE IF NOT EXISTS certificates (
    code TEXT PRIMARY KEY, service TEXT NOT NULL, title TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    holder TEXT NOT NULL, id_masked TEXT NOT NULL, issued_at REAL NOT NULL, sha256 TEXT NOT NULL, pages INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS signin_codes (
    nonce TEXT PRIMARY KEY, id_number TEXT NOT NULL, issued_at REAL NOT NULL, expires_at REAL NOT NULL,
    used_at REAL, used_by TEXT
);
CREATE INDEX IF NOT EXISTS messages_submission_reference
    ON messages (json_extract(payload, '$.reference')) WHERE kind = 'submission';
"""


@dataclass(frozen=True)
class Submission:
    """A stored submission found by its reference."""

    reference: str
    key: str
    kiosk_id: str
    received_at: float
    item_id: str


@dataclass(frozen=True)
class ProgressState:
    """Where a submission stands."""

    status: str
    updated_at: float
    note: str


class OnlineStore:
    """The online tables next to a :class:`HallDB` (same file). Thread-safe."""

    def __init__(self, db: HallDB, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(db.path), isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA busy_timeout = 30000")
        self._conn.execute("PRAGMA synchronous = FULL")
        with self._lock:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def secret(self) -> bytes:
        """The hall's HMAC secret (made on first use)."""
        self._write("INSERT OR IGNORE INTO online_secret (name, secret) VALUES ('hmac', ?)", (os.urandom(32),))
        return bytes(self._rows("SELECT secret FROM online_secret WHERE name = 'hmac'")[0][0])

    # --------------------------------------------------------------------------------------------- progress
    def submission(self, query: ReferenceQuery) -> Submission | None:
        """The stored submission a reference (and, from a QR, the kiosk and key prefix) names."""
        rows = self._rows(
            "SELECT key, kiosk_id, received_at, json_extract(payload, '$.item_id') FROM messages "
            "WHERE kind = 'submission' AND json_extract(payload, '$.reference') = ? ORDER BY received_at",
            (query.reference,),
        )
        for key, kiosk_id, received_at, item_id in rows:
            if query.kiosk_id and kiosk_id != query.kiosk_id:
                continue
            if query.key_prefix and not key.startswith(query.key_prefix):
                continue
            return Submission(query.reference, key, kiosk_id, received_at, item_id or "")
        return None

    def progress(self, submission: Submission) -> ProgressState:
        """The submission's status: the operator's last word, else ``received`` when it arrived."""
        rows = self._rows("SELECT status, updated_at, note FROM progress WHERE reference = ?", (submission.reference,))
        if rows:
            status, updated_at, note = rows[0]
            return ProgressState(status, updated_at, note or "")
        return ProgressState("received", submission.received_at, "")

    def set_progress(self, reference: str, status: str, *, note: str = "", by: str = "") -> bool:
        """Record a new status; False when no submission has this reference."""
        if status not in PROGRESS:
            raise ValueError(f"status must be one of {', '.join(PROGRESS)}")
        if self.submission(ReferenceQuery(reference)) is None:
            return False
        self._write(
            "INSERT INTO progress (reference, status, note, updated_at, by) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (reference) DO UPDATE SET status = excluded.status, note = excluded.note, "
            "updated_at = excluded.updated_at, by = excluded.by",
            (reference, status, note, self._clock(), by),
        )
        return True

    # ----------------------------------------------------------------------------------------- certificates
    def record_certificate(
        self,
        code: str,
        *,
        service: str,
        title: str,
        kiosk_id: str,
        holder: str,
        id_masked: str,
        issued_at: float,
        sha256: str,
        pages: int,
    ) -> None:
        """Add an issued certificate to the register."""
        self._write(
            "INSERT INTO certificates (code, service, title, kiosk_id, holder, id_masked, issued_at, sha256, pages) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, service, title, kiosk_id, holder, id_masked, issued_at, sha256, pages),
        )

    def certificate(self, code: str) -> dict[str, Any] | None:
        """The register entry of verification code ``code``."""
        cols = ("code", "service", "title", "kiosk_id", "holder", "id_masked", "issued_at", "sha256", "pages")
        rows = self._rows(f"SELECT {', '.join(cols)} FROM certificates WHERE code = ?", (code,))
        return dict(zip(cols, rows[0], strict=True)) if rows else None

    # ---------------------------------------------------------------------------------------- sign-in codes
    def issue_signin(self, nonce: str, id_number: str, expires_at: float) -> None:
        """Remember whom a sign-in code was issued for."""
        self._write(
            "INSERT INTO signin_codes (nonce, id_number, issued_at, expires_at) VALUES (?, ?, ?, ?)",
            (nonce, id_number, self._clock(), expires_at),
        )

    def use_signin(self, nonce: str, kiosk_id: str) -> tuple[str, str]:
        """Mark a code used: ``("ok", id_number)``, ``("used", "")`` or ``("unknown", "")``."""
        with self._lock:
            changed = self._conn.execute(
                "UPDATE signin_codes SET used_at = ?, used_by = ? WHERE nonce = ? AND used_at IS NULL",
                (self._clock(), kiosk_id, nonce),
            ).rowcount
            row = self._conn.execute("SELECT id_number FROM signin_codes WHERE nonce = ?", (nonce,)).fetchone()
        if row is None:
            return "unknown", ""
        return ("ok", row[0]) if changed else ("used", "")
