"""Fast checks of the two telemetry kinds every kiosk sends all day, ``heartbeat`` and ``fault``, equal to their
schemas (``sync/schemas/up-heartbeat.json``, ``up-fault.json``).

jsonschema takes 2-7 ms for one of these (its ``$ref`` lookups), which capped a hall instance at a few hundred
messages a second when a fleet drained a backlog of heartbeats (``bench/fleet.py`` showed it); the hall's hot path
(:func:`sync.contract.check_uplink`) uses these instead, as it does ``sync/citizen.py`` for citizen records.
``tests/sync/test_hall_telemetry_check.py`` checks they agree with the schemas on real payloads and thousands of
broken ones. Patterns are searched as jsonschema does (``re.search``, the schemas anchor them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

KINDS = ("heartbeat", "fault")

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # common.json#/$defs/code
_SEVERITIES = ("info", "minor", "major", "critical")
_DEVICE_STATES = ("ok", "degraded", "fault", "absent", "disabled", "unknown")  # unknown: the screen process is down
_FAULT_EVENTS = ("raised", "cleared", "acked")
TEXT_MAX = 2000  # common.json#/$defs/text
_HEARTBEAT = ("devices", "outbox", "disk", "uptime_s", "agent_uptime_s", "versions", "ui", "open_faults", "effects",
              "maintenance")  # fmt: skip
_FAULT_REQUIRED = ("event", "fault_id", "code", "device", "severity", "action_zh", "action_en", "raised_at",
                   "cleared_at", "duration_s")  # fmt: skip
_FAULT_ALLOWED = frozenset({*_FAULT_REQUIRED, "message", "acked_at", "acked_by"})


class _Bad(Exception):
    """One problem, as ``path: what``."""


def problem(kind: str, payload: Any) -> str | None:
    """What is wrong with the payload of a ``heartbeat`` or ``fault`` message, as ``payload/<field>: why``; None
    when it follows the kind's schema."""
    try:
        _obj(payload, "payload")
        (_heartbeat if kind == "heartbeat" else _fault)(payload)
    except _Bad as exc:
        return str(exc)
    return None


# ---------------------------------------------------------------------------------------------------- kinds


def _heartbeat(p: Mapping[str, Any]) -> None:
    _required(p, _HEARTBEAT, "payload")
    devices = _obj(p["devices"], "payload/devices")
    for name, device in devices.items():
        where = f"payload/devices/{name}"
        _obj(device, where)
        _required(device, ("state", "faults", "since"), where)
        _enum(device["state"], _DEVICE_STATES, f"{where}/state")
        for i, code in enumerate(_list(device["faults"], f"{where}/faults")):
            _pattern(code, _CODE, f"{where}/faults/{i}")
        _number(device["since"], f"{where}/since", minimum=0)
        if "detail" in device:
            _obj(device["detail"], f"{where}/detail")
    outbox = _obj(p["outbox"], "payload/outbox")
    _required(outbox, ("depth", "oldest_pending_age_s", "by_kind"), "payload/outbox")
    _integer(outbox["depth"], "payload/outbox/depth", minimum=0)
    _number(outbox["oldest_pending_age_s"], "payload/outbox/oldest_pending_age_s", minimum=0)
    for kind, n in _obj(outbox["by_kind"], "payload/outbox/by_kind").items():
        _integer(n, f"payload/outbox/by_kind/{kind}", minimum=0)
    disk = _obj(p["disk"], "payload/disk")
    _required(disk, ("free_bytes", "free_pct"), "payload/disk")
    _number(disk["free_bytes"], "payload/disk/free_bytes", minimum=0)
    _number(disk["free_pct"], "payload/disk/free_pct", minimum=0, maximum=100)
    _number(p["uptime_s"], "payload/uptime_s", minimum=0)
    _number(p["agent_uptime_s"], "payload/agent_uptime_s", minimum=0)
    for name, version in _obj(p["versions"], "payload/versions").items():
        _string(version, f"payload/versions/{name}")
    ui = _obj(p["ui"], "payload/ui")
    _required(ui, ("liveness_age_s", "alive"), "payload/ui")
    _number(ui["liveness_age_s"], "payload/ui/liveness_age_s", minimum=0)
    _bool(ui["alive"], "payload/ui/alive")
    for i, fault in enumerate(_list(p["open_faults"], "payload/open_faults")):
        where = f"payload/open_faults/{i}"
        _obj(fault, where)
        _required(fault, ("fault_id", "code", "device", "severity", "raised_at"), where)
        _integer(fault["fault_id"], f"{where}/fault_id")
        _pattern(fault["code"], _CODE, f"{where}/code")
        _string(fault["device"], f"{where}/device")
        _enum(fault["severity"], _SEVERITIES, f"{where}/severity")
        _number(fault["raised_at"], f"{where}/raised_at", minimum=0)
        if "acked" in fault:
            _bool(fault["acked"], f"{where}/acked")
    for i, effect in enumerate(_list(p["effects"], "payload/effects")):
        _string(effect, f"payload/effects/{i}")
    _bool(p["maintenance"], "payload/maintenance")


