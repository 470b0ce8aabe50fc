"""The hall's wishes, polled from the store on the GUI thread: maintenance mode, health effects, test pages.

Every ``interval_ms`` (2 s) :class:`HallWatch` reads two settings and the inbox (a few quick SQLite reads).
``changed(HallState)`` tells the shell when maintenance mode or the effects changed; the shell decides what the
screens do (``kiosk.hall_commands.service_change``). A ``print_test_page`` command is printed on the printer's
DeviceRunner thread through the device bridge and answered with ``inbox_done`` (ok or error, with the printer's
status as detail); the sync agent then sends the result to the hall. Nothing here shows anything on screen, so
a test page may come out while a citizen is being served.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.devices import DeviceStatus
from kiosk.hall_commands import UI_COMMAND_KINDS, HallState, read_state
from kiosk.maintenance import PrintCounters
from kiosk.store.models import StoreError
from kiosk.test_page import printer_test_page, status_detail
from ui.devices import DeviceBridge

log = logging.getLogger(__name__)

PRINTER = "printer"


class HallWatch(QObject):
    """Polls the store for the hall's settings and the commands handed to the screen."""

    changed = Signal(object)  # HallState, whenever maintenance mode or the effects differ from the last read
    answered = Signal(str, str)  # (msg_id, status) once a command's result is in the store

    def __init__(
        self,
        store: Any,
        bridge: DeviceBridge,
        *,
        kiosk_id: str,
        hall_name: str,
        clock: Callable[[], float] = time.time,
        counters: PrintCounters | None = None,
        interval_ms: int = 2000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.bridge = store, bridge
        self.kiosk_id, self.hall_name = kiosk_id, hall_name
        self._clock = clock
        self.counters = counters
        self.state = HallState()
        self._running: set[str] = set()  # msg_ids being printed, or printed with the result not yet stored
        self._unsaved: dict[str, dict[str, Any]] = {}  # results the store refused to take; tried every poll
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Read at once (a kiosk restarted during the hall's maintenance comes up in it), then every interval."""
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        """No more polling (a test page being printed still gets its answer)."""
        self.timer.stop()

    def poll(self) -> None:
        """One look at the store: settings first, then the commands waiting for the screen."""
        try:
            state = read_state(self.store)
            pending = self.store.inbox_pending(kinds=UI_COMMAND_KINDS)
        except StoreError as exc:  # keep the last known wishes; the store's trouble shows elsewhere
            log.warning("cannot read the hall's settings: %s", exc)
            return
        if state != self.state:
            log.info("hall: maintenance=%s effects=%s", state.maintenance, sorted(state.effects))
            self.state = state
            self.changed.emit(state)
        for msg_id, result in list(self._unsaved.items()):
            self._store_result(msg_id, result)
        for entry in pending:
            if entry.msg_id not in self._running:
                self.print_test_page(entry.msg_id)

    # -- the test page ---------------------------------------------------------------------------------------

    def print_test_page(self, msg_id: str) -> None:
        """Print the test page on the printer's thread; the answer goes to the inbox when it is done."""
        if not self.bridge.has(PRINTER):
            self._answer(msg_id, "error", "this kiosk has no printer", {"printer": status_detail(None)})
            return
        self._running.add(msg_id)
        job = printer_test_page(self.kiosk_id, self.hall_name, self._clock(), self.bridge.status(PRINTER), msg_id)
        device = self.bridge.device(PRINTER)

        def run() -> DeviceStatus | None:  # on the printer's DeviceRunner thread
            device.print_job(job)
            try:
                return device.status()  # what the printer says after the page (paper near its end...)
            except Exception as exc:  # the page is out; a status that cannot be read is only reported
                log.warning("printer status after the test page: %s", exc)
                return None

        def done(status: DeviceStatus | None) -> None:
            if self.counters is not None:
                self.counters.count(PRINTER)
            detail = {"printed": True, "printer": status_detail(status or self.bridge.status(PRINTER))}
            self._answer(msg_id, "ok", None, detail)

        def failed(exc: BaseException) -> None:
            error = f"the test page was not printed: {type(exc).__name__}: {exc}"
            detail = {"printed": False, "printer": status_detail(self.bridge.status(PRINTER))}
            self._answer(msg_id, "error", error, detail)

        log.info("hall: printing a test page (%s)", msg_id)
        self.bridge.call(PRINTER, run, on_done=done, on_error=failed)

    def _answer(self, msg_id: str, status: str, error: str | None, detail: dict[str, Any]) -> None:
        self._running.add(msg_id)  # never printed twice, even while the store refuses the result
        self._store_result(msg_id, {"status": status, "error": error, "detail": detail})

    def _store_result(self, msg_id: str, result: dict[str, Any]) -> None:
        try:
            self.store.inbox_done(msg_id, result)
        except StoreError as exc:  # kept: the next poll tries again (the agent answers "error" after 120 s)
            log.error("cannot record the result of %s: %s", msg_id, exc)
            self._unsaved[msg_id] = result
            return
        self._unsaved.pop(msg_id, None)
        self._running.discard(msg_id)
        log.info("hall: %s answered %s %s", msg_id, result["status"], result["error"] or "")
        self.answered.emit(msg_id, result["status"])
