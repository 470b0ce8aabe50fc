"""Online requests: ``python -m bench online [--rounds R] [--per-round N] [--max-ratio X]``.

Request → answer latency as a screen sees it: ``OnlineClient.query`` in this process, the real ``kiosk-sync``
process (its Unix socket, its MQTT link), a real mosquitto, and the reference hall (``kiosk-hall run``, its own
process, sample departments). Beside it, in the same run, a raw paho MQTT 5 request/response round trip (Response
Topic + Correlation Data, QoS 1) with payloads of the same sizes, from this process to a responder process that
answers at once. Rounds alternate between the two; the figure is the ratio of the medians per round, with its
spread (target <= 1.5x).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from bench.sync import HALL, Broker, _hall, _stop_hall, _wait_hall_online
from kiosk.demo import sample_identity
from kiosk.online import OnlineClient
from sync import contract
from sync.online import wire
from sync.online.backends import Citizen, sample_departments
from sync.transport import set_nodelay

SERVICE = "mi_enrollment_query"
_RESPONDER = """
import socket, sys, paho.mqtt.client as m
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes
port, size = int(sys.argv[1]), int(sys.argv[2])
answer = b"x" * size
def on_message(c, u, msg):
    p = Properties(PacketTypes.PUBLISH)
    p.CorrelationData = msg.properties.CorrelationData
    c.publish(msg.properties.ResponseTopic, answer, qos=1, properties=p)
c = m.Client(m.CallbackAPIVersion.VERSION2, client_id="raw-responder", protocol=m.MQTTv5)
c.on_message = on_message
c.on_connect = lambda c, u, f, rc, p: c.subscribe("bench/raw/req", qos=1)
c.on_subscribe = lambda *a: print("ready", flush=True)
c.connect("127.0.0.1", port)
c.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as tuned as the agent and the hall
c.loop_forever()
"""


def _sizes() -> tuple[int, int]:
    """Wire sizes of a typical request and its answer (the raw round trip carries as many bytes)."""
    who = sample_identity()
    request = wire.request_message(
        "query",
        request_id=wire.new_request_id(),
        kiosk_id="KSK-BENCH",
        hall_id=HALL,
        sent_at=time.time(),
        timeout_s=5.0,
        service=SERVICE,
        params={},
        identity={"name": who.name, "id_number": who.id_number, "assurance": who.source},
    )
    backend = sample_departments().backend_for("query", SERVICE)
    result = backend.query(SERVICE, Citizen(who.name, who.id_number, who.source), {}).to_wire(SERVICE)
    answer = wire.answer_message(
        "query", request["id"], sender="hall", created_at=time.time(), status="ok", result=result
    )
    return len(contract.encode(request)), len(contract.encode(answer))


class RawRequester:
    """Paho MQTT 5 request/response from this process (its own network thread, as paho is usually run)."""

    def __init__(self, port: int, request_size: int) -> None:
        self._got = threading.Event()
        self._payload = b"r" * request_size
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="raw-requester", protocol=mqtt.MQTTv5)
        self.client.on_message = lambda *_a: self._got.set()
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *_a: subscribed.set()
        self.client.connect("127.0.0.1", port)
        set_nodelay(self.client)  # as tuned as the agent and the hall
        self.client.loop_start()
        self.client.subscribe("bench/raw/answer", qos=1)
        if not subscribed.wait(10):
            raise RuntimeError("raw requester: no SUBACK")

    def round_trip(self) -> float:
        props = Properties(PacketTypes.PUBLISH)
        props.ResponseTopic = "bench/raw/answer"
        props.CorrelationData = b"c"
        self._got.clear()
        started = time.perf_counter()
        self.client.publish("bench/raw/req", self._payload, qos=1, properties=props)
        if not self._got.wait(5):
            raise RuntimeError("raw round trip: no answer")
        return time.perf_counter() - started

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _agent(workdir: Path, port: int) -> tuple[subprocess.Popen, Path]:
    data = workdir / "kiosk"
    data.mkdir()
    sock = workdir / "online.sock"
    config = workdir / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "KSK-BENCH"\nhall_id = "{HALL}"\ndata_dir = "{data}"\n'
        f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\nheartbeat_s = 3600\n'
        f'[online]\nsocket_path = "{sock}"\n'
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.agent_main", "--config", str(config), "--log-level", "WARNING"],
        start_new_session=True,
    )
    return proc, sock


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Measure both paths; the figures as a dict."""
    request_size, answer_size = _sizes()
    broker = Broker(workdir)
    hall = _hall(broker.port, workdir / "hall.db", "bench")
    responder = subprocess.Popen(
        [sys.executable, "-c", _RESPONDER, str(broker.port), str(answer_size)], stdout=subprocess.PIPE, text=True
    )
    agent, sock = _agent(workdir, broker.port)
    raw: RawRequester | None = None
    try:
        assert responder.stdout is not None and responder.stdout.readline().strip() == "ready"
        _wait_hall_online(broker.port, 1)
        client = OnlineClient(sock, timeout_s=5.0)
        who = sample_identity()
        deadline = time.monotonic() + 30
        while not client.query(SERVICE, who).ok:  # the agent connects, the hall subscribes to requests
            if time.monotonic() > deadline:
                raise RuntimeError("the kiosk never got an answer")
            time.sleep(0.1)
        raw = RawRequester(broker.port, request_size)
        for _ in range(20):  # warm-up of both paths
            raw.round_trip()
            client.query(SERVICE, who)
        ours: list[float] = []
        theirs: list[float] = []
        ratios: list[float] = []
        failures = 0
        for _ in range(args.rounds):
            a: list[float] = []
            for _ in range(args.per_round):
                started = time.perf_counter()
                failures += not client.query(SERVICE, who).ok
                a.append(time.perf_counter() - started)
            b = [raw.round_trip() for _ in range(args.per_round)]
            ours += a
            theirs += b
            ratios.append(statistics.median(a) / statistics.median(b))
        pings = []
        for _ in range(200):  # the local hop alone: screen process -> agent's socket -> back
            started = time.perf_counter()
            client.link_up()
            pings.append(time.perf_counter() - started)
        ms = 1000.0
        return {
            "socket_ping_ms": round(_percentile(pings, 0.5) * ms, 3),
            "requests": len(ours),
            "failures": failures,
            "bytes": {"request": request_size, "answer": answer_size},
            "online_ms": {"p50": round(_percentile(ours, 0.5) * ms, 3), "p99": round(_percentile(ours, 0.99) * ms, 3)},
            "raw_paho_ms": {
                "p50": round(_percentile(theirs, 0.5) * ms, 3),
                "p99": round(_percentile(theirs, 0.99) * ms, 3),
            },
            "ratio_p50": round(statistics.median(ratios), 3),
            "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
            "ratio_p99": round(_percentile(ours, 0.99) / _percentile(theirs, 0.99), 3),
        }
    finally:
        if raw is not None:
            raw.close()
        for proc in (agent, responder):
            proc.terminate()
            proc.wait(timeout=15)
        _stop_hall(hall)
        broker.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; non-zero if ``--max-ratio`` is given and missed."""
    p = argparse.ArgumentParser(prog="python -m bench online", description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--per-round", type=int, default=20)
    p.add_argument("--max-ratio", type=float, default=None)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-online-") as tmp:
        result = run(args, Path(tmp))
    print(json.dumps({"online": result}, ensure_ascii=False))
    return 0 if args.max_ratio is None or result["ratio_p50"] <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
