"""The shell's heartbeat for the sync agent: a GUI-thread timer writes the time to the store every 5 s.

Because the timer runs on the GUI thread, the setting goes stale exactly when the event loop hangs; the agent
then raises the ``ui_stale`` critical fault (``kiosk.health``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer

from kiosk.shared_settings import UI_LIVENESS_SETTING

log = logging.getLogger(__name__)

INTERVAL_S = 5.0


class SettingsStore(Protocol):
    """The part of the store the heartbeat writes to."""

    def set_setting(self, key: str, value: Any) -> None: ...


class Liveness(QObject):
    """Writes ``ui.liveness`` = now every ``interval_s`` while started."""

    def __init__(
        self,
        store: SettingsStore,
        *,
        clock: Callable[[], float] = time.time,
        interval_s: float = INTERVAL_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(round(interval_s * 1000))
        self._timer.timeout.connect(self.beat)
        self.failures = 0

    def start(self) -> None:
        """Beat now and then every interval."""
        self.beat()
        self._timer.start()

    def stop(self) -> None:
        """Stop beating (the agent will notice)."""
        self._timer.stop()

    def beat(self) -> None:
        """Write the current time; a store failure is logged, never raised into the event loop."""
        try:
            self._store.set_setting(UI_LIVENESS_SETTING, self._clock())
        except Exception:  # the store reports its own fault; the screen must keep running
            self.failures += 1
            log.exception("cannot write %s", UI_LIVENESS_SETTING)
