"""Following a job to its end, pure: job attribute sets as pycups returns them (captured from the simulator's
cupsd), the follower fed observations on a clock of the test's own."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.base import ProtocolError
from drivers.document_printer.protocol.jobs import JobFollower, JobStatus, parse_job_attributes
from kiosk.certificates import COMPLETED, FAILED, STALLED
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode

BASE = {"attributes-charset": "utf-8", "attributes-natural-language": "en"}
PROCESSING = {**BASE, "job-state": 5, "job-state-reasons": "job-printing", "job-impressions-completed": 0,
              "job-media-sheets-completed": 0}  # fmt: skip
PENDING = {**BASE, "job-state": 3, "job-state-reasons": "none", "job-impressions-completed": 0,
           "job-media-sheets-completed": 0}  # fmt: skip
COMPLETED_ATTRS = {**BASE, "job-state": 9, "job-state-reasons": "processing-to-stop-point",
                   "job-impressions-completed": 0, "job-media-sheets-completed": 0,
                   "job-printer-state-message": ""}  # fmt: skip
CANCELED = {**BASE, "job-state": 7, "job-state-reasons": "processing-to-stop-point", "job-impressions-completed": 0,
            "job-media-sheets-completed": 0}  # fmt: skip
STOPPED = {**BASE, "job-state": 6, "job-state-reasons": "job-completed-with-errors", "job-impressions-completed": 0,
           "job-media-sheets-completed": 0, "job-printer-state-message": "Filter failed"}  # fmt: skip
ABORTED = {**BASE, "job-state": 8, "job-state-reasons": ["aborted-by-system", "job-completed-with-errors"]}

OK = DeviceStatus("document_printer", DeviceState.OK)
NO_PAPER = DeviceStatus("document_printer", DeviceState.FAULT, frozenset({FaultCode.A4_PAPER_OUT}))


def job(attrs: dict[str, Any], **over: Any) -> JobStatus:
    return parse_job_attributes(7, {**attrs, **over})


def follower(**over: float) -> JobFollower:
    params = {"started": 100.0, "stall_s": 10.0, "fault_grace_s": 3.0, "timeout_s": 60.0, **over}
    return JobFollower(7, **params)  # type: ignore[arg-type]


def test_job_attributes_are_read_whatever_shape_pycups_gives() -> None:
    j = job(ABORTED)
    assert (j.state_name, j.reasons, j.done) == ("aborted", ("aborted-by-system", "job-completed-with-errors"), True)
    j = job(STOPPED)
    assert (j.state_name, j.message, j.done, j.sheets) == ("processing-stopped", "Filter failed", False, 0)
    assert job(PENDING).reasons == ()
    assert "Filter failed" in job(STOPPED).describe()


@pytest.mark.parametrize("state", [None, 2, 10, "processing", True])
def test_a_malformed_job_state_is_a_protocol_error(state: Any) -> None:
    with pytest.raises(ProtocolError, match="job-state"):
        parse_job_attributes(7, {**BASE, "job-state": state})


@pytest.mark.parametrize(
    ("attrs", "result", "reason"),
    [
        (COMPLETED_ATTRS, COMPLETED, "completed"),
        (CANCELED, FAILED, "canceled"),
        (ABORTED, FAILED, "aborted"),
        (STOPPED, FAILED, "stopped"),
    ],
)
def test_an_ended_job_gives_its_outcome(attrs: dict[str, Any], result: str, reason: str) -> None:
    f = follower()
    assert f.observe(100.5, job(PROCESSING), OK) is None
    outcome = f.observe(101.25, job(attrs), None)
    assert outcome is not None
    assert (outcome.job_id, outcome.result, outcome.reason, outcome.elapsed_s) == (7, result, reason, 1.25)
    assert outcome.ok == (result == COMPLETED)


def test_a_job_the_scheduler_forgot_failed() -> None:
    outcome = follower().observe(101.0, None, None)
    assert outcome is not None and (outcome.result, outcome.reason) == (FAILED, "vanished")


def test_no_change_for_stall_s_is_a_stall_and_any_change_restarts_the_wait() -> None:
    f = follower(stall_s=10.0)
    assert f.observe(100.0, job(PENDING), OK) is None
    assert f.observe(109.9, job(PENDING), OK) is None
    assert f.observe(109.95, job(PROCESSING), OK) is None  # moved on: the wait starts again
    assert f.observe(119.0, job(PROCESSING, **{"job-impressions-completed": 1}), OK) is None
    assert f.observe(128.9, job(PROCESSING, **{"job-impressions-completed": 1}), OK) is None
    outcome = f.observe(129.0, job(PROCESSING, **{"job-impressions-completed": 1}), OK)
    assert outcome is not None and (outcome.result, outcome.reason, outcome.printer_faults) == (
        STALLED, "no_progress", (),
    )  # fmt: skip


def test_a_printer_unable_to_print_for_the_grace_stalls_the_job_with_its_faults() -> None:
    f = follower(fault_grace_s=3.0)
    assert f.observe(100.0, job(PROCESSING), OK) is None
    assert f.observe(101.0, job(PROCESSING), NO_PAPER) is None
    assert f.observe(102.0, job(PROCESSING), OK) is None  # paper back in time: the grace starts over
    assert f.observe(103.0, job(PROCESSING), NO_PAPER) is None
    assert f.observe(105.9, job(PROCESSING), NO_PAPER) is None
    outcome = f.observe(106.0, job(PROCESSING), NO_PAPER)
    assert outcome is not None
    assert (outcome.result, outcome.reason, outcome.printer_faults) == (STALLED, "printer_fault", ("a4_paper_out",))


def test_a_job_that_keeps_moving_but_never_ends_times_out() -> None:
    f = follower(stall_s=10.0, timeout_s=30.0)
    outcome = None
    for i in range(40):
        outcome = f.observe(100.0 + i, job(PROCESSING, **{"job-impressions-completed": i}), OK)
        if outcome:
            break
    assert outcome is not None and (outcome.result, outcome.reason, outcome.elapsed_s) == (STALLED, "timeout", 30.0)


def test_a_completed_job_carries_no_printer_faults() -> None:
    f = follower()
    f.observe(100.0, job(PROCESSING), DeviceStatus("document_printer", DeviceState.DEGRADED,
                                                    frozenset({FaultCode.TONER_LOW})))  # fmt: skip
    outcome = f.observe(101.0, job(COMPLETED_ATTRS))
    assert outcome is not None and outcome.ok and outcome.printer_faults == ()
