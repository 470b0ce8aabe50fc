"""The SAM ID card reader's serial backend against the simulator on a real pty: every sample card, errors,
timeouts, unplug and replug, and status reported through a DeviceRunner into a real Store."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from drivers.base import DeviceGone, DeviceTimeout, DriverError, ProtocolError
from drivers.id_reader.facade import SamIdReader
from drivers.id_reader.factory import open_from_config
from drivers.id_reader.protocol.frames import SamStatusError
from drivers.id_reader.simulator import SAMPLE_PHOTO, SamSimulator
from drivers.runner import DeviceRunner
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store
from tests.waiting import wait_until

# The tests own the readers they make (no runner, unless a test starts one): their I/O runs on the test's thread.
pytestmark = pytest.mark.usefixtures("own_devices")

TIMEOUT_S = 0.5


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SamSimulator]:
    simulator = SamSimulator(link=tmp_path / "ttyIDR")
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def reader(sim: SamSimulator, own_devices: None) -> Iterator[SamIdReader]:
    device = SamIdReader(sim.path, timeout_s=TIMEOUT_S)
    device.open()
    yield device
    device.close()


def test_normal_card_reads_every_field(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("normal")
    identity = reader.read_card()
    assert identity is not None
    assert (identity.name, identity.id_number, identity.source) == ("李示例", "150602198503151236", "id_card")
    assert identity.birth_date == date(1985, 3, 15)
    assert identity.valid_to == date(2035, 6, 1)
    assert identity.photo == SAMPLE_PHOTO
    assert [(c.cmd, c.para) for c in sim.commands] == [(0x20, 0x01), (0x20, 0x02), (0x30, 0x01)]


def test_long_term_card(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("long_term")
    identity = reader.read_card()
    assert identity is not None
    assert identity.long_term and identity.valid_to is None
    assert (identity.name, identity.sex, identity.nation) == ("乌云其其格", "2", "02")


def test_check_digit_x(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("x_check_digit")
    identity = reader.read_card()
    assert identity is not None and identity.id_number.endswith("X")


def test_no_card_is_none_at_once(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert(None)
    started = time.monotonic()
    assert reader.read_card() is None
    assert time.monotonic() - started < TIMEOUT_S / 2
    assert [(c.cmd, c.para) for c in sim.commands] == [(0x20, 0x01)]


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ("malformed", "card data has 1260 bytes"),
        ("bad_checksum", "checksum"),
        ("bad_id_number", "ID number is not valid"),
    ],
)
def test_bad_cards_are_protocol_errors_and_the_next_card_reads(
    sim: SamSimulator, reader: SamIdReader, card: str, message: str
) -> None:
    sim.insert(card)
    with pytest.raises(ProtocolError, match=message):
        reader.read_card()
    sim.insert("long_term")
    identity = reader.read_card()
    assert identity is not None and identity.long_term


def test_card_pulled_mid_read_times_out_then_the_reader_recovers(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("pulled")
    started = time.monotonic()
    with pytest.raises(DeviceTimeout, match=r"647 of 1295 bytes"):
        reader.read_card()
    assert time.monotonic() - started < TIMEOUT_S + 0.3
    assert reader.read_card() is None  # the card is gone
    sim.insert("normal")
    identity = reader.read_card()  # the half answer left in the port does not confuse the next one
    assert identity is not None and identity.name == "李示例"


def test_line_noise_before_answers_is_skipped(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.noise = b"\x00\xff\xaa\xaa\x96garbage"
    sim.insert("normal")
    identity = reader.read_card()
    assert identity is not None and identity.photo == SAMPLE_PHOTO


def test_silent_reader_times_out_within_the_bound(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("normal")
    sim.silent = True
    for call, bound in ((lambda: reader.read_card(timeout_s=0.2), 0.2), (reader.status, TIMEOUT_S)):
        started = time.monotonic()
        with pytest.raises(DeviceTimeout, match="no answer"):
            call()
        assert bound - 0.01 <= time.monotonic() - started < bound + 0.3


def test_status_and_self_test(sim: SamSimulator, reader: SamIdReader) -> None:
    status = reader.status()
    assert status.state == DeviceState.OK and not status.faults
    result = reader.self_test()
    assert result.ok and result.detail["sam_id"] == sim.sam_id.hex().upper()
    sim.sam_status = 0x60
    status = reader.status()
    assert status.state == DeviceState.FAULT
    assert status.faults == {FaultCode.SAM_ERROR}
    assert not reader.self_test().ok


def test_sam_read_failure_is_a_clear_status_error(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("read_error")
    with pytest.raises(SamStatusError) as info:
        reader.read_card()
    assert info.value.code == "41" and "读证件失败" in info.value.text.zh


def test_unplug_gives_device_gone_and_replug_works(sim: SamSimulator, reader: SamIdReader) -> None:
    sim.insert("normal")
    sim.stop()
    with pytest.raises(DeviceGone):
        reader.status()
    with pytest.raises(DeviceGone):
        reader.open()  # the port itself is gone
    sim.start()
    reader.open()
    identity = reader.read_card()
    assert identity is not None and identity.name == "李示例"


def test_runner_reports_offline_and_clears_it_after_replug(tmp_path: Path, sim: SamSimulator) -> None:
    store = Store(tmp_path / "kiosk.db")
    sink = StatusSink(store)
    reader = SamIdReader(sim.path, timeout_s=TIMEOUT_S)
    runner = DeviceRunner(reader, sink, poll_s=0.1, backoff_max_s=0.2)
    runner.start()
    try:
        wait_until(lambda: runner.last_status is not None and runner.last_status.state == DeviceState.OK)
        sim.insert("normal")
        identity = runner.submit(reader.read_card).result(timeout=5)
        assert identity is not None and identity.name == "李示例"
        thread = runner.submit(lambda: threading.current_thread().name).result(timeout=5)
        assert thread == "device-id_reader"

        sim.stop()  # unplug
        # The sink writes the status, then the fault it implies: wait for both.
        wait_until(lambda: store.device_statuses()["id_reader"].state == DeviceState.ABSENT and store.open_faults())
        assert [(f.code, f.device) for f in store.open_faults()] == [("device_offline", "id_reader")]

        sim.start()  # plug back in: the runner reopens by itself and the fault clears
        wait_until(lambda: store.device_statuses()["id_reader"].state == DeviceState.OK and not store.open_faults())
        assert store.open_faults() == []
        (fault,) = store.faults_since(0)
        assert fault.cleared_at is not None
        identity = runner.submit(reader.read_card).result(timeout=5)
        assert identity is not None
    finally:
        assert runner.stop()
        store.close()


def test_factory_simulator_and_serial(tmp_path: Path) -> None:
    device = open_from_config(DeviceSection(transport="simulator", timeout_s=0.5, options={"card": "long_term"}))
    try:
        assert isinstance(device, SamIdReader) and device.simulator is not None
        device.open()
        identity = device.read_card()
        assert identity is not None and identity.long_term
        device.simulator.insert(None)
        assert device.read_card() is None
    finally:
        device.dispose()
    with pytest.raises(DeviceGone):
        device.open()  # the simulator's pty is gone

    serial_device = open_from_config(DeviceSection(transport="serial", address=str(tmp_path / "missing")))
    assert isinstance(serial_device, SamIdReader) and serial_device.simulator is None
    with pytest.raises(DeviceGone, match="missing"):
        serial_device.open()
    with pytest.raises(DriverError, match="not supported"):
        open_from_config(DeviceSection(transport="pcsc"))
    with pytest.raises(DriverError, match="address"):
        open_from_config(DeviceSection(transport="serial"))
