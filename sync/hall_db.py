"""The reference hall's SQLite database: messages stored once per key, kiosk state, fault state.

Several hall instances may share one file (WAL, busy timeout): the key is the primary key, so a message and its
resend stored by two instances is still one row (``copies`` counts how often it arrived). Every side effect of a
message (fault state, last heartbeat) is applied only when its row is new, and is written so the order of arrival
does not matter (events from one kiosk may reach two instances in either order).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    key TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    created_at REAL NOT NULL, received_at REAL NOT NULL, personal INTEGER NOT NULL, payload TEXT NOT NULL,
    copies INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS messages_kiosk_kind_seq ON messages (kiosk_id, kind, seq);
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY, key TEXT, kiosk_id TEXT, topic TEXT NOT NULL, error TEXT NOT NULL,
    raw BLOB NOT NULL, received_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id TEXT PRIMARY KEY, online INTEGER NOT NULL DEFAULT 0, status_at REAL NOT NULL DEFAULT 0,
    last_heartbeat REAL, backlog INTEGER, oldest_pending_age_s REAL, versions TEXT, last_seen REAL
);
CREATE TABLE IF NOT EXISTS faults (
    kiosk_id TEXT NOT NULL, fault_id INTEGER NOT NULL, code TEXT NOT NULL, device TEXT NOT NULL,
    severity TEXT NOT NULL, action_zh TEXT, action_en TEXT, raised_at REAL NOT NULL, cleared_at REAL,
    duration_s REAL, acked_at REAL, acked_by TEXT, PRIMARY KEY (kiosk_id, fault_id)
);
CREATE TABLE IF NOT EXISTS sent (
    msg_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, created_at REAL NOT NULL
);
"""

_INSERT = (
    "INSERT INTO messages (key, kiosk_id, kind, seq, created_at, received_at, personal, payload) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET copies = copies + 1 RETURNING copies"
)
_FAULT_UPSERT = """
INSERT INTO faults (kiosk_id, fault_id, code, device, severity, action_zh, action_en, raised_at, cleared_at,
                    duration_s, acked_at, acked_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (kiosk_id, fault_id) DO UPDATE SET
    cleared_at = COALESCE(excluded.cleared_at, faults.cleared_at),
    duration_s = COALESCE(excluded.duration_s, faults.duration_s),
    acked_at = COALESCE(faults.acked_at, excluded.acked_at),
    acked_by = COALESCE(faults.acked_by, excluded.acked_by)
"""


@dataclass(frozen=True)
class FleetRow:
    """One line of the fleet table."""

    kiosk_id: str
    online: bool
    last_heartbeat: float | None
    open_faults: tuple[str, ...]  # "code@device (severity)"
    backlog: int | None
    oldest_pending_age_s: float | None


