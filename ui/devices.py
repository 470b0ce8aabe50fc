"""The shell's only way to a device: driver calls run on the device's DeviceRunner thread, results come back
as Qt signals on the GUI thread (Electrum's TaskThread pattern). Status reports from the drivers' StatusSink,
the codes the scanner reads and the keypad's commands are re-emitted the same way; status is turned into plain
words for the citizen.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot

from drivers.camera.protocol import PreviewFrame
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from ui.capture_work import preview_of
from ui.i18n import translate

log = logging.getLogger(__name__)


class CallCancelled(RuntimeError):
    """A driver call that never ran: its runner stopped first."""


class Runner(Protocol):
    """What the bridge needs of :class:`drivers.runner.DeviceRunner`."""

    device: Any
    kind: str

    @property
    def last_status(self) -> DeviceStatus | None: ...
    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future: ...
    def poll_now(self) -> Future: ...


@dataclass
class _Pending:
    kind: str
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None


class DeviceBridge(QObject):
    """Runs driver calls off the GUI thread and reports back on it.

    ``call(kind, fn, *args)`` submits ``fn(device, *args)`` to the runner of ``kind``; ``on_done(result)`` or
    ``on_error(exc)`` then run on the GUI thread. Status changes arrive as ``status_changed(DeviceStatus)``, each
    code the scanner reads as ``scanned(code)``, each command of the accessibility keypad as ``key_command(name)``
    ("up", "down", "select", "back", "help"), each preview frame of the document camera (while a preview
    runs, a few a second) as ``previewed(ui.capture_work.Preview)``, made ready on the camera's thread.
    """

    status_changed = Signal(object)
    busy_changed = Signal(bool)
    scanned = Signal(str)
    key_command = Signal(str)
    previewed = Signal(object)
    # Emitted from worker threads; queued into the GUI thread by the connections made in __init__.
    _result = Signal(int, bool, object)
    _status = Signal(object)
    _scan = Signal(str)
    _key = Signal(str)
    _preview = Signal(object)

    def __init__(self, runners: Mapping[str, Runner], sink: StatusSink | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._runners = dict(runners)
        self._pending: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)
        self._status_seen: dict[str, DeviceStatus] = {}
        self._listening: set[int] = set()  # ids of the devices whose input reaches a signal already
        self._result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._status.connect(self._on_status, Qt.ConnectionType.QueuedConnection)
        self._scan.connect(self._on_scan, Qt.ConnectionType.QueuedConnection)
        self._key.connect(self.key_command, Qt.ConnectionType.QueuedConnection)
        self._preview.connect(self._on_preview, Qt.ConnectionType.QueuedConnection)
        if sink is not None:
            sink.subscribe(self._status.emit)
        self._listen_to_devices()

    def set_runners(self, runners: Mapping[str, Runner]) -> None:
        """Use ``runners`` (the devices are opened after the bridge subscribed to their status)."""
        self._runners = dict(runners)
        self._listen_to_devices()

    def _listen_to_devices(self) -> None:
        # The scanner and the keypad hand each code or command to their listeners on their device threads; the
        # camera its preview frames (the outline found and the QImage made there too, so the GUI thread only shows
        # it). Each signal queues what it gets to the GUI thread.
        self._listen(DeviceKind.SCANNER, self._scan.emit)
        self._listen(DeviceKind.KEYPAD, self._key.emit)
        self._listen(DeviceKind.CAMERA, self._camera_frame)

    def _listen(self, kind: DeviceKind, listener: Callable[[Any], None]) -> None:
        """Subscribe ``listener`` to ``kind``'s device, once per device (set_runners may be called again)."""
        runner = self._runners.get(kind)
        if runner is not None and id(runner.device) not in self._listening:
            self._listening.add(id(runner.device))
            runner.device.subscribe(listener)

    def _camera_frame(self, frame: PreviewFrame) -> None:
        self._preview.emit(preview_of(frame))

    # -- what the shell asks ---------------------------------------------------------------------------------

    def has(self, kind: str) -> bool:
        """Whether this kiosk has a runner for ``kind``."""
        return kind in self._runners

    def device(self, kind: str) -> Any:
        """The driver object of ``kind`` (only to name its methods; never call it on the GUI thread)."""
        return self._runners[kind].device

    def status(self, kind: str) -> DeviceStatus | None:
        """The latest status of ``kind`` seen by the shell (None: not reported yet, or no such device)."""
        if kind in self._status_seen:
            return self._status_seen[kind]
        runner = self._runners.get(kind)
        return runner.last_status if runner is not None else None

    def usable(self, kind: str) -> bool:
        """Whether ``kind`` can do its job now: present and reported OK or degraded."""
        status = self.status(kind)
        return kind in self._runners and status is not None and status.usable

    @property
    def busy(self) -> bool:
        """Whether a driver call is still running."""
        return bool(self._pending)

    def call(
        self,
        kind: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run ``fn(*args)`` on ``kind``'s worker thread; returns a token. Never blocks the GUI thread."""
        token = next(self._tokens)
        runner = self._runners.get(kind)
        was_busy = self.busy
        self._pending[token] = _Pending(kind, on_done, on_error)
        if runner is None:
            self._result.emit(token, False, LookupError(f"no {kind} on this kiosk"))
        else:
            future = runner.submit(fn, *args)
            future.add_done_callback(lambda f, t=token, k=kind: self._finished(t, k, f))
        if not was_busy:
            self.busy_changed.emit(True)
        return token

    def poll(self, kind: str) -> None:
        """Ask ``kind``'s runner for a status report now (after a job that may have changed it)."""
        runner = self._runners.get(kind)
        if runner is not None:
            runner.poll_now()

    def forget(self) -> None:
        """Drop the callbacks of calls still running (the visit they belonged to has ended)."""
        self._pending.clear()
        self.busy_changed.emit(False)

    # -- worker -> GUI ---------------------------------------------------------------------------------------

    def _finished(self, token: int, kind: str, future: Future) -> None:
        # On the worker thread: only emit; the queued connection hands it to the GUI thread.
        if future.cancelled():
            self._result.emit(token, False, CallCancelled(f"{kind} call cancelled"))
            return
        exc = future.exception()
        self._result.emit(token, exc is None, future.result() if exc is None else exc)

    @Slot(int, bool, object)
    def _deliver(self, token: int, ok: bool, value: object) -> None:
        pending = self._pending.pop(token, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if pending is None:
            return  # forgotten: the visit ended while the device was working
        if ok:
            if pending.on_done is not None:
                pending.on_done(value)
        else:
            log.warning("%s call failed: %s", pending.kind, value)
            if pending.on_error is not None:
                assert isinstance(value, BaseException)
                pending.on_error(value)

    @Slot(object)
    def _on_status(self, status: DeviceStatus) -> None:
        self._status_seen[status.kind] = status
        self.status_changed.emit(status)

    @Slot(object)
    def _on_preview(self, preview: object) -> None:
        self.previewed.emit(preview)

    @Slot(str)
    def _on_scan(self, code: str) -> None:
        # Never the code itself in the log: a sign-in code is as good as a password.
        log.info("scanner read a code of %d characters", len(code))
        self.scanned.emit(code)


def printer_trouble(status: DeviceStatus | None) -> str:
    """Plain words for why the printer cannot print now ("" when it can)."""
    if status is None or status.state in (DeviceState.ABSENT, DeviceState.DISABLED):
        return translate("Devices", "The printer is not working right now.")
    if status.usable:
        return ""
    if FaultCode.PAPER_OUT in status.faults:
        return translate("Devices", "The printer has run out of paper.")
    if FaultCode.COVER_OPEN in status.faults:
        return translate("Devices", "The printer cover is open.")
    return translate("Devices", "The printer is not working right now.")


def no_paper_way_on(reference: str) -> str:
    """What to do when a receipt cannot be printed: keep the screen's reference and QR, collect a printout."""
    return translate(
        "Devices",
        "Your application is saved. Please photograph the QR code or write down the reference number {0}. "
        "You can collect a printed receipt at the service window with this number.",
    ).format(reference)


def reader_trouble() -> str:
    """Plain words when no card reader works, with the way on."""
    return translate("Devices", "The card reader is not working right now. Please type your ID number instead.")


def dispenser_trouble() -> str:
    """Plain words when no queue ticket can be printed, with the way on."""
    return translate(
        "Devices",
        "The ticket printer is not working right now. Your number is shown on the screen: please photograph it "
        "or write it down.",
    )


def device_failure_text(kind: str, exc: BaseException | None = None) -> str:
    """Plain words for a failed driver call of ``kind``."""
    if kind == DeviceKind.PRINTER:
        return printer_trouble(None)
    if kind in (DeviceKind.ID_READER, DeviceKind.SSCARD_READER):
        return reader_trouble()
    if kind == DeviceKind.DISPENSER:
        return dispenser_trouble()
    if kind == DeviceKind.CAMERA:
        return camera_trouble()
    return translate("Devices", "A device is not working right now.")


def camera_trouble() -> str:
    """Plain words when the document camera stops working, with the way on."""
    return translate(
        "Devices",
        "The camera is not working right now. The pages already taken are kept; please bring the other "
        "materials to the service window.",
    )
