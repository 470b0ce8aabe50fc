"""Everything the shell runs on, built from the config: store, catalog, session, devices and their bridge.

The session asks the catalog repository for the catalog in force between visits, so a catalog the sync agent
installs reaches the screen at the next visit (never the running one).

``kiosk run`` builds it from the real config; the demo from a demo config on simulated devices. Building it
opens the store and starts one DeviceRunner thread per device; :meth:`Runtime.close` stops them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drivers.registry import open_devices, stop_all
from kiosk.catalog import Catalog, CatalogRepository
from kiosk.config import Config
from kiosk.devices import DeviceKind, StatusSink
from kiosk.shared_settings import HALL_LINK_SETTING, hall_reachable
from kiosk.store import Store
from kiosk.visit.session import Session, SessionSettings
from ui.certificates import CertificateAvailability
from ui.devices import DeviceBridge

log = logging.getLogger(__name__)

class HallLink:
    """Whether the hall server is reachable, as the sync agent last wrote it to ``sync.link``, read by the
    shared rule ``kiosk.shared_settings.hall_reachable`` (cached for a moment: the session asks on every view)."""

    def __init__(self, store: Any, clock: Callable[[], float] = time.time, cache_s: float = 2.0) -> None:
        self._store = store
        self._clock = clock
        self._cache_s = cache_s
        self._checked = -1e18
        self._online = False
        self.forced: bool | None = None  # the demo and tests set it

    def __call__(self) -> bool:
        if self.forced is not None:
            return self.forced
        now = self._clock()
        if now - self._checked >= self._cache_s:
            self._checked = now
            try:
                self._online = hall_reachable(self._store.get_setting(HALL_LINK_SETTING), now)
            except Exception:  # no store, no link: treat the hall as unreachable
                log.exception("cannot read %s", HALL_LINK_SETTING)
                self._online = False
        return self._online


@dataclass
class Runtime:
    """The running kiosk's parts."""

    config: Config
    store: Store
    catalogs: CatalogRepository
    session: Session
    sink: StatusSink
    runners: dict[DeviceKind, Any]
    bridge: DeviceBridge
    hall: HallLink
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def catalog(self) -> Catalog:
        """The catalog of the current visit (a new one installed meanwhile serves from the next visit on)."""
        return self.session.catalog

    def device(self, kind: str) -> Any:
        """The driver of ``kind`` (for the demo's simulators); KeyError when there is none."""
        return self.runners[DeviceKind(kind)].device

    def close(self) -> None:
        """Stop every device thread and close the store."""
        stop_all(self.runners)
        self.store.close()


def open_runtime(
    config: Config,
    *,
    clock: Callable[[], float] = time.time,
    kinds: frozenset[DeviceKind] | None = None,
    hall_online: bool | None = None,
) -> Runtime:
    """Open the store, load the catalog, start the devices (``kinds``, default all) and build the session (which
    takes up a newly installed catalog between visits)."""
    config.kiosk.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.from_config(config, clock=clock, checkpoint_in_thread=True)  # a citizen never waits for one
    catalogs = CatalogRepository(config.kiosk.data_dir)
    hall = HallLink(store, clock)
    hall.forced = hall_online
    sink = StatusSink(store)
    # The bridge subscribes before the runners start, so no first report is missed.
    bridge = DeviceBridge({}, sink)
    session = Session(
        catalog=catalogs.active, store=store, clock=clock, settings=SessionSettings.from_config(config),
        hall_online=hall, documents=CertificateAvailability(bridge, store),
        camera_ready=lambda: bridge.usable(DeviceKind.CAMERA),
    )  # fmt: skip
    runners = open_devices(config.devices, sink, data_dir=config.kiosk.data_dir, kinds=kinds, wall_clock=clock)
    bridge.set_runners({str(k): r for k, r in runners.items()})
    return Runtime(config, store, catalogs, session, sink, runners, bridge, hall)
