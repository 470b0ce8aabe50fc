"""The kiosk's durable state: one SQLite file shared by the UI process and the sync agent.

WAL with ``synchronous=FULL``: a commit is fsynced before it returns, and readers never block the writer.
:class:`Store` is the table mixins over one connection (:mod:`kiosk.store.core`): the outbox
(:mod:`.outbox`), citizen records with their counter and booking in one transaction (:mod:`.citizen`),
retention (:mod:`.retention`), the inbox (:mod:`.inbox`), settings (:mod:`.settings`), device status and faults
(:mod:`.health_records`). SQLite errors that mean "cannot write" become :class:`StoreUnavailable`, which the UI
shows as "out of service"; committed data stays readable, and a store whose files cannot be written at all
opens read-only.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.store.attachments import AttachmentRecords
from kiosk.store.checkpointer import BURST_COMMITS, WalCheckpointer
from kiosk.store.citizen import CitizenRecords
from kiosk.store.connection import (
    DiskGuard,
    DiskUsage,
    connect,
    file_read_only_reason,
    open_read_only,
    open_read_write,
)
from kiosk.store.files import fsync_dir, make_dirs
from kiosk.store.health_records import HealthRecords
from kiosk.store.inbox import InboxRecords
from kiosk.store.models import StoreError, StoreUnavailable
from kiosk.store.outbox import FOLD_BACKSTOP, FOLD_EVERY
from kiosk.store.retention import Retention
from kiosk.store.space import Pacer

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger(__name__)


class Store(CitizenRecords, Retention, InboxRecords, HealthRecords, AttachmentRecords):
    """The kiosk database. Thread-safe (one connection behind a lock); safe with another process on the file."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        retention_s: float = 72 * 3600,
        telemetry_limit: int = 10_000,
        min_free_bytes: int = 0,
        max_db_bytes: int | None = None,
        disk_usage: DiskUsage = shutil.disk_usage,
        disk_check_interval_s: float = 2.0,
        synchronous: str = "FULL",
        max_attachment_bytes: int | None = None,
        pacer: Pacer | None = None,
        checkpoint_in_thread: bool = False,
        checkpoint_gap_s: float = 0.05,
        checkpoint_burst: int = BURST_COMMITS,
    ) -> None:
        """Open (creating if needed) and migrate the database at ``path``.

        ``min_free_bytes``: below this much free disk, submissions are refused (telemetry is still taken);
        enough space, once seen, is trusted for ``disk_check_interval_s`` (see :class:`DiskGuard`).
        ``max_db_bytes``: cap on the database file; past it writes fail as "disk full".
        ``max_attachment_bytes``: budget of the attachment files (pages photographed for submissions); past it,
        and below ``min_free_bytes``, ``stage_attachment`` refuses with StoreUnavailable.
        ``synchronous``: leave it at FULL; OFF/NORMAL are for the power-loss test's proof that it catches them.
        ``pacer``: the batch size and pause of long clean-ups (default :class:`kiosk.store.space.Pacer`).
        ``checkpoint_in_thread``: the WAL is checkpointed by a thread of the store's own, never inside a commit
        (the UI process: a citizen never waits for a checkpoint; see :mod:`kiosk.store.checkpointer`), soon after
        each write and at most every ``checkpoint_gap_s``; after ``checkpoint_burst`` commits without a pause it
        also starts the WAL over (:class:`WalCheckpointer`).
        A database that can only be read opens in read-only mode (see :attr:`read_only_reason`).
        """
        path = Path(path)
        conn, read_only_reason = self._open(path, max_db_bytes, synchronous)
        super().__init__(path, conn, clock=clock, read_only_reason=read_only_reason, pacer=pacer)
        self._retention_s = float(retention_s)
        self._telemetry_limit = int(telemetry_limit)
        self._telemetry_since_trim = 0
        self._counted_upto = self._newest_seq = self._moved_upto = 0
        self._fold_at = FOLD_EVERY
        if read_only_reason is None:
            try:  # rows written past the store (a restore, a bulk import) counted once, now
                self._fold_counts()
            except StoreError as exc:  # the counts stay right without it; a later enqueue folds
                log.warning("cannot fold the outbox counts at open: %s", exc)
        self._disk = DiskGuard(path.parent, min_free_bytes, disk_usage, disk_check_interval_s)
        self._max_attachment_bytes = max_attachment_bytes
        self.checkpointer: WalCheckpointer | None = None
        if checkpoint_in_thread and read_only_reason is None:
            self.checkpointer = WalCheckpointer.taking_over(
                conn, path, connect, gap_s=checkpoint_gap_s, chore=self.fold_if_due, burst=checkpoint_burst,
                writer_lock=self._lock,
            )
            self._on_write = self.checkpointer.written
            self._fold_at = FOLD_BACKSTOP

    def close(self) -> None:
        """Stop the checkpoint thread, if any, then close the connection (closing twice is harmless)."""
        if self.checkpointer is not None:
            self._on_write = None
            self.checkpointer.close()
            self.checkpointer = None
        super().close()

    @classmethod
    def from_config(
        cls, config: Config, *, clock: Callable[[], float] = time.time, checkpoint_in_thread: bool = False
    ) -> Store:
        """The store at ``config.db_path`` with the ``[store]`` section's retention, limits and reserve: the one
        way the UI, the sync agent, the demo and the technician CLI open it. The UI process passes
        ``checkpoint_in_thread`` (see :meth:`__init__`)."""
        section = config.store
        return cls(
            config.db_path,
            clock=clock,
            retention_s=section.retention_hours * 3600,
            telemetry_limit=section.telemetry_limit,
            min_free_bytes=section.min_free_bytes,
            max_attachment_bytes=section.attachments_max_bytes,
            checkpoint_in_thread=checkpoint_in_thread,
        )

    @staticmethod
    def _open(path: Path, max_db_bytes: int | None, synchronous: str) -> tuple[sqlite3.Connection, str | None]:
        try:
            make_dirs(path.parent)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the data directory {path.parent}: {exc}") from exc
        try:
            conn = open_read_write(path, max_db_bytes=max_db_bytes, synchronous=synchronous)
            reason = file_read_only_reason(path)
        except StoreUnavailable as exc:
            conn, reason = open_read_only(path, exc.reason), exc.reason
        fsync_dir(path.parent)  # the database file (and its -wal/-shm) may have just been created
        return conn, reason

    def free_disk_bytes(self) -> int:
        """Bytes free for ordinary users on the filesystem holding the database."""
        return self._disk.free_bytes()
