"""The real printer backends against the simulator: serial over a real pty, network over real TCP, a file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.base import DeviceGone, DeviceTimeout, DriverError, NoMedium, ProtocolError
from drivers.printer.facade import EscposEngine, EscposReceiptPrinter
from drivers.printer.factory import open_from_config
from drivers.printer.protocol.encoder import EscposEncoder
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.transport import NetworkTransport, SerialTransport, UsbTransport
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState
from kiosk.faults import FaultCode
from kiosk.layout import Align, KeyValue, PrintJob, QrCode, TextLine

# The tests own the printers they make (no runner): the printers' I/O runs on the test's thread.
pytestmark = [pytest.mark.timeout(60), pytest.mark.usefixtures("own_devices")]

JOB = PrintJob(
    "receipt",
    (
        TextLine("办件回执（１）", Align.CENTER, bold=True),
        KeyValue("受理编号", "A-000123"),
        QrCode("KSK1|KSK-DEMO-01|A-000123|deadbeef"),
    ),
)
TIMEOUT = 0.3


@pytest.fixture(params=["pty", "tcp"])
def rig(request, tmp_path: Path, own_devices: None) -> Iterator[tuple[PrinterSimulator, EscposReceiptPrinter]]:
    """A simulator and the real backend connected to it (serial over a pty, or TCP)."""
    sim = PrinterSimulator()
    if request.param == "pty":
        transport = SerialTransport(sim.serve_pty(tmp_path / "printer.tty"), timeout_s=TIMEOUT)
    else:
        _server, port = sim.serve_tcp("127.0.0.1", 0)
        transport = NetworkTransport("127.0.0.1", port, timeout_s=TIMEOUT)
    printer = EscposReceiptPrinter(EscposEngine(transport, kind="printer", encoder=EscposEncoder(), timeout_s=TIMEOUT))
    printer.open()
    yield sim, printer
    printer.close()
    sim.close()


def test_print_job_arrives_and_is_confirmed(rig) -> None:
    sim, printer = rig
    printer.print_job(JOB)  # returns after the GS r 1 answer, i.e. after the simulator parsed everything
    assert len(sim.pages) == 1
    assert sim.pages[0].body_lines == EscposEncoder().plain_lines(JOB)


@pytest.mark.parametrize(
    ("state", "device_state", "faults"),
    [
        ("ok", DeviceState.OK, set()),
        ("near_end", DeviceState.DEGRADED, {FaultCode.PAPER_NEAR_END}),
        ("paper_out", DeviceState.FAULT, {FaultCode.PAPER_OUT}),
        ("cover_open", DeviceState.FAULT, {FaultCode.COVER_OPEN}),
        ("cutter_error", DeviceState.FAULT, {FaultCode.CUTTER_ERROR}),
    ],
)
def test_status_over_the_wire(rig, state: str, device_state: DeviceState, faults: set) -> None:
    sim, printer = rig
    sim.set_state(state)
    status = printer.status()
    assert (status.state, set(status.faults)) == (device_state, faults)


def test_silence_is_a_timeout_never_paper_ok(rig) -> None:
    sim, printer = rig
    sim.set_state("silent")
    started = time.monotonic()
    with pytest.raises(DeviceTimeout):
        printer.status()
    assert time.monotonic() - started < TIMEOUT + 0.5
    with pytest.raises(DeviceTimeout):
        printer.print_job(JOB)
    assert sim.pages == []  # nothing is sent to a printer that does not answer


def test_garbage_reply_is_a_protocol_error(rig) -> None:
    sim, printer = rig
    sim.set_state("garbage")
    with pytest.raises(ProtocolError):
        printer.status()


def test_no_paper_refuses_the_job_and_cover_open_too(rig) -> None:
    sim, printer = rig
    sim.set_state("paper_out")
    with pytest.raises(NoMedium):
        printer.print_job(JOB)
    sim.set_state("cover_open")
    with pytest.raises(DriverError) as info:
        printer.print_job(JOB)
    assert "cover_open" in str(info.value)
    sim.set_state("ok")
    printer.print_job(JOB)
    assert len(sim.pages) == 1


def test_unplug_is_device_gone_and_replug_works_after_reopen(rig) -> None:
    sim, printer = rig
    sim.unplug()
    with pytest.raises(DeviceGone):
        printer.status()
    with pytest.raises(DeviceGone):
        printer.open()  # refused while unplugged
    sim.replug()
    printer.open()
    assert printer.status().state == DeviceState.OK


def test_factory_simulator_runs_the_real_serial_backend(tmp_path: Path) -> None:
    printer = open_from_config(DeviceSection(transport="simulator", timeout_s=TIMEOUT), data_dir=tmp_path)
    try:
        assert isinstance(printer.engine.transport, SerialTransport)
        printer.open()
        printer.print_job(JOB)
        assert printer.simulator.wait_rendered(20)
        assert (tmp_path / "simulator" / "printer" / "receipt-0001.png").stat().st_size > 1000
        assert (tmp_path / "simulator" / "printer.tty").is_symlink()
    finally:
        printer.dispose()


def test_factory_simulator_over_tcp_runs_the_network_backend() -> None:
    section = DeviceSection(transport="simulator", timeout_s=TIMEOUT, options={"simulator": "tcp", "state": "near_end"})
    printer = open_from_config(section)
    try:
        assert isinstance(printer.engine.transport, NetworkTransport)
        printer.open()
        assert printer.status().faults == {FaultCode.PAPER_NEAR_END}
    finally:
        printer.dispose()


def test_file_transport_writes_bytes_and_reports_status_unavailable(tmp_path: Path) -> None:
    lp = tmp_path / "lp0"
    lp.touch()
    printer = open_from_config(DeviceSection(transport="file", address=str(lp), timeout_s=TIMEOUT))
    printer.open()
    status = printer.status()
    assert status.state == DeviceState.DEGRADED and status.detail == {"status": "status unavailable"}
    printer.print_job(JOB)
    assert lp.read_bytes() == EscposEncoder().encode(JOB)
    printer.close()
    lp.unlink()
    with pytest.raises(DeviceGone):
        printer.open()


def test_network_refused_and_bad_addresses() -> None:
    sim = PrinterSimulator()
    server, port = sim.serve_tcp()
    server.stop()  # nothing listens on the port now
    with pytest.raises(DeviceGone):
        NetworkTransport("127.0.0.1", port, timeout_s=TIMEOUT).open()
    with pytest.raises(DriverError):
        open_from_config(DeviceSection(transport="network", address="host:notaport"))
    with pytest.raises(DriverError):
        open_from_config(DeviceSection(transport="serial", address=""))


def test_usb_without_pyusb_or_printer_is_device_gone() -> None:
    transport = UsbTransport.from_address("0416:5011", timeout_s=TIMEOUT, options={})
    with pytest.raises(DeviceGone):
        transport.open()  # pyusb is not installed here; with it, no such printer is attached
    with pytest.raises(DriverError):
        UsbTransport.from_address("nothex", timeout_s=TIMEOUT, options={})
