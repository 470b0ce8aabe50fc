"""Builders for the online-request tests: a kiosk agent with its relay and socket, a hall that answers.

Not a conftest: the tests import what they need (the broker fixtures come from tests/sync/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.catalog import Text
from kiosk.config import MqttSection
from kiosk.online import OnlineClient
from sync.hall import Hall
from sync.online.backends import Departments, sample_departments
from sync.online.hall_side import RequestHandler
from sync.online.hall_store import OnlineStore
from sync.online.local_server import LocalServer
from sync.online.pdf import Issuer
from sync.online.relay import Relay
from tests.sync.conftest import HALL_ID, Kiosk, Loop, make_hall, make_kiosk, wait_until

HALL_NAME = Text("鄂尔多斯市政务服务中心（测试）", "Ordos Government Service Center (test)")


@dataclass
class OnlineKiosk:
    """A running kiosk agent with its relay, its Unix socket server, and the screen process's client."""

    k: Kiosk
    relay: Relay
    server: LocalServer
    client: OnlineClient
    loop: Loop

    def stop(self) -> None:
        self.server.close()
        self.loop.stop()


def start_kiosk(
    tmp_path: Path, link: MqttSection, *, kiosk_id: str = "KSK-0001", timeout_s: float = 5.0, connect: bool = True
) -> OnlineKiosk:
    """A kiosk whose agent runs on a thread; its socket lives in its data dir (a long path on purpose)."""
    k = make_kiosk(tmp_path, link, kiosk_id=kiosk_id)
    relay = Relay(kiosk_id=kiosk_id, hall_id=HALL_ID, topic_root=link.topic_root, hall_identity=link.hall_identity)
    k.agent.online = relay
    server = LocalServer(k.kiosk.data_dir / "online.sock", relay)
    server.start()
    client = OnlineClient(server.path, timeout_s=timeout_s, certificate_timeout_s=max(timeout_s, 15.0))
    loop = Loop(k.agent, f"agent-{kiosk_id}")
    if connect:
        wait_until(lambda: relay.connected, 10, "the kiosk agent connected")
    return OnlineKiosk(k, relay, server, client, loop)


@dataclass
class AnsweringHall:
    """A reference hall instance with its request handler, stepping on a thread."""

    hall: Hall
    handler: RequestHandler
    loop: Loop

    def stop(self) -> None:
        self.loop.stop()


def start_hall(
    db: Path | str,
    port: int,
    *,
    departments: Departments | None = None,
    tls: tuple[Path, Path, Path] | None = None,
    instance: str = "1",
    **handler_kwargs: Any,
) -> AnsweringHall:
    """A hall on ``db`` (a SQLite file or a PostgreSQL URL: the ``hall_db`` fixture) that answers requests with
    ``departments`` (default: the sample departments)."""
    hall = make_hall(db, port, tls=tls, instance=instance)
    handler = RequestHandler(
        departments or sample_departments(),
        OnlineStore(hall.db),
        hall_id=HALL_ID,
        issuer=Issuer(HALL_NAME, HALL_ID),
        **handler_kwargs,
    )
    hall.requests = handler
    loop = Loop(hall, f"hall-{instance}")
    wait_until(lambda: hall.connected and handler.subscribed, 10, "the hall subscribed to requests")
    return AnsweringHall(hall, handler, loop)


def files_under(root: Path) -> Iterator[Path]:
    """Every regular file under ``root`` (the database, its WAL and SHM, config, anything else)."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file():
                yield path


def personal_traces(root: Path, *secrets: str) -> list[str]:
    """Files under ``root`` that hold any of ``secrets`` (UTF-8, JSON \\u escapes, GBK, UTF-16)."""
    needles: list[bytes] = []
    for s in secrets:
        needles += [s.encode("utf-8"), s.encode("unicode_escape"), s.encode("utf-16-le")]
        if not s.isascii():
            needles.append(s.encode("gbk"))
            needles.append("".join(f"\\u{ord(c):04x}" for c in s).encode())
    found = []
    for path in files_under(root):
        data = path.read_bytes()
        found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found
