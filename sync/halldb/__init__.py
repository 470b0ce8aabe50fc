"""The hall's database: one interface (:class:`HallStore`), two backends, versioned migrations.

- ``sync/halldb/base.py``: :class:`HallStore`, everything the hall stores and asks, in SQL both backends speak;
- ``sync/halldb/sqlite.py``: one SQLite file (the demo, a single instance);
- ``sync/halldb/postgres.py``: PostgreSQL through psycopg 3 (production: any number of instances, one database);
- ``sync/halldb/migrations.py``: the schema, as numbered migrations per backend;
- ``sync/halldb/throwaway.py``: a private PostgreSQL server for tests and benchmarks.

:func:`open_db` picks the backend from the target: a ``postgresql://`` URL, else a file path.

Another module keeping tables in the hall database (attachments, say) uses the same store: it registers its
schema as its own component, ``db.migrate("materials", MATERIAL_MIGRATIONS)`` (``Migration`` s with SQL for each
of ``db.dialect`` ``sqlite`` and ``postgresql``), and runs its SQL (``?`` placeholders on both) in
``db.atomic(lambda tx: ...)`` (a write transaction, retried on a deadlock) or ``with db.reading() as tx:``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from sync.halldb.base import BadData, FleetRow, HallStore, StoreResult, Tx, Unavailable
from sync.halldb.migrations import HALL, HALL_MIGRATIONS, Migration, SchemaTooNew
from sync.halldb.sqlite import SqliteHallDB

__all__ = [
    "HALL",
    "HALL_MIGRATIONS",
    "BadData",
    "FleetRow",
    "HallStore",
    "Migration",
    "SchemaTooNew",
    "SqliteHallDB",
    "StoreResult",
    "Tx",
    "Unavailable",
    "is_url",
    "open_db",
]


def is_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def open_db(target: str | os.PathLike[str], *, clock: Callable[[], float] = time.time) -> HallStore:
    """The hall database at ``target`` (a ``postgresql://`` URL or a SQLite file path), migrated to this version."""
    if is_url(target):
        from sync.halldb.postgres import PostgresHallDB  # psycopg is loaded only by a hall that uses it

        return PostgresHallDB(str(target), clock=clock)
    return SqliteHallDB(Path(target), clock=clock)
