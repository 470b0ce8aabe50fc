"""Review: every filled value as it will be sent, then confirm (or go back to change something)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.pager import TextPager


class ReviewScreen(Screen):
    """Label: value lines, a change button (back) and the send button."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.item = label("", "big")
        self.pager = TextPager()
        self.message = label("", "error", autohide=True)
        row = QHBoxLayout()
        row.setSpacing(self.theme.gap)
        self.change = button("", "secondary")
        self.confirm = button("", "primary")
        row.addWidget(self.change)
        row.addWidget(self.confirm, 2)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.item)
        self.body.addWidget(self.pager, 1)
        self.body.addWidget(self.message)
        self.body.addLayout(row)
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
        self.pager.set_text("\n".join(f"{self.t(k)}：{self.t(v)}" for k, v in view.review))
        self.message.setText(self.t(view.message))
        self.change.setEnabled("back" in view.events)
        self.photograph = view.photograph_next
        if self.photograph:
            self.confirm.setText(translate("Review", "Everything is right: photograph the materials"))

    def clear(self) -> None:
        """Forget the values."""
        self.pager.clear()
        self.item.clear()
        self.message.clear()
