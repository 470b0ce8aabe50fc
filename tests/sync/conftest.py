"""A real mosquitto per test (free loopback ports, killed reliably), a test CA, and agent/hall builders.

``broker``: plain listener, anonymous, no persistence (the worst case for delivery).
``tls_broker``: the shipped ``sync/broker/mosquitto.conf`` template and dynamic-security rules
(``sync/broker/``), filled in as ``kiosk-hall broker-config`` does, so the shipped files are what the security
tests exercise. Certificates the ``pki`` fixture issues while it runs are registered on it (as
``kiosk-hall pki sign-kiosk --broker`` does): ``hall-*`` as hall instances, every other CN as a kiosk.
``hall_db``: where a test's hall keeps its data, once per backend: a SQLite file, and a fresh database on one
PostgreSQL server started for the whole run (``pg_cluster``, a throwaway cluster; fsync off, as nothing in it
outlives the run). Its materials folder is beside the SQLite file, or for PostgreSQL the test's
``$KIOSK_HALL_MATERIALS`` (which ``make_hall``, ``kiosk-hall`` and its child processes all read).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import HealthSection, KioskSection, MqttSection
from kiosk.hall_settings import HALL_SETTINGS_FILE
from kiosk.health import HealthRules
from kiosk.shared_settings import UI_LIVENESS
from kiosk.store import Store
from sync import signing
from sync.agent import Agent
from sync.broker import dynsec
from sync.broker.generate import BrokerSettings, TlsFiles, render_conf, write_json
from sync.certs import TestCA
from sync.downlink import Downlink
from sync.hall import Hall
from sync.hall_main import HallLink
from sync.hall_materials import MATERIALS_ENV, materials_dir, open_materials
from sync.halldb import open_db
from sync.halldb.throwaway import ThrowawayCluster
from sync.heartbeat import HealthMonitor
from tests.waiting import wait_until

__all__ = ["wait_until"]  # test_sync_health.py still imports it from here; the one helper is tests/waiting.py

SHIPPED = Path(__file__).resolve().parents[2] / "sync" / "broker"
HALL_ID = "test-hall"


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Broker:
    """One mosquitto process; :meth:`kill` is SIGKILL (no clean shutdown, nothing saved)."""

    conf: Path
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    starts: int = 0

    def start(self, timeout: float = 5.0) -> None:
        assert self.proc is None
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                ["mosquitto", "-c", str(self.conf)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.starts += 1
        try:
            wait_until(self._listening, timeout, f"mosquitto to listen on {self.port}", interval=0.01)
        except AssertionError:
            self.kill()
            raise

    def _listening(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"mosquitto exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()


def _broker(tmp_path: Path, text: str, port: int) -> Iterator[Broker]:
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(text)
    broker = Broker(conf, port, tmp_path / "mosquitto.log")
    broker.start()
    try:
        yield broker
    finally:
        broker.kill()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """Plain MQTT on a free loopback port, anonymous, no persistence."""
    port = free_port()
    workdir = tmp_path / "plain"
    workdir.mkdir()
    text = (
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 100000\nmax_inflight_messages 1000\nset_tcp_nodelay true\n"
    )
    yield from _broker(workdir, text, port)


@dataclass
class Pki:
    """The test CA and issued certificates."""

    ca: TestCA
    certs: dict[str, Any] = field(default_factory=dict)
    admin: dynsec.DynsecAdmin | None = None  # set by tls_broker: later certificates are registered on it

    def client(self, cn: str) -> Any:
        if cn not in self.certs:
            self.certs[cn] = self.ca.issue(cn)
            if self.admin is not None:
                self.admin.run(dynsec.register("gov/v1", HALL_ID, cn))
        return self.certs[cn]


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    """A fresh CA with a broker certificate for 127.0.0.1."""
    ca = TestCA(tmp_path / "pki")
    pki = Pki(ca)
    # The broker may drop root privileges (TESTBED): its key must be readable by another user.
    pki.certs["broker"] = ca.issue("broker", server=True, hosts=("127.0.0.1", "localhost"), key_mode=0o644)
    return pki


def shipped_conf(port: int, pki: Pki, workdir: Path) -> str:
    """The shipped mosquitto.conf template with this test's port, certificates, CRL, rules and directories."""
    pki.certs["hall-admin"] = admin = pki.ca.issue("hall-admin")
    rules = workdir / "dynamic-security.json"
    write_json(rules, dynsec.document("gov/v1", HALL_ID, admins=["hall-admin"]))
    broker = pki.certs["broker"]
    tls = TlsFiles(pki.ca.cert_path, broker.cert, broker.key, pki.ca.crl())
    # Tests run as root on CI; mosquitto would switch to its own user, which cannot enter pytest's tmp dirs.
    settings = BrokerSettings(port=port, bind="127.0.0.1", state_dir=workdir, user="root", log_dest="stderr")
    pki.admin = dynsec.DynsecAdmin(dynsec.AdminLink("127.0.0.1", port, pki.ca.cert_path, admin.cert, admin.key))
    return render_conf(tls, rules, settings)