class HallDB:
    """The hall's store. Thread-safe (one connection behind a lock)."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA busy_timeout = 30000")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")  # an ack promises the row survives a power cut
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._conn.execute(statement)
            self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def store(self, messages: Iterable[Mapping[str, Any]]) -> list[bool]:
        """Store valid uplink messages in one transaction; per message, whether it was new."""
        now = self._clock()
        fresh: list[bool] = []
        seen: set[str] = set()
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                for msg in messages:
                    row = conn.execute(
                        _INSERT,
                        (
                            msg["key"],
                            msg["kiosk_id"],
                            msg["kind"],
                            msg["seq"],
                            msg["created_at"],
                            now,
                            int(msg["personal"]),
                            json.dumps(msg["payload"], ensure_ascii=False, separators=(",", ":")),
                        ),
                    ).fetchone()
                    new = row[0] == 1
                    fresh.append(new)
                    seen.add(msg["kiosk_id"])
                    if new:
                        self._side_effects(conn, msg)
                conn.executemany(
                    "INSERT INTO kiosks (kiosk_id, last_seen) VALUES (?, ?) "
                    "ON CONFLICT (kiosk_id) DO UPDATE SET last_seen = max(COALESCE(last_seen, 0), excluded.last_seen)",
                    [(kiosk_id, now) for kiosk_id in sorted(seen)],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return fresh

    def _side_effects(self, conn: sqlite3.Connection, msg: Mapping[str, Any]) -> None:
        payload, kiosk = msg["payload"], msg["kiosk_id"]
        if msg["kind"] == "heartbeat":
            conn.execute(
                "INSERT INTO kiosks (kiosk_id, last_heartbeat, backlog, oldest_pending_age_s, versions) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kiosk_id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat, "
                "backlog = excluded.backlog, oldest_pending_age_s = excluded.oldest_pending_age_s, "
                "versions = excluded.versions WHERE COALESCE(kiosks.last_heartbeat, 0) <= excluded.last_heartbeat",
                (
                    kiosk,
                    msg["created_at"],
                    payload["outbox"]["depth"],
                    payload["outbox"]["oldest_pending_age_s"],
                    json.dumps(payload.get("versions", {})),
                ),
            )
        elif msg["kind"] == "fault":
            conn.execute(
                _FAULT_UPSERT,
                (
                    kiosk,
                    payload["fault_id"],
                    payload["code"],
                    payload["device"],
                    payload["severity"],
                    payload.get("action_zh"),
                    payload.get("action_en"),
                    payload["raised_at"],
                    payload["cleared_at"],
                    payload["duration_s"],
                    payload.get("acked_at"),
                    payload.get("acked_by"),
                ),
            )

    def quarantine(self, *, key: str | None, kiosk_id: str | None, topic: str, error: str, raw: bytes) -> None:
        """Keep an uplink message that failed validation, for a person to look at."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO quarantine (key, kiosk_id, topic, error, raw, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                (key, kiosk_id, topic, error, raw, self._clock()),
            )

    def set_status(self, kiosk_id: str, online: bool, at: float) -> None:
        """Record a kiosk's latest status. Arrival order decides, not ``at``: a last will is composed when the
        connection opens, before the "online" it later overrides."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO kiosks (kiosk_id, online, status_at) VALUES (?, ?, ?) ON CONFLICT (kiosk_id) DO UPDATE "
                "SET online = excluded.online, status_at = excluded.status_at",
                (kiosk_id, int(online), at),
            )

    def record_sent(self, msg_id: str, kiosk_id: str, kind: str, body: Mapping[str, Any]) -> None:
        """Log a downlink message the hall sent (not acks: there are too many)."""
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO sent (msg_id, kiosk_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?)",
                (msg_id, kiosk_id, kind, json.dumps(body, ensure_ascii=False), self._clock()),
            )

    # ---------------------------------------------------------------------------------------------- queries
    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def count(self, kind: str | None = None, kiosk_id: str | None = None) -> int:
        """Stored messages (each key once), optionally of one kind / kiosk."""
        sql, params = "SELECT count(*) FROM messages WHERE 1=1", []
        if kind is not None:
            sql, params = sql + " AND kind = ?", [*params, kind]
        if kiosk_id is not None:
            sql, params = sql + " AND kiosk_id = ?", [*params, kiosk_id]
        return int(self._rows(sql, tuple(params))[0][0])

    def keys(self, kind: str | None = None) -> list[str]:
        """Every stored key (of ``kind``)."""
        if kind is None:
            return [r[0] for r in self._rows("SELECT key FROM messages")]
        return [r[0] for r in self._rows("SELECT key FROM messages WHERE kind = ?", (kind,))]

    def copies(self) -> int:
        """How many messages arrived in total, duplicates included."""
        return int(self._rows("SELECT COALESCE(sum(copies), 0) FROM messages")[0][0])

    def messages(self, kind: str, kiosk_id: str | None = None) -> list[dict[str, Any]]:
        """Stored messages of ``kind`` in kiosk outbox order, payload parsed."""
        sql = "SELECT key, kiosk_id, seq, created_at, payload FROM messages WHERE kind = ?"
        params: tuple[Any, ...] = (kind,)
        if kiosk_id is not None:
            sql, params = sql + " AND kiosk_id = ?", (kind, kiosk_id)
        rows = self._rows(sql + " ORDER BY kiosk_id, seq", params)
        return [
            {"key": k, "kiosk_id": kid, "seq": s, "created_at": c, "payload": json.loads(p)} for k, kid, s, c, p in rows
        ]

    def quarantined(self) -> list[dict[str, Any]]:
        """Messages kept aside as invalid."""
        rows = self._rows("SELECT key, kiosk_id, topic, error FROM quarantine ORDER BY id")
        return [{"key": k, "kiosk_id": kid, "topic": t, "error": e} for k, kid, t, e in rows]

    def faults(self, kiosk_id: str | None = None, *, open_only: bool = False) -> list[dict[str, Any]]:
        """Fault state as reported by the kiosks."""
        sql = (
            "SELECT kiosk_id, fault_id, code, device, severity, raised_at, cleared_at, duration_s, acked_at, "
            "acked_by FROM faults WHERE 1=1"
        )
        params: list[Any] = []
        if kiosk_id is not None:
            sql, params = sql + " AND kiosk_id = ?", [kiosk_id]
        if open_only:
            sql += " AND cleared_at IS NULL"
        cols = (
            "kiosk_id",
            "fault_id",
            "code",
            "device",
            "severity",
            "raised_at",
            "cleared_at",
            "duration_s",
            "acked_at",
            "acked_by",
        )
        return [dict(zip(cols, r, strict=True)) for r in self._rows(sql + " ORDER BY raised_at", tuple(params))]

    def fleet(self) -> list[FleetRow]:
        """One row per kiosk ever heard of."""
        rows = self._rows(
            "SELECT kiosk_id, online, last_heartbeat, backlog, oldest_pending_age_s FROM kiosks ORDER BY kiosk_id"
        )
        open_faults: dict[str, list[str]] = {}
        for f in self.faults(open_only=True):
            where = f"@{f['device']}" if f["device"] else ""
            open_faults.setdefault(f["kiosk_id"], []).append(f"{f['code']}{where} ({f['severity']})")
        return [
            FleetRow(k, bool(on), hb, tuple(open_faults.get(k, ())), backlog, age) for k, on, hb, backlog, age in rows
        ]
