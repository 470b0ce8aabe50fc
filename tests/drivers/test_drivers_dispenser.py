"""Ticket dispenser: 58 mm ESC/POS over a real pty, its paper and jam status, faults through the runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.base import DriverError, NoMedium, device_thread
from drivers.dispenser.facade import EscposTicketDispenser
from drivers.dispenser.factory import open_from_config
from drivers.dispenser.simulator import DispenserSimulator
from drivers.printer.facade import EscposEngine
from drivers.printer.protocol.encoder import PAPER_58MM, EscposEncoder, display_width
from drivers.printer.protocol.status import TICKET_FAULTS
from drivers.printer.transport import SerialTransport
from drivers.runner import DeviceRunner
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.layout import Align, Feed, KeyValue, PrintJob, QrCode, TextLine
from kiosk.store import Store
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(60)


def ticket(number: str) -> PrintJob:
    """A ticket laid out like kiosk.receipts.ticket_job does."""
    return PrintJob(
        f"ticket {number}",
        (
            TextLine("鄂尔多斯市政务服务中心", Align.CENTER, bold=True),
            TextLine("排队号", Align.CENTER),
            TextLine(number, Align.CENTER, scale=4, bold=True),
            KeyValue("办理部门", "公安局出入境管理窗口"),
            KeyValue("前面等候", "12"),
            TextLine("本号码由自助终端离线发放，请留意窗口叫号并出示此票。"),
            QrCode(f"KSK1|KSK-DEMO-01|{number}|"),
            Feed(2),
        ),
    )


@pytest.fixture
def dispenser(tmp_path: Path) -> Iterator[EscposTicketDispenser]:
    d = open_from_config(
        DeviceSection(transport="simulator", baudrate=9600, timeout_s=0.3, poll_s=0.1), data_dir=tmp_path
    )
    with device_thread(d):  # the test owns the dispenser: no runner, its calls run on the test's thread
        d.open()
        yield d
        d.dispose()


def test_factory_simulator_is_the_real_serial_backend_on_58mm(dispenser: EscposTicketDispenser) -> None:
    assert isinstance(dispenser.simulator, DispenserSimulator)
    assert isinstance(dispenser.engine.transport, SerialTransport)
    assert dispenser.engine.encoder.paper == PAPER_58MM
    assert dispenser.simulator.paper == PAPER_58MM


def test_ticket_prints_with_a_big_number_and_wraps_at_32_columns(dispenser: EscposTicketDispenser) -> None:
    job = ticket("K-A012")  # kiosk-prefixed: issued while the hall was offline
    dispenser.print_ticket(job)
    (page,) = dispenser.simulator.pages
    expected = EscposEncoder(PAPER_58MM).plain_lines(job)
    assert page.body_lines == expected[:-2]  # the job's Feed(2) blank lines join the feed before the cut
    assert expected[-2:] == ["", ""] and page.text_lines[-6:] == [""] * 6
    big = next(line for line in page.lines if line.text == "K-A012")
    assert big.runs[0].width == 4 and big.runs[0].bold
    assert all(display_width(line.text) <= 32 for line in page.lines if not line.qr)
    assert any(line.qr == "KSK1|KSK-DEMO-01|K-A012|" for line in page.lines)


@pytest.mark.parametrize(
    ("state", "faults"),
    [
        ("cutter_error", {FaultCode.JAM}),
        ("paper_jam", {FaultCode.JAM}),
        ("paper_out", {FaultCode.PAPER_OUT}),
        ("near_end", {FaultCode.PAPER_NEAR_END}),
    ],
)
def test_dispenser_paper_and_jam_status(dispenser: EscposTicketDispenser, state: str, faults: set) -> None:
    dispenser.simulator.set_state(state)
    assert dispenser.status().faults == faults


def test_dispenser_simulator_direct_over_a_pty(tmp_path: Path) -> None:
    sim = DispenserSimulator(state="near_end")
    d = EscposTicketDispenser(
        EscposEngine(
            SerialTransport(sim.serve_pty(), baudrate=9600, timeout_s=0.3),
            kind="dispenser",
            encoder=EscposEncoder(PAPER_58MM),
            faults=TICKET_FAULTS,
            timeout_s=0.3,
        )
    )
    with device_thread(d):
        try:
            d.open()
            assert d.status().state == DeviceState.DEGRADED
            d.print_ticket(ticket("B007"))
            assert sim.pages[0].body_lines[2] == "B007"
        finally:
            d.close()
            sim.close()


def test_no_paper_and_jam_refuse_the_ticket(dispenser: EscposTicketDispenser) -> None:
    dispenser.simulator.set_state("paper_out")
    with pytest.raises(NoMedium):
        dispenser.print_ticket(ticket("A001"))
    dispenser.simulator.set_state("paper_jam")
    with pytest.raises(DriverError) as info:
        dispenser.print_ticket(ticket("A001"))
    assert "jam" in str(info.value)
    assert dispenser.simulator.pages == []


def test_jam_fault_raised_then_cleared_through_the_runner(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    d = open_from_config(DeviceSection(transport="simulator", timeout_s=0.3), data_dir=tmp_path / "sim")
    runner = DeviceRunner(d, StatusSink(store), poll_s=0.1, backoff_max_s=0.4)
    runner.start()

    def codes() -> set[str]:
        return {f.code for f in store.open_faults() if f.device == "dispenser"}

    def wait(expected: set) -> bool:
        return wait_until(
            lambda: runner.last_status is not None and codes() == expected, 5, f"dispenser faults {expected}"
        )

    try:
        assert wait(set()) and runner.last_status.state == DeviceState.OK
        d.simulator.set_state("cutter_error")
        assert wait({FaultCode.JAM})
        d.simulator.set_state("ok")  # jam cleared at the outlet
        assert wait(set())
        runner.submit(d.print_ticket, ticket("A002")).result(5)
        assert d.simulator.pages[-1].body_lines[2] == "A002"
    finally:
        assert runner.stop(5)
        store.close()
