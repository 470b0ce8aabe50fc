"""Byte pipes to an ESC/POS printer: serial (pyserial), network (TCP socket), USB (python-escpos's Usb) and a
write-only file (/dev/usb/lp0). Every call is bounded by a timeout; every failure is a DriverError.

We generate the bytes ourselves (:mod:`drivers.printer.protocol`); these classes only move them. python-escpos's
Usb class is used for USB because it knows pyusb's kernel-driver detach dance; its Serial and Network classes are
not, since they log to the root logger and hide I/O in a ``device`` property.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import socket
import termios
import time
from typing import Protocol

from drivers.base import DeviceGone, DeviceTimeout, DriverError

log = logging.getLogger(__name__)


class Transport(Protocol):
    """A byte pipe to a printer."""

    name: str
    can_read: bool  # False: write-only (no status, no confirmation)
    baudrate: int  # bits per second on the wire where that limits a job's time (serial); 0: not a limit

    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read(self, n: int, timeout_s: float) -> bytes: ...  # up to n bytes; b"" when nothing came in time
    def drain(self) -> None: ...  # discard unread input
    def exists(self) -> bool: ...  # whether the device is there, as far as can be told without I/O


class SerialTransport:
    """A serial port via pyserial (also a pty, for the simulator)."""

    can_read = True

    def __init__(self, port: str, *, baudrate: int = 115200, timeout_s: float = 2.0, rtscts: bool = False) -> None:
        self.name = f"serial:{port}"
        self.port = port
        self.baudrate = baudrate
        self.timeout_s = timeout_s
        self.rtscts = rtscts
        self._ser = None

    def exists(self) -> bool:
        """Whether the port's device node is there."""
        return os.path.exists(self.port)

    def open(self) -> None:
        """Open the port (raises DeviceGone when it is not there)."""
        import serial  # guarded: only the serial backend needs pyserial

        self.close()
        try:
            self._ser = serial.Serial(
                self.port,
                self.baudrate,
                timeout=self.timeout_s,
                write_timeout=self.timeout_s,
                rtscts=self.rtscts,
            )
        except (serial.SerialException, OSError, ValueError, termios.error) as exc:
            raise DeviceGone(f"cannot open {self.port}: {exc}") from exc

    def close(self) -> None:
        """Close the port; safe twice."""
        ser, self._ser = self._ser, None
        if ser is not None:
            try:
                ser.close()
            except Exception as exc:  # a vanished port can fail to close; it is gone either way
                log.debug("closing %s: %s", self.port, exc)

    def _port(self):
        if self._ser is None:
            raise DeviceGone(f"{self.port} is not open")
        return self._ser

    def write(self, data: bytes) -> None:
        """Write all of ``data``; the bound grows with the time the bytes take on the wire."""
        import serial

        ser = self._port()
        ser.write_timeout = self.timeout_s + len(data) * 10 / max(self.baudrate, 1) * 2
        try:
            ser.write(data)
            ser.flush()
        except serial.SerialTimeoutException as exc:
            raise DeviceTimeout(f"write to {self.port} timed out") from exc
        except (serial.SerialException, OSError, termios.error) as exc:
            raise DeviceGone(f"write to {self.port} failed: {exc}") from exc

    def read(self, n: int, timeout_s: float) -> bytes:
        """Up to ``n`` bytes; returns as soon as any have arrived, b"" after ``timeout_s``."""
        import serial

        ser = self._port()
        ser.timeout = max(timeout_s, 0.0)
        try:
            first = ser.read(1)
            if not first:
                return b""
            more = ser.in_waiting
            return first + (ser.read(min(more, n - 1)) if more and n > 1 else b"")
        except (serial.SerialException, OSError, termios.error) as exc:
            raise DeviceGone(f"read from {self.port} failed: {exc}") from exc

    def drain(self) -> None:
        """Drop unread input."""
        import serial

        try:
            self._port().reset_input_buffer()
        except (serial.SerialException, OSError, termios.error) as exc:  # termios.error is no OSError
            raise DeviceGone(f"{self.port}: {exc}") from exc


