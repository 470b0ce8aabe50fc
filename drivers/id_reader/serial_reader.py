"""Resident ID card reader on a serial port (USB-serial SAM module), speaking the SAM frame protocol.

A read is find card (20 01) -> select card (20 02) -> read text + photo (30 01); the status check is SAM
status (11 FF). Every exchange is bounded: the port's read timeout is short and a deadline ends the wait, so a
silent or half-answering reader gives DeviceTimeout, never a hang. A port that disappears gives DeviceGone.
"""

from __future__ import annotations

import logging
import termios
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import serial

from drivers.base import DeviceGone, DeviceTimeout, DriverError, NoMedium, ProtocolError, SelfTestResult
from drivers.id_reader import frames
from drivers.id_reader.frames import FrameReader, Response, SamStatusError
from drivers.id_reader.interface import IdCardReader
from drivers.id_reader.text_block import identity_from_read_data
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.identity import Identity

if TYPE_CHECKING:
    from drivers.id_reader.simulator import SamSimulator

log = logging.getLogger(__name__)

READ_SLICE_S = 0.05  # the port's own read timeout: how often a wait looks at its deadline
# Errors a vanished port raises: pyserial's own, the OS's (EIO from in_waiting), termios' (flush on EIO).
_PORT_ERRORS = (serial.SerialException, OSError, termios.error)

SerialFactory = Callable[..., Any]


class SamIdReader(IdCardReader):
    """A SAM ID card reader on serial port ``port`` (a device path, or a pyserial URL).

    ``serial_factory`` (default ``serial.serial_for_url``) makes the port; tests and the factory inject a pty
    path instead of hardware. ``today`` bounds the birth date of a card's ID number (default: system date).
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        timeout_s: float = 2.0,
        serial_factory: SerialFactory | None = None,
        today: Callable[[], date] | None = None,
        simulator: SamSimulator | None = None,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout_s = timeout_s
        self.simulator = simulator  # the simulator this reader talks to, when it owns one
        self._factory = serial_factory or serial.serial_for_url
        self._today = today
        self._serial: Any = None
        self._lock = threading.Lock()  # one exchange at a time, whichever thread asks

    # -- Device ----------------------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the port; DeviceGone when it does not exist or cannot be opened."""
        with self._lock:
            if self._serial is not None:
                return
            try:
                self._serial = self._factory(
                    self.port, baudrate=self.baudrate, timeout=READ_SLICE_S, write_timeout=self.timeout_s
                )
            except _PORT_ERRORS as exc:
                raise DeviceGone(f"ID card reader port {self.port}: {exc}") from exc
            log.info("ID card reader on %s", self.port)

    def close(self) -> None:
        """Close the port; safe to call twice."""
        with self._lock:
            self._drop()

    def dispose(self) -> None:
        """Close the port and stop the simulator this reader owns (if any)."""
        self.close()
        if self.simulator is not None:
            self.simulator.stop()

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
            port = self._serial
            if port is None:
                raise DeviceGone(f"ID card reader port {self.port} is not open")
            try:
                # Bytes still waiting belong to an earlier, abandoned answer (a timeout, a pulled card).
                port.reset_input_buffer()
                port.write(frames.build_command(cmd, para))
                return self._receive(port, cmd, para, deadline)
            except serial.SerialTimeoutException as exc:
                raise DeviceTimeout(f"ID card reader {self.port}: write timed out") from exc
            except _PORT_ERRORS as exc:
                self._drop()
                raise DeviceGone(f"ID card reader {self.port} went away: {exc}") from exc

    def _receive(self, port: Any, cmd: int, para: int, deadline: float) -> Response:
        reader = FrameReader()
        while True:
            body = reader.next_body()
            if body is not None:
                return frames.parse_response(body)
            if time.monotonic() >= deadline:
                expected = reader.expected()
                if expected:
                    got = f"{reader.buffered} of {expected} bytes"
                else:
                    got = f"{reader.buffered} bytes, no frame" if reader.buffered else "no answer"
                raise DeviceTimeout(f"ID card reader {self.port}: command {cmd:02X} {para:02X} timed out ({got})")
            chunk = port.read(port.in_waiting or 1)
            if chunk:
                reader.feed(chunk)

    def _drop(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except _PORT_ERRORS:
                log.debug("closing %s failed", self.port, exc_info=True)
