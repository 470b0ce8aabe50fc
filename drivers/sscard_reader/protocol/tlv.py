"""TLV records of the social security card's EF05/EF06 files, and the value codings they use.

A record is ``tag(1) len(1) value(len)`` (domain-facts §3); a file read record by record gives one TLV per
record, but the parser takes any run of TLVs. 00/FF bytes after the last TLV are filler. Value codings:
"an" ASCII text, GBK text (names), "cn" packed BCD digits (dates YYYYMMDD in 4 bytes, nation code in 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from drivers.base import ProtocolError

FILLER = frozenset({0x00, 0xFF})


@dataclass(frozen=True)
class Tlv:
    """One tag-length-value item."""

    tag: int
    value: bytes


def encode_tlv(tag: int, value: bytes) -> bytes:
    """``tag len value`` (the card builder's side); ValueError when it does not fit one-byte fields."""
    if not 0x01 <= tag <= 0xFE or len(value) > 0xFF:
        raise ValueError(f"tag {tag:#x} with {len(value)} bytes does not fit a one-byte TLV")
    return bytes([tag, len(value)]) + value


def parse_tlvs(data: bytes) -> list[Tlv]:
    """Every TLV in ``data``; ProtocolError when one is truncated or garbage follows the last one."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        tag = data[pos]
        if tag in FILLER:
            if any(b not in FILLER for b in data[pos:]):
                raise ProtocolError(f"filler byte {tag:02X} at offset {pos} is followed by data")
            break
        if pos + 2 > len(data):
            raise ProtocolError(f"TLV tag {tag:02X} at offset {pos} has no length byte")
        length = data[pos + 1]
        end = pos + 2 + length
        if end > len(data):
            raise ProtocolError(f"TLV tag {tag:02X} says {length} bytes, only {len(data) - pos - 2} follow")
        items.append(Tlv(tag, bytes(data[pos + 2 : end])))
        pos = end
    return items


def _unpad(value: bytes) -> bytes:
    # Cards pad text fields with 00, FF or spaces on the right; hiquotion strips FF padding.
    return value.rstrip(b"\x00\xff ")


def decode_text(value: bytes, *, encoding: str = "gbk", field: str = "field") -> str:
    """A padded text value; GBK for names, ASCII for numbers. ProtocolError when it does not decode."""
    try:
        text = _unpad(value).decode(encoding)
    except UnicodeDecodeError:
        raise ProtocolError(f"{field} is not valid {encoding.upper()} text") from None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise ProtocolError(f"{field} holds control characters")
    return text.strip()


def decode_bcd(value: bytes, *, field: str = "field") -> str:
    """Packed BCD digits (trailing F nibbles are padding); ProtocolError on any other non-digit nibble."""
    digits = value.hex().upper().rstrip("F")
    if not digits.isdigit():
        raise ProtocolError(f"{field} is not BCD digits")
    return digits


def decode_bcd_date(value: bytes, *, field: str = "date") -> date:
    """A 4-byte BCD date YYYYMMDD; ProtocolError when it is not a real date."""
    digits = decode_bcd(value, field=field)
    if len(digits) != 8:
        raise ProtocolError(f"{field} has {len(digits)} digits, expected YYYYMMDD")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ProtocolError(f"{field} is not a real date") from None


def encode_bcd(digits: str) -> bytes:
    """Digits as packed BCD (an odd count is padded with F)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("BCD takes digits only")
    return bytes.fromhex(digits + ("F" if len(digits) % 2 else ""))
