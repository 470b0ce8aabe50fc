"""Versioned schema changes of the hall database, in the SQL of each backend.

A component (the hall's own tables are ``hall``; another module keeping its tables in the same database registers
its own name) lists :class:`Migration` s numbered 1, 2, 3...; :func:`apply` runs the ones a database lacks, in
order, inside the caller's write transaction, and records each in ``schema_migrations``. Version numbers are the
same on both backends. A database written by a newer kiosk-hall (a version this code does not know) is refused
rather than guessed at.

Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

DIALECTS = ("sqlite", "postgresql")
HALL = "hall"

_LEDGER = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, "
    "description TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (component, version))"
)


class Tx(Protocol):
    """What a migration needs of a transaction (``sync.halldb.base.Tx`` is one)."""

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...


class SchemaTooNew(RuntimeError):
    """The database has a migration this code does not know: it was written by a newer version."""


@dataclass(frozen=True)
class Migration:
    """One schema change: the same change written for each backend (statements separated by ``;``)."""

    version: int
    description: str
    sqlite: str
    postgresql: str

    def statements(self, dialect: str) -> list[str]:
        """The statements for ``dialect``, in order."""
        text = {"sqlite": self.sqlite, "postgresql": self.postgresql}[dialect]
        return [s.strip() for s in text.split(";") if s.strip()]


def check(migrations: Sequence[Migration]) -> None:
    """``ValueError`` unless the versions are 1, 2, 3... in order."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1..n in order, not {versions}")


def applied(tx: Tx, component: str) -> list[int]:
    """Versions of ``component`` recorded in the database (creating the ledger if it is missing)."""
    tx.execute(_LEDGER)
    rows = tx.execute("SELECT version FROM schema_migrations WHERE component = ? ORDER BY version", (component,))
    return [int(v) for (v,) in rows.fetchall()]


def apply(tx: Tx, component: str, migrations: Sequence[Migration], now: float) -> list[int]:
    """Run the migrations of ``component`` that ``tx``'s database lacks; the versions run. The caller holds the
    write transaction (and, on PostgreSQL, a lock that keeps two instances from migrating at once)."""
    check(migrations)
    done = set(applied(tx, component))
    unknown = sorted(v for v in done if v > len(migrations))
    if unknown:
        raise SchemaTooNew(
            f"the database has {component} schema version {max(unknown)}, newer than this kiosk-hall knows "
            f"({len(migrations)}): upgrade kiosk-hall"
        )
    ran = []
    for m in migrations:
        if m.version in done:
            continue
        for statement in m.statements(tx.dialect):
            tx.execute(statement)
        tx.execute(
            "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?, ?, ?, ?)",
            (component, m.version, m.description, now),
        )
        ran.append(m.version)
    return ran


# ------------------------------------------------------------------------------------------- the hall schema

_V1_SQLITE = """
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
)
"""  # the schema as shipped before migrations existed: IF NOT EXISTS adopts such a file as version 1

_V1_POSTGRESQL = """
CREATE TABLE messages (
    key TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, seq BIGINT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL, received_at DOUBLE PRECISION NOT NULL, personal INTEGER NOT NULL,
    payload TEXT NOT NULL, copies INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX messages_kiosk_kind_seq ON messages (kiosk_id, kind, seq);
CREATE TABLE quarantine (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key TEXT, kiosk_id TEXT, topic TEXT NOT NULL,
    error TEXT NOT NULL, raw BYTEA NOT NULL, received_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE kiosks (
    kiosk_id TEXT PRIMARY KEY, online INTEGER NOT NULL DEFAULT 0, status_at DOUBLE PRECISION NOT NULL DEFAULT 0,
    last_heartbeat DOUBLE PRECISION, backlog BIGINT, oldest_pending_age_s DOUBLE PRECISION, versions TEXT,
    last_seen DOUBLE PRECISION
);
CREATE TABLE faults (
    kiosk_id TEXT NOT NULL, fault_id BIGINT NOT NULL, code TEXT NOT NULL, device TEXT NOT NULL,
    severity TEXT NOT NULL, action_zh TEXT, action_en TEXT, raised_at DOUBLE PRECISION NOT NULL,
    cleared_at DOUBLE PRECISION, duration_s DOUBLE PRECISION, acked_at DOUBLE PRECISION, acked_by TEXT,
    PRIMARY KEY (kiosk_id, fault_id)
);
CREATE TABLE sent (
    msg_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
)
"""

