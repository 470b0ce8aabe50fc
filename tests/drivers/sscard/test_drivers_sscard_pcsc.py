"""The PC/SC backend against a real pcscd with a vicc virtual social security card: a full read, the card
pulled (vicc killed) and frozen mid-read, readers that do not match, card events, and a pcscd restart seen
through a DeviceRunner, a StatusSink and a real Store (offline fault raised, then cleared)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from drivers.base import DeviceGone, DeviceTimeout, NoMedium, device_thread
from drivers.runner import DeviceRunner
from drivers.sscard_reader.facade import PcscCardReader
from drivers.sscard_reader.factory import open_from_config
from drivers.sscard_reader.protocol.profile import EF05, EF06, read_record_apdu, select_df_apdu, select_ef_apdu
from drivers.sscard_reader.simulator import SAMPLE_CITIZEN, SimulatedSsCard
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store
from tests.waiting import wait_until

# vpcd's two readers and the TCP ports their virtual cards connect to (see conftest.py).
READER_0, PORT_0 = "Virtual PCD 00 00", 35963
READER_1, PORT_1 = "Virtual PCD 00 01", 35964

Card = Any  # conftest.VirtualCard (conftest modules cannot be imported under --import-mode=importlib)
Cards = Callable[..., Card]

# The tests own the readers they make (no runner, unless a test starts one): their I/O runs on the test's thread.
pytestmark = pytest.mark.usefixtures("own_devices")


def inserted(reader: PcscCardReader, card: Card) -> Card:
    """Wait until pcscd sees ``card`` in ``reader``."""
    card.wait_for_line("card inserted")
    wait_until(reader.card_present, 10, f"card in {reader.reader_match}")
    return card


@pytest.fixture
def reader(pcscd: Any, own_devices: None) -> Iterator[PcscCardReader]:
    device = PcscCardReader(READER_0, timeout_s=3.0)
    device.open()
    yield device
    device.close()


def test_reads_the_identity_from_the_card(reader: PcscCardReader, cards: Cards) -> None:
    assert reader.read_card() is None  # no card yet
    inserted(reader, cards(PORT_0))
    identity = reader.read_card()
    assert identity is not None
    assert (identity.name, identity.id_number, identity.source) == ("高示范", SAMPLE_CITIZEN.id_number, "sscard")
    assert (identity.sex, identity.nation, identity.birth_date) == ("1", "01", date(2001, 11, 11))
    assert identity.valid_to == date(2031, 3, 15)
    status = reader.status()
    assert status.state == DeviceState.OK
    assert status.detail == {"reader": READER_0, "card_present": True}
    result = reader.self_test()
    assert result.ok and ("select_ssse", True, "9000") in result.steps


def test_reader_chosen_by_name_part(pcscd: Any, cards: Cards) -> None:
    second = PcscCardReader("pcd 00 01", timeout_s=3.0)
    second.open()
    assert second.reader_name == READER_1
    inserted(second, cards(PORT_1))
    identity = second.read_card()
    assert identity is not None and identity.name == "高示范"
    second.close()
    with pytest.raises(DeviceGone, match="no PC/SC reader matching 'Feitian'"):
        PcscCardReader("Feitian").open()


def test_card_pulled_mid_read_is_no_medium(reader: PcscCardReader, cards: Cards) -> None:
    card = inserted(reader, cards(PORT_0, "--announce", "--delay", "0.05"))
    outcome: Future = Future()
    threading.Thread(target=lambda: _settle(outcome, reader.read_card), daemon=True).start()
    card.wait_for_line("apdu 5")  # the read is under way: select DF, select EF05, records 1..3
    card.kill()  # the card leaves the field before it answers
    with pytest.raises(NoMedium, match=r"taken out|stopped answering"):
        outcome.result(timeout=5)
    wait_until(lambda: not reader.card_present(), 5, "card gone")
    assert reader.read_card() is None
    inserted(reader, cards(PORT_0))  # a card put back reads normally
    identity = reader.read_card()
    assert identity is not None and identity.id_number == SAMPLE_CITIZEN.id_number


def test_frozen_card_times_out_and_the_reader_recovers(reader: PcscCardReader, cards: Cards) -> None:
    card = inserted(reader, cards(PORT_0, "--announce", "--delay", "0.2"))
    outcome: Future = Future()
    started = time.monotonic()
    threading.Thread(target=lambda: _settle(outcome, lambda: reader.read_card(timeout_s=2.0)), daemon=True).start()
    card.wait_for_line("apdu 3")
    card.signal(signal.SIGSTOP)  # frozen before it answers; pcscd and vpcd wait for it with no limit
    with pytest.raises(DeviceTimeout, match="transmit did not return in time"):
        outcome.result(timeout=5)
    assert 1.9 < time.monotonic() - started < 2.6
    card.signal(signal.SIGCONT)
    card.kill()
    wait_until(lambda: not reader.card_present(), 5, "frozen card gone")
    inserted(reader, cards(PORT_0))
    identity = reader.read_card()  # a fresh PC/SC context: the stuck call was left behind
    assert identity is not None


def test_watch_reports_card_events(reader: PcscCardReader, cards: Cards) -> None:
    events: list[bool] = []
    reader.on_card = events.append

    def watch_until(expected: list[bool]) -> None:
        deadline = time.monotonic() + 10
        while events != expected:
            assert time.monotonic() < deadline, f"events {events}, expected {expected}"
            reader.watch(0.2)

    watch_until([])  # learns the current state: no card, no event
    reader.watch(0.2)
    assert events == []
    card = cards(PORT_0)
    watch_until([True])
    card.kill()
    watch_until([True, False])


def test_pcscd_restart_raises_and_clears_the_offline_fault(pcscd: Any, cards: Cards, tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    reader = open_from_config(DeviceSection(transport="pcsc", address="PCD 00 00", timeout_s=3.0))
    assert isinstance(reader, PcscCardReader)
    runner = DeviceRunner(reader, StatusSink(store), poll_s=0.2, backoff_max_s=0.4)
    runner.start()

    def state() -> DeviceState | None:
        status = store.device_statuses().get("sscard_reader")
        return status.state if status else None

    try:
        card = cards(PORT_0)  # reconnects to vpcd by itself after the restart
        card.wait_for_line("card inserted")
        wait_until(lambda: state() == DeviceState.OK, 10, "reader OK")
        wait_until(lambda: runner.submit(reader.card_present).result(5), 10, "card present")

        pcscd.stop()  # pcscd, and with it every reader, goes away
        # The sink writes the status, then the fault it implies: wait for both.
        wait_until(lambda: state() == DeviceState.ABSENT and store.open_faults(), 10, "reader ABSENT")
        (fault,) = store.open_faults()
        assert (fault.code, fault.device) == (FaultCode.DEVICE_OFFLINE, "sscard_reader")
        with pytest.raises(DeviceGone):
            runner.submit(reader.read_card).result(5)

        pcscd.start()
        wait_until(lambda: state() == DeviceState.OK and not store.open_faults(), 10, "reader back")
        assert store.open_faults() == []
        assert store.faults_since(0)[0].cleared_at is not None
        card.wait_for_line("card inserted")
        wait_until(lambda: runner.submit(reader.card_present).result(5), 10, "card back")
        identity = runner.submit(reader.read_card).result(10)
        assert identity is not None and identity.name == "高示范"
    finally:
        assert runner.stop()
        store.close()
        if pcscd.process is None:
            pcscd.start()  # leave the session's pcscd running for the other tests


def _settle(future: Future, fn: Callable[[], object]) -> None:
    with device_thread():  # the helper thread the test reads on is the reader's thread meanwhile
        try:
            future.set_result(fn())
        except BaseException as exc:
            future.set_exception(exc)


# Commands a reader sends and a few it should not: the simulated card must answer them as the vicc card does.
VICC_APDUS = [
    select_df_apdu(),
    select_ef_apdu(EF05),
    *(read_record_apdu(n) for n in range(1, 9)),  # past the last record: 6A83
    select_df_apdu(),
    select_ef_apdu(EF06),
    *(read_record_apdu(n) for n in range(1, 8)),
    read_record_apdu(1, le=20),  # exactly the record's length (the ID number's TLV)
    read_record_apdu(1, le=4),  # shorter than the record: cut
    select_ef_apdu(0xEF07),  # no such file
    select_df_apdu(b"sx1.sh.other"),  # no such application
]


def test_the_simulated_card_answers_as_the_vicc_card(reader: PcscCardReader, cards: Cards) -> None:
    inserted(reader, cards(PORT_0))
    name = reader.link.find_reader()
    answers = reader.link.with_card(name, time.monotonic() + 10, lambda transmit: [transmit(a) for a in VICC_APDUS])
    simulated = SimulatedSsCard()
    assert answers == [simulated.transmit(a) for a in VICC_APDUS]
