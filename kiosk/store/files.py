"""The store's file-system helpers: durable directory entries, fsync, and the one lock-file helper.

A new file's directory entry survives a power cut only once its directory is fsynced; a directory made with
``mkdir`` needs its parent fsynced in turn. The power-loss test (``tests/powerloss``) holds the store to that.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def fsync_dir(directory: Path) -> None:
    """Make a created or renamed file's directory entry durable (best effort: some filesystems refuse)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        log.debug("fsync of directory %s not supported", directory)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush ``path``'s data to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(directory: Path) -> None:
    """``mkdir -p`` whose new entries are durable: each directory created has its parent fsynced."""
    missing = []
    here = Path(directory)
    while not here.exists():
        missing.append(here)
        here = here.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process (UI or sync agent) made it first
            new.mkdir()
        fsync_dir(new.parent)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) between processes; the kernel drops it if
    the holder dies, so a crash never leaves it locked."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask decides: the services share it through their group
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock
