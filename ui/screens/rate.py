"""Rate the service (好差评): five levels; for the bad ones, reason chips (at least one, as the session asks)."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from kiosk.visit.flow import BAD_LEVELS
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.flow import FlowLayout


class RateScreen(Screen):
    """Level buttons (5 at the top), reason chips shown for a low level, send and skip."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.body.addWidget(self.heading)
        # Elderly landscape has no height to spare for it: the header's title asks the same question.
        self.heading.setVisible(not (self.theme.elderly and not self.theme.portrait))
        self.levels_box = QGridLayout()
        self.levels_box.setSpacing(self.theme.gap)
        self.body.addLayout(self.levels_box)
        self.reasons_title = label("", "")
        self.body.addWidget(self.reasons_title)
        reasons = QWidget()
        self.reasons_box = FlowLayout(reasons, spacing=self.theme.gap)  # as many to a row as their words allow
        self.body.addWidget(reasons)
        self.body.addStretch(1)
        self.message = label("", "error", autohide=True)
        self.body.addWidget(self.message)
        row = QHBoxLayout()
        row.setSpacing(self.theme.gap)
        self.skip = button("", "secondary")
        self.send = button("", "primary")
        row.addWidget(self.skip, 1)  # a full button, not a small afterthought beside "send"
        row.addWidget(self.send, 2)
        self.body.addLayout(row)
        self.level_buttons: dict[int, QPushButton] = {}
        self.reason_buttons: dict[str, QPushButton] = {}
        self.level: int | None = None
        self.skip.clicked.connect(lambda: self.emit("skip_rating"))
        self.send.clicked.connect(self._send)
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Rate", "Rate this service")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.heading.setText(translate("Rate", "How satisfied are you with this service?"))
        self.reasons_title.setText(translate("Rate", "What went wrong? Choose one or more:"))
        self.skip.setText(translate("Rate", "Skip"))
        self.send.setText(translate("Rate", "Send my rating"))

    def render(self, view: SessionView) -> None:
        """Levels and reasons from the session (labels in the language shown)."""
        super().render(view)
        self.retranslate()
        if not self.level_buttons and view.rating_levels:
            cols = 1 if self.theme.portrait else (3 if self.theme.elderly else len(view.rating_levels))
            for i, (level, _text) in enumerate(view.rating_levels):
                b = button("", "chip")
                b.setCheckable(True)
                b.clicked.connect(lambda _=False, n=level: self.pick_level(n))
                self.levels_box.addWidget(b, i // cols, i % cols)
                self.level_buttons[level] = b
            for key, _text in view.rating_reasons:
                b = button("", "chip")
                b.setCheckable(True)
                self.reasons_box.addWidget(b)
                self.reason_buttons[key] = b
        for level, text in view.rating_levels:
            self.level_buttons[level].setText(self.t(text))
        for key, text in view.rating_reasons:
            self.reason_buttons[key].setText(self.t(text))
        self.message.setText(self.t(view.message))
        self._show()

    def pick_level(self, level: int) -> None:
        """Select a level; reasons appear for a bad one."""
        self.level = level
        self._show()

    def reasons(self) -> list[str]:
        """The reason keys chosen."""
        return [k for k, b in self.reason_buttons.items() if b.isChecked()]

    def _show(self) -> None:
        for level, b in self.level_buttons.items():
            b.setChecked(level == self.level)
        bad = self.level in BAD_LEVELS  # the core says which levels need a reason
        self.reasons_title.setVisible(bad)
        for b in self.reason_buttons.values():
            b.setVisible(bad)
            if not bad:
                b.setChecked(False)
        self.send.setEnabled(self.level is not None)

    def _send(self) -> None:
        if self.level is not None:
            self.emit("rate", self.level, tuple(self.reasons()))

    def clear(self) -> None:
        """Forget the choice."""
        self.level = None
        for b in self.reason_buttons.values():
            b.setChecked(False)
        self.message.clear()
        self._show()
