"""Attachments: materials photographed at the kiosk (a page each), delivered to the hall with their submission.

Content-addressed files under ``<data_dir>/attachments/<sha256[:2]>/<sha256>``, never BLOBs in the outbox: the
hot outbox table stays small, and the sync agent reads a file in chunks without loading it. The order that makes
a page durable before a submission names it (:meth:`AttachmentRecords.stage_attachment`): write a temporary file,
fsync it, rename it into place, fsync the directory, and only then commit its ``attachments`` row. The submission
references staged pages through ``record_citizen(..., attachments=refs)``, which adds the links
(``outbox_attachments``) in the record's own transaction, so a committed submission always has its files.

Personal data: a page leaves the disk with its submission (``purge_attachments``, called by the retention purge
and the technician wipe): rows first (committed), then the files; a crash in between leaves files without a row,
which the next purge sweeps. Pages staged for a visit that never became a submission are swept too, once older
than ``STAGED_MAX_AGE_S`` (or at once with :meth:`discard_staged` at the end of the visit).

A disk budget (``max_attachment_bytes``, ``[store] attachments_max_mb``) and the store's free-space reserve
refuse a new page with :class:`StoreUnavailable`, the same "out of service" path as the database.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.connection import DiskGuard
from kiosk.store.core import ConnectionCore
from kiosk.store.files import fsync_dir, make_dirs
from kiosk.store.models import StoreError, StoreUnavailable

log = logging.getLogger(__name__)

ATTACHMENTS_DIR = "attachments"
STAGED_MAX_AGE_S = 6 * 3600.0  # a staged page no submission took is swept after this (the visit is long over)
MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]{1,100}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The tables: schema migration 4 (kiosk/store/migrations.py).



@dataclass(frozen=True)
class AttachmentRef:
    """A staged page: what a submission names (and what its payload lists as a material page)."""

    sha256: str
    size: int
    media_type: str

    def as_payload(self) -> dict[str, str | int]:
        """The page as the submission payload lists it (``materials.provided[].pages[]``)."""
        return {"sha256": self.sha256, "size": self.size, "media_type": self.media_type}


@dataclass(frozen=True)
class AttachmentState:
    """A stored attachment and its delivery progress (for the sync agent and the inspector)."""

    sha256: str
    size: int
    media_type: str
    chunk_bytes: int
    acked_chunks: int
    delivered_at: float | None
    first_seq: int  # the outbox seq of the first pending row naming it (delivery order)


def attachment_path(root: Path, sha256: str) -> Path:
    """Where the file with this hash lives under the attachments directory ``root``."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return root / sha256[:2] / sha256


def link_attachments(conn: object, key: str, refs: Sequence[AttachmentRef]) -> None:
    """Inside ``record_citizen``'s transaction: check every page is staged, then link it to the row ``key``."""
    for position, ref in enumerate(refs):
        row = conn.execute("SELECT size FROM attachments WHERE sha256 = ?", (ref.sha256,)).fetchone()  # type: ignore[attr-defined]
        if row is None or row[0] != ref.size:
            raise StoreError(f"attachment {ref.sha256[:12]}… is not staged (stage_attachment first)")
        conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO outbox_attachments (outbox_key, position, sha256) VALUES (?, ?, ?)",
            (key, position, ref.sha256),
        )


_STATE_COLUMNS = "a.sha256, a.size, a.media_type, a.chunk_bytes, a.acked_chunks, a.delivered_at"