class NetworkTransport:
    """A raw TCP printer port (9100)."""

    can_read = True
    baudrate = 0

    def __init__(self, host: str, port: int = 9100, *, timeout_s: float = 2.0) -> None:
        self.name = f"tcp:{host}:{port}"
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self._sock: socket.socket | None = None

    def exists(self) -> bool:
        """A network printer cannot be looked at without connecting: True (a failed connect says otherwise)."""
        return True

    @classmethod
    def from_address(cls, address: str, *, timeout_s: float) -> NetworkTransport:
        """``host:port`` or ``host`` (port 9100)."""
        host, _, port = address.rpartition(":") if ":" in address else (address, "", "9100")
        try:
            return cls(host.strip("[]") or "127.0.0.1", int(port), timeout_s=timeout_s)
        except ValueError:
            raise DriverError(f"bad printer address {address!r} (want host:port)") from None

    def open(self) -> None:
        """Connect (raises DeviceGone when refused or unreachable)."""
        self.close()
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout_s)
        except TimeoutError as exc:
            raise DeviceTimeout(f"connect to {self.name} timed out") from exc
        except OSError as exc:
            raise DeviceGone(f"cannot connect to {self.name}: {exc}") from exc
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        """Close the connection; safe twice."""
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()

    def _conn(self) -> socket.socket:
        if self._sock is None:
            raise DeviceGone(f"{self.name} is not connected")
        return self._sock

    def write(self, data: bytes) -> None:
        """Send all of ``data`` within the timeout (plus time for the bytes at a slow 100 kB/s)."""
        sock = self._conn()
        sock.settimeout(self.timeout_s + len(data) / 100_000)
        try:
            sock.sendall(data)
        except TimeoutError as exc:
            raise DeviceTimeout(f"send to {self.name} timed out") from exc
        except OSError as exc:
            raise DeviceGone(f"send to {self.name} failed: {exc}") from exc

    def read(self, n: int, timeout_s: float) -> bytes:
        """Up to ``n`` bytes; b"" after ``timeout_s``; DeviceGone when the printer closed the connection."""
        sock = self._conn()
        sock.settimeout(max(timeout_s, 0.001))
        try:
            data = sock.recv(n)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise DeviceGone(f"receive from {self.name} failed: {exc}") from exc
        if not data:
            raise DeviceGone(f"{self.name} closed the connection")
        return data

    def drain(self) -> None:
        """Drop unread input (also notices a connection the printer has closed)."""
        sock = self._conn()
        sock.setblocking(False)
        try:
            for _ in range(64):  # bounded: a chatty printer cannot keep us here
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    return
                if not data:
                    raise DeviceGone(f"{self.name} closed the connection")
        except OSError as exc:
            if isinstance(exc, DeviceGone):
                raise
            raise DeviceGone(f"{self.name}: {exc}") from exc
        finally:
            if self._sock is not None:
                self._sock.settimeout(self.timeout_s)


