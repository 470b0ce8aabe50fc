"""IPP printer status -> DeviceStatus: attribute sets as pycups returns them (captured from the real cupsd of the
simulator, and from CUPS queues of real laser printers as their IPP backend reports them), then live, every
condition the simulator can make read back through the real facade."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.base import DeviceGone, DeviceTimeout, DriverError, ProtocolError, device_thread
from drivers.document_printer.facade import CupsDocumentPrinter
from drivers.document_printer.protocol.status import parse_printer_attributes, split_reason, to_device_status
from drivers.document_printer.simulator import CONDITIONS, CupsSimulator
from kiosk.devices import DeviceState
from kiosk.faults import FaultCode
from tests.drivers.a4.conftest import make_printer

MEDIA = ["iso_a3_297x420mm", "iso_a4_210x297mm", "custom_148.52x209.9mm_148.52x209.9mm", "iso_dl_110x220mm"]

# (name, attributes as pycups' getPrinterAttributes returned them, expected state, expected faults)
CAPTURED: list[tuple[str, dict[str, Any], DeviceState, set[FaultCode]]] = [
    # From the simulator's cupsd (CUPS 2.4.2):
    ("idle", {"printer-is-accepting-jobs": True, "printer-state": 3, "printer-state-message": "",
              "printer-state-reasons": ["none"], "media-ready": MEDIA}, DeviceState.OK, set()),
    ("printing", {"printer-is-accepting-jobs": True, "printer-state": 4, "printer-state-message": "",
                  "printer-state-reasons": ["none"], "media-ready": MEDIA}, DeviceState.OK, set()),
    ("paper out", {"printer-is-accepting-jobs": True, "printer-state": 3, "printer-state-message": "",
                   "printer-state-reasons": ["media-empty-error"], "media-ready": MEDIA},
     DeviceState.FAULT, {FaultCode.A4_PAPER_OUT}),
    ("three at once", {"printer-is-accepting-jobs": True, "printer-state": 3,
                       "printer-state-message": "Load paper in tray 1",
                       "printer-state-reasons": ["media-empty-error", "door-open-error", "toner-low-report"],
                       "media-ready": MEDIA},
     DeviceState.FAULT, {FaultCode.A4_PAPER_OUT, FaultCode.DOOR_OPEN, FaultCode.TONER_LOW}),
    ("paused queue", {"printer-is-accepting-jobs": True, "printer-state": 5, "printer-state-message": "Paused",
                      "printer-state-reasons": ["paused"], "media-ready": MEDIA},
     DeviceState.FAULT, {FaultCode.DEVICE_OFFLINE}),
    ("rejecting", {"printer-is-accepting-jobs": False, "printer-state": 3, "printer-state-message": "Rejecting Jobs",
                   "printer-state-reasons": ["none"], "media-ready": MEDIA},
     DeviceState.FAULT, {FaultCode.DEVICE_OFFLINE}),
    # As CUPS's ipp backend reports real laser printers (reasons with CUPS's own notes beside them):
    ("unreachable printer", {"printer-is-accepting-jobs": True, "printer-state": 4,
                             "printer-state-message": "The printer is not responding.",
                             "printer-state-reasons": ["offline-report", "cups-waiting-for-job-completed"]},
     DeviceState.FAULT, {FaultCode.DEVICE_OFFLINE}),
    ("tray empty, toner low", {"printer-is-accepting-jobs": True, "printer-state": 4,
                               "printer-state-message": "Tray 2 empty",
                               "printer-state-reasons": ["media-needed-error", "marker-supply-low-warning",
                                                         "cups-waiting-for-job-completed"]},
     DeviceState.FAULT, {FaultCode.A4_PAPER_OUT, FaultCode.TONER_LOW}),
    ("paper low only", {"printer-is-accepting-jobs": True, "printer-state": 3, "printer-state-message": "",
                        "printer-state-reasons": "media-low-report"}, DeviceState.DEGRADED, {FaultCode.A4_PAPER_LOW}),
    ("cover and jam", {"printer-is-accepting-jobs": True, "printer-state": 5, "printer-state-message": "",
                       "printer-state-reasons": ["cover-open-error", "media-jam-error"]},
     DeviceState.FAULT, {FaultCode.DOOR_OPEN, FaultCode.A4_JAM, FaultCode.DEVICE_OFFLINE}),
    ("cartridge empty", {"printer-is-accepting-jobs": True, "printer-state": 3,
                         "printer-state-reasons": ["marker-supply-empty-error"]},
     DeviceState.FAULT, {FaultCode.TONER_EMPTY}),
    ("driver missing", {"printer-is-accepting-jobs": True, "printer-state": 3,
                        "printer-state-reasons": ["cups-missing-filter-warning"]},
     DeviceState.FAULT, {FaultCode.DEVICE_ERROR}),
    ("unknown error", {"printer-is-accepting-jobs": True, "printer-state": 3,
                       "printer-state-reasons": ["fuser-over-temp-error"]},
     DeviceState.FAULT, {FaultCode.DEVICE_ERROR}),
    ("unknown warning", {"printer-is-accepting-jobs": True, "printer-state": 3,
                         "printer-state-reasons": ["fuser-under-temp-warning"]}, DeviceState.DEGRADED, set()),
    ("only CUPS notes", {"printer-is-accepting-jobs": True, "printer-state": 4,
                         "printer-state-reasons": ["connecting-to-device", "cups-waiting-for-job-completed"]},
     DeviceState.OK, set()),
    ("letter loaded, no A4", {"printer-is-accepting-jobs": True, "printer-state": 3,
                              "printer-state-reasons": ["none"], "media-ready": ["na_letter_8.5x11in"]},
     DeviceState.FAULT, {FaultCode.A4_PAPER_OUT}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "attrs", "state", "faults"), CAPTURED, ids=[c[0] for c in CAPTURED])
def test_captured_attribute_sets_map_onto_states_and_faults(
    name: str, attrs: dict[str, Any], state: DeviceState, faults: set[FaultCode]
) -> None:
    status = to_device_status("document_printer", "A4", parse_printer_attributes(attrs))
    assert (status.state, set(status.faults)) == (state, faults)
    assert status.detail["queue"] == "A4"
    reasons = attrs["printer-state-reasons"]
    listed = [reasons] if isinstance(reasons, str) else reasons
    assert status.detail["reasons"] == (",".join(r for r in listed if r != "none") or "none")


def test_reason_suffixes_are_split_by_the_rfc() -> None:
    assert split_reason("media-empty-error") == ("media-empty", "error")
    assert split_reason("toner-low-report") == ("toner-low", "report")
    assert split_reason("marker-supply-low-warning") == ("marker-supply-low", "warning")
    assert split_reason("paused") == ("paused", "")
    assert split_reason("-error") == ("-error", "")  # nothing before the suffix: not a suffixed keyword


@pytest.mark.parametrize(
    "attrs",
    [{}, {"printer-state": "idle"}, {"printer-state": 7}, {"printer-state": True}, {"printer-state": [3, 4]}],
    ids=["missing", "text", "out of range", "boolean", "two values"],
)
def test_a_malformed_printer_state_is_a_protocol_error(attrs: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError, match="printer-state"):
        parse_printer_attributes(attrs)


# -- live: the simulator's real cupsd, read through the real facade ---------------------------------------------

EXPECTED = {
    "ok": (DeviceState.OK, set()),
    "paper_low": (DeviceState.DEGRADED, {FaultCode.A4_PAPER_LOW}),
    "paper_out": (DeviceState.FAULT, {FaultCode.A4_PAPER_OUT}),
    "jam": (DeviceState.FAULT, {FaultCode.A4_JAM}),
    "door_open": (DeviceState.FAULT, {FaultCode.DOOR_OPEN}),
    "toner_low": (DeviceState.DEGRADED, {FaultCode.TONER_LOW}),
    "toner_empty": (DeviceState.FAULT, {FaultCode.TONER_EMPTY}),
    "offline": (DeviceState.FAULT, {FaultCode.DEVICE_OFFLINE}),
}


def test_every_simulated_condition_is_expected() -> None:
    assert set(EXPECTED) == set(CONDITIONS)


@pytest.mark.parametrize("condition", sorted(EXPECTED))
def test_each_condition_reads_back_from_the_real_scheduler(
    condition: str, healthy_sim: CupsSimulator, a4: CupsDocumentPrinter
) -> None:
    healthy_sim.set_condition(condition)
    status = a4.status()
    assert (status.state, set(status.faults)) == EXPECTED[condition]
    assert status.detail["reasons"] == (",".join(CONDITIONS[condition][0]) or "none")
    assert a4.self_test().ok == status.usable


def test_a_paused_queue_is_offline_and_comes_back(healthy_sim: CupsSimulator, a4: CupsDocumentPrinter) -> None:
    healthy_sim.pause()
    status = a4.status()
    assert (status.state, status.faults, status.detail["printer_state"]) == (
        DeviceState.FAULT, {FaultCode.DEVICE_OFFLINE}, "stopped",
    )  # fmt: skip
    healthy_sim.pause(False)
    assert a4.status().state == DeviceState.OK


def test_a_queue_rejecting_jobs_is_offline(healthy_sim: CupsSimulator, a4: CupsDocumentPrinter) -> None:
    healthy_sim.accept_jobs(False)
    status = a4.status()
    assert (status.state, status.faults, status.detail["accepting"]) == (
        DeviceState.FAULT, {FaultCode.DEVICE_OFFLINE}, False,
    )  # fmt: skip


def test_the_printer_message_is_shown(healthy_sim: CupsSimulator, a4: CupsDocumentPrinter) -> None:
    healthy_sim.set_reasons("media-empty-error", message="Load A4 paper in tray 2")
    assert a4.status().detail["message"] == "Load A4 paper in tray 2"


def test_a_queue_that_does_not_exist_is_an_error_naming_it(healthy_sim: CupsSimulator) -> None:
    printer = CupsDocumentPrinter("NoSuchQueue", server=healthy_sim.server, timeout_s=5.0)
    with device_thread(printer), pytest.raises(DriverError, match=r"not-found|NoSuchQueue") as err:
        printer.open()
    assert not isinstance(err.value, DeviceGone)


def test_the_scheduler_over_tcp_answers_the_same(healthy_sim: CupsSimulator) -> None:
    assert healthy_sim.port is not None
    printer = make_printer(healthy_sim, server=f"127.0.0.1:{healthy_sim.port}")
    healthy_sim.set_condition("door_open")
    with device_thread(printer):
        printer.open()
        assert printer.status().faults == {FaultCode.DOOR_OPEN}


def test_a_stopped_scheduler_is_gone_and_a_restarted_one_is_found_again(
    healthy_sim: CupsSimulator, a4: CupsDocumentPrinter
) -> None:
    healthy_sim.stop_daemon()
    with pytest.raises(DeviceGone):
        a4.status()
    a4.close()
    with pytest.raises(DeviceGone):
        a4.open()  # what the runner's reopen attempts see while it is away
    healthy_sim.start_daemon()
    a4.open()
    assert a4.status().state == DeviceState.OK


def test_a_frozen_scheduler_times_out_instead_of_hanging(healthy_sim: CupsSimulator) -> None:
    printer = make_printer(healthy_sim)
    printer.link.timeout_s = 0.5
    with device_thread(printer):
        printer.open()
        healthy_sim.freeze()
        try:
            with pytest.raises(DeviceTimeout, match="did not return"):
                printer.status()
        finally:
            healthy_sim.freeze(False)
        assert printer.status().state == DeviceState.OK  # a new connection once it answers again
