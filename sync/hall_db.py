"""Moved to the package ``sync.halldb`` (SQLite and PostgreSQL backends, migrations); these names stay for code
written against the single SQLite module: ``HallDB(path)`` is the SQLite backend."""

from sync.halldb import FleetRow, HallStore, open_db
from sync.halldb.sqlite import SqliteHallDB as HallDB

__all__ = ["FleetRow", "HallDB", "HallStore", "open_db"]
