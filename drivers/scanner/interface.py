"""The QR/barcode scanner as the rest of the kiosk sees it."""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from drivers.base import Device
from kiosk.devices import DeviceKind

if TYPE_CHECKING:
    from drivers.runner import DeviceRunner

log = logging.getLogger(__name__)


class BarcodeScanner(Device):
    """A keyboard-wedge scanner: codes arrive when a citizen scans, not when we ask.

    The registry makes :meth:`watch` its runner's idle hook, so codes flow to the listeners given to
    :meth:`subscribe` without anyone asking; listeners run on the device thread (a GUI must hop to its own).
    """

    kind: ClassVar[DeviceKind] = DeviceKind.SCANNER

    def __init__(self) -> None:
        self._listeners: list[Callable[[str], None]] = []

    def subscribe(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(code)`` for every scanned code (on the device thread)."""
        self._listeners.append(listener)

    @abstractmethod
    def read_codes(self, timeout_s: float) -> list[str]:
        """Wait at most ``timeout_s`` for input; return the codes completed meanwhile (often none).

        Raises DeviceGone when the scanner went away.
        """

    def watch(self, timeout_s: float) -> None:
        """Read for up to ``timeout_s`` and hand each code to the listeners (a DeviceRunner idle hook)."""
        for code in self.read_codes(timeout_s):
            for listener in list(self._listeners):
                try:
                    listener(code)
                except Exception:  # a listener bug must not look like a scanner failure
                    log.exception("scanner listener failed on a code")


def listen(runner: DeviceRunner, scanner: BarcodeScanner, on_code: Callable[[str], None]) -> None:
    """Deliver ``scanner``'s codes to ``on_code`` through ``runner`` (what the registry sets up; call before
    ``runner.start()`` when building a runner by hand)."""
    scanner.subscribe(on_code)
    runner.set_idle(scanner.watch)
