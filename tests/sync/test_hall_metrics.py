"""Issue 15.6: the hall's Prometheus metrics, scraped from ``kiosk-hall run --metrics-port`` (a real process)
while a real kiosk delivers to it; and the shipped Grafana dashboard asks only for metrics the hall exposes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from kiosk.devices import DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from sync.halldb import open_db
from tests import citizen
from tests.sync.conftest import HALL_ID, Broker, Loop, RawClient, free_port, make_kiosk, mqtt_section
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "sync" / "dashboards" / "kiosk-hall.json"


def scrape(port: int) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Sample name -> labels -> value, from the text the endpoint serves."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    out: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return out


def _reachable(port: int) -> bool:
    try:
        scrape(port)
        return True
    except OSError:
        return False


def test_the_hall_serves_metrics_an_operator_can_graph(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    port = free_port()
    log = tmp_path / "hall.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hall_main", "run", "--db", hall_db, "--hall", HALL_ID,
             "--port", str(broker.port), "--metrics-port", str(port)],
            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    k = make_kiosk(tmp_path, mqtt_section(broker.port, heartbeat_s=3600.0))
    StatusSink(k.store).report(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
    keys = [k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(20)]
    bad = RawClient(broker.port, "KSK-0001-bad")
    loop = Loop(k.agent, "agent")
    db = open_db(hall_db)
    try:
        wait_until(lambda: _reachable(port), 20, "the metrics endpoint")
        wait_until(lambda: k.store.outbox_stats().depth == 0, 20, "the kiosk's outbox drained")
        wait_until(lambda: sorted(db.keys("submission")) == sorted(keys), 5, "every submission stored")
        # A broken message on the kiosk's topic (sent once the hall is surely subscribed): quarantined, counted.
        bad.publish(f"gov/v1/{HALL_ID}/kiosk/KSK-0001/up/event", b'{"v":1,"key":"' + str(uuid.uuid4()).encode())
        rejected = (("kind", "other"), ("outcome", "rejected"))  # no kind to name
        # The quarantine row is committed just before the counter moves: wait for the counter.
        m = wait_until(lambda: rejected in (s := scrape(port)).get("kiosk_hall_messages_total", {}) and s, 10, "count")
    finally:
        loop.stop()
        bad.close()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        db.close()
    kiosk = (("kiosk", "KSK-0001"),)
    assert m["kiosk_hall_database_up"][()] == 1
    assert m["kiosk_hall_kiosks_online"][()] == 1 and m["kiosk_hall_kiosk_online"][kiosk] == 1
    assert m["kiosk_hall_messages_total"][(("kind", "submission"), ("outcome", "stored"))] == 20
    assert m["kiosk_hall_messages_total"][(("kind", "fault"), ("outcome", "stored"))] == 1
    assert m["kiosk_hall_messages_total"][(("kind", "other"), ("outcome", "rejected"))] == 1  # no kind to name
    assert m["kiosk_hall_quarantined_total"][()] == 1 and m["kiosk_hall_quarantine_messages"][()] == 1
    assert m["kiosk_hall_open_faults"][(("code", "paper_out"), ("severity", "major"))] == 1
    # The agent's first heartbeat counted the submissions; they all arrived after it.
    assert m["kiosk_hall_kiosk_backlog"][kiosk] == 0 and m["kiosk_hall_kiosk_oldest_pending_seconds"][kiosk] == 0
    assert m["kiosk_hall_kiosk_last_heartbeat_timestamp_seconds"][kiosk] > 0
    answered = m["kiosk_hall_ack_latency_seconds_count"][()]
    assert answered >= 22  # 20 submissions, the fault event, a heartbeat (the broken message had no key to ack)
    assert 0 < m["kiosk_hall_ack_latency_seconds_sum"][()] / answered < 1.0
    assert m["kiosk_hall_ack_latency_seconds_bucket"][(("le", "+Inf"),)] == answered
    assert proc.returncode == 0, log.read_text()[-2000:]
    stats = json.loads(log.read_text().strip().splitlines()[-1])  # the instance's own tally on its way out
    assert stats["stored"] >= 22 and stats["rejected"] == 1


def test_the_grafana_dashboard_asks_only_for_metrics_the_hall_serves(tmp_path: Path) -> None:
    from sync.metrics import HallMetrics

    db = open_db(tmp_path / "hall.db")
    metrics = HallMetrics(db)
    port = metrics.serve(0)
    try:
        metrics.counted("submission", "stored")
        metrics.acked([0.01])
        db.store([("KSK-0001", _heartbeat())])
        db.set_status("KSK-0001", True, 1.0)
        served = set(scrape(port))
    finally:
        metrics.close()
        db.close()
    served |= {"kiosk_hall_open_faults", "kiosk_hall_store_failures_total"}  # families without samples yet
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)) >= 10
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    asked = {name for e in exprs for name in re.findall(r"\bkiosk_hall_[a-z_]+", e)}
    assert asked - served == set(), "the dashboard asks for metrics the hall does not serve"
    wanted = {  # what issue 15.6 lists
        "kiosk_hall_kiosks_online", "kiosk_hall_kiosk_backlog", "kiosk_hall_kiosk_oldest_pending_seconds",
        "kiosk_hall_open_faults", "kiosk_hall_ack_latency_seconds_bucket", "kiosk_hall_messages_total",
        "kiosk_hall_quarantine_messages", "kiosk_hall_quarantined_total",
    }  # fmt: skip
    assert wanted <= asked
    assert all(p["datasource"]["uid"] == "${datasource}" for p in dashboard["panels"])


def _heartbeat() -> dict:
    return {
        "v": 1, "key": str(uuid.uuid4()), "kind": "heartbeat", "kiosk_id": "KSK-0001", "hall_id": HALL_ID, "seq": 1,
        "created_at": 1.0, "sent_at": 1.0, "attempt": 1, "personal": False,
        "payload": {"outbox": {"depth": 3, "oldest_pending_age_s": 5.0, "by_kind": {}}, "versions": {}},
    }  # fmt: skip
