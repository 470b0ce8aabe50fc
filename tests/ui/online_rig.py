"""The online rig for the shell's tests: a real mosquitto, the reference hall with its sample departments, and the
kiosk's sync agent (relay and Unix socket) on the screen's own database; helpers that act like a finger.

Not a conftest: the tests that need it import its fixtures (starting a hall costs seconds).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drivers.scanner.simulator import events_for_text
from kiosk.store import Store
from kiosk.visit.flow import Step
from sync import hall_main
from sync.online.local_server import LocalServer
from sync.online.relay import Relay
from tests.sync.conftest import HALL_ID, Broker, Loop, free_port, make_kiosk, mqtt_section
from tests.sync.online_rig import AnsweringHall, start_hall
from tests.waiting import wait_until

from .conftest import Kiosk

LI = ("李示例", "150602198503151236")  # the "normal" sample card


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A plain mosquitto on a free loopback port (as the sync tests' own)."""
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    b = Broker(conf, port, tmp_path / "mosquitto.log")
    b.start()
    yield b
    b.kill()


@dataclass
class Agent:
    """The kiosk's sync agent for a shell under test: its own store connection on the screen's database (as the
    agent process has), the relay, the Unix socket the screen's OnlineClient connects to, the agent loop."""

    store: Store
    relay: Relay
    server: LocalServer
    loop: Loop

    def stop(self) -> None:
        self.server.close()
        self.loop.stop()


@dataclass
class Rig:
    kiosk: Kiosk
    hall: AnsweringHall
    agent: Agent
    db: Path

    def hall_cli(self, *args: str) -> str:
        """A ``kiosk-hall`` operator command against the hall's database; its printed output."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert hall_main.main([*args, "--db", str(self.db)]) == 0, out.getvalue()
        return out.getvalue().strip()


def serve(k: Kiosk, tmp_path: Path, port: int) -> Agent:
    config = k.shell.config
    store = Store.from_config(config)
    (tmp_path / "agent").mkdir(exist_ok=True)
    agent = make_kiosk(tmp_path / "agent", mqtt_section(port), kiosk_id=config.kiosk.id, store=store)
    relay = Relay(kiosk_id=config.kiosk.id, hall_id=HALL_ID, topic_root="gov/v1", hall_identity="hall")
    agent.agent.online = relay
    server = LocalServer(config.online_socket, relay)
    server.start()
    loop = Loop(agent.agent, "agent")
    wait_until(lambda: relay.connected, 10, "the kiosk agent connected")
    return Agent(store, relay, server, loop)


@pytest.fixture
def rig_factory(kiosk_factory: Callable[..., Kiosk], broker: Broker, tmp_path: Path) -> Iterator[Callable[..., Rig]]:
    made: list[Rig] = []

    def make(departments: Any = None, **kw: Any) -> Rig:
        k = kiosk_factory(scanner=True, **kw)
        k.wait(lambda: k.runtime.bridge.usable("scanner") and k.runtime.bridge.usable("document_printer"))
        db = tmp_path / "hall.db"
        hall = start_hall(db, broker.port, departments=departments)
        rig = Rig(k, hall, serve(k, tmp_path, broker.port), db)
        made.append(rig)
        return rig

    yield make
    for rig in made:
        rig.agent.stop()
        rig.hall.stop()


@pytest.fixture
def rig(rig_factory: Callable[..., Rig]) -> Rig:
    return rig_factory()


def scan(k: Kiosk, code: str) -> None:
    """The citizen holds ``code`` under the scanner: its key events go down the simulated wire."""
    k.runtime.device("scanner").simulator.send(events_for_text(code))


def pick_service(k: Kiosk, department: str, service: str) -> None:
    """On the choose screen: the department's chip, then the service's tile (paging as a finger would)."""
    screen = k.screen
    k.tap(screen.group_buttons[department])
    while True:
        found = [b for b in screen.grid.buttons if b.isVisible() and b.key == f"service:{service}"]
        if found:
            k.tap(found[0])
            return
        k.tap(screen.grid.next)


def to_form(k: Kiosk, department: str, service: str) -> None:
    k.wait_step(Step.CHOOSE)
    pick_service(k, department, service)
    k.wait_step(Step.NOTICE)
    k.tap(k.screen.accept)
    k.wait_step(Step.FORM)


def type_field(k: Kiosk, key: str, value: str) -> None:
    form = k.screen
    form.select(key)
    editor = form.editor
    if editor.stack.currentWidget() is editor.keypad:
        editor.keypad.set_value(value.replace("-", ""))
    else:
        editor.keys.set_value(value)


def answered(k: Kiosk) -> Any:
    """Until the answer screen shows the hall's answer (or its problem); the online part of the view."""
    k.wait(lambda: k.view.online is not None and not k.view.online.waiting, timeout_ms=20_000)
    return k.view.online
