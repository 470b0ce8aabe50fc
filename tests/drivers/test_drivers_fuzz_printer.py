"""Property tests: random and corrupted input to every parser of the printer, dispenser and scanner drivers.

Only the driver's own error family may come out (ProtocolError / DeviceTimeout / DriverError), never another
exception and never a hang (pytest-timeout bounds every test).
"""

from __future__ import annotations

import socket

import pytest
from evdev import InputEvent, ecodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from drivers.base import DeviceTimeout, DriverError, ProtocolError
from drivers.printer.protocol import status as st
from drivers.printer.protocol.encoder import PAPER_58MM, EscposEncoder, display_width, wrap
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.transport import NetworkTransport
from drivers.scanner.protocol import KEYMAP, ScanDecoder
from drivers.scanner.simulator import events_for_text
from kiosk.languages import has_mongolian
from kiosk.layout import KeyValue, PrintJob, QrCode, TextLine

pytestmark = pytest.mark.timeout(120)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RECEIPT_BYTES = EscposEncoder().encode(
    PrintJob(
        "r",
        (
            TextLine("办件回执（１）", scale=2, bold=True),
            KeyValue("编号", "A-1"),
            QrCode("KSK1|K|A-1|"),
            TextLine("ok"),
        ),
    )
)


@FAST
@given(s.binary(max_size=8))
def test_dle_eot_replies_parse_or_protocol_error(replies: bytes) -> None:
    try:
        result = st.parse_replies(replies)
    except ProtocolError:
        assert len(replies) != 4 or any(b & st.FIXED_MASK != st.FIXED_VALUE for b in replies)
        return
    assert len(replies) == 4 and result.raw == replies
    status = st.to_device_status("printer", result)
    assert status.state in {"ok", "degraded", "fault"}


@FAST
@given(s.integers(min_value=0, max_value=255))
def test_gs_r_reply_parses_or_protocol_error(value: int) -> None:
    try:
        st.parse_paper_sensor(value)
    except ProtocolError:
        assert value & st.GS_R_FIXED_MASK


@SLOW
@given(s.lists(s.binary(min_size=1, max_size=6), max_size=4))
def test_status_query_over_a_real_socket_with_a_rogue_printer(chunks: list[bytes]) -> None:
    """Whatever a rogue printer answers (nothing, too little, too much, noise), only our errors come out."""
    ours, theirs = socket.socketpair()
    transport = NetworkTransport("rogue", 9100, timeout_s=0.05)
    transport._sock = ours  # a connected socket, as open() would leave it
    try:
        for chunk in chunks:
            theirs.sendall(chunk)
        try:
            transport.drain = lambda: None  # keep the rogue bytes: they are the reply under test
            result = st.query(transport, 0.05)
        except (ProtocolError, DeviceTimeout):
            return
        assert len(result.raw) == 4
    finally:
        ours.close()
        theirs.close()


@FAST
@given(s.binary(max_size=2048), s.integers(min_value=1, max_value=64))
def test_simulator_takes_any_bytes_split_anywhere(data: bytes, step: int) -> None:
    sim = PrinterSimulator()
    for i in range(0, len(data), step):
        reply = sim.feed(data[i : i + step])
        assert isinstance(reply, bytes)
    sim.current_page  # noqa: B018  (building the page must not fail either)


@FAST
@given(s.lists(s.tuples(s.integers(0, len(RECEIPT_BYTES) - 1), s.integers(0, 255)), min_size=1, max_size=8))
def test_simulator_takes_a_corrupted_receipt(flips: list[tuple[int, int]]) -> None:
    data = bytearray(RECEIPT_BYTES)
    for pos, value in flips:
        data[pos] = value
    sim = PrinterSimulator()
    sim.feed(bytes(data) + b"\x10\x04\x01")
    for page in sim.pages:
        page.text_lines  # noqa: B018


@FAST
# Mongolian goes as a raster image (no printer font has the script): tests/drivers/test_printer_mongolian.py.
@given(s.text(max_size=120).filter(lambda text: not has_mongolian(text)), s.integers(min_value=1, max_value=4))
def test_any_text_round_trips_through_encoder_and_simulator(text: str, scale: int) -> None:
    enc = EscposEncoder(PAPER_58MM)
    sim = PrinterSimulator(paper=PAPER_58MM)
    sim.feed(enc.encode(PrintJob("t", (TextLine(text, scale=scale),))))
    (page,) = sim.pages
    expected = wrap(text, 32 // scale)
    assert page.text_lines[: len(expected)] == expected
    assert all(display_width(line) <= 32 // scale for line in expected)
    assert sim.decode_errors == 0


_EVENT = s.builds(
    InputEvent,
    s.integers(min_value=0, max_value=2**31),
    s.integers(min_value=0, max_value=999_999),
    s.sampled_from([ecodes.EV_KEY, ecodes.EV_KEY, ecodes.EV_SYN, ecodes.EV_MSC, ecodes.EV_REL, 0x1F]),
    s.one_of(s.sampled_from([*sorted(KEYMAP), ecodes.KEY_ENTER, ecodes.KEY_LEFTSHIFT]), s.integers(-5, 1000)),
    s.integers(min_value=-3, max_value=5),
)


@FAST
@given(s.lists(s.one_of(_EVENT, s.none(), s.integers(), s.text(max_size=3)), max_size=300))
def test_scanner_decoder_takes_any_events(events: list) -> None:
    decoder = ScanDecoder(max_len=20)
    for event in events:
        try:
            code = decoder.feed(event)
        except ProtocolError:
            continue
        assert code is None or (0 < len(code) <= 20)


_TYPABLE = s.text(alphabet=s.sampled_from(sorted({c for pair in KEYMAP.values() for c in pair})), min_size=1)


@FAST
@given(s.lists(_TYPABLE, min_size=1, max_size=5), s.sampled_from(["enter", "tab"]))
def test_scanned_codes_round_trip(codes: list[str], terminator: str) -> None:
    events = [e for code in codes for e in events_for_text(code, terminator=terminator)]
    assert list(ScanDecoder(terminator=terminator).feed_all(events)) == codes


@SLOW
@given(s.text(min_size=1, max_size=8))
def test_untypable_text_is_a_driver_error_only(text: str) -> None:
    try:
        events_for_text(text)
    except DriverError:
        assert any(ord(c) > 0x7E or ord(c) < 0x20 for c in text)
