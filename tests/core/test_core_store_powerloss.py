"""POWER LOSS, not only SIGKILL: a killed process leaves its writes in the page cache, so a kill test passes even
with ``synchronous=OFF``. Here every write not yet fsynced is thrown away at the cut (tests/powerloss: a FUSE
layer journals each write, fsync and directory fsync of a real run; the disk is rebuilt at >= 200 moments).

At each cut the ordinary stdlib ``sqlite3`` opens what is left and must find every record reported committed
before the cut, byte-identical, ``PRAGMA integrity_check`` ok, no reference number twice, and the booking ledger
counting exactly the appointment rows present (they commit in one transaction). The same harness with the store
forced to ``synchronous=OFF`` or ``NORMAL`` must find committed rows lost: that is what gives the test teeth.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from kiosk.store import Store, canonical_json
from kiosk.store.outbox import outbox_counts
from tests.powerloss.harness import (
    Commit,
    CutResult,
    cut_points,
    finish,
    fsyncs_of,
    journaled_mount,
    replay_cuts,
    run_workload,
)

WRITER = Path(__file__).with_name("store_writer.py")
DB = "data/kiosk.db"  # under the mount: the data directory is made by the store, durably
RECORDS, CUTS = 700, 250


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_store(directory: Path, promised: list[Commit]) -> list[str]:
    """Every invariant of the store on the disk left by a cut; returns the problems found."""
    db = directory / DB
    if not db.exists():
        return [f"the database is gone, {len(promised)} committed records with it"] if promised else []
    conn = sqlite3.connect(db)  # read-write, as the kiosk would after the reboot: WAL recovery runs
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "outbox" not in tables:
            lost = [f"no outbox table: {len(promised)} committed records lost"] if promised else []
            return lost + ([] if verdict == [("ok",)] else [f"integrity_check: {verdict[:3]}"])
        rows = dict(conn.execute("SELECT key, payload FROM outbox WHERE kind IN ('submission', 'appointment')"))
        counter = conn.execute("SELECT value FROM counters WHERE name = 'reference'").fetchone()
        ledger_row = conn.execute("SELECT value FROM settings WHERE key = 'appointments.ledger'").fetchone()
    except sqlite3.DatabaseError as exc:
        lost = [f"{len(promised)} committed records lost with it"] if promised else []
        return [f"the database cannot be read: {exc}", *lost]
    finally:
        conn.close()
    problems = whole_and_kept(verdict, promised, rows)
    changed = [c.token for c in promised if c.token in rows and sha256_text(rows[c.token]) != c.fields[0]]
    if changed:
        problems.append(f"{len(changed)} committed records not byte-identical, e.g. {changed[:2]}")
    problems += check_rows(rows, counter, ledger_row, {c.token: c for c in promised})
    if not problems and len(promised) % 10 == 0:  # and now and then the store itself opens what is left
        problems += store_opens(db)
    return problems


def whole_and_kept(verdict: list[tuple], promised: list[Commit], rows: dict[str, str]) -> list[str]:
    """The problems every workload checks: the file's integrity, and committed records missing (by key)."""
    problems = [] if verdict == [("ok",)] else [f"integrity_check: {verdict[:3]}"]
    lost = [c.token for c in promised if c.token not in rows]
    if lost:
        problems.append(f"{len(lost)} of {len(promised)} committed records lost, e.g. {lost[:2]}")
    return problems


def store_opens(db: Path) -> list[str]:
    """The kiosk's own open of the database left by a cut: read-write, migrated, writable."""
    try:
        with Store(db) as store:
            store.record_citizen("submission", lambda n: {"after": "the cut", "n": n}, personal=True, counter="x")
            return [] if store.read_only_reason is None else [f"opened read-only: {store.read_only_reason}"]
    except Exception as exc:
        return [f"the store cannot open it: {exc!r}"]


