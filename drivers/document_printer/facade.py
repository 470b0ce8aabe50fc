"""The A4 document printer as the rest of the kiosk sees it, and the one that drives it: a CUPS queue over IPP.

The shell asks for a document to be printed (:meth:`DocumentPrinter.print_pdf`, the PDF bytes from memory), then
follows the job to its end on the device thread (:meth:`DocumentPrinter.follow_job`) and tells the citizen
(:func:`kiosk.certificates.outcome_text`). A job that failed or stalled puts PRINT_FAILED in the printer's status
(so its fault is raised and the technician told) until a later job completes; the citizen may print the same
bytes again within the visit. Each followed job is purged from CUPS (its history and spool) when it ends.
"""

from __future__ import annotations

import logging
import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from drivers.base import Device, DeviceGone, DeviceTimeout, DriverError, NoMedium, SelfTestResult, Simulator
from drivers.document_printer.protocol.document import JOB_OPTIONS, check_pdf, job_title
from drivers.document_printer.protocol.jobs import JOB_ATTRIBUTES, JobFollower, JobStatus, parse_job_attributes
from drivers.document_printer.protocol.status import PRINTER_ATTRIBUTES, parse_printer_attributes, to_device_status
from drivers.document_printer.transport import IPP_NOT_FOUND, CupsLink
from kiosk.certificates import COMPLETED, FAILED, PrintOutcome
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.faults import FaultCode

log = logging.getLogger(__name__)


class DocumentPrinter(Device):
    """Prints A4 documents (PDF) and follows each job to its end. Call it only on its DeviceRunner thread."""

    kind: ClassVar[DeviceKind] = DeviceKind.DOCUMENT_PRINTER
    io_methods = Device.io_methods | {"print_pdf", "job_state", "follow_job", "cancel_job"}

    @abstractmethod
    def print_pdf(self, data: bytes, title: str) -> int:
        """Submit ``data`` (a PDF, from memory) as a job named ``title`` (the document's title, never a name);
        its job id. BadDocument (a ValueError) before any I/O when ``data`` is no PDF; NoMedium when there is no
        A4 paper; DriverError when the printer cannot print now (door open, offline, queue stopped or not
        accepting); DeviceGone / DeviceTimeout when the scheduler is away."""

    @abstractmethod
    def job_state(self, job_id: int) -> JobStatus | None:
        """The job as the scheduler reports it now; None when it no longer knows it."""

    @abstractmethod
    def follow_job(self, job_id: int) -> PrintOutcome:
        """Wait (on the device thread) until the job completes, fails or stalls, and say how it ended. A stalled
        job is cancelled; every ended job is purged from the scheduler."""

    @abstractmethod
    def cancel_job(self, job_id: int) -> None:
        """Cancel the job and purge it (and its document) from the scheduler."""


