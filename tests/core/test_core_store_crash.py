"""SIGKILL at random moments: every submission the store reported committed survives byte-identical, no row is
torn, ticket numbers never repeat, and a database killed while being created or migrated still opens.

The writers are real processes (forked by a long-lived ``store_writer.py zygote``, so a round costs a fork, not a
Python start-up) and the kill is a real SIGKILL from this process. The seed is printed on failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.store import Store, canonical_json
from kiosk.store.migrations import LATEST_VERSION

WRITER = Path(__file__).with_name("store_writer.py")
REPO = Path(__file__).resolve().parents[2]
KILLS_WHILE_WRITING = 220
KILLS_WHILE_OPENING = 30


@dataclass
class Reported:
    """What one writer said it had committed before it was killed."""

    entries: list[tuple[str, str, int]] = field(default_factory=list)  # key, sha256, ticket
    ready: bool = False


class Zygote:
    """Drives ``store_writer.py zygote``: fork a writer, kill it, collect what it reported."""

    def __init__(self, stderr_path: Path) -> None:
        self._stderr_path = stderr_path
        self._stderr = stderr_path.open("wb")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        # -S: no site-packages, the writer needs only the stdlib and kiosk/ (faster start, lighter fork).
        self.proc = subprocess.Popen(
            [sys.executable, "-S", str(WRITER), "zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
            bufsize=1,
        )

    def _line(self) -> str:
        line = self.proc.stdout.readline()
        assert line.endswith("\n"), f"writer server died; stderr:\n{self.stderr()}"
        return line.rstrip("\n")

    def stderr(self) -> str:
        """What the server and its children wrote to stderr."""
        self._stderr.flush()
        return self._stderr_path.read_text(errors="replace")

    def kill_round(self, db: Path, seed: int, delay_s: float, *, after_ready: bool) -> Reported:
        """Start a writer on ``db``, SIGKILL it ``delay_s`` after it is ready (or after it started)."""
        self.proc.stdin.write(f"{db} {seed}\n")
        self.proc.stdin.flush()
        first = self._line()
        assert first.startswith("pid "), first
        pid = int(first.split()[1])
        reported = Reported()
        if after_ready:
            reported.ready = self._line() == "ready"
            assert reported.ready, f"writer not ready; stderr:\n{self.stderr()}"
            # The delay runs from the first reported write, so the kill lands among writes even on a machine so
            # loaded that a writer can spend the whole delay before its first commit.
            key, sha, ticket = self._line().split()
            reported.entries.append((key, sha, int(ticket)))
        time.sleep(delay_s)
        os.kill(pid, signal.SIGKILL)
        while not (line := self._line()).startswith(f"exit {pid} "):
            if line == "ready":
                reported.ready = True
            else:
                key, sha, ticket = line.split()
                reported.entries.append((key, sha, int(ticket)))
        status = int(line.split()[2])
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"writer ended on its own (status {status}); stderr:\n{self.stderr()}"
        )
        return reported

    def close(self) -> None:
        """Stop the server (it exits at end of input)."""
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self._stderr.close()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_database(db: Path, reported: dict[str, str], tickets: list[int], context: str) -> int:
    """Assert the invariants on the killed database; return the number of rows."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
        rows = dict(conn.execute("SELECT key, payload FROM outbox_all").fetchall())
        counter = conn.execute("SELECT value FROM counters WHERE name = 'ticket'").fetchone()[0]
    finally:
        conn.close()
    missing = [key for key in reported if key not in rows]
    assert not missing, f"{context}: {len(missing)} reported submissions lost, e.g. {missing[:3]}"
    changed = [key for key, sha in reported.items() if sha256_text(rows[key]) != sha]
    assert not changed, f"{context}: {len(changed)} submissions not byte-identical, e.g. {changed[:3]}"
    row_tickets = []
    for key, text in rows.items():
        body = json.loads(text)  # a torn row would not parse
        claimed = body.pop("self_sha")
        assert sha256_text(canonical_json(body)) == claimed, f"{context}: row {key} is not what was written"
        assert canonical_json(json.loads(text)) == text, f"{context}: row {key} is not canonical JSON"
        row_tickets.append(body["ticket"])
    assert len(set(row_tickets)) == len(row_tickets), f"{context}: a ticket number was handed out twice"
    assert tickets == sorted(set(tickets)), f"{context}: reported ticket numbers went backwards or repeated"
    assert counter >= max(tickets, default=0), f"{context}: the ticket counter went back to {counter}"
    return len(rows)


def test_sigkill_while_writing_loses_nothing_reported(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    context = f"seed {seed}"
    db = tmp_path / "kiosk.db"
    zygote = Zygote(tmp_path / "writer.err")
    reported: dict[str, str] = {}
    tickets: list[int] = []
    rounds_with_writes = 0
    try:
        for n in range(KILLS_WHILE_WRITING):
            got = zygote.kill_round(db, rng.randrange(2**31), rng.uniform(0.0, 0.030), after_ready=True)
            rounds_with_writes += bool(got.entries)
            for key, sha, ticket in got.entries:
                assert key not in reported, f"{context}: key {key} reported twice"
                reported[key] = sha
                tickets.append(ticket)
            if n % 50 == 49:  # check along the way too, so a failure points near the round that caused it
                check_database(db, reported, tickets, f"{context}, after round {n}")
    finally:
        zygote.close()
    rows = check_database(db, reported, tickets, context)
    # The kills must land while submissions are being written, not only before the first one.
    assert rounds_with_writes >= KILLS_WHILE_WRITING // 2, f"{context}: only {rounds_with_writes} rounds wrote"
    assert rows >= len(reported) >= KILLS_WHILE_WRITING
    with Store(db) as store:  # and the store itself opens it and sees the same entries
        for key, sha in rng.sample(sorted(reported.items()), 20):
            entry = store.get(key)
            assert entry is not None and sha256_text(entry.payload_json) == sha, context


def test_sigkill_while_creating_or_migrating_leaves_an_openable_database(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    zygote = Zygote(tmp_path / "writer.err")
    ready_before_kill = 0
    try:
        for n in range(KILLS_WHILE_OPENING):
            db = tmp_path / f"fresh-{n}.db"
            got = zygote.kill_round(db, rng.randrange(2**31), rng.uniform(0.0, 0.008), after_ready=False)
            ready_before_kill += got.ready
            with Store(db) as store:  # the killed open must never leave a database that cannot be opened
                assert store.read_only_reason is None
                store.enqueue("submission", {"after": n})
            conn = sqlite3.connect(db)
            try:
                assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION, f"seed {seed}"
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {seed}"
            finally:
                conn.close()
    finally:
        zygote.close()
    # Some kills must land before the store was open, or this test proves nothing about creation/migration.
    assert ready_before_kill < KILLS_WHILE_OPENING, f"seed {seed}: every writer was already open when killed"
