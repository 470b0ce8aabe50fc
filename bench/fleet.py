"""Fleet benchmark: ``python -m bench fleet [--kiosks 1000] [--instances 1,2,4] [--messages 30] [--window 4]``.

Simulated kiosks (raw paho clients, ``--workers`` processes, each driving its share of the sockets from one
thread) send contract-valid uplink through one mosquitto into 1, 2 and 4 ``kiosk-hall run`` processes sharing one
PostgreSQL database (a throwaway server, fsync on: a commit costs what it costs). Every kiosk has ``--messages``
queued in the mix of a working day (per ten: one heartbeat, one fault event, four submissions, two tickets, two
ratings, real records built with the kiosk's own builders) and follows the agent's rules: at most ``--window``
unacknowledged, a row done only when an ack lists its key, resent after ``--ack-timeout`` seconds.

``--rate 0`` (default) is the closed loop: kiosks send as fast as acks come back (every kiosk reconnecting with
a backlog after an outage), so messages/s is what the halls can take. ``--rate R`` spreads R messages/s over
the fleet instead (an open loop, for the latency at a given load).

Per instance count: messages/s (all messages / first send to last ack), ack latency p50/p99 (kiosk side: first
publish to the ack listing the key), and the check that nothing was lost (every key in the database once, under
its kiosk) nor doubled (one row per key; resends counted as copies).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._fleet_sim import HALL, fleet_worker
from bench.sync import _free_port, _wait_hall_online
from sync.halldb import open_db
from sync.halldb.throwaway import ThrowawayCluster


def _broker(workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    """mosquitto tuned like the shipped config (no TLS: the bench measures the rest), for a thousand clients."""
    port = _free_port()
    conf = workdir / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 100\n"
        "max_queued_messages 100000\nset_tcp_nodelay true\nmax_connections -1\n"
    )

    def more_files() -> None:  # 1,000 kiosks and the halls: past the usual 1,024 descriptors
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    proc = subprocess.Popen(
        ["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, preexec_fn=more_files,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                _stop(proc, signal.SIGKILL)
                raise RuntimeError("mosquitto did not start") from None
            time.sleep(0.02)


def _halls(url: str, port: int, instances: int) -> list[subprocess.Popen[str]]:
    procs = []
    for i in range(1, instances + 1):
        argv = ["--log-level", "WARNING", "run", "--db", url, "--hall", HALL, "--port", str(port), "--instance", str(i)]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "sync.hall_main", *argv],
                stdout=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        )
    return procs


def _stop(proc: subprocess.Popen[Any], sig: int = signal.SIGTERM) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=10)
    return out or ""


def _workers(args: argparse.Namespace, port: int) -> list[subprocess.Popen[str]]:
    per = -(-args.kiosks // args.workers)
    rate = args.rate / args.kiosks if args.rate else 0.0  # per kiosk
    procs = []
    for first in range(0, args.kiosks, per):
        argv = ["worker", "--port", str(port), "--first", str(first), "--kiosks", str(min(per, args.kiosks - first)),
                "--messages", str(args.messages), "--window", str(args.window), "--rate", str(rate),
                "--ack-timeout", str(args.ack_timeout), *(["--progress"] if args.progress else [])]  # fmt: skip
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "bench", "fleet", *argv],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        )
    return procs


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def one_run(args: argparse.Namespace, cluster: ThrowawayCluster, instances: int, workdir: Path) -> dict[str, Any]:
    """The fleet through ``instances`` hall instances on a fresh database; its figures and checks."""
    url = cluster.create_database(f"fleet_{instances}")
    open_db(url).close()  # migrated once, before the instances race to it
    broker, port = _broker(workdir)
    halls = _halls(url, port, instances)
    workers: list[subprocess.Popen[str]] = []
    try:
        _wait_hall_online(port, instances, timeout=60)
        workers = _workers(args, port)
        for w in workers:  # every kiosk connected and subscribed before anyone sends
            assert w.stdout is not None
            line = w.stdout.readline()
            if line.strip() != "READY":
                raise RuntimeError(f"a fleet worker failed to start: {line!r}")
        for w in workers:
            assert w.stdin is not None
            w.stdin.write("GO\n")
            w.stdin.flush()
        reports = []
        for w in workers:
            out, _ = w.communicate(timeout=args.timeout)
            if w.returncode != 0:
                raise RuntimeError(f"a fleet worker failed ({w.returncode})")
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for w in workers:
            if w.poll() is None:
                _stop(w, signal.SIGKILL)
        stats = []
        for h in halls:
            lines = [line for line in _stop(h).splitlines() if line.startswith("{")]
            stats.append(json.loads(lines[-1]) if lines else {})
        _stop(broker, signal.SIGKILL)
    sent = {(k, key) for r in reports for k, keys in r["keys"].items() for key in keys}
    db = open_db(url)
    try:
        with db.reading() as tx:
            stored = {(k, key) for k, key in tx.execute("SELECT kiosk_id, key FROM messages").fetchall()}
        rows, copies = db.count(), db.copies()
        kiosks_with_faults = len({f["kiosk_id"] for f in db.faults()})
    finally:
        db.close()
    cluster.drop_database(f"fleet_{instances}")
    latencies = sorted(x for r in reports for x in r["latencies"])
    elapsed = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return {
        "instances": instances,
        "messages": len(sent),
        "seconds": round(elapsed, 2),
        "msgs_per_s": round(len(sent) / elapsed, 1),
        "ack_p50_ms": round(1000 * _percentile(latencies, 0.50), 1),
        "ack_p99_ms": round(1000 * _percentile(latencies, 0.99), 1),
        "resends": sum(r["resends"] for r in reports),
        "lost": len(sent - stored),
        "unexpected": len(stored - sent),
        "doubled": rows - len(stored),  # a (kiosk, key) in two rows (the primary key forbids it; checked anyway)
        "copies_absorbed": copies - rows,
        "kiosks_with_fault_state": kiosks_with_faults,
        "per_instance_stored": [s.get("stored") for s in stats],
    }


def _table(results: list[dict[str, Any]]) -> str:
    base = results[0]["msgs_per_s"]
    head = f"{'instances':>9} {'messages':>9} {'msgs/s':>8} {'scaling':>8} {'p50 ms':>8} {'p99 ms':>8} {'lost':>5} "
    head += f"{'doubled':>7} {'resends':>7}  stored per instance"
    lines = [head]
    for r in results:
        lines.append(
            f"{r['instances']:>9} {r['messages']:>9} {r['msgs_per_s']:>8.0f} {r['msgs_per_s'] / base:>7.2f}x "
            f"{r['ack_p50_ms']:>8.1f} {r['ack_p99_ms']:>8.1f} {r['lost']:>5} {r['doubled']:>7} {r['resends']:>7}  "
            f"{r['per_instance_stored']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the fleet through each instance count; print a JSON line per run and the table. Non-zero if anything
    was lost or doubled."""
    p = argparse.ArgumentParser(prog="python -m bench fleet", description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="run", choices=["run", "worker"])
    p.add_argument("--kiosks", type=int, default=1000)
    p.add_argument("--instances", default="1,2,4", help="hall instance counts, comma-separated")
    p.add_argument("--messages", type=int, default=30, help="queued per kiosk")
    p.add_argument("--window", type=int, default=4, help="unacknowledged messages per kiosk (mqtt.inflight)")
    p.add_argument("--rate", type=float, default=0.0, help="messages/s over the whole fleet; 0: as fast as acked")
    p.add_argument(
        "--ack-timeout", type=float, default=10.0, help="resend after this many seconds (mqtt.ack_timeout_s)"
    )
    p.add_argument("--workers", type=int, default=4, help="simulator processes")
    p.add_argument("--timeout", type=float, default=600.0, help="give up on a run after this many seconds")
    p.add_argument("--progress", action="store_true", help="workers report progress on stderr every second")
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.which == "worker":
        return fleet_worker(args)
    counts = [int(n) for n in args.instances.split(",")]
    mode = f"open loop, {args.rate:g} msgs/s" if args.rate else f"closed loop, window {args.window}"
    print(f"fleet: {args.kiosks} kiosks x {args.messages} messages ({mode}) -> 1 mosquitto -> "
          f"hall instances {counts} -> PostgreSQL (fsync on); {os.cpu_count()} CPUs", flush=True)  # fmt: skip
    cluster = ThrowawayCluster(durable=True).start()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
            for n in counts:
                workdir = Path(tmp) / f"run-{n}"
                workdir.mkdir()
                result = one_run(args, cluster, n, workdir)
                print(json.dumps(result), flush=True)
                results.append(result)
    finally:
        cluster.stop()
    print(_table(results))
    return 0 if all(r["lost"] == 0 and r["doubled"] == 0 and r["unexpected"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