def check_rows(rows: dict[str, str], counter: tuple | None, ledger_row: tuple | None,
               promised: dict[str, Commit]) -> list[str]:
    """Rows whole, numbers unique and counted, the ledger counting exactly the appointment rows present."""
    problems, numbers, booked = [], [], Counter()
    for key, text in rows.items():
        whole, number, slot = read_row(text)
        if not whole:
            problems.append(f"row {key} is not what was written")
        numbers.append(number)
        if slot:
            booked[slot] += 1
        commit = promised.get(key)
        if commit is not None and commit.fields[1] != str(number):
            problems.append(f"row {key} carries number {number}, the writer was told {commit.fields[1]}")
    if len(set(numbers)) != len(numbers):
        problems.append("a reference number was given twice")
    if numbers and (counter is None or counter[0] < max(numbers)):
        problems.append(f"the reference counter ({counter}) is behind the rows ({max(numbers)})")
    ledger = json.loads(ledger_row[0]) if ledger_row else {}
    counted = Counter({f"{day} {hhmm}": n for day, v in ledger.items() for hhmm, n in v["slots"].items()})
    if +counted != +booked:  # one transaction: never a row without its entry, nor an entry without its row
        problems.append(f"booking ledger {dict(counted)} does not match the appointment rows {dict(booked)}")
    return problems


@functools.cache
def read_row(text: str) -> tuple[bool, int, str]:
    """Whether a payload is whole (its hash of itself holds), its number and its slot (cached: the same rows
    are read at every cut)."""
    body = json.loads(text)
    claimed = body.pop("self_sha")
    return sha256_text(canonical_json(body)) == claimed, body["ticket"], body.get("slot", "")


def replay_dir(tmp_path: Path) -> Path:
    """Where cuts are rebuilt: in memory when there is a tmpfs (SQLite's checkpoint on close fsyncs)."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="kiosk-powerloss-", dir=shm)) if shm.is_dir() else tmp_path / "replay"


def power_cut_run(tmp_path: Path, synchronous: str, records: int, cuts: int, seed: int) -> tuple[list[CutResult], int]:
    """One real run of the writer on the journaling filesystem, then ``cuts`` power cuts replayed; also how many
    times the database file itself was fsynced (WAL checkpoints)."""
    rng = random.Random(seed)
    with journaled_mount(tmp_path / "fs") as mount:
        commits = run_workload(
            mount, [sys.executable, "-S", str(WRITER), "citizen", str(mount.root / DB), str(seed), str(records),
                    synchronous],
        )  # fmt: skip
    assert len(commits) == records
    run = finish(mount, commits)
    checkpoints = fsyncs_of(run, f"/{DB}")
    where = replay_dir(tmp_path)
    try:
        return replay_cuts(run, cut_points(run, cuts, rng), check_store, where, rng), checkpoints
    finally:
        shutil.rmtree(where, ignore_errors=True)


def summary(results: list[CutResult]) -> str:
    by_mode = Counter(r.mode for r in results)
    failed = [r for r in results if r.problems]
    lines = [f"{len(results)} cuts ({dict(by_mode)}), {sum(r.promised > 0 for r in results)} after a commit, "
             f"{len(failed)} with problems"]
    lines += [f"  cut {r.cut} [{r.mode}, {r.promised} promised]: {'; '.join(r.problems)}" for r in failed[:8]]
    return "\n".join(lines)


def test_every_committed_record_survives_power_loss_at_200_moments(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    results, checkpoints = power_cut_run(tmp_path, "FULL", RECORDS, CUTS, seed)
    report = f"synchronous=FULL, seed {seed}, {checkpoints} database fsyncs: {summary(results)}"
    print(report)
    assert len(results) >= 200 and sum(r.promised > 0 for r in results) >= 150, report
    assert checkpoints >= 3, f"{report}\nthe run must go through WAL checkpoints, or they are never cut"
    assert not [r for r in results if r.problems], report


@pytest.mark.parametrize("synchronous", ["OFF", "NORMAL"])
def test_the_harness_catches_a_store_that_does_not_sync(tmp_path: Path, synchronous: str) -> None:
    """The teeth: the same run and checks with the store's commits not fsynced must lose committed records."""
    seed = int.from_bytes(os.urandom(4), "big")
    results, checkpoints = power_cut_run(tmp_path, synchronous, 200, 60, seed)
    report = f"synchronous={synchronous}, seed {seed}, {checkpoints} database fsyncs: {summary(results)}"
    print(report)
    lost = [r for r in results if any("lost" in p for p in r.problems)]
    assert len(lost) >= 5, report


