"""Certificates on A4, decided without Qt: may a ``prints_document`` service be offered now, and what to tell the
citizen about a print job.

The A4 printer is the ``document_printer`` device (``drivers/document_printer``). The shell knows its live
status (``DeviceBridge``) and the agent's health effects (``health.effects``, where the rule
``document_printer_unusable`` / ``a4_paper_out`` puts ``no_certificates``); :func:`certificate_availability` takes
both, so a service is greyed with a reason the moment the printer reports a problem, and also while the agent
says so. A service that prints no document is never affected.

The driver follows each job to its end and reports a :class:`PrintOutcome` (plain data, defined here so the
session and the screens can keep and show it without importing drivers); :func:`outcome_text` is what the
citizen reads. A failed or stalled job can be printed again within the visit: the screen keeps the PDF bytes
in memory for the visit and submits them again; nothing of the document is written to the kiosk's disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.catalog import Service, Text
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.health.rules import EFFECT_NO_CERTIFICATES

# Why certificate services are unavailable now (the choose screen shows it, as it shows NEEDS_HALL).
NO_A4_PAPER = Text(
    "证明打印机A4纸已用完，暂时无法打印证明。请稍后再试，或到窗口办理。",
    "The certificate printer has run out of A4 paper, so certificates cannot be printed now. "
    "Try later or go to a service window.",
)
PRINTER_OUT_OF_ORDER = Text(
    "证明打印机暂时无法使用，暂时无法打印证明。请稍后再试，或到窗口办理。",
    "The certificate printer is out of order, so certificates cannot be printed now. "
    "Try later or go to a service window.",
)
NO_PRINTER_HERE = Text(
    "本机未配备证明打印机，请到窗口办理。",
    "This kiosk has no certificate printer: please go to a service window.",
)

# What the citizen reads after a job.
PRINTED = Text("证明已打印，请从出纸口取走。", "Your certificate has been printed: please take it from the tray.")
NOT_PRINTED = Text(
    "证明未能打印。您可以重新打印；如仍不成功，请到窗口办理。",
    "Your certificate could not be printed. You can print it again; if that fails too, please go to a service window.",
)
NOT_PRINTED_NO_PAPER = Text(
    "打印机A4纸已用完，证明未能打印，已通知工作人员。补纸后可重新打印，或到窗口办理。",
    "The printer ran out of A4 paper and your certificate was not printed; staff have been told. You can print "
    "it again once paper is loaded, or go to a service window.",
)
NOT_PRINTED_STALLED = Text(
    "打印长时间没有进展，已取消该打印任务，已通知工作人员。您可以重新打印，或到窗口办理。",
    "Printing made no progress, so the job was cancelled and staff have been told. You can print it again, or go "
    "to a service window.",
)

COMPLETED, FAILED, STALLED = "completed", "failed", "stalled"


@dataclass(frozen=True)
class PrintOutcome:
    """How one document job ended, as the driver's follower saw it.

    ``result``: "completed", "failed" (the printing system ended it: aborted, cancelled, gone) or "stalled" (no
    progress for too long, or the printer unable to print for too long; the driver cancels it so it cannot come
    out later with nobody there). ``reason`` is a short code ("completed", "aborted", "canceled", "vanished",
    "no_progress", "printer_fault", "timeout"); ``detail`` the IPP job state reasons and message (no personal
    data); ``printer_faults`` the printer's fault codes when the job ended.
    """

    job_id: int
    result: str
    reason: str
    detail: str = ""
    printer_faults: tuple[str, ...] = ()
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the document came out."""
        return self.result == COMPLETED


@dataclass(frozen=True)
class Availability:
    """Whether certificate services can be offered now, and why not."""

    available: bool
    reason: Text | None = None


AVAILABLE = Availability(True)


def certificate_availability(printer: DeviceStatus | None, effects: Iterable[str] = ()) -> Availability:
    """Whether a ``prints_document`` service can be offered: the A4 printer's live status (None: not known yet)
    and the health effects in force. No A4 paper says so; any other reason the printer cannot print is "out of
    order"; a kiosk without the printer says to go to a window."""
    if printer is not None and printer.state == DeviceState.DISABLED:
        return Availability(False, NO_PRINTER_HERE)
    if printer is not None and FaultCode.A4_PAPER_OUT in printer.faults:
        return Availability(False, NO_A4_PAPER)
    if printer is None or not printer.usable or EFFECT_NO_CERTIFICATES in set(effects):
        return Availability(False, PRINTER_OUT_OF_ORDER)
    return AVAILABLE


def services_availability(
    services: Iterable[Service], printer: DeviceStatus | None, effects: Iterable[str] = ()
) -> Availability:
    """:func:`certificate_availability` when any of ``services`` (a service, or a bundle's) prints a document;
    else available."""
    if any(s.prints_document for s in services):
        return certificate_availability(printer, effects)
    return AVAILABLE


def outcome_text(outcome: PrintOutcome) -> Text:
    """What the citizen reads after a job: printed, or not and what they can do (print again, go to a window)."""
    if outcome.ok:
        return PRINTED
    if FaultCode.A4_PAPER_OUT in outcome.printer_faults:
        return NOT_PRINTED_NO_PAPER
    if outcome.result == STALLED:
        return NOT_PRINTED_STALLED
    return NOT_PRINTED
