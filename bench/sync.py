"""Sync benchmarks against a real mosquitto: ``python -m bench sync [throughput|memory|fleet|all] [options]``.

- throughput: the agent draining N outbox rows to a reference hall (its own process) with hall application
  acknowledgements, beside a raw paho QoS 1 publisher to a subscriber process, same broker, same run. The raw
  publisher keeps its own window of unacknowledged messages (as the agent does; paho's own window rescans its
  whole queue on every PUBACK, and queuing every message up front wraps paho's 16-bit message ids past 65,535).
  Raw and agent rounds alternate (and which goes first), so drift in the machine's load hits both; the figure is
  the median over rounds of drain / raw in the same round, with its spread (target >= 0.5).
- memory: a backlog of 100,000 rows drained; the agent process's resident memory growth (target <= 20 MB).
- fleet: 200 simulated kiosks (real agents, one store each, heartbeat every second) through one broker into two
  hall instances sharing one database; afterwards every heartbeat must be stored exactly once.

Backlogs are seeded with one bulk SQLite transaction of outbox rows of the real shape (setup, not measured).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.appointments import CHINA_TZ
from kiosk.catalog import load_catalog, shipped_catalog_path
from kiosk.config import HealthSection, KioskSection, MqttSection
from kiosk.demo import sample_identity
from kiosk.forms import merge_forms, prefill
from kiosk.health import HealthRules
from kiosk.store import Store, canonical_json
from kiosk.store.connection import connect
from kiosk.visit import records
from kiosk.visit.view import chosen_service
from sync import contract
from sync.agent import Agent
from sync.downlink import Downlink
from sync.hall_db import HallDB
from sync.heartbeat import HealthMonitor
from sync.transport import set_nodelay

HALL = "bench-hall"


@functools.cache
def _submission() -> dict[str, Any]:
    """A real submission record (the demo citizen applies for one service), as the kiosk's Session writes it:
    the hall checks citizen records against their schema, so a made-up payload would be quarantined."""
    catalog = load_catalog(shipped_catalog_path())
    service = catalog.services["mediation_application"]
    identity = sample_identity()
    form = prefill(merge_forms([service]), identity) | {
        "phone": "13900000000", "contact_address": identity.address, "dispute_type": "family",
        "opposing_party_name": "李示范", "matter_description": "邻里之间因停车位发生纠纷，希望调解。",
    }  # fmt: skip
    return records.submission_payload(
        kiosk_id="KSK-BENCH", reference="KSK-BENCH-270101-0001", chosen=chosen_service(service), values=form,
        identity=identity, catalog_version=catalog.version, now=datetime.now(CHINA_TZ), lang="zh",
    )  # fmt: skip


def _wire_size() -> int:
    """Bytes of one drained message (envelope and payload): raw paho publishes bodies of this size, for a fair
    ratio."""
    body = contract.encode_uplink(
        key=str(uuid.uuid4()), kind="submission", kiosk_id="KSK-T0", hall_id=HALL, seq=1, created_at=time.time(),
        sent_at=time.time(), attempt=1, personal=True, payload_json=canonical_json(_submission()),
    )  # fmt: skip
    return len(body)


_SUBSCRIBER = """
import sys, time, paho.mqtt.client as m
port, topic, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
got = 0
def on_message(c, u, msg):
    global got
    got += 1
    if got == n:
        print(time.time(), flush=True)
        c.disconnect()
