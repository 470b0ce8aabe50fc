"""Keyboard-wedge scanner events -> scanned codes.

A USB QR/barcode scanner in keyboard mode types each code as key presses on a US layout, then a terminator
(Enter or Tab, set in the scanner and in our config). :class:`ScanDecoder` takes ``evdev.InputEvent``s from any
iterable (a grabbed device, a simulator, a test) and yields the codes.

Robustness: events that are not key events, key codes we have no character for, autorepeats and
nonsense values are skipped and counted (``skipped``); a code longer than ``max_len`` raises ProtocolError and
the rest of it, up to the next terminator, is dropped (resync), so its tail never comes out as a code of its
own; a partial code left by a long pause (``max_gap_s``) is dropped too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from evdev import ecodes

from drivers.base import DriverError, ProtocolError

log = logging.getLogger(__name__)

MAX_LEN = 4096
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2

_SYMBOLS = {
    "MINUS": "-_",
    "EQUAL": "=+",
    "LEFTBRACE": "[{",
    "RIGHTBRACE": "]}",
    "SEMICOLON": ";:",
    "APOSTROPHE": "'\"",
    "GRAVE": "`~",
    "BACKSLASH": "\\|",
    "COMMA": ",<",
    "DOT": ".>",
    "SLASH": "/?",
    "SPACE": "  ",
    "KPMINUS": "--",
    "KPPLUS": "++",
    "KPDOT": "..",
    "KPSLASH": "//",
    "KPASTERISK": "**",
}


def _build_keymap() -> dict[int, tuple[str, str]]:
    """Key code -> (plain, shifted) on a US layout, which is what scanners emulate."""
    keymap: dict[int, tuple[str, str]] = {}
    for i, ch in enumerate("1234567890"):
        keymap[getattr(ecodes, f"KEY_{ch}")] = (ch, "!@#$%^&*()"[i])
        keymap[getattr(ecodes, f"KEY_KP{ch}")] = (ch, ch)
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        keymap[getattr(ecodes, f"KEY_{ch}")] = (ch.lower(), ch)
    for name, pair in _SYMBOLS.items():
        keymap[getattr(ecodes, f"KEY_{name}")] = (pair[0], pair[1])
    return keymap


KEYMAP = _build_keymap()
SHIFT_KEYS = frozenset({ecodes.KEY_LEFTSHIFT, ecodes.KEY_RIGHTSHIFT})
TERMINATORS = {"enter": frozenset({ecodes.KEY_ENTER, ecodes.KEY_KPENTER}), "tab": frozenset({ecodes.KEY_TAB})}
_QUIET_TYPES = frozenset({ecodes.EV_SYN, ecodes.EV_MSC, ecodes.EV_LED})  # normal chatter of a keyboard


class ScanDecoder:
    """Stateful decoder: feed events one by one (or an iterable) and collect codes."""

    def __init__(self, *, terminator: str = "enter", max_len: int = MAX_LEN, max_gap_s: float | None = 1.0) -> None:
        if terminator not in TERMINATORS:
            raise DriverError(f"scanner terminator {terminator!r}: expected one of {sorted(TERMINATORS)}")
        self._terminators = TERMINATORS[terminator]
        self.max_len = max_len
        self.max_gap_s = max_gap_s
        self.skipped = 0
        self.dropped_partial = 0
        self._buf: list[str] = []
        self._shift: set[int] = set()
        self._caps = False
        self._discarding = False
        self._last_t: float | None = None

    def reset(self) -> None:
        """Forget a partial code and the modifier state (after a reconnect)."""
        self._buf.clear()
        self._shift.clear()
        self._caps = False
        self._discarding = False
        self._last_t = None

    def feed(self, event: object) -> str | None:
        """Take one event; returns a complete code when this event ends one.

        Raises ProtocolError when a code grows past ``max_len`` (the decoder then resyncs on its own).
        """
        try:
            etype, code, value = int(event.type), int(event.code), int(event.value)  # type: ignore[attr-defined]
            t = float(event.timestamp())  # type: ignore[attr-defined]
        except (AttributeError, TypeError, ValueError, OverflowError):
            self.skipped += 1
            return None
        if etype != ecodes.EV_KEY:
            if etype not in _QUIET_TYPES:
                self.skipped += 1
            return None
        if value not in (KEY_UP, KEY_DOWN, KEY_REPEAT):
            self.skipped += 1
            return None
        if code in SHIFT_KEYS:
            (self._shift.add if value != KEY_UP else self._shift.discard)(code)
            return None
        if value != KEY_DOWN:  # key up, or autorepeat (a scanner never holds a key down)
            if value == KEY_REPEAT:
                self.skipped += 1
            return None
        self._check_gap(t)
        if code == ecodes.KEY_CAPSLOCK:
            self._caps = not self._caps
            return None
        if code in self._terminators:
            return self._finish()
        pair = KEYMAP.get(code)
        if pair is None:
            self.skipped += 1
            return None
        if self._discarding:
            return None
        ch = pair[1] if self._shifted(pair) else pair[0]
        self._buf.append(ch)
        if len(self._buf) > self.max_len:
            self._buf.clear()
            self._discarding = True
            raise ProtocolError(f"scanned code longer than {self.max_len} characters: dropped")
        return None

    def feed_all(self, events: Iterable[object]) -> Iterator[str]:
        """Decode an iterable of events; an overlong code is logged and dropped (it cannot stop the stream)."""
        for event in events:
            try:
                code = self.feed(event)
            except ProtocolError as exc:
                log.warning("scanner: %s", exc)
                continue
            if code is not None:
                yield code

    def _shifted(self, pair: tuple[str, str]) -> bool:
        shift = bool(self._shift)
        if self._caps and pair[0].isalpha():  # caps lock flips letters only
            shift = not shift
        return shift

    def _check_gap(self, t: float) -> None:
        last, self._last_t = self._last_t, t
        if self.max_gap_s is None or last is None or not self._buf:
            return
        if t - last > self.max_gap_s or t < last:
            # A code is typed in a burst; a long pause means the rest of it was lost.
            self.dropped_partial += 1
            log.info("scanner: partial code of %d characters dropped after a pause", len(self._buf))
            self._buf.clear()

    def _finish(self) -> str | None:
        code, self._buf = "".join(self._buf), []
        if self._discarding:
            self._discarding = False
            return None
        return code or None
