"""Printing a step's document (notice, receipt, appointment slip, queue ticket) through the device bridge,
with what the citizen is told at each stage and the way on when the printer cannot print.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from drivers.base import NoMedium
from kiosk.layout import PrintJob
from kiosk.maintenance import PrintCounters
from kiosk.visit.flow import Step
from kiosk.visit.view import SessionView
from ui.devices import DeviceBridge, dispenser_trouble, no_paper_way_on, printer_trouble
from ui.i18n import translate

log = logging.getLogger(__name__)

# The steps whose document is printed as soon as the step is reached (the notice only on request).
AUTO_PRINT = frozenset({Step.RECEIPT, Step.APPOINTMENT_DONE, Step.TICKET_DONE})


def device_for(step: Step) -> str:
    """Which device prints the document of ``step``: tickets come out of the dispenser."""
    return "dispenser" if step == Step.TICKET_DONE else "printer"


def way_on(step: Step, view: SessionView) -> str:
    """Plain words when the document of ``step`` cannot be printed: what stays on screen, where to go."""
    if step in (Step.SUBMITTED, Step.RECEIPT):
        return no_paper_way_on(view.reference or "")
    if step == Step.TICKET_DONE:
        return dispenser_trouble()
    if step == Step.APPOINTMENT_DONE:
        return translate(
            "Devices", "Please photograph the QR code or write down the appointment number {0}: it is your slip."
        ).format(view.reference or "")
    return translate(
        "Devices", "The notice stays on the screen. You can also get a printed copy at the service window."
    )


class Printing(QObject):
    """Sends documents to the printers; ``note(step, text, ok)`` tells the step's screen what to show."""

    note = Signal(object, str, bool)  # (step the document belongs to, text, ok)
    printed = Signal(str)  # the job's title

    def __init__(
        self, bridge: DeviceBridge, parent: QObject | None = None, *, counters: PrintCounters | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.counters = counters  # receipts and tickets since the roll was replaced (the technician screen)
        self.jobs: list[PrintJob] = []  # what was sent to a printer this visit (demo, tests; the shell empties it)
        # Health effect "onscreen_receipts" (the printer is out of paper or unusable, as the hall's rules see
        # it): documents of the receipt printer are not even tried; the screen keeps them, with the way on.
        self.onscreen = False

    def print(self, step: Step, view: SessionView, job: PrintJob | None) -> bool:
        """Send ``job`` (the document of ``step``) to its device; False if it could not even be started."""
        if job is None:
            return False
        kind = device_for(step)
        onscreen = self.onscreen and kind == "printer"
        if onscreen or not self.bridge.usable(kind):
            trouble = ""
            if kind == "printer":
                trouble = printer_trouble(self.bridge.status(kind))
                trouble = trouble or translate("Devices", "The printer is not working right now.")
            self.note.emit(step, " ".join(t for t in (trouble, way_on(step, view)) if t), False)
            return False
        self.note.emit(step, translate("Devices", "Printing, please wait…"), True)
        device = self.bridge.device(kind)
        fn: Callable[[PrintJob], None] = device.print_ticket if kind == "dispenser" else device.print_job

        def done(_result: object) -> None:
            self.jobs.append(job)
            if self.counters is not None:
                self.counters.count(kind)
            self.printed.emit(job.title)
            self.note.emit(step, translate("Devices", "Printed. Please take it from the slot below the screen."), True)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NoMedium) and kind == "printer":
                trouble = translate("Devices", "The printer has run out of paper.")
            elif kind == "printer":
                trouble = printer_trouble(self.bridge.status(kind))
                trouble = trouble or translate("Devices", "The printer could not print.")
            else:
                trouble = ""
            self.note.emit(step, " ".join(t for t in (trouble, way_on(step, view)) if t), False)

        self.bridge.call(kind, fn, job, on_done=done, on_error=failed)
        return True
