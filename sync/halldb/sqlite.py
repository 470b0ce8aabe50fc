"""The hall database in one SQLite file: the demo and a single instance (several instances on one machine work,
serialised by SQLite's write lock; production with several machines uses PostgreSQL)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from kiosk.store.connection import switch_to_wal
from sync.halldb.base import BadData, HallStore, Tx, Unavailable

T = TypeVar("T")


class SqliteTx:
    """:class:`~sync.halldb.base.Tx` over a sqlite3 connection."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        return [self._conn.execute(sql, row).fetchone() for row in rows]  # in-process: no round trips to save


class SqliteHallDB(HallStore):
    """The hall's store in a SQLite file (WAL; one writer connection and one reader, each behind a lock)."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._wlock, self._rlock = threading.Lock(), threading.Lock()
        self._w = self._connect()
        switch_to_wal(self._w, timeout_s=30)  # instances starting together on a new file: see its docstring
        self._w.execute("PRAGMA synchronous = FULL")  # an ack promises the row survives a power cut
        self.migrate()
        self._r = self._connect()
        self._r.execute("PRAGMA query_only = 1")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    def describe(self) -> str:
        return f"sqlite:{self.path}"

    def close(self) -> None:
        with self._wlock, self._rlock:
            self._w.close()
            self._r.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._wlock:
            self._w.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTx(self._w)
            except BaseException:
                self._w.execute("ROLLBACK")
                raise
            self._w.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        with self._rlock:
            yield SqliteTx(self._r)

    def atomic(self, fn: Callable[[Tx], T]) -> T:
        try:
            with self.transaction() as tx:
                return fn(tx)
        except (OverflowError, sqlite3.DataError) as exc:  # an integer beyond 64 bits, say
            raise BadData(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            if any(word in str(exc) for word in _TRANSIENT):
                raise Unavailable(f"{self.describe()}: {exc}") from exc
            raise  # a bug (bad SQL), not the weather


_TRANSIENT = ("locked", "busy", "disk I/O", "full", "unable to open")
