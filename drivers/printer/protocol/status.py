"""Real-time printer status: DLE EOT 1-4, the reply parser, and the mapping to a DeviceStatus.

Each DLE EOT reply is one byte ``0xx1xx10``: bits 1 and 4 are always 1, bits 0 and 7 always 0. A byte that
breaks that is not a status byte (line noise, a stale reply, another protocol) and is a ProtocolError, never
guessed at. No reply at all is a DeviceTimeout, which the runner turns into DEVICE_OFFLINE: unlike
python-escpos's ``paper_status()``, silence is never read as "paper OK".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from drivers.base import DeviceTimeout, ProtocolError
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
QUERY_ALL = b"".join(DLE_EOT + bytes([n]) for n in (1, 2, 3, 4))  # at most 4 back to back: exactly 4
FIXED_MASK, FIXED_VALUE = 0x93, 0x12  # bits 7, 4, 1, 0 must read 0, 1, 1, 0

# GS r 1 (transmit paper sensor status) is buffered: its answer comes after everything sent before it has been
# printed, so it confirms a job. Reply: bits 0-1 near end, bits 2-3 paper end, bits 4 and 7 always 0.
GS_R_PAPER = b"\x1dr\x01"
GS_R_FIXED_MASK = 0x90


class Transport(Protocol):
    """The part of a printer transport the status query needs."""

    def write(self, data: bytes) -> None: ...
    def read(self, n: int, timeout_s: float) -> bytes: ...
    def drain(self) -> None: ...


@dataclass(frozen=True)
class PrinterStatus:
    """What DLE EOT 1-4 said."""

    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False
    auto_recoverable_error: bool = False
    feed_button: bool = False
    raw: bytes = b""


@dataclass(frozen=True)
class FaultProfile:
    """Which fault code a device kind raises for its paper-path errors."""

    cutter: FaultCode = FaultCode.CUTTER_ERROR
    recoverable: FaultCode = FaultCode.DEVICE_ERROR


RECEIPT_FAULTS = FaultProfile()
# A ticket dispenser's cutter and paper-feed errors are what the hall calls a jam at the ticket outlet.
TICKET_FAULTS = FaultProfile(cutter=FaultCode.JAM, recoverable=FaultCode.JAM)


def check_byte(n: int, value: int) -> int:
    """Validate one DLE EOT ``n`` reply byte against the fixed bits."""
    if value & FIXED_MASK != FIXED_VALUE:
        raise ProtocolError(f"DLE EOT {n} reply 0x{value:02X} breaks the fixed bits 0xx1xx10", code=f"{value:02X}")
    return value


def parse_replies(replies: bytes) -> PrinterStatus:
    """Parse the four replies to DLE EOT 1, 2, 3, 4 (in that order)."""
    if len(replies) != 4:
        raise ProtocolError(f"expected 4 DLE EOT replies, got {len(replies)} bytes")
    p, off, err, paper = (check_byte(n, b) for n, b in zip((1, 2, 3, 4), replies, strict=True))
    return PrinterStatus(
        online=not p & 0x08,
        feed_button=bool(p & 0x40),
        cover_open=bool(off & 0x04),
        paper_out=bool(off & 0x20) or paper & 0x60 == 0x60,
        recoverable_error=bool(err & 0x04),
        cutter_error=bool(err & 0x08),
        unrecoverable_error=bool(err & 0x20),
        auto_recoverable_error=bool(err & 0x40),
        paper_near_end=paper & 0x0C == 0x0C,
        raw=bytes(replies),
    )


def query(transport: Transport, timeout_s: float, *, clock: Callable[[], float] = time.monotonic) -> PrinterStatus:
    """Send DLE EOT 1-4 and read the four replies within ``timeout_s`` in all.

    Stale input is drained first so an old reply cannot be taken for a new one.
    """
    transport.drain()
    transport.write(QUERY_ALL)
    deadline = clock() + timeout_s
    got = b""
    while len(got) < 4:
        left = deadline - clock()
        if left <= 0:
            break
        got += transport.read(4 - len(got), left)
    if not got:
        raise DeviceTimeout(f"no reply to DLE EOT within {timeout_s:.2f} s")
    if len(got) < 4:
        raise DeviceTimeout(f"only {len(got)} of 4 DLE EOT replies within {timeout_s:.2f} s")
    return parse_replies(got)


def parse_paper_sensor(value: int) -> tuple[bool, bool]:
    """The GS r 1 reply -> (near_end, paper_out)."""
    if value & GS_R_FIXED_MASK:
        raise ProtocolError(f"GS r 1 reply 0x{value:02X} breaks the fixed bits 0xx0xxxx", code=f"{value:02X}")
    return bool(value & 0x03), bool(value & 0x0C)


def to_device_status(kind: str, st: PrinterStatus, profile: FaultProfile = RECEIPT_FAULTS) -> DeviceStatus:
    """Map a PrinterStatus to the shared model: faults make it FAULT, near end alone makes it DEGRADED."""
    faults: set[FaultCode] = set()
    if st.paper_out:
        faults.add(FaultCode.PAPER_OUT)
    elif st.paper_near_end:  # out implies near end; one fault is enough
        faults.add(FaultCode.PAPER_NEAR_END)
    if st.cover_open:
        faults.add(FaultCode.COVER_OPEN)
    if st.cutter_error:
        faults.add(profile.cutter)
    if st.recoverable_error:
        faults.add(profile.recoverable)
    if st.unrecoverable_error:
        faults.add(FaultCode.DEVICE_ERROR)
    explained = faults - {FaultCode.PAPER_NEAR_END}
    if not st.online and not explained:
        # Offline with no cause we know (e.g. an auto-recoverable error such as head overheating).
        faults.add(FaultCode.DEVICE_OFFLINE)
    if faults - {FaultCode.PAPER_NEAR_END}:
        state = DeviceState.FAULT
    elif faults:
        state = DeviceState.DEGRADED
    else:
        state = DeviceState.OK
    detail: dict[str, str | int | float | bool] = {
        "online": st.online,
        "raw": st.raw.hex(),
    }
    if st.auto_recoverable_error:
        detail["auto_recoverable_error"] = True
    return DeviceStatus(kind=kind, state=state, faults=frozenset(faults), detail=detail)
