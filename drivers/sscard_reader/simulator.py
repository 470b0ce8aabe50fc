"""A simulated social security card and the PC/SC layer it sits in, for the demo and the shell's tests (no
pcscd needed).

:class:`SimulatedSsCard` answers the same APDUs as the vicc test card (tests/drivers/sscard/vicc_card.py) and a
real card: SELECT by DF name, SELECT EF, READ RECORD by number, VERIFY, from the fictional sample records below.
:class:`SimulatedPcsc` offers the calls and constants of pyscard's ``smartcard.scard`` that the transport uses
(contexts, reader list, status changes with their waits, connect, transmit, disconnect), with pcsc-lite's
values; the real :class:`~drivers.sscard_reader.facade.PcscCardReader` and its transport run over it.
A test puts a card in (:meth:`~SimulatedPcsc.insert`), takes it out, unplugs the reader or stops "pcscd".
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

from drivers.sscard_reader.protocol import profile as p
from drivers.sscard_reader.protocol.tlv import encode_bcd, encode_tlv

READER_NAME = "Simulated PC/SC reader 00 00"

# -- the card's contents ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SsCitizen:
    """What a sample card holds. Fictional person; the number is a valid GB 11643 number (Ordos, 150627)."""

    name: str = "高示范"
    id_number: str = "150627200111110811"
    sex: str = "1"
    nation: str = "01"
    birthplace: str = "150627"
    birth_date: str = "20011111"
    card_id: str = "150627D156000005"
    card_number: str = "E12345678"
    issued: str = "20210315"
    expires: str = "20310315"
    version: str = "3.00"


SAMPLE_CITIZEN = SsCitizen()


def ef05_records(c: SsCitizen = SAMPLE_CITIZEN) -> list[bytes]:
    """EF05 (card data), one TLV per record."""
    return [
        encode_tlv(p.TAG_CARD_ID, c.card_id.encode("ascii")),
        encode_tlv(0x02, b"1"),  # card type
        encode_tlv(p.TAG_VERSION, c.version.encode("ascii")),
        encode_tlv(0x04, b"1506000000000000"),  # initialising institution
        encode_tlv(p.TAG_ISSUED, encode_bcd(c.issued)),
        encode_tlv(p.TAG_EXPIRES, encode_bcd(c.expires)),
        encode_tlv(p.TAG_CARD_NUMBER, c.card_number.encode("ascii")),
    ]


def ef06_records(c: SsCitizen = SAMPLE_CITIZEN) -> list[bytes]:
    """EF06 (holder data), one TLV per record; the name is GBK padded with 00 to 30 bytes."""
    return [
        encode_tlv(p.TAG_SSN, c.id_number.encode("ascii")),
        encode_tlv(p.TAG_NAME, c.name.encode("gbk").ljust(30, b"\x00")),
        encode_tlv(p.TAG_SEX, c.sex.encode("ascii")),
        encode_tlv(p.TAG_NATION, encode_bcd(c.nation)),
        encode_tlv(p.TAG_BIRTHPLACE, encode_bcd(c.birthplace)),
        encode_tlv(p.TAG_BIRTH_DATE, encode_bcd(c.birth_date)),
    ]


class SimulatedSsCard:
    """A card holding the SSSE application with EF05/EF06 records for ``citizen``."""

    ATR = bytes.fromhex("3B9513810180 73FF01000B".replace(" ", ""))  # what vicc's ISO 7816 card answers to reset

    def __init__(self, citizen: SsCitizen = SAMPLE_CITIZEN) -> None:
        self.files = {p.EF05: ef05_records(citizen), p.EF06: ef06_records(citizen)}
        self._in_ssse = False
        self._ef: int | None = None

    def reset(self) -> None:
        """A card reset: nothing selected."""
        self._in_ssse, self._ef = False, None

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Answer one command APDU: (data, status word)."""
        if len(apdu) < 4:
            return b"", 0x6700
        _cla, ins, p1, p2 = apdu[:4]
        data = bytes(apdu[5 : 5 + apdu[4]]) if len(apdu) > 5 else b""
        if ins == 0xA4 and p1 == 0x04:  # select by DF name (a leading part of it is enough, as ISO 7816 says)
            self._in_ssse, self._ef = bool(data) and p.SSSE_DF_NAME.startswith(data), None
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
            if not 1 <= p1 <= len(records):
                return b"", 0x6A83
            # As vicc's card: Le (0 = up to 256) cuts the record; asking for more than there is ends with 6282.
            record, le = records[p1 - 1], (apdu[4] or 256) if len(apdu) == 5 else 256
            return record[:le], 0x6282 if le > len(record) else 0x9000
        if ins == 0x20:
            return b"", 0x9000
        return b"", 0x6D00


