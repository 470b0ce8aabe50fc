"""Numbered schema migrations of the kiosk database, tracked in ``PRAGMA user_version``.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together with the version bump, so a crash or
an error leaves the database at the previous version, never half-migrated. Before an existing database is
migrated, a copy is taken with the SQLite backup API (``<db>.v<old>.bak``) so a bad release can be rolled back.
Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.store.files import file_lock, fsync_dir, fsync_file
from kiosk.store.models import StoreError

log = logging.getLogger(__name__)

Migration = tuple[int, str]


def split_statements(sql: str) -> list[str]:
    """Split a migration script into single statements (``executescript`` would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for piece in sql.split(";"):
        buffer += piece + ";"
        # A ';' inside a string, comment or trigger body does not end the statement: SQLite's own test says.
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:80]!r}")
    return statements


_V1_SYNC_CORE = """
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a seq is never reused after trimming
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at REAL,
    state TEXT NOT NULL DEFAULT 'pending',
    confirmed_at REAL,
    personal INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_state_seq ON outbox (state, seq);
CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY,
    msg_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    received_at REAL NOT NULL,
    done_at REAL,
    result TEXT
);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL NOT NULL) WITHOUT ROWID;
"""

_V2_HEALTH_AND_RETENTION = """
ALTER TABLE outbox ADD COLUMN purged_at REAL;
CREATE INDEX outbox_personal ON outbox (state, confirmed_at) WHERE personal = 1 AND purged_at IS NULL;
CREATE TABLE device_status (
    kind TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    faults TEXT NOT NULL,
    detail TEXT NOT NULL,
    since REAL NOT NULL,
    updated_at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    raised_at REAL NOT NULL,
    cleared_at REAL,
    acked_at REAL,
    acked_by TEXT
);
CREATE UNIQUE INDEX faults_one_open ON faults (code, device) WHERE cleared_at IS NULL;
CREATE INDEX faults_raised_at ON faults (raised_at);
"""

# Every outbox statement on the hot path answers from an index range or from counts, never by walking the
# backlog (issue 16; tests/core/test_core_store_scale.py pins the query plans):
# - outbox_pending: per kind, pending rows in seq order (the agent's lanes, the telemetry trim, oldest pending);
# - outbox_confirmed: per kind, confirmed rows by confirmation time (forgetting old telemetry, last confirmed);
# - outbox_purgeable: personal payloads confirmed and not yet purged, by confirmation time (retention);
# - outbox_counts: rows per (kind, state) and, of them, personal payloads still on disk, for the rows up to
#   outbox_counted.upto; triggers keep them in the same transaction as every change to such a row. Rows after
#   it (the newest few hundred, until the next fold: kiosk.store.outbox) are counted where they are, so an
#   insert writes no count: one page fewer per durable enqueue. (seq is never updated.)
# The old (state, seq) index goes: it made the planner read every pending row to confirm a few keys.
_V3_FLAT_OUTBOX = """
DROP INDEX outbox_state_seq;
DROP INDEX outbox_personal;
CREATE INDEX outbox_pending ON outbox (kind, seq) WHERE state = 'pending';
CREATE INDEX outbox_confirmed ON outbox (kind, confirmed_at) WHERE state = 'confirmed';
CREATE INDEX outbox_purgeable ON outbox (confirmed_at)
    WHERE state = 'confirmed' AND personal = 1 AND purged_at IS NULL;
CREATE TABLE outbox_counts (
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    n INTEGER NOT NULL,  -- rows of this kind in this state
    personal INTEGER NOT NULL,  -- of them, rows whose personal payload is still on disk
    PRIMARY KEY (kind, state)
) WITHOUT ROWID;
CREATE TABLE outbox_counted (one INTEGER PRIMARY KEY CHECK (one = 1), upto INTEGER NOT NULL);
INSERT INTO outbox_counted (one, upto) SELECT 1, coalesce(max(seq), 0) FROM outbox;
INSERT INTO outbox_counts (kind, state, n, personal)
    SELECT kind, state, count(*), sum(personal = 1 AND purged_at IS NULL) FROM outbox GROUP BY kind, state;
CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox
    WHEN new.seq <= (SELECT upto FROM outbox_counted)
BEGIN
    INSERT INTO outbox_counts (kind, state, n, personal)
        VALUES (new.kind, new.state, 1, new.personal = 1 AND new.purged_at IS NULL)
        ON CONFLICT (kind, state) DO UPDATE SET n = n + 1, personal = personal + excluded.personal;
END;
CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox
    WHEN old.seq <= (SELECT upto FROM outbox_counted)
BEGIN
    UPDATE outbox_counts SET n = n - 1, personal = personal - (old.personal = 1 AND old.purged_at IS NULL)
        WHERE kind = old.kind AND state = old.state;
END;
CREATE TRIGGER outbox_counts_update AFTER UPDATE OF kind, state, personal, purged_at ON outbox
    WHEN old.seq <= (SELECT upto FROM outbox_counted) AND (old.kind IS NOT new.kind OR old.state IS NOT new.state
        OR (old.personal = 1 AND old.purged_at IS NULL) IS NOT (new.personal = 1 AND new.purged_at IS NULL))
BEGIN
    UPDATE outbox_counts SET n = n - 1, personal = personal - (old.personal = 1 AND old.purged_at IS NULL)
        WHERE kind = old.kind AND state = old.state;
    INSERT INTO outbox_counts (kind, state, n, personal)
        VALUES (new.kind, new.state, 1, new.personal = 1 AND new.purged_at IS NULL)
        ON CONFLICT (kind, state) DO UPDATE SET n = n + 1, personal = personal + excluded.personal;
END;
"""


