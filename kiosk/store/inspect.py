"""The read-only inspection API: what the technician CLI and the tests read from a kiosk database.

:class:`Inspector` opens the file with the one read-only open (:func:`kiosk.store.connection.open_read_only`),
so it works beside the running UI and sync agent and on a disk gone read-only, and it can never write or
migrate. It shares the store's own read methods (outbox, settings, device status, faults) and adds the figures
only a technician asks for: the last confirmation, personal rows on disk, ``quick_check``, table counts and
the outbox as JSON Lines.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk.store.attachments import AttachmentReads
from kiosk.store.connection import open_read_only
from kiosk.store.health_records import HealthReads
from kiosk.store.models import STATE_PENDING
from kiosk.store.outbox import CONFIRMED_KINDS, OLDEST_PENDING, OutboxReads, outbox_counts
from kiosk.store.settings import SettingsReads

if TYPE_CHECKING:
    from kiosk.config import Config

# The newest confirmation: the last entry of each kind in the outbox_confirmed index.
LAST_CONFIRMED = (
    f"SELECT max((SELECT max(confirmed_at) FROM outbox WHERE state = 'confirmed' AND kind = c.kind)) "
    f"FROM ({CONFIRMED_KINDS}) AS c"
)
_EXPORT_COLUMNS = "seq, key, kind, state, created_at, attempts, last_attempt_at, confirmed_at, personal, payload"


@dataclass(frozen=True)
class PersonalRows:
    """Rows whose personal payload is still on disk, and how many of them the hall has not confirmed."""

    on_disk: int
    unsent: int


class Inspector(OutboxReads, SettingsReads, HealthReads, AttachmentReads):
    """A kiosk database opened read-only. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        """Open ``path`` read-only; ``FileNotFoundError`` if there is no database there, ``StoreUnavailable``
        if it cannot be read or its schema is not this software's."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no database at {path}")
        super().__init__(path, open_read_only(path), clock=clock, read_only_reason="opened for inspection")

    @classmethod
    def from_config(cls, config: Config, *, clock: Callable[[], float] = time.time) -> Inspector:
        """The database at ``config.db_path``, read-only."""
        return cls(config.db_path, clock=clock)

    def last_confirmed(self) -> float | None:
        """When the hall last acknowledged an outbox row (None: never, or every such row is gone)."""
        return self._one(LAST_CONFIRMED)

    def oldest_pending(self) -> float | None:
        """When the oldest row still waiting for the hall was made (None: nothing pending)."""
        return self._one(OLDEST_PENDING)

    def personal_rows(self) -> PersonalRows:
        """Rows with personal data on disk (not purged), and how many of them are still pending."""
        with self._tx(write=False) as conn:
            counts = outbox_counts(conn)
        unsent = sum(personal for (_, state), (_, personal) in counts.items() if state == STATE_PENDING)
        return PersonalRows(sum(personal for _, personal in counts.values()), unsent)

    def quick_check(self) -> str:
        """SQLite's ``PRAGMA quick_check``: "ok", or the problems found, one per line."""
        return self._check("quick_check")

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` (slower, also checks indexes against tables): "ok" or problems."""
        return self._check("integrity_check")

    def _check(self, pragma: str) -> str:
        with self._tx(write=False) as conn:
            return "\n".join(str(row[0]) for row in conn.execute(f"PRAGMA {pragma}").fetchall())

    def table_counts(self) -> dict[str, int]:
        """Rows per table (SQLite's internal tables excluded), e.g. ``{"outbox": 120, "faults": 3, ...}``."""
        with self._tx(write=False) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}

    def export_outbox_jsonl(self, out: TextIO | Path, *, states: Iterable[str] = ("pending",)) -> int:
        """Write outbox entries in ``states`` as JSON Lines, oldest first; return how many.

        One object per line: ``seq, key, kind, state, created_at, attempts, last_attempt_at, confirmed_at,
        personal, payload`` (the payload parsed, so the line is plain JSON; Chinese stays readable UTF-8).
        """
        if isinstance(out, Path):
            with out.open("w", encoding="utf-8") as handle:
                return self.export_outbox_jsonl(handle, states=states)
        count = 0
        for row in self._rows_in(list(states)):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count

    def _rows_in(self, states: list[str]) -> Iterator[dict]:
        names = [name.strip() for name in _EXPORT_COLUMNS.split(",")]
        with self._tx(write=False) as conn:
            marks = ", ".join("?" * len(states))
            # outbox_all: the staged rows too (pending), in one seq order with the rest
            sql = f"SELECT {_EXPORT_COLUMNS} FROM outbox_all WHERE state IN ({marks}) ORDER BY seq"
            rows = conn.execute(sql, states).fetchall()
        for values in rows:
            row = dict(zip(names, values, strict=True))
            row["payload"] = json.loads(row["payload"])
            row["personal"] = bool(row["personal"])
            yield row

    def _one(self, sql: str) -> float | None:
        with self._tx(write=False) as conn:
            return conn.execute(sql).fetchone()[0]
