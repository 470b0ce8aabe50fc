"""办不成事 (could not get it done): what went wrong, optionally a few words and a phone number to call back."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout

from kiosk.catalog import Text
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.screens.outcome import OutcomeScreen
from ui.widgets.buttons import button, label
from ui.widgets.keypad import NumericKeypad
from ui.widgets.textkeys import TextKeyboard
from ui.widgets.tiles import Tile, TileGrid


class ReportScreen(Screen):
    """Category chips, then either the phone keypad or the letter keyboard for a short description."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "")
        self.body.addWidget(self.heading)
        row = self.split_layout()
        self.body.addLayout(row, 1)
        left = QVBoxLayout()
        self.cats = TileGrid(
            columns=1 if self.theme.elderly else 2, per_page=6, scroll=True, min_height=self.theme.button_height
        )
        left.addWidget(self.cats, 1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        tabs = QHBoxLayout()
        self.phone_tab = button("", "chip")
        self.text_tab = button("", "chip")
        for b in (self.phone_tab, self.text_tab):
            b.setCheckable(True)
            tabs.addWidget(b)
        right.addLayout(tabs)
        self.phone_value = label("", "value", wrap=False)
        self.text_value = label("", "value")
        right.addWidget(self.phone_value)
        right.addWidget(self.text_value)
        self.text_value.hide()
        self.inputs = QStackedWidget()
        self.keypad = NumericKeypad(max_length=12, allow_x=False)
        self.keys = TextKeyboard(max_length=500)
        self.inputs.addWidget(self.keypad)
        self.inputs.addWidget(self.keys)
        right.addWidget(self.inputs, 1)
        row.addLayout(right, 1)
        self.message = label("", "error", autohide=True)
        self.send = button("", "primary")
        # Landscape: under the categories, so the keys beside them get the screen's height.
        for w in (self.message, self.send):
            (self.body if self.theme.portrait else left).addWidget(w)
        self.categories: tuple[tuple[str, Text], ...] = ()
        self.category = ""
        self.cats.picked.connect(self.pick)
        self.phone_tab.clicked.connect(lambda: self._tab(0))
        self.text_tab.clicked.connect(lambda: self._tab(1))
        self.keypad.changed.connect(lambda v: self.phone_value.setText(self._phone_line(v)))
        self.keys.changed.connect(lambda v: self.text_value.setText(self._text_line(v)))
        self.send.clicked.connect(
            lambda: self.emit("report_unresolved", self.category, self.keys.value(), self.keypad.value())
        )
        self._tab(0)
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Report", "Could not get it done?")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.heading.setText(
            translate("Report", "Tell us what kept you from getting it done. The hall will follow up.")
        )
        self.phone_tab.setText(translate("Report", "Call-back phone"))
        self.text_tab.setText(translate("Report", "A few words"))
        self.send.setText(translate("Report", "Send"))
        self.phone_value.setText(self._phone_line(self.keypad.value()))
        self.text_value.setText(self._text_line(self.keys.value()))
        self.keypad.retranslate()
        self.keys.retranslate()

    def _phone_line(self, value: str) -> str:
        return translate("Report", "Phone (optional): {0}").format(value or "—")

    def _text_line(self, value: str) -> str:
        return translate("Report", "Description (pinyin or English): {0}").format(value or "—")

    def _tab(self, index: int) -> None:
        self.inputs.setCurrentIndex(index)
        self.phone_value.setVisible(index == 0)
        self.text_value.setVisible(index == 1)
        self.phone_tab.setChecked(index == 0)
        self.text_tab.setChecked(index == 1)

    def render(self, view: SessionView) -> None:
        """Categories from the session."""
        super().render(view)
        self.retranslate()
        self.categories = view.report_categories
        self.message.setText(self.t(view.message))
        self.pick(self.category)

    def pick(self, key: str) -> None:
        """Choose a category."""
        self.category = key
        self.cats.set_tiles([Tile(k, self.t(text), checked=k == key) for k, text in self.categories])
        self.send.setEnabled(bool(key))

    def clear(self) -> None:
        """Forget the phone number and text."""
        self.keypad.clear()
        self.keys.clear()
        self.message.clear()
        self.pick("")


class ReportDoneScreen(OutcomeScreen):
    """Thanks, with the report's reference."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.qr.hide()
        self.finish = self.add_action("primary")
        self.finish.clicked.connect(lambda: self.emit("finish"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Report", "Thank you")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.number_caption.setText(translate("Report", "Report number"))
        self.finish.setText(translate("Report", "Finish"))

    def render(self, view: SessionView) -> None:
        """The reference."""
        super().render(view)
        self.retranslate()
        self.heading.setText(translate("Report", "Thank you. Your report has been recorded."))
        self.number.setText(view.reference or "")
        self.details.setText(
            translate(
                "Report",
                "The service center will look into it. If you left a phone number, they will call you back. "
                "Help hotline: {0}",
            ).format(self.ctx.kiosk.hotline)
        )
