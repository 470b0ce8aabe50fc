"""WAL checkpoints from a thread of their own, so that a commit a citizen waits for never copies the WAL.

SQLite's automatic checkpoint runs inside the commit that takes the WAL past ``wal_autocheckpoint`` pages (1,000
by default): that commit then copies the pages into the database file and fsyncs it, ~100 ms into a database of a
long holiday's backlog (``bench scale``), while the citizen's record waits. The UI process therefore opens its
store with ``checkpoint_in_thread=True``: its connection's automatic checkpoint moves up to
:data:`BACKSTOP_PAGES` (the WAL stays bounded even if this thread is stuck), and a :class:`WalCheckpointer` on
a connection of its own runs a PASSIVE checkpoint soon after the store writes: at most one every
:attr:`WalCheckpointer.gap_s` while writes go on, none while the kiosk is idle. PASSIVE takes no lock a writer
needs: the UI's commits go on while it copies. The sync agent keeps SQLite's own checkpoints: nobody waits for
its commits.

A PASSIVE checkpoint alone cannot keep the WAL short under writes that never pause: a commit lands while it
copies, so the WAL is never wholly copied when the next writer starts, and only then does SQLite start the WAL
over. It grew to the backstop (32 MB), every commit appending to the file (a dearer fsync), and then a
citizen's commit copied all of it: ``bench store``, in turns of 3,000 enqueues, had the store at 0.73 of a plain
table over the run, p99 x2.1-2.4. So after every :attr:`WalCheckpointer.burst` commits without a pause, the
thread follows its PASSIVE checkpoint with a RESTART: it takes the write lock for the few frames written
meanwhile (holding the store's lock, so the UI's next commit waits those few milliseconds), and the next commit
starts the WAL over.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from kiosk.store.space import CHECKPOINT_BUSY_MS, blocking_checkpoint

log = logging.getLogger(__name__)

BACKSTOP_PAGES = 8000  # ~32 MB of WAL: the commit that crosses it checkpoints itself, as SQLite does at 1,000
BURST_COMMITS = 1000  # commits without a pause after which the thread restarts the WAL (SQLite's figure, in pages)


class WalCheckpointer:
    """A daemon thread that checkpoints the WAL of ``path`` (PASSIVE) after writes, at most every ``gap_s``."""

    def __init__(
        self,
        path: Path,
        connect: Callable[[str], sqlite3.Connection],
        *,
        gap_s: float = 0.05,
        chore: Callable[[], None] | None = None,
        burst: int = BURST_COMMITS,
        writer_lock: AbstractContextManager | None = None,
    ) -> None:
        """``connect`` opens the thread's own connection (the store's :func:`kiosk.store.connection.connect`).
        ``burst``: commits without a pause of ``gap_s`` after which the WAL is restarted (see the module);
        ``writer_lock`` (the store's lock) is held for that RESTART, so none of the store's commits is under way
        and it gets the write lock at once; without it, SQLite's busy handler tries now and then.
        ``chore`` runs before each checkpoint: bookkeeping the store moves off its callers' path (the count fold,
        :meth:`kiosk.store.outbox.OutboxWrites.fold_if_due`); its errors are logged, never raised."""
        self.gap_s = gap_s
        self.burst = burst
        self._writer_lock = writer_lock if writer_lock is not None else nullcontext()
        self._chore = chore
        self.checkpoints = 0  # PASSIVE checkpoints run (for tests and diagnosis)
        self.restarts = 0  # RESTART checkpoints that restarted the WAL in a burst of writes
        self._commits = 0  # since the last checkpoint (a count the GIL keeps whole enough for a threshold)
        self.last: tuple[int, int, int] | None = None  # (busy, frames in the WAL, frames copied) of the last one
        self._conn = connect(str(path))
        self._written = threading.Event()  # the store committed since the last checkpoint
        self._now = threading.Event()  # checkpoint without waiting out the gap (a nudge, or closing)
        self._stopping = False
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="wal-checkpointer", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    @classmethod
    def taking_over(
        cls,
        conn: sqlite3.Connection,
        path: Path,
        connect: Callable[[str], sqlite3.Connection],
        *,
        gap_s: float = 0.05,
        chore: Callable[[], None] | None = None,
        burst: int = BURST_COMMITS,
        writer_lock: AbstractContextManager | None = None,
    ) -> WalCheckpointer:
        """A started checkpointer for the writes of ``conn`` (on ``path``): the connection's own automatic
        checkpoint moves up to :data:`BACKSTOP_PAGES`, so none runs inside its commits. Its owner calls
        :meth:`written` after each commit."""
        conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
        checkpointer = cls(path, connect, gap_s=gap_s, chore=chore, burst=burst, writer_lock=writer_lock)
        checkpointer.start()
        return checkpointer

    def written(self) -> None:
        """The store committed: checkpoint soon (called after every write; a flag test when already set)."""
        self._commits += 1
        if not self._written.is_set():
            self._written.set()

    def nudge(self) -> None:
        """Checkpoint now rather than after the gap (e.g. after a big write)."""
        self._now.set()
        self._written.set()

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the thread (after the checkpoint it may be running) and close its connection."""
        self._stopping = True
        self.nudge()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        if not self._thread.is_alive():
            self._conn.close()

    def _run(self) -> None:
        while True:
            self._written.wait()  # idle: asleep until the store writes
            self._written.clear()
            if self._stopping:
                return
            self._run_chore()
            self._checkpoint(restart=self._commits >= self.burst)
            self._now.wait(self.gap_s)  # writes during the gap wait for its end; a nudge does not
            self._now.clear()
            if not self._written.is_set():  # a pause: that checkpoint copied every frame, the WAL starts over
                self._commits = 0

    def _run_chore(self) -> None:
        if self._chore is None:
            return
        try:
            self._chore()
        except Exception as exc:  # the store's own errors, e.g. a full disk; the enqueue's backstop folds then
            log.warning("store chore before a checkpoint failed: %s", exc)

    def _checkpoint(self, *, restart: bool) -> None:
        try:
            busy, frames, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if restart:
                busy, frames, copied = self._restart()
        except sqlite3.Error as exc:
            if not self._failing:  # once per failing streak: the backstop keeps the WAL bounded meanwhile
                log.warning("background WAL checkpoint failed: %s", exc)
            self._failing = True
            return
        if self._failing:
            log.info("background WAL checkpoints work again")
        self._failing = False
        self.checkpoints += 1
        self.last = (int(busy), int(frames), int(copied))

    def _restart(self) -> tuple[int, int, int]:
        """A RESTART checkpoint after the PASSIVE one: the write lock for the frames written meanwhile, then the
        next commit writes the WAL from its start. It waits at most :data:`CHECKPOINT_BUSY_MS` for another
        process's writer or readers (the UI's commits wait for it meanwhile); not done (busy) then, the next round
        tries again, the commit count kept."""
        with self._writer_lock:
            busy, frames, copied = blocking_checkpoint(self._conn, "RESTART", CHECKPOINT_BUSY_MS)
        if not busy:
            self._commits = 0
            self.restarts += 1
        return busy, frames, copied
