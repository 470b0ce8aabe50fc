"""IPP printer status -> the kiosk's DeviceStatus, pure: printer-state, printer-state-reasons, accepting, media.

Input is the dict pycups' ``getPrinterAttributes`` returns (a single value comes as a scalar or a one-item list,
depending on the attribute; both are accepted). A reason keyword may carry a severity suffix (RFC 8011 5.4.12:
``-error``, ``-warning``, ``-report``); the reasons the kiosk acts on are mapped whatever their suffix, since
printers differ in which one they send. Other reasons: an unknown ``-error`` stops the printer (DEVICE_ERROR),
an unknown ``-warning`` degrades it, the rest (``-report``, CUPS's own ``cups-*`` notes) are only shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drivers.base import ProtocolError
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode

PRINTER_ATTRIBUTES = (
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "media-ready",
)
PRINTER_STATES = {3: "idle", 4: "processing", 5: "stopped"}
SUFFIXES = ("-error", "-warning", "-report")
A4_MEDIA_PREFIX = "iso_a4_"  # media-ready keyword of A4 paper (iso_a4_210x297mm)

F, D = DeviceState.FAULT, DeviceState.DEGRADED
# Reason (without suffix) -> the fault it means and the state it puts the printer in.
REASONS: dict[str, tuple[FaultCode, DeviceState]] = {
    "media-empty": (FaultCode.A4_PAPER_OUT, F),
    "media-needed": (FaultCode.A4_PAPER_OUT, F),
    "input-tray-missing": (FaultCode.A4_PAPER_OUT, F),
    "media-low": (FaultCode.A4_PAPER_LOW, D),
    "media-jam": (FaultCode.A4_JAM, F),
    "toner-empty": (FaultCode.TONER_EMPTY, F),
    "marker-supply-empty": (FaultCode.TONER_EMPTY, F),
    "toner-low": (FaultCode.TONER_LOW, D),
    "marker-supply-low": (FaultCode.TONER_LOW, D),
    "door-open": (FaultCode.DOOR_OPEN, F),
    "cover-open": (FaultCode.DOOR_OPEN, F),
    "interlock-open": (FaultCode.DOOR_OPEN, F),
    "offline": (FaultCode.DEVICE_OFFLINE, F),
    "shutdown": (FaultCode.DEVICE_OFFLINE, F),
    "paused": (FaultCode.DEVICE_OFFLINE, F),  # the queue was stopped (cupsdisable, or a job error policy)
    "timed-out": (FaultCode.DEVICE_OFFLINE, F),
    # CUPS cannot run the queue's driver: every job would fail.
    "cups-missing-filter": (FaultCode.DEVICE_ERROR, F),
    "cups-insecure-filter": (FaultCode.DEVICE_ERROR, F),
}
_RANK = {DeviceState.OK: 0, DeviceState.DEGRADED: 1, DeviceState.FAULT: 2}


@dataclass(frozen=True)
class QueueState:
    """The printer attributes the kiosk acts on, normalised."""

    state: int  # 3 idle, 4 processing, 5 stopped
    reasons: tuple[str, ...]  # as sent, without "none"
    message: str = ""
    accepting: bool = True
    media_ready: tuple[str, ...] | None = None  # None when the printer does not say

    @property
    def state_name(self) -> str:
        """printer-state as a word."""
        return PRINTER_STATES.get(self.state, f"state-{self.state}")


def values(value: Any) -> tuple[Any, ...]:
    """An attribute's values as a tuple, whether pycups gave a scalar, a list or nothing."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)


def split_reason(keyword: str) -> tuple[str, str]:
    """``media-empty-error`` -> (``media-empty``, ``error``); no suffix -> (keyword, "")."""
    for suffix in SUFFIXES:
        if keyword.endswith(suffix) and len(keyword) > len(suffix):
            return keyword[: -len(suffix)], suffix[1:]
    return keyword, ""


def parse_printer_attributes(attrs: Mapping[str, Any]) -> QueueState:
    """The attributes pycups returned for a queue, checked; ProtocolError when printer-state is missing or odd."""
    state = attrs.get("printer-state")
    if isinstance(state, list | tuple) and len(state) == 1:
        state = state[0]
    if not isinstance(state, int) or isinstance(state, bool) or state not in PRINTER_STATES:
        raise ProtocolError(f"printer-state {state!r} is not idle/processing/stopped (3/4/5)")
    reasons = tuple(str(r) for r in values(attrs.get("printer-state-reasons")) if str(r) and str(r) != "none")
    message = " ".join(str(m) for m in values(attrs.get("printer-state-message")))
    accepting = values(attrs.get("printer-is-accepting-jobs"))
    media = attrs.get("media-ready")
    return QueueState(
        state=state,
        reasons=reasons,
        message=message,
        accepting=bool(accepting[0]) if accepting else True,
        media_ready=None if media is None else tuple(str(m) for m in values(media)),
    )


def reason_faults(reasons: tuple[str, ...]) -> tuple[frozenset[FaultCode], DeviceState]:
    """The faults and the worst state ``reasons`` mean (OK and none when they mean nothing to the kiosk)."""
    faults: set[FaultCode] = set()
    state = DeviceState.OK
    for keyword in reasons:
        base, severity = split_reason(keyword)
        if base in REASONS:
            code, level = REASONS[base]
        elif severity == "error":
            code, level = FaultCode.DEVICE_ERROR, F
        elif severity == "warning":
            code, level = None, D
        else:
            continue  # a report, or one of CUPS's own notes (cups-waiting-for-job-completed, ...)
        if code is not None:
            faults.add(code)
        if _RANK[level] > _RANK[state]:
            state = level
    return frozenset(faults), state


def to_device_status(kind: str, queue: str, q: QueueState, *, since: float = 0.0) -> DeviceStatus:
    """The DeviceStatus a queue's state means. Not accepting jobs or stopped is DEVICE_OFFLINE; paper loaded
    but none of it A4 (``media-ready`` lists sizes, no A4 among them) is A4_PAPER_OUT."""
    faults, state = reason_faults(q.reasons)
    faults = set(faults)
    if q.state == 5 or not q.accepting:
        faults.add(FaultCode.DEVICE_OFFLINE)
        state = F
    if q.media_ready and not any(m.startswith(A4_MEDIA_PREFIX) for m in q.media_ready):
        faults.add(FaultCode.A4_PAPER_OUT)
        state = F
    detail: dict[str, str | int | float | bool] = {
        "queue": queue,
        "printer_state": q.state_name,
        "reasons": ",".join(q.reasons) or "none",
        "accepting": q.accepting,
    }
    if q.message:
        detail["message"] = q.message[:200]
    return DeviceStatus(kind, state, frozenset(faults), detail, since)
