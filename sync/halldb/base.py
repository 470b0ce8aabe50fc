"""What every hall database does, written once in SQL both backends speak; the backends only connect and run it.

SQL here uses ``?`` placeholders; a backend translates them. Write paths go through :meth:`HallStore.atomic`,
which a backend retries when the database asks for it (a PostgreSQL deadlock between two instances).

Keys are unique per kiosk (issue 12.3): ``(kiosk_id, key)``, where the kiosk id is the one the broker vouched
for (the topic), so no kiosk can make another's message look like a duplicate.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sync.halldb import migrations
from sync.halldb.migrations import Migration

log = logging.getLogger(__name__)
T = TypeVar("T")


class Cursor(Protocol):
    """The part of a DB-API cursor the hall reads."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """One open transaction (or, for reads, one connection), with ``?`` placeholders on both backends.

    This is also what another module storing its own tables in the hall database gets from
    :meth:`HallStore.atomic` / :meth:`HallStore.transaction` (see ``dialect`` where the SQL must differ).
    """

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Run an ``INSERT ... RETURNING`` once per row; the first returned row of each."""
        ...


class BadData(ValueError):
    """The database refused a value (an integer beyond 64 bits, say): that message, not the database, is at fault."""


class Unavailable(ConnectionError):
    """The database cannot be reached now; nothing was written."""


@dataclass(frozen=True)
class FleetRow:
    """One line of the fleet table. ``backlog`` is an estimate for now: what the kiosk's last heartbeat reported
    pending, less what the hall has received of it since; ``oldest_pending_age_s`` is aged to now likewise.
    ``backlog_reported`` is the heartbeat's own figure."""

    kiosk_id: str
    online: bool
    last_heartbeat: float | None
    open_faults: tuple[str, ...]  # "code@device (severity)"
    backlog: int | None
    oldest_pending_age_s: float | None
    backlog_reported: int | None = None


@dataclass
class StoreResult:
    """What :meth:`HallStore.store` did, per message in the order given."""

    fresh: list[bool] = field(default_factory=list)  # stored for the first time (False: a duplicate, or refused)
    refused: dict[int, str] = field(default_factory=dict)  # index -> why the database refused it (quarantined)

    @property
    def stored(self) -> int:
        return sum(self.fresh)

    @property
    def duplicates(self) -> int:
        return len(self.fresh) - self.stored - len(self.refused)


_INSERT = (
    "INSERT INTO messages (kiosk_id, key, kind, seq, created_at, received_at, last_received_at, personal, payload, "
    "reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, key) DO UPDATE SET "
    "copies = messages.copies + 1, "
    "last_received_at = excluded.last_received_at RETURNING copies"
)
_HEARTBEAT = (
    "INSERT INTO kiosks (kiosk_id, last_heartbeat, backlog, oldest_pending_age_s, versions, heartbeat_seq, "
    "heartbeat_hall_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id) DO UPDATE SET "
    "last_heartbeat = excluded.last_heartbeat, backlog = excluded.backlog, "
    "oldest_pending_age_s = excluded.oldest_pending_age_s, versions = excluded.versions, "
    "heartbeat_seq = excluded.heartbeat_seq, heartbeat_hall_at = excluded.heartbeat_hall_at "
    "WHERE COALESCE(kiosks.last_heartbeat, 0) <= excluded.last_heartbeat"
)
_FAULT = (
    "INSERT INTO faults (kiosk_id, fault_id, code, device, severity, action_zh, action_en, raised_at, cleared_at, "
    "duration_s, acked_at, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (kiosk_id, fault_id) DO UPDATE SET "
    "cleared_at = COALESCE(excluded.cleared_at, faults.cleared_at), "
    "duration_s = COALESCE(excluded.duration_s, faults.duration_s), "
    "acked_at = COALESCE(faults.acked_at, excluded.acked_at), acked_by = COALESCE(faults.acked_by, excluded.acked_by)"
)
# A kiosk heard of for the first time gets its row; an existing row is neither written nor locked (every batch of
# every instance names most kiosks: an update here made them all wait on each other's commits).
_KNOWN = "INSERT INTO kiosks (kiosk_id) VALUES (?) ON CONFLICT (kiosk_id) DO NOTHING"
# Per kiosk, the messages composed before its last heartbeat (lower seq) that the hall took after the kiosk composed
# it, or shortly before (their acks were on their way): they were pending on the kiosk when it counted its backlog.
ACK_IN_FLIGHT_S = 2.0
_FLEET = f"""
SELECT k.kiosk_id, k.online, k.last_heartbeat, k.backlog, k.oldest_pending_age_s, k.heartbeat_hall_at,
       d.n, d.oldest, d.newest
FROM kiosks k LEFT JOIN (
    SELECT m.kiosk_id, count(*) AS n, min(m.created_at) AS oldest, max(m.created_at) AS newest
    FROM messages m JOIN kiosks h ON h.kiosk_id = m.kiosk_id
    WHERE m.last_received_at >= h.heartbeat_hall_at - {ACK_IN_FLIGHT_S} AND m.seq < h.heartbeat_seq
    GROUP BY m.kiosk_id
) d ON d.kiosk_id = k.kiosk_id
ORDER BY k.kiosk_id
"""
_FAULT_COLUMNS = (
    "kiosk_id", "fault_id", "code", "device", "severity", "raised_at", "cleared_at", "duration_s", "acked_at",
    "acked_by",
)  # fmt: skip