class FileTransport:
    """A write-only device file such as /dev/usb/lp0 (usblp): no status comes back."""

    can_read = False
    baudrate = 0

    def __init__(self, path: str, *, timeout_s: float = 2.0) -> None:
        self.name = f"file:{path}"
        self.path, self.timeout_s = path, timeout_s
        self._fd: int | None = None

    def open(self) -> None:
        """Open for writing, non-blocking so a stuck printer cannot block us without a bound."""
        self.close()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND | os.O_CLOEXEC)
        except OSError as exc:
            raise DeviceGone(f"cannot open {self.path}: {exc.strerror}") from exc

    def close(self) -> None:
        """Close; safe twice."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def write(self, data: bytes) -> None:
        """Write all of ``data``, waiting for the device to take it at most ``timeout_s`` at a time."""
        if self._fd is None:
            raise DeviceGone(f"{self.path} is not open")
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [self._fd], [], self.timeout_s)
            if not ready:
                raise DeviceTimeout(f"{self.path} took no data for {self.timeout_s:.1f} s")
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno in (errno.ENODEV, errno.EIO, errno.ENXIO):
                    raise DeviceGone(f"{self.path} went away: {exc.strerror}") from exc
                raise DriverError(f"write to {self.path} failed: {exc.strerror}") from exc
            view = view[written:]

    def read(self, n: int, timeout_s: float) -> bytes:
        """Nothing can be read back from a write-only device."""
        raise DriverError(f"{self.path} is write-only: no status")

    def drain(self) -> None:
        """Nothing to drain."""

    def exists(self) -> bool:
        """Whether the device file is still there (the only liveness signal a write-only file gives)."""
        return os.path.exists(self.path)


class UsbTransport:
    """A USB printer through python-escpos's Usb class (needs pyusb, which is optional)."""

    can_read = True
    baudrate = 0

    def __init__(
        self, vendor_id: int, product_id: int, *, timeout_s: float = 2.0, in_ep: int = 0x82, out_ep: int = 0x01
    ) -> None:
        self.name = f"usb:{vendor_id:04x}:{product_id:04x}"
        self.vendor_id, self.product_id = vendor_id, product_id
        self.timeout_s, self.in_ep, self.out_ep = timeout_s, in_ep, out_ep
        self._printer = None

    @classmethod
    def from_address(cls, address: str, *, timeout_s: float, options: dict[str, str]) -> UsbTransport:
        """``vid:pid`` in hex, endpoints from options ``in_ep``/``out_ep`` (hex)."""
        try:
            vid, pid = (int(x, 16) for x in address.split(":"))
            return cls(
                vid,
                pid,
                timeout_s=timeout_s,
                in_ep=int(options.get("in_ep", "82"), 16),
                out_ep=int(options.get("out_ep", "01"), 16),
            )
        except ValueError:
            raise DriverError(f"bad USB address {address!r} (want vid:pid in hex)") from None

    def exists(self) -> bool:
        """Finding the device is pyusb I/O: True here (opening it says otherwise)."""
        return True

    def open(self) -> None:
        """Find and claim the printer; DeviceGone when absent or pyusb is missing."""
        try:
            from escpos.printer import Usb
        except ImportError as exc:
            raise DriverError(f"python-escpos not installed: {exc}") from exc
        if not Usb.is_usable():
            raise DeviceGone("USB printing needs pyusb (pip install pyusb), which is not installed")
        self.close()
        printer = Usb(
            self.vendor_id, self.product_id, timeout=int(self.timeout_s * 1000), in_ep=self.in_ep, out_ep=self.out_ep
        )
        try:
            printer.open()
        except Exception as exc:  # escpos's DeviceNotFoundError, pyusb's USBError: the printer is not there
            raise DeviceGone(f"{self.name}: {exc}") from exc
        self._printer = printer

    def close(self) -> None:
        """Release the interface; safe twice."""
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception as exc:
                log.debug("closing %s: %s", self.name, exc)

    def write(self, data: bytes) -> None:
        """Bulk-write ``data`` (pyusb's timeout bounds it)."""
        if self._printer is None:
            raise DeviceGone(f"{self.name} is not open")
        try:
            self._printer._raw(data)
        except Exception as exc:  # pyusb raises USBError/USBTimeoutError; both mean the printer is not there
            raise _usb_error(self.name, exc) from exc

    def read(self, n: int, timeout_s: float) -> bytes:
        """Read from the IN endpoint; b"" on timeout."""
        if self._printer is None or self._printer.device is None:
            raise DeviceGone(f"{self.name} is not open")
        try:
            data = self._printer.device.read(self.in_ep, max(n, 16), int(max(timeout_s, 0.001) * 1000))
        except Exception as exc:
            err = _usb_error(self.name, exc)
            if isinstance(err, DeviceTimeout):
                return b""
            raise err from exc
        return bytes(data)[:n]

    def drain(self) -> None:
        """Read and drop what is waiting (short bounded reads)."""
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline and self.read(64, 0.005):
            pass


def _usb_error(name: str, exc: Exception) -> DriverError:
    if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
        return DeviceTimeout(f"{name}: {exc}")
    return DeviceGone(f"{name}: {exc}")
