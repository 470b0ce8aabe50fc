"""SAM frames and the 30 01 text block: known frames from the field, resync, status codes, field decoding."""

from __future__ import annotations

from datetime import date

import pytest

from drivers.base import DriverError, NoMedium, ProtocolError
from drivers.id_reader.protocol import frames
from drivers.id_reader.protocol.frames import FrameReader, Response, SamNoCard, SamStatusError
from drivers.id_reader.protocol.text_block import (
    TEXT_LEN,
    build_read_data,
    decode_text_block,
    encode_text_block,
    identity_from_read_data,
    split_read_data,
)
from drivers.id_reader.simulator import SAMPLE_CARDS, SAMPLE_PHOTO

NORMAL = dict(SAMPLE_CARDS["normal"].fields)
LONG_TERM = dict(SAMPLE_CARDS["long_term"].fields)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# Frames as published by the reader vendors' sample code (domain-facts §1).
@pytest.mark.parametrize(
    ("command", "wire"),
    [
        (frames.RESET_SAM, "AAAAAA9669 0003 10FF EC"),
        (frames.SAM_STATUS, "AAAAAA9669 0003 11FF ED"),
        (frames.READ_SAM_ID, "AAAAAA9669 0003 12FF EE"),
        (frames.FIND_CARD, "AAAAAA9669 0003 2001 22"),
        (frames.SELECT_CARD, "AAAAAA9669 0003 2002 21"),
        (frames.READ_TEXT_PHOTO, "AAAAAA9669 0003 3001 32"),
    ],
)
def test_command_frames_match_the_published_bytes(command: tuple[int, int], wire: str) -> None:
    assert frames.build_command(*command) == h(wire)
    reader = FrameReader(min_len=frames.MIN_COMMAND_LEN)
    reader.feed(h(wire))
    assert frames.parse_command(reader.next_body()) == frames.Command(*command)


@pytest.mark.parametrize(
    ("wire", "sw3", "data"),
    [
        ("AAAAAA9669 0004 000090 94", 0x90, b""),
        ("AAAAAA9669 0008 00009F 00000000 97", 0x9F, bytes(4)),
        ("AAAAAA9669 000C 000090 0000000000000000 9C", 0x90, bytes(8)),
    ],
)
def test_published_response_frames_parse(wire: str, sw3: int, data: bytes) -> None:
    reader = FrameReader()
    reader.feed(h(wire))
    assert frames.parse_response(reader.next_body()) == Response(0, 0, sw3, data)
    assert frames.build_response(sw3, data) == h(wire)


def test_read_answer_has_the_documented_layout() -> None:
    frame = frames.build_response(frames.SW3_OK, build_read_data(NORMAL, SAMPLE_PHOTO))
    assert len(frame) == 1295
    assert frame[5:7] == h("0508")  # LEN 1288
    assert frame[7:14] == h("000090 0100 0400")  # SW, text length 256, photo length 1024
    assert frame[270:1294] == SAMPLE_PHOTO


def test_reader_takes_a_frame_split_into_single_bytes_after_noise() -> None:
    wire = b"\x00\x13\xaa\xaa" + frames.build_response(0x9F, bytes(4))  # noise holding half a preamble
    reader = FrameReader()
    bodies = []
    for byte in wire:
        reader.feed(bytes([byte]))
        body = reader.next_body()
        if body is not None:
            bodies.append(body)
    assert bodies == [h("00009F00000000")]
    assert reader.skipped == 4
    assert reader.buffered == 0


def test_reader_cuts_two_frames_out_of_one_chunk() -> None:
    reader = FrameReader()
    reader.feed(frames.build_response(0x90) + frames.build_response(0x41))
    assert [frames.parse_response(reader.next_body()).sw3 for _ in range(2)] == [0x90, 0x41]
    assert reader.next_body() is None


def test_bad_checksum_raises_then_the_next_frame_is_read() -> None:
    bad = bytearray(frames.build_response(0x90, b"abc"))
    bad[-1] ^= 0xFF
    reader = FrameReader()
    reader.feed(bytes(bad) + frames.build_response(0x9F))
    with pytest.raises(ProtocolError, match="checksum"):
        reader.next_body()
    assert frames.parse_response(reader.next_body()).sw3 == 0x9F


@pytest.mark.parametrize("length", [0, 1, 3, frames.MAX_LEN + 1, 0xFFFF])
def test_impossible_length_raises_then_resyncs(length: int) -> None:
    reader = FrameReader()
    reader.feed(frames.PREAMBLE + length.to_bytes(2, "big") + frames.build_response(0x90))
    with pytest.raises(ProtocolError, match="length"):
        reader.next_body()
    assert frames.parse_response(reader.next_body()).sw3 == 0x90