class CupsDocumentPrinter(DocumentPrinter):
    """The CUPS queue ``queue`` ("" = the scheduler's default) on ``server`` (see
    :func:`drivers.document_printer.transport.parse_server`), every IPP request bounded by ``timeout_s``.

    Following: the job and the printer are asked every ``follow_poll_s``; no change for ``stall_s``, the printer
    unable to print for ``fault_grace_s``, or ``job_timeout_s`` in all, and the job counts as stalled. ``clock``
    and ``wait`` (monotonic seconds, and a sleep) are injectable.
    """

    def __init__(
        self,
        queue: str = "",
        *,
        server: str = "",
        timeout_s: float = 5.0,
        stall_s: float = 60.0,
        fault_grace_s: float = 10.0,
        job_timeout_s: float = 300.0,
        follow_poll_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[float], None] = time.sleep,
        cups: object = None,
        simulator: Simulator | None = None,
    ) -> None:
        self.link = CupsLink(server, timeout_s=timeout_s, cups=cups)
        self.configured_queue = queue
        self.queue = queue
        self.stall_s = stall_s
        self.fault_grace_s = fault_grace_s
        self.job_timeout_s = job_timeout_s
        self.follow_poll_s = follow_poll_s
        self.simulator = simulator  # the private cupsd with its cups-pdf queue, when transport = "simulator"
        self._clock = clock
        self._wait = wait
        self.last_outcome: PrintOutcome | None = None
        self._lost: set[int] = set()  # jobs whose following broke off: cancelled once CUPS answers again

    # -- Device ----------------------------------------------------------------------------------------------

    def open(self) -> None:
        """Connect to the scheduler and find the queue (the default one when none is configured)."""
        self.link.connect()
        if not self.configured_queue:
            default = self.link.default_queue()
            if not default:
                raise DriverError(
                    f"no queue configured (devices.document_printer.address) and {self.link.name} has no default"
                )
            self.queue = default
        self._queue_state()  # DriverError when the queue does not exist
        self._cancel_lost()
        log.info("document printer: queue %r on %s opened", self.queue, self.link.name)

    def close(self) -> None:
        """Forget the connection; safe twice."""
        self.link.release()

    def status(self) -> DeviceStatus:
        """The queue's IPP status as a DeviceStatus, with PRINT_FAILED while the last followed job failed."""
        status = self._queue_state()
        outcome = self.last_outcome
        if outcome is None or outcome.ok:
            return status
        state = DeviceState.DEGRADED if status.state == DeviceState.OK else status.state
        detail = {**status.detail, "last_job": f"{outcome.result}: {outcome.reason}"}
        return replace(status, state=state, faults=status.faults | {FaultCode.PRINT_FAILED}, detail=detail)

    def self_test(self) -> SelfTestResult:
        """A status round trip (no test page: A4 paper is for citizens)."""
        try:
            status = self.status()
        except DriverError as exc:
            return SelfTestResult(ok=False, steps=(("queue", False, f"{type(exc).__name__}: {exc}"),))
        step = ("queue", status.usable, f"{self.queue}: {status.state} {sorted(status.faults)}")
        return SelfTestResult(ok=status.usable, steps=(step,), detail={"server": self.link.name, "queue": self.queue})

    # -- DocumentPrinter -------------------------------------------------------------------------------------

    def print_pdf(self, data: bytes, title: str) -> int:
        """Check the document, check the printer can print, submit from memory; the job id."""
        check_pdf(data)  # a bad document fails before any I/O
        status = self._queue_state()
        if not status.usable:
            names = ", ".join(sorted(status.faults))
            if FaultCode.A4_PAPER_OUT in status.faults:
                raise NoMedium("document printer: no A4 paper", code=names)
            raise DriverError(f"document printer cannot print: {names}", code=names)
        started = self._clock()
        job_id = self.link.create_job(self.queue, job_title(title), JOB_OPTIONS)
        try:
            self.link.send_document(self.queue, job_id, bytes(data))
        except DriverError:
            self._forget(job_id)  # half a document must not come out (nor be left in CUPS's spool)
            raise
        log.info(
            "document printer: job %d submitted (%d bytes, %.0f ms)", job_id, len(data), (self._clock() - started) * 1e3
        )
        return job_id

    def job_state(self, job_id: int) -> JobStatus | None:
        """The job now; None when the scheduler no longer knows it."""
        try:
            attrs = self.link.job_attributes(job_id, JOB_ATTRIBUTES)
        except DriverError as exc:
            if exc.code == hex(IPP_NOT_FOUND):
                return None
            raise
        return parse_job_attributes(job_id, attrs)

    def follow_job(self, job_id: int) -> PrintOutcome:
        """Poll the job and the printer until the job ends or stalls; cancel a stalled one, purge every ended one.

        DeviceGone / DeviceTimeout when the scheduler goes away meanwhile (the job then counts as failed)."""
        follower = JobFollower(
            job_id,
            started=self._clock(),
            stall_s=self.stall_s,
            fault_grace_s=self.fault_grace_s,
            timeout_s=self.job_timeout_s,
        )
        try:
            while True:
                job = self.job_state(job_id)
                printer = self._queue_state() if job is not None and not job.done else None
                outcome = follower.observe(self._clock(), job, printer)
                if outcome is not None:
                    break
                self._wait(self.follow_poll_s)
        except DriverError as exc:
            # The job may still be queued, and CUPS keeps queued jobs across its restarts: it is cancelled when
            # the printer is next opened, so a certificate never comes out later with nobody there.
            self._lost.add(job_id)
            reason = "printer_gone" if isinstance(exc, DeviceGone | DeviceTimeout) else "error"
            self.last_outcome = PrintOutcome(job_id, FAILED, reason, str(exc)[:200])
            raise
        if outcome.result != COMPLETED and job is not None and not job.done:
            log.warning("document printer: job %d %s (%s): cancelling it", job_id, outcome.result, outcome.reason)
        if job is not None:
            self._forget(job_id, ended=job.done)
        self.last_outcome = outcome
        log.info(
            "document printer: job %d %s (%s) after %.1f s", job_id, outcome.result, outcome.reason, outcome.elapsed_s
        )
        return outcome

    def cancel_job(self, job_id: int) -> None:
        """Cancel and purge the job."""
        job = self.job_state(job_id)
        if job is not None:
            self._discard(job_id, ended=job.done)

    # -- internals -------------------------------------------------------------------------------------------

    def _forget(self, job_id: int, *, ended: bool = False) -> None:
        """Cancel (unless ``ended``) and purge the job; when CUPS cannot be reached for it, keep it as lost, to be
        cancelled when the printer is next opened."""
        try:
            self._discard(job_id, ended=ended)
        except DriverError as exc:
            log.warning("document printer: could not cancel job %d now (%s); will when CUPS answers again", job_id, exc)
            self._lost.add(job_id)

    def _cancel_lost(self) -> None:
        for job_id in sorted(self._lost):
            job = self.job_state(job_id)
            if job is not None:
                log.warning("document printer: cancelling job %d, whose following broke off", job_id)
                self._discard(job_id, ended=job.done)
            self._lost.discard(job_id)

    def _discard(self, job_id: int, *, ended: bool) -> None:
        """Cancel a job that has not ended, wait (at most ``timeout_s``) until CUPS has stopped its filters, then
        purge it: a job purged while it runs stays in the history as cancelled, with its files."""
        if not ended:
            self.link.cancel(job_id)
            deadline = self._clock() + self.link.timeout_s
            while self._clock() < deadline:
                job = self.job_state(job_id)
                if job is None or job.done:
                    break
                self._wait(self.follow_poll_s)
        self.link.purge(job_id)

    def _queue_state(self) -> DeviceStatus:
        attrs = self.link.printer_attributes(self.queue, PRINTER_ATTRIBUTES)
        return to_device_status(str(self.kind), self.queue, parse_printer_attributes(attrs))