@pytest.fixture
def tls_broker(tmp_path: Path, pki: Pki) -> Iterator[Broker]:
    """The shipped config and ACL: mutual TLS, CN as username, per-kiosk topics."""
    port = free_port()
    workdir = tmp_path / "tls"
    workdir.mkdir()
    yield from _broker(workdir, shipped_conf(port, pki, workdir), port)


# ------------------------------------------------------------------------------------------------ builders


@cache
def hall_signing_key() -> Any:
    """The test hall's Ed25519 key: ``make_hall`` signs config and catalog updates with it, ``make_kiosk`` trusts
    its public half (as ``kiosk-provision enroll --hall-key`` would install it)."""
    return signing.new_private_key()


class ScreenStandIn:
    """What the screen process tells the agent while it runs: its liveness, every second, on a thread (the
    screen process itself is not started by the sync tests; ``self_test`` reports device states unknown
    without it)."""

    def __init__(self, store: Store, interval_s: float = 1.0) -> None:
        self._store = store
        self._stop = threading.Event()
        self._interval_s = interval_s
        store.set_setting(UI_LIVENESS.key, time.time())
        self._thread = threading.Thread(target=self._run, name="screen stand-in", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            self._store.set_setting(UI_LIVENESS.key, time.time())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class Loop:
    """Steps ``obj`` on a thread until stopped; re-raises the thread's exception on :meth:`stop`."""

    def __init__(self, obj: Any, name: str) -> None:
        self.obj = obj
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self.obj.step(0.02)
        except BaseException as exc:  # surfaced in the test by stop()
            self.error = exc

    def stop(self, close: bool = True) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "loop thread did not stop"
        if close:
            self.obj.close()
        if self.error is not None:
            raise self.error


def mqtt_section(port: int, **overrides: Any) -> MqttSection:
    """Fast timings for tests: short ack timeout and reconnect delays."""
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "heartbeat_s": 3600.0,
        "inflight": 64,
        "ack_timeout_s": 2.0,
        "retry_min_s": 0.05,
        "retry_max_s": 0.5,
        "keepalive_s": 5,
    }
    values.update(overrides)
    return MqttSection(**values)


@dataclass
class Kiosk:
    """A kiosk's store, agent and parts, for a test."""

    store: Store
    agent: Agent
    downlink: Downlink
    monitor: HealthMonitor
    kiosk: KioskSection
    config_path: Path

    @property
    def hall_settings_path(self) -> Path:
        """Where the hall's config updates go (kiosk.toml stays the technician's)."""
        return self.kiosk.data_dir / HALL_SETTINGS_FILE


def make_kiosk(
    tmp_path: Path,
    link: MqttSection,
    *,
    kiosk_id: str = "KSK-0001",
    store: Store | None = None,
    health: HealthSection | None = None,
    clock: Callable[[], float] = time.time,
    catalog_installer: Any = None,
    monitor_interval_s: float = 0.2,
    hall_key: Any = "test",
    **agent_kwargs: Any,
) -> Kiosk:
    data_dir = tmp_path / kiosk_id
    data_dir.mkdir(exist_ok=True)
    kiosk = KioskSection(id=kiosk_id, hall_id=HALL_ID, data_dir=data_dir)
    store = store or Store(data_dir / "kiosk.db", clock=clock, telemetry_limit=1_000_000)
    config_path = data_dir / "kiosk.toml"
    if not config_path.exists():
        config_path.write_text(f'[kiosk]\nid = "{kiosk_id}"\nhall_id = "{HALL_ID}"\ndata_dir = "{data_dir}"\n')
    health = health or HealthSection()
    downlink = Downlink(
        store,
        kiosk_id=kiosk_id,
        hall_identity=link.hall_identity,
        clock=clock,
        config_path=config_path,
        catalog_installer=catalog_installer,
        data_dir=data_dir,
        hall_key=hall_signing_key().public_key() if hall_key == "test" else hall_key,
    )
    monitor = HealthMonitor(
        store,
        kiosk=kiosk,
        link=link,
        health=health,
        rules=HealthRules.from_config(health),
        clock=clock,
        interval_s=monitor_interval_s,
    )
    agent = Agent(store, kiosk=kiosk, link=link, downlink=downlink, monitor=monitor, clock=clock, **agent_kwargs)
    return Kiosk(store, agent, downlink, monitor, kiosk, config_path)


