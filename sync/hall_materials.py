"""The reference hall's materials: attachment chunks from kiosks assembled into checked, content-addressed files.

Chunks arrive in any order, more than once, and (through the shared subscription) at any hall instance. Each is
written at its offset into a partial file ``<dir>/.partial/<kiosk>/<sha256>``; the files written in one batch
are fsynced, then their chunk numbers are committed to the index, and only then acknowledged. When a file has
every chunk, its SHA-256 is checked, it is fsynced and renamed to ``<dir>/<kiosk>/<sha256[:2]>/<sha256>``, the
directory fsynced, and the index marks it complete: a half-received file is never a material. A hash mismatch
throws the partial copy away and asks the kiosk to start again (``restart``).

The index (``sync/hall_material_index.py``) is tables of the hall database, SQLite or PostgreSQL. The folder
(``kiosk-hall --materials``, or ``$KIOSK_HALL_MATERIALS``; beside a SQLite file by default) must be the same for
every instance of a hall: instances on several machines share it (a network filesystem), as they share the
database. Materials are keyed per kiosk: one kiosk can never learn, or complete, another's file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.atomicfile import fsync_directory
from sync import attachment_wire as wire
from sync.hall_material_index import HallMaterialIndex, MaterialIndex, Upload
from sync.halldb import HallStore, is_url

__all__ = [
    "MATERIALS_ENV", "HallMaterials", "MaterialIndex", "Upload", "default_dir", "materials_dir", "open_materials",
]  # fmt: skip

log = logging.getLogger(__name__)

MATERIALS_ENV = "KIOSK_HALL_MATERIALS"


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
        return self._complete(self.index.upload(kiosk_id, sha256))

    def _complete(self, upload: Upload | None) -> bool:
        return (
            upload is not None
            and upload.completed_at is not None
            and self.path(upload.kiosk_id, upload.sha256).is_file()
        )

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
                item = self._finish(kiosk, sha, upload, now)
            acks.setdefault(kiosk, []).append(item)
        return acks

    def _write(self, kiosk: str, sha: str, parts: list[tuple[dict[str, Any], bytes]], now: float
               ) -> dict[str, Any] | tuple[Upload, list[int]]:
        """Write chunks into the partial copy, on the disk before the index says so (and before the ack): the
        upload and the chunks written; or, for a file already complete, its ack item."""
        indexes = [header["index"] for header, _ in parts]
        upload = self.index.upload(kiosk, sha)
        if self._complete(upload):
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

    def _finish(self, kiosk: str, sha: str, upload: Upload, now: float) -> dict:
        """Check the whole partial copy and put it in place; the ack item (complete, or restart)."""
        partial, final = self._partial(kiosk, sha), self.path(kiosk, sha)
        try:
            good = _sha256_of(partial) == sha and partial.stat().st_size == upload.size
        except FileNotFoundError:  # another instance got here first and renamed it (or is about to mark it)
            good = False
        if not good:
            # Another instance may have completed the file meanwhile, and a late copy of a chunk made a new,
            # sparse partial file here: the material stands, only that stray copy goes.
            if final.is_file() and _sha256_of(final) == sha:
                partial.unlink(missing_ok=True)
                return self._completed(kiosk, sha, final, now, counted=False)
            log.error("material %s… from %s failed its hash check: asking for it again", sha[:12], kiosk)
            partial.unlink(missing_ok=True)
            self.index.begin({"kiosk_id": kiosk, "sha256": sha, "size": upload.size, "media_type": upload.media_type,
                              "chunk_size": upload.chunk_size, "count": upload.count}, now, restart=True)  # fmt: skip
            return wire.ack_item(sha, [], complete=False, restart=True, error="sha256 does not match the bytes")
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(partial, final)
        except FileNotFoundError:  # another hall instance finished it first
            if not final.is_file():
                raise
        return self._completed(kiosk, sha, final, now)

    def _completed(self, kiosk: str, sha: str, final: Path, now: float, *, counted: bool = True) -> dict:
        fsync_directory(final.parent)  # the rename is on the disk before the index (and the kiosk) hear of it
        self.index.complete(kiosk, sha, now)
        self.completed += counted
        return wire.ack_item(sha, [], complete=True)

    def missing(self, kiosk_id: str, payload: dict[str, Any]) -> list[str]:
        """The pages a submission lists that this hall does not hold complete."""
        materials = payload.get("materials") or {}
        shas = [page["sha256"] for item in materials.get("provided", []) for page in item["pages"]]
        return [sha for sha in shas if not self.is_complete(kiosk_id, sha)]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------- the folder, listing, export

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif", "application/pdf": "pdf"}


def default_dir(db_path: Path) -> Path:
    """Where ``kiosk-hall`` keeps materials beside its database file: ``<db>-materials/``."""
    return db_path.with_name(db_path.name + "-materials")


def materials_dir(db_target: str | os.PathLike[str], given: Path | None, environ: Mapping[str, str]) -> Path:
    """The materials folder of a hall: ``given`` (``--materials``), else ``$KIOSK_HALL_MATERIALS``, else beside a
    SQLite file. A hall on PostgreSQL must be told (``ValueError``): its instances may run on several machines,
    and a folder of each one's own would split the materials between them."""
    if given is not None:
        return Path(given)
    if environ.get(MATERIALS_ENV):
        return Path(environ[MATERIALS_ENV])
    if is_url(db_target):
        raise ValueError(
            f"a hall on PostgreSQL needs --materials (or ${MATERIALS_ENV}): the materials folder every instance of "
            "the hall shares"
        )
    return default_dir(Path(db_target))


def open_materials(db: HallStore, root: Path, *, clock: Any = None) -> HallMaterials:
    """The materials of the hall on ``db`` (its index there, migrated), their files under ``root``."""
    return HallMaterials(root, HallMaterialIndex(db), clock=clock)


def find_submission(db: HallStore, wanted: str) -> dict[str, Any] | None:
    """A stored submission by its reference number or its outbox key (the first to arrive, if several)."""
    for found in (db.submissions(reference=wanted), db.submissions(key=wanted)):
        if found:
            return found[0]
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
