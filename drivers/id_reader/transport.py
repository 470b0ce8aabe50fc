"""The ID card reader's byte pipe: a serial port (a USB-serial SAM module, or the simulator's pty) with bounded
writes and short reads, whose failures are driver errors: a port that disappears is DeviceGone, a write that
does not drain in time DeviceTimeout. It knows nothing of frames (:mod:`drivers.id_reader.protocol`)."""

from __future__ import annotations

import logging
import termios
from collections.abc import Callable
from typing import Any

import serial

from drivers.base import DeviceGone, DeviceTimeout

log = logging.getLogger(__name__)

READ_SLICE_S = 0.05  # the port's own read timeout: how often a waiting reader looks at its deadline
# Errors a vanished port raises: pyserial's own, the OS's (EIO from in_waiting), termios' (flush on EIO).
PORT_ERRORS = (serial.SerialException, OSError, termios.error)

SerialFactory = Callable[..., Any]


class SerialLink:
    """Serial port ``port`` (a device path or a pyserial URL), made by ``serial_factory`` (default
    ``serial.serial_for_url``)."""

    def __init__(
        self, port: str, *, baudrate: int = 115200, timeout_s: float = 2.0, serial_factory: SerialFactory | None = None
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout_s = timeout_s
        self._factory = serial_factory or serial.serial_for_url
        self._serial: Any = None

    @property
    def is_open(self) -> bool:
        """Whether the port is open."""
        return self._serial is not None

    def open(self) -> None:
        """Open the port (a no-op when open); DeviceGone when it does not exist or cannot be opened."""
        if self._serial is not None:
            return
        try:
            self._serial = self._factory(
                self.port, baudrate=self.baudrate, timeout=READ_SLICE_S, write_timeout=self.timeout_s
            )
        except PORT_ERRORS as exc:
            raise DeviceGone(f"ID card reader port {self.port}: {exc}") from exc
        log.info("ID card reader on %s", self.port)

    def close(self) -> None:
        """Close the port; safe to call twice."""
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except PORT_ERRORS:
                log.debug("closing %s failed", self.port, exc_info=True)

    def send(self, data: bytes) -> None:
        """Drop unread input (an earlier, abandoned answer), then write ``data``."""
        port = self._port()
        try:
            port.reset_input_buffer()
            port.write(data)
        except serial.SerialTimeoutException as exc:
            raise DeviceTimeout(f"ID card reader {self.port}: write timed out") from exc
        except PORT_ERRORS as exc:
            self.close()
            raise DeviceGone(f"ID card reader {self.port} went away: {exc}") from exc

    def read_some(self) -> bytes:
        """What has arrived, waiting at most one read slice for the first byte (b"" when nothing came)."""
        port = self._port()
        try:
            return port.read(port.in_waiting or 1)
        except PORT_ERRORS as exc:
            self.close()
            raise DeviceGone(f"ID card reader {self.port} went away: {exc}") from exc

    def _port(self) -> Any:
        if self._serial is None:
            raise DeviceGone(f"ID card reader port {self.port} is not open")
        return self._serial