c = m.Client(m.CallbackAPIVersion.VERSION2, client_id="raw-sub", protocol=m.MQTTv5)
c.on_message = on_message
c.on_connect = lambda c, u, f, rc, p: c.subscribe(topic, qos=1)
c.on_subscribe = lambda *a: print("ready", flush=True)
c.connect("127.0.0.1", port)
c.loop_forever()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    """mosquitto on a free loopback port, tuned like the shipped config (no TLS: the bench measures the rest)."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.port = port or _free_port()
        conf = workdir / "mosquitto.conf"
        conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "max_queued_messages 1000000\nmax_inflight_messages 1000\nset_tcp_nodelay true\n"
        )
        self.proc = subprocess.Popen(
            ["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("mosquitto did not start") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


def _hall(port: int, db: Path, instance: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync.hall_main",
            "--log-level",
            "WARNING",
            "run",
            "--db",
            str(db),
            "--hall",
            HALL,
            "--port",
            str(port),
            "--instance",
            instance,
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _stop_hall(proc: subprocess.Popen) -> dict[str, Any]:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _wait_hall_online(port: int, instances: int, timeout: float = 20.0) -> None:
    import paho.mqtt.client as mqtt

    online: set[str] = set()

    def on_message(_c: Any, _u: Any, msg: Any) -> None:
        if msg.payload and json.loads(msg.payload).get("online"):
            online.add(msg.topic)

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"probe-{uuid.uuid4()}", protocol=mqtt.MQTTv5)
    c.on_message = on_message
    c.connect("127.0.0.1", port)
    c.subscribe(f"gov/v1/{HALL}/hall/+/status", qos=1)
    deadline = time.monotonic() + timeout
    while len(online) < instances:
        c.loop(0.05)
        if time.monotonic() > deadline:
            raise RuntimeError("hall instances did not come online")
    c.disconnect()


def _seed(db: Path, count: int, kind: str = "submission") -> None:
    Store(db).close()  # creates and migrates
    conn = connect(str(db))
    text, now = canonical_json(_submission()), time.time()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO outbox (key, kind, payload, created_at, personal) VALUES (?, ?, ?, ?, 1)",
        ((str(uuid.uuid4()), kind, text, now) for _ in range(count)),
    )
    conn.execute("COMMIT")
    conn.close()


def _agent(
    store: Store,
    data_dir: Path,
    port: int,
    kiosk_id: str,
    window: int,
    heartbeat_s: float = 3600.0,
    monitor: bool = False,
) -> Agent:
    kiosk = KioskSection(id=kiosk_id, hall_id=HALL, data_dir=data_dir)
    link = MqttSection(
        port=port, inflight=window, heartbeat_s=heartbeat_s, ack_timeout_s=5.0, retry_min_s=0.1, retry_max_s=2.0
    )
    downlink = Downlink(store, kiosk_id=kiosk_id, hall_identity="hall")
    mon = None
    if monitor:
        health = HealthSection()
        mon = HealthMonitor(
            store, kiosk=kiosk, link=link, health=health, rules=HealthRules.from_config(health), housekeep_s=1e9
        )
    return Agent(store, kiosk=kiosk, link=link, downlink=downlink, monitor=mon)


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _drain(agent: Agent, store: Store, count: int, timeout: float, sample_rss: bool = False) -> tuple[float, float]:
    """Step the agent until ``count`` rows are confirmed; (seconds, peak RSS MB)."""
    peak = _rss_mb()
    start = time.monotonic()
    next_sample = start
    while agent.state.confirmed < count:
        agent.step(0.01)
        if sample_rss and time.monotonic() >= next_sample:
            peak = max(peak, _rss_mb())
            next_sample = time.monotonic() + 0.05
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"drain stalled at {agent.state.confirmed}/{count}")
    return time.monotonic() - start, max(peak, _rss_mb())


def raw_paho(port: int, count: int, window: int, size: int) -> float:
    """Messages per second: one paho publisher keeping at most ``window`` QoS 1 messages unacknowledged (its own
    window, like the agent's), on one thread stepping paho's loop, to one subscriber process, until all arrived."""
    import paho.mqtt.client as mqtt

    topic = "raw/bench"
    sub = subprocess.Popen(
        [sys.executable, "-c", _SUBSCRIBER, str(port), topic, str(count)], stdout=subprocess.PIPE, text=True
    )
    assert sub.stdout is not None
    if sub.stdout.readline().strip() != "ready":
        raise RuntimeError("raw subscriber did not start")
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="raw-pub", protocol=mqtt.MQTTv5)
    pub.max_inflight_messages_set(0)  # no paho window: ours below (paho's rescans its queue on each PUBACK)
    pub.max_queued_messages_set(0)
    acked = 0

    def on_publish(*_args: Any) -> None:
        nonlocal acked
        acked += 1

    pub.on_publish = on_publish
    pub.connect("127.0.0.1", port)
    set_nodelay(pub)  # as the agent's link
    while not pub.is_connected():
        pub.loop(0.05)
    body, sent = b"x" * size, 0
    start = time.time()
    while acked < count:
        while sent < count and sent - acked < window:  # message ids wrap at 65,535: a window never collides
            pub.publish(topic, body, qos=1)
            sent += 1
        if pub.loop(0.01) != mqtt.MQTT_ERR_SUCCESS:
            raise RuntimeError("raw publisher lost its connection")
    end = float(sub.stdout.readline())
    sub.wait(timeout=30)
    pub.disconnect()
    return count / (end - start)


def agent_drain(args: argparse.Namespace, workdir: Path, port: int, r: int) -> float:
    """Rows per second: the agent draining ``args.messages`` seeded rows, confirmed by a reference hall."""
    data = workdir / f"kiosk-{r}"
    data.mkdir()
    _seed(data / "kiosk.db", args.messages)
    hall = _hall(port, workdir / f"hall-{r}.db", "a")
    try:
        _wait_hall_online(port, 1)
        store = Store(data / "kiosk.db", telemetry_limit=10**7)
        agent = _agent(store, data, port, f"KSK-T{r}", args.window)
        seconds, _ = _drain(agent, store, args.messages, timeout=600)
        agent.close()
        store.close()
    finally:
        _stop_hall(hall)
    assert HallDB(workdir / f"hall-{r}.db").count("submission") == args.messages
    return args.messages / seconds


def throughput(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    broker = Broker(workdir)
    raw: list[float] = []
    drains: list[float] = []
    try:
        for r in range(args.rounds):
            sides = ("raw", "agent") if r % 2 == 0 else ("agent", "raw")  # neither side always goes first
            for side in sides:
                if side == "raw":
                    raw.append(raw_paho(broker.port, args.messages, args.window, _wire_size()))
                else:
                    drains.append(agent_drain(args, workdir, broker.port, r))
    finally:
        broker.stop()
    ratios = [d / w for d, w in zip(drains, raw, strict=True)]
    return {
        "raw_paho_qos1_msg_s": round(statistics.median(raw)),
        "drain_with_hall_acks_msg_s": round(statistics.median(drains)),
        "ratio": round(statistics.median(ratios), 2),
        "ratio_spread": [round(min(ratios), 2), round(max(ratios), 2)],
        "raw_spread": [round(min(raw)), round(max(raw))],
        "drain_spread": [round(min(drains)), round(max(drains))],
        "rounds": args.rounds,
        "messages": args.messages,
        "window": args.window,
        "batch_confirm": hasattr(Store, "confirm_many"),
    }


def memory(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    broker = Broker(workdir)
    data = workdir / "backlog"
    data.mkdir()
    try:
        _seed(data / "kiosk.db", args.backlog)
        hall = _hall(broker.port, workdir / "hall-memory.db", "m")
        _wait_hall_online(broker.port, 1)
        store = Store(data / "kiosk.db", telemetry_limit=10**7)
        agent = _agent(store, data, broker.port, "KSK-M", args.window)
        before = _rss_mb()
        seconds, peak = _drain(agent, store, args.backlog, timeout=1800, sample_rss=True)
        agent.close()
        store.close()
        _stop_hall(hall)
    finally:
        broker.stop()
    return {
        "backlog": args.backlog,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(peak, 1),
        "rss_growth_mb": round(peak - before, 1),
    }


KIOSKS_PER_WORKER = 50  # paho uses select(): a process cannot use file descriptors past 1024 (~7 per kiosk)


def fleet_worker(port: int, first: int, count: int, seconds: float, workdir: Path) -> None:
    """Run kiosks ``first .. first+count-1`` in this process (one thread steps them all), then drain them."""
    kiosks: list[tuple[Store, Agent]] = []
    for i in range(first, first + count):
        data = workdir / f"fleet-{i:03d}"
        data.mkdir()
        store = Store(data / "kiosk.db")
        kiosks.append((store, _agent(store, data, port, f"KSK-{i:04d}", 32, heartbeat_s=1.0, monitor=True)))
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for _, agent in kiosks:
                agent.step(0)
            time.sleep(0.002)
        for _, agent in kiosks:
            agent._monitor = None  # no more heartbeats; drain what is left
        deadline = time.monotonic() + 120
        while any(store.outbox_stats().depth for store, _ in kiosks):
            for _, agent in kiosks:
                agent.step(0)
            time.sleep(0.002)
            if time.monotonic() > deadline:
                raise RuntimeError("the fleet did not drain")
    finally:
        for store, agent in kiosks:
            agent.close(timeout=0.2)
            store.close()


def fleet(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    broker = Broker(workdir)
    halls = [_hall(broker.port, workdir / "fleet-hall.db", name) for name in ("a", "b")]
    try:
        _wait_hall_online(broker.port, 2)
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench",
                    "sync",
                    "fleet-worker",
                    "--port",
                    str(broker.port),
                    "--first",
                    str(first),
                    "--kiosks",
                    str(min(KIOSKS_PER_WORKER, args.kiosks - first)),
                    "--seconds",
                    str(args.seconds),
                    "--workdir",
                    str(workdir),
                ]
            )
            for first in range(0, args.kiosks, KIOSKS_PER_WORKER)
        ]
        codes = [w.wait(timeout=args.seconds + 300) for w in workers]
        if any(codes):
            raise RuntimeError(f"fleet workers failed: {codes}")
        sent = {key for i in range(args.kiosks) for key in _heartbeat_keys(workdir / f"fleet-{i:03d}" / "kiosk.db")}
    finally:
        stats = [_stop_hall(h) for h in halls]
        broker.stop()
    db = HallDB(workdir / "fleet-hall.db")
    stored = set(db.keys("heartbeat"))
    return {
        "kiosks": args.kiosks,
        "seconds": args.seconds,
        "heartbeats_sent": len(sent),
        "heartbeats_stored": db.count("heartbeat"),
        "missing": len(sent - stored),
        "extra": len(stored - sent),
        "per_hall_instance": [s.get("stored") for s in stats],
    }


def _heartbeat_keys(db: Path) -> set[str]:
    """Keys of the heartbeats a kiosk queued (and the hall confirmed)."""
    conn = connect(str(db))
    try:
        rows = conn.execute("SELECT key, state FROM outbox WHERE kind = 'heartbeat'").fetchall()
    finally:
        conn.close()
    unconfirmed = [key for key, state in rows if state != "confirmed"]
    if unconfirmed:
        raise RuntimeError(f"{db}: {len(unconfirmed)} heartbeats not confirmed")
    return {key for key, _ in rows}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sync benchmarks and print their figures; non-zero if a given target is missed."""
    p = argparse.ArgumentParser(prog="python -m bench sync", description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="all", choices=["throughput", "memory", "fleet", "all", "fleet-worker"])
    p.add_argument("--messages", type=int, default=10_000)
    p.add_argument("--window", type=int, default=500, help="mqtt.inflight for the drains (and raw paho)")
    p.add_argument("--rounds", type=int, default=5, help="throughput rounds, raw and agent alternating")
    p.add_argument("--backlog", type=int, default=100_000)
    p.add_argument("--kiosks", type=int, default=200)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--workdir", type=Path, default=None, help="where stores live (default: a temp dir on disk)")
    p.add_argument("--min-ratio", type=float, default=None)
    p.add_argument("--max-growth-mb", type=float, default=None)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.which == "fleet-worker":  # internal: one process of the fleet benchmark
        fleet_worker(args.port, args.first, args.kiosks, args.seconds, args.workdir)
        return 0
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-sync-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        for name, fn in (("throughput", throughput), ("memory", memory), ("fleet", fleet)):
            if args.which not in (name, "all"):
                continue
            sub = workdir / name
            sub.mkdir()
            result = fn(args, sub)
            print(json.dumps({name: result}, ensure_ascii=False), flush=True)
            if name == "throughput" and args.min_ratio is not None and result["ratio"] < args.min_ratio:
                ok = False
            if name == "memory" and args.max_growth_mb is not None and result["rss_growth_mb"] > args.max_growth_mb:
                ok = False
            if name == "fleet" and (result["missing"] or result["extra"]):
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
