"""``kiosk run`` under a stand-in for systemd: READY=1 and WATCHDOG=1 arrive on the NOTIFY_SOCKET the test binds,
the pings stop while the GUI thread is blocked and come back after it, and STOPPING=1 ends it."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from ui.main import run_kiosk

PING_USEC = 200_000  # WatchdogSec=0.2 s: the shell pings every 100 ms
BLOCK_S = 1.0
CONFIG = """
[kiosk]
id = "KSK-WD-01"
data_dir = "{data_dir}"
mode = "lab"
[screen]
fullscreen = false
[devices.id_reader]
options = {{ card = "" }}
[devices.sscard_reader]
options = {{ card = "" }}
[devices.scanner]
enabled = false
"""


class Listener:
    """systemd's side: a datagram socket and the time each message arrived."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.05)
        self.got: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="notify-listener", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            self.got.append((time.monotonic(), data.decode()))

    def close(self) -> None:
        """Stop listening, then take what is still queued: the last datagrams (STOPPING=1) may have arrived after
        the thread's last read. The sender has returned, so all it sent is in the socket's queue by now."""
        self._stop.set()
        self._thread.join(2)
        assert not self._thread.is_alive(), "the listener thread did not stop"
        self.sock.setblocking(False)
        while True:
            try:
                data = self.sock.recv(4096)
            except BlockingIOError:
                break
            self.got.append((time.monotonic(), data.decode()))
        self.sock.close()

    def pings(self, after: float = 0.0, before: float = float("inf")) -> list[float]:
        return [t for t, msg in self.got if msg == "WATCHDOG=1" and after < t < before]


def test_ready_then_pings_that_stop_while_the_gui_thread_is_blocked(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG.format(data_dir=tmp_path / "data"), encoding="utf-8")
    listener = Listener(tmp_path / "notify")
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "notify"))
    monkeypatch.setenv("WATCHDOG_USEC", str(PING_USEC))
    block: dict[str, float] = {}

    def hang() -> None:  # a slot that never returns to the event loop for a while
        block["from"] = time.monotonic()
        time.sleep(BLOCK_S)
        block["to"] = time.monotonic()

    def step() -> None:  # on the shell's event loop: the next move once the pings so far allow it
        if "from" not in block and len(listener.pings()) >= 3:
            hang()
        elif "to" in block and len(listener.pings(after=block["to"])) >= 3:
            # systemctl stop: SIGTERM to the process, which must leave its loop and say STOPPING=1.
            os.kill(os.getpid(), signal.SIGTERM)
            return
        QTimer.singleShot(50, step)

    # Moves follow the pings, not a fixed schedule: a loaded machine may start the shell slowly.
    QTimer.singleShot(0, step)
    try:
        assert run_kiosk(str(config)) == 0
    finally:
        listener.close()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler was put back

    messages = [msg for _, msg in listener.got]
    assert messages[0] == "READY=1\nSTATUS=serving"
    assert messages[-1].startswith("STOPPING=1")
    assert len(listener.pings(before=block["from"])) >= 3
    assert listener.pings(after=block["from"] + 0.05, before=block["to"]) == []  # a hung GUI thread is silent
    assert len(listener.pings(after=block["to"])) >= 3  # and it pings again once the loop turns
    times = listener.pings()
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) >= BLOCK_S * 0.9 and sorted(gaps)[len(gaps) // 2] < 0.2
