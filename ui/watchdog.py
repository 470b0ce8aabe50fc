"""The shell's systemd watchdog: READY=1 once the event loop runs the attract screen, WATCHDOG=1 from a timer on
the GUI thread, STOPPING=1 on the way out.

The pings come from a QTimer of the GUI thread on purpose: when the event loop hangs (a blocking call, a
deadlock) they stop, and systemd restarts the unit after ``WatchdogSec``. A ping thread would keep a frozen
screen alive. The interval is half of ``WATCHDOG_USEC``, as sd_watchdog_enabled(3) advises.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from kiosk.sdnotify import Notifier

log = logging.getLogger(__name__)


class SystemdWatchdog(QObject):
    """Drives a :class:`kiosk.sdnotify.Notifier` from the GUI thread; does nothing when it is not enabled."""

    def __init__(self, notifier: Notifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.pings = 0
        self.ready_sent = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.ping)
        if notifier.watchdog_s:
            self._timer.setInterval(max(1, round(notifier.watchdog_s * 1000 / 2)))

    @property
    def interval_ms(self) -> int:
        """Milliseconds between pings (0: no watchdog asked for)."""
        return self._timer.interval() if self.notifier.watchdog_s else 0

    def start(self) -> None:
        """Say READY as soon as the event loop turns (the attract screen is up by then), then ping."""
        if not self.notifier.enabled:
            return
        QTimer.singleShot(0, self, self._ready)
        if self.notifier.watchdog_s:
            self._timer.start()

    def _ready(self) -> None:
        if not self.ready_sent:
            self.ready_sent = self.notifier.ready("serving")
            log.info("systemd: READY=1 (watchdog every %d ms)", self.interval_ms)

    def ping(self) -> None:
        """One WATCHDOG=1."""
        if self.notifier.watchdog():
            self.pings += 1

    def stop(self) -> None:
        """No more pings; STOPPING=1 so systemd knows the exit is on purpose."""
        self._timer.stop()
        if self.notifier.enabled:
            self.notifier.stopping("shutting down")
