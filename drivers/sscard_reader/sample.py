"""A fictional social security card's contents, as the records of EF05 and EF06 (for simulators and tests)."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.sscard_reader import profile as p
from drivers.sscard_reader.tlv import encode_bcd, encode_tlv


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
