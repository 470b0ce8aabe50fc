"""The social security card reader as the rest of the kiosk sees it, and the one that drives it: the card
profile (:mod:`.protocol`) over PC/SC (:mod:`.transport`)."""

from __future__ import annotations

import logging
import time
from abc import abstractmethod
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from drivers.base import Device, DriverError, SelfTestResult, Simulator
from drivers.sscard_reader.protocol.profile import SsCardProfile, select_df_apdu
from drivers.sscard_reader.transport import NoCardAtConnect, PcscLink, load_scard
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.identity import Identity

log = logging.getLogger(__name__)

__all__ = ["PcscCardReader", "SsCardReader", "load_scard"]


class SsCardReader(Device):
    """A PC/SC reader for social security cards. Call it only on its DeviceRunner thread.

    Event-driven: its runner calls :meth:`watch` whenever it is idle, so card insertions and removals are seen
    as they happen.
    """

    kind: ClassVar[DeviceKind] = DeviceKind.SSCARD_READER
    io_methods = Device.io_methods | {"read_card", "card_present"}
    event_driven = True

    @abstractmethod
    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """Read the card in the reader: its identity (source "sscard"), or None when there is no card.

        The whole read is bounded by ``timeout_s`` (default: the configured timeout). Raises NoMedium when the
        card is pulled out during the read, DeviceGone (reader or pcscd gone), DeviceTimeout, ProtocolError.
        """

    @abstractmethod
    def card_present(self) -> bool:
        """Whether a card is in the reader now (bounded by the timeout)."""

    @abstractmethod
    def watch(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for a card to come or go (called by the runner when idle)."""


class PcscCardReader(SsCardReader):
    """The first PC/SC reader whose name contains ``reader_match`` (case-insensitive; "" = the first reader).

    ``scard`` is pyscard's ``smartcard.scard`` (the default, loaded on first use) or a module offering the same
    calls (the simulator's). ``on_card(present)`` (optional) is called on the device thread by :meth:`watch`
    when a card comes or goes.
    """

    def __init__(
        self,
        reader_match: str = "",
        *,
        timeout_s: float = 2.0,
        pin: str = "",
        today: Callable[[], date] | None = None,
        scard: Any = None,
        on_card: Callable[[bool], None] | None = None,
        simulator: Simulator | None = None,
    ) -> None:
        self.reader_match = reader_match
        self.timeout_s = timeout_s
        self.on_card = on_card
        self.simulator = simulator  # the simulated PC/SC layer, when transport = "simulator"
        self.link = PcscLink(reader_match, timeout_s=timeout_s, scard=scard)
        self._pin = pin
        self._today = today

    @property
    def reader_name(self) -> str | None:
        """The full name of the reader in use (None before it was found)."""
        return self.link.reader_name

    # -- Device ----------------------------------------------------------------------------------------------

    def open(self) -> None:
        """Connect to pcscd and find the reader; DeviceGone when pcscd is not running or no reader matches."""
        self.link.find_reader()

    def close(self) -> None:
        """Drop the PC/SC context; safe to call twice."""
        self.link.release()

    def status(self) -> DeviceStatus:
        """OK with the reader's name and whether a card is in it; DeviceGone when pcscd or the reader is gone."""
        name = self.link.find_reader()
        present = self.link.card_present(name)
        return DeviceStatus(self.kind, DeviceState.OK, frozenset(), {"reader": name, "card_present": present})

    def self_test(self) -> SelfTestResult:
        """Find the reader; with a card in it, select the social security application."""
        try:
            name = self.link.find_reader()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("reader", False, str(exc)),))
        steps: list[tuple[str, bool, str]] = [("reader", True, name)]
        try:
            if self.card_present():
                _data, sw = self.link.with_card(
                    name, time.monotonic() + self.timeout_s, lambda transmit: transmit(select_df_apdu())
                )
                steps.append(("select_ssse", sw == 0x9000, f"{sw:04X}"))
            else:
                steps.append(("card", True, "no card (application not checked)"))
        except DriverError as exc:
            steps.append(("select_ssse", False, str(exc)))
        return SelfTestResult(ok=all(ok for _, ok, _ in steps), steps=tuple(steps), detail={"reader": name})

    # -- SsCardReader ----------------------------------------------------------------------------------------

    def card_present(self) -> bool:
        """Whether a card is in the reader now."""
        return self.link.card_present(self.link.find_reader())

    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """The identity on the card in the reader, or None when there is none; NoMedium if pulled mid-read."""
        deadline = time.monotonic() + (self.timeout_s if timeout_s is None else timeout_s)
        name = self.link.find_reader(deadline)
        if not self.link.card_present(name):
            return None
        today = self._today() if self._today else None
        try:
            return self.link.with_card(
                name, deadline, lambda transmit: SsCardProfile(transmit, pin=self._pin).read_identity(today)
            )
        except NoCardAtConnect:
            return None  # the card left between the look and the connect: the same as no card

    def watch(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for a card to come or go and tell ``on_card`` (called by the runner when idle)."""
        present = self.link.wait_for_change(timeout_s)
        if present is not None and self.on_card is not None:
            self.on_card(present)