# Attachments (kiosk/store/attachments.py): content-addressed files, their rows, and the rows naming them.
_V4_ATTACHMENTS = """
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,          -- the file <data_dir>/attachments/<sha256[:2]>/<sha256>
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    staged_at REAL NOT NULL,
    chunk_bytes INTEGER NOT NULL DEFAULT 0,   -- delivery progress: chunk size of the upload under way
    acked_chunks INTEGER NOT NULL DEFAULT 0,  -- leading chunks the hall has acknowledged
    delivered_at REAL                         -- the hall holds the whole file (hash checked)
) WITHOUT ROWID;
CREATE TABLE outbox_attachments (
    outbox_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    PRIMARY KEY (outbox_key, position)
) WITHOUT ROWID;
CREATE INDEX outbox_attachments_sha ON outbox_attachments (sha256);
CREATE INDEX attachments_undelivered ON attachments (sha256) WHERE delivered_at IS NULL;
-- Submissions written before materials were recorded, still to be sent, say so (the field is required now).
UPDATE outbox SET payload = json_set(payload, '$.materials', json('{"missing":[],"provided":[]}'))
    WHERE kind = 'submission' AND state = 'pending' AND purged_at IS NULL
    AND json_type(payload, '$.materials') IS NULL AND json_type(payload, '$.identity') IS NOT NULL;
"""


# The lean outbox (issue 16, item 3): a durable enqueue writes three pages (the row, its key, its lane), as few
# as a table with a unique key and a lane can. Gone, after bench store measured what each cost per enqueue:
# - AUTOINCREMENT: a sqlite_sequence row read and rewritten per insert, a fourth page in every commit. SQLite
#   gives a new row max(seq) + 1, so seqs still only grow as long as the newest row is never deleted: the
#   clean-ups keep it (kiosk.store.outbox.NOT_NEWEST).
# - CHECK (json_valid(payload)): every payload re-parsed, a tenth of the enqueue's CPU time; the store writes
#   only canonical JSON (kiosk.store.models.canonical_json), made from a dict it was given.
# The table is rebuilt (SQLite cannot drop either in place); its indexes and count triggers are made again as
# version 3 made them, and the counts carry over unchanged (rows, not counts, move).
_V5_OUTBOX = """
ALTER TABLE outbox RENAME TO outbox_v4;
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,  -- max(seq) + 1: never reused while the newest row stays (see above)
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,  -- canonical JSON, as the store made it
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at REAL,
    state TEXT NOT NULL DEFAULT 'pending',
    confirmed_at REAL,
    personal INTEGER NOT NULL DEFAULT 0,
    purged_at REAL
);
INSERT INTO outbox (seq, key, kind, payload, created_at, attempts, last_attempt_at, state, confirmed_at, personal,
    purged_at)
    SELECT seq, key, kind, payload, created_at, attempts, last_attempt_at, state, confirmed_at, personal, purged_at
    FROM outbox_v4 ORDER BY seq;
DROP TABLE outbox_v4;
""" + "".join(
    f"{statement}\n"
    for statement in split_statements(_V3_FLAT_OUTBOX)
    if statement.startswith(("CREATE INDEX", "CREATE TRIGGER"))
)


