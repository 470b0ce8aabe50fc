"""The outbox at 1k, 10k and 100k pending rows, same disk, same run: ``python -m bench scale``.

A kiosk whose hall was unreachable over a long holiday has a big backlog; every outbox operation must cost the
same then as on an ordinary day. For each backlog size one database is seeded (setup, not measured: one bulk
transaction) with rows of the real shape: nine real submission records (personal) for every heartbeat, the
store's default telemetry limit (10,000). Then, in rounds that alternate the order of the sizes (the machine is
shared: drift hits every size alike), each round measures at every size:

- drain: 1,000 rows (at most half the backlog) from the citizen lane as the sync agent takes them, window
  100: ``pending`` after the lane's cursor, then ``confirm_many`` of the window's keys (its share of the time
  in brackets); the rows are put back to pending afterwards (``requeue_since``), so every drain takes the
  same rows; five drains per size and round, their median the round's figure, taken after the round's other
  steps with the sizes' drains back to back in turn (the aim compares sizes: seconds apart, not a round);
- the empty control lane: ``pending`` of the kinds no row has (what the agent asks every 0.25 s);
- 640 heartbeat enqueues, p99 and the worst (the automatic telemetry trims included: every 64th enqueue
  before, every 16th now), then removed again;
- ``outbox_stats()`` and ``trim_telemetry()``;
- retention on a copy whose personal rows were confirmed four days ago: ``purge_personal()`` and then
  ``housekeep()`` while another process (the UI, its store opened as the UI opens it) enqueues a submission
  every 2 ms; the UI's worst enqueue during each, and of it the worst wait for the write lock (what the
  clean-up made it wait: the rest is its own fsync), and, for comparison, its worst enqueue over as long again
  with nothing else writing (the disk's own fsync stalls: on this machine's disk ~100 ms once in a while); the
  longest a clean-up batch held the write lock; then the database file (+ WAL) against a VACUUMed copy.

Figures are medians over rounds (spread: lowest..highest round in the detail lines); p99 and the worst are over
all rounds' samples together. ``--check`` exits 1 when an aim of issue 16 is missed (see :data:`AIMS`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.store import SUBMISSION_KINDS, Store, canonical_json, new_key
from kiosk.store.connection import connect

try:
    from kiosk.store.space import Pacer
except ImportError:  # a store from before the batches (to measure the "before" column)
    Pacer = None  # type: ignore[assignment,misc]

SIZES = (1_000, 10_000, 100_000)
DRAIN, WINDOW = 1_000, 100
DRAIN_REPEATS = 5  # drains per size and round (their median is the round's figure): one is a few fsyncs only
HEARTBEATS = 640
TELEMETRY_EVERY = 10  # one heartbeat for nine submissions
RETENTION_S = 72 * 3600
QUIET_S = 0.5  # the UI writer runs alone this long before the purge
QUIET_MAX_S = 40.0  # the quiet window after the clean-up is as long as it took, up to this
CONTROL_KINDS = ("fault", "command_result")  # the agent's control lane (sync/agent.py), empty here
HEARTBEAT = {
    "devices": {k: {"state": "ok", "faults": [], "since": 1.8e9, "detail": ""} for k in ("printer", "idcard", "qr")},
    "outbox": {"depth": 0, "oldest_pending_age_s": 0.0},
    "disk": {"free_bytes": 12_345_678_901, "free_pct": 61.2},
    "uptime_s": 86400.0,
    "versions": {"firmware": "1.0.0", "catalog": "2027.01"},
    "open_faults": [],
}


def submission_text() -> str:
    """A real submission record (what the kiosk's session writes), as canonical JSON."""
    from bench.sync import _submission  # the same record the sync benchmark drains

    return canonical_json(_submission())


# ------------------------------------------------------------------------------------------------ set-up
def random_key() -> str:
    """A key as the store made them before version 7 keys: a random UUID (``--random-keys``)."""
    return str(uuid.uuid4())


def seed(db: Path, count: int, *, confirmed_at: float | None = None, key: Callable[[], str] = new_key) -> None:
    """A new store at ``db`` with ``count`` outbox rows of the real mix, in one transaction (not measured).

    ``confirmed_at`` set: every row is confirmed then (for the retention runs); otherwise all are pending.
    ``key`` makes the rows' keys (default: as the store makes them now).
    """
    Store(db, telemetry_limit=10_000).close()  # created and migrated by the code under test
    conn = connect(str(db))
    text, beat, now = submission_text(), canonical_json(HEARTBEAT), time.time()
    rows = []
    for i in range(count):
        telemetry = i % TELEMETRY_EVERY == TELEMETRY_EVERY - 1
        rows.append((key(), "heartbeat" if telemetry else "submission", beat if telemetry else text,
                     now - 5 * 86400 + i * 0.01, 0 if telemetry else 1))  # fmt: skip
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES (?, ?, ?, ?, ?)", rows)
    if confirmed_at is not None:
        conn.execute("UPDATE outbox SET state = 'confirmed', confirmed_at = ?", (confirmed_at,))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _raw(db: Path, sql: str, params: tuple | list = ()) -> None:
    """Put the benchmark's own changes back (bench set-up, outside the store on purpose)."""
    conn = connect(str(db))
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


# ----------------------------------------------------------------------------------------- measurements
def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def drain(store: Store, db: Path, count: int) -> tuple[float, float]:
    """Rows per second and the share of the time in ``confirm_many``, for ``count`` rows in windows of WINDOW."""
    cursor, done, in_confirm, seqs = 0, 0, 0.0, []  # seqs: what was confirmed
    start = time.perf_counter()
    while done < count:
        rows = store.pending(limit=WINDOW, kinds=SUBMISSION_KINDS, after_seq=cursor)
        cursor = rows[-1].seq
        keys = [row.key for row in rows]
        seqs += [row.seq for row in rows]
        t = time.perf_counter()
        store.confirm_many(keys)
        in_confirm += time.perf_counter() - t
        done += len(rows)
    total = time.perf_counter() - start
    # Back to pending, as the hall's "resend since" would (the only confirmed rows of this database are these).
    # Through the store's own connection: a write from another connection empties its page cache (SQLite
    # re-reads after any other writer), and a backlog's drain does not see the UI write between every window.
    assert store.requeue_since(0.0) == len(seqs)
    return done / total, in_confirm / total


def heartbeats(store: Store, db: Path) -> list[float]:
    """Latencies of HEARTBEATS telemetry enqueues; the rows are deleted afterwards (the backlog stays put)."""
    first = None
    samples = []
    for _ in range(HEARTBEATS):
        start = time.perf_counter()
        entry = store.enqueue("heartbeat", HEARTBEAT)
        samples.append(time.perf_counter() - start)
        first = entry.seq if first is None else first
    _raw(db, "DELETE FROM outbox WHERE seq >= ?", (first,))
    _raw(db, "DELETE FROM outbox_staged WHERE seq >= ?", (first,))  # the last few, not moved yet
    return samples


def _ui_writer(db: Path, stop: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench", "scale", "ui-writer", "--db", str(db), "--stop", str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise RuntimeError("the UI writer did not start")
    return proc


def ui_writer(db: Path, stop: Path) -> None:
    """The UI process: a submission every 2 ms until ``stop`` exists; prints (start, seconds, of them waiting for
    the other process's write lock) of each."""
    payload = json.loads(submission_text())
    samples: list[tuple[float, float, float]] = []
    try:  # opened as the UI process opens it (checkpoints in a thread), where the store has that
        store = Store(db, checkpoint_in_thread=True)
    except TypeError:  # a store from before it (to measure the "before" column)
        store = Store(db)
    with store:
        print("ready", flush=True)
        while not stop.exists():
            start = time.monotonic()
            store.enqueue("submission", payload, personal=True)
            took = time.monotonic() - start
            samples.append((start, took, getattr(store, "lock_wait_s", float("nan"))))  # nan: a store before it
            time.sleep(0.002)
    print(json.dumps(samples), flush=True)


def _worst_during(samples: list[list[float]], start: float, end: float, *, lock: bool = False) -> float:
    """The longest UI enqueue that overlapped [start, end] (``lock``: the longest wait for the write lock)."""
    column = 2 if lock else 1
    return max((s[column] for s in samples if s[0] <= end and s[0] + s[1] >= start), default=0.0)


def retention(template: Path, workdir: Path) -> dict[str, Any]:
    """Purge and housekeep a copy of ``template`` beside a UI writer; times, UI waits and file sizes."""
    db = workdir / "purge.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, db)
    stop = workdir / "stop"
    stop.unlink(missing_ok=True)
    pacer = Pacer() if Pacer is not None else None  # the store's batch pacing, where it has one
    store = Store(db, retention_s=RETENTION_S, telemetry_limit=10_000, **({"pacer": pacer} if pacer else {}))
    writer = _ui_writer(db, stop)
    try:
        time.sleep(QUIET_S)  # the writer settles
        t0 = time.monotonic()
        store.purge_personal()
        t1 = time.monotonic()
        store.housekeep()
        t2 = time.monotonic()
        # Then the UI's own worst with nothing else writing, over as long as the clean-up took (the worst of a
        # longer window is longer): what the disk's own fsyncs and the machine's load give it anyway.
        time.sleep(0.05)
        t3 = time.monotonic()
        time.sleep(min(t2 - t0, QUIET_MAX_S))
        t4 = time.monotonic()
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
        store.close()
    samples = json.loads(out.strip().splitlines()[-1])
    size = db.stat().st_size + _size(Path(f"{db}-wal"))
    copy = workdir / "vacuumed.db"
    copy.unlink(missing_ok=True)
    _raw(db, "VACUUM INTO ?", (str(copy),))
    return {
        "quiet_ui_ms": _worst_during(samples, t3, t4) * 1000,
        "purge_lock_ms": _worst_during(samples, t0, t1, lock=True) * 1000,
        "housekeep_lock_ms": _worst_during(samples, t1, t2, lock=True) * 1000,
        "longest_batch_ms": pacer.longest * 1000 if pacer else float("nan"),
        "longest_job": pacer.longest_job if pacer else "",
        "purge_s": t1 - t0,
        "purge_ui_ms": _worst_during(samples, t0, t1) * 1000,
        "housekeep_s": t2 - t1,
        "housekeep_ui_ms": _worst_during(samples, t1, t2) * 1000,
        "db_mb": size / 1e6,
        "vacuumed_mb": copy.stat().st_size / 1e6,
    }


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


# ------------------------------------------------------------------------------------------------- rounds
@dataclass
class Figures:
    """Everything measured at one backlog size, per round (lists) or over all rounds (samples)."""

    drain: list[float] = field(default_factory=list)
    confirm_share: list[float] = field(default_factory=list)
    lane_ms: list[float] = field(default_factory=list)
    stats_ms: list[float] = field(default_factory=list)
    trim_ms: list[float] = field(default_factory=list)
    enqueue: list[float] = field(default_factory=list)  # seconds, every heartbeat of every round
    retention: list[dict[str, Any]] = field(default_factory=list)


def one_round(size: int, db: Path, template: Path, workdir: Path, figures: Figures) -> None:
    """Measure everything once at ``size`` (its databases made beforehand)."""
    with Store(db, telemetry_limit=10_000) as store:
        store.pending(limit=WINDOW, kinds=CONTROL_KINDS)  # warm: the first statement of a connection prepares
        lane = [_timed(lambda: store.pending(limit=WINDOW, kinds=CONTROL_KINDS)) for _ in range(50)]
        figures.lane_ms.append(statistics.median(lane) * 1000)
        figures.stats_ms.append(statistics.median(_timed(store.outbox_stats) for _ in range(10)) * 1000)
        figures.trim_ms.append(statistics.median(_timed(store.trim_telemetry) for _ in range(10)) * 1000)
        figures.enqueue += heartbeats(store, db)
    figures.retention.append(retention(template, workdir))


def drain_round(order: list[int], dbs: dict[int, Path], figures: dict[int, Figures]) -> None:
    """The drains of one round, every size's back to back, DRAIN_REPEATS times over: the drain aim compares
    sizes, and a whole round (a purge of 100k rows among its steps) is long enough for the shared disk to
    change speed between one size's drains and another's."""
    stores = {size: Store(dbs[size], telemetry_limit=10_000) for size in order}
    try:
        drains: dict[int, list[tuple[float, float]]] = {size: [] for size in order}
        for _ in range(DRAIN_REPEATS):
            for size in order:
                drains[size].append(drain(stores[size], dbs[size], min(DRAIN, size // 2)))
    finally:
        for store in stores.values():
            store.close()
    for size, taken in drains.items():
        figures[size].drain.append(statistics.median(rate for rate, _ in taken))
        figures[size].confirm_share.append(statistics.median(share for _, share in taken))


def run(
    workdir: Path,
    sizes: tuple[int, ...],
    rounds: int,
    *,
    log: Callable[[str], None] = print,
    key: Callable[[], str] = new_key,
) -> dict[int, Figures]:
    """Seed every size (keys from ``key``), then ``rounds`` rounds over all sizes, the order alternating;
    figures per size."""
    dbs, templates = {}, {}
    for size in sizes:
        log(f"seeding {size} rows, twice ...")
        dbs[size] = workdir / f"pending-{size}.db"
        seed(dbs[size], size, key=key)
        templates[size] = workdir / f"confirmed-{size}.db"
        seed(templates[size], size, confirmed_at=time.time() - 4 * 86400, key=key)
    figures = {size: Figures() for size in sizes}
    for r in range(rounds):
        order = list(sizes) if r % 2 == 0 else list(reversed(sizes))
        for size in order:
            one_round(size, dbs[size], templates[size], workdir, figures[size])
        drain_round(order, dbs, figures)
        log(f"round {r + 1}/{rounds} done")
    return figures


# ------------------------------------------------------------------------------------------------- report
def _p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _med(values: list[float]) -> float:
    return statistics.median(values)


def _spread(values: list[float], fmt: str) -> str:
    return f"{min(values):{fmt}}..{max(values):{fmt}}"


def summary(figures: dict[int, Figures]) -> dict[int, dict[str, Any]]:
    """Per size: the figures of the table (medians over rounds; p99/max over every sample)."""
    out = {}
    for size, f in figures.items():
        ret = f.retention
        out[size] = {
            "drain_rows_s": _med(f.drain),
            "confirm_share": _med(f.confirm_share),
            "lane_ms": _med(f.lane_ms),
            "enqueue_p99_ms": _p(f.enqueue, 99) * 1000,
            "enqueue_max_ms": max(f.enqueue) * 1000,
            "stats_ms": _med(f.stats_ms),
            "trim_ms": _med(f.trim_ms),
            **{key: _med([r[key] for r in ret]) for key in ret[0] if key != "longest_job"},
            "longest_job": max(ret, key=lambda r: r["longest_batch_ms"])["longest_job"],
            "purge_ui_max_ms": max(r["purge_ui_ms"] for r in ret),
            "quiet_ui_max_ms": max(r["quiet_ui_ms"] for r in ret),
            "longest_batch_max_ms": max(r["longest_batch_ms"] for r in ret),
            "housekeep_ui_max_ms": max(r["housekeep_ui_ms"] for r in ret),
            "purge_lock_max_ms": max(r.get("purge_lock_ms", math.nan) for r in ret),
            "housekeep_lock_max_ms": max(r.get("housekeep_lock_ms", math.nan) for r in ret),
        }
    return out


ROWS = (  # label, then the cell's format over the summary's keys
    ("drain rows/s, window 100 (share in confirm_many)", "{drain_rows_s:.0f} ({confirm_share:.2f})"),
    ("pending() of the empty control lane, ms", "{lane_ms:.3f}"),
    ("heartbeat enqueue p99 / max, ms (trims included)", "{enqueue_p99_ms:.2f} / {enqueue_max_ms:.1f}"),
    ("outbox_stats() / trim_telemetry(), ms", "{stats_ms:.3f} / {trim_ms:.3f}"),
    ("purge_personal s, worst UI enqueue during it ms", "{purge_s:.2f} s, {purge_ui_max_ms:.0f}"),
    ("  of it, the worst wait for the write lock, ms", "{purge_lock_max_ms:.0f}"),
    ("housekeep after it s, worst UI enqueue during it ms", "{housekeep_s:.2f} s, {housekeep_ui_max_ms:.0f}"),
    ("  of it, the worst wait for the write lock, ms", "{housekeep_lock_max_ms:.0f}"),
    ("UI enqueue worst, as long with nothing else writing", "{quiet_ui_max_ms:.0f}"),
    ("longest a clean-up batch held the write lock, ms", "{longest_batch_max_ms:.0f} {longest_job}"),
    ("database after purge+housekeep vs VACUUMed copy, MB", "{db_mb:.1f} vs {vacuumed_mb:.1f}"),
)


def format_table(figures: dict[int, Figures]) -> str:
    """The issue's table, one column per backlog size, then the per-round spreads."""
    s = summary(figures)
    lines = [f"{'pending rows':52}" + "".join(f" | {n:>17}" for n in s)]
    lines += [f"{label:52}" + "".join(f" | {cell.format(**x):>17}" for x in s.values()) for label, cell in ROWS]
    lines += ["", "spread over rounds (lowest..highest):"]
    for n, f in figures.items():
        lines.append(
            f"  {n}: drain {_spread(f.drain, '.0f')}, lane ms {_spread(f.lane_ms, '.3f')}, "
            f"stats ms {_spread(f.stats_ms, '.2f')}, trim ms {_spread(f.trim_ms, '.2f')}, "
            f"purge s {_spread([r['purge_s'] for r in f.retention], '.2f')}"
        )
    return "\n".join(lines)


AIMS = "drain(100k) >= 0.8 x drain(1k); empty lane <= 1 ms; heartbeat p99(100k) <= 2 x p99(1k); " \
    "stats and trim(100k) <= max(2 x at 1k, 1 ms); worst UI wait for the write lock during purge/housekeep " \
    "<= 50 ms, and worst UI enqueue then <= max(50 ms, its worst as long with nothing else writing); " \
    "database <= 1.5 x VACUUMed copy"  # fmt: skip


def misses(figures: dict[int, Figures]) -> list[str]:
    """The aims of issue 16 (items 1 and 2) this run missed, smallest size against the largest."""
    s = summary(figures)
    small, big = s[min(s)], s[max(s)]
    found = []
    if big["drain_rows_s"] < 0.8 * small["drain_rows_s"]:
        found.append(f"drain {big['drain_rows_s']:.0f} < 0.8 x {small['drain_rows_s']:.0f}")
    if big["enqueue_p99_ms"] > 2 * small["enqueue_p99_ms"]:
        found.append(f"heartbeat p99 {big['enqueue_p99_ms']:.2f} > 2 x {small['enqueue_p99_ms']:.2f} ms")
    for name in ("stats_ms", "trim_ms"):
        if big[name] > max(2 * small[name], 1.0):
            found.append(f"{name} {big[name]:.2f} > max(2 x {small[name]:.2f}, 1) ms")
    for n, x in s.items():
        if x["lane_ms"] > 1.0:
            found.append(f"empty lane {x['lane_ms']:.2f} ms at {n}")
        for key in ("purge_lock_max_ms", "housekeep_lock_max_ms"):  # what the clean-up made the UI wait
            if x[key] > 50:
                found.append(f"{key} {x[key]:.0f} ms at {n}")
        for key in ("purge_ui_max_ms", "housekeep_ui_max_ms"):  # and all of it, beside the disk's own worst
            if x[key] > max(50, x["quiet_ui_max_ms"]):
                found.append(f"{key} {x[key]:.0f} ms > max(50, {x['quiet_ui_max_ms']:.0f} with nothing else) at {n}")
        if x["db_mb"] > 1.5 * x["vacuumed_mb"]:
            found.append(f"database {x['db_mb']:.1f} MB > 1.5 x {x['vacuumed_mb']:.1f} MB at {n}")
    return found


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    """Run the rounds, print the table; with ``--check`` exit 1 when an aim is missed."""
    p = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="run", choices=["run", "ui-writer"])
    p.add_argument("--sizes", default=",".join(map(str, SIZES)), help="pending rows, comma-separated")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--dir", type=Path, default=None, help="where the databases go (the kiosk's data disk)")
    p.add_argument("--check", action="store_true", help=f"exit 1 when an aim is missed: {AIMS}")
    p.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    p.add_argument(
        "--random-keys",
        action="store_true",
        help="seed the backlog with random (version 4) keys, as written before the store's keys were time-ordered",
    )
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--stop", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.which == "ui-writer":  # internal: the UI process of the retention runs
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        ui_writer(args.db, args.stop)
        return 0
    sizes = tuple(sorted(int(n) for n in args.sizes.split(",")))
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-scale-", dir=args.dir) as tmp:
        figures = run(Path(tmp), sizes, args.rounds, log=_progress, key=random_key if args.random_keys else new_key)
        keys = "random keys" if args.random_keys else "time-ordered keys"
        print(f"bench scale in {tmp}: SQLite {sqlite3.sqlite_version}, {args.rounds} rounds, {keys}, pid {os.getpid()}")
    print(format_table(figures))
    if args.json:
        print(json.dumps({str(n): v for n, v in summary(figures).items()}))
    found = misses(figures)
    for miss in found:
        print(f"MISSED: {miss}")
    return 1 if args.check and found else 0
