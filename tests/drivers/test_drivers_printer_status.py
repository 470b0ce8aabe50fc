"""DLE EOT replies -> PrinterStatus -> DeviceStatus, with the fixed-bit check and the fault mapping."""

from __future__ import annotations

import pytest

from drivers.base import DeviceTimeout, ProtocolError
from drivers.printer.protocol import status as st
from drivers.printer.simulator import STATES
from kiosk.devices import DeviceState
from kiosk.faults import FaultCode as F

pytestmark = pytest.mark.timeout(30)

# state -> (device state, faults) for a receipt printer and for a ticket dispenser
EXPECTED = {
    "ok": (DeviceState.OK, set(), set()),
    "near_end": (DeviceState.DEGRADED, {F.PAPER_NEAR_END}, {F.PAPER_NEAR_END}),
    "paper_out": (DeviceState.FAULT, {F.PAPER_OUT}, {F.PAPER_OUT}),
    "cover_open": (DeviceState.FAULT, {F.COVER_OPEN}, {F.COVER_OPEN}),
    "cutter_error": (DeviceState.FAULT, {F.CUTTER_ERROR}, {F.JAM}),
    "paper_jam": (DeviceState.FAULT, {F.DEVICE_ERROR}, {F.JAM}),
    "unrecoverable": (DeviceState.FAULT, {F.DEVICE_ERROR}, {F.DEVICE_ERROR}),
    "overheated": (DeviceState.FAULT, {F.DEVICE_OFFLINE}, {F.DEVICE_OFFLINE}),
}


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_each_simulated_state_maps_to_its_faults(state: str) -> None:
    replies = STATES[state]
    assert replies is not None
    parsed = st.parse_replies(replies[0])
    device_state, receipt_faults, ticket_faults = EXPECTED[state]
    receipt = st.to_device_status("printer", parsed, st.RECEIPT_FAULTS)
    ticket = st.to_device_status("dispenser", parsed, st.TICKET_FAULTS)
    assert (receipt.state, set(receipt.faults)) == (device_state, receipt_faults)
    assert (ticket.state, set(ticket.faults)) == (device_state, ticket_faults)


def test_bits_are_read_as_documented() -> None:
    s = st.parse_replies(bytes([0x1A, 0x36, 0x3A, 0x7E]))
    assert not s.online and s.cover_open and s.paper_out and s.cutter_error and s.unrecoverable_error
    assert s.paper_near_end
    s = st.parse_replies(bytes([0x52, 0x1A, 0x16, 0x12]))  # n=2 bit 3: paper fed by the button, no error
    assert s.online and s.feed_button and not s.cover_open and s.recoverable_error and not s.paper_out


@pytest.mark.parametrize("bad", [0x00, 0xFF, 0x13, 0x92, 0x10, 0x02, 0x93])
def test_a_byte_breaking_the_fixed_bits_is_a_protocol_error(bad: int) -> None:
    for position in range(4):
        replies = bytearray(b"\x12\x12\x12\x12")
        replies[position] = bad
        with pytest.raises(ProtocolError):
            st.parse_replies(bytes(replies))


def test_wrong_reply_count_is_a_protocol_error() -> None:
    for replies in (b"", b"\x12", b"\x12" * 5):
        with pytest.raises(ProtocolError):
            st.parse_replies(replies)


class ScriptedTransport:
    """A transport answering with given bytes (for the query's timing and framing only)."""

    def __init__(self, answer: bytes) -> None:
        self.answer = bytearray(answer)
        self.written = b""
        self.drained = 0

    def write(self, data: bytes) -> None:
        self.written += data

    def read(self, n: int, timeout_s: float) -> bytes:
        out, self.answer = bytes(self.answer[:1]), self.answer[1:]  # one byte at a time: framing must cope
        return out

    def drain(self) -> None:
        self.drained += 1


def test_query_sends_four_dle_eot_and_drains_first() -> None:
    t = ScriptedTransport(b"\x12\x12\x12\x1e")
    assert st.query(t, 0.5).paper_near_end
    assert t.written == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04" and t.drained == 1


def test_silence_and_a_partial_reply_are_timeouts_never_ok() -> None:
    with pytest.raises(DeviceTimeout):
        st.query(ScriptedTransport(b""), 0.05)
    with pytest.raises(DeviceTimeout):
        st.query(ScriptedTransport(b"\x12\x12"), 0.05)


def test_gs_r_paper_sensor_reply() -> None:
    assert st.parse_paper_sensor(0x00) == (False, False)
    assert st.parse_paper_sensor(0x03) == (True, False)
    assert st.parse_paper_sensor(0x0F) == (True, True)
    for bad in (0x10, 0x80, 0xFF):
        with pytest.raises(ProtocolError):
            st.parse_paper_sensor(bad)
