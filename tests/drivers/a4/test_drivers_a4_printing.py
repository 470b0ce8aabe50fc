"""Printing certificates on the simulated A4 printer, end to end: PDF bytes from memory through the real pycups
path to a real cupsd, cups-pdf's printout read back with pdftotext; jobs that fail or stall, and the reprint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.base import DeviceTimeout, DriverError, NoMedium, device_thread
from drivers.document_printer.facade import CupsDocumentPrinter
from drivers.document_printer.protocol.document import BadDocument
from drivers.document_printer.simulator import CupsSimulator
from kiosk.certificates import (
    COMPLETED,
    FAILED,
    NOT_PRINTED,
    NOT_PRINTED_NO_PAPER,
    NOT_PRINTED_STALLED,
    PRINTED,
    STALLED,
    outcome_text,
)
from kiosk.devices import DeviceState
from kiosk.faults import FaultCode
from tests.drivers.a4.conftest import make_printer
from tests.drivers.a4.pdfs import certificate_pdf, pdf_pages, pdf_text
from tests.waiting import wait_until

NAME, TITLE = "欧阳娜娜", "参保证明"


def spooled(sim: CupsSimulator) -> list[str]:
    """Document files in the scheduler's spool (d<job>-<doc>)."""
    assert sim.run_dir is not None
    return sorted(p.name for p in (sim.run_dir / "spool").iterdir() if p.name.startswith("d"))


def test_a_certificate_prints_from_memory_and_reads_back(healthy_sim: CupsSimulator, a4: CupsDocumentPrinter) -> None:
    data = certificate_pdf(NAME, TITLE, code="KSV-2026-0042")
    job_id = a4.print_pdf(data, TITLE)
    outcome = a4.follow_job(job_id)
    assert (outcome.job_id, outcome.result, outcome.reason) == (job_id, COMPLETED, "completed")
    assert outcome_text(outcome) == PRINTED
    printout = healthy_sim.output_for(job_id)
    assert printout is not None
    text = pdf_text(printout)
    assert NAME in text and TITLE in text and "KSV-2026-0042" in text
    pages, size = pdf_pages(printout)
    assert pages == 1 and size.endswith("(A4)"), size
    # Nothing of it stays with CUPS: the job is purged from the history and the spool.
    assert a4.job_state(job_id) is None
    assert spooled(healthy_sim) == []
    assert a4.status().state == DeviceState.OK


def test_every_page_of_a_longer_document_comes_out(healthy_sim: CupsSimulator, a4: CupsDocumentPrinter) -> None:
    job_id = a4.print_pdf(certificate_pdf(NAME, "社会保险个人权益记录", pages=3), "权益记录")
    assert a4.follow_job(job_id).ok
    printout = healthy_sim.output_for(job_id)
    assert printout is not None and pdf_pages(printout)[0] == 3
    assert pdf_text(printout).count("社会保险个人权益记录") == 3


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "not bytes"],
    ids=["empty", "not a pdf", "cut short", "a string"],
)
def test_a_bad_document_is_refused_before_any_io(healthy_sim: CupsSimulator, data: object) -> None:
    printer = make_printer(healthy_sim)
    healthy_sim.stop_daemon()  # no scheduler at all: the refusal cannot have come from it
    with device_thread(printer), pytest.raises(BadDocument):
        printer.print_pdf(data, TITLE)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda sim: sim.set_condition("paper_out"), NoMedium),
        (lambda sim: sim.set_condition("door_open"), DriverError),
        (lambda sim: sim.pause(), DriverError),
        (lambda sim: sim.accept_jobs(False), DriverError),
    ],
    ids=["paper out", "door open", "queue paused", "queue rejecting"],
)
def test_a_printer_that_cannot_print_gets_no_job(
    healthy_sim: CupsSimulator, a4: CupsDocumentPrinter, make: Callable[[CupsSimulator], None], error: type
) -> None:
    before, jobs_before = set(healthy_sim.outputs()), set(healthy_sim.admin().getJobs(which_jobs="all"))
    make(healthy_sim)
    with pytest.raises(error):
        a4.print_pdf(certificate_pdf(NAME, TITLE), TITLE)
    assert set(healthy_sim.admin().getJobs(which_jobs="all")) == jobs_before  # no job made, not even a held one
    assert set(healthy_sim.outputs()) == before


def test_a_failed_job_raises_print_failed_and_the_same_bytes_print_again(
    healthy_sim: CupsSimulator, a4: CupsDocumentPrinter
) -> None:
    data = certificate_pdf(NAME, TITLE)
    healthy_sim.fail_jobs()
    first = a4.print_pdf(data, TITLE)
    outcome = a4.follow_job(first)
    assert (outcome.result, outcome.reason) == (FAILED, "stopped")
    assert "Filter failed" in outcome.detail  # the failing device made the filter fail
    assert outcome_text(outcome) == NOT_PRINTED
    status = a4.status()
    assert (status.state, status.faults) == (DeviceState.DEGRADED, {FaultCode.PRINT_FAILED})
    assert status.detail["last_job"] == "failed: stopped"
    assert healthy_sim.output_for(first) is None

    healthy_sim.fail_jobs(False)  # the citizen taps "print again" within the visit
    second = a4.print_pdf(data, TITLE)
    assert a4.follow_job(second).ok
    printout = healthy_sim.output_for(second)
    assert printout is not None and NAME in pdf_text(printout)
    assert a4.status().faults == frozenset()  # the next job that completes clears PRINT_FAILED


