"""Cancelling an appointment: the citizen's bookings made at this kiosk, one picked and withdrawn, then the
confirmation. The slip says "cancel at least 2 hours before"; this is the screen that lets them."""

from __future__ import annotations

from kiosk.appointments import KeptBooking
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.appointment import weekday_name
from ui.screens.base import Context, Screen
from ui.screens.outcome import OutcomeScreen
from ui.widgets.buttons import button, label
from ui.widgets.tiles import Tile, TileGrid


def when(b: KeptBooking) -> str:
    """The booking's time as the slip shows it."""
    return f"{b.start:%Y-%m-%d} {weekday_name(b.start)} {b.start:%H:%M}–{b.end:%H:%M}"


class BookingsScreen(Screen):
    """The bookings as tiles (tap one to choose it), then the one red button that cancels it."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.note = label("", "hint")
        self.grid = TileGrid(columns=1, per_page=4, scroll=True, min_height=self.theme.button_height)
        self.message = label("", "error", autohide=True)
        self.withdraw = button("", "danger")
        for w in (self.heading, self.note):
            self.body.addWidget(w)
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.message)
        self.body.addWidget(self.withdraw)
        self.bookings: dict[str, KeptBooking] = {}
        self.chosen = ""
        self._departments: dict[str, str] = {}
        self.grid.picked.connect(self.pick)
        self.withdraw.clicked.connect(lambda: self.emit("withdraw_booking", self.chosen))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Bookings", "Cancel an appointment")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.withdraw.setText(translate("Bookings", "Cancel this appointment"))
        self.note.setText(
            translate(
                "Bookings",
                "Bookings made at this kiosk can be cancelled here until 2 hours before. For others, call {0}.",
            ).format(self.ctx.kiosk.hotline)
        )

    def render(self, view: SessionView) -> None:
        """One tile per booking; the first chosen when there is only one."""
        super().render(view)
        self.retranslate()
        self._departments = {k: self.t(name) for k, name in view.departments}
        self.bookings = {b.reference: b for b in view.bookings}
        if self.chosen not in self.bookings:
            self.chosen = next(iter(self.bookings)) if len(self.bookings) == 1 else ""
        self.heading.setText(
            translate("Bookings", "Which appointment do you want to cancel?")
            if self.bookings
            else translate("Bookings", "You have no appointments booked at this kiosk.")
        )
        self._show()
        self.message.setText(self.t(view.message))

    def pick(self, reference: str) -> None:
        """Choose booking ``reference``."""
        self.chosen = reference
        self._show()

    def _show(self) -> None:
        self.grid.set_tiles([
            Tile(key=r, title=when(b), detail=f"{self._departments.get(b.department, b.department)} · {r}",
                 checked=r == self.chosen)
            for r, b in self.bookings.items()
        ])  # fmt: skip
        self.withdraw.setEnabled(bool(self.chosen))
        self.withdraw.setVisible(bool(self.bookings))

    def clear(self) -> None:
        """Forget the bookings."""
        self.bookings, self.chosen = {}, ""
        self.grid.clear()
        self.message.clear()


class BookingCancelledScreen(OutcomeScreen):
    """The booking is withdrawn: its number and time, then something else or finish."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.qr.hide()
        self.more = self.add_action("secondary")
        self.finish = self.add_action("primary")
        self.more.clicked.connect(lambda: self.emit("more"))
        self.finish.clicked.connect(lambda: self.emit("finish"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Bookings", "Appointment cancelled")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.number_caption.setText(translate("Appointment", "Appointment number"))
        self.more.setText(translate("Appointment", "Something else"))
        self.finish.setText(translate("Appointment", "Finish"))

    def render(self, view: SessionView) -> None:
        """What was cancelled."""
        super().render(view)
        self.retranslate()
        self.heading.setText(translate("Bookings", "Your appointment is cancelled. The hall has been told."))
        b = view.withdrawn
        if b is None:
            return
        names = dict(view.departments)
        self.number.setText(b.reference)
        self.details.setText(
            "\n".join([
                translate("Appointment", "Time: {0}").format(when(b)),
                translate("Appointment", "Department: {0}").format(self.t(names.get(b.department))),
            ])
        )  # fmt: skip
        self.message.setText(self.t(view.message))
