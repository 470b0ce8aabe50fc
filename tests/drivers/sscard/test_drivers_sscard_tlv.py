"""EF05/EF06 TLV records, value codings and the card profile, without pcscd; random bytes into all of them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.base import DeviceGone, DriverError, ProtocolError, device_thread
from drivers.sscard_reader.facade import PcscCardReader
from drivers.sscard_reader.factory import open_from_config
from drivers.sscard_reader.protocol import profile as p
from drivers.sscard_reader.protocol.profile import CardStatusError, SsCardProfile, identity_from_records
from drivers.sscard_reader.protocol.tlv import Tlv, decode_bcd, decode_bcd_date, decode_text, encode_bcd, parse_tlvs
from drivers.sscard_reader.simulator import SAMPLE_CITIZEN, SimulatedPcsc, SimulatedSsCard, ef05_records, ef06_records
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState
from kiosk.identity import Identity

FUZZ = settings(deadline=None, max_examples=300)


def tags(records: list[bytes]) -> dict[int, bytes]:
    return {item.tag: item.value for record in records for item in parse_tlvs(record)}


CARD, HOLDER = tags(ef05_records()), tags(ef06_records())


def test_the_published_card_id_record() -> None:
    record = bytes.fromhex("0110") + b"330300D156000005"  # EF05 record 1 as read from a Zhejiang card
    assert parse_tlvs(record) == [Tlv(0x01, b"330300D156000005")]


def test_several_tlvs_and_trailing_filler() -> None:
    assert parse_tlvs(bytes.fromhex("0A0131 0B0101 FFFF00")) == [Tlv(0x0A, b"1"), Tlv(0x0B, b"\x01")]
    assert parse_tlvs(b"") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("0A", "no length byte"),
        ("0A0531", "says 5 bytes, only 1 follow"),
        ("0A0131 FF 0B0101", "filler byte FF at offset 3 is followed by data"),
    ],
)
def test_truncated_and_garbage_records(data: str, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        parse_tlvs(bytes.fromhex(data))


def test_value_codings() -> None:
    assert decode_text("高示范".encode("gbk") + b"\x00" * 24, field="name") == "高示范"
    assert decode_text(b"150627200111110811\xff\xff", encoding="ascii") == "150627200111110811"
    with pytest.raises(ProtocolError, match="name is not valid GBK"):
        decode_text(b"\x81\x20", field="name")
    with pytest.raises(ProtocolError, match="control"):
        decode_text(b"ab\x07cd")
    assert decode_bcd(bytes.fromhex("150627FF")) == "150627"
    assert decode_bcd_date(bytes.fromhex("20011111")) == date(2001, 11, 11)
    for raw, message in (("2001111A", "BCD"), ("200111", "6 digits"), ("20010230", "real date")):
        with pytest.raises(ProtocolError, match=message):
            decode_bcd_date(bytes.fromhex(raw))
    assert encode_bcd("123") == bytes.fromhex("123F")


def test_identity_from_the_sample_records() -> None:
    identity = identity_from_records(CARD, HOLDER)
    assert (identity.name, identity.id_number, identity.sex, identity.nation) == (
        SAMPLE_CITIZEN.name, SAMPLE_CITIZEN.id_number, "1", "01",
    )  # fmt: skip
    assert identity.birth_date == date(2001, 11, 11)
    assert (identity.valid_from, identity.valid_to) == (date(2021, 3, 15), date(2031, 3, 15))
    assert (identity.address, identity.authority, identity.photo, identity.source) == ("", "", None, "sscard")


@pytest.mark.parametrize(
    ("tag", "value", "field", "expected"),
    [(p.TAG_SEX, b"\x02", "sex", "2"), (p.TAG_SEX, b"9", "sex", "9"), (p.TAG_NATION, b"02", "nation", "02")],
)
def test_alternative_codings_of_sex_and_nation(tag: int, value: bytes, field: str, expected: str) -> None:
    assert getattr(identity_from_records(CARD, {**HOLDER, tag: value}), field) == expected


@pytest.mark.parametrize(
    ("holder", "message"),
    [
        ({p.TAG_SSN: b"150627200111110812"}, "not a valid ID number"),
        ({p.TAG_SEX: b"M"}, "sex code"),
        ({p.TAG_NATION: b"\x77"}, "nation"),
        ({p.TAG_NAME: b"\x00" * 30}, "no name"),
        ({p.TAG_BIRTH_DATE: bytes.fromhex("20011131")}, "birth date"),
    ],
)
def test_unusable_holder_data(holder: dict[int, bytes], message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        identity_from_records(CARD, {**HOLDER, **holder})


def test_missing_tags() -> None:
    with pytest.raises(ProtocolError, match="lacks tags 09"):
        identity_from_records(CARD, {k: v for k, v in HOLDER.items() if k != p.TAG_NAME})
    no_dates = {k: v for k, v in CARD.items() if k not in (p.TAG_ISSUED, p.TAG_EXPIRES)}
    assert identity_from_records(no_dates, HOLDER).valid_to is None


class Recorder:
    """A card behind a transmit that records every APDU; ``script`` overrides answers by command prefix."""

    def __init__(self, card: SimulatedSsCard | None = None, script: dict[bytes, tuple[bytes, int]] | None = None):
        self.card = card or SimulatedSsCard()
        self.script = dict(script or {})
        self.apdus: list[bytes] = []

    def __call__(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdus.append(apdu)
        for prefix, answer in self.script.items():
            if apdu.startswith(prefix):
                return answer
        return self.card.transmit(apdu)


def test_profile_sends_the_documented_apdus() -> None:
    transmit = Recorder()
    identity = SsCardProfile(transmit).read_identity()
    assert identity.name == "高示范"
    assert transmit.apdus[0] == bytes.fromhex("00A4040C0F7378312E73682EC9E7BBE1B1A3D5CF")
    assert transmit.apdus[1] == bytes.fromhex("00A4020C02EF05")
    assert transmit.apdus[2] == bytes.fromhex("00B2010400")
    assert bytes.fromhex("00A4020C02EF06") in transmit.apdus
    assert all(a[2:4] == b"\x04\x0c" or a[2:4] == b"\x02\x0c" for a in transmit.apdus if a[1] == 0xA4)


def test_not_a_social_security_card() -> None:
    transmit = Recorder(script={bytes.fromhex("00A4040C"): (b"", 0x6A82)})
    with pytest.raises(CardStatusError) as info:
        SsCardProfile(transmit).read_identity()
    assert info.value.code == "6A82" and info.value.text.zh.startswith("这不是社会保障卡")
    assert isinstance(info.value, ProtocolError)


def test_pin_needed_and_given() -> None:
    locked = {bytes.fromhex("00A4020C02EF06"): (b"", 0x6982)}
    with pytest.raises(CardStatusError, match="PIN"):
        SsCardProfile(Recorder(script=locked)).read_identity()
    transmit = Recorder()
    SsCardProfile(transmit, pin="888888").read_identity()
    verify = transmit.apdus.index(bytes.fromhex("0020000003888888"))
    assert verify < transmit.apdus.index(bytes.fromhex("00A4020C02EF06"))
    wrong = {bytes.fromhex("00200000"): (b"", 0x63C2)}
    with pytest.raises(CardStatusError, match="2 tries left"):
        SsCardProfile(Recorder(script=wrong), pin="123456").read_identity()


def test_t0_follow_ups_get_response_and_wrong_le() -> None:
    answers = iter([(b"\x01\x02", 0x6102), (b"\x03\x04", 0x9000)])
    chained = Recorder(script={})
    chained.card.transmit = lambda apdu: next(answers)  # type: ignore[method-assign]
    assert SsCardProfile(chained).exchange(bytes.fromhex("00B2010400")) == (b"\x01\x02\x03\x04", 0x9000)
    assert chained.apdus[1] == bytes.fromhex("00C0000002")  # GET RESPONSE for the 2 bytes waiting

    wrong_le = Recorder()
    wrong_le.card.transmit = lambda apdu: (b"", 0x6C05) if apdu[4] == 0 else (b"12345", 0x9000)  # type: ignore[method-assign]
    assert SsCardProfile(wrong_le).exchange(bytes.fromhex("00B2010400")) == (b"12345", 0x9000)
    assert wrong_le.apdus == [bytes.fromhex("00B2010400"), bytes.fromhex("00B2010405")]


def test_endless_chaining_is_cut_off() -> None:
    with pytest.raises(ProtocolError, match="keeps answering 6101"):
        SsCardProfile(lambda apdu: (b"x", 0x6101)).exchange(bytes.fromhex("00B2010400"))


def test_simulated_reader_and_factory() -> None:
    reader = open_from_config(DeviceSection(transport="simulator"), data_dir=None)
    # The real PC/SC reader over a simulated PC/SC layer (it used to be a simulated reader of its own).
    assert isinstance(reader, PcscCardReader) and isinstance(reader.simulator, SimulatedPcsc)
    with device_thread(reader):  # the test owns the reader: no runner
        reader.open()
        assert reader.status().state == DeviceState.OK and reader.status().detail["card_present"] is True
        identity = reader.read_card()
        assert identity is not None and identity.source == "sscard"
        reader.simulator.remove()
        assert reader.read_card() is None
        reader.simulator.unplug()
        with pytest.raises(DeviceGone):
            reader.status()
        reader.dispose()
    empty = open_from_config(DeviceSection(transport="simulator", options={"card": ""}), data_dir=None)
    with device_thread(empty):
        assert empty.read_card() is None
        empty.dispose()
    with pytest.raises(DriverError, match="not supported"):
        open_from_config(DeviceSection(transport="serial"), data_dir=None)


# -- bad bytes -------------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_into_the_tlv_parser(data: bytes) -> None:
    try:
        items = parse_tlvs(data)
    except ProtocolError:
        return
    assert sum(2 + len(item.value) for item in items) <= len(data)


def _records(draw: Callable, good: list[bytes]) -> list[bytes]:
    records = list(good)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(records) - 1))
        raw = bytearray(records[i])
        kind = draw(st.sampled_from(["flip", "cut", "random"]))
        if kind == "flip" and raw:
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        elif kind == "cut":
            raw = raw[: draw(st.integers(0, len(raw)))]
        else:
            raw = bytearray(draw(st.binary(max_size=40)))
        records[i] = bytes(raw)
    return records


@FUZZ
@given(data=st.data())
def test_corrupted_cards_give_an_identity_or_a_protocol_error(data: st.DataObject) -> None:
    card = SimulatedSsCard()
    card.files = {p.EF05: _records(data.draw, ef05_records()), p.EF06: _records(data.draw, ef06_records())}
    try:
        outcome: object = SsCardProfile(card.transmit).read_identity()
    except ProtocolError as exc:
        outcome = exc
    assert isinstance(outcome, Identity | ProtocolError)


@FUZZ
@given(answers=st.lists(st.tuples(st.binary(max_size=40), st.integers(0, 0xFFFF)), min_size=1, max_size=60))
def test_random_card_answers_give_only_driver_errors_in_bounded_exchanges(answers: list[tuple[bytes, int]]) -> None:
    sent: list[bytes] = []

    def transmit(apdu: bytes) -> tuple[bytes, int]:
        sent.append(apdu)
        return answers[(len(sent) - 1) % len(answers)]

    with contextlib.suppress(DriverError):  # anything else fails the test
        SsCardProfile(transmit).read_identity()
    # 3 selects + 2 files x 16 records, each with at most 8 follow-ups: nothing loops for ever.
    assert len(sent) <= (3 + 2 * p.MAX_RECORDS) * 9
