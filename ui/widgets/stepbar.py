"""Where the citizen is: the steps of what they are doing, the current one marked (证件 → 事项 → … → 提交).

Each way through the kiosk (apply, book an appointment, cancel one, take a queue number, report) has its own
short list; the screens of a step that belongs to none (attract, rating, goodbye) show no bar. The texts are
the same on every step of a way, so the bar never changes size while the citizen goes along it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.visit.flow import Step
from ui.i18n import translate
from ui.widgets.buttons import label, set_role
from ui.widgets.flow import FlowLayout


def _apply() -> list[str]:
    return [translate("Steps", "ID"), translate("Steps", "Service"), translate("Steps", "Notice"),
            translate("Steps", "Form"), translate("Steps", "Check"), translate("Steps", "Photos"),
            translate("Steps", "Sent")]  # fmt: skip


# The apply way's "Photos" (the capture step) is shown only on a kiosk with a document camera; elsewhere the way
# goes Check › Sent, never past a step the citizen could not take.
PHOTOS = ("apply", 5)


def _appointment() -> list[str]:
    return [translate("Steps", "ID"), translate("Steps", "Department"), translate("Steps", "Time"),
            translate("Steps", "Booked")]  # fmt: skip


def _cancel() -> list[str]:
    return [translate("Steps", "ID"), translate("Steps", "Booking"), translate("Steps", "Cancelled")]


def _ticket() -> list[str]:
    return [translate("Steps", "Department"), translate("Steps", "Your number")]


def _report() -> list[str]:
    return [translate("Steps", "Problem"), translate("Steps", "Sent")]


# step -> (the way it belongs to, its place on that way); the choose screen's booking mode is told apart by the
# screen (``booking``), since both start on the same step.
PLACES: dict[Step, tuple[str, int]] = {
    Step.IDENTIFY: ("apply", 0), Step.CHOOSE: ("apply", 1), Step.NOTICE: ("apply", 2), Step.FORM: ("apply", 3),
    Step.REVIEW: ("apply", 4), Step.CAPTURE: PHOTOS, Step.SUBMITTED: ("apply", 6), Step.RECEIPT: ("apply", 6),
    Step.APPOINTMENT: ("appointment", 2), Step.APPOINTMENT_DONE: ("appointment", 3),
    Step.BOOKINGS: ("cancel", 1), Step.BOOKING_CANCELLED: ("cancel", 2),
    Step.TICKET: ("ticket", 0), Step.TICKET_DONE: ("ticket", 1),
    Step.REPORT: ("report", 0), Step.REPORT_DONE: ("report", 1),
}  # fmt: skip
WAYS = {"apply": _apply, "appointment": _appointment, "cancel": _cancel, "ticket": _ticket, "report": _report}


class StepBar(QWidget):
    """A row of step names; done ones ticked, the current one highlighted (role "step-now")."""

    def __init__(self, gap: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "steps")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.flow = FlowLayout(self, spacing=gap // 2)
        self.flow.setContentsMargins(gap * 2, gap // 2, gap * 2, gap // 2)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.labels: list[QLabel] = []
        self.way, self.place = "", -1
        self.photos = False  # the kiosk has a document camera: the apply way has its "Photos" step

    def show_place(self, way: str, place: int) -> None:
        """Mark step ``place`` of ``way`` ("" hides the bar)."""
        names = WAYS[way]() if way in WAYS else []
        if way == PHOTOS[0] and not self.photos:
            del names[PHOTOS[1]]
            place -= place > PHOTOS[1]
        self.way, self.place = way, place
        self.setVisible(bool(names))
        while len(self.labels) < len(names):
            lab = label("", "step", wrap=False)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.flow.addWidget(lab)
            self.labels.append(lab)
        for i, lab in enumerate(self.labels):
            lab.setVisible(i < len(names))
            if i >= len(names):
                continue
            arrow = " ›" if i < len(names) - 1 else ""
            lab.setText(f"{i + 1} {names[i]}{arrow}")
            set_role(lab, "step-now" if i == place else ("step-done" if i < place else "step"))
        self.flow.invalidate()

    def current(self) -> str:
        """The current step's name ("" when none)."""
        if 0 <= self.place < len(self.labels) and self.labels[self.place].isVisible():
            return self.labels[self.place].text()
        return ""
