"""The social security card (社会保障卡) as APDUs: select the SSSE DF, read EF05/EF06, build the identity.

Transport-free: the profile is given ``transmit(apdu) -> (data, sw)`` and so runs over pyscard, the in-process
simulator or a scripted test card alike. Every SELECT asks for no FCI (P2 = 0C): cards do not need it and
vicc 0.8 crashes on P2 = 00/04. Records are read by number from 1 until "record not found" and every TLV is
kept by tag, so a card numbering its records differently still reads (domain-facts §3).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from drivers.base import ProtocolError
from drivers.sscard_reader.protocol.tlv import decode_bcd, decode_bcd_date, decode_text, encode_bcd, parse_tlvs
from kiosk.catalog import Text
from kiosk.identity import Identity, IdentityError, identity_from_card, validate_id_number

log = logging.getLogger(__name__)

SSSE_DF_NAME = "sx1.sh.社会保障".encode("gbk")  # DDF1 "SSSE": a DF name, not a registered AID
EF05 = 0xEF05  # card data: card ID, type, version, issue date, expiry, card number
EF06 = 0xEF06  # holder data: social security number, name, sex, nation, birthplace, birth date
MAX_RECORDS = 16

# EF05 tags
TAG_CARD_ID, TAG_VERSION, TAG_ISSUED, TAG_EXPIRES, TAG_CARD_NUMBER = 0x01, 0x03, 0x05, 0x06, 0x07
# EF06 tags
TAG_SSN, TAG_NAME, TAG_SEX, TAG_NATION, TAG_BIRTHPLACE, TAG_BIRTH_DATE = 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D
HOLDER_TAGS = (TAG_SSN, TAG_NAME, TAG_SEX, TAG_NATION, TAG_BIRTH_DATE)

SW_OK = 0x9000
SW_EOF_BEFORE_LE = 0x6282  # record shorter than asked for: the data is complete
SW_RECORD_NOT_FOUND = 0x6A83

SW_TEXT: dict[int, Text] = {
    0x6700: Text("卡片不接受此命令长度", "The card rejected the command length"),
    0x6981: Text("卡片文件结构不符", "The file structure does not fit the command"),
    0x6982: Text("卡片要求先校验密码", "The card wants a PIN first (set options.pin)"),
    0x6983: Text("卡片密码已锁定，请到窗口办理", "The card's PIN is blocked"),
    0x6A81: Text("卡片不支持此功能", "The card does not support this function"),
    0x6A82: Text("这不是社会保障卡，或卡上没有所需文件", "Not a social security card (file not found)"),
    0x6A83: Text("卡片上没有此记录", "Record not found on the card"),
    0x6A86: Text("命令参数错误", "Wrong command parameters"),
    0x6D00: Text("卡片不支持此命令", "The card does not support this command"),
    0x6E00: Text("卡片不支持此命令类别", "The card does not support this command class"),
    0x6F00: Text("卡片内部错误", "The card reported an internal error"),
}

Transmit = Callable[[bytes], tuple[bytes, int]]


class CardStatusError(ProtocolError):
    """The card answered a command with a failure status word; ``text`` says what it means (zh/en)."""

    def __init__(self, sw: int, what: str) -> None:
        self.sw = sw
        if (sw & 0xFFF0) == 0x63C0:
            self.text = Text(f"卡片密码错误，还可尝试 {sw & 0xF} 次", f"Wrong PIN, {sw & 0xF} tries left")
        else:
            self.text = SW_TEXT.get(sw) or Text(f"卡片返回错误 {sw:04X}", f"Card error {sw:04X}")
        super().__init__(f"{what}: SW {sw:04X}: {self.text.en}", code=f"{sw:04X}")


def select_df_apdu(name: bytes = SSSE_DF_NAME) -> bytes:
    """SELECT by DF name, no FCI wanted."""
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(name)]) + name


def select_ef_apdu(fid: int) -> bytes:
    """SELECT a child EF of the current DF by file ID, no FCI wanted."""
    return bytes([0x00, 0xA4, 0x02, 0x0C, 0x02]) + fid.to_bytes(2, "big")


def read_record_apdu(number: int, le: int = 0) -> bytes:
    """READ RECORD ``number`` of the current EF (P2 = 04: by number); Le 0 means "up to 256"."""
    return bytes([0x00, 0xB2, number, 0x04, le])


def verify_apdu(pin: bytes) -> bytes:
    """VERIFY the holder PIN (reference 00)."""
    return bytes([0x00, 0x20, 0x00, 0x00, len(pin)]) + pin


class SsCardProfile:
    """Reads a social security card through ``transmit``. ``pin`` (digits) is verified before EF06 if set."""

    def __init__(self, transmit: Transmit, *, pin: str = "", max_records: int = MAX_RECORDS) -> None:
        self._transmit = transmit
        self._pin = encode_bcd(pin) if pin else b""
        self._max_records = max_records

    def exchange(self, apdu: bytes) -> tuple[bytes, int]:
        """One command with the T=0 follow-ups: 61xx -> GET RESPONSE, 6Cxx -> the same command with Le = xx."""
        data, sw = self._transmit(apdu)
        for _ in range(8):  # a card chaining its answer forever must not hold the reader
            if (sw & 0xFF00) == 0x6C00 and len(apdu) == 5:  # only a case-2 command carries a lone Le
                apdu = apdu[:4] + bytes([sw & 0xFF])
                data, sw = self._transmit(apdu)
            elif (sw & 0xFF00) == 0x6100:
                more, sw = self._transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]))
                data += more
            else:
                return data, sw
        raise ProtocolError(f"card keeps answering {sw:04X} to {apdu[:4].hex()}")

    def _check(self, apdu: bytes, what: str, *ok: int) -> bytes:
        data, sw = self.exchange(apdu)
        if sw not in (ok or (SW_OK,)):
            raise CardStatusError(sw, what)
        return data

    def read_file(self, fid: int) -> dict[int, bytes]:
        """Every TLV of EF ``fid`` (in the selected DF) by tag; the first of a repeated tag wins."""
        self._check(select_ef_apdu(fid), f"select EF {fid:04X}")
        values: dict[int, bytes] = {}
        for number in range(1, self._max_records + 1):
            data, sw = self.exchange(read_record_apdu(number))
            if sw == SW_RECORD_NOT_FOUND:
                break
            if sw not in (SW_OK, SW_EOF_BEFORE_LE):
                raise CardStatusError(sw, f"read EF {fid:04X} record {number}")
            for item in parse_tlvs(data):
                values.setdefault(item.tag, item.value)
        return values

    def read_raw(self) -> tuple[dict[int, bytes], dict[int, bytes]]:
        """The TLVs of EF05 and EF06."""
        self._check(select_df_apdu(), "select SSSE")
        card = self.read_file(EF05)
        if self._pin:
            self._check(verify_apdu(self._pin), "verify PIN")
            self._check(select_df_apdu(), "select SSSE")  # some cards drop the EF context on VERIFY
        holder = self.read_file(EF06)
        return card, holder

    def read_identity(self, today: date | None = None) -> Identity:
        """The holder's identity (source "sscard"); ProtocolError when the card's data is not usable."""
        card, holder = self.read_raw()
        return identity_from_records(card, holder, today)


def _sex(value: bytes) -> str:
    # Specified as "an 1" (ASCII "1"/"2"); some issuers write the binary code. Accept both.
    if len(value) == 1 and chr(value[0]) in "0129":
        return chr(value[0])
    if len(value) == 1 and value[0] in (0, 1, 2, 9):
        return str(value[0])
    raise ProtocolError("sex code on the card is not 0/1/2/9")


def _nation(value: bytes) -> str:
    # Specified as "cn 1" (BCD, 0x01 = 汉); two ASCII digits are accepted too.
    if len(value) == 2 and value.isascii() and value.isdigit():
        return value.decode()
    digits = decode_bcd(value, field="nation")
    if len(digits) != 2:
        raise ProtocolError("nation code on the card is not two digits")
    return digits


def _yyyymmdd(day: date) -> str:
    return day.isoformat().replace("-", "")  # isoformat pads the year to four digits; strftime does not


def identity_from_records(card: dict[int, bytes], holder: dict[int, bytes], today: date | None = None) -> Identity:
    """The identity in EF05 (``card``) and EF06 (``holder``) TLVs by tag."""
    missing = [f"{tag:02X}" for tag in HOLDER_TAGS if tag not in holder]
    if missing:
        raise ProtocolError(f"EF06 lacks tags {', '.join(missing)}")
    id_number = decode_text(holder[TAG_SSN], encoding="ascii", field="social security number")
    check = validate_id_number(id_number, today)
    if not check.ok:
        raise ProtocolError(f"the card's social security number is not a valid ID number ({check.reason})")
    name = decode_text(holder[TAG_NAME], encoding="gbk", field="name")
    if not name:
        raise ProtocolError("the card gives no name")
    fields = {
        "name": name,
        "id_number": id_number,
        "sex": _sex(holder[TAG_SEX]),
        "nation": _nation(holder[TAG_NATION]),
        "birth_date": _yyyymmdd(decode_bcd_date(holder[TAG_BIRTH_DATE], field="birth date")),
    }
    # Issue date and expiry are the card's validity; absent on some issuers' cards.
    if TAG_ISSUED in card:
        fields["valid_from"] = _yyyymmdd(decode_bcd_date(card[TAG_ISSUED], field="issue date"))
    if TAG_EXPIRES in card:
        fields["valid_to"] = _yyyymmdd(decode_bcd_date(card[TAG_EXPIRES], field="expiry date"))
    try:
        return identity_from_card(fields, source="sscard")
    except IdentityError as exc:
        raise ProtocolError(f"card data not usable: {exc}") from None
