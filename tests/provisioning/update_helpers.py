"""Helpers for the software-update tests: a hall with a real TUF repository served over HTTPS (client
certificates required) on loopback, and a kiosk laid out in a temp dir with a real store and real venv slots.

The only stand-in is the service manager: instead of ``systemctl restart`` it records the call and plays the
restarted processes, which write ``ui.liveness`` and ``sync.link`` to the store as the shell and the agent do,
but only when the version now current is one the test calls healthy.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Config, demo_config
from kiosk.shared_settings import HALL_LINK_SETTING, UI_LIVENESS_SETTING
from kiosk.store import Store
from provisioning.updater.main import build_parts
from provisioning.updater.slots import SlotInstaller, Slots
from provisioning.updater.updater import Outcome, SoftwareUpdater
from sync.certs import Issued, TestCA
from sync.release.build import BuiltRelease
from sync.release.keys import OFFLINE_ROLES, ONLINE_ROLES, KeyDirs, generate
from sync.release.repository import ReleaseRepository
from sync.release.serve import RepositoryServer, server_context

# Tests install the kiosk wheel alone into a venv without pip (about 1.5 s instead of a minute of PySide6).
FAST_INSTALLER = SlotInstaller(with_pip=False, no_deps=True)


class Hall:
    """Keys (offline and online apart), a repository and an HTTPS server for it, on a free loopback port."""

    def __init__(self, directory: Path, build: BuiltRelease) -> None:
        self.build = build
        self.ca = TestCA(directory / "ca")
        self.keys = KeyDirs(directory / "offline-keys", directory / "online-keys")
        generate(self.keys.offline, OFFLINE_ROLES)
        generate(self.keys.online, ONLINE_ROLES)
        self.repo = ReleaseRepository(directory / "repo")
        self.trust_root = self.repo.create(self.keys)
        server = self.ca.issue("localhost", server=True, hosts=("127.0.0.1", "localhost"))
        self.server = RepositoryServer(
            ("127.0.0.1", 0),
            self.repo.directory,
            server_context(cert=server.cert, key=server.key, ca=self.ca.cert_path),
        )
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self.url = f"https://127.0.0.1:{self.server.port}/"

    def publish(self, version: str) -> None:
        """Publish the session's build as release ``version``."""
        self.repo.publish(version, self.build.files, wheel=self.build.wheel, lock=self.build.lock, keys=self.keys)

    def target_file(self, version: str, name: str) -> Path:
        """The served (hash-prefixed) copy of file ``name`` of release ``version``."""
        info = self.repo.targets().signed.targets[f"releases/{version}/{name}"]
        return self.repo.targets_dir / info.get_prefixed_paths()[0]

    def client_cert(self, kiosk_id: str) -> Issued:
        """A kiosk certificate from the hall's CA."""
        return self.ca.issue(kiosk_id)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


class FakeServices:
    """Records restarts and plays the restarted processes (see the module docstring)."""

    def __init__(self, db_path: Path, slots: Slots, healthy: Collection[str]) -> None:
        self.db_path = db_path
        self.slots = slots
        self.healthy = set(healthy)
        self.calls: list[tuple[tuple[str, ...], str | None, str | None]] = []  # units, current slot, its version
        self.failures: dict[int, BaseException] = {}  # the n-th restart (from 0) raises this
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def restart(self, units: Sequence[str]) -> None:
        """What ``systemctl restart`` does to the kiosk: old processes gone, new ones from ``current``."""
        self.stop()
        active = self.slots.active()
        version = self.slots.version(active)
        self.calls.append((tuple(units), active, version))
        failure = self.failures.pop(len(self.calls) - 1, None)
        if failure is not None:
            raise failure
        if version in self.healthy:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._beat, args=(self._stop,), daemon=True)
            self._thread.start()

    def _beat(self, stop: threading.Event) -> None:
        store = Store(self.db_path)
        try:
            while not stop.is_set():
                now = time.time()
                store.set_setting(UI_LIVENESS_SETTING, now)
                store.set_setting(HALL_LINK_SETTING, {"online": True, "at": now})
                stop.wait(0.05)
        finally:
            store.close()

    def stop(self) -> None:
        """Stop the played processes."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


@dataclass
class Kiosk:
    """A kiosk under ``root``: config, store, slots (slot a running ``running``), services that record."""

    root: Path
    config: Config
    slots: Slots
    services: FakeServices
    installs: list[str] = field(default_factory=list)

    def updater(self) -> SoftwareUpdater:
        """The updater as ``kiosk-update run`` builds it, with the test's installer and service manager."""
        installer = SlotInstaller(with_pip=False, no_deps=True, runner=self._record_install)
        return SoftwareUpdater(build_parts(self.config, services=self.services, installer=installer, poll_s=0.05))

    def _record_install(self, cmd: Sequence[str]) -> None:
        self.installs.append(" ".join(cmd))
        FAST_INSTALLER.runner(cmd)

    def run(self) -> Outcome:
        """One forced run (the check interval ignored)."""
        return self.updater().run(force=True)

    def events(self) -> list[tuple[str, str | None]]:
        """The ``update.*`` events in the outbox, oldest first: (event, version)."""
        with Store(self.config.db_path) as store:
            rows = store.pending(kinds=["event"], limit=1000)
        return [(r.payload["event"], r.payload["version"]) for r in rows if r.payload["event"].startswith("update.")]

    def payloads(self) -> list[dict]:
        """The whole payloads of the ``update.*`` events."""
        with Store(self.config.db_path) as store:
            rows = store.pending(kinds=["event"], limit=1000)
        return [r.payload for r in rows if r.payload["event"].startswith("update.")]


def make_kiosk(
    root: Path,
    hall: Hall,
    *,
    running: str = "1.0",
    healthy: Collection[str] = ("1.0", "2.0"),
    real_slot: bool = False,
    **update: object,
) -> Kiosk:
    """A kiosk that runs release ``running`` from slot a, trusts ``hall`` and has a certificate from it.

    Slot a is a bare venv marked as ``running`` unless ``real_slot``: no test starts a slot's code (the service
    manager is played), so only the installation *into* slot b, the updater's work, needs the real wheel.
    """
    cert = hall.client_cert("KSK-0001")
    (root / "etc").mkdir(parents=True)
    trust_root = root / "etc/update/root.json"
    trust_root.parent.mkdir(parents=True)
    shutil.copy(hall.trust_root, trust_root)
    settings = {
        "repository_url": hall.url,
        "slot_root": str(root / "opt/kiosk"),
        "state_dir": str(root / "state"),
        "trust_root": str(trust_root),
        "ca_file": str(hall.ca.cert_path),
        "cert_file": str(cert.cert),
        "key_file": str(cert.key),
        "health_timeout_s": 10.0,
        "visit_wait_s": 0.0,
        **update,
    }
    config = demo_config(root / "data", update=settings, kiosk={"id": "KSK-0001"})
    Store(config.db_path).close()  # the kiosk has run before: its database exists
    slots = Slots(root / "opt/kiosk")
    if real_slot:
        FAST_INSTALLER.install(
            slots, "a", hall.build.directory, wheel=hall.build.wheel, lock=hall.build.lock, version=running
        )
    else:
        FAST_INSTALLER.runner([sys.executable, "-m", "venv", "--without-pip", str(slots.path("a"))])
        slots.mark("a", running, "test: bare venv")
    slots.switch("a")
    services = FakeServices(config.db_path, slots, healthy)
    return Kiosk(root, config, slots, services)