def _text(value: str | None) -> str | None:
    """Text as PostgreSQL can hold it (no NUL), for what a broken message brings along into the quarantine."""
    return None if value is None else value.replace("\x00", "\\x00")


class HallStore:
    """The hall's store: messages once per (kiosk, key), kiosk and fault state, quarantine, sent downlink.

    Thread-safe. A backend provides :meth:`transaction` (one write transaction), :meth:`reading` (a connection
    for queries), :meth:`atomic` (a transaction retried when the database asks) and :meth:`close`.
    """

    dialect = ""
    # Take row locks in one order (kiosk, key) in every instance, so two transactions never wait on each other in a
    # ring. SQLite has one writer at a time and keeps the arrival order instead (its rowid shows it).
    sorted_writes = False

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    # ------------------------------------------------------------------------------------------- backend
    def transaction(self) -> AbstractContextManager[Tx]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        raise NotImplementedError

    def reading(self) -> AbstractContextManager[Tx]:
        """A connection for queries (autocommit; never blocks the writers)."""
        raise NotImplementedError

    def atomic(self, fn: Callable[[Tx], T]) -> T:
        """``fn(tx)`` in a write transaction, run again from the start when the database asks (a deadlock).
        Raises :class:`BadData` or :class:`Unavailable`."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connections."""
        raise NotImplementedError

    def describe(self) -> str:
        """Where the data is, for logs (no password)."""
        raise NotImplementedError

    # ----------------------------------------------------------------------------------------- migrations
    def migrate(
        self, component: str = migrations.HALL, steps: Sequence[Migration] = migrations.HALL_MIGRATIONS
    ) -> list[int]:
        """Bring ``component``'s tables up to date; the versions applied now. Safe to run from every instance."""
        ran = self.atomic(lambda tx: self._migrate(tx, component, steps))
        if ran:
            log.info("%s: %s schema migrated to version %d (%s)", self.describe(), component, len(steps), ran)
        return ran

    def _migrate(self, tx: Tx, component: str, steps: Sequence[Migration]) -> list[int]:
        return migrations.apply(tx, component, steps, self._clock())

    def schema_versions(self) -> dict[str, int]:
        """The newest version applied, per component."""
        with self.reading() as tx:
            rows = tx.execute("SELECT component, max(version) FROM schema_migrations GROUP BY component").fetchall()
        return {c: int(v) for c, v in rows}

    # ------------------------------------------------------------------------------------------- writing
    def store(self, items: Iterable[tuple[str, Mapping[str, Any]]]) -> StoreResult:
        """Store valid uplink messages in one transaction: ``(kiosk_id, message)`` with the kiosk id the broker
        vouched for (the topic's). Side effects (fault state, heartbeat) only for new rows. A message the database
        refuses is quarantined and reported in ``refused``; the others are stored all the same."""
        batch = list(items)
        if not batch:
            return StoreResult()
        try:
            return StoreResult(self.atomic(lambda tx: self._store(tx, batch)))
        except BadData:
            pass
        result = StoreResult()  # someone sent a value the database cannot hold: find it, keep the rest
        for i, item in enumerate(batch):
            try:
                result.fresh += self.atomic(lambda tx, item=item: self._store(tx, [item]))  # type: ignore[misc]
            except BadData as exc:
                kiosk_id, msg = item
                why = f"the hall's database refused it: {exc}"
                raw = json.dumps(msg, ensure_ascii=False, default=str).encode()
                self.quarantine(key=str(msg.get("key")), kiosk_id=kiosk_id, topic="store", error=why, raw=raw)
                result.fresh.append(False)
                result.refused[i] = why
        return result

    def _store(self, tx: Tx, batch: Sequence[tuple[str, Mapping[str, Any]]]) -> list[bool]:
        now = self._clock()
        order = list(range(len(batch)))
        if self.sorted_writes:
            order.sort(key=lambda i: (batch[i][0], batch[i][1]["key"]))
        rows = []
        for i in order:
            kiosk_id, msg = batch[i]
            payload = json.dumps(msg["payload"], ensure_ascii=False, separators=(",", ":"))
            reference = msg["payload"].get("reference") if isinstance(msg["payload"], Mapping) else None
            rows.append(
                (
                    kiosk_id,
                    msg["key"],
                    msg["kind"],
                    msg["seq"],
                    msg["created_at"],
                    now,
                    now,
                    int(msg["personal"]),
                    payload,
                    _text(reference) if isinstance(reference, str) else None,  # a citizen record's, to look it up by
                )
            )
        fresh = [False] * len(batch)
        for i, (copies,) in zip(order, tx.returning(_INSERT, rows), strict=True):
            fresh[i] = copies == 1
        heartbeats, faults = [], []
        for i in order:
            if not fresh[i]:
                continue
            kiosk_id, msg = batch[i]
            if msg["kind"] == "heartbeat":
                heartbeats.append(self._heartbeat_row(kiosk_id, msg, now))
            elif msg["kind"] == "fault":
                faults.append(_fault_row(kiosk_id, msg["payload"]))
        # Rows in one order in every transaction: messages (above), kiosks, faults; each sorted.
        tx.executemany(_KNOWN, [(k,) for k in sorted({kiosk for kiosk, _ in batch})])
        if heartbeats:
            tx.executemany(_HEARTBEAT, sorted(heartbeats, key=lambda r: (r[0], r[1])))
        if faults:
            tx.executemany(_FAULT, sorted(faults, key=lambda r: (r[0], r[1])))
        return fresh

    @staticmethod
    def _heartbeat_row(kiosk_id: str, msg: Mapping[str, Any], now: float) -> tuple[Any, ...]:
        outbox = msg["payload"]["outbox"]
        # When the kiosk counted its backlog, on the hall's clock: its clock's offset is read off this very copy
        # (sent at sent_at, here now), so a kiosk clock that is off does not matter, only the transit time.
        hall_at = msg["created_at"] + (now - msg["sent_at"])
        versions = json.dumps(msg["payload"].get("versions", {}))
        return (
            kiosk_id,
            msg["created_at"],
            outbox["depth"],
            outbox["oldest_pending_age_s"],
            versions,
            msg["seq"],
            hall_at,
        )

    def quarantine(self, *, key: str | None, kiosk_id: str | None, topic: str, error: str, raw: bytes) -> None:
        """Keep an uplink message that failed validation, for a person to look at."""
        row = (_text(key), _text(kiosk_id), _text(topic), _text(error), bytes(raw), self._clock())
        self.atomic(
            lambda tx: tx.execute(
                "INSERT INTO quarantine (key, kiosk_id, topic, error, raw, received_at) VALUES (?, ?, ?, ?, ?, ?)", row
            )
        )

    def set_status(self, kiosk_id: str, online: bool, at: float) -> None:
        """Record a kiosk's latest status. Arrival order decides, not ``at``: a last will is composed when the
        connection opens, before the "online" it later overrides."""
        self.atomic(
            lambda tx: tx.execute(
                "INSERT INTO kiosks (kiosk_id, online, status_at) VALUES (?, ?, ?) ON CONFLICT (kiosk_id) DO UPDATE "
                "SET online = excluded.online, status_at = excluded.status_at",
                (_text(kiosk_id), int(online), at),
            )
        )

    def record_sent(self, msg_id: str, kiosk_id: str, kind: str, body: Mapping[str, Any]) -> None:
        """Log a downlink message the hall sent (not acks: there are too many)."""
        row = (msg_id, kiosk_id, kind, json.dumps(body, ensure_ascii=False), self._clock())
        self.atomic(
            lambda tx: tx.execute(
                "INSERT INTO sent (msg_id, kiosk_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (msg_id) DO NOTHING",
                row,
            )
        )

    # ------------------------------------------------------------------------------------------- queries
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.reading() as tx:
            return [tuple(r) for r in tx.execute(sql, params).fetchall()]

    @staticmethod
    def _where(kind: str | None, kiosk_id: str | None) -> tuple[str, list[Any]]:
        sql, params = " WHERE 1=1", []
        if kind is not None:
            sql, params = sql + " AND kind = ?", [*params, kind]
        if kiosk_id is not None:
            sql, params = sql + " AND kiosk_id = ?", [*params, kiosk_id]
        return sql, params

    def count(self, kind: str | None = None, kiosk_id: str | None = None) -> int:
        """Stored messages (each (kiosk, key) once), optionally of one kind / kiosk."""
        where, params = self._where(kind, kiosk_id)
        return int(self._rows("SELECT count(*) FROM messages" + where, params)[0][0])

    def keys(self, kind: str | None = None, kiosk_id: str | None = None) -> list[str]:
        """Every stored key (of ``kind``, of ``kiosk_id``); a key two kiosks used appears twice."""
        where, params = self._where(kind, kiosk_id)
        return [r[0] for r in self._rows("SELECT key FROM messages" + where, params)]

    def copies(self) -> int:
        """How many messages arrived in total, duplicates included."""
        return int(self._rows("SELECT COALESCE(sum(copies), 0) FROM messages")[0][0])

    def messages(self, kind: str, kiosk_id: str | None = None, *, since: float | None = None) -> list[dict[str, Any]]:
        """Stored messages of ``kind`` in kiosk outbox order, payload parsed (``since``: last received then or
        later, on the hall's clock)."""
        where, params = self._where(kind, kiosk_id)
        if since is not None:
            where, params = where + " AND last_received_at >= ?", [*params, since]
        rows = self._rows(
            "SELECT key, kiosk_id, seq, created_at, payload FROM messages" + where + " ORDER BY kiosk_id, seq", params
        )
        return [
            {"key": k, "kiosk_id": kid, "seq": s, "created_at": c, "payload": json.loads(p)} for k, kid, s, c, p in rows
        ]

    def submissions(self, *, reference: str | None = None, key: str | None = None) -> list[dict[str, Any]]:
        """Stored submissions with this reference (printed on the receipt) or this outbox key (of any kiosk), in
        the order they arrived; each as :meth:`messages` gives it, with ``received_at``."""
        column, value = ("reference", reference) if reference is not None else ("key", key)
        rows = self._rows(
            "SELECT key, kiosk_id, seq, created_at, payload, received_at FROM messages "
            f"WHERE kind = 'submission' AND {column} = ? ORDER BY received_at, kiosk_id",
            (value,),
        )
        return [
            {"key": k, "kiosk_id": kid, "seq": s, "created_at": c, "payload": json.loads(p), "received_at": r}
            for k, kid, s, c, p, r in rows
        ]

    def command_result(self, msg_id: str, kiosk_id: str, *, since: float = 0.0) -> dict[str, Any] | None:
        """The kiosk's answer to downlink ``msg_id`` (a ``command_result`` payload), if it has arrived."""
        for row in self.messages("command_result", kiosk_id, since=since):
            if row["payload"].get("msg_id") == msg_id:
                return row["payload"]
        return None

    def quarantined(self) -> list[dict[str, Any]]:
        """Messages kept aside as invalid."""
        rows = self._rows("SELECT key, kiosk_id, topic, error FROM quarantine ORDER BY id")
        return [{"key": k, "kiosk_id": kid, "topic": t, "error": e} for k, kid, t, e in rows]

    def quarantine_count(self) -> int:
        """How many messages are in quarantine."""
        return int(self._rows("SELECT count(*) FROM quarantine")[0][0])

    def faults(self, kiosk_id: str | None = None, *, open_only: bool = False) -> list[dict[str, Any]]:
        """Fault state as reported by the kiosks."""
        where, params = self._where(None, kiosk_id)
        if open_only:
            where += " AND cleared_at IS NULL"
        sql = f"SELECT {', '.join(_FAULT_COLUMNS)} FROM faults{where} ORDER BY raised_at, kiosk_id, fault_id"
        return [dict(zip(_FAULT_COLUMNS, r, strict=True)) for r in self._rows(sql, params)]

    def open_fault_counts(self) -> dict[tuple[str, str], int]:
        """Open faults across the fleet by (code, severity)."""
        rows = self._rows(
            "SELECT code, severity, count(*) FROM faults WHERE cleared_at IS NULL GROUP BY code, severity"
        )
        return {(c, s): int(n) for c, s, n in rows}

    def fleet(self) -> list[FleetRow]:
        """One row per kiosk ever heard of, with its backlog estimated for now."""
        now = self._clock()
        open_faults: dict[str, list[str]] = {}
        for f in self.faults(open_only=True):
            where = f"@{f['device']}" if f["device"] else ""
            open_faults.setdefault(f["kiosk_id"], []).append(f"{f['code']}{where} ({f['severity']})")
        out = []
        for kiosk_id, online, hb, reported, age, hall_at, n, oldest, newest in self._rows(_FLEET):
            backlog, age_now = _backlog_now(now, hb, reported, age, hall_at, n, oldest, newest)
            out.append(
                FleetRow(kiosk_id, bool(online), hb, tuple(open_faults.get(kiosk_id, ())), backlog, age_now, reported)
            )
        return out


