"""Crash-safe file replacement: after a power cut the target is the old file or the new one, never a part.

Used for the catalog, config updates from the hall, and the technician's config, keys and certificates.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    mode: int = 0o644,
    keep_backup: bool = False,
    prepare: Callable[[Path], None] | None = None,
) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder (created 0600, then ``mode``, so it is never
    wider than asked), fsync, ``prepare(tmp)`` (e.g. chown), rename over ``path``, fsync the folder.

    With ``keep_backup`` an existing file stays whole as ``<name>.bak`` (a hard link made before the rename).
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if prepare is not None:
            prepare(tmp)
        if keep_backup and path.exists():
            backup = path.with_name(path.name + ".bak")
            with contextlib.suppress(FileNotFoundError):
                backup.unlink()
            os.link(path, backup)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
