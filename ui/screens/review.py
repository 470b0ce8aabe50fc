"""Review: every filled value as it will be sent, then confirm (or go back to change something).

ID and phone numbers show masked, as the appointment slip prints them (someone may be looking over the
citizen's shoulder in a 24-hour hall); a button per masked field shows that one in full, and hides it again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.flow import FlowLayout
from ui.widgets.pager import TextPager


def colon(lang: str) -> str:
    """The label-value separator of ``lang`` (full-width in Chinese, ASCII in English)."""
    return "：" if lang == "zh" else ": "


class ReviewScreen(Screen):
    """Label: value lines, show buttons for the masked ones, a change button (back) and the send button."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.item = label("", "big")
        self.pager = TextPager()
        reveal = QWidget()
        self.reveal_box = FlowLayout(reveal, spacing=self.theme.gap)
        self.reveal_buttons: list[QPushButton] = []
        self.shown: set[int] = set()  # review rows the citizen asked to see in full
        self._rows: tuple = ()
        self._masked: tuple[str, ...] = ()
        self.message = label("", "error", autohide=True)
        actions = QWidget()  # two buttons side by side, or one above the other when their words need it
        row = FlowLayout(actions, spacing=self.theme.gap)
        self.change = button("", "secondary")
        self.confirm = button("", "primary")
        row.addWidget(self.change)
        row.addWidget(self.confirm)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.item)
        # Elderly landscape has no height to spare: the header's title already asks to check.
        self.heading.setVisible(not (self.theme.elderly and not self.theme.portrait))
        self.body.addWidget(self.pager, 1)
        self.body.addWidget(reveal)
        self.body.addWidget(self.message)
        self.body.addWidget(actions)
        self.photograph = False  # the camera works: the materials are photographed before sending
        self.change.clicked.connect(lambda: self.emit("back"))
        self.confirm.clicked.connect(lambda: self.emit("photograph_materials" if self.photograph else "confirm"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Review", "Check your application")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.heading.setText(translate("Review", "Please check everything before sending."))
        self.change.setText(translate("Review", "Change something"))
        self.confirm.setText(translate("Review", "Everything is right: send"))
        self.pager.retranslate()

    def render(self, view: SessionView) -> None:
        """The rows to check."""
        super().render(view)
        self.retranslate()
        self.item.setText(self.t(view.chosen.name) if view.chosen else "")
        if view.review != self._rows:
            self.shown = set()
        self._rows, self._masked = view.review, view.review_masked
        self._show_rows()
        self.message.setText(self.t(view.message))
        self.change.setEnabled("back" in view.events)
        self.photograph = view.photograph_next
        if self.photograph:
            self.confirm.setText(translate("Review", "Everything is right: photograph the materials"))

    def toggle(self, row: int) -> None:
        """Show review row ``row`` in full, or masked again."""
        self.shown ^= {row}
        self._show_rows()

    def _show_rows(self) -> None:
        sep = colon(self.lang)
        lines = []
        secret = [i for i, m in enumerate(self._masked) if m]
        for i, (k, v) in enumerate(self._rows):
            value = self.t(v) if i in self.shown or i >= len(self._masked) or not self._masked[i] else self._masked[i]
            lines.append(f"{self.t(k)}{sep}{value}")
        top = self.pager.area.verticalScrollBar().value()
        self.pager.set_text("\n".join(lines))
        self.pager.area.verticalScrollBar().setValue(top)  # a tap on "show" does not jump to the top
        for n in range(len(self.reveal_buttons), len(secret)):
            b = button("", "chip")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, n=n: self.toggle(self._secret_row(n)))
            self.reveal_box.addWidget(b)
            self.reveal_buttons.append(b)
        for n, b in enumerate(self.reveal_buttons):
            b.setVisible(n < len(secret))
            if n < len(secret):
                name = self.t(self._rows[secret[n]][0])
                on = secret[n] in self.shown
                b.setChecked(on)
                b.setText((translate("Review", "Hide {0}") if on else translate("Review", "Show {0}")).format(name))

    def _secret_row(self, n: int) -> int:
        return [i for i, m in enumerate(self._masked) if m][n]

    def clear(self) -> None:
        """Forget the values."""
        self._rows, self._masked, self.shown = (), (), set()
        for b in self.reveal_buttons:
            b.hide()
        self.pager.clear()
        self.item.clear()
        self.message.clear()
