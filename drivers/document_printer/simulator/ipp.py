"""The one IPP request pycups cannot make: CUPS-Add-Modify-Printer with ``printer-state-reasons`` (and a
``printer-state-message``), which cupsd takes from an administrator to set a queue's reasons, as its backends do
for a real printer (media-empty-error, door-open-error, ...). Sent over the scheduler's local socket, where the
peer's credentials (``Authorization: PeerCred <user>``) make root an administrator.
"""

from __future__ import annotations

import http.client
import os
import pwd
import socket
import struct
from collections.abc import Sequence

from drivers.base import DeviceGone, DriverError

CUPS_ADD_MODIFY_PRINTER = 0x4003
TAG_OPERATION, TAG_PRINTER, TAG_END = 0x01, 0x04, 0x03
TAG_TEXT, TAG_NAME, TAG_KEYWORD, TAG_URI, TAG_CHARSET, TAG_LANGUAGE = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48


def _attribute(tag: int, name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return struct.pack(">BH", tag, len(raw_name)) + raw_name + struct.pack(">H", len(raw_value)) + raw_value


def _multi(tag: int, name: str, items: Sequence[str]) -> bytes:
    """A 1setOf attribute: the first value named, each further value with an empty name."""
    return b"".join(_attribute(tag, name if i == 0 else "", v) for i, v in enumerate(items))


def encode_state_request(
    queue: str, reasons: Sequence[str], message: str | None, *, user: str, request_id: int = 1
) -> bytes:
    """The IPP/2.0 request body setting ``queue``'s reasons (none: "none") and, if given, its message."""
    body = struct.pack(">BBHI", 2, 0, CUPS_ADD_MODIFY_PRINTER, request_id) + bytes([TAG_OPERATION])
    body += _attribute(TAG_CHARSET, "attributes-charset", "utf-8")
    body += _attribute(TAG_LANGUAGE, "attributes-natural-language", "en")
    body += _attribute(TAG_URI, "printer-uri", f"ipp://localhost/printers/{queue}")
    body += _attribute(TAG_NAME, "requesting-user-name", user)
    body += bytes([TAG_PRINTER]) + _multi(TAG_KEYWORD, "printer-state-reasons", list(reasons) or ["none"])
    if message is not None:
        body += _attribute(TAG_TEXT, "printer-state-message", message)
    return body + bytes([TAG_END])


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def set_printer_state(
    socket_path: str, queue: str, reasons: Sequence[str], message: str | None = None, *, timeout_s: float = 5.0
) -> None:
    """Set ``queue``'s printer-state-reasons (and message) on the scheduler at ``socket_path``."""
    user = pwd.getpwuid(os.geteuid()).pw_name
    body = encode_state_request(queue, reasons, message, user=user)
    conn = _UnixConnection(socket_path, timeout_s)
    try:
        conn.request("POST", "/admin/", body, {"Content-Type": "application/ipp", "Authorization": f"PeerCred {user}"})
        reply = conn.getresponse()
        data = reply.read()
    except OSError as exc:
        raise DeviceGone(f"simulated cupsd at {socket_path}: {exc}") from exc
    finally:
        conn.close()
    if reply.status != 200 or len(data) < 4:
        raise DriverError(f"simulated cupsd refused the printer state (HTTP {reply.status})")
    status = struct.unpack(">H", data[2:4])[0]
    if status > 0x00FF:
        raise DriverError(f"simulated cupsd refused the printer state (IPP status 0x{status:04x})")
