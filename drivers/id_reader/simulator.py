"""A SAM ID card reader simulator on a pseudo-terminal, holding fictional sample cards.

The simulator answers the same frames as a real reader on the master side of a pty; the real serial backend
opens the slave side like a USB-serial port. A test picks the card "on the reader" with :meth:`insert`
(None: no card); some sample cards misbehave on purpose: a malformed answer, a wrong checksum, a card pulled
away half-way through the answer, a read the SAM reports as failed. :meth:`stop` is an unplug: the port goes
away; :meth:`start` plugs it in again (at the same ``link`` path when one is given).

Every person here is fictional; the ID numbers are valid GB 11643 numbers with Ordos region codes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
import tty
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from drivers.base import ProtocolError
from drivers.id_reader.protocol import frames
from drivers.id_reader.protocol.frames import Command, FrameReader
from drivers.id_reader.protocol.text_block import PHOTO_LEN, build_read_data

log = logging.getLogger(__name__)

DEFECTS = frozenset({"", "malformed", "bad_checksum", "pulled", "read_error"})
# A stand-in for the vendor-compressed WLT photo: fixed bytes, so a test can check they arrive unchanged.
SAMPLE_PHOTO = (b"WLT-SAMPLE-PHOTO" + bytes(range(256)) * 4)[:PHOTO_LEN]


@dataclass(frozen=True)
class SampleCard:
    """A card the simulator can hold: its text fields, its photo and how it misbehaves ("" = it does not)."""

    fields: Mapping[str, str]
    photo: bytes = SAMPLE_PHOTO
    defect: str = ""

    def __post_init__(self) -> None:
        if self.defect not in DEFECTS:
            raise ValueError(f"unknown defect {self.defect!r}")


_LI = {
    "name": "李示例", "sex": "1", "nation": "01", "birth_date": "19850315",
    "address": "内蒙古自治区鄂尔多斯市东胜区示例路8号", "id_number": "150602198503151236",
    "authority": "鄂尔多斯市公安局东胜分局", "valid_from": "20150601", "valid_to": "20350601",
}  # fmt: skip
_WUYUN = {
    "name": "乌云其其格", "sex": "2", "nation": "02", "birth_date": "19580920",
    "address": "内蒙古自治区鄂尔多斯市达拉特旗样例街道12号", "id_number": "150621195809200024",
    "authority": "达拉特旗公安局", "valid_from": "20140310", "valid_to": "长期",
}  # fmt: skip
_ZHAO = {
    "name": "赵测试", "sex": "1", "nation": "01", "birth_date": "19790228",
    "address": "内蒙古自治区鄂尔多斯市东胜区演示巷3号", "id_number": "15060219790228447X",
    "authority": "鄂尔多斯市公安局东胜分局", "valid_from": "20190228", "valid_to": "20390228",
}  # fmt: skip
_BAD_ID = {**_LI, "name": "错号码", "id_number": "150602198503151235"}  # check digit should be 6

SAMPLE_CARDS: dict[str, SampleCard] = {
    "normal": SampleCard(_LI),
    "long_term": SampleCard(_WUYUN),
    "x_check_digit": SampleCard(_ZHAO),
    "bad_id_number": SampleCard(_BAD_ID),
    "malformed": SampleCard(_LI, defect="malformed"),
    "bad_checksum": SampleCard(_LI, defect="bad_checksum"),
    "pulled": SampleCard(_LI, defect="pulled"),
    "read_error": SampleCard(_LI, defect="read_error"),
}

DEFAULT_SAM_ID = bytes.fromhex("0501000020230818000000010000A5A5")
_POLL_S = 0.05
_WRITE_TIMEOUT_S = 2.0


class SamSimulator:
    """A simulated SAM reader on a pty. Thread-safe: a test changes the card while the reader reads."""

    def __init__(
        self,
        cards: Mapping[str, SampleCard] | None = None,
        *,
        link: str | os.PathLike[str] | None = None,
        sam_id: bytes = DEFAULT_SAM_ID,
    ) -> None:
        self.cards = dict(SAMPLE_CARDS if cards is None else cards)
        self.link = Path(link) if link is not None else None
        self.sam_id = sam_id
        self.sam_status = frames.SW3_OK  # set 0x60 to simulate a failed SAM self-test
        self.silent = False  # True: read commands, answer nothing (a hung reader)
        self.noise = b""  # line noise sent before every answer (the reader must resynchronise)
        self.respond: Callable[[Command], bytes] | None = None  # tests: answer with these bytes instead
        self.commands: deque[Command] = deque(maxlen=1000)  # the latest commands received, for tests
        self._card: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = -1
        self._slave = -1
        self._tty = ""

    @property
    def path(self) -> str:
        """Where the reader side opens the port: the link when there is one, else the pty slave."""
        if self.link is not None:
            return str(self.link)
        if not self._tty:
            raise RuntimeError("simulator not started")
        return self._tty

    @property
    def card(self) -> str | None:
        """The name of the card on the reader (None: no card)."""
        with self._lock:
            return self._card

    def insert(self, name: str | None) -> None:
        """Put sample card ``name`` on the reader; None takes the card away."""
        if name is not None and name not in self.cards:
            raise KeyError(f"no sample card {name!r} (have {sorted(self.cards)})")
        with self._lock:
            self._card = name

    def start(self) -> str:
        """Create the pty (plug the reader in) and answer on it; returns :attr:`path`."""
        if self._thread is not None:
            raise RuntimeError("simulator already running")
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing, before the reader side opens it
        os.set_blocking(self._master, False)
        self._tty = os.ttyname(self._slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._tty)
            tmp.replace(self.link)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sam-simulator", daemon=True)
        self._thread.start()
        log.info("SAM simulator on %s", self.path)
        return self.path

    def stop(self) -> None:
        """Stop answering and remove the pty (unplug the reader); safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout=5)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._master = self._slave = -1
        if self.link is not None and self.link.is_symlink() and os.readlink(self.link) == self._tty:
            self.link.unlink()

    def close(self) -> None:
        """Stop for good (the reader is disposed of); the same as an unplug that nobody undoes."""
        self.stop()

    # -- worker ----------------------------------------------------------------------------------------------

    def _run(self) -> None:
        reader = FrameReader(min_len=frames.MIN_COMMAND_LEN)
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], _POLL_S)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except BlockingIOError:
                continue
            except OSError:  # EIO while no reader side has the port open
                time.sleep(_POLL_S)
                continue
            reader.feed(data)
            self._answer_all(reader)

    def _answer_all(self, reader: FrameReader) -> None:
        while True:
            try:
                body = reader.next_body()
            except ProtocolError:
                self._send(frames.build_response(frames.SW3_CHECKSUM))  # what a SAM says to a garbled command
                continue
            if body is None:
                return
            try:
                command = frames.parse_command(body)
            except ProtocolError:
                self._send(frames.build_response(frames.SW3_LENGTH))
                continue
            self.commands.append(command)
            if not self.silent:
                answer = self.respond(command) if self.respond is not None else self._answer(command)
                self._send(self.noise + answer)

    def _answer(self, command: Command) -> bytes:
        key = (command.cmd, command.para)
        card_name = self.card
        card = self.cards[card_name] if card_name is not None else None
        if key == frames.RESET_SAM:
            return frames.build_response(frames.SW3_OK)
        if key == frames.SAM_STATUS:
            return frames.build_response(self.sam_status)
        if key == frames.READ_SAM_ID:
            return frames.build_response(frames.SW3_OK, self.sam_id)
        if key == frames.FIND_CARD:
            if card is None:
                return frames.build_response(frames.SW3_FIND_FAILED)
            return frames.build_response(frames.SW3_FOUND, bytes(4))
        if key == frames.SELECT_CARD:
            if card is None:
                return frames.build_response(frames.SW3_SELECT_FAILED)
            return frames.build_response(frames.SW3_OK, bytes(8))
        if key == frames.READ_TEXT_PHOTO:
            if card is None:
                return frames.build_response(frames.SW3_READ_FAILED)
            return self._read_answer(card)
        return frames.build_response(frames.SW3_COMMAND)

    def _read_answer(self, card: SampleCard) -> bytes:
        if card.defect == "read_error":
            return frames.build_response(frames.SW3_READ_FAILED)  # the SAM could not read the card (41)
        data = build_read_data(card.fields, card.photo)
        if card.defect == "malformed":
            # A well-framed answer whose content is cut short: the lengths inside do not add up.
            return frames.build_response(frames.SW3_OK, data[:-24])
        frame = frames.build_response(frames.SW3_OK, data)
        if card.defect == "bad_checksum":
            return frame[:-1] + bytes([frame[-1] ^ 0x5A])
        if card.defect == "pulled":
            # The card leaves the field half-way: half an answer, then nothing, and no card from now on.
            self.insert(None)
            return frame[: len(frame) // 2]
        return frame

    def _send(self, data: bytes) -> None:
        deadline = time.monotonic() + _WRITE_TIMEOUT_S
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                written = os.write(self._master, view)
            except BlockingIOError:
                written = 0
            except OSError:
                log.debug("simulator write failed", exc_info=True)
                return
            view = view[written:]
            if view:
                if time.monotonic() > deadline:
                    log.warning("simulator: reader side not reading; %d bytes dropped", len(view))
                    return
                select.select([], [self._master], [], _POLL_S)