# -- the PC/SC layer --------------------------------------------------------------------------------------------


class SimulatedPcsc:
    """pcscd with one reader, as pyscard's ``smartcard.scard`` shows it; thread-safe (the transport calls it from
    helper threads and waits in :meth:`SCardGetStatusChange` on the device thread)."""

    # pcsc-lite's values (pcsclite.h), as pyscard gives them.
    SCARD_S_SUCCESS = 0x00000000
    SCARD_E_INVALID_HANDLE = 0x80100003
    SCARD_E_INVALID_PARAMETER = 0x80100004
    SCARD_E_UNKNOWN_READER = 0x80100009
    SCARD_E_TIMEOUT = 0x8010000A
    SCARD_E_NO_SMARTCARD = 0x8010000C
    SCARD_F_COMM_ERROR = 0x80100013
    SCARD_E_NOT_TRANSACTED = 0x80100016
    SCARD_E_READER_UNAVAILABLE = 0x80100017
    SCARD_E_NO_SERVICE = 0x8010001D
    SCARD_E_SERVICE_STOPPED = 0x8010001E
    SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
    SCARD_W_UNRESPONSIVE_CARD = 0x80100066
    SCARD_W_UNPOWERED_CARD = 0x80100067
    SCARD_W_RESET_CARD = 0x80100068
    SCARD_W_REMOVED_CARD = 0x80100069
    SCARD_SCOPE_USER = 0
    SCARD_SHARE_SHARED = 2
    SCARD_PROTOCOL_T0 = 1
    SCARD_PROTOCOL_T1 = 2
    SCARD_LEAVE_CARD = 0
    SCARD_RESET_CARD = 1
    SCARD_STATE_UNAWARE = 0x0000
    SCARD_STATE_CHANGED = 0x0002
    SCARD_STATE_UNKNOWN = 0x0004
    SCARD_STATE_UNAVAILABLE = 0x0008
    SCARD_STATE_EMPTY = 0x0010
    SCARD_STATE_PRESENT = 0x0020
    SCARD_STATE_INUSE = 0x0100

    MESSAGES: ClassVar[dict[int, str]] = {
        SCARD_S_SUCCESS: "Command successful.",
        SCARD_E_INVALID_HANDLE: "Invalid handle.",
        SCARD_E_UNKNOWN_READER: "Unknown reader specified.",
        SCARD_E_TIMEOUT: "Command timeout.",
        SCARD_E_NO_SMARTCARD: "No smart card inserted.",
        SCARD_E_NO_SERVICE: "Service not available.",
        SCARD_E_NO_READERS_AVAILABLE: "Cannot find a smart card reader.",
        SCARD_W_REMOVED_CARD: "Card was removed.",
    }

    def __init__(self, card: SimulatedSsCard | None = None, *, reader: str = READER_NAME) -> None:
        self.reader = reader
        self._changed = threading.Condition()
        self._card = card
        self._card_events = 0  # pcsc-lite counts insertions and removals in the upper 16 bits of the state
        self._plugged = True
        self._running = True
        self._contexts: set[int] = set()
        self._handles: dict[int, int] = {}  # card handle -> the card event count it was connected at
        self._ids = itertools.count(0x1000)

    # -- what a test does ------------------------------------------------------------------------------------

    @property
    def card(self) -> SimulatedSsCard | None:
        """The card in the reader (None: none)."""
        with self._changed:
            return self._card

    def insert(self, card: SimulatedSsCard | None = None) -> None:
        """Put ``card`` (default: the sample card) in the reader."""
        self._change(card=card or SimulatedSsCard())

    def remove(self) -> None:
        """Take the card out."""
        self._change(card=None)

    def unplug(self) -> None:
        """The reader's cable is pulled: it leaves the reader list."""
        with self._changed:
            self._plugged = False
            self._changed.notify_all()

    def replug(self) -> None:
        """The reader is back."""
        with self._changed:
            self._plugged = True
            self._changed.notify_all()

    def stop_service(self) -> None:
        """pcscd stops: every context is gone, new ones are refused."""
        with self._changed:
            self._running = False
            self._contexts.clear()
            self._handles.clear()
            self._changed.notify_all()

    def start_service(self) -> None:
        """pcscd starts again."""
        with self._changed:
            self._running = True
            self._changed.notify_all()

    def close(self) -> None:
        """Stop for good (wakes every waiter)."""
        self.stop_service()

    def _change(self, *, card: SimulatedSsCard | None) -> None:
        with self._changed:
            if (card is None) != (self._card is None):
                self._card_events += 1
            self._card = card
            self._changed.notify_all()

    # -- smartcard.scard ------------------------------------------------------------------------------------

    def SCardGetErrorMessage(self, rc: int) -> str:
        """The text pcsc-lite gives for ``rc``."""
        return self.MESSAGES.get(rc, f"Unknown error: 0x{rc & 0xFFFFFFFF:08X}")

    def SCardEstablishContext(self, scope: int) -> tuple[int, int]:
        """A new context; SCARD_E_NO_SERVICE while pcscd is stopped."""
        with self._changed:
            if not self._running:
                return self.SCARD_E_NO_SERVICE, 0
            ctx = next(self._ids)
            self._contexts.add(ctx)
            return self.SCARD_S_SUCCESS, ctx

    def SCardReleaseContext(self, ctx: int) -> int:
        """Forget ``ctx``."""
        with self._changed:
            if ctx not in self._contexts:
                return self.SCARD_E_INVALID_HANDLE
            self._contexts.discard(ctx)
            return self.SCARD_S_SUCCESS

    def SCardListReaders(self, ctx: int, groups: list[str]) -> tuple[int, list[str]]:
        """The readers plugged in."""
        with self._changed:
            if rc := self._context_error(ctx):
                return rc, []
            if not self._plugged:
                return self.SCARD_E_NO_READERS_AVAILABLE, []
            return self.SCARD_S_SUCCESS, [self.reader]

    def SCardGetStatusChange(
        self, ctx: int, timeout_ms: int, states: list[tuple[str, int]]
    ) -> tuple[int, list[tuple[str, int, list[int]]]]:
        """Wait up to ``timeout_ms`` until a reader's state differs from the one given (at once for UNAWARE)."""
        deadline = time.monotonic() + timeout_ms / 1000
        with self._changed:
            while True:
                if rc := self._context_error(ctx):
                    return rc, []
                answers = []
                changed = False
                for name, current in states:
                    state = self._state(name)
                    if current == self.SCARD_STATE_UNAWARE or state != current & ~self.SCARD_STATE_CHANGED:
                        state |= self.SCARD_STATE_CHANGED
                        changed = True
                    atr = list(self._card.ATR) if self._card is not None and name == self.reader else []
                    answers.append((name, state, atr))
                if changed:
                    return self.SCARD_S_SUCCESS, answers
                left = deadline - time.monotonic()
                if left <= 0:
                    return self.SCARD_E_TIMEOUT, answers
                self._changed.wait(left)

    def SCardConnect(
        self, ctx: int, reader: str, share: int, protocols: int
    ) -> tuple[int, int, int]:
        """A handle on the card in ``reader`` (T=1)."""
        with self._changed:
            if rc := self._context_error(ctx):
                return rc, 0, 0
            if reader != self.reader or not self._plugged:
                return self.SCARD_E_UNKNOWN_READER, 0, 0
            if self._card is None:
                return self.SCARD_E_NO_SMARTCARD, 0, 0
            handle = next(self._ids)
            self._handles[handle] = self._card_events
            return self.SCARD_S_SUCCESS, handle, self.SCARD_PROTOCOL_T1

    def SCardTransmit(self, handle: int, protocol: int, apdu: list[int]) -> tuple[int, list[int]]:
        """The card's answer to ``apdu``, status word last; SCARD_W_REMOVED_CARD once that card left."""
        with self._changed:
            if handle not in self._handles:
                return self.SCARD_E_INVALID_HANDLE, []
            card = self._card
            if card is None or self._handles[handle] != self._card_events or not self._plugged:
                return self.SCARD_W_REMOVED_CARD, []
        data, sw = card.transmit(bytes(apdu))  # outside the lock: a card takes its time
        return self.SCARD_S_SUCCESS, [*data, sw >> 8, sw & 0xFF]

    def SCardDisconnect(self, handle: int, disposition: int) -> int:
        """Let go of the card (resetting it with SCARD_RESET_CARD)."""
        with self._changed:
            connected_at = self._handles.pop(handle, None)
            if connected_at is None:
                return self.SCARD_E_INVALID_HANDLE
            if disposition == self.SCARD_RESET_CARD and self._card is not None and connected_at == self._card_events:
                self._card.reset()
            return self.SCARD_S_SUCCESS

    def _context_error(self, ctx: int) -> int:
        if not self._running:
            return self.SCARD_E_NO_SERVICE
        return 0 if ctx in self._contexts else self.SCARD_E_INVALID_HANDLE

    def _state(self, name: str) -> int:
        if name != self.reader:
            return self.SCARD_STATE_UNKNOWN
        if not self._plugged:
            return self.SCARD_STATE_UNAVAILABLE
        flags = self.SCARD_STATE_PRESENT if self._card is not None else self.SCARD_STATE_EMPTY
        return (self._card_events << 16) | flags
