"""What the hall may set on a kiosk, within which bounds, and where those settings are kept.

The technician's ``/etc/kiosk/kiosk.toml`` belongs to root and is read-only to the services: a service that
could rewrite it could also point the kiosk at another broker, switch TLS off or plant its own CA. The hall's
config updates (MQTT contract §5.3) therefore go to their own file, ``<data_dir>/hall-settings.toml``, which the
sync agent writes; :func:`kiosk.config.load_config` lays it over kiosk.toml. Only the keys of
:data:`HALL_SETTABLE` may be in it, each within its bounds: identity, link, devices, PIN and mode are set on
site only, and bounds keep a hall (or whoever got hold of its key) from turning the PIN lockout off, keeping
citizens' data for a year or leaving a visit open for an hour.

A hall-settings file that is damaged, or that no longer fits the technician's file (say, a warning longer
than an idle timeout the technician shortened), is ignored as a whole with a warning: the kiosk runs on
kiosk.toml alone rather than not at all. ``Config.hall_settings_error`` says why, and ``kiosk-provision doctor``
shows it.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from kiosk.languages import LANGUAGES

HALL_SETTINGS_FILE = "hall-settings.toml"
HALL_SETTINGS_MODE = 0o640  # the sync agent's, readable by the screen's group; never wider


class HallSettingError(ValueError):
    """A hall setting that is not allowed: ``key`` (dotted) and ``problem``."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class Bound:
    """What one hall-settable key may hold."""

    kind: str  # number | integer | text | choice | hhmm | dates | weekdays | rules
    low: float = 0.0
    high: float = 0.0
    size: int = 0  # text: characters; lists: items
    choices: tuple[str, ...] = ()

    def check(self, key: str, value: Any) -> None:
        """Raise :class:`HallSettingError` unless ``value`` fits."""
        if self.kind in ("number", "integer"):
            self._number(key, value)
        elif self.kind in ("text", "hhmm"):
            if not isinstance(value, str):
                raise HallSettingError(key, f"expected a string, got {value!r}")
            if len(value) > (self.size or 5) or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
                raise HallSettingError(key, f"expected at most {self.size or 5} printable characters")
        elif self.kind == "choice":
            if value not in self.choices:
                raise HallSettingError(key, f"expected one of {list(self.choices)}, got {value!r}")
        else:  # lists: dates, weekdays, rules (their items are checked by the config's own rules)
            if not isinstance(value, list) or len(value) > self.size:
                raise HallSettingError(key, f"expected a list of at most {self.size} items")

    def _number(self, key: str, value: Any) -> None:
        wanted = (int,) if self.kind == "integer" else (int, float)
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise HallSettingError(key, f"expected {'an integer' if self.kind == 'integer' else 'a number'}, "
                                        f"got {value!r}")  # fmt: skip
        if not (math.isfinite(value) and self.low <= value <= self.high):
            raise HallSettingError(key, f"the hall may set {self.low:g} to {self.high:g}, not {value!r}")


def _num(low: float, high: float) -> Bound:
    return Bound("number", low, high)


def _int(low: int, high: int) -> Bound:
    return Bound("integer", low, high)


def _text(size: int) -> Bound:
    return Bound("text", size=size)


_HHMM = Bound("hhmm")

# Dotted key -> bounds. ``devices.*`` stands for every device kind. Bounds are narrower than what the config
# file accepts from a technician: they are what a hall needs to run its kiosks, no more.
HALL_SETTABLE: dict[str, Bound] = {
    "kiosk.hall_name": _text(100),
    "kiosk.hall_name_en": _text(100),
    "kiosk.hotline": _text(40),
    "kiosk.location": _text(100),
    "kiosk.language": Bound("choice", choices=LANGUAGES),
    "screen.elderly_scale": _num(1.5, 3.0),
    "session.idle_timeout_s": _num(30, 600),
    "session.warning_s": _num(5, 120),
    "session.elderly_idle_timeout_s": _num(30, 1200),
    "store.retention_hours": _num(0, 168),
    "store.telemetry_limit": _int(1_000, 100_000),
    "store.min_free_mb": _int(50, 10_000),
    "appointment.lead_hours": _num(0, 168),
    "appointment.days_ahead": _int(1, 30),
    "appointment.slot_minutes": _int(10, 240),
    "appointment.per_slot": _int(1, 100),
    "appointment.open": _HHMM,
    "appointment.close": _HHMM,
    "appointment.holidays": Bound("dates", size=400),
    "hall_hours.open": _HHMM,
    "hall_hours.close": _HHMM,
    "hall_hours.weekdays": Bound("weekdays", size=7),
    "devices.*.timeout_s": _num(0.5, 30),
    "devices.*.poll_s": _num(1, 300),
    "mqtt.heartbeat_s": _num(10, 3600),
    "mqtt.keepalive_s": _int(10, 300),
    "mqtt.inflight": _int(1, 1000),
    "mqtt.ack_timeout_s": _num(5, 600),
    "mqtt.retry_min_s": _num(0.5, 60),
    "mqtt.retry_max_s": _num(5, 3600),
    "health.rules": Bound("rules", size=64),
    "health.ui_stale_s": _num(10, 600),
    "health.backlog_max_age_s": _num(300, 7 * 86_400),
    "health.disk_min_free_pct": _num(1, 50),
    "maintenance.lockout_after": _int(3, 10),
    "maintenance.lockout_s": _num(60, 3600),
    "maintenance.lockout_max_s": _num(3600, 7 * 86_400),
    "maintenance.max_failures_per_day": _int(5, 100),
}


def bound_for(key: str) -> Bound | None:
    """The bounds of dotted ``key`` (``devices.printer.timeout_s`` matches ``devices.*.timeout_s``)."""
    if key in HALL_SETTABLE:
        return HALL_SETTABLE[key]
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "devices" and parts[1] in _device_kinds():
        return HALL_SETTABLE.get(f"devices.*.{parts[2]}")
    return None


def _device_kinds() -> set[str]:
    from kiosk.config import DevicesSection

    return {f.name for f in fields(DevicesSection)}


def _config_keys() -> tuple[set[str], set[str]]:
    """Every dotted leaf key of the config, and every table (section) name."""
    from kiosk.config import Config

    leaves: set[str] = set()
    tables: set[str] = set()

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for f in fields(cls):
            if f.name in ("source", "hall_settings", "hall_settings_error"):
                continue
            name = f"{prefix}.{f.name}" if prefix else f.name
            if is_dataclass(hints[f.name]):
                tables.add(name)
                walk(hints[f.name], name)
            else:
                leaves.add(name)

    walk(Config, "")
    return leaves, tables


def check_hall_settings(table: Mapping[str, Any]) -> None:
    """Raise :class:`HallSettingError` for the first key of ``table`` (TOML tables as dicts) the hall may not set,
    or set to that value. Cross-key rules (a warning shorter than the idle timeout) are the config's own."""
    leaves, tables = _config_keys()

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if name in tables:
                if not isinstance(value, Mapping):
                    raise HallSettingError(name, f"expected a table, got {value!r}")
                walk(value, name)
                continue
            bound = bound_for(name)
            if bound is None:
                if name in leaves:
                    raise HallSettingError(name, "cannot be changed remotely (set it on site with kiosk-provision)")
                raise HallSettingError(name, "unknown key")
            bound.check(name, value)

    walk(table, "")


def merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``update`` into a copy of ``base``: tables merge, everything else (lists too) replaces."""
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
