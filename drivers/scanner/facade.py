"""The QR/barcode scanner as the rest of the kiosk sees it, and the one that drives it: key events from the
grabbed evdev node (:mod:`.transport`) decoded into codes (:mod:`.protocol`).

:class:`EvdevInput` is what the scanner shares with the keypad (``drivers.keypad.facade``), the other evdev input
device: the grabbed node, presence as its status, and what it reads handed to listeners when the runner is idle.
"""

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


class EvdevInput(Device):
    """An event-driven device on a grabbed evdev node (:class:`EvdevLink`): what it sends (codes, commands)
    arrives when someone acts, not when we ask.

    Its runner calls :meth:`watch` whenever it is idle, so each item read flows to the listeners given to
    :meth:`subscribe`; listeners run on the device thread (a GUI must hop to its own, as ``ui.devices.DeviceBridge``
    does). A subclass says how events become items (:meth:`_read`).
    """

    local_methods = Device.local_methods | {"subscribe"}
    event_driven = True

    def __init__(self, link: EvdevLink, simulator: Simulator | None = None) -> None:
        self.link = link
        self.simulator = simulator  # the simulated input device, when transport = "simulator"
        self._listeners: list[Callable[[str], None]] = []

    def subscribe(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(item)`` for every item read (on the device thread); any thread may subscribe."""
        self._listeners.append(listener)

    @abstractmethod
    def _read(self, timeout_s: float) -> list[str]:
        """Wait at most ``timeout_s`` for input; the items completed meanwhile (DeviceGone when it went away)."""

    def open(self) -> None:
        """Find the device and grab it exclusively."""
        self.link.open()

    def close(self) -> None:
        """Ungrab and close; safe twice."""
        self.link.close()

    def status(self) -> DeviceStatus:
        """OK while the device node is there (an input device has nothing else to report)."""
        return DeviceStatus(self.kind, DeviceState.OK, detail=self.link.describe())

    def self_test(self) -> SelfTestResult:
        """Whether the device is present and grabbed."""
        try:
            status = self.status()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("present", False, str(exc)),))
        return SelfTestResult(ok=True, steps=(("present", True, str(status.detail.get("name", ""))),))

    def watch(self, timeout_s: float) -> None:
        """Read for up to ``timeout_s`` and hand each item to the listeners (called by the runner when idle)."""
        for item in self._read(timeout_s):
            for listener in list(self._listeners):
                try:
                    listener(item)
                except Exception:  # a listener bug must not look like a device failure
                    log.exception("%s listener failed on an item", self.kind)


class BarcodeScanner(EvdevInput):
    """A keyboard-wedge scanner: each code it types arrives as one item (:meth:`read_codes`)."""

    kind: ClassVar[DeviceKind] = DeviceKind.SCANNER
    io_methods = Device.io_methods | {"read_codes"}

    @abstractmethod
    def read_codes(self, timeout_s: float) -> list[str]:
        """Wait at most ``timeout_s`` for input; return the codes completed meanwhile (often none).

        Raises DeviceGone when the scanner went away.
        """

    def _read(self, timeout_s: float) -> list[str]:
        return self.read_codes(timeout_s)


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
        link = EvdevLink(name=name, vendor_id=vendor_id, product_id=product_id, path=path,
                         list_devices=list_devices, open_device=open_device)  # fmt: skip
        super().__init__(link, simulator)
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
        super().open()
        self._decoder.reset()

    def read_codes(self, timeout_s: float) -> list[str]:
        """Wait up to ``timeout_s`` for key events and decode them."""
        return list(self._decoder.feed_all(self.link.read_events(timeout_s)))
