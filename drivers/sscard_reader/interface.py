"""What the shell may ask of a social security card reader."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from drivers.base import Device
from kiosk.devices import DeviceKind
from kiosk.identity import Identity


class SsCardReader(Device):
    """A PC/SC reader for social security cards. Call it only on its DeviceRunner thread."""

    kind: ClassVar[DeviceKind] = DeviceKind.SSCARD_READER

    @abstractmethod
    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """Read the card in the reader: its identity (source "sscard"), or None when there is no card.

        The whole read is bounded by ``timeout_s`` (default: the configured timeout). Raises NoMedium when the
        card is pulled out during the read, DeviceGone (reader or pcscd gone), DeviceTimeout, ProtocolError.
        """

    @abstractmethod
    def card_present(self) -> bool:
        """Whether a card is in the reader now (bounded by the timeout)."""

    def dispose(self) -> None:
        """Release for good what the reader owns beyond its transport; default: nothing."""
