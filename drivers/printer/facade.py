"""The receipt printer as the rest of the kiosk sees it, and the one that drives it: our ESC/POS bytes over a
transport, DLE EOT status, GS r 1 print confirmation.

:class:`EscposEngine` is shared by the receipt printer and the ticket dispenser (drivers/dispenser), which
differ only in paper width and in which fault a paper-path error raises.
"""

from __future__ import annotations

import logging
import time
from abc import abstractmethod
from collections.abc import Callable
from typing import ClassVar

from drivers.base import Device, DeviceGone, DeviceTimeout, DriverError, NoMedium, SelfTestResult, Simulator
from drivers.printer.protocol import status as st
from drivers.printer.protocol.encoder import EscposEncoder
from drivers.printer.transport import Transport
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.layout import PrintJob

log = logging.getLogger(__name__)

PRINT_S_PER_LINE = 0.05  # a slow thermal head (~100 mm/s) needs about this per 30-dot line


class ReceiptPrinter(Device):
    """Prints receipts (PrintJob) and reports paper, cover and cutter status."""

    kind: ClassVar[DeviceKind] = DeviceKind.PRINTER
    io_methods = Device.io_methods | {"print_job"}

    @abstractmethod
    def print_job(self, job: PrintJob) -> None:
        """Print ``job`` (blocking, bounded by the timeout).

        Raises NoMedium when there is no paper, DeviceTimeout / DeviceGone when the printer does not answer,
        DriverError for any other reason it cannot print (cover open, cutter error).
        """


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
    ) -> None:
        self.transport = transport
        self.kind = kind
        self.encoder = encoder
        self.faults = faults
        self.timeout_s = timeout_s
        self.confirm = confirm
        self._clock = clock

    def open(self) -> None:
        """Open the transport."""
        self.transport.open()
        log.info("%s on %s opened", self.kind, self.transport.name)

    def close(self) -> None:
        """Close the transport; safe twice."""
        self.transport.close()

    def printer_status(self) -> st.PrinterStatus:
        """DLE EOT 1-4 now (DeviceTimeout when silent, ProtocolError when the reply is not status bytes)."""
        return st.query(self.transport, self.timeout_s, clock=self._clock)

    def status(self) -> DeviceStatus:
        """The device status; a write-only transport reports DEGRADED "status unavailable"."""
        if not self.transport.can_read:
            if not self.transport.exists():
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
        baudrate = self.transport.baudrate
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

    def __init__(self, engine: EscposEngine, *, simulator: Simulator | None = None) -> None:
        self.engine = engine
        self.simulator = simulator  # the simulator at the far end of the wire, when transport = "simulator"

    def open(self) -> None:
        """Open the transport."""
        self.engine.open()

    def close(self) -> None:
        """Close the transport; safe twice."""
        self.engine.close()

    def status(self) -> DeviceStatus:
        """DLE EOT status as a DeviceStatus."""
        return self.engine.status()

    def self_test(self) -> SelfTestResult:
        """A status round trip."""
        return self.engine.self_test()


class EscposReceiptPrinter(EngineBacked, ReceiptPrinter):
    """A receipt printer speaking ESC/POS over any transport."""

    def print_job(self, job: PrintJob) -> None:
        """Print a receipt."""
        self.engine.print_job(job)


def option_flag(options: dict[str, str], key: str, default: bool) -> bool:
    """A boolean from DeviceSection.options ("true"/"false"/"1"/"0"/"yes"/"no")."""
    value = options.get(key)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")
