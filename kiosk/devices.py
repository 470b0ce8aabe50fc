"""Device status model shared by the drivers, the store, the shell and the sync agent."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from kiosk.faults import FaultCode, default_severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

log = logging.getLogger(__name__)


class DeviceKind(StrEnum):
    """The device kinds a kiosk can have (one ``[devices.<kind>]`` config section each)."""

    PRINTER = "printer"
    ID_READER = "id_reader"  # resident ID card, SAM over serial
    SSCARD_READER = "sscard_reader"  # social security card, PC/SC
    DISPENSER = "dispenser"  # queue-ticket printer
    SCANNER = "scanner"  # keyboard-wedge QR/barcode scanner
    DOCUMENT_PRINTER = "document_printer"  # A4 laser printer through CUPS (certificates)
    CAMERA = "camera"  # document camera (高拍仪): photographs the citizen's materials
    KEYPAD = "keypad"  # EZ Access keypad (up, down, select, back, help): how a blind citizen uses the kiosk


class DeviceState(StrEnum):
    """Coarse state of one device, as the shell and the hall see it."""

    OK = "ok"
    DEGRADED = "degraded"  # works, but needs attention soon (paper near end)
    FAULT = "fault"  # cannot do its job now (paper out, cover open)
    ABSENT = "absent"  # not answering / unplugged
    DISABLED = "disabled"  # not configured on this kiosk


USABLE_STATES = frozenset({DeviceState.OK, DeviceState.DEGRADED})
UNUSABLE_STATES = frozenset(DeviceState) - USABLE_STATES


@dataclass(frozen=True)
class DeviceStatus:
    """A device's status at one moment, with the faults it implies."""

    kind: str
    state: DeviceState
    faults: frozenset[FaultCode] = frozenset()
    detail: dict[str, str | int | float | bool] = field(default_factory=dict)
    since: float = 0.0

    @property
    def usable(self) -> bool:
        """Whether the device can do its job now."""
        return self.state in USABLE_STATES

    def to_dict(self) -> dict:
        """JSON-ready form (store, heartbeat)."""
        return {
            "kind": self.kind,
            "state": str(self.state),
            "faults": sorted(str(f) for f in self.faults),
            "detail": dict(self.detail),
            "since": self.since,
        }

    @classmethod
    def from_dict(cls, data: dict) -> DeviceStatus:
        """Inverse of :meth:`to_dict`."""
        return cls(
            kind=data["kind"],
            state=DeviceState(data["state"]),
            faults=frozenset(FaultCode(f) for f in data.get("faults", [])),
            detail=dict(data.get("detail", {})),
            since=float(data.get("since", 0.0)),
        )


class StatusStore(Protocol):
    """The part of :class:`kiosk.store.Store` a status sink needs."""

    def report_device(self, status: DeviceStatus, *, raised: Mapping[str, str], cleared: Iterable[str]) -> bool: ...


class StatusSink:
    """Where drivers report status: records it and raises/clears the faults it implies.

    Listeners (the shell) are called after the store is written, on the reporting thread.
    """

    def __init__(self, store: StatusStore) -> None:
        self._store = store
        self._last: dict[str, DeviceStatus] = {}
        self._listeners: list[Callable[[DeviceStatus], None]] = []

    def subscribe(self, listener: Callable[[DeviceStatus], None]) -> None:
        """Call ``listener(status)`` on every reported status."""
        self._listeners.append(listener)

    def last(self, kind: str) -> DeviceStatus | None:
        """The last status reported for ``kind`` in this process."""
        return self._last.get(kind)

    def report(self, status: DeviceStatus) -> None:
        """Record ``status``; raise the faults it has that were not open, clear the ones it no longer has."""
        previous = self._last.get(status.kind)
        before = previous.faults if previous else frozenset(FaultCode)
        raised = {code: default_severity(code) for code in status.faults - (previous.faults if previous else set())}
        # On the first report clear every code the device no longer has (left open by an earlier run). All in one
        # transaction: a reader never sees the device absent without its fault, or back with it still open.
        self._store.report_device(status, raised=raised, cleared=before - status.faults)
        if previous is None or previous.state != status.state or previous.faults != status.faults:
            log.info("device %s: %s %s", status.kind, status.state, sorted(status.faults))
        self._last[status.kind] = status
        for listener in list(self._listeners):
            listener(status)
