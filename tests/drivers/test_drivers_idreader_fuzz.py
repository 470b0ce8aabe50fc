"""Random and corrupted bytes into every ID card parser: only ProtocolError (a DriverError) comes out, and
every call returns (no loop without progress, no hang on a real pty)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.base import DriverError, ProtocolError, device_thread
from drivers.id_reader.facade import SamIdReader
from drivers.id_reader.protocol import frames
from drivers.id_reader.protocol.frames import FrameReader
from drivers.id_reader.protocol.text_block import (
    FIELDS,
    TEXT_LEN,
    build_read_data,
    decode_text_block,
    encode_text_block,
    identity_from_read_data,
)
from drivers.id_reader.simulator import SAMPLE_CARDS, SAMPLE_PHOTO, SamSimulator
from kiosk.identity import Identity

FAST = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
NORMAL = dict(SAMPLE_CARDS["normal"].fields)
READ_FRAME = frames.build_response(frames.SW3_OK, build_read_data(NORMAL, SAMPLE_PHOTO))


def drain(reader: FrameReader) -> list[bytes]:
    """Every body the reader gives until it needs more bytes; ProtocolErrors are skipped like the driver does.

    Each call must consume input, so the number of calls is bounded by the bytes fed: more means a loop.
    """
    bodies: list[bytes] = []
    for _ in range(reader.buffered + 2):
        try:
            body = reader.next_body()
        except ProtocolError:
            continue
        if body is None:
            return bodies
        bodies.append(body)
    raise AssertionError("FrameReader made no progress")


@FAST
@given(chunks=st.lists(st.binary(max_size=64), max_size=20))
def test_random_bytes_never_escape_as_anything_but_protocol_error(chunks: list[bytes]) -> None:
    reader = FrameReader()
    for chunk in chunks:
        reader.feed(chunk)
        for body in drain(reader):
            response = frames.parse_response(body)  # a random frame with a good checksum is still a frame
            assert len(response.data) == len(body) - 3


@FAST
@given(body=st.binary(min_size=3, max_size=300), noise=st.binary(max_size=40), cut=st.integers(0, 400))
def test_any_frame_survives_noise_and_any_split(body: bytes, noise: bytes, cut: int) -> None:
    noise = noise.replace(b"\xaa", b"")  # noise that cannot start a preamble
    wire = noise + frames.build_frame(body)
    reader = FrameReader()
    reader.feed(wire[:cut])
    first = drain(reader)
    reader.feed(wire[cut:])
    assert first + drain(reader) == [body]


@FAST
@given(data=st.data())
def test_a_corrupted_byte_inside_a_frame_is_always_detected(data: st.DataObject) -> None:
    frame = bytearray(frames.build_response(frames.SW3_OK, data.draw(st.binary(min_size=1, max_size=300))))
    position = data.draw(st.integers(7, len(frame) - 1))  # body or checksum: both are covered by the XOR
    frame[position] ^= data.draw(st.integers(1, 255))
    reader = FrameReader()
    reader.feed(bytes(frame))
    with pytest.raises(ProtocolError, match="checksum"):
        reader.next_body()


@FAST
@given(body=st.binary(max_size=20))
def test_short_bodies(body: bytes) -> None:
    if len(body) >= 3:
        assert frames.parse_response(body).data == body[3:]
    else:
        with pytest.raises(ProtocolError, match="too short"):
            frames.parse_response(body)
    if len(body) >= 2:
        assert frames.parse_command(body).data == body[2:]
    else:
        with pytest.raises(ProtocolError, match="too short"):
            frames.parse_command(body)


@FAST
@given(block=st.binary(min_size=TEXT_LEN, max_size=TEXT_LEN))
def test_random_text_blocks(block: bytes) -> None:
    try:
        fields = decode_text_block(block)
    except ProtocolError:
        return
    assert set(fields) == {name for name, _, _ in FIELDS}


@FAST
@given(data=st.data())
def test_random_field_values_give_an_identity_or_protocol_error(data: st.DataObject) -> None:
    fields = dict(NORMAL)
    for name, _, size in FIELDS:
        if data.draw(st.booleans()):
            fields[name] = data.draw(
                st.text(max_size=size // 2).filter(lambda t, size=size: len(t.encode("utf-16-le")) <= size)
            )
    raw = build_read_data_or_none(fields)
    if raw is None:
        return
    try:
        identity = identity_from_read_data(raw)
    except ProtocolError:
        return
    assert isinstance(identity, Identity) and identity.source == "id_card"


def build_read_data_or_none(fields: dict[str, str]) -> bytes | None:
    try:
        encode_text_block(fields)
    except ValueError:
        return None
    return build_read_data(fields, SAMPLE_PHOTO)


@FAST
@given(data=st.data())
def test_corrupted_read_answers(data: st.DataObject) -> None:
    raw = bytearray(build_read_data(NORMAL, SAMPLE_PHOTO))
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    raw = raw[: data.draw(st.integers(0, len(raw)))] if data.draw(st.booleans()) else raw
    try:
        outcome: object = identity_from_read_data(bytes(raw))
    except ProtocolError as exc:
        outcome = exc
    assert isinstance(outcome, Identity | ProtocolError)


@pytest.fixture(scope="module")
def pty_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SamSimulator, SamIdReader]]:
    sim = SamSimulator(link=Path(tmp_path_factory.mktemp("fuzz")) / "ttyFUZZ")
    sim.start()
    reader = SamIdReader(sim.path, timeout_s=0.1)
    with device_thread(reader):  # the test owns the reader: its calls run on the test's thread
        reader.open()
    yield sim, reader
    with device_thread(reader):
        reader.close()
    sim.stop()


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=st.one_of(st.binary(max_size=1400), st.sampled_from([READ_FRAME[:-1], READ_FRAME[1:], READ_FRAME])))
def test_real_port_with_random_answers_gives_driver_errors_in_bounded_time(
    pty_pair: tuple[SamSimulator, SamIdReader], answer: bytes
) -> None:
    sim, reader = pty_pair
    sim.respond = lambda command: (
        answer if command.cmd == 0x30 else frames.build_response(0x9F if command.para == 1 else 0x90)
    )
    started = time.monotonic()
    try:
        with device_thread(reader):
            reader.read_card()
    except DriverError:
        pass
    finally:
        sim.respond = None
    assert time.monotonic() - started < 0.1 + 0.3
