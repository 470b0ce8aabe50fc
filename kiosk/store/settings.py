"""Settings: small JSON values under string keys (versions, liveness, the booking ledger, counters of devices).

The two SQL helpers take an open connection, so a setting can change inside another write's transaction
(the booking ledger with its appointment row, :mod:`kiosk.store.citizen`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from kiosk.store.core import ConnectionCore
from kiosk.store.models import canonical_json


def read_setting(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    """The JSON value under ``key`` read on ``conn`` (inside the caller's transaction), or ``default``."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def write_setting(conn: sqlite3.Connection, key: str, value: Any, now: float) -> None:
    """Store ``value`` under ``key`` on ``conn`` (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, canonical_json(value), now),
    )


class SettingsReads(ConnectionCore):
    """Reading settings."""

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        with self._tx(write=False) as conn:
            return read_setting(conn, key, default)


class SettingsWrites(SettingsReads):
    """Writing settings."""

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under ``key``."""
        with self._tx(write=True) as conn:
            write_setting(conn, key, value, self._now())
