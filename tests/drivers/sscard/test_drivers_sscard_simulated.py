"""The social security card reader on its simulated PC/SC layer (what the demo and the shell's tests use): the
real PcscCardReader and transport, pyscard's constants, card events through a DeviceRunner's watch, a card
pulled mid-read, the reader unplugged and pcscd stopped, seen through a StatusSink and a real Store."""

from __future__ import annotations

import queue
import re
from pathlib import Path

import pytest
from smartcard import scard

from drivers.base import DeviceGone, NoMedium, device_thread
from drivers.runner import DeviceRunner
from drivers.sscard_reader import transport
from drivers.sscard_reader.facade import PcscCardReader
from drivers.sscard_reader.factory import open_from_config
from drivers.sscard_reader.simulator import SAMPLE_CITIZEN, SimulatedPcsc, SimulatedSsCard
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(60)


def test_the_simulated_layer_has_every_call_and_value_the_transport_uses() -> None:
    source = Path(transport.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r"\bs\.(SCard\w+|SCARD_\w+)", source))
    assert used, "the transport's PC/SC names were not found"
    missing = sorted(name for name in used if not hasattr(SimulatedPcsc, name))
    assert not missing, f"SimulatedPcsc lacks {missing}"
    constants = [name for name in vars(SimulatedPcsc) if name.startswith("SCARD_")]
    assert {name: getattr(SimulatedPcsc, name) for name in constants} == {
        name: getattr(scard, name) for name in constants
    }  # pcsc-lite's values, as pyscard has them


def test_reads_the_sample_card_through_the_real_reader() -> None:
    reader = open_from_config(DeviceSection(transport="simulator"), data_dir=None)
    assert isinstance(reader, PcscCardReader)
    with device_thread(reader):
        identity = reader.read_card()
        assert identity is not None
        assert (identity.name, identity.id_number, identity.source) == ("高示范", SAMPLE_CITIZEN.id_number, "sscard")
        result = reader.self_test()
        assert result.ok and ("select_ssse", True, "9000") in result.steps
        reader.dispose()


class LeavingCard(SimulatedSsCard):
    """A card that is pulled out of its reader while it answers its ``leave_at``-th command."""

    def __init__(self, pcsc: SimulatedPcsc, leave_at: int) -> None:
        super().__init__()
        self.pcsc, self.leave_at, self.commands = pcsc, leave_at, 0

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.commands += 1
        if self.commands == self.leave_at:
            self.pcsc.remove()
        return super().transmit(apdu)


def test_card_pulled_mid_read_is_no_medium_and_the_next_card_reads() -> None:
    pcsc = SimulatedPcsc()
    reader = PcscCardReader(timeout_s=1.0, scard=pcsc, simulator=pcsc)
    pcsc.insert(LeavingCard(pcsc, leave_at=4))  # select DF, select EF05, record 1, record 2 ...
    with device_thread(reader):
        with pytest.raises(NoMedium, match="taken out"):
            reader.read_card()
        assert reader.read_card() is None
        pcsc.insert()
        assert reader.read_card() is not None
        reader.dispose()


def test_card_events_unplug_and_pcscd_restart_through_a_runner(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    reader = open_from_config(DeviceSection(transport="simulator", options={"card": ""}), data_dir=tmp_path)
    pcsc = reader.simulator
    events: queue.Queue[bool] = queue.Queue()
    reader.on_card = events.put  # told by the runner's watch, on the device thread
    runner = DeviceRunner(reader, StatusSink(store), poll_s=0.1, backoff_max_s=0.2)

    def state() -> DeviceState | None:
        status = store.device_statuses().get("sscard_reader")
        return status.state if status else None

    runner.start()
    try:
        wait_until(lambda: state() == DeviceState.OK, 5, "reader OK")
        assert runner.submit(reader.read_card).result(5) is None
        wait_until(lambda: reader.link.watching, 5, "the runner watching the reader")  # it knows: no card
        pcsc.insert()
        assert events.get(timeout=5) is True
        identity = runner.submit(reader.read_card).result(5)
        assert identity is not None and identity.name == "高示范"
        pcsc.remove()
        assert events.get(timeout=5) is False

        pcsc.unplug()
        wait_until(lambda: state() == DeviceState.ABSENT and store.open_faults(), 5, "reader ABSENT")
        (fault,) = store.open_faults()
        assert (fault.code, fault.device) == (FaultCode.DEVICE_OFFLINE, "sscard_reader")
        pcsc.replug()
        wait_until(lambda: state() == DeviceState.OK and not store.open_faults(), 5, "reader back")

        pcsc.insert()
        pcsc.stop_service()  # pcscd stops: the contexts it gave are gone
        with pytest.raises(DeviceGone):
            runner.submit(reader.read_card).result(5)
        wait_until(lambda: state() == DeviceState.ABSENT and store.open_faults(), 5, "ABSENT without pcscd")
        pcsc.start_service()
        wait_until(lambda: state() == DeviceState.OK and not store.open_faults(), 5, "pcscd back")
        identity = runner.submit(reader.read_card).result(5)
        assert identity is not None and identity.id_number == SAMPLE_CITIZEN.id_number
    finally:
        assert runner.stop()
        store.close()
    assert reader.simulator is None  # disposed of with its runner