def test_incomplete_frame_waits_and_reports_its_size() -> None:
    frame = frames.build_response(0x90, bytes(100))
    reader = FrameReader()
    reader.feed(frame[:50])
    assert reader.next_body() is None
    assert (reader.buffered, reader.expected()) == (50, len(frame))


@pytest.mark.parametrize("sw3", [0x80, 0x81])
def test_find_and_select_failures_are_no_medium(sw3: int) -> None:
    with pytest.raises(NoMedium) as info:
        Response(0, 0, sw3).check(frames.SW3_FOUND)
    assert isinstance(info.value, SamNoCard)
    assert info.value.code == f"{sw3:02X}"
    assert "身份证" in info.value.text.zh or "证件" in info.value.text.zh


def test_status_codes_give_clear_errors() -> None:
    with pytest.raises(SamStatusError) as info:
        Response(0, 0, 0x41).check()
    assert not isinstance(info.value, NoMedium)
    assert info.value.code == "41"
    assert "Reading the card failed" in str(info.value)
    assert info.value.text.zh.startswith("读证件失败")
    assert frames.status_error(0x60).sam_fault and frames.status_error(0x66).sam_fault
    assert not frames.status_error(0x41).sam_fault
    assert "Unknown SAM status 5A" in str(frames.status_error(0x5A))
    with pytest.raises(ProtocolError, match="SW1 SW2 = 01 00"):
        Response(1, 0, 0x90).check()
    assert Response(0, 0, 0x9F).check(frames.SW3_FOUND).sw3 == 0x9F


def test_text_block_round_trip_and_the_published_name_bytes() -> None:
    block = encode_text_block(NORMAL)
    assert len(block) == TEXT_LEN
    assert decode_text_block(block) == NORMAL
    # "18 52 38 6C 20 00" from the field samples: 刘永 padded with spaces.
    raw = bytearray(encode_text_block({**NORMAL, "name": ""}))
    raw[0:6] = h("1852386C2000")
    assert decode_text_block(bytes(raw))["name"] == "刘永"


def test_identity_from_a_normal_card() -> None:
    identity = identity_from_read_data(build_read_data(NORMAL, SAMPLE_PHOTO))
    assert (identity.name, identity.sex, identity.nation) == ("李示例", "1", "01")
    assert identity.birth_date == date(1985, 3, 15)
    assert identity.address == "内蒙古自治区鄂尔多斯市东胜区示例路8号"
    assert identity.id_number == "150602198503151236"
    assert identity.authority == "鄂尔多斯市公安局东胜分局"
    assert (identity.valid_from, identity.valid_to, identity.long_term) == (date(2015, 6, 1), date(2035, 6, 1), False)
    assert identity.source == "id_card"
    assert identity.photo == SAMPLE_PHOTO


def test_long_term_validity() -> None:
    identity = identity_from_read_data(build_read_data(LONG_TERM, SAMPLE_PHOTO))
    assert identity.long_term is True
    assert identity.valid_to is None
    assert identity.nation == "02"
    assert not identity.expired(date(2099, 1, 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id_number": "150602198503151235"}, "check_digit"),
        ({"id_number": "15060219850315123"}, "length"),
        ({"name": ""}, "empty: name"),
        ({"sex": "5"}, "sex"),
        ({"nation": "77"}, "nation"),
        ({"birth_date": "19850230"}, "date"),
        ({"valid_from": "长期"}, "valid_from"),
        ({"valid_to": "2035/6/1"}, "date"),
    ],
)
def test_values_no_genuine_card_holds_are_protocol_errors(change: dict[str, str], message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        identity_from_read_data(build_read_data({**NORMAL, **change}, SAMPLE_PHOTO))


def test_bad_utf16_and_control_characters_are_protocol_errors() -> None:
    raw = bytearray(encode_text_block(NORMAL))
    raw[0:2] = h("00D8")  # a lone high surrogate
    with pytest.raises(ProtocolError, match="name"):
        decode_text_block(bytes(raw))
    raw[0:2] = h("0700")  # BEL
    with pytest.raises(ProtocolError, match="control"):
        decode_text_block(bytes(raw))


def test_read_data_lengths_must_add_up() -> None:
    data = build_read_data(NORMAL, SAMPLE_PHOTO)
    with pytest.raises(ProtocolError, match="1260 bytes"):
        split_read_data(data[:-24])
    with pytest.raises(ProtocolError, match="photo 768"):
        split_read_data(data[:2] + h("0300") + data[4:])
    with pytest.raises(ProtocolError, match="length header"):
        split_read_data(b"\x01")
    with pytest.raises(ProtocolError, match="255 bytes"):
        decode_text_block(bytes(255))
    assert issubclass(ProtocolError, DriverError)
