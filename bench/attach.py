"""Attachment benchmarks against a real mosquitto: ``python -m bench attach [throughput|memory|all] [options]``.

- throughput: the agent draining pages (chunks of ``--chunk-kib``, hall acks, hash check, the submissions after)
  to a reference hall in its own process, beside raw paho QoS 1 publishing the same bytes in messages of the same
  size to a subscriber process, same broker, same run. The figure is the ratio attach / raw (aim >= 0.5).
- memory: a backlog of ``--backlog-mb`` MB of pages drained; the agent process's resident memory growth (aim <= 30
  MB). Chunk bytes are read from the files when sent and never kept, so the growth does not follow the backlog.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.sync import HALL, Broker, _hall, _rss_mb, _stop_hall, _submission, _wait_hall_online, raw_paho
from kiosk.config import KioskSection, MqttSection
from kiosk.store import Store
from sync import attachment_wire
from sync.agent import Agent
from sync.downlink import Downlink
from sync.hall_materials import default_dir

PAGE_BYTES = 1_000_000


def _seed(store: Store, megabytes: int) -> int:
    """Submissions of two 1 MB pages each, ``megabytes`` in all (setup, not measured); how many submissions."""
    count = max(1, megabytes // 2)
    for _ in range(count):
        refs = [store.stage_attachment(os.urandom(PAGE_BYTES), "image/jpeg") for _ in range(2)]
        payload = _submission() | {
            "materials": {"provided": [{"name": "居民身份证", "pages": [r.as_payload() for r in refs]}], "missing": []}
        }
        store.record_citizen("submission", lambda _n, p=payload: p, personal=True, attachments=refs)
    return count


def _agent(store: Store, data_dir: Path, port: int, args: argparse.Namespace) -> Agent:
    kiosk = KioskSection(id="KSK-A", hall_id=HALL, data_dir=data_dir)
    link = MqttSection(port=port, heartbeat_s=3600.0, ack_timeout_s=5.0, retry_min_s=0.1, retry_max_s=2.0,
                       chunk_kib=args.chunk_kib, chunk_window=args.chunk_window)  # fmt: skip
    return Agent(store, kiosk=kiosk, link=link, downlink=Downlink(store, kiosk_id="KSK-A", hall_identity="hall"))


def _drain(agent: Agent, store: Store, timeout: float, sample_rss: bool) -> tuple[float, float]:
    """Step the agent until nothing is pending; (seconds, peak RSS MB)."""
    peak, start = _rss_mb(), time.monotonic()
    while store.outbox_stats().depth:
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline:
            agent.step(0.01)
        if sample_rss:
            peak = max(peak, _rss_mb())
        if time.monotonic() - start > timeout:
            raise RuntimeError("attachment drain stalled")
    return time.monotonic() - start, max(peak, _rss_mb())


def _run(args: argparse.Namespace, workdir: Path, name: str, megabytes: int, sample_rss: bool) -> dict[str, Any]:
    broker = Broker(workdir)
    try:
        raw_size = args.chunk_kib * 1024 + 300  # a chunk frame: the bytes and its header line
        data = workdir / name
        data.mkdir()
        store = Store(data / "kiosk.db", telemetry_limit=10**7)
        submissions = _seed(store, megabytes)
        chunks = submissions * 2 * attachment_wire.chunk_count(PAGE_BYTES, args.chunk_kib * 1024)
        raw = raw_paho(broker.port, chunks, args.window, raw_size) if not sample_rss else 0.0
        hall = _hall(broker.port, workdir / f"hall-{name}.db", "a")
        _wait_hall_online(broker.port, 1)
        agent = _agent(store, data, broker.port, args)
        before = _rss_mb()
        seconds, peak = _drain(agent, store, 1800, sample_rss)
        agent.close()
        store.close()
        stats = _stop_hall(hall)
        files = [p for p in default_dir(workdir / f"hall-{name}.db").rglob("*") if p.is_file()]
        arrived = len([p for p in files if ".partial" not in p.parts])
        assert arrived == submissions * 2, f"{arrived} pages arrived of {submissions * 2}"
    finally:
        broker.stop()
    total = submissions * 2 * PAGE_BYTES
    result: dict[str, Any] = {
        "megabytes": round(total / 1e6), "chunk_kib": args.chunk_kib, "chunk_window": args.chunk_window,
        "seconds": round(seconds, 2), "attach_mb_s": round(total / 1e6 / seconds, 1), "hall": stats,
    }  # fmt: skip
    if sample_rss:
        result |= {"rss_before_mb": round(before, 1), "rss_peak_mb": round(peak, 1),
                   "rss_growth_mb": round(peak - before, 1)}  # fmt: skip
    else:
        raw_mb_s = raw * raw_size / 1e6
        result |= {"raw_paho_qos1_mb_s": round(raw_mb_s, 1), "ratio": round(total / 1e6 / seconds / raw_mb_s, 2)}
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the chosen attachment benchmarks and print their figures; non-zero if a given target is missed."""
    p = argparse.ArgumentParser(prog="python -m bench attach", description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="all", choices=["throughput", "memory", "all"])
    p.add_argument("--megabytes", type=int, default=50, help="pages drained for throughput")
    p.add_argument("--backlog-mb", type=int, default=100, help="pages drained for memory")
    p.add_argument("--chunk-kib", type=int, default=256)
    p.add_argument("--chunk-window", type=int, default=8)
    p.add_argument("--window", type=int, default=8, help="raw paho's in-flight window (same as the chunk window)")
    p.add_argument("--workdir", type=Path, default=None)
    p.add_argument("--min-ratio", type=float, default=None)
    p.add_argument("--max-growth-mb", type=float, default=None)
    args = p.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-attach-", dir=args.workdir) as tmp:
        for name, megabytes, rss in (("throughput", args.megabytes, False), ("memory", args.backlog_mb, True)):
            if args.which not in (name, "all"):
                continue
            sub = Path(tmp) / name
            sub.mkdir()
            result = _run(args, sub, name, megabytes, rss)
            print(json.dumps({name: result}, ensure_ascii=False), flush=True)
            if not rss and args.min_ratio is not None and result["ratio"] < args.min_ratio:
                ok = False
            if rss and args.max_growth_mb is not None and result["rss_growth_mb"] > args.max_growth_mb:
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
