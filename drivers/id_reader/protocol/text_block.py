"""The answer to "read text + photo" (30 01): the 256-byte UCS-2LE text block and the 1024-byte photo.

Layout of the answer's data (after SW1 SW2 SW3): text length (2, big-endian, 256), photo length (2, 1024),
text block, photo. The text block holds fixed-width fields, space-padded UTF-16LE (domain-facts §1). The photo
is a vendor-compressed WLT image: it is kept as bytes, never decoded here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date

from drivers.base import ProtocolError
from kiosk.identity import Identity, IdentityError, identity_from_card, validate_id_number

TEXT_LEN = 256
PHOTO_LEN = 1024
READ_DATA_LEN = 4 + TEXT_LEN + PHOTO_LEN

# (field, byte offset, byte length) in the text block; 220..255 is reserved.
FIELDS: tuple[tuple[str, int, int], ...] = (
    ("name", 0, 30),
    ("sex", 30, 2),
    ("nation", 32, 4),
    ("birth_date", 36, 16),
    ("address", 52, 70),
    ("id_number", 122, 36),
    ("authority", 158, 30),
    ("valid_from", 188, 16),
    ("valid_to", 204, 16),
)
_PAD = " \x00"


def decode_text_block(block: bytes) -> dict[str, str]:
    """The fields of a 256-byte text block, padding stripped; ProtocolError on a wrong size or bad UTF-16."""
    if len(block) != TEXT_LEN:
        raise ProtocolError(f"text block has {len(block)} bytes, expected {TEXT_LEN}")
    fields: dict[str, str] = {}
    for name, offset, size in FIELDS:
        try:
            value = block[offset : offset + size].decode("utf-16-le")
        except UnicodeDecodeError:
            raise ProtocolError(f"card field {name} is not valid UCS-2 text") from None
        value = value.rstrip(_PAD).lstrip(" ")
        if any(unicodedata.category(ch) in ("Cc", "Cs", "Cn") for ch in value):
            raise ProtocolError(f"card field {name} holds control or unassigned characters")
        fields[name] = value
    return fields


def encode_text_block(fields: Mapping[str, str]) -> bytes:
    """A 256-byte text block for ``fields`` (the simulator's side); ValueError when a field does not fit."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    for name, offset, size in FIELDS:
        raw = fields.get(name, "").encode("utf-16-le")
        if len(raw) > size:
            raise ValueError(f"field {name} is longer than {size // 2} characters")
        block[offset : offset + len(raw)] = raw
    return bytes(block)


def split_read_data(data: bytes) -> tuple[bytes, bytes]:
    """(text block, photo) from the data of a 30 01 answer; ProtocolError when the lengths do not add up."""
    if len(data) < 4:
        raise ProtocolError(f"card data of {len(data)} bytes has no length header")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_LEN or photo_len != PHOTO_LEN:
        raise ProtocolError(f"card data says text {text_len} and photo {photo_len} bytes, expected 256 and 1024")
    if len(data) != READ_DATA_LEN:
        raise ProtocolError(f"card data has {len(data)} bytes, expected {READ_DATA_LEN}")
    return bytes(data[4 : 4 + TEXT_LEN]), bytes(data[4 + TEXT_LEN :])


def build_read_data(fields: Mapping[str, str], photo: bytes) -> bytes:
    """The data of a 30 01 answer (the simulator's side)."""
    if len(photo) != PHOTO_LEN:
        raise ValueError(f"photo must have {PHOTO_LEN} bytes")
    return TEXT_LEN.to_bytes(2, "big") + PHOTO_LEN.to_bytes(2, "big") + encode_text_block(fields) + photo


def identity_from_fields(fields: Mapping[str, str], photo: bytes | None, today: date | None = None) -> Identity:
    """The identity of decoded card fields; ProtocolError when a value is not what a genuine card holds."""
    empty = [name for name, _, _ in FIELDS if not fields.get(name)]
    if empty:
        raise ProtocolError(f"card fields empty: {', '.join(empty)}")
    for name in ("birth_date", "valid_from"):  # only "valid_to" may be 长期
        if not (len(fields[name]) == 8 and fields[name].isascii() and fields[name].isdigit()):
            raise ProtocolError(f"card field {name} is not a date YYYYMMDD")
    check = validate_id_number(fields["id_number"], today)
    if not check.ok:
        # A genuine card never carries a wrong number: the bytes were garbled on the way.
        raise ProtocolError(f"the card's ID number is not valid ({check.reason})")
    try:
        return identity_from_card(dict(fields), source="id_card", photo=photo)
    except IdentityError as exc:
        raise ProtocolError(f"card data not usable: {exc}") from None


def identity_from_read_data(data: bytes, today: date | None = None) -> Identity:
    """The identity in the data of a 30 01 answer (source "id_card", photo kept as bytes)."""
    text, photo = split_read_data(data)
    return identity_from_fields(decode_text_block(text), photo, today)