def test_a_job_without_progress_stalls_is_cancelled_and_never_comes_out_later(healthy_sim: CupsSimulator) -> None:
    printer = make_printer(healthy_sim, stall_s=1.0)
    with device_thread(printer):
        printer.open()
        healthy_sim.hold_jobs()  # the printer takes the job and then does nothing with it
        stuck = printer.print_pdf(certificate_pdf(NAME, TITLE), TITLE)
        outcome = printer.follow_job(stuck)
        assert (outcome.result, outcome.reason) == (STALLED, "no_progress")
        assert outcome_text(outcome) == NOT_PRINTED_STALLED
        assert FaultCode.PRINT_FAILED in printer.status().faults
        assert printer.job_state(stuck) is None  # cancelled and purged
        healthy_sim.hold_jobs(False)  # the printer comes back: the next job prints, the stalled one does not
        later = printer.print_pdf(certificate_pdf("王小明", TITLE), TITLE)
        assert printer.follow_job(later).ok
    assert healthy_sim.output_for(later) is not None
    assert healthy_sim.output_for(stuck) is None
    assert spooled(healthy_sim) == []


def test_paper_running_out_during_a_job_stalls_it_with_the_reason(healthy_sim: CupsSimulator) -> None:
    printer = make_printer(healthy_sim, fault_grace_s=0.5)
    with device_thread(printer):
        printer.open()
        healthy_sim.hold_jobs()
        job_id = printer.print_pdf(certificate_pdf(NAME, TITLE), TITLE)
        wait_until(lambda: printer.job_state(job_id).state_name == "processing", 10, "the job to reach the printer")
        healthy_sim.set_condition("paper_out")
        outcome = printer.follow_job(job_id)
        assert (outcome.result, outcome.reason, outcome.printer_faults) == (STALLED, "printer_fault", ("a4_paper_out",))
        assert outcome_text(outcome) == NOT_PRINTED_NO_PAPER
        status = printer.status()
        assert (status.state, status.faults) == (DeviceState.FAULT, {FaultCode.A4_PAPER_OUT, FaultCode.PRINT_FAILED})
        healthy_sim.set_condition("ok")
    assert healthy_sim.output_for(job_id) is None


def test_a_job_cancelled_at_the_printer_is_a_failure(healthy_sim: CupsSimulator, a4: CupsDocumentPrinter) -> None:
    healthy_sim.hold_jobs()
    job_id = a4.print_pdf(certificate_pdf(NAME, TITLE), TITLE)
    healthy_sim.admin().cancelJob(job_id)  # a technician at the CUPS web page, say
    outcome = a4.follow_job(job_id)
    assert (outcome.result, outcome.reason) == (FAILED, "canceled")


def test_printing_through_the_default_queue(healthy_sim: CupsSimulator, tmp_path: Path) -> None:
    admin = healthy_sim.admin()
    printer = make_printer(healthy_sim)
    printer.configured_queue = ""
    with device_thread(printer):
        with pytest.raises(DriverError, match="no default"):
            printer.open()
        admin.setDefault(healthy_sim.queue)
        printer.open()
        assert printer.queue == healthy_sim.queue
        assert printer.follow_job(printer.print_pdf(certificate_pdf(NAME, TITLE), TITLE)).ok


def test_a_job_whose_following_broke_off_is_cancelled_when_the_printer_is_opened_again(
    healthy_sim: CupsSimulator,
) -> None:
    printer = make_printer(healthy_sim)
    with device_thread(printer):
        printer.open()
        healthy_sim.hold_jobs()
        job_id = printer.print_pdf(certificate_pdf(NAME, TITLE), TITLE)
        printer.link.timeout_s = 0.5
        healthy_sim.freeze()  # the scheduler hangs while the job waits in it
        try:
            with pytest.raises(DeviceTimeout):
                printer.follow_job(job_id)
        finally:
            healthy_sim.freeze(False)
        assert (printer.last_outcome.result, printer.last_outcome.reason) == (FAILED, "printer_gone")
        assert FaultCode.PRINT_FAILED in printer.status().faults
        printer.link.timeout_s = 5.0
        assert printer.job_state(job_id) is not None  # still queued: it would print once the printer goes on
        printer.close()
        printer.open()  # what the runner does after a failure: the lost job is cancelled and purged
        assert printer.job_state(job_id) is None
        healthy_sim.hold_jobs(False)
        after = printer.print_pdf(certificate_pdf("王小明", TITLE), TITLE)
        assert printer.follow_job(after).ok
    assert healthy_sim.output_for(job_id) is None and healthy_sim.output_for(after) is not None


def test_a_document_cups_refuses_mid_send_leaves_no_job(tmp_path: Path) -> None:
    sim = CupsSimulator(out_dir=tmp_path, max_request="64k")  # CUPS takes no request larger than 64 KB
    sim.start()
    try:
        printer = make_printer(sim)
        with device_thread(printer):
            printer.open()
            big = certificate_pdf(NAME, TITLE, pages=400)
            assert len(big) > 64 * 1024
            with pytest.raises(DriverError, match="send document"):
                printer.print_pdf(big, TITLE)
            assert sim.admin().getJobs(which_jobs="all") == {}  # the half-sent job was cancelled and purged
            small = printer.print_pdf(certificate_pdf(NAME, TITLE), TITLE)  # and the printer goes on
            assert printer.follow_job(small).ok
        assert spooled(sim) == [] and sim.outputs() == [sim.output_for(small)]
    finally:
        sim.close()
