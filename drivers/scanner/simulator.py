"""A simulated scanner at the evdev wire: an input device node whose reads carry the kernel's ``input_event``
records, as a keyboard-wedge scanner sends them for a text.

:func:`events_for_text` is the key events of one scan. :class:`ScannerSimulator` is the far end for
``transport = "simulator"``: it offers ``list_devices`` / ``open_device`` in place of evdev's, so the real
:class:`~drivers.scanner.transport.EvdevLink` finds it by name, grabs it and reads it (select on a real pipe fd,
records unpacked as the kernel packs them), and the real decoder and facade run on what it reads. ``scan(text)``
types a code, ``send(events)`` sends any events (a test's own), ``unplug`` / ``replug`` pull the cable.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

from evdev import InputEvent, ecodes

from drivers.base import DriverError
from drivers.scanner.protocol import KEY_DOWN, KEY_UP, KEYMAP, SHIFT_KEYS, TERMINATORS

log = logging.getLogger(__name__)

# struct input_event on 64-bit Linux: struct timeval (tv_sec, tv_usec), __u16 type, __u16 code, __s32 value.
INPUT_EVENT = struct.Struct("llHHi")
NAME = "Simulated QR scanner (keyboard wedge)"
VENDOR_ID, PRODUCT_ID = 0x1EAB, 0x0D22  # a Newland-like USB id


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


class ScannerSimulator:
    """A scanner that is plugged in (a node at :attr:`path`) or not; thread-safe.

    The node's file name, device name and USB ids are class attributes, so another input device (the keypad)
    is this simulator with its own, beside the scanner's node in the same directory.
    """

    node = "scanner-event-kbd"
    device_name = NAME
    usb_ids = (VENDOR_ID, PRODUCT_ID)

    def __init__(
        self, *, directory: Path | None = None, terminator: str = "enter", clock: Callable[[], float] = time.time
    ) -> None:
        self._own_dir = directory is None
        self.directory = Path(tempfile.mkdtemp(prefix="scanner-sim-")) if directory is None else Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = str(self.directory / self.node)
        self.name = self.device_name
        self.info = SimpleNamespace(vendor=self.usb_ids[0], product=self.usb_ids[1])
        self.terminator = terminator
        self._clock = clock
        self._lock = threading.Lock()
        self._pipe: tuple[int, int] | None = None
        self._plugs = 0  # how many times plugged in: a handle from an earlier plug reads ENODEV
        self.grabbed_by: SimulatedInputDevice | None = None
        self.replug()

    # -- what a test does ------------------------------------------------------------------------------------

    @property
    def plugged(self) -> bool:
        """Whether the scanner is plugged in."""
        with self._lock:
            return self._pipe is not None

    def scan(self, text: str) -> None:
        """Type ``text`` and the terminator, as the scanner does when it reads a code (any thread)."""
        self.send(events_for_text(text, terminator=self.terminator, t0=self._clock()))

    def send(self, events: Iterable[InputEvent]) -> None:
        """Put ``events`` on the wire as ``input_event`` records (dropped, like the kernel's, when unplugged)."""
        data = b"".join(INPUT_EVENT.pack(e.sec, e.usec, e.type, e.code, e.value) for e in events)
        with self._lock:
            if self._pipe is None:
                log.info("scanner simulator: unplugged, %d bytes of events dropped", len(data))
                return
            write_fd = self._pipe[1]
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(write_fd, view) :]
                except BlockingIOError:  # nobody reads and the buffer is full: the rest is lost, as in the kernel
                    log.warning("scanner simulator: nobody reads; %d bytes of events dropped", len(view))
                    return

    def unplug(self) -> None:
        """The cable is pulled: the node disappears, reads fail with ENODEV, nothing lists it."""
        with self._lock:
            pipe, self._pipe = self._pipe, None
            self.grabbed_by = None
        if pipe is not None:
            for fd in pipe:
                with contextlib.suppress(OSError):
                    os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def replug(self) -> None:
        """The cable is back: a fresh node at the same path."""
        with self._lock:
            if self._pipe is not None:
                return
            read_fd, write_fd = os.pipe()
            os.set_blocking(read_fd, False)
            os.set_blocking(write_fd, False)
            self._pipe = (read_fd, write_fd)
            self._plugs += 1
        Path(self.path).touch()

    def close(self) -> None:
        """Unplug for good and remove what the simulator made."""
        self.unplug()
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- what evdev offers, for the transport -----------------------------------------------------------------

    def list_devices(self) -> list[str]:
        """The input nodes there are: this scanner's, while plugged in."""
        return [self.path] if self.plugged else []

    def open_device(self, path: str) -> SimulatedInputDevice:
        """Open the node at ``path`` (OSError ENOENT when it is not there)."""
        with self._lock:
            if path != self.path or self._pipe is None:
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
            return SimulatedInputDevice(self, os.dup(self._pipe[0]), self._plugs)

    def _plugged_since(self, plug: int) -> bool:
        """Whether the scanner has stayed plugged in since plug number ``plug``."""
        with self._lock:
            return self._pipe is not None and self._plugs == plug


class SimulatedInputDevice:
    """One open handle on the simulated node: what :class:`evdev.InputDevice` offers the transport."""

    def __init__(self, sim: ScannerSimulator, fd: int, plug: int) -> None:
        self._sim = sim
        self.fd = fd
        self._plug = plug  # the plug this handle belongs to; after an unplug it reads ENODEV for good
        self.path, self.name, self.info = sim.path, sim.name, sim.info
        self._partial = b""

    def capabilities(self) -> dict[int, list[int]]:
        """The keys a keyboard-wedge scanner has."""
        keys = sorted({*KEYMAP, *SHIFT_KEYS, *TERMINATORS["enter"], *TERMINATORS["tab"], ecodes.KEY_CAPSLOCK})
        return {ecodes.EV_KEY: keys}

    def grab(self) -> None:
        """EVIOCGRAB: EBUSY while another handle holds the grab."""
        with self._sim._lock:
            if self._sim.grabbed_by not in (None, self):
                raise OSError(errno.EBUSY, "Device or resource busy")
            self._sim.grabbed_by = self

    def ungrab(self) -> None:
        """Release the grab."""
        with self._sim._lock:
            if self._sim.grabbed_by is self:
                self._sim.grabbed_by = None

    def close(self) -> None:
        """Close the handle; safe twice."""
        fd, self.fd = self.fd, -1
        if fd >= 0:
            os.close(fd)

    def read(self) -> Iterator[InputEvent]:
        """The events waiting (BlockingIOError when none; OSError ENODEV once the scanner was unplugged)."""
        if not self._sim._plugged_since(self._plug):
            raise OSError(errno.ENODEV, "No such device")
        data = self._partial + os.read(self.fd, 64 * INPUT_EVENT.size)  # BlockingIOError: nothing waiting
        while True:  # everything waiting, as evdev's read_many does
            try:
                more = os.read(self.fd, 64 * INPUT_EVENT.size)
            except BlockingIOError:
                break
            if not more:
                break
            data += more
        whole = len(data) - len(data) % INPUT_EVENT.size
        self._partial = data[whole:]
        for offset in range(0, whole, INPUT_EVENT.size):
            yield InputEvent(*INPUT_EVENT.unpack_from(data, offset))
