"""What the technician CLI only reads (status, outbox list/show/export, doctor) it reads through the store's
read-only inspection API: it never writes, creates or migrates the database behind the running services."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kiosk.store import Inspector, Store
from kiosk.store.migrations import MIGRATIONS, migrate, schema_version
from tests.provisioning.helpers import Kiosk, init_args


def snapshot(directory: Path) -> dict[str, bytes]:
    """The data directory's files and contents; SQLite's own -wal/-shm companions (a reader in WAL mode opens
    them) only as long as they hold no write."""
    files = {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}
    assert not files.pop("kiosk.db-wal", b""), "something was written to the WAL"
    files.pop("kiosk.db-shm", None)
    return files


def test_reading_commands_leave_the_database_as_it_was(kiosk: Kiosk, tmp_path: Path) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    with Store(kiosk.data_dir / "kiosk.db") as store:
        key = store.enqueue("submission", {"名": "张三"}, personal=True).key
    before = snapshot(kiosk.data_dir)
    for argv in (["status"], ["outbox", "list"], ["outbox", "show", key],
                 ["outbox", "export", str(tmp_path / "out.jsonl")], ["doctor", "--skip", "broker"]):
        kiosk.cli(*argv)
        assert snapshot(kiosk.data_dir) == before, f"{argv} changed the data directory"


def test_a_database_to_migrate_is_reported_not_migrated(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    kiosk.data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(kiosk.data_dir / "kiosk.db", isolation_level=None)
    migrate(conn, None, MIGRATIONS[:1])  # the file of an older release, not yet opened by the new one
    conn.close()
    r = kiosk.cli("status")
    assert r.code == 1 and "schema version 1" in r.err
    database = json.loads(kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices").out)
    assert any("schema version 1" in c["detail"] for c in database["checks"] if c["name"] == "database")
    conn = sqlite3.connect(kiosk.data_dir / "kiosk.db")
    assert schema_version(conn) == 1  # still: the services migrate it when they start, not the CLI
    conn.close()
    assert not list(kiosk.data_dir.glob("*.bak"))


def test_inspector_reads_what_the_cli_shows(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    with Store(db, clock=lambda: 100.0) as store:
        a = store.enqueue("submission", {"x": 1}, personal=True)
        store.enqueue("appointment", {"x": 2}, personal=True)
        store.confirm(a.key)
        store.set_setting("ui.alive", 99.0)
    with Inspector(db, clock=lambda: 160.0) as inspector:
        assert inspector.last_confirmed() == 100.0 and inspector.oldest_pending() == 100.0
        rows = inspector.personal_rows()
        assert (rows.on_disk, rows.unsent) == (2, 1)
        assert inspector.quick_check() == "ok" and inspector.get_setting("ui.alive") == 99.0
        assert inspector.outbox_stats().oldest_pending_age_s == 60.0
        assert inspector.table_counts()["outbox"] == 2
        assert inspector.read_only_reason  # it cannot write
