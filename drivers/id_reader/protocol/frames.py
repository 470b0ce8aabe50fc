"""SAM frames of the resident ID card reader: build, parse, read incrementally, and the SW3 status table.

Host to SAM: ``AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [DATA] | CHK``; SAM to host: the same with
``SW1 SW2 SW3 [DATA]`` after LEN. LEN counts every byte after itself, CHK included; CHK is the XOR of LEN_H
through the byte before CHK (the preamble is not covered). See docs: domain-facts §1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import reduce
from operator import xor

from drivers.base import DriverError, NoMedium, ProtocolError
from kiosk.catalog import Text

log = logging.getLogger(__name__)

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2  # preamble + LEN
# The longest answer is 30 10 with a fingerprint block (2321 bytes, LEN 2314); anything far beyond is noise.
MAX_LEN = 4096
MIN_COMMAND_LEN = 3  # CMD PARA CHK
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK

# Commands (CMD, PARA).
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)

# SW3 values.
SW3_OK = 0x90
SW3_FOUND = 0x9F
SW3_NO_CONTENT = 0x91
SW3_CHECKSUM = 0x10
SW3_LENGTH = 0x11
SW3_COMMAND = 0x21
SW3_READ_FAILED = 0x41
SW3_SELF_TEST_FAILED = 0x60
SW3_NOT_AUTHORISED = 0x66
SW3_FIND_FAILED = 0x80
SW3_SELECT_FAILED = 0x81

SW3_TEXT: dict[int, Text] = {
    0x90: Text("操作成功", "OK"),
    0x91: Text("证件中没有此项内容", "No such content on the card"),
    0x9F: Text("找到证件", "Card found"),
    0x10: Text("读卡器收到的命令校验和错误", "The reader got a command with a bad checksum"),
    0x11: Text("读卡器收到的命令长度错误", "The reader got a command with a bad length"),
    0x21: Text("读卡器不认识此命令", "The reader does not know this command"),
    0x23: Text("越权操作", "Unauthorised operation"),
    0x24: Text("读卡器未知错误", "Unknown reader error"),
    0x31: Text("证件认证读卡器失败", "The card failed to authenticate the reader's SAM"),
    0x32: Text("读卡器认证证件失败，证件可能不是真证", "The SAM failed to authenticate the card"),
    0x33: Text("证件信息验证错误", "Card information failed verification"),
    0x37: Text("指纹信息验证错误", "Fingerprint data failed verification"),
    0x3F: Text("证件信息长度错误", "Card information has a wrong length"),
    0x40: Text("无法识别的证件类型", "Unknown card type"),
    0x41: Text("读证件失败，请将证件放稳后重试", "Reading the card failed; hold the card still and retry"),
    0x47: Text("取随机数失败", "Fetching a random number failed"),
    0x60: Text("读卡器安全模块自检失败", "The reader's SAM failed its self-test"),
    0x66: Text("读卡器安全模块未授权", "The reader's SAM is not authorised"),
    0x80: Text("未找到证件，请放置身份证", "No card found; place the ID card on the reader"),
    0x81: Text("选取证件失败，请将证件放稳", "Selecting the card failed; hold the card still"),
}

# Codes meaning the reader's security module itself is broken (a technician job, FaultCode.SAM_ERROR).
SAM_FAULT_CODES = frozenset({SW3_SELF_TEST_FAILED, SW3_NOT_AUTHORISED})
NO_CARD_CODES = frozenset({SW3_FIND_FAILED, SW3_SELECT_FAILED})


class SamStatusError(DriverError):
    """The SAM answered with a failure status (SW3); ``text`` says what it means in zh and en."""

    def __init__(self, sw3: int, text: Text | None = None) -> None:
        self.sw3 = sw3
        self.text = text or SW3_TEXT.get(sw3) or Text(f"读卡器返回未知状态 {sw3:02X}", f"Unknown SAM status {sw3:02X}")
        super().__init__(f"SAM status {sw3:02X}: {self.text.en}", code=f"{sw3:02X}")

    @property
    def sam_fault(self) -> bool:
        """Whether the status means the reader's security module needs a technician."""
        return self.sw3 in SAM_FAULT_CODES


class SamNoCard(SamStatusError, NoMedium):
    """Find card (80) or select card (81) failed: there is no card on the reader (or it is moving)."""


def status_error(sw3: int) -> SamStatusError:
    """The exception for a failure status ``sw3`` (NoMedium family for 80/81)."""
    return SamNoCard(sw3) if sw3 in NO_CARD_CODES else SamStatusError(sw3)


