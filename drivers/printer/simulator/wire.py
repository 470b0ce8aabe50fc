"""Wire front ends for a byte-stream device simulator: a TCP listener and a pty, both stoppable, both able to
"unplug" (drop the link and refuse connections) and "replug".

A simulator here is anything with ``feed(data: bytes) -> bytes`` (bytes in, reply bytes out). The pty is made
with ``os.openpty`` + ``tty.setraw``; the simulator keeps the slave open too so the master never sees EIO
between clients. With a ``link`` the pty is published as a symlink, which stays the same across
unplug/replug the way a udev name (/dev/kiosk-printer) does while the tty behind it changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import tty
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often server threads look at their stop flag


class Simulator(Protocol):
    """Bytes in, reply bytes out."""

    def feed(self, data: bytes) -> bytes: ...


class TcpServer:
    """A TCP listener on 127.0.0.1 feeding every connection's bytes to the simulator."""

    def __init__(self, sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sim, self.host, self.port = sim, host, port
        self._listener: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._unplugged = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> int:
        """Listen and accept in a thread; returns the port (chosen by the OS when 0 was asked)."""
        self._listen()
        t = threading.Thread(target=self._accept_loop, name=f"sim-tcp-{self.port}", daemon=True)
        t.start()
        self._threads.append(t)
        return self.port

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(8)
        sock.settimeout(POLL_S)
        self.port = sock.getsockname()[1]
        self._listener = sock

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            listener = self._listener
            if listener is None or self._unplugged.is_set():
                self._stop.wait(POLL_S)
                continue
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            if self._unplugged.is_set() or self._stop.is_set():
                conn.close()  # raced with unplug: an unplugged printer takes no connection
                continue
            conn.settimeout(POLL_S)
            with self._lock:
                self._conns.add(conn)
            t = threading.Thread(target=self._serve, args=(conn,), name=f"sim-tcp-conn-{self.port}", daemon=True)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                reply = self.sim.feed(data)
                if reply:
                    conn.sendall(reply)
        except OSError as exc:
            log.debug("simulator connection ended: %s", exc)
        finally:
            with self._lock:
                self._conns.discard(conn)
            conn.close()

    def _drop_all(self) -> None:
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown first: a thread blocked in accept() keeps a closed socket listening until it returns.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def unplug(self) -> None:
        """Close every connection and the listener: connects are refused until :meth:`replug`."""
        self._unplugged.set()
        self._drop_all()

    def replug(self) -> None:
        """Listen on the same port again."""
        if self._listener is None:
            self._listen()
        self._unplugged.clear()

    def stop(self) -> None:
        """Stop for good."""
        self._stop.set()
        self._drop_all()
        for t in self._threads:
            t.join(1.0)


class PtyServer:
    """A pty whose master side is read by the simulator; the slave path is what a serial backend opens."""

    def __init__(self, sim: Simulator, link: Path | None = None) -> None:
        self.sim = sim
        self.link = Path(link) if link else None
        self.path = ""
        self._master: int | None = None
        self._slave: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Create the pty and serve it in a thread; returns the path to open."""
        self._plug()
        return str(self.link) if self.link else self.path

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no line discipline: bytes pass as they are
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.path = os.ttyname(slave)
        if self.link:
            tmp = self.link.with_name(self.link.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self.path)
            tmp.replace(self.link)  # atomic: the name never points nowhere while plugged
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(master, self._stop), name="sim-pty", daemon=True)
        self._thread.start()

    def _loop(self, master: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                ready, _, _ = select.select([master], [], [], POLL_S)
                if not ready:
                    continue
                data = os.read(master, 65536)
            except BlockingIOError:
                continue
            except (OSError, ValueError):
                break
            reply = self.sim.feed(data)
            if reply:
                with contextlib.suppress(OSError):
                    os.write(master, reply)

    def _unplug(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
            self._thread = None
        if self.link:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    def unplug(self) -> None:
        """Close the pty (the open client sees EIO) and remove the link: opening fails until :meth:`replug`."""
        self._unplug()

    def replug(self) -> None:
        """A new pty behind the same link."""
        if self._master is None:
            self._plug()

    def stop(self) -> None:
        """Stop for good."""
        self._unplug()
