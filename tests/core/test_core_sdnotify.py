"""sd_notify without systemd: a real AF_UNIX datagram socket stands where systemd's would be."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sdnotify import Notifier


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    yield sock, path
    sock.close()


def test_messages_reach_the_socket(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    n = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
    assert n.enabled and n.watchdog_s == 30.0
    assert n.ready("serving") and n.watchdog() and n.stopping()
    got = [sock.recv(4096).decode() for _ in range(3)]
    assert got == ["READY=1\nSTATUS=serving", "WATCHDOG=1", "STOPPING=1"]
    assert n.sent == 3


def test_abstract_namespace_address() -> None:
    name = f"kiosk-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        assert Notifier({"NOTIFY_SOCKET": "@" + name}).watchdog()
        assert sock.recv(64) == b"WATCHDOG=1"


def test_without_systemd_nothing_is_sent_and_nothing_breaks(tmp_path: Path) -> None:
    quiet = Notifier({})
    assert not quiet.enabled and quiet.watchdog_s is None
    assert not quiet.ready() and not quiet.watchdog() and not quiet.stopping()
    for usec in ("", "0", "-5", "abc"):
        assert Notifier({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": usec}).watchdog_s is None
    gone = Notifier({"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")})
    assert gone.enabled and not gone.watchdog() and not gone.watchdog()  # logged once, never raised
    assert gone.sent == 0