def test_an_opened_store_has_the_durability_pragmas(tmp_path: Path) -> None:
    with Store(tmp_path / "kiosk.db") as store:
        assert store.pragmas() == {
            "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1, "busy_timeout": 5000,
            "user_version": store.pragmas()["user_version"],
        }  # fmt: skip
    with Store(tmp_path / "kiosk.db", synchronous="NORMAL") as store:  # the knob is per store, not global
        assert store.pragmas()["synchronous"] == 1
    with Store(tmp_path / "kiosk.db") as store:
        assert store.pragmas()["synchronous"] == 2
    with pytest.raises(ValueError, match="synchronous"):
        Store(tmp_path / "other.db", synchronous="SOMETIMES")


PLACEHOLDER_SHA = sha256_text(canonical_json({"purged": True}))


def check_upgrade(directory: Path, promised: list[Commit]) -> list[str]:
    """The upgrade workload at a cut: every promised record there, byte-identical (a confirmed old one may also
    be its purged placeholder), the file whole, and, once at version 3, the triggers' counts right."""
    db = directory / DB
    if not db.exists():
        return [f"the database is gone, {len(promised)} committed records with it"] if promised else []
    conn = sqlite3.connect(db)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        every_row = "outbox_all" if version >= 6 else "outbox"  # from version 6 on, staged rows too
        rows = dict(conn.execute(f"SELECT key, payload FROM {every_row}")) if version else {}
        counted = kept = None
        if version >= 3:
            if version < 6:  # no staged rows before version 6: the store's reader reads an empty table (not the file's)
                conn.execute("CREATE TEMP TABLE outbox_staged (kind TEXT, personal INTEGER)")
            kept = outbox_counts(conn)  # as the store reads them: kept counts and the rows after the fold mark
            recount = "SELECT kind, state, count(*), sum(personal = 1 AND purged_at IS NULL) FROM {} GROUP BY 1, 2"
            counted = {(k, s): (n, p) for k, s, n, p in conn.execute(recount.format(every_row))}
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a torn page can make even the report unreadable
        return [f"the database cannot be read: {exc}"]
    finally:
        conn.close()
    problems = whole_and_kept(verdict, promised, rows)
    for c in promised:
        if c.token in rows:
            sha = sha256_text(rows[c.token])
            old_confirmed = c.fields[1] == "old" and int(c.token.rsplit("-", 1)[1]) % 2
            if sha != c.fields[0] and not (old_confirmed and sha == PLACEHOLDER_SHA):
                problems.append(f"record {c.token} is neither what was written nor its purged placeholder")
    if kept != counted:
        problems.append(f"outbox_counts {kept} is not the table's {counted}")
    if not problems and len(promised) % 10 == 0:
        problems += store_opens(db)
    return problems


def upgrade_run(tmp_path: Path, synchronous: str, cuts: int, seed: int) -> tuple[list[CutResult], int]:
    """One real run of the upgrade workload, then ``cuts`` power cuts replayed; also how many records it wrote."""
    rng = random.Random(seed)
    with journaled_mount(tmp_path / "fs") as mount:
        argv = [sys.executable, "-S", str(WRITER), "upgrade", str(mount.root / DB), str(seed), "160", synchronous]
        commits = run_workload(mount, argv)
    run = finish(mount, commits)
    where = replay_dir(tmp_path)
    try:
        return replay_cuts(run, cut_points(run, cuts, rng), check_upgrade, where, rng), len(commits)
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_an_upgrade_with_its_vacuum_and_a_paced_purge_loses_nothing_at_150_power_cuts(tmp_path: Path) -> None:
    """Migration 3 rewrites a previous release's file (VACUUM, for incremental vacuum) and retention then
    purges in batches whose commits are synced by the checkpoints between them, while new records are written
    durably in the pauses: at every cut each promised record is there, the file whole, the counts right."""
    seed = int.from_bytes(os.urandom(4), "big")
    results, written = upgrade_run(tmp_path, "FULL", 150, seed)
    report = f"upgrade, seed {seed}, {written} records: {summary(results)}"
    print(report)
    assert written >= 160 + 10, "the purge must pause (and the UI write) several times"
    assert sum(r.promised > 160 for r in results) >= 15, report  # cuts inside the purge, not only before it
    assert not [r for r in results if r.problems], report


