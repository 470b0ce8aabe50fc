"""What the shell may ask of a resident ID card reader."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from drivers.base import Device
from kiosk.devices import DeviceKind
from kiosk.identity import Identity


class IdCardReader(Device):
    """A reader of second-generation resident ID cards. Call it only on its DeviceRunner thread."""

    kind: ClassVar[DeviceKind] = DeviceKind.ID_READER

    @abstractmethod
    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """Read the card on the reader: its identity (source "id_card", photo as bytes), or None if no card.

        The whole read is bounded by ``timeout_s`` (default: the configured timeout). Raises DeviceTimeout,
        DeviceGone, ProtocolError (garbled answer) or SamStatusError (the SAM reported a failure).
        """

    def dispose(self) -> None:
        """Release for good what the reader owns beyond its transport (a simulator); default: nothing."""
