"""Every step of an update, reported to the hall as an outbox ``event`` row (``{"event": "update.<step>", …}``).

The sync agent delivers the rows like any other telemetry. Each event is first appended to a spool file in the
updater's state directory, then moved into the store, so nothing is lost when the store cannot take it right
now: the database does not exist yet, or its schema is not the one this code knows. The updater runs from the
slot it was started from, and during a trial the *new* version's services may have migrated the database; this
code must then neither open it (the store refuses a newer schema) nor migrate an older one as root. Spooled
events go in at the next chance with the keys they were given, so none is counted twice.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kiosk.atomicfile import write_atomic
from kiosk.store import Store, StoreError, new_key
from kiosk.store.migrations import LATEST_VERSION

log = logging.getLogger(__name__)

EVENT_PREFIX = "update."


def schema_version(db_path: Path) -> int | None:
    """The database's schema version read without writing anything (None: no database, or unreadable)."""
    if not Path(db_path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(str(db_path))}?mode=ro", uri=True, timeout=5.0)
        with closing(conn):
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        log.warning("cannot read the schema version of %s: %s", db_path, exc)
        return None


class Reporter:
    """Reports update steps of this kiosk into its store (through the spool file ``spool``)."""

    def __init__(
        self,
        db_path: Path,
        spool: Path,
        *,
        kiosk_id: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_path = Path(db_path)
        self.spool = Path(spool)
        self.kiosk_id = kiosk_id
        self._clock = clock

    def report(self, step: str, version: str | None, **fields: Any) -> dict[str, Any]:
        """Record one step (``available``, ``installed``, ``switched`` …) of the update to ``version``."""
        payload = {
            "event": EVENT_PREFIX + step,
            "version": version,
            "kiosk_id": self.kiosk_id,
            "at": self._clock(),
            **fields,
        }
        log.info("%s %s %s", payload["event"], version or "-", json.dumps(fields, ensure_ascii=False))
        self.spool.parent.mkdir(parents=True, exist_ok=True)
        with self.spool.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"key": new_key(), "payload": payload}, ensure_ascii=False) + "\n")
        self.flush()
        return payload

    def pending(self) -> list[dict[str, Any]]:
        """Events still in the spool (not yet in the store)."""
        try:
            lines = self.spool.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                log.warning("dropping a damaged line of %s", self.spool)  # a torn last line after a power cut
                continue
            if isinstance(entry, dict) and isinstance(entry.get("payload"), dict) and entry.get("key"):
                entries.append(entry)
        return entries

    def flush(self) -> int:
        """Move spooled events into the store when it is safe to open; how many went in."""
        entries = self.pending()
        if not entries:
            return 0
        version = schema_version(self.db_path)
        if version != LATEST_VERSION:
            log.info(
                "store at schema %s (this code: %s): %d update events wait in %s",
                version,
                LATEST_VERSION,
                len(entries),
                self.spool,
            )
            return 0
        try:
            with Store(self.db_path, clock=self._clock) as store:
                for entry in entries:
                    store.enqueue("event", entry["payload"], key=entry["key"])
        except StoreError as exc:
            log.warning("update events stay in %s: %s", self.spool, exc)
            return 0
        write_atomic(self.spool, b"")
        return len(entries)
