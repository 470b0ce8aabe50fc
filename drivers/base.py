"""What every device driver has: one shape, one error family, a self-test result, and its own thread.

Every kind is a package ``drivers/<kind>/`` with the same roles (docs/architecture.md, "Devices at run time"):
``transport`` (moves bytes: serial/pty, TCP, evdev, PC/SC), ``protocol`` (frames and encodings, pure),
``facade`` (the :class:`Device` subclass the runner drives), ``simulator`` (the far end of the wire, for the
demo and tests) and ``factory`` (``open_from_config(section, *, data_dir)``; transport "simulator" starts the
simulator and connects the real facade and transport to it).

All blocking I/O runs on the device's own worker thread (``drivers.runner.DeviceRunner``), never the GUI's:
every I/O method of a facade (:attr:`Device.io_methods`) checks that it runs on its device thread and raises
:class:`WrongThread` before touching the device otherwise. Code that owns a device outright (the technician
CLI, tests, benchmarks) says so with ``with device_thread(device):`` and then calls it directly.
"""

from __future__ import annotations

import functools
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from kiosk.devices import DeviceKind, DeviceStatus
from kiosk.faults import FaultCode


class DriverError(Exception):
    """Any failure of a device driver. Parsers and backends raise only this family."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code  # protocol status code where there is one (e.g. SAM SW3 "41")


class DeviceTimeout(DriverError):
    """The device did not answer in time (silence is a fault, never "OK")."""


class DeviceGone(DriverError):
    """The device (or the daemon behind it) went away: unplugged, port closed, pcscd stopped."""


class ProtocolError(DriverError):
    """The device sent bytes that do not parse: bad frame, checksum, length or value."""


class NoMedium(DriverError):
    """Nothing to read: no card on the reader, no paper in the printer."""


class WrongThread(AssertionError):
    """Device I/O called off its device thread: a programming error, never a device fault."""


@dataclass(frozen=True)
class SelfTestResult:
    """The outcome of a device self-test, with the steps run."""

    ok: bool
    steps: tuple[tuple[str, bool, str], ...] = ()  # (step, passed, detail)
    detail: dict[str, str] = field(default_factory=dict)


class Simulator(Protocol):
    """The far end of a simulated device's wire; ``close()`` stops it for good."""

    def close(self) -> None: ...


# -- device threads ------------------------------------------------------------------------------------------

_marks = threading.local()  # .device: the Device this thread runs, or _ANY
_ANY = object()


@contextmanager
def device_thread(device: Device | None = None) -> Iterator[None]:
    """Make the current thread ``device``'s device thread for the block (every device's when None).

    The DeviceRunner's worker runs inside this; the technician CLI, tests and benchmarks use it to call a device
    synchronously. Nested blocks restore the outer mark on exit.
    """
    previous = getattr(_marks, "device", None)
    _marks.device = _ANY if device is None else device
    try:
        yield
    finally:
        _marks.device = previous


def on_device_thread(device: Device | None = None) -> bool:
    """Whether this thread may do ``device``'s I/O (any device's when None)."""
    mark = getattr(_marks, "device", None)
    if mark is None:
        return False
    return mark is _ANY or device is None or mark is device


def assert_on_device_thread() -> None:
    """Fail unless called on some device's thread (a runner's worker or a ``device_thread`` block)."""
    if not on_device_thread():
        raise WrongThread(f"device I/O on {threading.current_thread().name!r}, not on a device thread")


def _io(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` (a Device method) checking first that it runs on its device's thread."""

    @functools.wraps(fn)
    def checked(self: Device, *args: Any, **kwargs: Any) -> Any:
        if not on_device_thread(self):
            raise WrongThread(
                f"{self.kind}.{fn.__name__} on {threading.current_thread().name!r}, not on its device thread "
                "(submit it to the DeviceRunner, or run it inside drivers.base.device_thread())"
            )
        return fn(self, *args, **kwargs)

    checked.__device_io__ = True  # type: ignore[attr-defined]
    return checked


# -- the facade ----------------------------------------------------------------------------------------------


class Device(ABC):
    """The surface every driver offers; each kind's abstract facade adds its operations to :attr:`io_methods`.

    Subclasses get every method named in ``io_methods`` wrapped with the thread check; the other public methods
    (``local_methods``) touch no device and may run anywhere. A kind with input of its own (scanned codes, card
    insertions) sets ``event_driven`` and overrides :meth:`watch`, which its runner calls whenever it is idle.
    """

    kind: ClassVar[DeviceKind]
    io_methods: ClassVar[frozenset[str]] = frozenset({"open", "close", "status", "self_test", "watch", "dispose"})
    local_methods: ClassVar[frozenset[str]] = frozenset()
    event_driven: ClassVar[bool] = False
    # The fault its runner reports with ABSENT when the device is gone: the generic one, unless a kind's absence
    # asks for another action (the accessibility keypad: blind citizens are turned away meanwhile).
    offline_fault: ClassVar[FaultCode] = FaultCode.DEVICE_OFFLINE
    simulator: Simulator | None = None  # the simulator this device was started with (transport "simulator")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.io_methods:
            fn = _class_attr(cls, name)
            if fn is None or getattr(fn, "__isabstractmethod__", False) or getattr(fn, "__device_io__", False):
                continue
            setattr(cls, name, _io(fn))
        watch = _class_attr(cls, "watch")
        if cls.event_driven and getattr(watch, "__wrapped__", watch) is vars(Device)["watch"]:
            raise TypeError(f"{cls.__name__} is event_driven but does not override watch()")

    @abstractmethod
    def open(self) -> None:
        """Open the transport; raises DeviceGone / DriverError."""

    @abstractmethod
    def close(self) -> None:
        """Release the transport; safe to call twice."""

    @abstractmethod
    def status(self) -> DeviceStatus:
        """Ask the device for its status now (blocking, bounded by the timeout)."""

    @abstractmethod
    def self_test(self) -> SelfTestResult:
        """Run the device's own checks (may print a test page where that is the device's job)."""

    def watch(self, timeout_s: float) -> None:  # noqa: B027 - a default, not an abstract method
        """Wait up to ``timeout_s`` for input of the device's own and hand it on; only event-driven kinds have
        any (their runner calls this whenever it is idle). Default: nothing to watch."""

    def dispose(self) -> None:
        """Close for good: the transport, and the simulator this device was started with (on its thread)."""
        try:
            self.close()
        finally:
            simulator, self.simulator = self.simulator, None
            if simulator is not None:
                simulator.close()


def _class_attr(cls: type, name: str) -> Any:
    """``name`` as defined on ``cls`` or its bases (the raw function, no descriptor binding); None if absent."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None
