"""Opening the kiosk's SQLite file and translating SQLite errors (used by :mod:`kiosk.store`).

Two ways in: read-write (WAL, ``synchronous=FULL``, migrated), and read-only (:func:`open_read_only`, the one
read-only open: the store's fallback when the files cannot be written, so committed data stays readable while
the UI shows "out of service", and the technician's inspection in :mod:`kiosk.store.inspect`).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kiosk.store.files import fsync_dir
from kiosk.store.migrations import LATEST_VERSION, migrate, schema_version
from kiosk.store.models import StoreError, StoreUnavailable
from kiosk.store.space import INCREMENTAL, switch_to_incremental_vacuum

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 8192  # page cache per read-write connection
# FULL: a commit is on the disk before it returns. OFF and NORMAL exist only so the power-loss test can show it
# catches the rows they lose (tests/powerloss); nothing in the kiosk passes anything but the default.
SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")
DiskUsage = Callable[[Path], Any]  # returns an object with a ``free`` attribute, like shutil.disk_usage

# Primary SQLite result codes that mean the database cannot be written now, with the reason shown to people.
_UNAVAILABLE_REASONS = {
    sqlite3.SQLITE_FULL: "disk full: the database cannot grow",
    sqlite3.SQLITE_READONLY: "database is read-only",
    sqlite3.SQLITE_IOERR: "disk I/O error",
    sqlite3.SQLITE_CORRUPT: "database file is corrupt",
    sqlite3.SQLITE_NOTADB: "file is not a kiosk database",
    sqlite3.SQLITE_CANTOPEN: "cannot open the database files",
    sqlite3.SQLITE_PERM: "permission denied on the database",
}


def translate_error(exc: sqlite3.Error) -> StoreError:
    """The :class:`StoreError` (or :class:`StoreUnavailable`) to raise for a sqlite3 exception."""
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", type(exc).__name__)
    reason = _UNAVAILABLE_REASONS.get(code & 0xFF) if code is not None else None
    if reason is None and "database or disk is full" in str(exc):
        reason = _UNAVAILABLE_REASONS[sqlite3.SQLITE_FULL]
    if reason is not None:
        return StoreUnavailable(f"{reason} ({name}: {exc})")
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc):
        return StoreError("the store is closed")
    return StoreError(f"database error ({name}: {exc})")


def connect(database: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from any thread, with busy wait."""
    try:
        conn = sqlite3.connect(
            database, uri=uri, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        raise translate_error(exc) from exc
    return conn


def open_read_write(
    path: Path, *, max_db_bytes: int | None = None, synchronous: str = "FULL"
) -> sqlite3.Connection:
    """Open ``path`` for writing, set the durability pragmas and migrate it to the newest schema."""
    if synchronous not in SYNCHRONOUS_MODES:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS_MODES}, not {synchronous!r}")
    _create_shared(path)
    conn = connect(str(path))
    try:
        conn.execute(f"PRAGMA synchronous = {synchronous}")  # before the WAL switch: it is a commit too
        # A new file is made with incremental vacuum (set before its first page is written: the WAL switch
        # writes it); an older one is switched by one VACUUM after migrating, below. Only on an empty file:
        # on any other the pragma is a write, and a file this software refuses must stay untouched.
        if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
            conn.execute(f"PRAGMA auto_vacuum = {INCREMENTAL}")
        switch_to_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        # 8 MiB of page cache (SQLite's default is 2): the key index of a 100k backlog stays in memory, so the
        # hall's acknowledgements are confirmed without a read from the OS for each key (issue 16).
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # Overwrite freed content with zeros, so purged personal data does not linger in free pages.
        conn.execute("PRAGMA secure_delete = ON")
        if max_db_bytes is not None:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {max(1, int(max_db_bytes) // page_size)}")
        migrate(conn, path)
        switch_to_incremental_vacuum(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc) from exc
    except StoreError:
        conn.close()
        raise
    except OSError as exc:  # the migration's lock file or backup copy could not be written
        conn.close()
        raise StoreUnavailable(f"cannot prepare the database for migration: {exc}") from exc
    return conn


def _create_shared(path: Path) -> None:
    """Create a missing database file with the process's umask (SQLite would use 0644 whatever the umask): the
    screen and the sync agent run as two accounts sharing a group (UMask=0007), and SQLite gives the -wal and
    -shm files the database file's mode, so all three are group-writable. An empty file is a new database."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return
    except OSError:
        return  # SQLite's own open says what is wrong
    os.close(fd)
    fsync_dir(path.parent)


def open_read_only(path: Path, reason: str | None = None) -> sqlite3.Connection:
    """Open ``path`` for reading only: after a read-write open failed for ``reason``, or (``None``) on purpose,
    to inspect it beside the running services. The connection can never write or migrate.

    Raises :class:`StoreUnavailable` if it cannot be read, or if its schema is not this software's.
    """
    wal = Path(f"{path}-wal")
    queries = ["mode=ro"]
    if not wal.exists() or wal.stat().st_size == 0:
        # Without a WAL everything committed is in the main file, so "immutable" (which skips the -shm file
        # that cannot be created in a read-only directory) cannot hide data. With a WAL it could: not tried.
        queries.append("mode=ro&immutable=1")
    last_error: Exception = StoreUnavailable(reason or "cannot read the database")
    for query in queries:
        try:
            conn = connect(f"file:{quote(str(path))}?{query}", uri=True)
            version = _read_version(conn)
        except (StoreUnavailable, sqlite3.Error) as exc:
            last_error = exc
            continue
        if version != LATEST_VERSION:
            conn.close()
            why = f"{reason}; the database" if reason else "the database"
            raise StoreUnavailable(f"{why} is at schema version {version}, this software reads {LATEST_VERSION}")
        if reason is not None:
            log.error("store opened read-only: %s", reason)
        return conn
    if reason is None:
        raise StoreUnavailable(f"cannot read {path}: {last_error}") from last_error
    raise StoreUnavailable(f"{reason}; reading failed too: {last_error}") from last_error


def file_read_only_reason(path: Path) -> str | None:
    """Why this process cannot write ``path`` though SQLite opened it (it silently falls back to reading)."""
    if path.exists() and not os.access(path, os.W_OK):
        return "database file is read-only"
    return None


def rollback(conn: sqlite3.Connection) -> None:
    """Leave the connection usable after a failed statement (SQLite may already have rolled back)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.warning("rollback failed: %s", exc)


def switch_to_wal(conn: sqlite3.Connection, timeout_s: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """Set WAL mode, retrying for up to ``timeout_s``: on a new file two connections switching at once deadlock on
    the upgrade to an exclusive lock, and SQLite then answers SQLITE_BUSY at once instead of waiting (no busy
    handler). The reference hall's SQLite file uses it too."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.005)
    if mode != "wal":
        raise StoreError(f"cannot switch the database to WAL (journal_mode is {mode!r})")


def _read_version(conn: sqlite3.Connection) -> int:
    try:
        return schema_version(conn)
    except sqlite3.Error:
        conn.close()
        raise


class DiskGuard:
    """Keeps a reserve of free disk space: past it the kiosk stops taking citizen submissions.

    Enough space, once seen, is trusted for ``interval_s`` (a statfs under write load costs as much as a tenth
    of a durable enqueue); too little is re-checked every time, so service resumes as soon as space is freed.
    """

    def __init__(
        self, directory: Path, min_free_bytes: int, disk_usage: DiskUsage = shutil.disk_usage, interval_s: float = 2.0
    ) -> None:
        self._directory = directory
        self.min_free_bytes = int(min_free_bytes)
        self._disk_usage = disk_usage
        self._interval_s = float(interval_s)
        self._ok_since: float | None = None  # when enough free space was last seen

    def free_bytes(self) -> int:
        """Bytes free for ordinary users on the filesystem holding ``directory``."""
        return int(self._disk_usage(self._directory).free)

    def shortfall(self, now: float) -> int | None:
        """``None`` if the reserve is kept (or there is none); else the free bytes left, below the reserve."""
        if not self.min_free_bytes:
            return None
        seen = self._ok_since
        if seen is not None and seen <= now < seen + self._interval_s:
            return None
        free = self.free_bytes()
        self._ok_since = now if free >= self.min_free_bytes else None
        return None if free >= self.min_free_bytes else free


WRITE_POLL_S = 0.001  # how often a writer looks again for the write lock another connection holds


def execute_when_free(
    conn: sqlite3.Connection,
    sql: str,
    params: tuple | list = (),
    *,
    timeout_ms: int = BUSY_TIMEOUT_MS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[sqlite3.Cursor, float]:
    """Run ``sql`` (``BEGIN IMMEDIATE``, or a write statement in autocommit), which takes the write lock, looking
    again every :data:`WRITE_POLL_S` while another connection holds it, for up to ``timeout_ms``; return its
    cursor and how long it waited for the lock (0.0 when the lock was free). The caller
    sets the connection's ``busy_timeout`` to 0 first (:meth:`kiosk.store.core.ConnectionCore._wait_by_polling`),
    or SQLite's busy handler waits before this function sees the lock taken.

    Why not SQLite's busy handler: it looks again 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228 ms after the first
    try, so after a few misses its tries are 25 ms and more apart, and a clean-up in the other process whose
    batches come every ~25 ms (a batch, then a gap) can hold the lock at every one of them: a citizen's record
    waited 227 ms behind batches that each held the lock 24 ms at most (``bench scale``). Looking every
    millisecond, a writer gets in within a millisecond of a batch's end. Nothing has been written when the lock
    is refused, so the statement is simply run again.
    """
    try:
        return conn.execute(sql, params), 0.0
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
    started = clock()
    while True:
        sleep(WRITE_POLL_S)
        try:
            cursor = conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or clock() - started >= timeout_ms / 1000:
                raise
        else:
            return cursor, clock() - started


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY
