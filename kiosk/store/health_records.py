"""Device status and fault records: the part of :class:`kiosk.store.Store` the status sink and health rules use.

Mixins over :class:`kiosk.store.core.ConnectionCore`, so the store stays one object with one connection;
:class:`HealthReads` is shared with the read-only inspector.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping

from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.store.core import ConnectionCore
from kiosk.store.models import Fault, canonical_json

log = logging.getLogger(__name__)

_FAULT_COLUMNS = "id, code, device, severity, message, raised_at, cleared_at, acked_at, acked_by"


class HealthReads(ConnectionCore):
    """Reading device status and faults."""

    def device_statuses(self) -> dict[str, DeviceStatus]:
        """The latest status of every device kind ever reported."""
        with self._tx(write=False) as conn:
            rows = conn.execute("SELECT kind, state, faults, detail, since FROM device_status").fetchall()
        return {
            kind: DeviceStatus(
                kind, DeviceState(state), frozenset(FaultCode(f) for f in json.loads(faults)), json.loads(detail), since
            )
            for kind, state, faults, detail, since in rows
        }

    def open_faults(self) -> list[Fault]:
        """Faults not cleared yet, oldest first."""
        return self._faults("cleared_at IS NULL", ())

    def faults_since(self, t: float) -> list[Fault]:
        """Faults active at any time from ``t`` on: raised or cleared since ``t``, or still open."""
        return self._faults("raised_at >= ? OR cleared_at IS NULL OR cleared_at >= ?", (t, t))

    def _faults(self, where: str, params: tuple[float, ...]) -> list[Fault]:
        with self._tx(write=False) as conn:
            rows = conn.execute(f"SELECT {_FAULT_COLUMNS} FROM faults WHERE {where} ORDER BY raised_at, id", params)
            return [Fault(*row) for row in rows.fetchall()]


class HealthRecords(HealthReads):
    """Latest status per device kind, and faults with at most one open per (code, device)."""

    # ------------------------------------------------------------------------------------ device status
    def set_device_status(self, status: DeviceStatus) -> bool:
        """Store the latest status of ``status.kind``; True if state, faults or detail changed."""
        with self._tx(write=True) as conn:
            return _write_status(conn, status, self._now())

    def report_device(self, status: DeviceStatus, *, raised: Mapping[str, str], cleared: Iterable[str]) -> bool:
        """A device's status with the faults it raises (code -> severity) and clears, in one transaction: nobody
        reading the store (the heartbeat, the doctor) sees a device absent without its fault, or back with its
        fault still open. True if the status changed."""
        now = self._now()
        with self._tx(write=True) as conn:
            changed = _write_status(conn, status, now)
            for code, severity in raised.items():
                _raise(conn, code, status.kind, severity, "", now)
            for code in cleared:
                _clear(conn, code, status.kind, now)
        return changed

    # -------------------------------------------------------------------------------------------- faults
    def raise_fault(self, code: str, *, device: str = "", severity: str, message: str = "") -> Fault:
        """Open a fault; if the same (code, device) is already open, return that one unchanged."""
        with self._tx(write=True) as conn:
            return _raise(conn, code, device, severity, message, self._now())

    def clear_fault(self, code: str, *, device: str = "") -> Fault | None:
        """Close the open (code, device) fault and return it (with its duration); None if none was open."""
        with self._tx(write=True) as conn:
            return _clear(conn, code, device, self._now())

    def ack_fault(self, fault_id: int, by: str) -> bool:
        """A technician acknowledged the fault; False if unknown or already acknowledged."""
        with self._tx(write=True) as conn:
            cursor = conn.execute(
                "UPDATE faults SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL",
                (self._now(), by, fault_id),
            )
        return cursor.rowcount == 1


def _write_status(conn: sqlite3.Connection, status: DeviceStatus, now: float) -> bool:
    faults = canonical_json(sorted(str(code) for code in status.faults))
    detail = canonical_json(dict(status.detail))
    old = conn.execute("SELECT state, faults, detail FROM device_status WHERE kind = ?", (status.kind,)).fetchone()
    if old == (str(status.state), faults, detail):
        return False  # nothing written: the commit costs no fsync
    conn.execute(
        "INSERT OR REPLACE INTO device_status (kind, state, faults, detail, since, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (status.kind, str(status.state), faults, detail, status.since or now, now),
    )
    return True


def _raise(conn: sqlite3.Connection, code: str, device: str, severity: str, message: str, now: float) -> Fault:
    row = conn.execute(
        f"SELECT {_FAULT_COLUMNS} FROM faults WHERE code = ? AND device = ? AND cleared_at IS NULL", (str(code), device)
    ).fetchone()
    if row is None:
        row = conn.execute(
            "INSERT INTO faults (code, device, severity, message, raised_at) VALUES (?, ?, ?, ?, ?) "
            f"RETURNING {_FAULT_COLUMNS}",
            (str(code), device, str(severity), message, now),
        ).fetchall()[0]
        log.warning("fault raised: %s on %r (%s) %s", code, device, severity, message)
    return Fault(*row)


def _clear(conn: sqlite3.Connection, code: str, device: str, now: float) -> Fault | None:
    rows = conn.execute(
        "UPDATE faults SET cleared_at = ? WHERE code = ? AND device = ? AND cleared_at IS NULL "
        f"RETURNING {_FAULT_COLUMNS}",
        (now, str(code), device),
    ).fetchall()
    if not rows:
        return None
    fault = Fault(*rows[0])
    log.info("fault cleared: %s on %r after %.0f s", code, device, fault.duration_s)
    return fault
