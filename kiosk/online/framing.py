"""The local channel between the screen process and the sync agent: length-prefixed JSON over a Unix socket.

A frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON (one object). Requests and replies
hold personal data: they exist only in the two processes' memory and in the kernel's socket buffers, never in a
file. :func:`socket_address` copes with paths longer than a Unix socket address can hold (108 bytes).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROTOCOL_VERSION = 1
MAX_FRAME = 16 * 1024 * 1024  # a certificate's PDF (base64) is the largest thing carried
_HEADER = struct.Struct(">I")
_SUN_PATH_MAX = 107


class FrameError(Exception):
    """The peer sent something that is not a frame, or went away mid-frame."""


def encode_frame(message: dict[str, Any]) -> bytes:
    """One frame: the length header and the compact JSON."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise FrameError(f"frame of {len(body)} bytes is larger than {MAX_FRAME}")
    return _HEADER.pack(len(body)) + body


def write_frame(sock: socket.socket, message: dict[str, Any]) -> None:
    """Send one frame (blocking, within the socket's timeout)."""
    sock.sendall(encode_frame(message))


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(min(n - len(chunks), 1 << 20))
        if not chunk:
            raise FrameError("the peer closed the connection mid-frame" if chunks else "closed")
        chunks += chunk
    return bytes(chunks)


def read_frame(sock: socket.socket) -> dict[str, Any]:
    """Receive one frame; :class:`FrameError` on a closed socket or bad content, ``TimeoutError`` on timeout."""
    (length,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    if length > MAX_FRAME:
        raise FrameError(f"frame of {length} bytes announced, at most {MAX_FRAME} allowed")
    body = _read_exactly(sock, length)
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FrameError(f"not UTF-8 JSON: {type(exc).__name__}") from None
    if not isinstance(message, dict):
        raise FrameError("a frame must hold a JSON object")
    return message


@contextlib.contextmanager
def socket_address(path: Path) -> Iterator[str]:
    """An address for ``path`` that fits a Unix socket address (via ``/proc/self/fd`` for a long folder)."""
    text = os.fsdecode(path)
    if len(os.fsencode(text)) <= _SUN_PATH_MAX:
        yield text
        return
    fd = os.open(path.parent, os.O_PATH | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)