def _fault_row(kiosk_id: str, p: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        kiosk_id, p["fault_id"], p["code"], p["device"], p["severity"], p.get("action_zh"), p.get("action_en"),
        p["raised_at"], p["cleared_at"], p["duration_s"], p.get("acked_at"), p.get("acked_by"),
    )  # fmt: skip


def _backlog_now(
    now: float,
    heartbeat: float | None,
    reported: int | None,
    age: float | None,
    hall_at: float | None,
    arrived: int | None,
    oldest: float | None,
    newest: float | None,
) -> tuple[int | None, float | None]:
    """The backlog a heartbeat reported, less what has arrived of it since, and its oldest row's age now.

    ``arrived`` messages composed before the heartbeat reached the hall after it was composed, or up to
    ``ACK_IN_FLIGHT_S`` before (their acks had not reached the kiosk when it counted: the hall takes a row, commits,
    then acks); they were created between ``oldest`` and ``newest`` (kiosk clock). When the heartbeat's oldest
    pending row is among them, the oldest left is taken to be newer than all of them (a kiosk sends its outbox
    oldest first). A kiosk busy delivering may so show a little less than it holds, never one that delivers
    nothing: its count stays until its next heartbeat.
    """
    if reported is None or heartbeat is None or hall_at is None:
        return reported, age
    left = max(0, reported - (arrived or 0))
    if left == 0:
        return 0, None
    offset = hall_at - heartbeat  # hall clock minus kiosk clock, as measured on the heartbeat
    first_pending = heartbeat - (age or 0.0)
    if arrived and oldest is not None and newest is not None and oldest <= first_pending + 1e-3:
        first_pending = newest
    return left, max(0.0, now - (first_pending + offset))
