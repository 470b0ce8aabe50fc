"""The A4 printer as the kiosk runs it: built from its config section by the registry, on its own device thread,
its status in a real Store with the faults raised and cleared, the health rules' ``no_certificates`` effect and
the certificate services' availability following the paper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.document_printer.simulator import CupsSimulator
from drivers.registry import open_devices, stop_all
from kiosk.certificates import (
    AVAILABLE,
    NO_A4_PAPER,
    NO_PRINTER_HERE,
    PRINTER_OUT_OF_ORDER,
    Availability,
    certificate_availability,
)
from kiosk.config import DeviceSection, DevicesSection, HealthSection
from kiosk.devices import DeviceKind, DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.health import EFFECT_NO_CERTIFICATES, HealthRules, collect_metrics
from kiosk.store import Store
from tests.drivers.a4.pdfs import certificate_pdf, pdf_text
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(120)
OFF = DeviceSection(enabled=False)
KIND = DeviceKind.DOCUMENT_PRINTER


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()


def devices(a4: DeviceSection) -> DevicesSection:
    off = {"printer": OFF, "id_reader": OFF, "sscard_reader": OFF, "dispenser": OFF, "scanner": OFF, "camera": OFF}
    return DevicesSection(**off, document_printer=a4)


def open_codes(store: Store) -> set[str]:
    return {f.code for f in store.open_faults() if f.device == KIND.value}


def effects(store: Store, tmp_path: Path) -> frozenset[str]:
    metrics = collect_metrics(store, now=0.0, data_dir=tmp_path, started_at=0.0)
    return HealthRules.from_config(HealthSection()).evaluate(metrics).effects


def sink_faults(sink: StatusSink) -> set[str]:
    """The faults of the sink's last report (made after the store was written)."""
    last = sink.last(KIND.value)
    return set() if last is None else {str(f) for f in last.faults}


def reported(sink: StatusSink, state: DeviceState) -> bool:
    """Whether the sink's last report (made after the store was written) is in ``state``."""
    last = sink.last(KIND.value)
    return last is not None and last.state == state


def test_paper_out_raises_its_fault_and_greys_certificates_until_paper_is_back(tmp_path: Path, store: Store) -> None:
    section = DeviceSection(transport="simulator", timeout_s=5.0, poll_s=0.2, options={"follow_poll_s": "0.05"})
    sink = StatusSink(store)
    runners = open_devices(devices(section), sink, data_dir=tmp_path, backoff_max_s=0.4)
    try:
        runner = runners[KIND]
        sim: CupsSimulator = runner.device.simulator
        wait_until(lambda: reported(sink, DeviceState.OK), 10, "the A4 printer to report OK")
        assert certificate_availability(sink.last(KIND.value), effects(store, tmp_path)) == AVAILABLE

        # A certificate printed through the device thread, as the screens will do it.
        data = certificate_pdf("李雷", "参保证明")
        job_id = runner.submit(runner.device.print_pdf, data, "参保证明").result(10)
        assert runner.submit(runner.device.follow_job, job_id).result(60).ok
        printout = sim.output_for(job_id)
        assert printout is not None and printout.parent == tmp_path / "simulator" / "document_printer"
        assert "李雷" in pdf_text(printout)

        sim.set_condition("paper_out")
        wait_until(lambda: sink_faults(sink) == {FaultCode.A4_PAPER_OUT}, 10, "the a4_paper_out fault")
        assert open_codes(store) == {FaultCode.A4_PAPER_OUT}
        assert EFFECT_NO_CERTIFICATES in effects(store, tmp_path)
        availability = certificate_availability(sink.last(KIND.value), effects(store, tmp_path))
        assert availability == Availability(False, NO_A4_PAPER)

        sim.set_condition("door_open")
        wait_until(lambda: sink_faults(sink) == {FaultCode.DOOR_OPEN}, 10, "door_open instead of a4_paper_out")
        assert open_codes(store) == {FaultCode.DOOR_OPEN}
        assert certificate_availability(sink.last(KIND.value), ()).reason == PRINTER_OUT_OF_ORDER

        sim.set_condition("ok")
        wait_until(lambda: reported(sink, DeviceState.OK), 10, "the A4 printer to report OK again")
        assert open_codes(store) == set()
        assert effects(store, tmp_path) == frozenset()
        assert certificate_availability(sink.last(KIND.value), ()) == AVAILABLE
    finally:
        assert stop_all(runners)
    assert sim.run_dir is None  # stopping the runner stopped its scheduler


def test_a_scheduler_that_goes_away_is_offline_and_found_again(tmp_path: Path, store: Store) -> None:
    section = DeviceSection(transport="simulator", timeout_s=5.0, poll_s=0.2)
    sink = StatusSink(store)
    runners = open_devices(devices(section), sink, data_dir=tmp_path, backoff_max_s=0.4)
    try:
        runner = runners[KIND]
        sim: CupsSimulator = runner.device.simulator
        wait_until(lambda: reported(sink, DeviceState.OK), 10, "the A4 printer to report OK")
        sim.stop_daemon()
        wait_until(lambda: reported(sink, DeviceState.ABSENT), 10, "the A4 printer to be reported absent")
        assert open_codes(store) == {FaultCode.DEVICE_OFFLINE}
        assert EFFECT_NO_CERTIFICATES in effects(store, tmp_path)
        sim.start_daemon()
        wait_until(lambda: reported(sink, DeviceState.OK), 10, "the A4 printer to come back")
        assert open_codes(store) == set()
    finally:
        assert stop_all(runners)


def test_a_kiosk_without_the_a4_printer_offers_no_certificates(tmp_path: Path, store: Store) -> None:
    sink = StatusSink(store)
    assert open_devices(devices(OFF), sink, data_dir=tmp_path) == {}
    assert store.device_statuses()[KIND.value].state == DeviceState.DISABLED
    assert EFFECT_NO_CERTIFICATES in effects(store, tmp_path)
    assert certificate_availability(sink.last(KIND.value), ()) == Availability(False, NO_PRINTER_HERE)


def test_a_printer_that_cannot_be_built_is_absent_with_the_reason(tmp_path: Path, store: Store) -> None:
    bad = DeviceSection(transport="cups", address="A4", options={"server": "localhost:notaport"})
    assert open_devices(devices(bad), StatusSink(store), data_dir=tmp_path) == {}
    status = store.device_statuses()[KIND.value]
    assert status.state == DeviceState.ABSENT and "host:port" in status.detail["message"]
    assert open_codes(store) == {FaultCode.DEVICE_OFFLINE}
