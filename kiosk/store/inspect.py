"""Read-only inspection and export of a kiosk database (for the technician CLI), built on sqlite-utils.

These open the file read-only (``mode=ro``), so they work beside the running UI and sync agent, and on a
database whose disk has gone read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

import sqlite_utils

from kiosk.store.connection import BUSY_TIMEOUT_MS


def open_for_inspection(db_path: Path) -> sqlite_utils.Database:
    """A sqlite-utils ``Database`` on ``db_path`` that cannot write; raises ``FileNotFoundError`` if missing."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    conn = sqlite3.connect(f"file:{quote(str(db_path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    # No plugins: the technician's machine may have sqlite-utils plugins installed that we did not vet.
    return sqlite_utils.Database(conn, execute_plugins=False)


def table_counts(db_path: Path) -> dict[str, int]:
    """Rows per table (SQLite's internal tables excluded), e.g. ``{"outbox": 120, "faults": 3, ...}``."""
    db = open_for_inspection(db_path)
    with closing(db.conn):
        return {name: db.table(name).count for name in db.table_names() if not name.startswith("sqlite_")}


def export_outbox_jsonl(db_path: Path, out: TextIO | Path, *, states: Iterable[str] = ("pending",)) -> int:
    """Write outbox entries in ``states`` as JSON Lines, oldest first; return how many.

    One object per line: ``seq, key, kind, state, created_at, attempts, last_attempt_at, confirmed_at,
    personal, payload`` (the payload parsed, so the line is plain JSON; Chinese stays readable UTF-8).
    """
    states = list(states)
    db = open_for_inspection(db_path)
    with closing(db.conn):
        rows = db.table("outbox").rows_where(
            f"state IN ({', '.join('?' * len(states))})",
            states,
            order_by="seq",
            select="seq, key, kind, state, created_at, attempts, last_attempt_at, confirmed_at, personal, payload",
        )
        if isinstance(out, Path):
            with out.open("w", encoding="utf-8") as handle:
                return _write_lines(rows, handle)
        return _write_lines(rows, out)


def _write_lines(rows: Iterable[dict], out: TextIO) -> int:
    count = 0
    for row in rows:
        row["payload"] = json.loads(row["payload"])
        row["personal"] = bool(row["personal"])
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