class AttachmentReads(ConnectionCore):
    """Reading attachments (shared by the store and the read-only inspector)."""

    @property
    def attachments_dir(self) -> Path:
        """``<data_dir>/attachments``."""
        return self.path.parent / ATTACHMENTS_DIR

    def attachment_file(self, sha256: str) -> Path:
        """The file of a stored attachment."""
        return attachment_path(self.attachments_dir, sha256)

    def attachments_of(self, key: str) -> list[AttachmentState]:
        """The attachments the outbox row ``key`` names, in its order."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                f"SELECT {_STATE_COLUMNS}, 0 FROM outbox_attachments l JOIN attachments a ON a.sha256 = l.sha256 "
                "WHERE l.outbox_key = ? ORDER BY l.position",
                (key,),
            ).fetchall()
        return [AttachmentState(*row) for row in rows]

    def undelivered_attachments(self, limit: int = 16) -> list[AttachmentState]:
        """Attachments of pending rows the hall does not hold yet, oldest submission first."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                f"SELECT {_STATE_COLUMNS}, min(o.seq) AS first FROM attachments a "
                "JOIN outbox_attachments l ON l.sha256 = a.sha256 JOIN outbox o ON o.key = l.outbox_key "
                "WHERE a.delivered_at IS NULL AND o.state = 'pending' "
                "GROUP BY a.sha256 ORDER BY first, min(l.position) LIMIT ?",
                (limit,),
            ).fetchall()
        return [AttachmentState(*row) for row in rows]

    def keys_awaiting_attachments(self) -> set[str]:
        """Outbox keys naming an attachment the hall does not hold yet (the agent holds those rows back)."""
        with self._tx(write=False) as conn:
            rows = conn.execute(
                "SELECT DISTINCT l.outbox_key FROM outbox_attachments l JOIN attachments a ON a.sha256 = l.sha256 "
                "WHERE a.delivered_at IS NULL"
            ).fetchall()
        return {row[0] for row in rows}

    def attachment_bytes(self) -> int:
        """Bytes of every attachment with a row (staged or linked)."""
        with self._tx(write=False) as conn:
            return int(conn.execute("SELECT COALESCE(sum(size), 0) FROM attachments").fetchone()[0])

    def read_attachment(self, sha256: str, offset: int, length: int) -> bytes:
        """``length`` bytes at ``offset`` of a stored attachment (StoreError when the file is missing)."""
        try:
            with open(self.attachment_file(sha256), "rb") as handle:
                return os.pread(handle.fileno(), length, offset)
        except OSError as exc:
            raise StoreError(f"cannot read attachment {sha256[:12]}…: {exc}") from exc


