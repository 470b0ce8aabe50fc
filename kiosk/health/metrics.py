"""The metrics snapshot the maintenance rules are evaluated over (and the heartbeat reports).

Pure: :func:`collect_metrics` reads a store and the disk when called; nothing happens on import.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import MIB
from kiosk.shared_settings import MAINTENANCE_MODE, UI_LIVENESS


class MetricsStore(Protocol):
    """The part of :class:`kiosk.store.Store` the metrics need."""

    def device_statuses(self) -> Mapping[str, Any]: ...
    def outbox_stats(self) -> Any: ...
    def get_setting(self, key: str, default: Any = None) -> Any: ...


def disk_metrics(path: Path, usage: Callable[[Path], Any] = shutil.disk_usage) -> dict[str, float]:
    """Free space of the filesystem holding ``path``: bytes, MiB (as the config counts MB) and percent."""
    u = usage(path)
    return {
        "free_bytes": float(u.free),
        "free_mb": u.free / MIB,
        "free_pct": 100.0 * u.free / u.total if u.total else 0.0,
        "total_bytes": float(u.total),
    }


def collect_metrics(
    store: MetricsStore,
    *,
    now: float,
    data_dir: Path,
    started_at: float,
    disk_usage: Callable[[Path], Any] = shutil.disk_usage,
) -> dict[str, Any]:
    """The snapshot the rules are evaluated over (and the heartbeat reports).

    ``started_at`` is when the caller started: a UI that never reported liveness counts as stale from then on,
    since a screen that never came up is as broken as one that hung.
    """
    devices: dict[str, Any] = {}
    for kind, status in store.device_statuses().items():
        devices[kind] = {
            "state": str(status.state),
            "faults": sorted(str(f) for f in status.faults),
            "usable": bool(status.usable),
            "since": status.since,
            "detail": dict(status.detail),
        }
    stats = store.outbox_stats()
    liveness = store.get_setting(UI_LIVENESS.key)
    is_time = isinstance(liveness, int | float) and not isinstance(liveness, bool)
    last_seen = float(liveness) if is_time else started_at
    maintenance = store.get_setting(MAINTENANCE_MODE.key) or {}
    return {
        "device": devices,
        "outbox": {
            "depth": stats.depth,
            "oldest_pending_age_s": stats.oldest_pending_age_s,
            "by_kind": dict(stats.by_kind),
        },
        "disk": disk_metrics(data_dir, disk_usage),
        "ui": {"liveness_age_s": max(0.0, now - last_seen), "seen": liveness is not None},
        "maintenance": {"on": bool(isinstance(maintenance, Mapping) and maintenance.get("on"))},
    }
