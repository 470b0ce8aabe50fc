"""What every device driver has: one interface, one error family, and a self-test result.

Each device kind has a package ``drivers/<kind>/`` with the same file set: ``interface.py`` (the ABC for the
kind), one module per real backend, ``simulator.py`` (speaks the same wire protocol), ``factory.py``
(``open_from_config(section, ...)`` picking the backend from ``transport``: "simulator" means the simulator).
All blocking I/O runs on the device's own worker thread (``drivers.runner.DeviceRunner``), never the GUI's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from kiosk.devices import DeviceKind, DeviceStatus


class DriverError(Exception):
    """Any failure of a device driver. Parsers and backends raise only this family."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code  # protocol status code where there is one (e.g. SAM SW3 "41")


class DeviceTimeout(DriverError):
    """The device did not answer in time (silence is a fault, never "OK")."""


class DeviceGone(DriverError):
    """The device (or the daemon behind it) went away: unplugged, port closed, pcscd stopped."""


class ProtocolError(DriverError):
    """The device sent bytes that do not parse: bad frame, checksum, length or value."""


class NoMedium(DriverError):
    """Nothing to read: no card on the reader, no paper in the printer."""


@dataclass(frozen=True)
class SelfTestResult:
    """The outcome of a device self-test, with the steps run."""

    ok: bool
    steps: tuple[tuple[str, bool, str], ...] = ()  # (step, passed, detail)
    detail: dict[str, str] = field(default_factory=dict)


class Device(ABC):
    """The surface every driver offers; kinds add their own operations in their interface."""

    kind: ClassVar[DeviceKind]

    @abstractmethod
    def open(self) -> None:
        """Open the transport; raises DeviceGone / DriverError."""

    @abstractmethod
    def close(self) -> None:
        """Release the transport; safe to call twice."""

    @abstractmethod
    def status(self) -> DeviceStatus:
        """Ask the device for its status now (blocking, bounded by the timeout)."""

    @abstractmethod
    def self_test(self) -> SelfTestResult:
        """Run the device's own checks (may print a test page where that is the device's job)."""
