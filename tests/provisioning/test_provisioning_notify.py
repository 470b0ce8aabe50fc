"""What ``Type=notify`` + ``WatchdogSec=`` in kiosk-sync.service rely on: the real ``kiosk-sync`` process sends
READY=1, then WATCHDOG=1 at least every WatchdogSec/2, and STOPPING=1 on SIGTERM (as systemd would see it).

The shell's side (READY=1 and GUI-thread WATCHDOG=1 pings from ``kiosk run``) belongs to the shell.
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.provisioning.helpers import Kiosk, Mosquitto, init_args


def test_sync_agent_sends_ready_and_watchdog_pings(kiosk: Kiosk, broker: Mosquitto, tmp_path: Path) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", broker=f"127.0.0.1:{broker.port}")).code == 0
    address = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(0.2)
    env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "1000000"}  # WatchdogSec=1: a ping each 0.5 s
    agent = subprocess.Popen(
        [str(Path(sys.executable).with_name("kiosk-sync")), "--config", str(kiosk.config)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    seen: list[tuple[float, str]] = []
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and sum(m == "WATCHDOG=1" for _, m in seen) < 3:
            try:
                seen.append((time.monotonic(), sock.recv(256).decode()))
            except TimeoutError:
                assert agent.poll() is None, agent.stderr.read().decode() if agent.stderr else ""
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=10) == 0
        while True:
            try:
                seen.append((time.monotonic(), sock.recv(256).decode()))
            except TimeoutError:
                break
    finally:
        if agent.poll() is None:
            agent.kill()
            agent.wait()
        if agent.stderr:
            agent.stderr.close()
        sock.close()
    messages = [m for _, m in seen]
    assert messages[0] == "READY=1", messages
    pings = [t for t, m in seen if m == "WATCHDOG=1"]
    assert len(pings) >= 3, messages
    assert max(b - a for a, b in itertools.pairwise(pings)) < 1.0  # within WatchdogSec
    assert messages[-1] == "STOPPING=1"
