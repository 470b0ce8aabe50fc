"""Probing one configured device the way the shell would, and turning what goes wrong into a fix to do.

Used by ``doctor`` (every device) and by ``test-print`` / ``test-ticket`` / ``read-card`` (one device).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from drivers.base import Device, DeviceTimeout, DriverError, device_thread
from drivers.registry import build_device
from kiosk.config import DeviceSection
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.faults import FAULT_INFO, FaultCode

log = logging.getLogger(__name__)

UDEV_RULES = "/etc/udev/rules.d/99-kiosk.rules"


@dataclass(frozen=True)
class Probe:
    """What one device said (or why it said nothing), and what to do about it."""

    kind: str
    state: str  # a DeviceState value
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        """Usable, or deliberately not fitted."""
        return self.state in (DeviceState.OK, DeviceState.DEGRADED, DeviceState.DISABLED)


def fix_for_error(kind: str, section: DeviceSection, exc: BaseException) -> str:
    """What a technician does when ``kind`` cannot be reached."""
    address = section.address
    if isinstance(exc, DeviceTimeout):
        return (
            f"the {kind} does not answer: check its power; check devices.{kind}.baudrate "
            f"({section.baudrate}) matches the device"
        )
    if section.transport in ("serial", "file"):
        if address and not Path(address).exists():
            return (
                f"{address} does not exist: check the {kind}'s power and USB cable, then the udev rule for it in "
                f"{UDEV_RULES} (udevadm info -a -n /dev/ttyUSB0 shows the port); or point the config at the "
                f"right port: kiosk-provision init --device {kind}={section.transport}:/dev/ttyUSB0"
            )
        if address and not os.access(address, os.R_OK | os.W_OK):
            return f"{address} is not readable by this user: the udev rule in {UDEV_RULES} gives it to group kiosk"
    if section.transport == "network":
        return f"check the {kind}'s network cable and that {address} answers (ping)"
    if section.transport == "pcsc":
        return (
            "start the smart-card service (systemctl start pcscd.socket) and check the reader's USB cable (pcsc_scan)"
        )
    if section.transport == "evdev":
        return f"check the {kind}'s USB cable; ls /dev/input/by-id/ lists the input devices"
    if section.transport == "cups":
        queue = address or "the default queue"
        return (
            f"check the CUPS service (systemctl status cups), that {queue} exists and is enabled (lpstat -p), and the "
            f"A4 printer's power and cable"
        )
    if section.transport == "usb":
        return f"check the {kind}'s USB cable and power; lsusb must list {address}"
    info = FAULT_INFO[FaultCode.DEVICE_OFFLINE]
    return f"{info.action_en} / {info.action_zh}"


def fix_for_status(status: DeviceStatus) -> str:
    """The maintenance actions of the faults a status carries."""
    actions = []
    for code in sorted(status.faults):
        info = FAULT_INFO.get(FaultCode(code))
        if info is not None:
            actions.append(f"{info.action_en} / {info.action_zh}")
    return "; ".join(actions)


def describe(status: DeviceStatus) -> str:
    """``ok``, or the state with its faults and detail."""
    faults = ",".join(sorted(status.faults))
    extra = " ".join(f"{k}={v}" for k, v in sorted(status.detail.items()))
    return " ".join(p for p in (str(status.state), faults, extra) if p)


def from_status(kind: str, status: DeviceStatus) -> Probe:
    """A probe from a status someone else (the running shell) recorded."""
    return Probe(kind, str(status.state), describe(status), "" if status.usable else fix_for_status(status))


@contextmanager
def opened(kind: DeviceKind, section: DeviceSection, data_dir: Path | None) -> Iterator[Device]:
    """The device for ``section``, opened, with this thread as its device thread for the block (the command
    owns the device: no runner); disposed of afterwards (closed, its simulator stopped)."""
    device = build_device(kind, section, data_dir=data_dir)
    with device_thread(device):
        try:
            device.open()
            yield device
        finally:
            try:
                device.dispose()
            except (DriverError, OSError) as exc:  # closing a vanished port can fail; it is closed either way
                log.debug("closing %s: %s", kind, exc)


def probe(kind: DeviceKind, section: DeviceSection, data_dir: Path | None) -> Probe:
    """Open the device, ask its status, close it."""
    name = kind.value
    if not section.enabled or section.transport == "none":
        return Probe(name, str(DeviceState.DISABLED), "not fitted (disabled in the config)")
    try:
        with opened(kind, section, data_dir) as device:
            status = device.status()
    except (DriverError, ImportError, OSError) as exc:
        where = f" {section.transport}:{section.address}" if section.address else f" {section.transport}"
        return Probe(
            name, str(DeviceState.ABSENT), f"{type(exc).__name__}{where}: {exc}", fix_for_error(name, section, exc)
        )
    return Probe(name, str(status.state), describe(status), "" if status.usable else fix_for_status(status))


def screen_alive_age(db_path: Path, now: float) -> float | None:
    """Seconds since the running shell last wrote its liveness (None: no database or never written).

    Read-only: safe beside the running services. A fresh value means the shell owns the devices now.
    """
    from kiosk.shared_settings import UI_LIVENESS_SETTING
    from kiosk.store import Inspector, StoreError

    if not db_path.is_file():
        return None
    try:
        with Inspector(db_path) as db:
            alive = db.get_setting(UI_LIVENESS_SETTING)
    except StoreError:  # unreadable: the shell cannot be running on it either
        return None
    return None if alive is None else max(0.0, now - float(alive))
