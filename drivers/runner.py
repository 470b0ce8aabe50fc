"""One worker thread per device: all of a device's blocking I/O, its status poll and its reconnects.

The GUI never touches a device; it calls :meth:`DeviceRunner.submit` and gets a
:class:`concurrent.futures.Future` back. The worker also polls ``device.status()`` every ``poll_s`` and reports
what it finds to a :class:`kiosk.devices.StatusSink`. A :class:`~drivers.base.DriverError` from the device
(unplugged, silent, daemon gone) is reported as ``ABSENT`` with the kind's ``Device.offline_fault``
(``DEVICE_OFFLINE`` but for the keypad); the runner then closes the device and tries to reopen it with a capped
exponential backoff, so a replugged device comes back by itself and its fault clears (pattern: Electrum's single
hardware-wallet thread, ``_hwd_comms_executor``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from drivers.base import Device, DriverError, NoMedium, assert_on_device_thread, device_thread
from kiosk.devices import DeviceState, DeviceStatus, StatusSink

log = logging.getLogger(__name__)

__all__ = ["DeviceRunner", "assert_on_device_thread"]


class _Task:
    __slots__ = ("args", "fn", "future", "kwargs")

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, future: Future) -> None:
        self.fn, self.args, self.kwargs, self.future = fn, args, kwargs, future


_STOP = object()


class DeviceRunner:
    """Runs one device on its own thread: submitted calls, a status poll, reconnects with backoff.

    The worker is the device's thread (:func:`drivers.base.device_thread`): the device's I/O methods run only
    there. For an event-driven device (``device.event_driven``: scanner, card reader) the worker calls
    ``device.watch(timeout_s)`` whenever it has nothing else to do while the device is open; it blocks at most
    ``timeout_s`` (up to ``idle_slice_s``). A DriverError from it is handled like one from ``status()``.
    ``clock`` (monotonic seconds) schedules the polls and reopen attempts.
    """

    def __init__(
        self,
        device: Device,
        sink: StatusSink,
        *,
        poll_s: float,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        name: str | None = None,
        backoff_max_s: float = 30.0,
        idle_slice_s: float = 0.1,
    ) -> None:
        self.device = device
        self.kind = str(device.kind)
        self.name = name or f"device-{self.kind}"
        self._sink = sink
        self._poll_s = poll_s
        self._clock = clock
        self._wall = wall_clock
        self._backoff_min = min(poll_s, 1.0)
        self._backoff_max = max(backoff_max_s, self._backoff_min)
        self._watch = device.event_driven
        self._idle_slice = idle_slice_s
        self._tasks: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._open = False
        self._backoff = self._backoff_min
        self._next_poll = 0.0
        self._last: DeviceStatus | None = None
        self._lock = threading.Lock()

    # -- public surface (any thread) -------------------------------------------------------------------------

    @property
    def last_status(self) -> DeviceStatus | None:
        """The last status this runner reported (None before the first poll)."""
        with self._lock:
            return self._last

    @property
    def is_open(self) -> bool:
        """Whether the device is open now (as far as the worker knows)."""
        return self._open

    @property
    def next_poll_at(self) -> float:
        """When (on ``clock``) the next status poll, or reopen attempt while the device is away, is due."""
        return self._next_poll

    def start(self) -> None:
        """Start the worker; it opens the device and polls at once."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} already started")
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Run ``fn(*args, **kwargs)`` on the worker; the result or exception arrives in the Future."""
        future: Future = Future()
        if self._stopping.is_set():
            future.set_exception(RuntimeError(f"{self.name} is stopped"))
            return future
        self._tasks.put(_Task(fn, args, kwargs, future))
        return future

    def poll_now(self) -> Future:
        """Ask for a status poll as the next thing the worker does; the Future gives the reported status."""
        return self.submit(self._poll)

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the worker and close the device (on the worker). False if it did not finish within ``timeout``."""
        self._stopping.set()
        self._tasks.put(_STOP)
        thread = self._thread
        if thread is None:
            with device_thread(self.device):
                self._close_device()
                self._dispose()
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.error("%s did not stop within %.1f s (stuck in device I/O)", self.name, timeout)
            return False
        return True

    def assert_on_device_thread(self) -> None:
        """Fail unless called on this runner's worker thread."""
        if self._thread is None or threading.get_ident() != self._thread.ident:
            raise AssertionError(f"not on {self.name}'s thread (on {threading.current_thread().name!r})")

    # -- worker ----------------------------------------------------------------------------------------------

    def _run(self) -> None:
        with device_thread(self.device):
            self._loop()

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                now = self._clock()
                if now >= self._next_poll:
                    self._poll()
                    continue
                wait = min(self._next_poll - now, self._idle_slice)
                use_idle = self._watch and self._open
                try:
                    item = self._tasks.get_nowait() if use_idle else self._tasks.get(timeout=max(wait, 0.0))
                except queue.Empty:
                    if use_idle:
                        self._run_idle(wait)
                    continue
                if item is _STOP:
                    break
                self._run_task(item)
        finally:
            self._cancel_pending()
            self._close_device()
            self._dispose()

    def _run_task(self, task: _Task) -> None:
        if not task.future.set_running_or_notify_cancel():
            return
        try:
            result = task.fn(*task.args, **task.kwargs)
        except BaseException as exc:  # the caller gets every failure through the Future
            task.future.set_exception(exc)
            if isinstance(exc, DriverError) and not isinstance(exc, NoMedium):
                # A failed job may mean the device went away: check it now rather than at the next poll.
                # (NoMedium, paper out, is a state the poll reports anyway, not a sign the device went away.)
                self._next_poll = self._clock()
        else:
            task.future.set_result(result)

    def _run_idle(self, timeout_s: float) -> None:
        try:
            self.device.watch(max(timeout_s, 0.0))
        except DriverError as exc:
            self._went_offline(exc)
        except Exception:
            log.exception("%s: watch() failed", self.name)
            time.sleep(self._idle_slice)  # do not spin on a broken callback

    def _poll(self) -> DeviceStatus:
        """Open if needed, ask for status, report it; on failure go offline and schedule a reopen."""
        try:
            if not self._open:
                self.device.open()
                self._open = True
                log.info("%s: device opened", self.name)
            status = self.device.status()
        except DriverError as exc:
            return self._went_offline(exc)
        except Exception as exc:  # a driver bug must not kill the device thread: report it like an absence
            log.exception("%s: status() failed unexpectedly", self.name)
            return self._went_offline(DriverError(f"driver failure: {exc!r}"))
        self._backoff = self._backoff_min
        self._next_poll = self._clock() + self._poll_s
        return self._report(status)

    def _went_offline(self, exc: DriverError) -> DeviceStatus:
        if self._open:
            log.warning("%s: device lost: %s", self.name, exc)
        self._close_device()
        self._next_poll = self._clock() + self._backoff
        self._backoff = min(self._backoff * 2, self._backoff_max)
        detail: dict[str, str | int | float | bool] = {"error": type(exc).__name__, "message": str(exc)[:200]}
        fault = self.device.offline_fault
        return self._report(DeviceStatus(self.kind, DeviceState.ABSENT, frozenset({fault}), detail))

    def _report(self, status: DeviceStatus) -> DeviceStatus:
        """Stamp ``since`` (kept while state and faults stay the same) and report only changes."""
        last = self._last
        same = last is not None and last.state == status.state and last.faults == status.faults
        stamped = replace(status, kind=self.kind, since=last.since if same and last else self._wall())
        if last is not None and same and last.detail == stamped.detail:
            return last
        with self._lock:
            self._last = stamped
        try:
            self._sink.report(stamped)
        except Exception:  # a store failure must not kill the device thread; the store raises its own fault
            log.exception("%s: status sink failed", self.name)
        return stamped

    def _close_device(self) -> None:
        self._open = False
        try:
            self.device.close()
        except Exception:
            log.exception("%s: close failed", self.name)

    def _dispose(self) -> None:
        # A simulated device owns its simulator; dispose() stops it for good.
        try:
            self.device.dispose()
        except Exception:
            log.exception("%s: dispose failed", self.name)

    def _cancel_pending(self) -> None:
        while True:
            try:
                item = self._tasks.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP:
                item.future.cancel()
