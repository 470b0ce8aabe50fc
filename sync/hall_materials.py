"""The reference hall's materials: attachment chunks from kiosks assembled into checked, content-addressed files.

Chunks arrive in any order, more than once, and (through the shared subscription) at any hall instance. Each is
written at its offset into a partial file ``<dir>/.partial/<kiosk>/<sha256>``; the files written in one batch
are fsynced, then their chunk numbers are committed to the index, and only then acknowledged. When a file has
every chunk, its SHA-256 is checked, it is fsynced and renamed to ``<dir>/<kiosk>/<sha256[:2]>/<sha256>``, the
directory fsynced, and the index marks it complete: a half-received file is never a material. A hash mismatch
throws the partial copy away and asks the kiosk to start again (``restart``).

The index is a small interface (:class:`MaterialIndex`); :class:`SqliteMaterialIndex` keeps it in tables of the
hall's SQLite file, and a PostgreSQL hall implements the same four methods. Materials are keyed per kiosk: one
kiosk can never learn, or complete, another's file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sync import attachment_wire as wire

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS material_uploads (
    kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL,
    chunk_size INTEGER NOT NULL, count INTEGER NOT NULL, started_at REAL NOT NULL, completed_at REAL,
    PRIMARY KEY (kiosk_id, sha256)
);
CREATE TABLE IF NOT EXISTS material_chunks (
    kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (kiosk_id, sha256, idx)
) WITHOUT ROWID;
"""


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
    """Where the hall keeps track of uploads (SQLite here; PostgreSQL in a bigger hall)."""

    def upload(self, kiosk_id: str, sha256: str) -> Upload | None:
        """The upload, or None."""
        ...

    def begin(self, header: dict[str, Any], now: float) -> None:
        """Start (or, for another chunk size, start again) an upload as ``header`` describes it."""
        ...

    def add_chunks(self, chunks: Mapping[tuple[str, str], Iterable[int]]) -> dict[tuple[str, str], int]:
        """Record durable chunks of (kiosk, sha256) uploads in one transaction; how many each now holds."""
        ...

    def complete(self, kiosk_id: str, sha256: str, now: float) -> None:
        """The checked file is in place."""
        ...


