"""Is the kiosk healthy, and is a citizen at it? Read from the store's shared settings, read-only.

- UI alive: ``ui.liveness`` (the shell writes the time every 5 s from its GUI thread) was written after the
  services were restarted and is fresh (``health.ui_stale_s``);
- agent connected: ``sync.link`` says online and was written after the restart (the agent writes it on every
  link change and every 30 s). Only asked for when the kiosk has an MQTT link at all (``mqtt.enabled``);
- a visit in progress: ``ui.visit`` (see :mod:`kiosk.visit.presence`).

Only values written *after* the restart count: the old processes are gone by the time ``systemctl restart``
returns, so such a value can only come from the new version.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.shared_settings import HALL_LINK_SETTING, UI_LIVENESS_SETTING, VISIT_SETTING
from kiosk.store import Inspector, StoreError
from kiosk.visit.presence import visit_in_progress

log = logging.getLogger(__name__)


def read_settings(db_path: Path, keys: Iterable[str]) -> dict[str, Any]:
    """The current values of ``keys`` (absent keys left out); empty when the database is missing, busy or of
    another schema version (read through the store's read-only :class:`~kiosk.store.Inspector`)."""
    missing = object()
    try:
        with Inspector(db_path) as db:
            found = {key: db.get_setting(key, missing) for key in keys}
    except (FileNotFoundError, StoreError, ValueError) as exc:  # ValueError: a value that is not JSON
        log.debug("settings not readable: %s", exc)
        return {}
    return {key: value for key, value in found.items() if value is not missing}


@dataclass(frozen=True)
class Health:
    """What the kiosk says about itself at one moment."""

    ui_alive: bool
    agent_connected: bool

    @property
    def healthy(self) -> bool:
        """Both parts report well."""
        return self.ui_alive and self.agent_connected

    def as_dict(self) -> dict[str, bool]:
        """For the hall's event."""
        return {"ui_alive": self.ui_alive, "agent_connected": self.agent_connected}


class HealthWatch:
    """Reads health and visits from the database at ``db_path``, and waits for them."""

    def __init__(
        self,
        db_path: Path,
        *,
        ui_stale_s: float = 30.0,
        need_agent: bool = True,
        max_visit_s: float = 3600.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        poll_s: float = 1.0,
    ) -> None:
        self.db_path = Path(db_path)
        self.ui_stale_s = ui_stale_s
        self.need_agent = need_agent
        self.max_visit_s = max_visit_s
        self._clock = clock
        self._sleep = sleep
        self.poll_s = poll_s

    def check(self, since: float) -> Health:
        """Health as of now, counting only what was written at or after ``since``."""
        now = self._clock()
        values = read_settings(self.db_path, (UI_LIVENESS_SETTING, HALL_LINK_SETTING))
        beat = values.get(UI_LIVENESS_SETTING)
        ui_alive = _is_time(beat) and beat >= since and now - beat <= self.ui_stale_s
        link = values.get(HALL_LINK_SETTING)
        connected = isinstance(link, dict) and link.get("online") is True and _is_time(link.get("at"))
        connected = connected and link["at"] >= since
        return Health(ui_alive=bool(ui_alive), agent_connected=bool(connected) or not self.need_agent)

    def wait_healthy(self, since: float, deadline: float) -> Health:
        """Poll until healthy or ``deadline`` (UNIX time); the last reading."""
        while True:
            health = self.check(since)
            if health.healthy or self._clock() >= deadline:
                return health
            self._sleep(min(self.poll_s, max(0.0, deadline - self._clock())))

    def visit_active(self) -> bool:
        """Whether a citizen is being served right now."""
        value = read_settings(self.db_path, (VISIT_SETTING,)).get(VISIT_SETTING)
        return visit_in_progress(value, self._clock(), max_age_s=self.max_visit_s)

    def wait_no_visit(self, deadline: float) -> bool:
        """Poll until no visit is in progress (True) or ``deadline`` passes with one still going (False)."""
        while self.visit_active():
            if self._clock() >= deadline:
                return False
            self._sleep(min(self.poll_s, max(0.0, deadline - self._clock())))
        return True


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
