"""An in-process social security card reader for the demo and the shell's tests (no pcscd needed).

:class:`SimulatedSsCard` answers the same APDUs as a real card (SELECT by DF name, SELECT EF, READ RECORD by
number, VERIFY) from the fictional sample records; :class:`SimulatedSsCardReader` runs the real profile over it.
For tests against the real PC/SC stack use ``vicc_card`` with pcscd instead.
"""

from __future__ import annotations

import threading

from drivers.base import DeviceGone, SelfTestResult
from drivers.sscard_reader.interface import SsCardReader
from drivers.sscard_reader.profile import EF05, EF06, SSSE_DF_NAME, SsCardProfile
from drivers.sscard_reader.sample import SAMPLE_CITIZEN, SsCitizen, ef05_records, ef06_records
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.identity import Identity

READER_NAME = "Simulated PC/SC reader"


class SimulatedSsCard:
    """A card holding the SSSE application with EF05/EF06 records for ``citizen``."""

    def __init__(self, citizen: SsCitizen = SAMPLE_CITIZEN) -> None:
        self.files = {EF05: ef05_records(citizen), EF06: ef06_records(citizen)}
        self._in_ssse = False
        self._ef: int | None = None

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Answer one command APDU: (data, status word)."""
        if len(apdu) < 4:
            return b"", 0x6700
        _cla, ins, p1, p2 = apdu[:4]
        data = bytes(apdu[5 : 5 + apdu[4]]) if len(apdu) > 5 else b""
        if ins == 0xA4 and p1 == 0x04:  # select by DF name (a leading part of it is enough, as ISO 7816 says)
            self._in_ssse, self._ef = bool(data) and SSSE_DF_NAME.startswith(data), None
            return b"", 0x9000 if self._in_ssse else 0x6A82
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(data, "big")
            if not self._in_ssse or fid not in self.files:
                return b"", 0x6A82
            self._ef = fid
            return b"", 0x9000
        if ins == 0xB2:
            if self._ef is None:
                return b"", 0x6986  # no current EF
            if p2 != 0x04:
                return b"", 0x6A86
            records = self.files[self._ef]
            return (records[p1 - 1], 0x9000) if 1 <= p1 <= len(records) else (b"", 0x6A83)
        if ins == 0x20:
            return b"", 0x9000
        return b"", 0x6D00


class SimulatedSsCardReader(SsCardReader):
    """A reader with :meth:`insert` / :meth:`remove` for a card and :attr:`plugged` for the reader itself."""

    def __init__(self, card: SimulatedSsCard | None = None, *, timeout_s: float = 2.0) -> None:
        self.timeout_s = timeout_s
        self.plugged = True  # False: the reader (or pcscd) is gone
        self._card = card
        self._lock = threading.Lock()

    def insert(self, card: SimulatedSsCard | None = None) -> None:
        """Put ``card`` (default: the sample card) in the reader."""
        with self._lock:
            self._card = card or SimulatedSsCard()

    def remove(self) -> None:
        """Take the card out."""
        with self._lock:
            self._card = None

    def open(self) -> None:
        """Raises DeviceGone while unplugged."""
        self._require_plugged()

    def close(self) -> None:
        """Nothing to release."""

    def status(self) -> DeviceStatus:
        """OK with whether a card is in; DeviceGone while unplugged."""
        return DeviceStatus(
            self.kind, DeviceState.OK, frozenset(), {"reader": READER_NAME, "card_present": self.card_present()}
        )

    def self_test(self) -> SelfTestResult:
        """The reader answers while plugged in."""
        return SelfTestResult(ok=self.plugged, steps=(("reader", self.plugged, READER_NAME),))

    def card_present(self) -> bool:
        """Whether a card is in."""
        self._require_plugged()
        with self._lock:
            return self._card is not None

    def read_card(self, timeout_s: float | None = None) -> Identity | None:
        """The identity on the card, through the real profile; None without a card."""
        self._require_plugged()
        with self._lock:
            card = self._card
        if card is None:
            return None
        return SsCardProfile(card.transmit).read_identity()

    def _require_plugged(self) -> None:
        if not self.plugged:
            raise DeviceGone(f"{READER_NAME} unplugged")
