"""Prometheus metrics of a hall instance (``kiosk-hall run --metrics-port``), for an operator to graph.

Two sorts, told apart by where they come from:

- counted by this instance as it works: messages by kind and outcome (``rate()`` of it is messages per second),
  ack latency (from reading a message off the socket to publishing its ack, commit included), quarantined
  messages, batches the database refused to take;
- read from the shared database at scrape time (the same figures from every instance: aggregate them with
  ``max``, not ``sum``): kiosks online, each kiosk's backlog and oldest pending row (estimated for now, as in
  ``kiosk-hall fleet``), open faults by code and severity, messages in quarantine.

``sync/dashboards/kiosk-hall.json`` is a Grafana dashboard over these.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from sync import contract
from sync.halldb import HallStore, Unavailable

log = logging.getLogger(__name__)

PREFIX = "kiosk_hall"
# Kinds get their own label value; anything else a kiosk sends is "other" (a label per made-up kind would let one
# kiosk grow the time series without bound).
KNOWN_KINDS = frozenset({*contract.UP_SCHEMAS, "event", "device_status", "inspection"})
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class FleetCollector(Collector):
    """Gauges read from the hall database on each scrape."""

    def __init__(self, db: HallStore) -> None:
        self._db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(f"{PREFIX}_database_up", "Whether the last scrape could read the hall database.")
        try:
            families = list(self._families())
        except Unavailable as exc:
            log.warning("metrics: the hall database is unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self) -> Iterator[GaugeMetricFamily]:
        rows = self._db.fleet()
        known = GaugeMetricFamily(f"{PREFIX}_kiosks", "Kiosks the hall has heard of.")
        known.add_metric([], len(rows))
        online = GaugeMetricFamily(f"{PREFIX}_kiosks_online", "Kiosks whose retained status says online.")
        online.add_metric([], sum(r.online for r in rows))
        each = GaugeMetricFamily(f"{PREFIX}_kiosk_online", "1 if the kiosk is online.", labels=["kiosk"])
        backlog = GaugeMetricFamily(
            f"{PREFIX}_kiosk_backlog",
            "Outbox rows pending on the kiosk: its last heartbeat's count less what the hall received since.",
            labels=["kiosk"],
        )
        oldest = GaugeMetricFamily(
            f"{PREFIX}_kiosk_oldest_pending_seconds", "Age of the kiosk's oldest pending outbox row.", labels=["kiosk"]
        )
        heartbeat = GaugeMetricFamily(
            f"{PREFIX}_kiosk_last_heartbeat_timestamp_seconds",
            "When the kiosk composed its last heartbeat.",
            labels=["kiosk"],
        )
        for r in rows:
            each.add_metric([r.kiosk_id], int(r.online))
            if r.backlog is not None:
                backlog.add_metric([r.kiosk_id], r.backlog)
                oldest.add_metric([r.kiosk_id], r.oldest_pending_age_s or 0.0)
            if r.last_heartbeat is not None:
                heartbeat.add_metric([r.kiosk_id], r.last_heartbeat)
        yield from (known, online, each, backlog, oldest, heartbeat)
        faults = GaugeMetricFamily(f"{PREFIX}_open_faults", "Open faults in the fleet.", labels=["code", "severity"])
        for (code, severity), n in sorted(self._db.open_fault_counts().items()):
            faults.add_metric([code, severity], n)
        yield faults
        quarantine = GaugeMetricFamily(f"{PREFIX}_quarantine_messages", "Messages kept in quarantine (all instances).")
        quarantine.add_metric([], self._db.quarantine_count())
        yield quarantine


class HallMetrics:
    """The metrics of one hall instance, in a registry of their own (no global state)."""

    def __init__(self, db: HallStore, *, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.messages = Counter(
            f"{PREFIX}_messages",
            "Uplink messages this instance handled, by kind and outcome (stored, duplicate, rejected).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.ack_latency = Histogram(
            f"{PREFIX}_ack_latency_seconds",
            "From reading an uplink message to publishing its ack (validation and commit included).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.quarantined = Counter(
            f"{PREFIX}_quarantined", "Messages this instance put in quarantine.", registry=self.registry
        )
        self.store_failures = Counter(
            f"{PREFIX}_store_failures",
            "Batches the database could not take (left unacknowledged for the kiosks to resend).",
            registry=self.registry,
        )
        self.registry.register(FleetCollector(db))
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------------------------- called by the hall
    def counted(self, kind: str, outcome: str, n: int = 1) -> None:
        """``n`` messages of ``kind`` ended as ``outcome`` (stored, duplicate or rejected)."""
        self.messages.labels(kind if kind in KNOWN_KINDS else "other", outcome).inc(n)
        if outcome == "rejected":
            self.quarantined.inc(n)

    def acked(self, latencies: Iterable[float]) -> None:
        """Acks went out for messages read these many seconds ago."""
        for seconds in latencies:
            self.ack_latency.observe(seconds)

    def store_failed(self) -> None:
        """The database could not take a batch."""
        self.store_failures.inc()

    # ------------------------------------------------------------------------------------------ serving
    def serve(self, port: int, addr: str = "127.0.0.1") -> int:
        """Serve ``/metrics`` over HTTP on a thread; the port (``0`` picks a free one)."""
        self._server, self._thread = start_http_server(port, addr=addr, registry=self.registry)
        bound = int(self._server.server_address[1])
        log.info("metrics on http://%s:%d/metrics", addr, bound)
        return bound

    def close(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
