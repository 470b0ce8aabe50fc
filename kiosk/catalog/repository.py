"""This kiosk's installed catalog: the atomic replacement of ``<data_dir>/catalog/active.json`` and its fallbacks.

The UI process reads the catalog in force with :meth:`CatalogRepository.active` (one ``stat`` while the file is
unchanged); the sync agent installs the hall's catalogs with :meth:`CatalogRepository.install`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from kiosk.atomicfile import write_atomic
from kiosk.catalog.model import Catalog, CatalogError
from kiosk.catalog.validation import load_catalog, parse_catalog_bytes, shipped_catalog_path

log = logging.getLogger(__name__)


def _file_identity(path: Path) -> tuple[int, int, int]:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    # os.replace gives a new inode, so even a same-size rewrite within one mtime tick is noticed.
    return st.st_ino, st.st_size, st.st_mtime_ns


class CatalogRepository:
    """This kiosk's catalog: the installed one (``<data_dir>/catalog/active.json``), else the shipped one.

    :meth:`install` replaces it atomically and only with a valid catalog, keeping the replaced one as
    ``previous.json``. Files are read once per identity (inode, size, mtime), a damaged one too, so
    :meth:`active` costs a stat or two while nothing changes: cheap enough to ask at every visit start.
    """

    def __init__(self, data_dir: Path, shipped: Path | None = None) -> None:
        self.directory = Path(data_dir) / "catalog"
        self.active_path = self.directory / "active.json"
        self.previous_path = self.directory / "previous.json"
        self._shipped = shipped if shipped is not None else shipped_catalog_path()
        self._cache: dict[Path, tuple[tuple[int, int, int], Catalog | CatalogError]] = {}

    def active(self) -> Catalog:
        """The catalog in force. A damaged installed file falls back to ``previous.json``, then the shipped one."""
        if self.active_path.exists():
            for path in (self.active_path, self.previous_path):
                with contextlib.suppress(CatalogError):  # logged when the file was found damaged
                    return self._load(path, installed=True)
        return self._load(self._shipped)

    def install(self, raw: bytes) -> Catalog:
        """Validate ``raw`` and make it the active catalog. On :class:`CatalogError` nothing on disk changes."""
        catalog = parse_catalog_bytes(raw)
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock():
            for leftover in self.directory.glob(".*.tmp"):  # from a write a crash or power cut interrupted
                log.warning("removing unfinished catalog write %s", leftover)
                leftover.unlink(missing_ok=True)
            with contextlib.suppress(CatalogError):  # a damaged old catalog is not worth keeping
                self._load(self.active_path)
                self._write_atomically(self.previous_path, self.active_path.read_bytes())
            self._write_atomically(self.active_path, raw)
            self._cache[self.active_path] = (_file_identity(self.active_path), catalog)
        log.info("catalog %s installed at %s", catalog.version, self.active_path)
        return catalog

    def _load(self, path: Path, *, installed: bool = False) -> Catalog:
        """The catalog at ``path``, parsed once per file identity; a damaged file raises (and is logged once)."""
        identity = _file_identity(path)
        cached = self._cache.get(path)
        if cached is None or cached[0] != identity:
            result: Catalog | CatalogError
            try:
                result = load_catalog(path)
            except CatalogError as exc:
                result = exc
                if installed:
                    log.error("installed catalog unusable, falling back: %s", exc)
            cached = self._cache[path] = (identity, result)
        if isinstance(cached[1], CatalogError):
            raise CatalogError(cached[1].where, cached[1].problem)
        return cached[1]

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        # The UI and the sync agent may both install; one at a time, so neither removes the other's temp file.
        fd = os.open(self.directory / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write_atomically(self, target: Path, data: bytes) -> None:
        # After a crash the target is the old file or the new one, never a part of either.
        write_atomic(target, data)