class SqliteMaterialIndex:
    """:class:`MaterialIndex` in the hall's SQLite file (its own connection; WAL, FULL sync like the rest)."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA busy_timeout = 30000")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        with self._lock:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def upload(self, kiosk_id: str, sha256: str) -> Upload | None:
        """The upload, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT kiosk_id, sha256, size, media_type, chunk_size, count, "
                "(SELECT count(*) FROM material_chunks c WHERE c.kiosk_id = u.kiosk_id AND c.sha256 = u.sha256), "
                "completed_at FROM material_uploads u WHERE kiosk_id = ? AND sha256 = ?",
                (kiosk_id, sha256),
            ).fetchone()
        return None if row is None else Upload(*row)

    def begin(self, header: dict[str, Any], now: float) -> None:
        """Start an upload; a different chunk size throws away the chunks held (the kiosk starts again)."""
        kiosk, sha = header["kiosk_id"], header["sha256"]
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM material_chunks WHERE kiosk_id = ? AND sha256 = ?", (kiosk, sha))
                self._conn.execute(
                    "INSERT OR REPLACE INTO material_uploads (kiosk_id, sha256, size, media_type, chunk_size, count, "
                    "started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (kiosk, sha, header["size"], header["media_type"], header["chunk_size"], header["count"], now),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def add_chunks(self, chunks: Mapping[tuple[str, str], Iterable[int]]) -> dict[tuple[str, str], int]:
        """Record durable chunks in one transaction (one fsync for a whole batch); how many each upload holds."""
        held: dict[tuple[str, str], int] = {}
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for (kiosk_id, sha256), indexes in chunks.items():
                    self._conn.executemany(
                        "INSERT OR IGNORE INTO material_chunks (kiosk_id, sha256, idx) VALUES (?, ?, ?)",
                        [(kiosk_id, sha256, i) for i in indexes],
                    )
                    held[(kiosk_id, sha256)] = self._conn.execute(
                        "SELECT count(*) FROM material_chunks WHERE kiosk_id = ? AND sha256 = ?", (kiosk_id, sha256)
                    ).fetchone()[0]
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return held

    def complete(self, kiosk_id: str, sha256: str, now: float) -> None:
        """Mark the checked file in place; its chunk list is no longer needed."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "UPDATE material_uploads SET completed_at = COALESCE(completed_at, ?) "
                "WHERE kiosk_id = ? AND sha256 = ?",
                (now, kiosk_id, sha256),
            )
            self._conn.execute("DELETE FROM material_chunks WHERE kiosk_id = ? AND sha256 = ?", (kiosk_id, sha256))
            self._conn.execute("COMMIT")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class HallMaterials:
    """Chunks in, checked files out (see the module docstring)."""

    def __init__(self, root: Path, index: MaterialIndex, *, clock: Any = None) -> None:
        self.root = Path(root)
        self.index = index
        self._clock = clock or time.time
        self.chunks = 0
        self.completed = 0

    def path(self, kiosk_id: str, sha256: str) -> Path:
        """Where a complete material lives."""
        return self.root / kiosk_id / sha256[:2] / sha256

    def _partial(self, kiosk_id: str, sha256: str) -> Path:
        return self.root / ".partial" / kiosk_id / sha256

    def is_complete(self, kiosk_id: str, sha256: str) -> bool:
        """Whether the hall holds this kiosk's file whole and checked."""
        upload = self.index.upload(kiosk_id, sha256)
        return upload is not None and upload.completed_at is not None and self.path(kiosk_id, sha256).is_file()

    def receive(self, chunks: list[tuple[dict[str, Any], bytes]]) -> dict[str, list[dict[str, Any]]]:
        """Store a batch of checked chunks durably; the ack items to send, per kiosk."""
        now = self._clock()
        by_file: dict[tuple[str, str], list[tuple[dict[str, Any], bytes]]] = {}
        for header, data in chunks:
            by_file.setdefault((header["kiosk_id"], header["sha256"]), []).append((header, data))
        acks: dict[str, list[dict[str, Any]]] = {}
        written: dict[tuple[str, str], tuple[Upload, list[int]]] = {}
        for (kiosk, sha), parts in by_file.items():
            done = self._write(kiosk, sha, parts, now)
            if isinstance(done, dict):
                acks.setdefault(kiosk, []).append(done)
            else:
                written[(kiosk, sha)] = done
        held = self.index.add_chunks({name: indexes for name, (_, indexes) in written.items()}) if written else {}
        for (kiosk, sha), (upload, indexes) in written.items():
            self.chunks += len(indexes)
            if held[(kiosk, sha)] < upload.count:
                item = wire.ack_item(sha, indexes, complete=False)
            else:
                item = self._finish(kiosk, sha, upload, self._partial(kiosk, sha), now)
            acks.setdefault(kiosk, []).append(item)
        return acks

    def _write(self, kiosk: str, sha: str, parts: list[tuple[dict[str, Any], bytes]], now: float
               ) -> dict[str, Any] | tuple[Upload, list[int]]:
        """Write chunks into the partial copy, on the disk before the index says so (and before the ack): the
        upload and the chunks written; or, for a file already complete, its ack item."""
        indexes = [header["index"] for header, _ in parts]
        upload = self.index.upload(kiosk, sha)
        if upload is not None and upload.completed_at is not None and self.path(kiosk, sha).is_file():
            return wire.ack_item(sha, indexes, complete=True)
        first = parts[0][0]
        if upload is None or (upload.chunk_size, upload.size) != (first["chunk_size"], first["size"]):
            self.index.begin(first, now)
            upload = self.index.upload(kiosk, sha)
            assert upload is not None
        parts = [(h, d) for h, d in parts if (h["chunk_size"], h["size"]) == (upload.chunk_size, upload.size)]
        partial = self._partial(kiosk, sha)
        partial.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            for header, data in parts:
                os.pwrite(fd, data, header["index"] * upload.chunk_size)
            os.fdatasync(fd)
        finally:
            os.close(fd)
        return upload, [h["index"] for h, _ in parts]

    def _finish(self, kiosk: str, sha: str, upload: Upload, partial: Path, now: float) -> dict:
        digest = hashlib.sha256()
        with open(partial, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != sha or partial.stat().st_size != upload.size:
            log.error("material %s… from %s failed its hash check: asking for it again", sha[:12], kiosk)
            partial.unlink(missing_ok=True)
            self.index.begin({"kiosk_id": kiosk, "sha256": sha, "size": upload.size, "media_type": upload.media_type,
                              "chunk_size": upload.chunk_size, "count": upload.count}, now)  # fmt: skip
            return wire.ack_item(sha, [], complete=False, restart=True, error="sha256 does not match the bytes")
        final = self.path(kiosk, sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(partial, final)
        except FileNotFoundError:  # another hall instance finished it first
            if not final.is_file():
                raise
        _fsync_dir(final.parent)
        self.index.complete(kiosk, sha, now)
        self.completed += 1
        return wire.ack_item(sha, [], complete=True)

    def missing(self, kiosk_id: str, payload: dict[str, Any]) -> list[str]:
        """The pages a submission lists that this hall does not hold complete."""
        materials = payload.get("materials") or {}
        shas = [page["sha256"] for item in materials.get("provided", []) for page in item["pages"]]
        return [sha for sha in shas if not self.is_complete(kiosk_id, sha)]


# ------------------------------------------------------------------------------------------- listing, export

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif", "application/pdf": "pdf"}


def default_dir(db_path: Path) -> Path:
    """Where ``kiosk-hall`` keeps materials beside its database file: ``<db>-materials/``."""
    return db_path.with_name(db_path.name + "-materials")


def find_submission(db: Any, wanted: str) -> dict[str, Any] | None:
    """A stored submission by its outbox key or its reference number."""
    for row in db.messages("submission"):
        if wanted in (row["key"], row["payload"].get("reference")):
            return row
    return None


def describe(materials: HallMaterials, row: dict[str, Any]) -> dict[str, Any]:
    """A submission with its materials: each page's file (or that it has not arrived), and what is missing."""
    payload, kiosk = row["payload"], row["kiosk_id"]
    listed = payload.get("materials") or {"provided": [], "missing": []}
    provided = []
    for item in listed["provided"]:
        pages = []
        for page in item["pages"]:
            here = materials.is_complete(kiosk, page["sha256"])
            path = str(materials.path(kiosk, page["sha256"])) if here else None
            pages.append({**page, "received": here, "path": path})
        provided.append({"name": item["name"], "pages": pages})
    return {
        "key": row["key"], "kiosk_id": kiosk, "reference": payload.get("reference"),
        "item_id": payload.get("item_id"), "provided": provided, "missing": list(listed["missing"]),
        "complete": all(p["received"] for item in provided for p in item["pages"]),
    }  # fmt: skip


def export(materials: HallMaterials, row: dict[str, Any], out: Path) -> list[Path]:
    """Write the submission (``submission.json``) and a copy of each received page (``01-<name>-p1.jpg``) to
    ``out``; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    info = describe(materials, row)
    written = [out / "submission.json"]
    text = json.dumps({**row, "materials_received": info}, ensure_ascii=False, indent=1)
    written[0].write_text(text, encoding="utf-8")
    for number, item in enumerate(info["provided"], 1):
        safe = "".join(c for c in item["name"] if c.isalnum() or c in "-_（）()") or "material"
        for page_number, page in enumerate(item["pages"], 1):
            if not page["received"]:
                continue
            target = out / f"{number:02d}-{safe}-p{page_number}.{_EXTENSIONS.get(page['media_type'], 'bin')}"
            target.write_bytes(Path(page["path"]).read_bytes())
            written.append(target)
    return written