def make_hall(
    db: Path | str, port: int, *, instance: str = "1", tls: tuple[Path, Path, Path] | None = None, **kwargs: Any
) -> Hall:
    """A hall instance on ``db`` (a SQLite path or a ``postgresql://`` URL: the ``hall_db`` fixture)."""
    if tls is None:
        link = HallLink(port=port, keepalive_s=5)
    else:
        link = HallLink(port=port, tls=True, ca_file=tls[0], cert_file=tls[1], key_file=tls[2], keepalive_s=5)
    kwargs.setdefault("signing_key", hall_signing_key())
    store = open_db(db)
    if "materials" not in kwargs:  # as kiosk-hall run keeps them: --materials, $KIOSK_HALL_MATERIALS, beside SQLite
        kwargs["materials"] = open_materials(store, materials_dir(db, None, os.environ))
    return Hall(store, link=link, hall_id=HALL_ID, instance=instance, retry_s=0.05, **kwargs)


# ------------------------------------------------------------------------------------------- hall databases

_DATABASES = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    """One PostgreSQL server for the whole run (started on first use, a few seconds)."""
    cluster = ThrowawayCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: ThrowawayCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database for one test; dropped afterwards (with whatever still holds it). The hall's
    materials go to ``$KIOSK_HALL_MATERIALS``, the one folder a PostgreSQL hall's instances share."""
    monkeypatch.setenv(MATERIALS_ENV, str(tmp_path / "hall-materials"))
    name = f"hall_{os.getpid()}_{next(_DATABASES)}"
    url = pg_cluster.create_database(name)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def hall_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The hall's database for one test, once on each backend: a SQLite file (materials beside it), then a
    PostgreSQL database (materials in ``$KIOSK_HALL_MATERIALS``, as a production hall would be told)."""
    if request.param == "sqlite":
        monkeypatch.delenv(MATERIALS_ENV, raising=False)
        return str(tmp_path / "hall.db")
    return str(request.getfixturevalue("pg_url"))


class RawClient:
    """A plain paho client on its own network thread: a sniffer, or a hall impostor sending anything."""

    def __init__(
        self,
        port: int,
        client_id: str,
        *,
        subscribe: str | list[str] | None = None,
        tls: Any = None,
        username: str | None = None,
    ) -> None:
        import paho.mqtt.client as mqtt

        self.messages: list[tuple[str, bytes, bool]] = []
        self.connack: Any = None
        self._lock = threading.Lock()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        if tls is not None:
            self.client.tls_set(**tls)
        if username:
            self.client.username_pw_set(username)
        self.client.on_message = self._on_message
        self.client.on_connect = lambda _c, _u, _f, rc, _p: setattr(self, "connack", rc)
        self.suback: list[Any] = []
        self.client.on_subscribe = lambda _c, _u, _m, codes, _p: self.suback.extend(codes)
        self.puback: dict[int, Any] = {}  # mid -> MQTT 5 reason code
        self.client.on_publish = lambda _c, _u, mid, rc, _p: self.puback.__setitem__(mid, rc)
        self.client.connect("127.0.0.1", port, keepalive=5)
        self.client.loop_start()
        wait_until(lambda: self.connack is not None, 5, "CONNACK")
        if subscribe:
            filters = [subscribe] if isinstance(subscribe, str) else subscribe
            self.client.subscribe([(f, 1) for f in filters])
            wait_until(lambda: len(self.suback) == len(filters), 5, "SUBACK")

    def _on_message(self, _c: Any, _u: Any, msg: Any) -> None:
        with self._lock:
            self.messages.append((msg.topic, bytes(msg.payload), bool(msg.retain)))

    def received(self) -> list[tuple[str, bytes, bool]]:
        with self._lock:
            return list(self.messages)

    def publish(self, topic: str, payload: bytes | str, *, retain: bool = False, properties: Any = None) -> Any:
        info = self.client.publish(topic, payload, qos=1, retain=retain, properties=properties)
        info.wait_for_publish(timeout=5)
        return info

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
