"""What the disk holds after a power cut, rebuilt from the journal of :mod:`tests.powerloss.journalfs`.

The model is the one POSIX promises and no more:
- a file's data (and size) written before an ``fsync`` of that file is on the disk; later writes may be lost;
- a name created, removed or renamed in a directory is on the disk once that directory was fsynced;
- at the cut, what was not yet made durable is dropped. A cut can also keep a random part of it, as a disk
  that had written some of it back would: a random subset of each file's unsynced writes (``subset``), those
  writes possibly torn into random 512-byte sectors (``torn``), and a random prefix of the unsynced namespace
  operations (metadata is journaled in order by the filesystems the kiosk runs on).

:class:`Disk` applies the journal one operation at a time; :meth:`Disk.materialize` writes the state at the
current point into a directory, where ordinary programs (the stdlib ``sqlite3``) open it.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tests.powerloss import journal
from tests.powerloss.journal import ROOT_INO, Op

SECTOR = 512
MODES = ("durable", "subset", "torn")


@dataclass
class Entry:
    """A name in the namespace."""

    ino: int
    directory: bool


@dataclass
class Disk:
    """The disk as the journal has left it so far: durable file data, unsynced writes, names."""

    durable: dict[int, bytearray] = field(default_factory=dict)
    unsynced: dict[int, list[Op]] = field(default_factory=dict)
    live: dict[str, Entry] = field(default_factory=lambda: {"/": Entry(ROOT_INO, True)})
    names: dict[str, Entry] = field(default_factory=lambda: {"/": Entry(ROOT_INO, True)})  # durable
    unsynced_names: list[Op] = field(default_factory=list)

    def apply(self, op: Op) -> None:
        """Take one journal record into account."""
        if op.op in (journal.WRITE, journal.TRUNCATE):
            self.unsynced.setdefault(op.ino, []).append(op)
        elif op.op == journal.FSYNC:
            data = self.durable.setdefault(op.ino, bytearray())
            for pending in self.unsynced.pop(op.ino, []):
                _apply_data(data, pending)
        elif op.op == journal.CREATE:
            self.live[op.path] = Entry(op.ino, bool(op.b))
            self.durable.setdefault(op.ino, bytearray())
            self.unsynced_names.append(op)
        elif op.op in (journal.UNLINK, journal.RENAME):
            _apply_name(self.live, op)
            self.unsynced_names.append(op)
        elif op.op == journal.FSYNCDIR:
            self._sync_directory(op.path)

    def _sync_directory(self, directory: str) -> None:
        for path in {*self.live, *self.names}:
            if path != "/" and _parent(path) == directory:
                if path in self.live:
                    self.names[path] = self.live[path]
                else:
                    self.names.pop(path, None)
        self.unsynced_names = [op for op in self.unsynced_names if not _only_in(op, directory)]

    def materialize(self, target: Path, mode: str, rng: random.Random) -> None:
        """Write what the disk would hold if the power went now into the empty directory ``target``."""
        names = {path: Entry(e.ino, e.directory) for path, e in self.names.items()}
        if mode != "durable" and self.unsynced_names:
            for op in self.unsynced_names[: rng.randint(0, len(self.unsynced_names))]:
                if op.op == journal.CREATE:
                    names[op.path] = Entry(op.ino, bool(op.b))
                else:
                    _apply_name(names, op)
        for path in sorted(names, key=lambda p: p.count("/")):
            entry = names[path]
            if path == "/" or not _reachable(path, names):
                continue
            real = target / path.lstrip("/")
            if entry.directory:
                real.mkdir(exist_ok=True)
            else:
                real.write_bytes(self._content(entry.ino, mode, rng))

    def _content(self, ino: int, mode: str, rng: random.Random) -> bytes:
        data = bytearray(self.durable.get(ino, b""))
        if mode == "durable":
            return bytes(data)
        for op in self.unsynced.get(ino, []):
            if rng.random() < 0.5:
                continue
            if mode == "torn" and op.op == journal.WRITE and len(op.payload) > SECTOR:
                for piece in _sectors(op):
                    if rng.random() < 0.5:
                        _apply_data(data, piece)
            else:
                _apply_data(data, op)
        return bytes(data)


def _apply_data(data: bytearray, op: Op) -> None:
    if op.op == journal.TRUNCATE:
        if op.a < len(data):
            del data[op.a :]
        else:
            data.extend(bytes(op.a - len(data)))
        return
    end = op.a + len(op.payload)
    if op.a > len(data):
        data.extend(bytes(op.a - len(data)))
    data[op.a : end] = op.payload


def _sectors(op: Op) -> list[Op]:
    """A write cut at 512-byte boundaries of the file (the unit a disk writes whole or not at all)."""
    pieces, start = [], op.a
    while start < op.a + len(op.payload):
        end = min(op.a + len(op.payload), (start // SECTOR + 1) * SECTOR)
        pieces.append(Op(journal.WRITE, op.ino, start, 0, op.payload[start - op.a : end - op.a]))
        start = end
    return pieces


def _apply_name(names: dict[str, Entry], op: Op) -> None:
    if op.op == journal.UNLINK:
        names.pop(op.path, None)
    elif op.op == journal.RENAME and op.path in names:
        names[op.new_path] = names.pop(op.path)


def _parent(path: str) -> str:
    parent = path.rsplit("/", 1)[0]
    return parent or "/"


def _only_in(op: Op, directory: str) -> bool:
    """Whether ``op`` changed names in ``directory`` alone (so that directory's fsync made it durable)."""
    parents = {_parent(op.path)} | ({_parent(op.new_path)} if op.op == journal.RENAME else set())
    return parents == {directory}


def _reachable(path: str, names: dict[str, Entry]) -> bool:
    parent = _parent(path)
    return parent == "/" or (parent in names and names[parent].directory and _reachable(parent, names))


def fresh(directory: Path) -> Path:
    """``directory``, emptied (the place a cut is materialized)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory
