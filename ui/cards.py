"""Watches the card readers (resident ID, social security) through the device bridge, off the GUI thread.

Each reader is asked ``read_card()`` on its own worker every ``interval_ms`` (one request at a time); the
watcher reports changes only: a card arriving (with its identity), a card taken away, a read that failed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from drivers.base import DriverError
from kiosk.identity import IdentityError
from ui.devices import CallCancelled, DeviceBridge

log = logging.getLogger(__name__)

READERS = ("id_reader", "sscard_reader")
READ_TIMEOUT_S = 1.5


class CardWatcher(QObject):
    """``arrived(Identity)``, ``removed()``, ``failed(kind, exception)`` on the GUI thread."""

    arrived = Signal(object)
    removed = Signal()
    failed = Signal(str, object)

    def __init__(self, bridge: DeviceBridge, *, interval_ms: int = 400, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.kinds = [k for k in READERS if bridge.has(k)]
        self._busy: set[str] = set()
        self._present: dict[str, bool] = dict.fromkeys(self.kinds, False)
        self._failed: dict[str, bool] = dict.fromkeys(self.kinds, False)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Poll now and then every interval."""
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        """Stop polling."""
        self.timer.stop()

    @property
    def card_present(self) -> bool:
        """Whether any reader holds a card, as last seen."""
        return any(self._present.values())

    def readers_usable(self) -> bool:
        """Whether at least one card reader works now."""
        return any(self.bridge.usable(k) for k in self.kinds)

    def poll(self) -> None:
        """Ask every idle reader for its card (never waits)."""
        for kind in self.kinds:
            status = self.bridge.status(kind)
            if kind in self._busy or (status is not None and not status.usable):
                continue  # an offline reader is reopened by its runner; ask again once it reports OK
            self._busy.add(kind)
            device = self.bridge.device(kind)
            self.bridge.call(
                kind,
                device.read_card,
                READ_TIMEOUT_S,
                on_done=lambda identity, k=kind: self._read(k, identity),
                on_error=lambda exc, k=kind: self._error(k, exc),
            )

    def _read(self, kind: str, identity: object) -> None:
        self._busy.discard(kind)
        self._failed[kind] = False
        was = self._present[kind]
        self._present[kind] = identity is not None
        if identity is not None and not was:
            self.arrived.emit(identity)
        elif identity is None and was:
            self.removed.emit()

    def _error(self, kind: str, exc: BaseException) -> None:
        self._busy.discard(kind)
        if isinstance(exc, CallCancelled):
            return  # the runner is stopping
        if not isinstance(exc, DriverError | IdentityError):
            log.error("%s read failed unexpectedly: %r", kind, exc)
        # A failed read (garbled, pulled out mid-read) is reported once, not on every poll.
        if not self._failed[kind]:
            self.failed.emit(kind, exc)
        self._failed[kind] = True
