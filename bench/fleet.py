"""Fleet benchmark: ``python -m bench fleet [--kiosks 1000] [--instances 1,2,4] [--messages 30] [--window 4]``.

Simulated kiosks (raw paho clients, ``--workers`` processes, each driving its share of the sockets from one
thread) send contract-valid uplink through one mosquitto into 1, 2 and 4 ``kiosk-hall run`` processes sharing one
PostgreSQL database (a throwaway server, fsync on: a commit costs what it costs). Every kiosk has ``--messages``
queued in the mix of a working day (per ten: one heartbeat, one fault event, four submissions, two tickets, two
ratings, real records built with the kiosk's own builders) and follows the agent's rules: at most ``--window``
unacknowledged, a row done only when an ack lists its key, resent after ``--ack-timeout`` seconds.

Per instance count, two runs on the same halls:

- capacity (closed loop): every kiosk has ``--messages`` queued and sends as fast as acks come back (the whole
  fleet reconnecting with a backlog after an outage): messages/s (all messages / first send to last ack) is what
  the halls can take, and its ratio to one instance is the scaling figure. Latency here is mostly queueing
  (``kiosks x window`` messages wait their turn).
- latency (open loop): ``--rate`` messages/s spread over the fleet (each kiosk sends every ``kiosks / rate``
  seconds) for ``--rate-seconds``: ack latency p50/p99, kiosk side (first publish to the ack listing the key).

Then the check that nothing was lost (every key sent is in the database, under its kiosk) nor doubled (one row
per (kiosk, key); resends only count copies).
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


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) ``pid`` has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(parent: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


class CpuMeter:
    """CPU seconds used by the halls, the broker and the PostgreSQL server between :meth:`start` and :meth:`stop`:
    where the machine's time went (the simulated kiosks measure their own)."""

    def __init__(self, halls: list[int], broker: int, postmaster: int) -> None:
        self._groups = {"halls": halls, "broker": [broker], "postgresql": [postmaster]}
        self._postmaster = postmaster
        self._before: dict[str, float] = {}

    def _now(self) -> dict[str, float]:
        pids = dict(self._groups, postgresql=[self._postmaster, *_children(self._postmaster)])
        return {name: sum(_cpu_s(p) for p in group) for name, group in pids.items()}

    def start(self) -> None:
        self._before = self._now()

    def stop(self) -> dict[str, float]:
        return {k: round(v - self._before.get(k, 0.0), 1) for k, v in self._now().items()}


