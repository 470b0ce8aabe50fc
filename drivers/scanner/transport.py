"""The scanner's input pipe: a keyboard-wedge scanner's evdev node, found among the input devices and grabbed
exclusively, read with a bounded wait.

Grabbing (EVIOCGRAB) matters: without it the scanner's key presses would also reach the GUI as typing. The
device is chosen by a name substring or a USB vendor id (``name`` / ``vendor_id``, optional ``product_id``) or a
fixed path (``path``, e.g. /dev/input/by-id/...-event-kbd). A vanished node (ENODEV) is DeviceGone.

evdev's ``list_devices`` and ``InputDevice`` are injected: the simulator (:mod:`drivers.scanner.simulator`)
gives input devices of its own that carry the kernel's event records on a pipe.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
from collections.abc import Callable, Iterable
from typing import Any

from drivers.base import DeviceGone, DriverError

log = logging.getLogger(__name__)

_GONE_ERRNOS = frozenset({errno.ENODEV, errno.EIO, errno.ENXIO, errno.EBADF})


def list_input_devices() -> list[str]:
    """The input device nodes (/dev/input/event*)."""
    import evdev

    return evdev.list_devices()


def open_input_device(path: str) -> Any:
    """``evdev.InputDevice(path)``."""
    import evdev

    return evdev.InputDevice(path)


def has_keys(dev: Any, names: tuple[str, ...]) -> bool:
    """Whether ``dev`` has every key of ``names`` (evdev key names, e.g. ``KEY_ENTER``); True when it cannot tell."""
    try:
        from evdev import ecodes

        keys = dev.capabilities().get(ecodes.EV_KEY, [])
        return all(getattr(ecodes, name) in keys for name in names)
    except (AttributeError, OSError, ImportError):
        return True  # cannot tell: accept


class EvdevLink:
    """The scanner's input node: found by name / vendor id / path, grabbed while open."""

    # A scanner often shows several input nodes (keyboard, consumer keys): we want the one with letter keys.
    required_keys: tuple[str, ...] = ("KEY_A", "KEY_ENTER")
    label = "scanner"  # what the messages call the device (a technician reads them in the doctor's table)

    def __init__(
        self,
        *,
        name: str = "",
        vendor_id: int | None = None,
        product_id: int | None = None,
        path: str = "",
        list_devices: Callable[[], Iterable[str]] = list_input_devices,
        open_device: Callable[[str], Any] = open_input_device,
    ) -> None:
        if not (name or vendor_id is not None or path):
            raise DriverError(f"{self.label}: set options.name, options.vendor_id or address to pick the device")
        self.name, self.vendor_id, self.product_id, self.path = name, vendor_id, product_id, path
        self._list_devices = list_devices
        self._open_device = open_device
        self._dev: Any = None

    def _matches(self, dev: Any) -> bool:
        """Name substring or vendor (and product) id, either one; and it must be able to type."""
        by_name = bool(self.name) and self.name.lower() in str(dev.name).lower()
        by_id = (
            self.vendor_id is not None
            and dev.info.vendor == self.vendor_id
            and (self.product_id is None or dev.info.product == self.product_id)
        )
        return (by_name or by_id) and has_keys(dev, self.required_keys)

    def _find(self) -> Any:
        if self.path:
            try:
                return self._open_device(self.path)
            except OSError as exc:
                raise DeviceGone(f"{self.label} {self.path}: {exc.strerror or exc}") from exc
        try:
            paths = list(self._list_devices())
        except OSError as exc:
            raise DeviceGone(f"cannot list input devices: {exc}") from exc
        for path in paths:
            try:
                dev = self._open_device(path)
            except OSError:
                continue  # unreadable or vanished meanwhile: not ours to worry about
            if self._matches(dev):
                return dev
            dev.close()
        raise DeviceGone(f"no input device matches {self._wanted()}")

    def _wanted(self) -> str:
        parts = [f"name~{self.name!r}"] if self.name else []  # alternatives: either one picks the device
        if self.vendor_id is not None:
            parts.append(f"vendor={self.vendor_id:04x}")
            if self.product_id is not None:
                parts[-1] += f":{self.product_id:04x}"
        return " or ".join(parts)

    def open(self) -> None:
        """Find the device and grab it exclusively."""
        self.close()
        dev = self._find()
        try:
            dev.grab()
        except OSError as exc:
            dev.close()
            if exc.errno == errno.EBUSY:
                raise DriverError(f"{self.label} {dev.path} is grabbed by another process") from exc
            raise DeviceGone(f"{self.label} {dev.path}: {exc.strerror or exc}") from exc
        self._dev = dev
        log.info("%s %r (%s) grabbed", self.label, dev.name, dev.path)

    def close(self) -> None:
        """Ungrab and close; safe twice."""
        dev, self._dev = self._dev, None
        if dev is not None:
            with contextlib.suppress(OSError):
                dev.ungrab()
            with contextlib.suppress(OSError):
                dev.close()

    def _device(self) -> Any:
        if self._dev is None:
            raise DeviceGone(f"{self.label} is not open")
        return self._dev

    def describe(self) -> dict[str, str | int | float | bool]:
        """Name, path and vendor id of the open node; DeviceGone when the node has gone."""
        dev = self._device()
        if not os.path.exists(dev.path):
            raise DeviceGone(f"{self.label} {dev.path} is gone")
        detail: dict[str, str | int | float | bool] = {"name": str(dev.name), "path": str(dev.path)}
        with contextlib.suppress(AttributeError):
            detail["vendor_id"] = f"{dev.info.vendor:04x}"
        return detail

    def read_events(self, timeout_s: float) -> list[Any]:
        """The input events that arrive within ``timeout_s`` (none: an empty list)."""
        dev = self._device()
        try:
            ready, _, _ = select.select([dev.fd], [], [], max(timeout_s, 0.0))
            if not ready:
                return []
            return list(dev.read())
        except BlockingIOError:
            return []
        except (OSError, ValueError) as exc:
            if isinstance(exc, OSError) and exc.errno not in _GONE_ERRNOS:
                raise DriverError(f"{self.label} read failed: {exc}") from exc
            raise DeviceGone(f"{self.label} {dev.path} went away: {exc}") from exc