# Issue 12.3: a kiosk could store a message under another kiosk's (predictable) key, which then counted as a
# duplicate of it. A key is unique per kiosk only.
_V2_SQLITE = """
CREATE TABLE messages_v2 (
    kiosk_id TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    created_at REAL NOT NULL, received_at REAL NOT NULL, personal INTEGER NOT NULL, payload TEXT NOT NULL,
    copies INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (kiosk_id, key)
);
INSERT INTO messages_v2 (kiosk_id, key, kind, seq, created_at, received_at, personal, payload, copies)
    SELECT kiosk_id, key, kind, seq, created_at, received_at, personal, payload, copies FROM messages ORDER BY rowid;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
CREATE INDEX messages_kiosk_kind_seq ON messages (kiosk_id, kind, seq)
"""

_V2_POSTGRESQL = """
ALTER TABLE messages DROP CONSTRAINT messages_pkey;
ALTER TABLE messages ADD PRIMARY KEY (kiosk_id, key)
"""

# Issue 15.5: the fleet's backlog column repeated the last heartbeat's figure. The hall now keeps when it last
# took each message, and which outbox sequence a heartbeat was composed at (and when, on the hall's clock), so it
# can take what arrived since off the backlog the heartbeat reported. kiosks.last_seen goes: nothing read it, and
# writing it with every batch made the instances wait on each other.
_V3 = """
ALTER TABLE messages ADD COLUMN last_received_at {real};
UPDATE messages SET last_received_at = received_at;
CREATE INDEX messages_kiosk_arrival ON messages (kiosk_id, last_received_at);
ALTER TABLE kiosks ADD COLUMN heartbeat_seq {int};
ALTER TABLE kiosks ADD COLUMN heartbeat_hall_at {real};
ALTER TABLE kiosks DROP COLUMN last_seen
"""

# Citizen records are found by the reference printed on the citizen's receipt (online progress, kiosk-hall
# materials/export): the hall fills messages.reference as it stores a message whose payload has one. Existing rows are
# filled from their payload (PostgreSQL skips a payload with a \u0000 escape, which jsonb cannot hold; the CASE keeps
# the cast away from it). A key looked up without its kiosk (an operator typing it) has an index, for submissions.
_V4_SQLITE = """
ALTER TABLE messages ADD COLUMN reference TEXT;
UPDATE messages SET reference = json_extract(payload, '$.reference')
    WHERE instr(payload, '"reference"') > 0 AND json_type(payload, '$.reference') = 'text';
CREATE INDEX messages_reference ON messages (reference) WHERE reference IS NOT NULL;
CREATE INDEX messages_submission_key ON messages (key) WHERE kind = 'submission'
"""

_V4_POSTGRESQL = """
ALTER TABLE messages ADD COLUMN reference TEXT;
UPDATE messages SET reference = payload::jsonb ->> 'reference'
    WHERE CASE WHEN strpos(payload, '"reference"') > 0 AND strpos(payload, '\\u0000') = 0
        THEN jsonb_typeof(payload::jsonb -> 'reference') = 'string' ELSE false END;
CREATE INDEX messages_reference ON messages (reference) WHERE reference IS NOT NULL;
CREATE INDEX messages_submission_key ON messages (key) WHERE kind = 'submission'
"""

HALL_MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "messages, quarantine, kiosks, faults, sent", _V1_SQLITE, _V1_POSTGRESQL),
    Migration(2, "idempotency keys unique per kiosk: (kiosk_id, key)", _V2_SQLITE, _V2_POSTGRESQL),
    Migration(
        3,
        "backlog since the last heartbeat: messages.last_received_at, kiosks.heartbeat_seq and heartbeat_hall_at; "
        "kiosks.last_seen dropped",
        _V3.format(real="REAL", int="INTEGER"),
        _V3.format(real="DOUBLE PRECISION", int="BIGINT"),
    ),
    Migration(
        4,
        "citizen records found by their reference: messages.reference (filled from the payload) and its index; "
        "submissions by key",
        _V4_SQLITE,
        _V4_POSTGRESQL,
    ),
)