def _phase(
    args: argparse.Namespace, port: int, meter: CpuMeter, *, messages: int, rate: float, seq_start: int
) -> dict[str, Any]:
    """Run the fleet once (``rate``: messages/s over the fleet, 0 for the closed loop); the workers' reports
    merged: keys sent per kiosk, latencies, resends, first send and last ack, and CPU seconds by part."""
    per = -(-args.kiosks // args.workers)
    procs = []
    try:
        for first in range(0, args.kiosks, per):
            argv = ["worker", "--port", str(port), "--first", str(first),
                    "--kiosks", str(min(per, args.kiosks - first)), "--messages", str(messages),
                    "--window", str(args.window), "--rate", str(rate / args.kiosks), "--seq-start", str(seq_start),
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
        for w in procs:  # every kiosk connected and subscribed before anyone sends
            assert w.stdout is not None
            line = w.stdout.readline()
            if line.strip() != "READY":
                raise RuntimeError(f"a fleet worker failed to start: {line!r}")
        meter.start()
        for w in procs:
            assert w.stdin is not None
            w.stdin.write("GO\n")
            w.stdin.flush()
        reports = []
        for w in procs:
            out, _ = w.communicate(timeout=args.timeout)
            if w.returncode != 0:
                raise RuntimeError(f"a fleet worker failed ({w.returncode})")
            reports.append(json.loads(out.strip().splitlines()[-1]))
        cpu = meter.stop()
    finally:
        for w in procs:
            if w.poll() is None:
                _stop(w, signal.SIGKILL)
    latencies = sorted(x for r in reports for x in r["latencies"])
    elapsed = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    sent = [(k, key) for r in reports for k, keys in r["keys"].items() for key in keys]
    return {
        "sent": sent,
        "messages": len(sent),
        "seconds": round(elapsed, 2),
        "msgs_per_s": round(len(sent) / elapsed, 1),
        "ack_p50_ms": round(1000 * _percentile(latencies, 0.50), 1),
        "ack_p99_ms": round(1000 * _percentile(latencies, 0.99), 1),
        "resends": sum(r["resends"] for r in reports),
        "cpu_s": {**cpu, "kiosks": round(sum(r["cpu_s"] for r in reports), 1)},
    }


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def one_run(args: argparse.Namespace, cluster: ThrowawayCluster, instances: int, workdir: Path) -> dict[str, Any]:
    """The fleet through ``instances`` hall instances on a fresh database: as fast as acked, then at ``--rate``;
    the figures of both and the checks."""
    url = cluster.create_database(f"fleet_{instances}")
    open_db(url).close()  # migrated once, before the instances race to it
    broker, port = _broker(workdir)
    halls = _halls(url, port, instances)
    meter = CpuMeter([h.pid for h in halls], broker.pid, cluster.postmaster_pid())
    phases: dict[str, dict[str, Any]] = {}
    try:
        _wait_hall_online(port, instances, timeout=60)
        phases["capacity"] = _phase(args, port, meter, messages=args.messages, rate=0.0, seq_start=1)
        if args.rate:
            per_kiosk = max(1, round(args.rate * args.rate_seconds / args.kiosks))
            phases["at_rate"] = _phase(
                args, port, meter, messages=per_kiosk, rate=args.rate, seq_start=args.messages + 1
            )
    finally:
        stats = []
        for h in halls:
            lines = [line for line in _stop(h).splitlines() if line.startswith("{")]
            stats.append(json.loads(lines[-1]) if lines else {})
        _stop(broker, signal.SIGKILL)
    sent = [pair for phase in phases.values() for pair in phase.pop("sent")]
    db = open_db(url)
    try:
        with db.reading() as tx:
            stored = {(k, key) for k, key in tx.execute("SELECT kiosk_id, key FROM messages").fetchall()}
        rows, copies = db.count(), db.copies()
        kiosks_with_faults = len({f["kiosk_id"] for f in db.faults()})
    finally:
        db.close()
    cluster.drop_database(f"fleet_{instances}")
    return {
        "instances": instances,
        **phases,
        "lost": len(set(sent) - stored),
        "unexpected": len(stored - set(sent)),
        "doubled": rows - (len(set(sent)) - len(set(sent) - stored)),  # rows beyond one per message sent
        "copies_absorbed": copies - rows,
        "kiosks_with_fault_state": kiosks_with_faults,
        "per_instance_stored": [s.get("stored") for s in stats],
    }


def _table(results: list[dict[str, Any]], rate: float) -> str:
    base = results[0]["capacity"]["msgs_per_s"]
    head = f"{'instances':>9} {'msgs/s':>7} {'scaling':>7} {'p50 ms':>7} {'p99 ms':>7}"
    if rate:
        head += f" | at {rate:g}/s: {'p50 ms':>6} {'p99 ms':>6}"
    lines = [head + f" | {'lost':>4} {'doubled':>7} {'resent':>6} | capacity run CPU s: halls/broker/pg/kiosks of all"]
    for r in results:
        cap = r["capacity"]
        line = f"{r['instances']:>9} {cap['msgs_per_s']:>7.0f} {cap['msgs_per_s'] / base:>6.2f}x "
        line += f"{cap['ack_p50_ms']:>7.0f} {cap['ack_p99_ms']:>7.0f}"
        if "at_rate" in r:
            at = r["at_rate"]
            line += f" | {'':>{len(f'at {rate:g}/s:')}} {at['ack_p50_ms']:>6.1f} {at['ack_p99_ms']:>6.1f}"
        resent = sum(p["resends"] for k, p in r.items() if k in ("capacity", "at_rate"))
        used = cap["cpu_s"]
        available = (os.cpu_count() or 1) * cap["seconds"]
        line += f" | {r['lost']:>4} {r['doubled']:>7} {resent:>6} | "
        parts = "/".join(f"{used[k]:.0f}" for k in ("halls", "broker", "postgresql", "kiosks"))
        line += f"{parts} of {available:.0f}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the fleet through each instance count; print a JSON line per run and the table. Non-zero if anything
    was lost or doubled."""
    p = argparse.ArgumentParser(prog="python -m bench fleet", description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="run", choices=["run", "worker"])
    p.add_argument("--kiosks", type=int, default=1000)
    p.add_argument("--instances", default="1,2,4", help="hall instance counts, comma-separated")
    p.add_argument("--messages", type=int, default=10, help="queued per kiosk for the capacity run")
    p.add_argument("--window", type=int, default=4, help="unacknowledged messages per kiosk (mqtt.inflight)")
    p.add_argument("--rate", type=float, default=300.0, help="messages/s over the fleet for the latency run (0: none)")
    p.add_argument("--rate-seconds", type=float, default=20.0, help="how long the latency run lasts")
    p.add_argument("--seq-start", type=int, default=1, help=argparse.SUPPRESS)
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
    print(f"fleet: {args.kiosks} kiosks -> 1 mosquitto -> hall instances {counts} -> PostgreSQL (fsync on); "
          f"capacity: {args.messages} messages per kiosk, at most {args.window} unacknowledged each, as fast as acked; "
          f"latency: {args.rate:g} messages/s over the fleet for {args.rate_seconds:g} s; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
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
    print(_table(results, args.rate))
    return 0 if all(r["lost"] == 0 and r["doubled"] == 0 and r["unexpected"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
