"""The simulated kiosks of ``bench/fleet.py``: one process drives many raw paho clients from one thread.

Each kiosk connects as its kiosk id, subscribes to its ack topic, and sends its queued messages following the
agent's delivery rules (at most ``window`` unacknowledged; done only when an ack lists the key; resent after
``ack_timeout``). The worker prints ``READY`` once every kiosk is subscribed, waits for ``GO`` on stdin, and at
the end prints one JSON line: the keys it sent per kiosk, the ack latencies, resends, start and end times.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import selectors
import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt

from kiosk.appointments import CHINA_TZ
from kiosk.catalog import load_catalog, shipped_catalog_path
from kiosk.visit import records
from kiosk.visit.view import chosen_bundle
from sync import contract

HALL = "bench-hall"
ROOT = "gov/v1"
# Per ten messages of a kiosk: what a working day's outbox holds.
MIX = ("heartbeat", "submission", "ticket", "submission", "rating", "fault", "submission", "ticket", "submission",
       "rating")  # fmt: skip
DAY = datetime(2027, 1, 5, 10, 0, tzinfo=CHINA_TZ)


def templates() -> dict[str, dict[str, Any]]:
    """One real record of each citizen kind (the kiosk's own builders; the hall checks them against their schema),
    a heartbeat and a fault event, for kiosk ``KSK-BENCH``."""
    from bench.sync import _submission

    catalog = load_catalog(shipped_catalog_path())
    bundle = next(iter(catalog.bundles.values()))
    chosen = chosen_bundle(bundle, tuple(catalog.services[s] for s in bundle.services))
    now = time.time()
    return {
        "submission": _submission(),
        "ticket": records.ticket_payload(
            kiosk_id="KSK-BENCH", number="KSK-BENCH-001", department="civil_affairs", offline=True, waiting_ahead=None,
            now=DAY, lang="zh",
        ),
        "rating": records.rating_payload(
            kiosk_id="KSK-BENCH", reference="KSK-BENCH-270105-0001", chosen=chosen, level=5, reasons=(), now=DAY,
            lang="zh",
        ),
        "heartbeat": {
            "devices": {"printer": {"state": "ok", "faults": [], "since": now}},
            "outbox": {"depth": 0, "oldest_pending_age_s": 0.0, "by_kind": {}},
            "disk": {"free_bytes": 20e9, "free_pct": 80.0}, "uptime_s": 3600.0, "agent_uptime_s": 3500.0,
            "versions": {"firmware": "bench", "contract": "1"}, "ui": {"liveness_age_s": 1.0, "alive": True},
            "open_faults": [], "effects": [], "maintenance": False,
        },
        "fault": {
            "event": "raised", "fault_id": 1, "code": "paper_out", "device": "printer", "severity": "major",
            "message": "", "action_zh": "立即更换打印纸", "action_en": "Replace the paper roll now", "raised_at": now,
            "cleared_at": None, "duration_s": None, "acked_at": None, "acked_by": None,
        },
    }  # fmt: skip


def payload(kind: str, kiosk: str, n: int, base: dict[str, dict[str, Any]], left: int) -> dict[str, Any]:
    """Message ``n`` of ``kiosk`` (distinct references; fault events raise a fault, the next one clears it);
    ``left``: what is still queued behind it (a heartbeat's backlog)."""
    p = copy.deepcopy(base[kind])
    if kind in ("submission", "ticket", "rating"):
        p["kiosk_id"] = kiosk
        p["reference"] = f"{kiosk}-{DAY:%y%m%d}-{n:04d}"
        p["created_at"] = (DAY + timedelta(minutes=n)).timestamp()
        if kind == "ticket":
            p["number"] = p["reference"] = f"{kiosk}-{n:03d}"
    elif kind == "fault":
        event = (n - 1) // len(MIX)  # the kiosk's event number
        p["fault_id"] = event // 2 + 1
        if event % 2:  # every second event clears the fault the one before raised
            p["event"], p["cleared_at"], p["duration_s"] = "cleared", p["raised_at"] + 60.0, 60.0
    elif kind == "heartbeat":
        p["outbox"]["depth"] = left
    return p


@dataclass
class Kiosk:
    """One simulated kiosk: its queue, its window, and what it measured."""

    id: str
    client: mqtt.Client
    queue: deque[tuple[str, str, int, str]]  # key, kind, seq, payload json
    window: int
    inflight: dict[str, tuple[float, float, tuple[str, str, int, str]]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    resends: int = 0
    subscribed: bool = False
    next_send: float = 0.0
    acked: bool = False  # an ack came in since the last fill: the window has room
    last_ack: float = 0.0

    def send(self, item: tuple[str, str, int, str], attempt: int) -> None:
        key, kind, seq, body = item
        now = time.time()
        wire = contract.encode_uplink(
            key=key, kind=kind, kiosk_id=self.id, hall_id=HALL, seq=seq, created_at=now, sent_at=now,
            attempt=attempt, personal=kind == "submission", payload_json=body,
        )  # fmt: skip
        self.client.publish(f"{ROOT}/{HALL}/kiosk/{self.id}/up/{kind}", wire, qos=1)

    def on_message(self, _c: Any, _u: Any, msg: Any) -> None:
        now = time.time()
        self.acked, self.last_ack = True, now
        ack = json.loads(msg.payload)
        for key in [*ack.get("keys", []), *(r["key"] for r in ack.get("rejected", []))]:
            sent = self.inflight.pop(key, None)
            if sent is not None:
                self.latencies.append(now - sent[0])

    def fill(self, now: float, interval: float) -> None:
        """Fill the window (at most one new message per ``interval`` in the open loop)."""
        while self.queue and len(self.inflight) < self.window and now >= self.next_send:
            item = self.queue.popleft()
            self.inflight[item[0]] = (now, now, item)
            self.keys.append(item[0])
            self.send(item, 1)
            self.next_send = now + interval if interval else 0.0

    def resend(self, now: float, ack_timeout: float) -> None:
        """Send again what waited longer than ``ack_timeout`` for its ack."""
        for key, (first, last, item) in list(self.inflight.items()):
            if now - last > ack_timeout:
                self.inflight[key] = (first, now, item)
                self.resends += 1
                self.send(item, 2)

    @property
    def done(self) -> bool:
        return not self.queue and not self.inflight


def _connect(kiosk_id: str, port: int, sel: selectors.BaseSelector, kiosks: dict[int, Kiosk], k: Kiosk) -> None:
    c = k.client
    c.on_message = k.on_message
    c.on_subscribe = lambda *_a: setattr(k, "subscribed", True)
    c.on_connect = lambda cl, *_a: cl.subscribe(f"{ROOT}/{HALL}/kiosk/{kiosk_id}/down/ack", qos=1)
    c.max_inflight_messages_set(100)
    c.max_queued_messages_set(0)
    c.connect("127.0.0.1", port, keepalive=60, clean_start=True)
    sock = c.socket()
    kiosks[sock.fileno()] = k
    sel.register(sock, selectors.EVENT_READ, k)


def _step(sel: selectors.BaseSelector, timeout: float) -> list[Kiosk]:
    """Read what has arrived; the kiosks that read something."""
    read = []
    for key, _ in sel.select(timeout):
        k: Kiosk = key.data
        if k.client.loop_read(100) != mqtt.MQTT_ERR_SUCCESS:
            raise RuntimeError(f"{k.id} lost its connection")
        read.append(k)
    for k in read:
        if k.client.want_write():  # PUBACKs of the acks
            k.client.loop_write()
    return read


def fleet_worker(args: argparse.Namespace) -> int:
    """Kiosks ``first .. first+kiosks-1``: connect, report READY, wait for GO, send everything, report."""
    base = templates()
    sel = selectors.DefaultSelector()
    kiosks: dict[int, Kiosk] = {}
    for i in range(args.first, args.first + args.kiosks):
        kiosk_id = f"KSK-{i:04d}"
        items = deque()
        for seq in range(args.seq_start, args.seq_start + args.messages):
            kind = MIX[(seq - 1) % len(MIX)]
            body = contract.encode(
                payload(kind, kiosk_id, seq, base, args.seq_start + args.messages - 1 - seq)
            ).decode()
            items.append((str(uuid.uuid4()), kind, seq, body))
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=kiosk_id, protocol=mqtt.MQTTv5)
        _connect(kiosk_id, args.port, sel, kiosks, Kiosk(kiosk_id, client, items, args.window))
    deadline = time.monotonic() + 60
    while not all(k.subscribed for k in kiosks.values()):
        _step(sel, 0.05)
        for k in kiosks.values():
            if k.client.want_write():
                k.client.loop_write()
        if time.monotonic() > deadline:
            raise RuntimeError("the kiosks did not all connect and subscribe")
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "GO":
        return 2
    interval = 1.0 / args.rate if args.rate else 0.0
    start, cpu = time.time(), time.process_time()
    if interval:  # kiosks do not all send in the same instant: each starts somewhere in its first interval
        rng = random.Random(args.first)
        for k in kiosks.values():
            k.next_send = start + rng.uniform(0, interval)
    due = list(kiosks.values())  # kiosks whose window may have room
    last_misc = time.monotonic()
    left = len(kiosks)
    while left:
        now = time.time()
        for k in due:
            k.fill(now, interval)
        # Closed loop: only an ack makes room, so wait for one; open loop: come back for the next send.
        read = _step(sel, 0.01 if interval else 0.1)
        due = [k for k in read if k.acked] if not interval else [k for k in kiosks.values() if k.queue]
        for k in due:
            k.acked = False
        if time.monotonic() - last_misc > 1.0:
            last_misc = time.monotonic()
            for k in kiosks.values():
                k.resend(now, args.ack_timeout)
                k.client.loop_misc()
            left = sum(not k.done for k in kiosks.values())
            if args.progress:
                pending = sum(len(k.queue) + len(k.inflight) for k in kiosks.values())
                waiting = sum(len(k.inflight) for k in kiosks.values())
                print(f"worker {args.first}: {pending} left, {waiting} unacknowledged", file=sys.stderr, flush=True)
        elif read:
            left = sum(not k.done for k in kiosks.values()) if not any(k.inflight for k in read) else left
    end = max(k.last_ack for k in kiosks.values())
    for k in kiosks.values():
        k.client.disconnect()
    print(json.dumps({
        "start": start, "end": end, "resends": sum(k.resends for k in kiosks.values()),
        "cpu_s": time.process_time() - cpu,
        "latencies": [x for k in kiosks.values() for x in k.latencies],
        "keys": {k.id: k.keys for k in kiosks.values()},
    }), flush=True)  # fmt: skip
    return 0
