"""The QR/barcode scanner as the rest of the kiosk sees it, and the one that drives it: key events from the
grabbed evdev node (:mod:`.transport`) decoded into codes (:mod:`.protocol`)."""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from drivers.base import Device, DriverError, SelfTestResult, Simulator
from drivers.scanner.protocol import ScanDecoder
from drivers.scanner.transport import EvdevLink, list_input_devices, open_input_device
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus

log = logging.getLogger(__name__)


class BarcodeScanner(Device):
    """A keyboard-wedge scanner: codes arrive when a citizen scans, not when we ask.

    The scanner is event-driven: its runner calls :meth:`watch` whenever it is idle, so codes flow to the
    listeners given to :meth:`subscribe` without anyone asking; listeners run on the device thread (a GUI must
    hop to its own, as ``ui.devices.DeviceBridge.scanned`` does).
    """

    kind: ClassVar[DeviceKind] = DeviceKind.SCANNER
    io_methods = Device.io_methods | {"read_codes"}
    local_methods = Device.local_methods | {"subscribe"}
    event_driven = True

    def __init__(self) -> None:
        self._listeners: list[Callable[[str], None]] = []

    def subscribe(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(code)`` for every scanned code (on the device thread); any thread may subscribe."""
        self._listeners.append(listener)

    @abstractmethod
    def read_codes(self, timeout_s: float) -> list[str]:
        """Wait at most ``timeout_s`` for input; return the codes completed meanwhile (often none).

        Raises DeviceGone when the scanner went away.
        """

    def watch(self, timeout_s: float) -> None:
        """Read for up to ``timeout_s`` and hand each code to the listeners (called by the runner when idle)."""
        for code in self.read_codes(timeout_s):
            for listener in list(self._listeners):
                try:
                    listener(code)
                except Exception:  # a listener bug must not look like a scanner failure
                    log.exception("scanner listener failed on a code")


class EvdevScanner(BarcodeScanner):
    """A scanner found by name / vendor id / path among the input devices (see :class:`EvdevLink`)."""

    def __init__(
        self,
        *,
        name: str = "",
        vendor_id: int | None = None,
        product_id: int | None = None,
        path: str = "",
        terminator: str = "enter",
        list_devices: Callable[[], Iterable[str]] = list_input_devices,
        open_device: Callable[[str], Any] = open_input_device,
        simulator: Simulator | None = None,
    ) -> None:
        super().__init__()
        self.link = EvdevLink(
            name=name,
            vendor_id=vendor_id,
            product_id=product_id,
            path=path,
            list_devices=list_devices,
            open_device=open_device,
        )
        self.simulator = simulator  # the simulated input device, when transport = "simulator"
        self._decoder = ScanDecoder(terminator=terminator)

    @property
    def name(self) -> str:
        """The name substring the scanner is picked by."""
        return self.link.name

    @property
    def vendor_id(self) -> int | None:
        """The USB vendor id the scanner is picked by."""
        return self.link.vendor_id

    def open(self) -> None:
        """Find the scanner and grab it exclusively; a partial code from before is forgotten."""
        self.link.open()
        self._decoder.reset()

    def close(self) -> None:
        """Ungrab and close; safe twice."""
        self.link.close()

    def status(self) -> DeviceStatus:
        """OK while the device node is there (a scanner has nothing else to report)."""
        return DeviceStatus(self.kind, DeviceState.OK, detail=self.link.describe())

    def read_codes(self, timeout_s: float) -> list[str]:
        """Wait up to ``timeout_s`` for key events and decode them."""
        return list(self._decoder.feed_all(self.link.read_events(timeout_s)))

    def self_test(self) -> SelfTestResult:
        """Whether the scanner is present and grabbed."""
        try:
            status = self.status()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("present", False, str(exc)),))
        return SelfTestResult(ok=True, steps=(("present", True, str(status.detail.get("name", ""))),))
