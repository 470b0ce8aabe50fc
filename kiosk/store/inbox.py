"""The inbox: downlink messages from the hall, idempotent on ``msg_id``, and the result of handling each."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from kiosk.store.core import ConnectionCore
from kiosk.store.models import InboxEntry, canonical_json

log = logging.getLogger(__name__)

_INBOX_COLUMNS = "msg_id, kind, payload, received_at, done_at, result"


class InboxRecords(ConnectionCore):
    """Receiving and handling downlink messages."""

    def inbox_put(self, msg_id: str, kind: str, payload: dict) -> bool:
        """Store a downlink message; False if ``msg_id`` was already received (duplicate delivery)."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "INSERT INTO inbox (msg_id, kind, payload, received_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (msg_id) DO NOTHING",
                (msg_id, kind, canonical_json(payload), self._now()),
            )
        return cursor.rowcount == 1

    def inbox_get(self, msg_id: str) -> InboxEntry | None:
        """The downlink message ``msg_id``, handled or not."""
        with self._tx(write=False) as conn:
            row = conn.execute(f"SELECT {_INBOX_COLUMNS} FROM inbox WHERE msg_id = ?", (msg_id,)).fetchone()
        return None if row is None else InboxEntry.from_row(row)

    def inbox_pending(self, kinds: Iterable[str] | None = None) -> list[InboxEntry]:
        """Messages not yet handled, in arrival order."""
        sql = f"SELECT {_INBOX_COLUMNS} FROM inbox WHERE done_at IS NULL"
        params: list[str] = []
        if kinds is not None:
            params = list(kinds)
            sql += f" AND kind IN ({', '.join('?' * len(params))})"
        with self._tx(write=False) as conn:
            rows = conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [InboxEntry.from_row(row) for row in rows]

    def inbox_done(self, msg_id: str, result: dict) -> None:
        """Record that ``msg_id`` was handled, with its result (the first result recorded wins)."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE inbox SET done_at = ?, result = ? WHERE msg_id = ? AND done_at IS NULL",
                (self._now(), canonical_json(result), msg_id),
            )
        if cursor.rowcount == 0:
            log.warning("inbox_done for unknown or already handled message %s", msg_id)
