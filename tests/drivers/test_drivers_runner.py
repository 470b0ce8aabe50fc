"""DeviceRunner and the registry: one device thread, status to a real Store, faults raised and cleared,
unplug/replug through reconnect with backoff."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.base import Device, DeviceGone, SelfTestResult, WrongThread
from drivers.printer.factory import open_from_config
from drivers.registry import open_devices, stop_all
from drivers.runner import DeviceRunner, assert_on_device_thread
from kiosk.config import DeviceSection, DevicesSection
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from kiosk.layout import PrintJob, TextLine
from kiosk.store import Store
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(60)

POLL = 0.1
JOB = PrintJob("t", (TextLine("测试 test"),))


class ManualClock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def open_codes(store: Store, device: str) -> set[str]:
    return {f.code for f in store.open_faults() if f.device == device}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()


@pytest.fixture
def printer_runner(tmp_path: Path, store: Store) -> Iterator[tuple[DeviceRunner, object]]:
    """A simulated printer (real serial backend on a pty) on a started runner reporting to a real Store."""
    printer = open_from_config(DeviceSection(transport="simulator", timeout_s=0.3, poll_s=POLL), data_dir=tmp_path)
    runner = DeviceRunner(printer, StatusSink(store), poll_s=POLL, backoff_max_s=0.4)
    runner.start()
    yield runner, printer.simulator
    assert runner.stop(5.0)


def test_paper_out_raises_the_fault_and_refill_clears_it(printer_runner, store: Store) -> None:
    _runner, sim = printer_runner
    assert wait_until(lambda: store.device_statuses().get("printer", None) is not None)
    assert store.device_statuses()["printer"].state == DeviceState.OK
    sim.set_state("paper_out")
    assert wait_until(lambda: open_codes(store, "printer") == {FaultCode.PAPER_OUT})
    assert store.device_statuses()["printer"].state == DeviceState.FAULT
    sim.set_state("ok")  # refilled
    assert wait_until(lambda: open_codes(store, "printer") == set())
    (fault,) = [f for f in store.faults_since(0) if f.device == "printer"]
    assert fault.code == FaultCode.PAPER_OUT and fault.cleared_at is not None


def test_unplug_raises_offline_and_replug_clears_it(printer_runner, store: Store) -> None:
    runner, sim = printer_runner
    assert wait_until(lambda: runner.last_status is not None and runner.last_status.state == DeviceState.OK)
    sim.unplug()
    assert wait_until(lambda: open_codes(store, "printer") == {FaultCode.DEVICE_OFFLINE})
    assert store.device_statuses()["printer"].state == DeviceState.ABSENT
    sim.replug()
    assert wait_until(lambda: open_codes(store, "printer") == set())
    assert runner.last_status.state == DeviceState.OK
    assert runner.submit(runner.device.print_job, JOB).result(5) is None
    assert sim.pages[-1].body_lines == ["测试 test"]


def test_silent_printer_is_offline_never_ok(printer_runner, store: Store) -> None:
    _runner, sim = printer_runner
    sim.set_state("silent")
    assert wait_until(lambda: open_codes(store, "printer") == {FaultCode.DEVICE_OFFLINE})
    assert store.device_statuses()["printer"].detail["error"] == "DeviceTimeout"
    sim.set_state("ok")
    assert wait_until(lambda: open_codes(store, "printer") == set())


class CountingDevice(Device):
    """A device whose presence a test switches; counts opens (and when, on ``clock``), records the threads it is
    called on."""

    kind = DeviceKind.SCANNER

    def __init__(self, clock: ManualClock | None = None) -> None:
        self.present = True
        self.bug = False
        self.opens = 0
        self.open_times: list[float] = []
        self.threads: set[str] = set()
        self._clock = clock

    def open(self) -> None:
        self.threads.add(threading.current_thread().name)
        self.opens += 1
        if self._clock is not None:
            self.open_times.append(self._clock())
        if not self.present:
            raise DeviceGone("not plugged in")

    def close(self) -> None:
        self.threads.add(threading.current_thread().name)

    def status(self) -> DeviceStatus:
        assert_on_device_thread()
        if self.bug:
            raise ValueError("a bug in the driver")
        if not self.present:
            raise DeviceGone("unplugged")
        return DeviceStatus(self.kind, DeviceState.OK)

    def self_test(self) -> SelfTestResult:
        return SelfTestResult(ok=self.present)


def test_all_device_calls_run_on_the_device_thread(store: Store) -> None:
    dev = CountingDevice()
    runner = DeviceRunner(dev, StatusSink(store), poll_s=POLL, name="dev-scanner")
    runner.start()
    try:
        assert runner.submit(runner.assert_on_device_thread).result(5) is None
        assert runner.submit(threading.current_thread).result(5).name == "dev-scanner"
        with pytest.raises(AssertionError):
            runner.assert_on_device_thread()  # the test thread is not the device thread
        with pytest.raises(AssertionError):
            assert_on_device_thread()
        with pytest.raises(WrongThread, match=r"scanner\.status on 'MainThread'"):
            dev.status()  # the device itself refuses I/O off its thread
        with pytest.raises(ZeroDivisionError):
            runner.submit(lambda: 1 / 0).result(5)  # errors reach the caller, the thread lives on
        assert runner.poll_now().result(5).state == DeviceState.OK
    finally:
        assert runner.stop(5.0)
    assert dev.threads == {"dev-scanner"}
    assert runner.submit(lambda: 1).exception(1) is not None  # refused after stop


def test_reopen_backoff_is_capped(store: Store) -> None:
    clock = ManualClock()
    dev = CountingDevice(clock)
    dev.present = False
    runner = DeviceRunner(dev, StatusSink(store), poll_s=0.05, backoff_max_s=0.2, clock=clock, idle_slice_s=0.01)
    runner.start()
    try:
        # Two seconds on the runner's clock, moved to each attempt the runner schedules and no further: every
        # attempt is seen, and none can come early (the clock stands still between the steps).
        attempts = 0
        while True:
            attempts += 1
            wait_until(lambda n=attempts: len(dev.open_times) >= n, 5, f"reopen attempt {attempts}")
            wait_until(lambda: runner.next_poll_at > clock.now, 5, "the next attempt scheduled")
            assert len(dev.open_times) == attempts  # one attempt per step, not a busy loop
            if runner.next_poll_at >= 2.0:
                break
            clock.now = runner.next_poll_at
        opens = dev.opens
        # Capped backoff 0.05, 0.1, 0.2, 0.2, ... gives ~12 tries in 2 s; uncapped doubling would give 6, a busy
        # loop hundreds.
        assert 9 <= opens <= 16
        gaps = [round(b - a, 6) for a, b in zip(dev.open_times, dev.open_times[1:], strict=False)]
        assert gaps == [0.05, 0.1] + [0.2] * (len(gaps) - 2)
        assert open_codes(store, "scanner") == {FaultCode.DEVICE_OFFLINE}
        dev.present = True
        clock.now = runner.next_poll_at
        assert wait_until(lambda: open_codes(store, "scanner") == set(), 2.0)
    finally:
        assert runner.stop(5.0)


def test_a_driver_bug_is_reported_and_does_not_kill_the_thread(store: Store) -> None:
    dev = CountingDevice()
    dev.bug = True
    runner = DeviceRunner(dev, StatusSink(store), poll_s=POLL, backoff_max_s=0.2)
    runner.start()
    try:
        assert wait_until(lambda: open_codes(store, "scanner") == {FaultCode.DEVICE_OFFLINE})
        assert "a bug in the driver" in store.device_statuses()["scanner"].detail["message"]
        assert runner.submit(lambda: 42).result(5) == 42
        dev.bug = False
        assert wait_until(lambda: open_codes(store, "scanner") == set())
    finally:
        assert runner.stop(5.0)


def test_failed_job_triggers_an_immediate_check(store: Store) -> None:
    dev = CountingDevice()
    runner = DeviceRunner(dev, StatusSink(store), poll_s=30.0)  # the regular poll would be far away

    def job() -> None:
        dev.present = False
        raise DeviceGone("cable pulled mid-job")

    runner.start()
    try:
        assert wait_until(lambda: runner.last_status is not None)
        with pytest.raises(DeviceGone):
            runner.submit(job).result(5)
        assert wait_until(lambda: open_codes(store, "scanner") == {FaultCode.DEVICE_OFFLINE}, 2.0)
    finally:
        assert runner.stop(5.0)


def test_registry_builds_my_kinds_and_reports_the_rest_disabled(tmp_path: Path, store: Store) -> None:
    # Only printer, dispenser and scanner here; the card readers, the A4 printer and the camera have their own tests.
    off = DeviceSection(enabled=False)
    sim = DeviceSection(transport="simulator", timeout_s=0.3, poll_s=POLL)
    devices = DevicesSection(
        printer=sim, dispenser=sim, scanner=sim, id_reader=off, sscard_reader=off, document_printer=off, camera=off
    )
    runners = open_devices(devices, StatusSink(store), data_dir=tmp_path, backoff_max_s=0.4)
    try:
        assert set(runners) == {DeviceKind.PRINTER, DeviceKind.DISPENSER, DeviceKind.SCANNER}
        assert wait_until(lambda: len(store.device_statuses()) == len(DeviceKind))
        states = {k: s.state for k, s in store.device_statuses().items()}
        assert wait_until(
            lambda: all(runners[k].last_status and runners[k].last_status.state == DeviceState.OK for k in runners)
        )
        assert states["id_reader"] == states["sscard_reader"] == DeviceState.DISABLED
        runners[DeviceKind.DISPENSER].submit(runners[DeviceKind.DISPENSER].device.print_ticket, JOB).result(5)
        assert runners[DeviceKind.DISPENSER].device.simulator.pages[-1].body_lines == ["测试 test"]
        scanned: queue.Queue[str] = queue.Queue()
        scanner = runners[DeviceKind.SCANNER].device
        scanner.subscribe(scanned.put)  # the runner watches an event-driven device whenever it is idle
        scanner.simulator.scan("KSK1|KSK-DEMO-01|A012|")
        assert scanned.get(timeout=3) == "KSK1|KSK-DEMO-01|A012|"
    finally:
        assert stop_all(runners)


def test_registry_reports_a_device_that_cannot_be_built(tmp_path: Path, store: Store) -> None:
    off = DeviceSection(enabled=False)
    bad = DeviceSection(transport="usb", address="not-a-usb-id")
    runners = open_devices(
        DevicesSection(
            printer=bad, dispenser=off, scanner=off, id_reader=off, sscard_reader=off, document_printer=off, camera=off
        ),
        StatusSink(store),
        data_dir=tmp_path,
    )
    assert runners == {}
    status = store.device_statuses()["printer"]
    assert status.state == DeviceState.ABSENT and status.detail["error"] == "DriverError"
    assert open_codes(store, "printer") == {FaultCode.DEVICE_OFFLINE}
