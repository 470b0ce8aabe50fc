"""Read-only queries on the kiosk database, safe beside the running shell and agent (and on a read-only disk).

The few figures the CLI needs that the store has no method for (last confirmation, unsent personal rows, the
shell's liveness) are read here with plain SQL on a ``mode=ro`` connection, which can never write or migrate.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

BUSY_TIMEOUT_S = 5.0  # the agent may hold the write lock for a moment


def query_one(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The first row of ``sql`` on the database at ``db_path`` (which must exist)."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    conn = sqlite3.connect(f"file:{quote(str(db_path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    with closing(conn):
        return conn.execute(sql, params).fetchone()
