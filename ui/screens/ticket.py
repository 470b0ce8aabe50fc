"""Queue tickets (取号): pick a department, then the number (printed by the dispenser, always on screen)."""

from __future__ import annotations

from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.outcome import OutcomeScreen
from ui.widgets.buttons import label
from ui.widgets.tiles import Tile, TileGrid


class TicketScreen(Screen):
    """Department tiles."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.grid = TileGrid(columns=self.theme.columns, per_page=self.theme.items_per_page)
        self.message = label("", "error", autohide=True)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.message)
        self.grid.picked.connect(lambda key: self.emit("take_ticket", key))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Ticket", "Take a queue number")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.heading.setText(translate("Ticket", "Which department do you need?"))
        self.grid.retranslate()

    def render(self, view: SessionView) -> None:
        """One tile per department."""
        super().render(view)
        self.retranslate()
        self.grid.set_tiles([Tile(key=k, title=self.t(name)) for k, name in view.departments])
        self.message.setText(self.t(view.message))


class TicketDoneScreen(OutcomeScreen):
    """The number, very big; the dispenser prints it (or the screen is the ticket)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.number.max_px = self.theme.font_px("huge")  # a short number ("A023"), to be read from afar
        self.finish = self.add_action("primary")
        self.finish.clicked.connect(lambda: self.emit("finish"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Ticket", "Your queue number")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.number_caption.setText(translate("Ticket", "Your number"))
        self.qr_caption.setText(translate("Ticket", "Show this code at the window"))
        self.finish.setText(translate("Ticket", "Finish"))

    def render(self, view: SessionView) -> None:
        """Number, department, people waiting."""
        super().render(view)
        self.retranslate()
        t = view.ticket
        self.heading.setText(translate("Ticket", "Please wait until your number is called."))
        if t is None:
            return
        self.number.setText(t.number)
        self.qr.set_data(t.qr)
        lines = [translate("Ticket", "Department: {0}").format(self.t(t.department))]
        if t.waiting_ahead is not None:
            lines.append(translate("Ticket", "People waiting before you: {0}").format(t.waiting_ahead))
        if t.offline:
            lines.append(
                translate("Ticket", "Issued while the network is down: show this number at the window when called.")
            )
        lines.append(translate("Ticket", "If you miss your call, please take a new number."))
        self.details.setText("\n".join(lines))
        self.message.setText(self.t(view.message))
