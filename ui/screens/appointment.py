"""Appointments (预约): the bookable slots for the chosen department, then the slip (number, time, QR)."""

from __future__ import annotations

from datetime import datetime

from kiosk.appointments import Slot
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.outcome import OutcomeScreen
from ui.widgets.buttons import label
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


class AppointmentScreen(Screen):
    """Paged slot tiles (full slots greyed); the session offers only slots far enough ahead."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.rule = label("", "hint")
        self.grid = TileGrid(columns=self.theme.columns, per_page=self.theme.items_per_page)
        self.message = label("", "error", autohide=True)
        for w in (self.heading, self.rule):
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
                "Choose a time. Bookings open at least a day ahead, one per person per day. Bring your ID card.",
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
        tiles = [
            Tile(
                key=s.key,
                title=f"{s.start:%m-%d} {weekday_name(s.start)} {s.start:%H:%M}–{s.end:%H:%M}",
                detail=(
                    translate("Appointment", "{0} places left").format(s.remaining)
                    if s.remaining
                    else translate("Appointment", "Fully booked")
                ),
                enabled=s.remaining > 0,
            )
            for s in view.slots
        ]
        self.grid.set_tiles(tiles)
        empty = translate("Appointment", "No times can be booked at the moment. Please call the hotline.")
        self.message.setText(self.t(view.message) or ("" if tiles else empty))

    def clear(self) -> None:
        """Forget the slots."""
        self.slots = {}
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
            translate("Appointment", "Name: {0}   ID number: {1}").format(slip.name_masked, slip.id_masked),
            "",
            translate("Appointment", "Arrive on time and exchange the slip for a priority number at the hall."),
        ]
        self.details.setText("\n".join(lines))
        self.message.setText(self.t(view.message))
