"""The link under loss, against a real mosquitto: ``python -m bench link [loss|control|outage|all] [options]``.

- loss: the drain of ``--messages`` citizen rows with ``--drop`` (10 %) of the hall's acks lost for the whole run,
  beside the same drain with none lost (aim: >= 0.5 of it). Default link settings (``ack_timeout_s`` 30 s).
- control: with the citizen window full of rows the hall never acknowledges, ``--controls`` control rows
  (command results) are written one by one; the time from writing to the hall's store, p50/p99 (aim p99 <= 1 s).
- outage: the broker killed for ``--outage-s`` (two minutes) with the default backoff (to 60 s), then started: the
  time from its return to the drain's start, i.e. the first row confirmed (aim <= 2 s).
The hall runs in this process (its acks are filtered to lose some); the agent is stepped on this thread.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.sync import HALL, Broker, _seed, _submission
from kiosk.config import KioskSection, MqttSection
from kiosk.store import Store
from sync.agent import Agent
from sync.downlink import Downlink
from sync.hall import Hall
from sync.hall_db import HallDB
from sync.hall_main import HallLink

RESULT = {"msg_id": None, "request_kind": "command", "status": "ok", "error": None, "detail": {}}


class _HallThread:
    """The reference hall stepped on its own thread, losing the acks of keys ``drop`` picks."""

    def __init__(self, db: Path, port: int, drop: Callable[[str], bool]) -> None:
        self.hall = Hall(HallDB(db), link=HallLink(port=port), hall_id=HALL, retry_s=0.05)
        publish = self.hall._publish

        def lossy(kiosk_id: str, kind: str, message: dict[str, Any], **kwargs: Any) -> Any:
            if kind == "ack":
                message = {**message, "keys": [k for k in message["keys"] if not drop(k)]}
            return publish(kiosk_id, kind, message, **kwargs)

        self.hall._publish = lossy  # type: ignore[method-assign]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.hall.step(0.02)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.hall.close()


def _agent(store: Store, data: Path, port: int, **link: Any) -> Agent:
    kiosk = KioskSection(id="KSK-L", hall_id=HALL, data_dir=data)
    section = MqttSection(port=port, heartbeat_s=3600.0, **link)
    return Agent(store, kiosk=kiosk, link=section, downlink=Downlink(store, kiosk_id="KSK-L", hall_identity="hall"))


def _until(agent: Agent, done: Callable[[], bool], timeout: float) -> float:
    start = time.monotonic()
    while not done():
        agent.step(0.01)
        if time.monotonic() - start > timeout:
            raise RuntimeError("timed out")
    return time.monotonic() - start


def _drain(workdir: Path, port: int, messages: int, drop: float, seed: int) -> float:
    data = workdir / f"drop-{drop}"
    data.mkdir()
    _seed(data / "kiosk.db", messages)
    rng = random.Random(seed)
    hall = _HallThread(workdir / f"hall-{drop}.db", port, lambda _key: rng.random() < drop)
    store = Store(data / "kiosk.db", telemetry_limit=10**7)
    agent = _agent(store, data, port)
    try:
        seconds = _until(agent, lambda: agent.state.confirmed >= messages, 600)
    finally:
        agent.close()
        hall.stop()
        store.close()
    return messages / seconds


def loss(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    broker = Broker(workdir)
    try:
        clean = _drain(workdir, broker.port, args.messages, 0.0, 1)
        lossy = _drain(workdir, broker.port, args.messages, args.drop, 2)
    finally:
        broker.stop()
    return {"messages": args.messages, "acks_dropped": args.drop, "drain_msg_s": round(clean),
            "drain_with_loss_msg_s": round(lossy), "ratio": round(lossy / clean, 2)}  # fmt: skip


def control(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    broker = Broker(workdir)
    data = workdir / "control"
    data.mkdir()
    store = Store(data / "kiosk.db", telemetry_limit=10**7)
    citizen = {store.enqueue("submission", _submission(), personal=True).key for _ in range(500)}
    hall = _HallThread(workdir / "hall-control.db", broker.port, lambda key: key in citizen)
    agent = _agent(store, data, broker.port)
    latencies: list[float] = []
    try:
        _until(agent, lambda: len(agent._inflight) >= agent._window, 30)  # the citizen window is full
        for _ in range(args.controls):
            key = store.enqueue("command_result", RESULT).key
            latencies.append(_until(agent, lambda k=key: store.get(k).state == "confirmed", 60))
            time.sleep(0.02)
        full = agent.state.confirmed == args.controls
    finally:
        agent.close()
        hall.stop()
        store.close()
        broker.stop()
    latencies.sort()
    return {"controls": args.controls, "citizen_window_stayed_full": full,
            "p50_s": round(statistics.median(latencies), 3),
            "p99_s": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 3)}  # fmt: skip


def _restart(workdir: Path, port: int, timeout: float = 10.0) -> Broker:
    """mosquitto again on the same port (its old socket may linger for a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Broker(workdir, port=port)
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _low_port() -> int:
    """A free port below the ephemeral range: a client connecting for two minutes to a port in that range can
    end up connected to itself (Linux picks the same source port), holding the port the broker returns to."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    rng = random.Random()
    for _ in range(100):
        port = rng.randrange(max(1024, low - 12000), low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def outage(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    broker = Broker(workdir, port=_low_port())
    data = workdir / "outage"
    data.mkdir()
    store = Store(data / "kiosk.db")
    hall = _HallThread(workdir / "hall-outage.db", broker.port, lambda _key: False)
    agent = _agent(store, data, broker.port)  # default backoff: retry_min_s 1 s doubling to retry_max_s 60 s
    try:
        _until(agent, lambda: agent.connected, 10)
        broker.stop()
        end = time.monotonic() + args.outage_s
        while time.monotonic() < end:
            agent.step(0.05)
        key = store.enqueue("submission", _submission(), personal=True).key
        broker = _restart(workdir, broker.port)
        back = time.monotonic()
        _until(agent, lambda: store.get(key).state == "confirmed", 120)
        delay = time.monotonic() - back
    finally:
        agent.close()
        hall.stop()
        store.close()
        broker.stop()
    return {"outage_s": args.outage_s, "drain_start_after_return_s": round(delay, 2)}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen link benchmarks and print their figures; non-zero if a given target is missed."""
    p = argparse.ArgumentParser(prog="python -m bench link", description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="all", choices=["loss", "control", "outage", "all"])
    p.add_argument("--messages", type=int, default=5000)
    p.add_argument("--drop", type=float, default=0.1)
    p.add_argument("--controls", type=int, default=100)
    p.add_argument("--outage-s", type=float, default=120.0)
    p.add_argument("--workdir", type=Path, default=None)
    p.add_argument("--min-ratio", type=float, default=None)
    p.add_argument("--max-p99-s", type=float, default=None)
    p.add_argument("--max-return-s", type=float, default=None)
    args = p.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-link-", dir=args.workdir) as tmp:
        for name, fn in (("loss", loss), ("control", control), ("outage", outage)):
            if args.which not in (name, "all"):
                continue
            sub = Path(tmp) / name
            sub.mkdir()
            result = fn(args, sub)
            print(json.dumps({name: result}), flush=True)
            ok &= not (name == "loss" and args.min_ratio is not None and result["ratio"] < args.min_ratio)
            ok &= not (name == "control" and args.max_p99_s is not None and result["p99_s"] > args.max_p99_s)
            late = name == "outage" and args.max_return_s is not None
            ok &= not (late and result["drain_start_after_return_s"] > args.max_return_s)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
