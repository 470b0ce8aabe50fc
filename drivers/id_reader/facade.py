"""The resident ID card reader as the rest of the kiosk sees it, and the one that drives it: a SAM module on a
serial port, speaking the SAM frame protocol.

A read is find card (20 01) -> select card (20 02) -> read text + photo (30 01); the status check is SAM
status (11 FF). Every exchange is bounded: the port's read timeout is short and a deadline ends the wait, so a
silent or half-answering reader gives DeviceTimeout, never a hang. A port that disappears gives DeviceGone.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import abstractmethod
from collections.abc import Callable
from datetime import date
from typing import ClassVar

from drivers.base import Device, DeviceTimeout, DriverError, NoMedium, ProtocolError, SelfTestResult, Simulator
from drivers.id_reader.protocol import frames
from drivers.id_reader.protocol.frames import FrameReader, Response, SamStatusError
from drivers.id_reader.protocol.text_block import identity_from_read_data
from drivers.id_reader.transport import SerialFactory, SerialLink
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.identity import Identity

log = logging.getLogger(__name__)


class IdCardReader(Device):
    """A reader of second-generation resident ID cards. Call it only on its DeviceRunner thread."""

    kind: ClassVar[DeviceKind] = DeviceKind.ID_READER
    io_methods = Device.io_methods | {"read_card"}

    @abstractmethod
    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """Read the card on the reader: its identity (source "id_card", photo as bytes), or None if no card.

        The whole read is bounded by ``timeout_s`` (default: the configured timeout). Raises DeviceTimeout,
        DeviceGone, ProtocolError (garbled answer) or SamStatusError (the SAM reported a failure).
        """


class SamIdReader(IdCardReader):
    """A SAM ID card reader on serial port ``port`` (a device path, or a pyserial URL).

    ``serial_factory`` (default ``serial.serial_for_url``) makes the port; tests and the factory give a pty
    path instead of hardware. ``today`` bounds the birth date of a card's ID number (default: system date).
    """

    io_methods = IdCardReader.io_methods | {"read_sam_id"}

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        timeout_s: float = 2.0,
        serial_factory: SerialFactory | None = None,
        today: Callable[[], date] | None = None,
        simulator: Simulator | None = None,
    ) -> None:
        self.port = port
        self.timeout_s = timeout_s
        self.simulator = simulator  # the simulator at the far end of the port, when transport = "simulator"
        self.link = SerialLink(port, baudrate=baudrate, timeout_s=timeout_s, serial_factory=serial_factory)
        self._today = today
        self._lock = threading.Lock()  # one exchange at a time

    # -- Device ----------------------------------------------------------------------------------------------

    @property
    def baudrate(self) -> int:
        """The port's speed."""
        return self.link.baudrate

    def open(self) -> None:
        """Open the port; DeviceGone when it does not exist or cannot be opened."""
        with self._lock:
            self.link.open()

    def close(self) -> None:
        """Close the port; safe to call twice."""
        with self._lock:
            self.link.close()

    def status(self) -> DeviceStatus:
        """SAM status (11 FF): OK, or FAULT with SAM_ERROR; DeviceTimeout/DeviceGone when it does not answer."""
        response = self._transact(*frames.SAM_STATUS, timeout_s=self.timeout_s)
        detail: dict[str, str | int | float | bool] = {"port": self.port, "sw3": f"{response.sw3:02X}"}
        try:
            response.check(frames.SW3_OK)
        except SamStatusError as exc:
            faults = frozenset({FaultCode.SAM_ERROR if exc.sam_fault else FaultCode.DEVICE_ERROR})
            return DeviceStatus(self.kind, DeviceState.FAULT, faults, {**detail, "message": exc.text.en})
        except ProtocolError as exc:
            return DeviceStatus(
                self.kind, DeviceState.FAULT, frozenset({FaultCode.DEVICE_ERROR}), {**detail, "message": str(exc)}
            )
        return DeviceStatus(self.kind, DeviceState.OK, frozenset(), detail)

    def self_test(self) -> SelfTestResult:
        """SAM status (11 FF), then the SAM's ID (12 FF)."""
        try:
            self._transact(*frames.SAM_STATUS, timeout_s=self.timeout_s).check(frames.SW3_OK)
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("sam_status", False, str(exc)),))
        passed = ("sam_status", True, "90")
        try:
            sam_id = self.read_sam_id()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(passed, ("sam_id", False, str(exc))))
        return SelfTestResult(ok=True, steps=(passed, ("sam_id", True, sam_id)), detail={"sam_id": sam_id})

    # -- IdCardReader ----------------------------------------------------------------------------------------

    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """Find, select and read the card; None when there is no card. The whole read is bounded."""
        deadline = time.monotonic() + (self.timeout_s if timeout_s is None else timeout_s)
        try:
            self._transact(*frames.FIND_CARD, deadline=deadline).check(frames.SW3_FOUND, frames.SW3_OK)
            self._transact(*frames.SELECT_CARD, deadline=deadline).check(frames.SW3_OK)
        except NoMedium:
            return None
        response = self._transact(*frames.READ_TEXT_PHOTO, deadline=deadline).check(frames.SW3_OK)
        today = self._today() if self._today else None
        return identity_from_read_data(response.data, today)

    def read_sam_id(self) -> str:
        """The SAM's 16-byte ID as hex (for the technician's self-test report)."""
        response = self._transact(*frames.READ_SAM_ID, timeout_s=self.timeout_s).check(frames.SW3_OK)
        return response.data.hex().upper()

    # -- exchange --------------------------------------------------------------------------------------------

    def _transact(
        self, cmd: int, para: int, *, timeout_s: float | None = None, deadline: float | None = None
    ) -> Response:
        """Send one command and wait for its answer until the deadline."""
        if deadline is None:
            deadline = time.monotonic() + (self.timeout_s if timeout_s is None else timeout_s)
        with self._lock:
            self.link.send(frames.build_command(cmd, para))
            reader = FrameReader()
            while True:
                body = reader.next_body()
                if body is not None:
                    return frames.parse_response(body)
                if time.monotonic() >= deadline:
                    raise DeviceTimeout(
                        f"ID card reader {self.port}: command {cmd:02X} {para:02X} timed out ({_got(reader)})"
                    )
                chunk = self.link.read_some()
                if chunk:
                    reader.feed(chunk)


def _got(reader: FrameReader) -> str:
    """What had arrived of an answer when its time ran out."""
    expected = reader.expected()
    if expected:
        return f"{reader.buffered} of {expected} bytes"
    return f"{reader.buffered} bytes, no frame" if reader.buffered else "no answer"
