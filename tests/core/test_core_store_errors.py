"""Full disk and read-only database: a clear StoreUnavailable for the UI's "out of service", and nothing already
committed is lost or becomes unreadable.

Read-only cases run in a forked child that drops root privileges (root ignores file modes); disk-full cases
use SQLite's page limit and, for a real failing write(2), RLIMIT_FSIZE in a forked child.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.store import Inspector, Store, StoreError, StoreUnavailable, canonical_json, translate_error

NOBODY = 65534


def in_child(fn: Callable[[], Any], *, unprivileged: bool = False) -> Any:
    """Run ``fn`` in a forked process (as uid/gid 65534 if ``unprivileged`` and we are root); return its
    JSON-able result, or fail with the child's traceback."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        os.close(read_end)
        try:
            if unprivileged and os.geteuid() == 0:
                os.setgroups([])
                os.setresgid(NOBODY, NOBODY, NOBODY)
                os.setresuid(NOBODY, NOBODY, NOBODY)
            message = {"result": fn()}
        except BaseException:
            message = {"error": traceback.format_exc()}
        with os.fdopen(write_end, "w", encoding="utf-8") as out:
            json.dump(message, out)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as inp:
        raw = inp.read()
    os.waitpid(pid, 0)
    message = json.loads(raw)
    assert "error" not in message, message.get("error")
    return message["result"]


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory the unprivileged child can reach (pytest's tmp_path lives under a 0700 directory)."""
    path = Path(tempfile.mkdtemp(prefix="kiosk-store-ro-"))
    path.chmod(0o777)
    yield path
    for p in [path, *path.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    shutil.rmtree(path)


def populate(db: Path, n: int = 5) -> dict[str, str]:
    """Commit ``n`` submissions; return key -> stored payload text."""
    with Store(db) as store:
        entries = [store.enqueue("submission", {"n": i, "名": "张三" * i}, personal=True) for i in range(n)]
    return {e.key: e.payload_json for e in entries}


def read_back(db: Path) -> dict[str, Any]:
    """In the child: open the store, read everything, try each kind of write; report what happened."""
    store = Store(db)
    report: dict[str, Any] = {
        "read_only_reason": store.read_only_reason,
        "pending": {e.key: e.payload_json for e in store.pending(limit=1000)},
        "refused": {},
    }
    writes = {
        "enqueue": lambda: store.enqueue("submission", {"new": True}),
        "confirm": lambda: store.confirm(next(iter(report["pending"]))),
        "raise_fault": lambda: store.raise_fault("disk_low", severity="major"),
        "set_setting": lambda: store.set_setting("x", 1),
    }
    for name, write in writes.items():
        try:
            write()
            report["refused"][name] = None
        except StoreUnavailable as exc:
            report["refused"][name] = exc.reason
    store.close()
    return report


# --------------------------------------------------------------------------------------------- read-only


def test_read_only_database_file_refuses_writes_and_still_reads(shared_dir: Path) -> None:
    db = shared_dir / "kiosk.db"
    committed = populate(db)
    db.chmod(0o444)
    report = in_child(lambda: read_back(db), unprivileged=True)
    assert report["read_only_reason"] == "database file is read-only"
    assert report["pending"] == committed
    assert all(reason and "read-only" in reason for reason in report["refused"].values()), report["refused"]


def test_read_only_directory_refuses_writes_and_still_reads(shared_dir: Path) -> None:
    data = shared_dir / "data"
    data.mkdir(mode=0o777)
    db = data / "kiosk.db"
    committed = populate(db)
    assert not (data / "kiosk.db-wal").exists()  # closed cleanly: everything is in the main file
    data.chmod(0o555)
    report = in_child(lambda: read_back(db), unprivileged=True)
    assert "read-only" in report["read_only_reason"]
    assert report["pending"] == committed
    assert all(reason and "read-only" in reason for reason in report["refused"].values()), report["refused"]


def test_read_only_directory_still_shows_commits_only_in_the_wal(shared_dir: Path) -> None:
    """A writer killed before any checkpoint leaves its commits only in the -wal file; a read-only open after
    the disk went read-only must still see them, not the stale main file."""
    data = shared_dir / "data"
    data.mkdir(mode=0o777)
    db = data / "kiosk.db"

    def write_then_die() -> None:
        store = Store(db)
        for i in range(3):
            store.enqueue("submission", {"i": i}, key=f"k{i}")
        os.kill(os.getpid(), signal.SIGKILL)

    pid = os.fork()
    if pid == 0:
        try:
            write_then_die()
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WTERMSIG(status) == signal.SIGKILL
    assert (data / "kiosk.db-wal").stat().st_size > 0
    for p in data.iterdir():
        p.chmod(0o444)
    data.chmod(0o555)
    report = in_child(lambda: read_back(db), unprivileged=True)
    assert report["read_only_reason"]
    assert report["pending"] == {f"k{i}": canonical_json({"i": i}) for i in range(3)}
    assert report["refused"]["enqueue"]


def test_database_turning_read_only_while_open(tmp_path: Path) -> None:
    """A filesystem remounted read-only under a running kiosk needs root and a mount to do for real; SQLite's
    query_only gives the same SQLITE_READONLY on the store's own connection."""
    db = tmp_path / "kiosk.db"
    with Store(db) as store:
        before = store.enqueue("submission", {"kept": "是"})
        store._conn.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreUnavailable, match="read-only") as caught:
            store.enqueue("submission", {"lost": True})
        assert "SQLITE_READONLY" in caught.value.reason
        with pytest.raises(StoreUnavailable, match="read-only"):
            store.next_number("ticket")  # an explicit transaction: rolled back, connection still usable
        assert store.get(before.key) == before
        assert [e.key for e in store.pending()] == [before.key]
        store._conn.execute("PRAGMA query_only = OFF")
        assert store.next_number("ticket") == 1


def test_translate_error_maps_a_real_readonly_error(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "t.db").execute("CREATE TABLE t (x)").connection.close()
    ro = sqlite3.connect(f"file:{tmp_path / 't.db'}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        ro.execute("INSERT INTO t VALUES (1)")
    ro.close()
    error = translate_error(caught.value)
    assert isinstance(error, StoreUnavailable) and error.reason.startswith("database is read-only")
    full = translate_error(sqlite3.OperationalError("database or disk is full"))  # no error code attached
    assert isinstance(full, StoreUnavailable) and full.reason.startswith("disk full")
    other = translate_error(sqlite3.OperationalError("no such table: x"))
    assert type(other) is StoreError


# -------------------------------------------------------------------------------------------------- full


def test_database_at_its_size_limit_refuses_writes_keeps_data_and_recovers(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    with Store(db, max_db_bytes=160 * 1024, telemetry_limit=0) as store:
        committed: dict[str, str] = {}
        submissions: set[str] = set()
        with pytest.raises(StoreUnavailable, match="disk full") as caught:
            for i in range(10_000):
                kind = "submission" if i % 2 else "heartbeat"
                entry = store.enqueue(kind, {"i": i, "text": "办事指南" * 200})
                committed[entry.key] = entry.payload_json
                newest = entry.key
                if kind == "submission":
                    submissions.add(entry.key)
        assert "SQLITE_FULL" in caught.value.reason
        assert len(submissions) > 5
        # Reads still work on the same connection, and everything committed is there, byte-identical.
        assert {e.key: e.payload_json for e in store.pending(limit=100_000)} == committed
        # Freeing space (dropping telemetry, limit 0 here) makes the same store take submissions again. The
        # newest row stays, so that seqs never come back (a new row takes the newest seq + 1).
        kept = submissions | {newest}
        assert store.trim_telemetry() == len(committed) - len(kept)
        again = store.enqueue("submission", {"after": "trim"})
        kept.add(again.key)
        committed[again.key] = again.payload_json
    with Store(db) as reopened:  # no limit now
        assert {e.key: e.payload_json for e in reopened.pending(limit=100_000)} == {key: committed[key] for key in kept}
    with Inspector(db) as inspector:
        assert inspector.integrity_check() == "ok"


def test_a_real_failing_write_is_out_of_service_and_loses_nothing(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes write(2) fail (EFBIG / short write) the way a full disk does (ENOSPC)."""
    db = tmp_path / "kiosk.db"
    Store(db).close()
    limit = 1024 * 1024

    def fill() -> dict[str, Any]:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get the error from write(2), not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        store = Store(db)
        committed: dict[str, str] = {}
        try:
            for i in range(10_000):
                entry = store.enqueue("submission", {"i": i, "text": "不动产登记" * 300})
                committed[entry.key] = entry.payload_json
        except StoreUnavailable as exc:
            reason = exc.reason
        else:
            reason = None
        readable = {e.key: e.payload_json for e in store.pending(limit=100_000)}
        return {"committed": committed, "reason": reason, "readable_after": readable}

    report = in_child(fill)
    assert report["reason"] and report["reason"].split(" (")[0] in (
        "disk full: the database cannot grow",
        "disk I/O error",
    )
    assert len(report["committed"]) > 10
    assert report["readable_after"] == report["committed"]
    with Store(db) as store:  # a fresh process without the limit finds every committed entry
        assert {e.key: e.payload_json for e in store.pending(limit=100_000)} == report["committed"]
    with Inspector(db) as inspector:
        assert inspector.integrity_check() == "ok"


class FakeDisk:
    """Stands in for shutil.disk_usage: free space set by the test, paths asked for recorded."""

    def __init__(self, free: int) -> None:
        self.free = free
        self.asked: list[Path] = []

    def __call__(self, path: Path) -> FakeDisk:
        self.asked.append(Path(path))
        return self


def test_nearly_full_disk_stops_submissions_but_not_telemetry(tmp_path: Path) -> None:
    disk = FakeDisk(free=10_000_000)
    now = [1000.0]
    db = tmp_path / "data" / "kiosk.db"
    with Store(db, min_free_bytes=5_000_000, disk_usage=disk, disk_check_interval_s=10, clock=lambda: now[0]) as s:
        taken = s.enqueue("submission", {"n": 1})
        assert s.free_disk_bytes() == 10_000_000 and disk.asked[-1] == db.parent
        disk.free = 4_000_000
        now[0] += 5
        s.enqueue("submission", {"n": 2})  # enough space was seen 5 s ago: trusted for 10 s
        now[0] += 6
        with pytest.raises(StoreUnavailable, match="disk nearly full: 4000000 bytes free"):
            s.enqueue("submission", {"n": 3})
        with pytest.raises(StoreUnavailable, match="disk nearly full"):
            s.enqueue("rating", {"stars": 5})
        assert s.enqueue("heartbeat", {"up": 1}).kind == "heartbeat"  # telemetry still accepted
        assert s.enqueue("submission", {"n": 1}, key=taken.key) == taken  # a retry of a taken record: answered
        disk.free = 6_000_000
        assert s.enqueue("submission", {"n": 4}).payload == {"n": 4}  # low space is re-checked every time
        assert [e.payload.get("n") for e in s.pending()] == [1, 2, None, 4]


# ---------------------------------------------------------------------------------------------- unusable


def test_a_file_that_is_not_a_database_is_out_of_service(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    db.write_bytes(b"this is not SQLite " * 500)
    with pytest.raises(StoreUnavailable, match="not a kiosk database"):
        Store(db)


def test_a_data_directory_that_cannot_be_created_is_out_of_service(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreUnavailable, match="cannot create the data directory"):
        Store(tmp_path / "file" / "data" / "kiosk.db")
