"""The A4 printer's config section: what is accepted, what is refused with the key named, and that the
simulator can start in a printer condition (for the demo and the shell's tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.base import DriverError, device_thread
from drivers.document_printer.factory import open_from_config
from drivers.document_printer.transport import parse_server
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState
from kiosk.faults import FaultCode


@pytest.mark.parametrize(
    ("server", "parsed"),
    [
        ("", (None, None)),
        ("/run/cups/cups.sock", ("/run/cups/cups.sock", None)),
        ("print-server.local", ("print-server.local", 631)),
        ("10.0.0.9:8631", ("10.0.0.9", 8631)),
        ("  localhost:631 ", ("localhost", 631)),
    ],
)
def test_the_cups_server_is_a_socket_a_host_or_host_and_port(server: str, parsed: tuple) -> None:
    assert parse_server(server) == parsed


@pytest.mark.parametrize("server", ["host:", ":631", "host:notaport", "host:0", "host:70000"])
def test_a_bad_cups_server_is_refused(server: str) -> None:
    with pytest.raises(DriverError, match="host:port"):
        parse_server(server)


def test_the_real_transport_is_built_without_touching_cups() -> None:
    printer = open_from_config(
        DeviceSection(transport="cups", address="A4", timeout_s=4.0,
                      options={"server": "127.0.0.1:1", "stall_s": "30", "job_timeout_s": "120"})
    )  # fmt: skip
    assert (printer.queue, printer.link.host, printer.link.port, printer.link.timeout_s) == ("A4", "127.0.0.1", 1, 4.0)
    assert (printer.stall_s, printer.fault_grace_s, printer.job_timeout_s) == (30.0, 10.0, 120.0)
    assert printer.simulator is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (DeviceSection(transport="cups", options={"stall_s": "soon"}), "options.stall_s"),
        (DeviceSection(transport="cups", options={"follow_poll_s": "0"}), "options.follow_poll_s"),
        (DeviceSection(transport="serial", address="/dev/ttyS0"), "not supported"),
        (DeviceSection(transport="simulator", options={"condition": "on_fire"}), "options.condition"),
    ],
)
def test_a_bad_section_is_refused_naming_the_key(section: DeviceSection, message: str) -> None:
    with pytest.raises(DriverError, match=message):
        open_from_config(section)


def test_the_simulator_can_start_without_paper(tmp_path: Path) -> None:
    printer = open_from_config(
        DeviceSection(transport="simulator", timeout_s=5.0, options={"condition": "paper_out"}), data_dir=tmp_path
    )
    try:
        with device_thread(printer):
            printer.open()
            status = printer.status()
            assert (status.state, status.faults) == (DeviceState.FAULT, {FaultCode.A4_PAPER_OUT})
    finally:
        with device_thread(printer):
            printer.dispose()
    assert printer.simulator is None
