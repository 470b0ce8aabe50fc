"""The sync agent's Unix socket for the screen process: one thread per connection, frames in, replies out.

Only a peer running as the agent's own user (or root) is served (``SO_PEERCRED``); the socket file is 0600. A
connection may carry several requests one after another. Nothing received or sent is written anywhere.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
import struct
import threading
from pathlib import Path
from typing import Any

from kiosk.online.framing import PROTOCOL_VERSION, FrameError, read_frame, socket_address, write_frame
from sync.online.relay import Relay, reply

log = logging.getLogger(__name__)

_PEERCRED = struct.Struct("3i")  # pid, uid, gid


class LocalServer:
    """Serves :class:`Relay` requests on a Unix socket at ``path``."""

    def __init__(self, path: Path, relay: Relay, *, max_connections: int = 8, idle_timeout_s: float = 300.0) -> None:
        self.path = Path(path)
        self.relay = relay
        self._slots = threading.BoundedSemaphore(max_connections)
        self._idle_s = idle_timeout_s
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self._allowed_uids = {os.getuid(), 0}
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()

    def start(self) -> None:
        """Bind (replacing a stale socket file) and accept connections on a thread."""
        self._remove_stale()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the file is created 0600: no window in which others could connect
        try:
            with socket_address(self.path) as address:
                sock.bind(address)
        except OSError:
            sock.close()
            raise
        finally:
            os.umask(old)
        sock.listen(16)
        sock.settimeout(0.2)  # the accept loop looks at the closing flag this often
        self._sock = sock
        self._thread = threading.Thread(target=self._accept_loop, name="online-accept", daemon=True)
        self._thread.start()
        log.info("serving online requests on %s", self.path)

    def _remove_stale(self) -> None:
        try:
            mode = self.path.lstat().st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISSOCK(mode):
            raise OSError(f"{self.path} exists and is not a socket")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with socket_address(self.path) as address:
                probe.connect(address)
        except OSError:
            self.path.unlink(missing_ok=True)  # left behind by an agent that died
            return
        finally:
            probe.close()
        raise OSError(f"another process already serves {self.path}")

    def close(self) -> None:
        """Stop accepting, fail whoever still waits, remove the socket file."""
        self._closing.set()
        self.relay.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:  # the screen process reconnects to the next agent
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            sock = self._sock
            if sock is None:
                return
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._closing.is_set():
                    return
                continue
            conn.settimeout(None)
            if not self._slots.acquire(blocking=False):
                log.warning("too many online connections at once; refusing one")
                conn.close()
                continue
            threading.Thread(target=self._serve, args=(conn,), name="online-conn", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with self._conns_lock:
            self._conns.add(conn)
        try:
            with conn:
                if not self._peer_allowed(conn):
                    return
                conn.settimeout(self._idle_s)
                while not self._closing.is_set():
                    try:
                        frame = read_frame(conn)
                    except FrameError as exc:
                        if str(exc) != "closed":
                            log.warning("bad frame from the screen process: %s", exc)
                            with contextlib.suppress(OSError):
                                write_frame(conn, reply("bad_request", error=f"bad frame: {exc}"))
                        return
                    except (TimeoutError, OSError):
                        return
                    write_frame(conn, self._handle(frame))
        except OSError as exc:
            log.info("online connection ended: %s", type(exc).__name__)
        finally:
            with self._conns_lock:
                self._conns.discard(conn)
            self._slots.release()

    def _peer_allowed(self, conn: socket.socket) -> bool:
        try:
            _pid, uid, _gid = _PEERCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size))
        except OSError:
            return False
        if uid not in self._allowed_uids:
            log.warning("refused an online connection from uid %d", uid)
            return False
        return True

    def _handle(self, frame: dict[str, Any]) -> dict[str, Any]:
        if frame.get("v") != PROTOCOL_VERSION:
            return reply("bad_request", error=f"protocol version must be {PROTOCOL_VERSION}")
        op = frame.get("op")
        if op == "ping":
            return {"v": PROTOCOL_VERSION, "status": "ok", "link": self.relay.connected}
        if op != "request":
            return reply("bad_request", error="op must be 'request' or 'ping'")
        kind, body, timeout_s = frame.get("kind"), frame.get("body"), frame.get("timeout_s")
        if not isinstance(kind, str) or not isinstance(body, dict):
            return reply("bad_request", error="a request needs a kind and a body object")
        return self.relay.ask(kind, body, timeout_s)  # type: ignore[arg-type]