# Version 6: a durable enqueue writes one B-tree, as a plain table does (issue 16, item 3). The outbox's three
# (rows, unique key, pending lane) cost two extra WAL frames in every fsync'd commit; new rows now go to
# outbox_staged, which has no index, and move to the outbox in batches, uncounted by fsync: every write
# transaction of the store moves them first, the UI's checkpoint thread every few tens of milliseconds, and an
# enqueue once they pile up (kiosk.store.outbox). A staged row is pending by definition and has its final seq:
# max(seq) + 1 over both tables. Readers that need every row (pending lanes, get, counts, export) read both,
# merged by seq: staged rows are normally the newest, but a full database can keep some from moving while a
# citizen record goes straight to the outbox above them.
_V6_OUTBOX_STAGED = """
CREATE TABLE outbox_staged (
    seq INTEGER PRIMARY KEY,  -- final: the row keeps it in the outbox
    key TEXT NOT NULL,  -- unique across both tables: checked by the insert, or a fresh v7 key
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,  -- canonical JSON, as the store made it
    created_at REAL NOT NULL,
    personal INTEGER NOT NULL DEFAULT 0
);
-- Every row of the outbox, staged or not, for whoever reads past the store (a technician's sqlite3, a test).
CREATE VIEW outbox_all AS
    SELECT seq, key, kind, payload, created_at, attempts, last_attempt_at, state, confirmed_at, personal, purged_at
    FROM outbox
    UNION ALL
    SELECT seq, key, kind, payload, created_at, 0, NULL, 'pending', NULL, personal, NULL FROM outbox_staged;
"""


MIGRATIONS: tuple[Migration, ...] = (
    (1, _V1_SYNC_CORE),
    (2, _V2_HEALTH_AND_RETENTION),
    (3, _V3_FLAT_OUTBOX),  # the outbox at any backlog (issue 16)
    (4, _V4_ATTACHMENTS),  # attachments (kiosk/store/attachments.py)
    (5, _V5_OUTBOX),  # the lean outbox: three pages per durable enqueue (issue 16)
    (6, _V6_OUTBOX_STAGED),  # enqueue writes one page; the rows move to the outbox in batches (issue 16)
)
LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The version the database is at (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup_path(db_path: Path, version: int) -> Path:
    """Where the copy of ``db_path`` taken before migrating away from ``version`` goes."""
    return db_path.with_name(f"{db_path.name}.v{version}.bak")


def migrate(conn: sqlite3.Connection, db_path: Path | None, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database to the newest version in ``migrations``; return the version it was at before.

    ``conn`` must be in autocommit mode (``isolation_level=None``). ``db_path`` (``None``: no backup, no lock) is
    the database file, beside which the pre-migration copy and the migration lock file go. Raises
    :class:`StoreError` when the database is newer than this code or is not a kiosk database; ``sqlite3.Error``
    from the SQL is left to the caller to translate.
    """
    _check_numbering(migrations)
    latest = migrations[-1][0]
    current = _checked_version(conn, latest)
    if current == latest:
        return current
    with _migration_lock(db_path):
        # Re-read under the lock: the other process (UI or sync agent) may have migrated while we waited. Without
        # the lock it could also see our half-way version and back up a database we had only just created.
        current = _checked_version(conn, latest)
        if current == 0 and _has_tables(conn):
            raise StoreError("database has tables but no schema version: not a kiosk database (or a foreign copy)")
        if 0 < current < latest and db_path is not None:
            backup_database(conn, backup_path(db_path, current))
        for version, sql in migrations:
            if version > current:
                _apply(conn, version, sql)
    return current


def backup_database(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the database behind ``conn`` to ``target`` (written beside it, fsynced, then renamed into place)."""
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
        finally:
            dest.close()
        fsync_file(tmp)
        # Renamed only once complete and on disk: a crash or a full disk never leaves a torn copy under the name.
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    log.info("database backed up to %s before migrating", target)


def _check_numbering(migrations: tuple[Migration, ...]) -> None:
    versions = [version for version, _ in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3, ... without gaps, got {versions}")


def _checked_version(conn: sqlite3.Connection, latest: int) -> int:
    current = schema_version(conn)
    if current > latest:
        raise StoreError(
            f"database schema version {current} is newer than this software supports ({latest}): "
            "install the newer kiosk software or restore an older database backup"
        )
    return current


@contextmanager
def _migration_lock(db_path: Path | None) -> Iterator[None]:
    """Serialise migrations across processes (see :func:`kiosk.store.files.file_lock`)."""
    if db_path is None:
        yield
        return
    with file_lock(db_path.with_name(f"{db_path.name}.migrate-lock")):
        yield


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _apply(conn: sqlite3.Connection, version: int, sql: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: the other process (UI or sync agent) may have just migrated.
        if schema_version(conn) >= version:
            conn.execute("ROLLBACK")
            return
        for statement in split_statements(sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    log.info("database migrated to schema version %d", version)