def test_the_upgrade_check_catches_a_store_that_does_not_sync(tmp_path: Path) -> None:
    """Its teeth: the same run with the store's commits not fsynced loses promised records."""
    seed = int.from_bytes(os.urandom(4), "big")
    results, _ = upgrade_run(tmp_path, "OFF", 80, seed)
    report = f"upgrade with synchronous=OFF, seed {seed}: {summary(results)}"
    print(report)
    assert len([r for r in results if r.problems]) >= 5, report


def test_without_fuse_the_test_fails_and_says_why(tmp_path: Path) -> None:
    """No skip: an interpreter that cannot run the FUSE layer (isolated: no venv, no fusepy) is a failure."""
    with (
        pytest.raises(pytest.fail.Exception, match="needs FUSE and could not mount it"),
        journaled_mount(tmp_path, python=(sys.executable, "-I", "-S")),
    ):
        pass


# ------------------------------------------------------------------------------------------------- attachments


def check_attachments(directory: Path, promised: list[Commit]) -> list[str]:
    """Every committed submission with its pages linked in order, and every page any row names on the disk,
    whole (its SHA-256 is its name)."""
    db = directory / DB
    if not db.exists():
        return [f"the database is gone, {len(promised)} committed records with it"] if promised else []
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return ["integrity_check failed"]
        if "outbox_attachments" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}:
            return [f"no attachment tables: {len(promised)} committed records lost"] if promised else []
        rows = dict(conn.execute("SELECT key, payload FROM outbox WHERE kind = 'submission'"))
        links: dict[str, list[str]] = {}
        for key, sha in conn.execute("SELECT outbox_key, sha256 FROM outbox_attachments ORDER BY outbox_key, position"):
            links.setdefault(key, []).append(sha)
    finally:
        conn.close()
    problems = []
    lost = [c.token for c in promised if c.token not in rows or sha256_text(rows[c.token]) != c.fields[0]]
    if lost:
        problems.append(f"{len(lost)} of {len(promised)} committed submissions lost or changed, e.g. {lost[:2]}")
    unlinked = [c.token for c in promised if links.get(c.token) != c.fields[1].split(",")]
    if unlinked:
        problems.append(f"{len(unlinked)} committed submissions without their pages linked, e.g. {unlinked[:2]}")
    pages = {sha for shas in links.values() for sha in shas}
    missing = [sha for sha in pages if not page_whole(directory / "data" / "attachments" / sha[:2] / sha)]
    if missing:
        problems.append(f"{len(missing)} pages named by a committed row are missing or torn, e.g. {missing[:2]}")
    return problems


def page_whole(path: Path) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == path.name


def attachment_cut_run(tmp_path: Path, mode: str, records: int, cuts: int, seed: int) -> list[CutResult]:
    rng = random.Random(seed)
    with journaled_mount(tmp_path / "fs") as mount:
        commits = run_workload(
            mount, [sys.executable, "-S", str(WRITER), mode, str(mount.root / DB), str(seed), str(records)]
        )
    assert len(commits) == records
    run = finish(mount, commits)
    where = replay_dir(tmp_path)
    try:
        return replay_cuts(run, cut_points(run, cuts, rng), check_attachments, where, rng)
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_every_committed_submission_keeps_its_pages_through_power_loss(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    results = attachment_cut_run(tmp_path, "attach", 80, 100, seed)
    report = f"attachments, seed {seed}: {summary(results)}"
    print(report)
    assert len(results) >= 90 and sum(r.promised > 0 for r in results) >= 60, report
    assert not [r for r in results if r.problems], report


def test_the_harness_catches_pages_that_are_not_synced(tmp_path: Path) -> None:
    """The teeth: the same writer with the pages' fsyncs skipped leaves committed rows naming lost pages."""
    seed = int.from_bytes(os.urandom(4), "big")
    results = attachment_cut_run(tmp_path, "attach-nosync", 40, 30, seed)
    report = f"attachments without page fsyncs, seed {seed}: {summary(results)}"
    print(report)
    assert len([r for r in results if any("pages" in p for p in r.problems)]) >= 5, report
