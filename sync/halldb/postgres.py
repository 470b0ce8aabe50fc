"""The hall database on PostgreSQL (psycopg 3): production, any number of hall instances on any machines.

Every instance writes through its own connection; ``(kiosk_id, key)`` is the primary key, so a message stored by
two instances at once is one row (the second insert waits for the first to commit and counts a copy). Batches
take row locks in one order (kiosk, key) and a deadlock is retried anyway. Schema changes run under an advisory
lock, so instances starting together migrate once. Rows go over in a pipeline (one round trip a batch).
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
from psycopg import errors

from sync.halldb.base import BadData, HallStore, Tx, Unavailable
from sync.halldb.migrations import Migration

log = logging.getLogger(__name__)
T = TypeVar("T")

_MIGRATION_LOCK = 0x6B696F736B  # pg_advisory_xact_lock key of the hall's schema changes ("kiosk")
_ATTEMPTS = 5


@functools.lru_cache(maxsize=256)
def _pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (the hall's SQL has no other ``?`` or ``%``)."""
    return sql.replace("?", "%s")


class PgTx:
    """:class:`~sync.halldb.base.Tx` over a psycopg connection."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self._conn.execute(_pg(sql), params or None)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(_pg(sql), rows)

    def returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        if not rows:
            return out
        with self._conn.cursor() as cur:
            cur.executemany(_pg(sql), rows, returning=True)
            while True:
                out.append(cur.fetchone())  # type: ignore[arg-type]
                if not cur.nextset():
                    break
        return out


class PostgresHallDB(HallStore):
    """The hall's store in a PostgreSQL database given by a libpq URL (``postgresql://user@host:port/db``; a
    password is better kept in ``~/.pgpass`` or ``PGPASSWORD`` than on a command line)."""

    dialect = "postgresql"
    sorted_writes = True

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time, connect_timeout_s: int = 10) -> None:
        super().__init__(clock)
        self._url = url
        self._timeout = connect_timeout_s
        self._wlock, self._rlock = threading.Lock(), threading.Lock()
        self._w: psycopg.Connection[Any] | None = None
        self._r: psycopg.Connection[Any] | None = None
        self.migrate()

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(
                self._url, autocommit=True, connect_timeout=self._timeout, application_name="kiosk-hall"
            )
        except psycopg.OperationalError as exc:
            raise Unavailable(f"{self.describe()}: {exc}".strip()) from exc

    def describe(self) -> str:
        try:
            info = psycopg.conninfo.conninfo_to_dict(self._url)
        except psycopg.ProgrammingError:
            return "postgresql:(unreadable URL)"
        where = f"{info.get('host', '')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
        return f"postgresql://{info.get('user', '')}@{where}"

    def close(self) -> None:
        with self._wlock, self._rlock:
            for conn in (self._w, self._r):
                if conn is not None:
                    conn.close()
            self._w = self._r = None

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._wlock:
            if self._w is None or self._w.closed or self._w.broken:
                self._w = self._connect()
            with self._w.transaction():
                yield PgTx(self._w)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        with self._rlock:
            if self._r is None or self._r.closed or self._r.broken:
                self._r = self._connect()
            try:
                yield PgTx(self._r)
            except psycopg.OperationalError as exc:
                self._r.close()
                raise Unavailable(f"{self.describe()}: {exc}") from exc

    def atomic(self, fn: Callable[[Tx], T]) -> T:
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                with self.transaction() as tx:
                    return fn(tx)
            except errors.TransactionRollback as exc:  # a deadlock or serialisation failure: nothing was written
                if attempt == _ATTEMPTS:
                    raise Unavailable(f"{self.describe()}: {exc}") from exc
                log.info("%s: %s; trying again (%d)", self.describe(), type(exc).__name__, attempt)
                time.sleep(random.uniform(0.0, 0.01 * attempt))
            except psycopg.DataError as exc:
                raise BadData(str(exc).splitlines()[0]) from exc
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                # The connection went (a server restart, the network): once more on a new one, then give up.
                with self._wlock:
                    if self._w is not None:
                        self._w.close()
                    self._w = None
                if attempt >= 2:
                    raise Unavailable(f"{self.describe()}: {exc}".strip()) from exc
        raise AssertionError("unreachable")

    def _migrate(self, tx: Tx, component: str, steps: Sequence[Migration]) -> list[int]:
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))  # instances starting together: one at a time
        return super()._migrate(tx, component, steps)
