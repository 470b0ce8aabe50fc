"""Health on the agent's side: maintenance rules, fault events and the heartbeat, all through the outbox.

Every ``interval_s`` the monitor takes a metrics snapshot (``kiosk.health.collect_metrics``), evaluates the
maintenance rules, raises and clears the faults they imply in the store (UI_STALE among them: the screen cannot
report its own hang), publishes the active effects for the shell in the setting ``health.effects``, and turns
every fault raised, cleared or acknowledged since the last look into a ``fault`` outbox row. Those rows have
UUID5 keys derived from (kiosk, fault id, event), so looking again after a restart cannot count an event twice.
Every ``mqtt.heartbeat_s`` it queues a heartbeat. Once an hour it runs the store's housekeeping (retention
purge of personal data, telemetry trim).
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.devices import DeviceKind
from kiosk.health import HealthReport, HealthRules, collect_metrics, listed_faults, plan_faults
from kiosk.shared_settings import CATALOG_VERSION_SETTING, CONFIG_VERSION_SETTING, EFFECTS_SETTING, FAULT_WATERMARK
from kiosk.store.models import StoreError
from sync import contract
from sync.downlink import fault_event

if TYPE_CHECKING:
    from kiosk.config import HealthSection, KioskSection, MqttSection
    from kiosk.store import Store

log = logging.getLogger(__name__)

WATERMARK_SETTING = FAULT_WATERMARK.key
_WATERMARK_MARGIN_S = 60.0  # a fault raised just before the last look may commit just after it


def read_uptime(path: Path = Path("/proc/uptime")) -> float:
    """Seconds since the machine booted (0.0 where /proc is not available)."""
    try:
        return float(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def software_versions() -> dict[str, str]:
    """Versions that go into the heartbeat and the status message."""
    try:
        firmware = importlib.metadata.version("selfservice-kiosk")
    except importlib.metadata.PackageNotFoundError:
        firmware = "unknown"
    return {"firmware": firmware, "python": platform.python_version(), "contract": str(contract.SCHEMA_VERSION)}


class HealthMonitor:
    """Rules, fault events, heartbeats and housekeeping; the agent calls :meth:`tick` when :meth:`due`."""

    def __init__(
        self,
        store: Store,
        *,
        kiosk: KioskSection,
        link: MqttSection,
        health: HealthSection,
        rules: HealthRules,
        clock: Callable[[], float] = time.time,
        uptime: Callable[[], float] = read_uptime,
        disk_usage: Callable[[Path], Any] = shutil.disk_usage,
        versions: Mapping[str, str] | None = None,
        interval_s: float = 5.0,
        housekeep_s: float = 3600.0,
    ) -> None:
        self._store = store
        self._kiosk = kiosk
        self._health = health
        self._rules = rules
        self._clock = clock
        self._uptime = uptime
        self._disk_usage = disk_usage
        self._versions = dict(versions or software_versions())
        self._interval_s = interval_s
        self._heartbeat_s = link.heartbeat_s
        self._housekeep_s = housekeep_s
        self._started_at = clock()
        self._next_check = 0.0
        self._next_heartbeat = 0.0
        self._next_housekeep = 0.0
        self._effects: list[str] | None = None
        self._events_sent: dict[int, set[str]] = {}
        self._watermark: float | None = None
        self.last_metrics: dict[str, Any] = {}
        self.last_report: HealthReport | None = None

    def due(self, now_m: float) -> bool:
        """Whether :meth:`tick` has work at monotonic time ``now_m``."""
        return now_m >= min(self._next_check, self._next_heartbeat)

    def versions(self) -> dict[str, str]:
        """Software, config and catalog versions."""
        out = dict(self._versions)
        try:
            for name, key in (("config", CONFIG_VERSION_SETTING), ("catalog", CATALOG_VERSION_SETTING)):
                value = self._store.get_setting(key)
                if value is not None:
                    out[name] = str(value)
        except StoreError:
            pass
        return out

    def tick(self, now_m: float) -> None:
        """Do whatever is due; store errors are logged (the store may be full) and retried next time."""
        try:
            if now_m >= self._next_check:
                self._next_check = now_m + self._interval_s
                self.check()
            if now_m >= self._next_heartbeat:
                self._next_heartbeat = now_m + self._heartbeat_s
                self.heartbeat()
            if now_m >= self._next_housekeep:
                self._next_housekeep = now_m + self._housekeep_s
                log.info("housekeeping: %s", self._store.housekeep())
        except StoreError as exc:
            log.error("health tick failed: %s", exc)

    # ---------------------------------------------------------------------------------------------- rules
    def check(self) -> HealthReport:
        """Evaluate the rules now, apply them to the store, queue fault events."""
        now = self._clock()
        # Open faults first, metrics second: a fault a driver raises or clears in between is then seen as
        # "holds and already open" or "gone and already closed", never acted on twice.
        open_faults = self._store.open_faults()
        metrics = collect_metrics(
            self._store,
            now=now,
            data_dir=self._kiosk.data_dir,
            started_at=self._started_at,
            disk_usage=self._disk_usage,
        )
        report = self._rules.evaluate(metrics)
        plan = plan_faults(report, open_faults, previous=self.last_report, listed=listed_faults(metrics))
        for code, device, severity in plan.raise_:
            self._store.raise_fault(code, device=device, severity=severity, message=self._why(report, code, device))
        for code, device in plan.clear:
            self._store.clear_fault(code, device=device)
        effects = sorted(report.effects)
        if self._effects is None:
            self._effects = self._store.get_setting(EFFECTS_SETTING)
        if effects != self._effects:
            self._store.set_setting(EFFECTS_SETTING, effects)
            log.info("effects now %s", effects or "none")
            self._effects = effects
        self.sync_fault_events(now)
        self.last_metrics, self.last_report = metrics, report
        return report

    def _why(self, report: HealthReport, code: str, device: str) -> str:
        ids = [r.id for r in self._rules.rules if r.id in report.hits and r.fault == code and r.device == device]
        return "rule " + ", ".join(ids)

    def sync_fault_events(self, now: float) -> int:
        """Queue a ``fault`` row for every raise, clear and acknowledgement not queued yet; how many were new."""
        if self._watermark is None:
            stored = self._store.get_setting(WATERMARK_SETTING)
            self._watermark = float(stored) if isinstance(stored, int | float) else 0.0
        queued = 0
        for fault in self._store.faults_since(self._watermark):
            events = ["raised"]
            if fault.cleared_at is not None:
                events.append("cleared")
            if fault.acked_at is not None:
                events.append("acked")
            sent = self._events_sent.setdefault(fault.id, set())
            for event in events:
                if event in sent:
                    continue
                key = contract.event_key(self._kiosk.id, "fault", fault.id, event)
                self._store.enqueue("fault", fault_event(fault, event), key=key)
                sent.add(event)
                queued += 1
        new_mark = max(self._watermark, now - _WATERMARK_MARGIN_S)
        if new_mark - self._watermark > _WATERMARK_MARGIN_S:  # persisted now and then, not every few seconds
            self._store.set_setting(WATERMARK_SETTING, new_mark)
            self._watermark = new_mark
            self._events_sent = {fid: ev for fid, ev in self._events_sent.items() if "cleared" not in ev}
        return queued

    # ------------------------------------------------------------------------------------------ heartbeat
    def heartbeat(self) -> dict[str, Any]:
        """Queue one heartbeat and return its payload."""
        now = self._clock()
        metrics = collect_metrics(
            self._store,
            now=now,
            data_dir=self._kiosk.data_dir,
            started_at=self._started_at,
            disk_usage=self._disk_usage,
        )
        ui = metrics["ui"]
        alive = bool(ui["seen"]) and ui["liveness_age_s"] <= self._health.ui_stale_s
        devices = self._devices(metrics["device"], alive=alive, last_seen=now - ui["liveness_age_s"])
        payload = {
            "devices": devices,
            "outbox": metrics["outbox"],
            "disk": {"free_bytes": metrics["disk"]["free_bytes"], "free_pct": round(metrics["disk"]["free_pct"], 2)},
            "uptime_s": self._uptime(),
            "agent_uptime_s": max(0.0, now - self._started_at),
            "versions": self.versions(),
            "ui": {"liveness_age_s": round(ui["liveness_age_s"], 3), "alive": alive},
            "open_faults": [
                {
                    "fault_id": f.id,
                    "code": f.code,
                    "device": f.device,
                    "severity": f.severity,
                    "raised_at": f.raised_at,
                    "acked": f.acked_at is not None,
                }
                for f in self._store.open_faults()
            ],
            "effects": sorted(self.last_report.effects) if self.last_report else [],
            "maintenance": metrics["maintenance"]["on"],
        }
        self._store.enqueue("heartbeat", payload)
        return payload

    @staticmethod
    def _devices(recorded: Mapping[str, Any], *, alive: bool, last_seen: float) -> dict[str, Any]:
        """Every device kind: as the screen process last recorded it while it runs; ``unknown`` while it is down
        (it owns the devices, so nobody knows their state), with what it last recorded in the detail."""
        out: dict[str, Any] = {}
        for kind in DeviceKind:
            d = recorded.get(kind.value)
            if alive and d is not None:
                out[kind.value] = {k: d[k] for k in ("state", "faults", "since", "detail")}
            elif alive:  # the screen runs but has not reported this kind yet
                out[kind.value] = {"state": "unknown", "faults": [], "since": last_seen, "detail": {}}
            else:
                detail = {"last_state": d["state"]} if d is not None else {}
                out[kind.value] = {"state": "unknown", "faults": [], "since": max(0.0, last_seen), "detail": detail}
        return out
