"""A simulated ESC/POS receipt printer: parses the bytes it receives, answers DLE EOT, collects cut receipts.

The bytes are parsed by :mod:`drivers.printer.simulator.parser` (GB18030 in and out of Chinese mode, sizes, QR,
images, cut); DLE EOT 1-4 and GS r 1 are answered at once from a state a test sets (``set_state``), and
"silent" answers nothing. Served over TCP and a pty by :mod:`drivers.printer.simulator.wire`, with a simulated
unplug/replug; cut receipts render to PNG (:mod:`drivers.printer.simulator.render`).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from drivers.base import DriverError
from drivers.printer.protocol.encoder import PAPER_80MM, PaperProfile
from drivers.printer.simulator.parser import EscposStreamParser, Page, PageLine, Run

log = logging.getLogger(__name__)

# DLE EOT 1..4 replies and the GS r 1 reply per simulated state; None: the printer says nothing.
STATES: dict[str, tuple[bytes, int] | None] = {
    "ok": (bytes([0x12, 0x12, 0x12, 0x12]), 0x00),
    "near_end": (bytes([0x12, 0x12, 0x12, 0x1E]), 0x03),
    "paper_out": (bytes([0x1A, 0x32, 0x12, 0x72]), 0x0F),
    "cover_open": (bytes([0x1A, 0x16, 0x12, 0x12]), 0x00),
    "cutter_error": (bytes([0x1A, 0x52, 0x1A, 0x12]), 0x00),
    "paper_jam": (bytes([0x1A, 0x52, 0x16, 0x12]), 0x00),  # recoverable error (feed path)
    "unrecoverable": (bytes([0x1A, 0x52, 0x32, 0x12]), 0x00),
    "overheated": (bytes([0x1A, 0x52, 0x52, 0x12]), 0x00),  # offline, auto-recoverable
    "garbage": (bytes([0x00, 0xFF, 0x00, 0xFF]), 0xFF),  # not status bytes at all
    "silent": None,
}


class PrinterSimulator:
    """The printer model behind the TCP and pty servers; thread-safe."""

    def __init__(
        self,
        *,
        paper: PaperProfile = PAPER_80MM,
        state: str = "ok",
        png_dir: Path | None = None,
        chinese_at_power_up: bool = True,
    ) -> None:
        self.paper = paper
        self.png_dir = png_dir
        self._lock = threading.RLock()
        self._state = "ok"
        self.set_state(state)
        self._pages: list[Page] = []
        self._parser = EscposStreamParser(
            answer=self._answer, on_cut=self._on_cut, paper=paper, chinese_at_power_up=chinese_at_power_up
        )
        self.bytes_received = 0
        self._servers: list = []
        self._renders: list[threading.Thread] = []

    # -- state and results -----------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """The simulated condition answered to DLE EOT."""
        return self._state

    def set_state(self, state: str) -> None:
        """ok | near_end | paper_out | cover_open | cutter_error | paper_jam | unrecoverable | overheated |
        garbage | silent."""
        if state not in STATES:
            raise DriverError(f"unknown simulator state {state!r} (known: {', '.join(STATES)})")
        with self._lock:
            self._state = state
        log.info("printer simulator state: %s", state)

    @property
    def pages(self) -> list[Page]:
        """The receipts cut so far (copies)."""
        with self._lock:
            return list(self._pages)

    @property
    def current_page(self) -> Page:
        """What has been printed since the last cut, including an unfinished line."""
        with self._lock:
            return self._parser.current_page

    @property
    def unknown(self) -> dict[str, int]:
        """Unknown commands seen, with counts."""
        with self._lock:
            return dict(self._parser.unknown)

    @property
    def decode_errors(self) -> int:
        """Bytes in Chinese mode that were not GB18030."""
        return self._parser.decode_errors

    def render_png(self, page: Page, path: Path) -> Path:
        """Render ``page`` to a PNG as the paper would look (Noto Sans CJK, QR via the qrcode package)."""
        from drivers.printer.simulator.render import render_page

        return render_page(page, Path(path), dots=self.paper.dots)

    # -- servers (see .wire) -------------------------------------------------------------------------------

    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0):
        """Serve on TCP in a thread; returns ``(server, port)``. ``server.stop()`` ends it."""
        from drivers.printer.simulator.wire import TcpServer

        server = TcpServer(self, host, port)
        self._servers.append(server)
        return server, server.start()

    def serve_pty(self, link: Path | None = None) -> str:
        """Serve on a new pty in a thread; returns the device path (``link``, a symlink, when given: it
        survives unplug/replug the way a udev name does)."""
        from drivers.printer.simulator.wire import PtyServer

        server = PtyServer(self, link)
        self._servers.append(server)
        return server.start()

    def unplug(self) -> None:
        """Drop every connection and refuse new ones (pty: the device node disappears) until :meth:`replug`."""
        for server in self._servers:
            server.unplug()

    def replug(self) -> None:
        """Accept connections again (pty: a new pty behind the same link)."""
        for server in self._servers:
            server.replug()

    def close(self) -> None:
        """Stop every server and finish the renders under way."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.stop()
        self.wait_rendered()

    # -- the printer -----------------------------------------------------------------------------------------

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the wire; returns what the printer sends back (DLE EOT and GS r replies)."""
        with self._lock:
            self.bytes_received += len(data)
            return self._parser.feed(data)

    def _answer(self, command: int, n: int) -> int | None:
        replies = STATES[self._state]
        if replies is None:
            return None
        if command == 0x04:
            return replies[0][n - 1] if 1 <= n <= 4 else None
        return replies[1] if n in (1, 49) else None

    def _on_cut(self, page: Page) -> None:
        self._pages.append(page)
        if self.png_dir is not None:
            # Rendered on a thread of its own: a slow first font load must not delay the printer's answers.
            path = Path(self.png_dir) / f"receipt-{len(self._pages):04d}.png"
            thread = threading.Thread(target=self._render, args=(page, path), name="sim-render", daemon=True)
            self._renders.append(thread)
            thread.start()

    def _render(self, page: Page, path: Path) -> None:
        try:
            self.render_png(page, path)
        except Exception:  # a rendering failure must not stop the simulated printer
            log.exception("printer simulator: rendering %s failed", path)

    def wait_rendered(self, timeout: float = 10.0) -> bool:
        """Wait until every cut receipt has been rendered to ``png_dir``; False on timeout."""
        deadline = time.monotonic() + timeout
        for thread in list(self._renders):
            thread.join(max(deadline - time.monotonic(), 0.0))
        return not any(t.is_alive() for t in self._renders)


__all__ = ["STATES", "Page", "PageLine", "PrinterSimulator", "Run"]
