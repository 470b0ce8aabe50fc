"""Choose: "one thing" bundles and the departments' services; items that need the hall server are greyed out
with the reason while it is unreachable. Also the way to an appointment, a queue number or a report.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.catalog import Text
from kiosk.visit.view import Offer, SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.flow import FlowLayout
from ui.widgets.tiles import Tile, TileGrid

BUNDLES = "bundles"
WAYS = "ways"  # elderly mode: appointment, queue number and report are a group of their own


class ChooseScreen(Screen):
    """Group chips (bundles, then one per department) above a dragged list of tiles; chips and the other ways
    (appointment, queue number, report) flow into as many rows as their labels need."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.greeting = label("", "title")
        self.offline = label("", "notice")
        self.body.addWidget(self.greeting)
        self.body.addWidget(self.offline)
        groups = QWidget()
        self.groups_box = FlowLayout(groups, spacing=self.theme.gap)
        self.body.addWidget(groups)
        self.leave_booking = button("", "secondary")  # in place of the group chips while picking a department
        self.leave_booking.hide()
        self.body.addWidget(self.leave_booking)
        self.group_buttons: dict[str, QPushButton] = {}
        self.grid = TileGrid(
            columns=self.theme.columns, per_page=self.theme.items_per_page, scroll=True,
            min_height=self.theme.button_height * 2,
        )  # fmt: skip
        self.middle = QStackedWidget()
        self.middle.addWidget(self.grid)
        self.body.addWidget(self.middle, 1)
        self.message = label("", "error", autohide=True)
        self.body.addWidget(self.message)
        more = QWidget()
        more_box = FlowLayout(more, spacing=self.theme.gap)
        self.ways = more
        self.appointment = button("", "secondary")
        self.cancel_booking = button("", "secondary")
        self.ticket = button("", "secondary")
        self.report = button("", "secondary")
        for w in (self.appointment, self.cancel_booking, self.ticket, self.report):
            more_box.addWidget(w)
        if self.theme.elderly:  # fewer things at once: the other ways are one more group chip, not a row
            page = QWidget()
            page_lay = QVBoxLayout(page)
            page_lay.setContentsMargins(0, 0, 0, 0)
            page_lay.addWidget(more)
            page_lay.addStretch(1)
            self.middle.addWidget(page)
        else:
            self.body.addWidget(more)
        self.grid.picked.connect(self._picked)
        self.appointment.clicked.connect(lambda: self.set_booking(True))
        self.leave_booking.clicked.connect(lambda: self.set_booking(False))
        self.cancel_booking.clicked.connect(lambda: self.emit("start_bookings"))
        self.ticket.clicked.connect(lambda: self.emit("ticket"))
        self.report.clicked.connect(lambda: self.emit("report"))
        self._group = BUNDLES
        self.booking = False  # picking the department of an appointment instead of a service
        self._can_cancel = False
        self._offers: tuple[Offer, ...] = ()
        self._departments: tuple[tuple[str, Text], ...] = ()
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Choose", "What would you like to do?")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.appointment.setText(translate("Choose", "Book a window appointment"))
        self.leave_booking.setText(translate("Choose", "◀ Back to the services"))
        self.cancel_booking.setText(translate("Choose", "Cancel an appointment"))
        self.ticket.setText(translate("Choose", "Take a queue number"))
        self.report.setText(translate("Choose", "Could not get it done? Tell us"))
        self.grid.retranslate()
        if BUNDLES in self.group_buttons:
            self.group_buttons[BUNDLES].setText(translate("Choose", "One-thing bundles"))
        if WAYS in self.group_buttons:
            self.group_buttons[WAYS].setText(translate("Choose", "Appointments and more"))

    def render(self, view: SessionView) -> None:
        """Greeting, groups and the tiles of the selected group."""
        super().render(view)
        name = view.greeting_name
        self.greeting.setText(
            translate("Choose", "Hello, {0}. What would you like to do?").format(name)
            if name
            else translate("Choose", "Hello. What would you like to do?")
        )
        self.offline.setVisible(not view.hall_online)
        self.offline.setText(
            translate(
                "Choose",
                "The connection to the service center is down. Services marked as needing it cannot be done now; "
                "everything else is saved here and sent later.",
            )
        )
        self._offers = view.offers
        self._set_groups(view)
        self.retranslate()
        self._show_group()
        self.message.setText(self.t(view.message))
        self.appointment.setEnabled("appointment" in view.events)
        self._can_cancel = "bookings" in view.events
        self.cancel_booking.setVisible(self._can_cancel and not self.booking)
        self.ticket.setEnabled("ticket" in view.events and view.ticket_available)
        self.report.setEnabled("report" in view.events)

    def _set_groups(self, view: SessionView) -> None:
        keys = [BUNDLES] + [key for key, _ in view.departments if self._in_group(key, view)]
        if self.theme.elderly:
            keys.append(WAYS)
        if list(self.group_buttons) != keys:
            for b in self.group_buttons.values():
                self.groups_box.removeWidget(b)
                b.deleteLater()
            self.group_buttons = {}
            for key in keys:
                b = button("", "chip")
                b.setCheckable(True)
                b.clicked.connect(lambda _=False, k=key: self.select_group(k))
                self.groups_box.addWidget(b)
                self.group_buttons[key] = b
        names = dict(view.departments)
        for key, b in self.group_buttons.items():
            if key not in (BUNDLES, WAYS):
                b.setText(self.t(names[key]))
        if self._group not in self.group_buttons:
            self._group = BUNDLES
        self._departments = view.departments

    def entered(self) -> None:
        """Coming (back) to this step starts with the bundles, not in the appointment picker."""
        self.booking = False
        self._group = BUNDLES
        self.grid.set_page(0)

    def _in_group(self, key: str, view: SessionView) -> bool:
        names = dict(view.departments)
        return any(o.kind == "service" and o.department == names[key] for o in view.offers)

    def select_group(self, key: str) -> None:
        """Show the tiles of group ``key`` (bundles or a department key)."""
        self._group = key
        self.grid.set_page(0)
        self._show_group()

    def set_booking(self, on: bool) -> None:
        """Switch the grid between services and the departments an appointment can be booked with."""
        self.booking = on
        self.grid.set_page(0)
        self.retranslate()
        self._show_group()
        self.cancel_booking.setVisible(not on and self._can_cancel)

    def show_ways(self) -> None:
        """Bring the appointment, queue number and report buttons into view (elderly mode keeps them a group)."""
        if self.theme.elderly:
            self.select_group(WAYS)

    def _show_group(self) -> None:
        self.middle.setCurrentIndex(1 if self._group == WAYS and not self.booking else 0)
        for b in self.group_buttons.values():
            b.setVisible(not self.booking)
        self.leave_booking.setVisible(self.booking)
        self.ways.setVisible(not self.booking or self.theme.elderly)
        if self.booking:
            self.greeting.setText(translate("Choose", "Book an appointment: which department?"))
            self.grid.set_tiles([Tile(key=f"department:{k}", title=self.t(name)) for k, name in self._departments])
            return
        names = dict(self._departments)
        if self._group == BUNDLES:
            offers = [o for o in self._offers if o.kind == "bundle"]
        else:
            offers = [o for o in self._offers if o.kind == "service" and o.department == names.get(self._group)]
        tiles = [
            Tile(
                key=f"{o.kind}:{o.id}",
                title=self.t(o.name),
                detail=self.t(o.reason) if not o.available else self.t(o.department),
                enabled=o.available,
            )
            for o in offers
        ]
        self.grid.set_tiles(tiles)
        for key, b in self.group_buttons.items():
            b.setChecked(key == self._group)

    def _picked(self, key: str) -> None:
        kind, _, item = key.partition(":")
        action = {"bundle": "choose_bundle", "service": "choose_service", "department": "start_appointment"}[kind]
        self.emit(action, item)

    def clear(self) -> None:
        """Forget the greeting (it holds the citizen's name)."""
        self.greeting.clear()
        self.message.clear()
        self._group = BUNDLES
        self.booking = False
