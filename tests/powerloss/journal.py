"""The journal the FUSE layer writes: one record per operation that changes what a disk could hold.

A record is a fixed header ``<B Q Q Q I`` (op, inode, a, b, payload length) and the payload: the data of a
write, or the UTF-8 path(s) of a namespace operation. Inodes are the FUSE layer's own numbers; the root is 1.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HEADER = struct.Struct("<BQQQI")
ROOT_INO = 1
MARK_PREFIX = "/.powerloss-mark-"  # stat("<mount>/.powerloss-mark-<token>") puts a MARK in the journal

WRITE = 1  # ino, a=offset, payload=data
TRUNCATE = 2  # ino, a=new size
FSYNC = 3  # ino: its data (and size) written so far are on the disk
CREATE = 4  # ino, b=1 for a directory, payload=path: a new name for a new inode
UNLINK = 5  # payload=path (files and directories)
RENAME = 6  # payload=old NUL new
FSYNCDIR = 7  # payload=path of the directory: its entries as they are now are on the disk
MARK = 8  # payload=token: the harness's marker, a point in time (no effect on the disk)

NAMES = {WRITE: "write", TRUNCATE: "truncate", FSYNC: "fsync", CREATE: "create", UNLINK: "unlink",
         RENAME: "rename", FSYNCDIR: "fsyncdir", MARK: "mark"}  # fmt: skip


@dataclass(frozen=True)
class Op:
    """One journal record."""

    op: int
    ino: int = 0
    a: int = 0
    b: int = 0
    payload: bytes = b""

    @property
    def path(self) -> str:
        """The path of a namespace operation (the old one for a rename)."""
        return self.payload.split(b"\0")[0].decode()

    @property
    def new_path(self) -> str:
        """The target of a rename."""
        return self.payload.split(b"\0")[1].decode()

    def __repr__(self) -> str:
        detail = self.payload.decode(errors="replace") if self.op not in (WRITE,) else f"{len(self.payload)} bytes"
        return f"{NAMES[self.op]}(ino={self.ino}, a={self.a}, b={self.b}, {detail})"


def append(out: BinaryIO, op: int, ino: int = 0, a: int = 0, b: int = 0, payload: bytes = b"") -> None:
    """Write one record."""
    out.write(HEADER.pack(op, ino, a, b, len(payload)))
    out.write(payload)


def read(path: Path) -> list[Op]:
    """Every record of the journal at ``path``, in order."""
    return list(_records(path.read_bytes()))


def _records(data: bytes) -> Iterator[Op]:
    pos = 0
    while pos < len(data):
        op, ino, a, b, n = HEADER.unpack_from(data, pos)
        pos += HEADER.size
        yield Op(op, ino, a, b, data[pos : pos + n])
        pos += n
