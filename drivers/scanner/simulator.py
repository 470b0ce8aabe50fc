"""A simulated scanner: the key events a keyboard-wedge scanner would send for a text, and a device made of them.

:func:`events_for_text` is what tests and the demo feed to the decoder; :class:`SimulatedScanner` is the
backend for ``transport = "simulator"``: ``scan(text)`` queues the events, ``read_codes`` decodes them with the
same :class:`~drivers.scanner.decoder.ScanDecoder` the real backend uses.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

from evdev import InputEvent, ecodes

from drivers.base import DeviceGone, DriverError, SelfTestResult
from drivers.scanner.decoder import KEY_DOWN, KEY_UP, KEYMAP, TERMINATORS, ScanDecoder
from drivers.scanner.interface import BarcodeScanner
from kiosk.devices import DeviceState, DeviceStatus


def _char_keys() -> dict[str, tuple[int, bool]]:
    """Character -> (key code, needs shift); the main block wins over the keypad (lower codes last)."""
    keys: dict[str, tuple[int, bool]] = {}
    for code, (plain, shifted) in sorted(KEYMAP.items(), key=lambda kv: -kv[0]):
        keys[shifted] = (code, shifted != plain)
        keys[plain] = (code, False)
    return keys


_CHAR_KEYS = _char_keys()


def events_for_text(text: str, *, terminator: str = "enter", t0: float = 0.0, dt: float = 0.001) -> list[InputEvent]:
    """The events a scanner sends for ``text``: per character shift down (if needed), key down/up with a
    SYN_REPORT after each, shift up; then the terminator key. Raises DriverError for a character a US
    keyboard cannot type."""
    events: list[InputEvent] = []
    t = t0

    def emit(etype: int, code: int, value: int) -> None:
        nonlocal t
        sec = int(t)
        usec = min(round((t - sec) * 1e6), 999_999)
        events.append(InputEvent(sec, usec, etype, code, value))
        if etype == ecodes.EV_KEY:
            events.append(InputEvent(sec, usec, ecodes.EV_SYN, ecodes.SYN_REPORT, 0))
            t += dt

    for ch in text:
        if ch not in _CHAR_KEYS:
            raise DriverError(f"a keyboard-wedge scanner cannot type {ch!r}")
        code, shift = _CHAR_KEYS[ch]
        if shift:
            emit(ecodes.EV_KEY, ecodes.KEY_LEFTSHIFT, KEY_DOWN)
        emit(ecodes.EV_KEY, code, KEY_DOWN)
        emit(ecodes.EV_KEY, code, KEY_UP)
        if shift:
            emit(ecodes.EV_KEY, ecodes.KEY_LEFTSHIFT, KEY_UP)
    end = min(TERMINATORS[terminator])
    emit(ecodes.EV_KEY, end, KEY_DOWN)
    emit(ecodes.EV_KEY, end, KEY_UP)
    return events


class SimulatedScanner(BarcodeScanner):
    """A scanner that "scans" what :meth:`scan` is given; ``unplug``/``replug`` simulate the cable."""

    def __init__(self, *, terminator: str = "enter", clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self._terminator = terminator
        self._decoder = ScanDecoder(terminator=terminator)
        self._events: queue.Queue[InputEvent] = queue.Queue()
        self._clock = clock
        self._plugged = threading.Event()
        self._plugged.set()
        self._open = False

    def scan(self, text: str) -> None:
        """Queue the key events of scanning ``text`` (any thread)."""
        for event in events_for_text(text, terminator=self._terminator, t0=self._clock()):
            self._events.put(event)

    def unplug(self) -> None:
        """The scanner goes away: reads and status fail until :meth:`replug`."""
        self._plugged.clear()

    def replug(self) -> None:
        """The scanner is back."""
        self._plugged.set()

    def open(self) -> None:
        """Open (DeviceGone while unplugged)."""
        if not self._plugged.is_set():
            raise DeviceGone("simulated scanner unplugged")
        self._decoder.reset()
        self._open = True

    def close(self) -> None:
        """Close; safe twice."""
        self._open = False

    def status(self) -> DeviceStatus:
        """OK while plugged in and open."""
        if not (self._open and self._plugged.is_set()):
            raise DeviceGone("simulated scanner unplugged")
        return DeviceStatus(self.kind, DeviceState.OK, detail={"name": "simulated scanner"})

    def read_codes(self, timeout_s: float) -> list[str]:
        """Decode the queued events, waiting up to ``timeout_s`` for the first."""
        if not (self._open and self._plugged.is_set()):
            raise DeviceGone("simulated scanner unplugged")
        try:
            events = [self._events.get(timeout=max(timeout_s, 0.0))]
        except queue.Empty:
            return []
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                break
        return list(self._decoder.feed_all(events))

    def self_test(self) -> SelfTestResult:
        """Plugged in or not."""
        ok = self._plugged.is_set()
        return SelfTestResult(ok=ok, steps=(("present", ok, "simulated"),))
