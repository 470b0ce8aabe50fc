"""Online requests off the GUI thread: the session's asks go through :class:`kiosk.online.OnlineClient` on a
small thread pool, and their results come back as a Qt signal on the GUI thread.

The client blocks (up to its timeout plus 2 s) and never raises for a failure; the GUI thread never waits for
it. Nothing here keeps a request or an answer once it has been handed back: the session decides whether anybody
still waits for it (see :mod:`kiosk.visit.online`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from kiosk.online import OnlineClient, Result, Status
from kiosk.visit.online import OnlineAsk

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; a worker emits on it and the queued connection delivers on the GUI thread."""

    done = Signal(str, object)


class _Ask(QRunnable):
    """One batch of requests, asked in turn on a pool thread."""

    def __init__(self, client: OnlineClient, ask: OnlineAsk, relay: _Relay) -> None:
        super().__init__()
        self.client, self.ask, self.relay = client, ask, relay

    def run(self) -> None:
        """Ask every request; a bug in a request is a failed answer, never a dead worker."""
        results: list[Result[Any]] = []
        for request in self.ask.requests:
            try:
                results.append(request.send(self.client))
            except Exception:  # the client itself never raises for a failure; this would be our bug
                log.exception("online %s request failed inside the kiosk", request.kind)
                results.append(Result.failed(Status.BAD_ANSWER, error="kiosk error"))
        token, self.ask = self.ask.token, None  # type: ignore[assignment]  # drop the request (personal data)
        self.relay.done.emit(token, results)


class OnlineDesk(QObject):
    """Asks the hall for the session. ``finished(token, results)`` on the GUI thread when a batch is answered."""

    finished = Signal(str, object)

    def __init__(self, client: OnlineClient, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self.client = client
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self._running: dict[str, _Ask] = {}  # keeps each task's Python object alive until it reports

    @property
    def busy(self) -> bool:
        """Whether a batch is being asked."""
        return bool(self._running)

    def ask(self, ask: OnlineAsk) -> None:
        """Send ``ask`` on a pool thread; returns at once."""
        task = _Ask(self.client, ask, self._relay)
        task.setAutoDelete(False)
        self._running[ask.token] = task
        log.info("online: asking %s", ", ".join(r.kind for r in ask.requests))
        self.pool.start(task)

    def _done(self, token: str, results: list[Result[Any]]) -> None:
        self._running.pop(token, None)
        self.finished.emit(token, results)

    def stop(self, wait_ms: int = 20_000) -> None:
        """Let the requests under way finish (each ends within its timeout) and drop what is queued."""
        self.pool.clear()
        self.pool.waitForDone(wait_ms)
        self._running.clear()