class AttachmentRecords(AttachmentReads):
    """Staging, delivery progress and purging of attachments (the store's half)."""

    _disk: DiskGuard
    _max_attachment_bytes: int | None

    def stage_attachment(self, data: bytes, media_type: str) -> AttachmentRef:
        """Store a page durably (file fsynced, directory fsynced, row committed) and return its reference.

        The same bytes twice give the same reference and are stored once. Raises :class:`StoreUnavailable` when
        the attachment budget or the free-disk reserve would be broken, or the disk refuses the write
        (``ValueError`` for an empty page or a malformed media type).
        """
        if not data:
            raise ValueError("an attachment cannot be empty")
        if not MEDIA_TYPE.fullmatch(media_type):
            raise ValueError(f"not a media type: {media_type!r}")
        sha = hashlib.sha256(data).hexdigest()
        ref = AttachmentRef(sha, len(data), media_type)
        if self._staged(sha) and self.attachment_file(sha).is_file():
            return ref
        self._check_budget(len(data))
        path = self.attachment_file(sha)
        try:
            make_dirs(path.parent)
            tmp = path.with_name(f".{sha}.tmp-{os.getpid()}")
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            fsync_dir(path.parent)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write an attachment: {exc}") from exc
        with self._tx(write=True) as conn:
            conn.execute(
                "INSERT INTO attachments (sha256, size, media_type, staged_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (sha256) DO UPDATE SET staged_at = excluded.staged_at",
                (sha, len(data), media_type, self._now()),
            )
        return ref

    def _staged(self, sha: str) -> bool:
        with self._tx(write=False) as conn:
            return conn.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha,)).fetchone() is not None

    def _check_budget(self, size: int) -> None:
        free = self._disk.free_bytes()
        if self._disk.min_free_bytes and free - size < self._disk.min_free_bytes:
            raise StoreUnavailable(
                f"disk nearly full: {free} bytes free, {self._disk.min_free_bytes} kept in reserve"
            )
        if self._max_attachment_bytes is not None:
            used = self.attachment_bytes()
            if used + size > self._max_attachment_bytes:
                raise StoreUnavailable(
                    f"attachment budget full: {used} of {self._max_attachment_bytes} bytes used"
                )

    def discard_staged(self, refs: Iterable[AttachmentRef]) -> int:
        """Remove staged pages no outbox row names (a visit ended without submitting them); how many."""
        shas = [ref.sha256 for ref in refs]
        return self._remove(shas) if shas else 0

    def record_attachment_progress(self, sha256: str, chunk_bytes: int, acked_chunks: int) -> None:
        """Note how many leading chunks (of ``chunk_bytes``) the hall acknowledged, to resume after a restart."""
        with self._tx(write=True) as conn:
            conn.execute(
                "UPDATE attachments SET chunk_bytes = ?, acked_chunks = ? WHERE sha256 = ? AND delivered_at IS NULL",
                (chunk_bytes, acked_chunks, sha256),
            )

    def mark_attachment_delivered(self, sha256: str) -> bool:
        """The hall holds the whole file (its hash checked): the rows naming it may go out now."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE attachments SET delivered_at = ? WHERE sha256 = ? AND delivered_at IS NULL",
                (self._now(), sha256),
            )
        return cursor.rowcount == 1

    def purge_attachments(self, *, everything: bool = False) -> int:
        """Delete the files of purged submissions (``everything``: of every row: the technician wipe), and of
        pages staged long ago that no row took; returns how many files went."""
        with self._tx(write=True) as conn:
            if everything:
                unlinked = [row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM outbox_attachments")]
                conn.execute("DELETE FROM outbox_attachments")
            else:
                done = conn.execute(
                    "SELECT l.outbox_key, l.sha256 FROM outbox_attachments l "
                    "LEFT JOIN outbox o ON o.key = l.outbox_key WHERE o.key IS NULL OR o.purged_at IS NOT NULL"
                ).fetchall()
                conn.executemany("DELETE FROM outbox_attachments WHERE outbox_key = ?", {(k,) for k, _ in done})
                unlinked = [sha for _, sha in done]
            cutoff = self._now() - (0 if everything else STAGED_MAX_AGE_S)
            stale = [
                row[0]
                for row in conn.execute(
                    "SELECT sha256 FROM attachments a WHERE staged_at <= ? AND NOT EXISTS "
                    "(SELECT 1 FROM outbox_attachments l WHERE l.sha256 = a.sha256)",
                    (cutoff,),
                )
            ]
        shas = list(dict.fromkeys([*unlinked, *stale]))
        removed = self._remove(shas)
        self._sweep_orphans(cutoff)
        return removed

    def _remove(self, shas: Sequence[str]) -> int:
        """Delete unlinked rows (committed first), then their files."""
        gone: list[str] = []
        with self._tx(write=True) as conn:
            for sha in shas:
                cursor = conn.execute(
                    "DELETE FROM attachments WHERE sha256 = ? AND NOT EXISTS "
                    "(SELECT 1 FROM outbox_attachments l WHERE l.sha256 = ?)",
                    (sha, sha),
                )
                if cursor.rowcount:
                    gone.append(sha)
        for sha in gone:
            self._unlink(self.attachment_file(sha))
        return len(gone)

    def _unlink(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
            fsync_dir(path.parent)
        except OSError as exc:
            log.warning("cannot remove attachment file %s: %s", path.name[:12], exc)

    def _sweep_orphans(self, cutoff: float) -> None:
        """Files with no row, last written before ``cutoff``: a crash between a page's rename and its row, or
        between a purge's commit and its unlink; temporary files of a crashed write too."""
        root = self.attachments_dir
        if not root.is_dir():
            return
        with self._tx(write=False) as conn:
            known = {row[0] for row in conn.execute("SELECT sha256 FROM attachments")}
        for sub in root.iterdir():
            if not sub.is_dir():
                continue
            for path in sub.iterdir():
                name = path.name
                orphan = _SHA256.fullmatch(name) is not None and name not in known
                stale_tmp = name.startswith(".") and ".tmp-" in name
                try:
                    # a file younger than the cut-off may be a page being staged right now in the other process
                    if (orphan or stale_tmp) and path.stat().st_mtime <= cutoff:
                        self._unlink(path)
                except OSError:
                    continue
