"""Cut the power at hundreds of moments of one real run, and check what each cut leaves on the disk.

How to use it for any durable write (the store's rows today, attachment files tomorrow):

1. ``with journaled_mount(workdir) as mount:`` mounts :mod:`tests.powerloss.journalfs` (real FUSE, ordinary
   syscalls: the stdlib ``sqlite3`` runs on it unchanged);
2. ``run_workload(mount, argv)`` runs a writer process on ``mount.root``; each line it prints ``commit <token>
   <fields...>`` AFTER the write it reports has returned is a promise: that write survives any later cut. The
   harness puts a MARK in the journal as it reads each line, so the promise's place in time is known;
3. after the unmount, ``cut_points(...)`` picks the moments and :func:`replay_cuts` rebuilds the disk at each
   (:mod:`tests.powerloss.replay`) and calls your checker with the directory and the promises made before it.

No skipping: if FUSE cannot mount, :func:`journaled_mount` fails the test and says why.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.powerloss import journal
from tests.powerloss.journal import MARK_PREFIX, Op
from tests.powerloss.replay import MODES, Disk, fresh

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Mount:
    """A mounted journaling filesystem."""

    root: Path
    journal_path: Path
    log_path: Path
    marks: int = 0

    def mark(self) -> str:
        """Put a MARK in the journal now; returns its token."""
        self.marks += 1
        token = str(self.marks)
        try:
            os.stat(f"{self.root}{MARK_PREFIX}{token}")
        except FileNotFoundError:
            return token
        raise AssertionError("the journaling filesystem did not take the mark")


@dataclass(frozen=True)
class Commit:
    """A write the workload reported done: the token and fields it printed, and the MARK taken after it."""

    token: str
    fields: tuple[str, ...]
    mark: str


@dataclass
class Run:
    """The journal of a whole run and the promises made during it."""

    ops: list[Op]
    commits: list[Commit]
    mark_index: dict[str, int] = field(default_factory=dict)  # MARK token -> its index in ops

    def __post_init__(self) -> None:
        self.mark_index = {op.payload.decode(): i for i, op in enumerate(self.ops) if op.op == journal.MARK}
        missing = [c.mark for c in self.commits if c.mark not in self.mark_index]
        assert not missing, f"marks missing from the journal: {missing[:5]}"

    def promised_before(self, cut: int) -> list[Commit]:
        """The commits whose MARK comes before the cut (``cut`` operations of the journal happened)."""
        return [c for c in self.commits if self.mark_index[c.mark] < cut]


@contextmanager
def journaled_mount(workdir: Path, *, python: Sequence[str] = (sys.executable,)) -> Iterator[Mount]:
    """Mount a fresh journaling filesystem under ``workdir``; unmount it (and stop the FUSE process) after.
    ``python`` runs the FUSE process (the venv's interpreter: it needs fusepy)."""
    backing, root = fresh(workdir / "backing"), fresh(workdir / "mnt")
    mount = Mount(root, workdir / "journal.bin", workdir / "journalfs.log")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with mount.log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*python, "-m", "tests.powerloss.journalfs", str(backing), str(root), str(mount.journal_path)],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while not os.path.ismount(root):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(
                    "the power-loss test needs FUSE and could not mount it (run scripts/setup.sh: Debian fuse3 + "
                    f"libfuse2, pip fusepy; /dev/fuse and root or the fuse group are needed).\n"
                    f"journalfs said:\n{mount.log_path.read_text(errors='replace')}"
                )
            time.sleep(0.02)
        yield mount
    finally:
        if os.path.ismount(root):
            subprocess.run(["fusermount", "-u", str(root)], check=False, capture_output=True)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            subprocess.run(["fusermount", "-u", "-z", str(root)], check=False, capture_output=True)
            proc.wait(timeout=5)


def run_workload(mount: Mount, argv: Sequence[str], *, timeout_s: float = 60) -> list[Commit]:
    """Run the writer ``argv`` to its end; a MARK follows each ``commit`` line it prints."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    commits: list[Commit] = []
    deadline = time.monotonic() + timeout_s
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("commit "):
            token, *fields = line.split()[1:]
            commits.append(Commit(token, tuple(fields), mount.mark()))
        assert time.monotonic() < deadline, "the writer ran too long"
    err = proc.stderr.read() if proc.stderr else ""
    assert proc.wait(timeout=10) == 0, f"the writer failed:\n{err}"
    return commits


def finish(mount: Mount, commits: list[Commit]) -> Run:
    """The run's journal, read once the filesystem is unmounted."""
    return Run(journal.read(mount.journal_path), commits)


def cut_points(run: Run, count: int, rng: random.Random) -> list[int]:
    """``count`` distinct moments (numbers of journal operations done): a tenth before the first promise (the
    files being created), the rest half anywhere, half right after a promise (where a commit that was not
    really on the disk shows up first), plus the very end."""
    n = len(run.ops)
    after_marks = sorted(run.mark_index.values())
    first = after_marks[0] if after_marks else n
    early = rng.sample(range(first + 1), min(first + 1, count // 10))
    anywhere = rng.sample(range(n + 1), min(n + 1, (count - len(early)) // 2))
    near = [i + 1 for i in rng.sample(after_marks, min(len(after_marks), count - len(early) - len(anywhere)))]
    return sorted({*early, *anywhere, *near, n})


def fsyncs_of(run: Run, path: str) -> int:
    """How many times the file created at ``path`` (the last file of that name) was fsynced in the run."""
    inos = [op.ino for op in run.ops if op.op == journal.CREATE and op.path == path]
    return sum(1 for op in run.ops if op.op == journal.FSYNC and inos and op.ino == inos[-1])


Checker = Callable[[Path, list[Commit]], list[str]]


@dataclass(frozen=True)
class CutResult:
    """What the checker found at one cut (empty ``problems``: everything promised was there)."""

    cut: int
    mode: str
    promised: int
    problems: tuple[str, ...]


def replay_cuts(run: Run, cuts: Sequence[int], check: Checker, workdir: Path, rng: random.Random) -> list[CutResult]:
    """Rebuild the disk at each cut (its mode drawn: half ``durable``, the rest ``subset``/``torn``) in
    ``workdir`` and run ``check(directory, promised commits)`` on it."""
    disk, done, results = Disk(), 0, []
    for cut in sorted(cuts):
        while done < cut:
            disk.apply(run.ops[done])
            done += 1
        mode = MODES[0] if rng.random() < 0.5 else rng.choice(MODES[1:])
        target = fresh(workdir / "cut")
        disk.materialize(target, mode, rng)
        promised = run.promised_before(cut)
        results.append(CutResult(cut, mode, len(promised), tuple(check(target, promised))))
    return results
