"""The hall's index of attachment uploads: which chunks of which kiosk's file are held durably, and which files are
complete. Tables of the hall database (either backend: ``sync.halldb``, registered as the ``materials``
component); the bytes themselves are files in the materials folder (``sync/hall_materials.py``).

Every instance of a hall on PostgreSQL shares the index; a chunk recorded twice (two instances, a resend) is one
row, and each transaction takes its rows in one order (kiosk, file, chunk), so instances never wait in a ring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sync.halldb import HallStore, Migration, Tx

COMPONENT = "materials"

# The tables as a SQLite hall created them before they were a migration: IF NOT EXISTS adopts such a file.
_V1_SQLITE = """
CREATE TABLE IF NOT EXISTS material_uploads (
    kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL,
    chunk_size INTEGER NOT NULL, count INTEGER NOT NULL, started_at REAL NOT NULL, completed_at REAL,
    PRIMARY KEY (kiosk_id, sha256)
);
CREATE TABLE IF NOT EXISTS material_chunks (
    kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (kiosk_id, sha256, idx)
) WITHOUT ROWID
"""

_V1_POSTGRESQL = """
CREATE TABLE material_uploads (
    kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, media_type TEXT NOT NULL,
    chunk_size INTEGER NOT NULL, count INTEGER NOT NULL, started_at DOUBLE PRECISION NOT NULL,
    completed_at DOUBLE PRECISION, PRIMARY KEY (kiosk_id, sha256)
);
CREATE TABLE material_chunks (
    kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (kiosk_id, sha256, idx)
)
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "attachment uploads and the chunks held of each", _V1_SQLITE, _V1_POSTGRESQL),
)

_UPLOAD = (
    "SELECT kiosk_id, sha256, size, media_type, chunk_size, count, "
    "(SELECT count(*) FROM material_chunks c WHERE c.kiosk_id = u.kiosk_id AND c.sha256 = u.sha256), "
    "completed_at FROM material_uploads u WHERE kiosk_id = ? AND sha256 = ?"
)
_HELD = "SELECT count(*) FROM material_chunks WHERE kiosk_id = ? AND sha256 = ?"


@dataclass(frozen=True)
class Upload:
    """What the index knows of one kiosk's file."""

    kiosk_id: str
    sha256: str
    size: int
    media_type: str
    chunk_size: int
    count: int
    received: int  # chunks held
    completed_at: float | None


class MaterialIndex(Protocol):
    """Where the hall keeps track of uploads (:class:`HallMaterialIndex`: the hall database)."""

    def upload(self, kiosk_id: str, sha256: str) -> Upload | None:
        """The upload, or None."""
        ...

    def begin(self, header: dict[str, Any], now: float, *, restart: bool = False) -> None:
        """Start an upload as ``header`` describes it, unless it is under way in that shape (chunk size, size);
        ``restart``: start it again in any case (its hash check failed)."""
        ...

    def add_chunks(self, chunks: Mapping[tuple[str, str], Iterable[int]]) -> dict[tuple[str, str], int]:
        """Record durable chunks of (kiosk, sha256) uploads in one transaction; how many each now holds."""
        ...

    def complete(self, kiosk_id: str, sha256: str, now: float) -> None:
        """The checked file is in place."""
        ...


class HallMaterialIndex:
    """:class:`MaterialIndex` in the hall database ``db`` (SQLite or PostgreSQL), migrated as it opens."""

    def __init__(self, db: HallStore) -> None:
        self._db = db
        db.migrate(COMPONENT, MIGRATIONS)

    def upload(self, kiosk_id: str, sha256: str) -> Upload | None:
        """The upload, or None."""
        with self._db.reading() as tx:
            row = tx.execute(_UPLOAD, (kiosk_id, sha256)).fetchone()
        return None if row is None else Upload(*row)

    def begin(self, header: dict[str, Any], now: float, *, restart: bool = False) -> None:
        """Start an upload, unless it is under way in the same shape (chunk size and size: the first chunks of a
        file may reach two instances at once, and neither may throw away what the other recorded). In another
        shape, or with ``restart`` (its hash check failed), the chunks held are thrown away: the kiosk starts again."""
        kiosk, sha = header["kiosk_id"], header["sha256"]
        row = (kiosk, sha, header["size"], header["media_type"], header["chunk_size"], header["count"], now, restart)

        def begin(tx: Tx) -> None:
            changed = tx.execute(
                "INSERT INTO material_uploads (kiosk_id, sha256, size, media_type, chunk_size, count, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, sha256) DO UPDATE SET size = excluded.size, "
                "media_type = excluded.media_type, chunk_size = excluded.chunk_size, count = excluded.count, "
                "started_at = excluded.started_at, completed_at = NULL WHERE ? "
                "OR material_uploads.chunk_size <> excluded.chunk_size OR material_uploads.size <> excluded.size "
                "RETURNING 1",
                row,
            ).fetchone()
            if changed is not None:  # new (no chunks), or started again
                tx.execute("DELETE FROM material_chunks WHERE kiosk_id = ? AND sha256 = ?", (kiosk, sha))

        self._db.atomic(begin)

    def add_chunks(self, chunks: Mapping[tuple[str, str], Iterable[int]]) -> dict[tuple[str, str], int]:
        """Record durable chunks in one transaction (one commit for a whole batch); how many each upload holds."""
        rows = sorted({(kiosk, sha, i) for (kiosk, sha), indexes in chunks.items() for i in indexes})
        names = sorted(chunks)

        def add(tx: Tx) -> dict[tuple[str, str], int]:
            if rows:
                tx.executemany(
                    "INSERT INTO material_chunks (kiosk_id, sha256, idx) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows
                )
            return {name: int(tx.execute(_HELD, name).fetchone()[0]) for name in names}

        return self._db.atomic(add)

    def complete(self, kiosk_id: str, sha256: str, now: float) -> None:
        """Mark the checked file in place; its chunk list is no longer needed."""

        def complete(tx: Tx) -> None:
            tx.execute(
                "UPDATE material_uploads SET completed_at = COALESCE(completed_at, ?) "
                "WHERE kiosk_id = ? AND sha256 = ?",
                (now, kiosk_id, sha256),
            )
            tx.execute("DELETE FROM material_chunks WHERE kiosk_id = ? AND sha256 = ?", (kiosk_id, sha256))

        self._db.atomic(complete)
