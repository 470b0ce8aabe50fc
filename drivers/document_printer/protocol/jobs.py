"""IPP job state, and following one job to its end, pure: the follower is fed observations and a clock.

A job ends ``completed`` (IPP job-state 9), ``failed`` (6 stopped, 7 canceled, 8 aborted, or gone from the
scheduler) or ``stalled``: nothing about it changed for ``stall_s`` (state, reasons, pages done, the printer's
message about it), the printer has been unable to print for ``fault_grace_s`` while the job waits, or it is
still not done after ``timeout_s``. The facade cancels a stalled job so it cannot come out later with nobody at
the kiosk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drivers.base import ProtocolError
from drivers.document_printer.protocol.status import values
from kiosk.certificates import COMPLETED, FAILED, STALLED, PrintOutcome
from kiosk.devices import DeviceStatus

JOB_ATTRIBUTES = (
    "job-state",
    "job-state-reasons",
    "job-printer-state-message",
    "job-impressions-completed",
    "job-media-sheets-completed",
)
JOB_STATES = {
    3: "pending",
    4: "pending-held",
    5: "processing",
    6: "processing-stopped",
    7: "canceled",
    8: "aborted",
    9: "completed",
}
END_REASONS = {7: (FAILED, "canceled"), 8: (FAILED, "aborted"), 9: (COMPLETED, "completed")}
# What the follower takes as the end: also processing-stopped, which CUPS gives a job whose filter failed; it
# would only go on if someone restarted it, so it counts as failed (and is cancelled).
FOLLOW_ENDS = {6: (FAILED, "stopped"), **END_REASONS}


@dataclass(frozen=True)
class JobStatus:
    """One job as the scheduler reports it."""

    job_id: int
    state: int
    reasons: tuple[str, ...] = ()
    message: str = ""
    impressions: int | None = None
    sheets: int | None = None

    @property
    def state_name(self) -> str:
        """job-state as a word."""
        return JOB_STATES.get(self.state, f"state-{self.state}")

    @property
    def done(self) -> bool:
        """Whether the job has ended (canceled, aborted or completed)."""
        return self.state in END_REASONS

    @property
    def progress(self) -> tuple[Any, ...]:
        """What changes while a job moves on; equal twice means no progress in between."""
        return (self.state, self.reasons, self.impressions, self.sheets, self.message)

    def describe(self) -> str:
        """A log and technician line (no document content, no personal data)."""
        parts = [f"job {self.job_id} {self.state_name}", f"reasons {','.join(self.reasons) or 'none'}"]
        if self.message:
            parts.append(f"message {self.message[:120]!r}")
        return "; ".join(parts)


def _int(value: Any) -> int | None:
    got = values(value)
    if got and isinstance(got[0], int) and not isinstance(got[0], bool):
        return got[0]
    return None


def parse_job_attributes(job_id: int, attrs: Mapping[str, Any]) -> JobStatus:
    """The attributes pycups returned for a job, checked; ProtocolError when job-state is missing or odd."""
    state = _int(attrs.get("job-state"))
    if state is None or state not in JOB_STATES:
        raise ProtocolError(f"job {job_id}: job-state {attrs.get('job-state')!r} is not an IPP job state (3..9)")
    return JobStatus(
        job_id=job_id,
        state=state,
        reasons=tuple(str(r) for r in values(attrs.get("job-state-reasons")) if str(r) and str(r) != "none"),
        message=" ".join(str(m) for m in values(attrs.get("job-printer-state-message"))),
        impressions=_int(attrs.get("job-impressions-completed")),
        sheets=_int(attrs.get("job-media-sheets-completed")),
    )


class JobFollower:
    """Decides from observations when a job has ended, and how. ``observe`` returns None while it runs on."""

    def __init__(self, job_id: int, *, started: float, stall_s: float, fault_grace_s: float, timeout_s: float) -> None:
        self.job_id = job_id
        self.started = started
        self.stall_s = stall_s
        self.fault_grace_s = fault_grace_s
        self.timeout_s = timeout_s
        self.last: JobStatus | None = None
        self._progress: tuple[Any, ...] | None = None
        self._progress_at = started
        self._fault_since: float | None = None
        self._printer_faults: tuple[str, ...] = ()

    def observe(self, now: float, job: JobStatus | None, printer: DeviceStatus | None = None) -> PrintOutcome | None:
        """Feed what was seen at ``now``: the job (None: the scheduler no longer knows it) and, optionally, the
        printer's status. Returns the outcome once the job has ended or stalled."""
        if printer is not None:
            self._printer_faults = tuple(sorted(str(f) for f in printer.faults))
        if job is None:
            return self._end(now, FAILED, "vanished", "the scheduler no longer knows the job")
        self.last = job
        if job.state in FOLLOW_ENDS:
            result, reason = FOLLOW_ENDS[job.state]
            return self._end(now, result, reason, job.describe())
        if job.progress != self._progress:
            self._progress, self._progress_at = job.progress, now
        if printer is not None and not printer.usable:
            if self._fault_since is None:
                self._fault_since = now
            if now - self._fault_since >= self.fault_grace_s:
                return self._end(now, STALLED, "printer_fault", job.describe())
        elif printer is not None:
            self._fault_since = None
        if now - self._progress_at >= self.stall_s:
            return self._end(now, STALLED, "no_progress", job.describe())
        if now - self.started >= self.timeout_s:
            return self._end(now, STALLED, "timeout", job.describe())
        return None

    def _end(self, now: float, result: str, reason: str, detail: str) -> PrintOutcome:
        faults = self._printer_faults if result != COMPLETED else ()
        return PrintOutcome(self.job_id, result, reason, detail, faults, round(now - self.started, 3))
