"""What the reference hall keeps for online requests, in its own tables of the hall database (either backend:
``sync.halldb``, registered as the ``online`` component).

- ``online_secret``: the hall's HMAC secret (made once; every instance on the database shares it).
- ``progress``: the status of a submission an operator set (``kiosk-hall progress set``); a stored submission
  without a row is ``received`` as of its arrival.
- ``certificates``: the register of issued certificates by verification code: what, when, for whom (masked),
  the PDF's SHA-256. Never the document itself.
- ``signin_codes``: issued phone sign-in codes (random part, whose ID number, expiry, when used): single use
  across every instance is one conditional UPDATE (the second of two racing instances finds it used).

Submissions are found by the reference the hall notes as it stores them (``messages.reference``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.online.references import ReferenceQuery
from sync.halldb import HallStore, Migration

PROGRESS = ("received", "in_review", "needs_materials", "done")
COMPONENT = "online"

# The tables as a SQLite hall created them before they were a migration (IF NOT EXISTS adopts such a file), with
# the operator column renamed: BY is reserved in PostgreSQL. The old expression index gives way to
# messages.reference (hall migration 4).
_V1_SQLITE = """
CREATE TABLE IF NOT EXISTS online_secret (name TEXT PRIMARY KEY, secret BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS progress (
    reference TEXT PRIMARY KEY, status TEXT NOT NULL, note TEXT, updated_at REAL NOT NULL, "by" TEXT
);
ALTER TABLE progress RENAME COLUMN "by" TO set_by;
CREATE TABLE IF NOT EXISTS certificates (
    code TEXT PRIMARY KEY, service TEXT NOT NULL, title TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    holder TEXT NOT NULL, id_masked TEXT NOT NULL, issued_at REAL NOT NULL, sha256 TEXT NOT NULL, pages INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS signin_codes (
    nonce TEXT PRIMARY KEY, id_number TEXT NOT NULL, issued_at REAL NOT NULL, expires_at REAL NOT NULL,
    used_at REAL, used_by TEXT
);
DROP INDEX IF EXISTS messages_submission_reference
"""

_V1_POSTGRESQL = """
CREATE TABLE online_secret (name TEXT PRIMARY KEY, secret BYTEA NOT NULL);
CREATE TABLE progress (
    reference TEXT PRIMARY KEY, status TEXT NOT NULL, note TEXT, updated_at DOUBLE PRECISION NOT NULL, set_by TEXT
);
CREATE TABLE certificates (
    code TEXT PRIMARY KEY, service TEXT NOT NULL, title TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    holder TEXT NOT NULL, id_masked TEXT NOT NULL, issued_at DOUBLE PRECISION NOT NULL, sha256 TEXT NOT NULL,
    pages INTEGER NOT NULL
);
CREATE TABLE signin_codes (
    nonce TEXT PRIMARY KEY, id_number TEXT NOT NULL, issued_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL, used_at DOUBLE PRECISION, used_by TEXT
)
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "online requests: secret, progress, certificate register, sign-in codes", _V1_SQLITE, _V1_POSTGRESQL),
)

_CERTIFICATE = ("code", "service", "title", "kiosk_id", "holder", "id_masked", "issued_at", "sha256", "pages")


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
    """The online tables in the hall database ``db`` (migrated as it opens). Thread-safe, as ``db`` is."""

    def __init__(self, db: HallStore, *, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock
        db.migrate(COMPONENT, MIGRATIONS)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._db.reading() as tx:
            return [tuple(r) for r in tx.execute(sql, params).fetchall()]

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        self._db.atomic(lambda tx: tx.execute(sql, params))

    def secret(self) -> bytes:
        """The hall's HMAC secret (made on first use; racing instances keep the first one written)."""
        self._write(
            "INSERT INTO online_secret (name, secret) VALUES ('hmac', ?) ON CONFLICT (name) DO NOTHING",
            (os.urandom(32),),
        )
        return bytes(self._rows("SELECT secret FROM online_secret WHERE name = 'hmac'")[0][0])

    # --------------------------------------------------------------------------------------------- progress
    def submission(self, query: ReferenceQuery) -> Submission | None:
        """The stored submission a reference (and, from a QR, the kiosk and key prefix) names."""
        for row in self._db.submissions(reference=query.reference):
            if query.kiosk_id and row["kiosk_id"] != query.kiosk_id:
                continue
            if query.key_prefix and not row["key"].startswith(query.key_prefix):
                continue
            item_id = row["payload"].get("item_id")
            return Submission(query.reference, row["key"], row["kiosk_id"], row["received_at"], item_id or "")
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
            "INSERT INTO progress (reference, status, note, updated_at, set_by) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (reference) DO UPDATE SET status = excluded.status, note = excluded.note, "
            "updated_at = excluded.updated_at, set_by = excluded.set_by",
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
            f"INSERT INTO certificates ({', '.join(_CERTIFICATE)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, service, title, kiosk_id, holder, id_masked, issued_at, sha256, pages),
        )

    def certificate(self, code: str) -> dict[str, Any] | None:
        """The register entry of verification code ``code``."""
        rows = self._rows(f"SELECT {', '.join(_CERTIFICATE)} FROM certificates WHERE code = ?", (code,))
        return dict(zip(_CERTIFICATE, rows[0], strict=True)) if rows else None

    # ---------------------------------------------------------------------------------------- sign-in codes
    def issue_signin(self, nonce: str, id_number: str, expires_at: float) -> None:
        """Remember whom a sign-in code was issued for."""
        self._write(
            "INSERT INTO signin_codes (nonce, id_number, issued_at, expires_at) VALUES (?, ?, ?, ?)",
            (nonce, id_number, self._clock(), expires_at),
        )

    def use_signin(self, nonce: str, kiosk_id: str) -> tuple[str, str]:
        """Mark a code used: ``("ok", id_number)``, ``("used", "")`` or ``("unknown", "")``. One conditional
        UPDATE decides: of two instances using the same code at once, the second waits for the first and then
        finds it used."""

        def use(tx: Any) -> tuple[str, str]:
            row = tx.execute(
                "UPDATE signin_codes SET used_at = ?, used_by = ? WHERE nonce = ? AND used_at IS NULL "
                "RETURNING id_number",
                (self._clock(), kiosk_id, nonce),
            ).fetchone()
            if row is not None:
                return "ok", row[0]
            known = tx.execute("SELECT 1 FROM signin_codes WHERE nonce = ?", (nonce,)).fetchone()
            return ("used" if known else "unknown"), ""

        return self._db.atomic(use)