def _fault(p: Mapping[str, Any]) -> None:
    _required(p, _FAULT_REQUIRED, "payload")
    extra = sorted(set(p) - _FAULT_ALLOWED)
    if extra:
        raise _Bad(f"payload: unexpected field(s) {', '.join(extra)}")
    _enum(p["event"], _FAULT_EVENTS, "payload/event")
    _integer(p["fault_id"], "payload/fault_id", minimum=1)
    _pattern(p["code"], _CODE, "payload/code")
    _string(p["device"], "payload/device", max_len=32)
    _enum(p["severity"], _SEVERITIES, "payload/severity")
    for name in ("message", "action_zh", "action_en"):
        if name in p:
            _string(p[name], f"payload/{name}", max_len=TEXT_MAX)
    _number(p["raised_at"], "payload/raised_at", minimum=0)
    for name in ("cleared_at", "duration_s", "acked_at"):
        if name in p and p[name] is not None:
            _number(p[name], f"payload/{name}", minimum=0)
    if p.get("acked_by") is not None:
        _string(p["acked_by"], "payload/acked_by", max_len=64)
    if p["event"] == "cleared" and (p["cleared_at"] is None or p["duration_s"] is None):
        raise _Bad("payload: a cleared event carries cleared_at and duration_s")


# -------------------------------------------------------------------------------------------------- helpers


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{where}: expected an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{where}: expected a list")
    return value


def _required(obj: Mapping[str, Any], fields: tuple[str, ...], where: str) -> None:
    missing = [f for f in fields if f not in obj]
    if missing:
        raise _Bad(f"{where}: missing required field(s) {', '.join(missing)}")


def _string(value: Any, where: str, *, max_len: int | None = None) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{where}: expected a string")
    if max_len is not None and len(value) > max_len:
        raise _Bad(f"{where}: longer than {max_len} characters")
    return value


def _pattern(value: Any, pattern: re.Pattern[str], where: str) -> None:
    if not isinstance(value, str) or not pattern.search(value):
        raise _Bad(f"{where}: {value!r:.80} does not match {pattern.pattern}")


def _enum(value: Any, allowed: tuple[str, ...], where: str) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise _Bad(f"{where}: {value!r:.80} is not one of {', '.join(allowed)}")


def _bool(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        raise _Bad(f"{where}: expected true or false")


def _number(value: Any, where: str, *, minimum: float | None = None, maximum: float | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"{where}: expected a number")
    if minimum is not None and value < minimum:
        raise _Bad(f"{where}: below {minimum}")
    if maximum is not None and value > maximum:
        raise _Bad(f"{where}: above {maximum}")


def _integer(value: Any, where: str, *, minimum: int | None = None) -> None:
    # JSON Schema's "integer" is any number with no fraction (5.0 too), never a boolean.
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
        raise _Bad(f"{where}: expected an integer")
    if minimum is not None and value < minimum:
        raise _Bad(f"{where}: below {minimum}")
