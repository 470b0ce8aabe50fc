"""Build every configured device with its runner: the one place the shell and the demo get their devices.

Each kind's factory is ``drivers.<kind>.factory.open_from_config(section, *, data_dir)``, imported lazily so a kiosk
without (say) pyscard still starts its other devices. A disabled kind (``enabled = false`` or transport
"none") is reported DISABLED; a kind whose driver cannot be built (missing library, bad config) is reported
ABSENT with DEVICE_OFFLINE and a reason, and gets no runner.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from drivers.base import Device, DriverError
from drivers.runner import DeviceRunner
from kiosk.config import DeviceSection, DevicesSection
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode

log = logging.getLogger(__name__)


def build_device(kind: DeviceKind, section: DeviceSection, *, data_dir: Path | None = None) -> Device:
    """The (unopened) device for one config section, via ``drivers.<kind>.factory.open_from_config``.

    ``data_dir`` is where simulators keep what they make (printed PNGs, stable pty links).
    """
    module = importlib.import_module(f"drivers.{kind.value}.factory")
    return module.open_from_config(section, data_dir=data_dir)


def open_devices(
    devices: DevicesSection,
    sink: StatusSink,
    *,
    data_dir: Path,
    kinds: frozenset[DeviceKind] | None = None,
    start: bool = True,
    wall_clock: Callable[[], float] = time.time,
    backoff_max_s: float = 30.0,
) -> dict[DeviceKind, DeviceRunner]:
    """A started (unless ``start=False``) DeviceRunner for every enabled device of ``kinds`` (default all).

    Stop them with :func:`stop_all`.
    """
    runners: dict[DeviceKind, DeviceRunner] = {}
    for kind in DeviceKind:
        if kinds is not None and kind not in kinds:
            continue
        section: DeviceSection = getattr(devices, kind.value)
        if not section.enabled or section.transport == "none":
            sink.report(DeviceStatus(kind.value, DeviceState.DISABLED, since=wall_clock()))
            continue
        try:
            device = build_device(kind, section, data_dir=data_dir)
        except (DriverError, ImportError, OSError) as exc:
            log.error("device %s (%s) not available: %s", kind, section.transport, exc)
            detail: dict[str, str | int | float | bool] = {"error": type(exc).__name__, "message": str(exc)[:200]}
            sink.report(
                DeviceStatus(
                    kind.value, DeviceState.ABSENT, frozenset({FaultCode.DEVICE_OFFLINE}), detail, since=wall_clock()
                )
            )
            continue
        runners[kind] = DeviceRunner(
            device,
            sink,
            poll_s=section.poll_s,
            wall_clock=wall_clock,
            name=f"device-{kind.value}",
            backoff_max_s=backoff_max_s,
        )
    if start:
        for runner in runners.values():
            runner.start()
    return runners


def stop_all(runners: dict[DeviceKind, DeviceRunner], timeout: float = 5.0) -> bool:
    """Stop every runner (each closes its device and any simulator it owns); False if one did not stop."""
    return all([runner.stop(timeout) for runner in runners.values()])
