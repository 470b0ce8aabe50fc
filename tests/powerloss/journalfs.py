"""A passthrough FUSE filesystem that journals every operation a power cut could undo.

``python -m tests.powerloss.journalfs BACKING MOUNT JOURNAL`` mounts BACKING (an empty directory) at MOUNT in the
foreground, single-threaded, so the journal's order is the order the kernel handed the operations over. The
programs on MOUNT see an ordinary filesystem (with the page cache: every write is readable at once); the journal
records writes, truncates, fsyncs, creates, unlinks, renames and directory fsyncs, from which
:mod:`tests.powerloss.replay` rebuilds what the disk would hold had the power gone at any point.

A ``stat`` of ``/.powerloss-mark-<token>`` puts a MARK record in the journal and fails with ENOENT: the harness's
way to say "everything reported so far happened before this point".
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO

from fuse import FUSE, FuseOSError, Operations

from tests.powerloss import journal
from tests.powerloss.journal import MARK_PREFIX, ROOT_INO

log = logging.getLogger("journalfs")

_STAT_FIELDS = ("st_mode", "st_ino", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime", "st_mtime", "st_ctime")


class JournalFS(Operations):
    """Passthrough to ``backing``, journaling to ``out``."""

    def __init__(self, backing: Path, out: BinaryIO) -> None:
        self.backing = str(backing)
        self.out = out
        self.inodes: dict[str, int] = {"/": ROOT_INO}
        self.fh_inode: dict[int, int] = {}
        self._next_ino = ROOT_INO + 1

    def _real(self, path: str) -> str:
        return self.backing + path

    def _journal(self, op: int, ino: int = 0, a: int = 0, b: int = 0, payload: bytes = b"") -> None:
        journal.append(self.out, op, ino, a, b, payload)

    def _new_inode(self, path: str, *, directory: bool) -> int:
        ino, self._next_ino = self._next_ino, self._next_ino + 1
        self.inodes[path] = ino
        self._journal(journal.CREATE, ino, 0, int(directory), path.encode())
        return ino

    def _ino(self, path: str | None, fh: int | None) -> int:
        if fh is not None and fh in self.fh_inode:
            return self.fh_inode[fh]
        if path is not None and path in self.inodes:
            return self.inodes[path]
        raise FuseOSError(errno.EBADF)

    # ------------------------------------------------------------------------------------------ reading
    def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
        if path.startswith(MARK_PREFIX):
            self._journal(journal.MARK, payload=path[len(MARK_PREFIX) :].encode())
            self.out.flush()
            raise FuseOSError(errno.ENOENT)
        try:
            st = os.fstat(fh) if fh is not None and fh in self.fh_inode else os.lstat(self._real(path))
        except OSError as exc:
            raise FuseOSError(exc.errno) from None
        return {name: getattr(st, name) for name in _STAT_FIELDS}

    def access(self, path: str, amode: int) -> int:
        if not os.access(self._real(path), amode):
            raise FuseOSError(errno.EACCES)
        return 0

    def readdir(self, path: str, fh: int) -> list[str]:
        return [".", "..", *os.listdir(self._real(path))]

    def statfs(self, path: str) -> dict[str, int]:
        st = os.statvfs(self._real(path))
        return {name: getattr(st, name) for name in ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail",
                                                      "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")}

    def open(self, path: str, flags: int) -> int:
        fd = os.open(self._real(path), flags & ~os.O_CREAT)
        self.fh_inode[fd] = self.inodes[path]
        if flags & os.O_TRUNC:
            self._journal(journal.TRUNCATE, self.inodes[path], 0)
        return fd

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        return os.pread(fh, size, offset)

    def release(self, path: str, fh: int) -> int:
        self.fh_inode.pop(fh, None)
        os.close(fh)
        return 0

    def flush(self, path: str, fh: int) -> int:
        return 0

    # ------------------------------------------------------------------------------------------ writing
    def create(self, path: str, mode: int, fi: Any = None) -> int:
        fd = os.open(self._real(path), os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)
        self.fh_inode[fd] = self._new_inode(path, directory=False)
        return fd

    def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
        written = os.pwrite(fh, data, offset)
        self._journal(journal.WRITE, self._ino(path, fh), offset, 0, bytes(data[:written]))
        return written

    def truncate(self, path: str, length: int, fh: int | None = None) -> int:
        if fh is not None:
            os.ftruncate(fh, length)
        else:
            os.truncate(self._real(path), length)
        self._journal(journal.TRUNCATE, self._ino(path, fh), length)
        return 0

    def fsync(self, path: str, datasync: int, fh: int) -> int:
        # Nothing to do on the backing files: only the journal says what would be on the disk.
        self._journal(journal.FSYNC, self._ino(path, fh))
        return 0

    def fsyncdir(self, path: str, datasync: int, fh: int) -> int:
        self._journal(journal.FSYNCDIR, payload=path.encode())
        return 0

    def mkdir(self, path: str, mode: int) -> int:
        os.mkdir(self._real(path), mode)
        self._new_inode(path, directory=True)
        return 0

    def unlink(self, path: str) -> int:
        os.unlink(self._real(path))
        self.inodes.pop(path, None)
        self._journal(journal.UNLINK, payload=path.encode())
        return 0

    def rmdir(self, path: str) -> int:
        os.rmdir(self._real(path))
        self.inodes.pop(path, None)
        self._journal(journal.UNLINK, payload=path.encode())
        return 0

    def rename(self, old: str, new: str) -> int:
        if any(p.startswith(old + "/") for p in self.inodes):
            raise FuseOSError(errno.EXDEV)  # renaming a directory with entries: not modelled
        os.rename(self._real(old), self._real(new))
        self.inodes[new] = self.inodes.pop(old)
        self._journal(journal.RENAME, payload=old.encode() + b"\0" + new.encode())
        return 0

    def chmod(self, path: str, mode: int) -> int:
        os.chmod(self._real(path), mode)
        return 0

    def chown(self, path: str, uid: int, gid: int) -> int:
        os.chown(self._real(path), uid, gid)
        return 0

    def utimens(self, path: str, times: tuple[int, int] | None = None) -> int:
        os.utime(self._real(path), ns=times) if times else os.utime(self._real(path))
        return 0

    def destroy(self, path: str) -> None:
        self.out.flush()


def main(argv: list[str]) -> int:
    """Mount and serve until unmounted (``fusermount -u MOUNT``)."""
    backing, mount, journal_path = (Path(a) for a in argv)
    if any(backing.iterdir()):
        print(f"journalfs: {backing} must be empty (the replay starts from an empty disk)", file=sys.stderr)
        return 2
    with journal_path.open("wb") as out:
        ops = JournalFS(backing, out)
        ops.use_ns = True
        FUSE(ops, str(mount), foreground=True, nothreads=True, big_writes=True, hard_remove=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
