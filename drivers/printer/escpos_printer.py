"""The real ESC/POS backend: our encoder's bytes over a transport, DLE EOT status, GS r 1 print confirmation.

:class:`EscposEngine` is shared by the receipt printer and the ticket dispenser (drivers/dispenser), which
differ only in paper width and in which fault a paper-path error raises.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from drivers.base import DeviceGone, DeviceTimeout, DriverError, NoMedium, SelfTestResult
from drivers.printer import status as st
from drivers.printer.escpos_encoder import EscposEncoder
from drivers.printer.interface import ReceiptPrinter
from drivers.printer.transports import Transport
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.layout import PrintJob

log = logging.getLogger(__name__)

PRINT_S_PER_LINE = 0.05  # a slow thermal head (~100 mm/s) needs about this per 30-dot line


class Closeable(Protocol):
    """Something an engine owns and stops on dispose (an in-process simulator)."""

    def close(self) -> None: ...


class EscposEngine:
    """One ESC/POS printer on one transport: status, printing with a pre-check and a confirmation."""

    def __init__(
        self,
        transport: Transport,
        *,
        kind: str,
        encoder: EscposEncoder,
        faults: st.FaultProfile = st.RECEIPT_FAULTS,
        timeout_s: float = 2.0,
        confirm: bool = True,
        clock: Callable[[], float] = time.monotonic,
        owned: Iterable[Closeable] = (),
    ) -> None:
        self.transport = transport
        self.kind = kind
        self.encoder = encoder
        self.faults = faults
        self.timeout_s = timeout_s
        self.confirm = confirm
        self._clock = clock
        self._owned = list(owned)

    def open(self) -> None:
        """Open the transport."""
        self.transport.open()
        log.info("%s on %s opened", self.kind, self.transport.name)

    def close(self) -> None:
        """Close the transport; safe twice."""
        self.transport.close()

    def dispose(self) -> None:
        """Close, and stop what this engine owns (a simulator it was started with)."""
        self.close()
        owned, self._owned = self._owned, []
        for thing in owned:
            thing.close()

    def printer_status(self) -> st.PrinterStatus:
        """DLE EOT 1-4 now (DeviceTimeout when silent, ProtocolError when the reply is not status bytes)."""
        return st.query(self.transport, self.timeout_s, clock=self._clock)

    def status(self) -> DeviceStatus:
        """The device status; a write-only transport reports DEGRADED "status unavailable"."""
        if not self.transport.can_read:
            exists = getattr(self.transport, "exists", None)
            if exists is not None and not exists():
                raise DeviceGone(f"{self.transport.name} is gone")
            return DeviceStatus(self.kind, DeviceState.DEGRADED, detail={"status": "status unavailable"})
        return st.to_device_status(self.kind, self.printer_status(), self.faults)

    def print_job(self, job: PrintJob) -> None:
        """Encode, check the printer can print, send, and (if confirming) wait until it has printed."""
        data = self.encoder.encode(job)  # encode first: a bad job fails before any I/O
        if self.transport.can_read:
            self._check_printable(st.to_device_status(self.kind, self.printer_status(), self.faults))
        started = self._clock()
        self.transport.write(data)
        if self.confirm and self.transport.can_read:
            self._confirm(data)
        log.info("%s: printed %r (%d bytes, %.0f ms)", self.kind, job.title, len(data), (self._clock() - started) * 1e3)

    def _check_printable(self, status: DeviceStatus) -> None:
        if status.usable:
            return
        names = ", ".join(sorted(status.faults))
        if FaultCode.PAPER_OUT in status.faults:
            raise NoMedium(f"{self.kind}: no paper", code=names)
        raise DriverError(f"{self.kind} cannot print: {names}", code=names)

    def _confirm(self, data: bytes) -> None:
        """GS r 1 is answered only after everything before it has printed: that is the confirmation."""
        self.transport.write(st.GS_R_PAPER)
        baudrate = getattr(self.transport, "baudrate", 0)
        wire_s = len(data) * 10 / baudrate if baudrate else 0.0
        bound = self.timeout_s + wire_s + data.count(b"\n") * PRINT_S_PER_LINE
        deadline = self._clock() + bound
        while (left := deadline - self._clock()) > 0:
            reply = self.transport.read(1, left)
            if reply:
                _near_end, paper_out = st.parse_paper_sensor(reply[0])
                if paper_out:
                    raise NoMedium(f"{self.kind}: paper ran out during the job")
                return
        raise DeviceTimeout(f"{self.kind}: no print confirmation within {bound:.1f} s")

    def self_test(self) -> SelfTestResult:
        """Open if needed is the runner's job; here: one status round trip, reported step by step."""
        steps: list[tuple[str, bool, str]] = []
        try:
            status = self.status()
        except DriverError as exc:
            steps.append(("status", False, f"{type(exc).__name__}: {exc}"))
            return SelfTestResult(ok=False, steps=tuple(steps))
        steps.append(("status", status.usable, f"{status.state} {sorted(status.faults)}"))
        return SelfTestResult(ok=status.usable, steps=tuple(steps), detail={"transport": self.transport.name})


class EngineBacked:
    """Device methods delegated to ``self.engine`` (mixed in before the kind's interface)."""

    engine: EscposEngine

    def open(self) -> None:
        """Open the transport."""
        self.engine.open()

    def close(self) -> None:
        """Close the transport; safe twice."""
        self.engine.close()

    def dispose(self) -> None:
        """Close and stop an owned simulator (called by DeviceRunner.stop)."""
        self.engine.dispose()

    def status(self) -> DeviceStatus:
        """DLE EOT status as a DeviceStatus."""
        return self.engine.status()

    def self_test(self) -> SelfTestResult:
        """A status round trip."""
        return self.engine.self_test()


class EscposReceiptPrinter(EngineBacked, ReceiptPrinter):
    """A receipt printer speaking ESC/POS over any transport."""

    def __init__(self, engine: EscposEngine, *, simulator: object | None = None) -> None:
        self.engine = engine
        self.simulator = simulator  # the in-process simulator behind it, when transport = "simulator"

    def print_job(self, job: PrintJob) -> None:
        """Print a receipt."""
        self.engine.print_job(job)


def option_flag(options: dict[str, str], key: str, default: bool) -> bool:
    """A boolean from DeviceSection.options ("true"/"false"/"1"/"0"/"yes"/"no")."""
    value = options.get(key)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")
