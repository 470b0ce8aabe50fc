"""Appointments (预约): a day picker and that day's slots for the chosen department, then the slip (number,
time, QR). The day chips replace paging through every slot of the week (8 pages in elderly mode)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.appointments import Slot
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.outcome import OutcomeScreen
from ui.widgets.buttons import button, label
from ui.widgets.flow import FlowLayout
from ui.widgets.tiles import Tile, TileGrid


def weekday_name(when: datetime) -> str:
    """The weekday of ``when`` in the installed language."""
    names = {
        0: translate("Appointment", "Mon"),
        1: translate("Appointment", "Tue"),
        2: translate("Appointment", "Wed"),
        3: translate("Appointment", "Thu"),
        4: translate("Appointment", "Fri"),
        5: translate("Appointment", "Sat"),
        6: translate("Appointment", "Sun"),
    }
    return names[when.weekday()]


def day_name(day: date) -> str:
    """A day chip's label: "11-26 Thu"."""
    return f"{day:%m-%d} {weekday_name(datetime.combine(day, datetime.min.time()))}"


class AppointmentScreen(Screen):
    """Day chips, then the slot tiles of the chosen day (full slots greyed); the session offers only slots
    far enough ahead."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.rule = label("", "hint")
        days = QWidget()
        self.days_box = FlowLayout(days, spacing=self.theme.gap)
        self.day_buttons: dict[date, QPushButton] = {}
        self.day: date | None = None
        self.grid = TileGrid(
            columns=self.theme.columns, per_page=self.theme.items_per_page, scroll=True,
            min_height=self.theme.button_height,
        )  # fmt: skip
        self.message = label("", "error", autohide=True)
        for w in (self.heading, self.rule, days):
            self.body.addWidget(w)
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.message)
        self.slots: dict[str, Slot] = {}
        self.grid.picked.connect(lambda key: self.emit("book", self.slots[key]))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Appointment", "Book a window appointment")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.rule.setText(
            translate(
                "Appointment",
                "Choose a day, then a time. Book at least one day ahead; one booking per person per day. "
                "Bring your ID card.",
            )
        )
        self.grid.retranslate()

    def render(self, view: SessionView) -> None:
        """One tile per slot."""
        super().render(view)
        self.retranslate()
        dept = self.t(view.appointment_department)
        self.heading.setText(translate("Appointment", "Appointment at: {0}").format(dept))
        self.slots = {s.key: s for s in view.slots}
        days = sorted({s.start.date() for s in view.slots})
        if list(self.day_buttons) != days:
            for b in self.day_buttons.values():
                self.days_box.removeWidget(b)
                b.deleteLater()
            self.day_buttons = {}
            for day in days:
                b = button("", "chip")
                b.setCheckable(True)
                b.clicked.connect(lambda _=False, d=day: self.pick_day(d))
                self.days_box.addWidget(b)
                self.day_buttons[day] = b
        for day, b in self.day_buttons.items():
            b.setText(day_name(day))
            free = any(s.remaining for s in view.slots if s.start.date() == day)
            b.setEnabled(free)
        if self.day not in days or not self.day_buttons[self.day].isEnabled():
            self.day = next((d for d, b in self.day_buttons.items() if b.isEnabled()), days[0] if days else None)
        self._show_day()
        empty = translate("Appointment", "No times can be booked at the moment. Please call the hotline.")
        self.message.setText(self.t(view.message) or ("" if view.slots else empty))

    def pick_day(self, day: date) -> None:
        """Show the slots of ``day``."""
        self.day = day
        self._show_day()

    def _show_day(self) -> None:
        for day, b in self.day_buttons.items():
            b.setChecked(day == self.day)
        tiles = [
            Tile(
                key=s.key,
                title=f"{s.start:%H:%M}–{s.end:%H:%M}",
                detail=(
                    translate("Appointment", "{0} places left").format(s.remaining)
                    if s.remaining
                    else translate("Appointment", "Fully booked")
                ),
                enabled=s.remaining > 0,
            )
            for s in self.slots.values()
            if s.start.date() == self.day
        ]
        self.grid.set_tiles(tiles)

    def clear(self) -> None:
        """Forget the slots."""
        self.slots = {}
        self.day = None
        self.grid.clear()
        self.message.clear()


class AppointmentDoneScreen(OutcomeScreen):
    """The booked slip: reference, time, department, masked name; print it; something else or finish."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.more = self.add_action("secondary")
        self.finish = self.add_action("primary")
        self.more.clicked.connect(lambda: self.emit("more"))
        self.finish.clicked.connect(lambda: self.emit("finish"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Appointment", "Appointment booked")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.number_caption.setText(translate("Appointment", "Appointment number"))
        self.qr_caption.setText(translate("Appointment", "Show this code at the hall"))
        self.more.setText(translate("Appointment", "Something else"))
        self.finish.setText(translate("Appointment", "Finish"))

    def render(self, view: SessionView) -> None:
        """The slip."""
        super().render(view)
        self.retranslate()
        slip = view.slip
        self.heading.setText(translate("Appointment", "Your appointment is booked."))
        if slip is None:
            return
        self.number.setText(slip.reference)
        self.qr.set_data(slip.qr)
        lines = [
            translate("Appointment", "Time: {0}").format(f"{slip.start:%Y-%m-%d} {weekday_name(slip.start)} "
                                                          f"{slip.start:%H:%M}–{slip.end:%H:%M}"),
            translate("Appointment", "Department: {0}").format(self.t(slip.department)),
            translate("Appointment", "Name: {0}").format(slip.name_masked),
            translate("Appointment", "ID number: {0}").format(slip.id_masked),
            "",
            translate("Appointment", "Arrive on time and exchange the slip for a priority number at the hall."),
            translate(
                "Appointment",
                "Cannot come? Cancel at this kiosk at least 2 hours before: identify, then \"Cancel an appointment\".",
            ),
        ]
        self.details.setText("\n".join(lines))
        self.message.setText(self.t(view.message))