@dataclass(frozen=True)
class Command:
    """A host-to-SAM frame body."""

    cmd: int
    para: int
    data: bytes = b""


@dataclass(frozen=True)
class Response:
    """A SAM-to-host frame body."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    def check(self, *ok: int) -> Response:
        """Return self when SW1 = SW2 = 00 and SW3 is one of ``ok`` (default 90); else raise the status error."""
        if self.sw1 or self.sw2:
            raise ProtocolError(f"SAM answered SW1 SW2 = {self.sw1:02X} {self.sw2:02X}, expected 00 00")
        if self.sw3 not in (ok or (SW3_OK,)):
            raise status_error(self.sw3)
        return self


def checksum(data: bytes) -> int:
    """XOR of all bytes of ``data`` (LEN through the last body byte)."""
    return reduce(xor, data, 0)


def build_frame(body: bytes) -> bytes:
    """A complete frame around ``body`` (the bytes between LEN and CHK)."""
    length = len(body) + 1
    if length > MAX_LEN:
        raise ValueError(f"frame body of {len(body)} bytes is too long")
    counted = length.to_bytes(2, "big") + body
    return PREAMBLE + counted + bytes([checksum(counted)])


def build_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A host-to-SAM command frame."""
    return build_frame(bytes([cmd, para]) + data)


def build_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    """A SAM-to-host response frame (the simulator's side)."""
    return build_frame(bytes([sw1, sw2, sw3]) + data)


def parse_command(body: bytes) -> Command:
    """The command in a frame body; ProtocolError when it is too short."""
    if len(body) < MIN_COMMAND_LEN - 1:
        raise ProtocolError(f"command frame body of {len(body)} bytes is too short")
    return Command(body[0], body[1], bytes(body[2:]))


def parse_response(body: bytes) -> Response:
    """The response in a frame body; ProtocolError when it is too short."""
    if len(body) < MIN_RESPONSE_LEN - 1:
        raise ProtocolError(f"response frame body of {len(body)} bytes is too short")
    return Response(body[0], body[1], body[2], bytes(body[3:]))


class FrameReader:
    """Cuts frames out of a byte stream that may hold noise, half frames and corrupted frames.

    ``feed`` bytes as they arrive, then call ``next_body`` until it returns None. Garbage before a preamble is
    skipped; a frame with an impossible LEN or a wrong CHK raises ProtocolError after the reader has moved past
    its first byte, so the next call resynchronises on the following preamble.
    """

    def __init__(self, *, min_len: int = MIN_RESPONSE_LEN, max_len: int = MAX_LEN) -> None:
        self._buf = bytearray()
        self._min_len = min_len
        self._max_len = max_len
        self.skipped = 0  # noise bytes dropped so far (for diagnostics)

    @property
    def buffered(self) -> int:
        """Bytes held that do not make a complete frame yet."""
        return len(self._buf)

    def expected(self) -> int | None:
        """Total size of the frame being received, when its header has arrived (for timeout messages)."""
        if len(self._buf) >= HEADER_LEN and self._buf.startswith(PREAMBLE):
            return HEADER_LEN + int.from_bytes(self._buf[5:7], "big")
        return None

    def feed(self, data: bytes) -> None:
        """Add received bytes."""
        self._buf += data

    def next_body(self) -> bytes | None:
        """The body (between LEN and CHK) of the next complete frame, or None when more bytes are needed."""
        self._resync()
        if len(self._buf) < HEADER_LEN:
            return None
        length = int.from_bytes(self._buf[5:7], "big")
        if not self._min_len <= length <= self._max_len:
            del self._buf[0]
            raise ProtocolError(f"frame length {length} out of range {self._min_len}..{self._max_len}")
        total = HEADER_LEN + length
        if len(self._buf) < total:
            return None
        counted = bytes(self._buf[5 : total - 1])
        chk = self._buf[total - 1]
        if checksum(counted) != chk:
            # Drop only the first byte: the LEN may be corrupt, and a good frame may start inside this one.
            del self._buf[0]
            raise ProtocolError(f"frame checksum {chk:02X} does not match {checksum(counted):02X}")
        del self._buf[:total]
        return counted[2:]

    def _resync(self) -> None:
        start = self._buf.find(PREAMBLE)
        if start < 0:
            # Keep a tail that may be the beginning of a preamble split across reads.
            keep = next((k for k in range(len(PREAMBLE) - 1, 0, -1) if self._buf.endswith(PREAMBLE[:k])), 0)
            drop = len(self._buf) - keep
        else:
            drop = start
        if drop:
            self.skipped += drop
            log.debug("skipped %d noise bytes", drop)
            del self._buf[:drop]
