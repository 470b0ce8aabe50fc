"""The shape shared by the screens that hand something over: a big number, its QR code, details, what the
printer did, and the ways on. Submitted, receipt, appointment slip and queue ticket build on it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.fit import FitLabel
from ui.widgets.pager import TextPager
from ui.widgets.qr import QrLabel


class OutcomeScreen(Screen):
    """Heading, the number (as large as fits: never cut off), the details with the QR code beside them in both
    orientations (so the details, e.g. a materials list, get the screen's height), device note, buttons."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.number_caption = label("", "", wrap=False)
        portrait = self.theme.portrait
        self.number = FitLabel(self.theme.font_px("big"), self.theme.font_px("body"), lines=2 if portrait else 1)
        self.details = TextPager(bar=True)  # a long materials list scrolls instead of being cut off
        self.device_note = label("", "ok")
        self.device_note.hide()
        self.message = label("", "error", autohide=True)
        qr_px = round(self.theme.px_per_mm * (70 if self.theme.elderly else 60))
        self.qr = QrLabel(qr_px)
        small = self.theme.font_px("small")
        self.qr_caption = FitLabel(small, round(small * 0.75), lines=2, bold=False)  # one line where it can
        self.qr_caption.setProperty("role", "hint")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.heading)
        box = QHBoxLayout()
        box.setSpacing(self.theme.gap * 2)
        text = QVBoxLayout()
        number_row = QVBoxLayout() if portrait else QHBoxLayout()  # landscape: caption and number on one line
        number_row.addWidget(self.number_caption, 0)
        number_row.addWidget(self.number, 1)
        text.addLayout(number_row)
        text.addWidget(self.details, 1)
        box.addLayout(text, 1)
        qr_col = QVBoxLayout()
        qr_col.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_col.addWidget(self.qr_caption)
        qr_col.addStretch(1)
        self.qr_caption.setMaximumWidth(qr_px + 2 * self.theme.gap)
        box.addLayout(qr_col, 0)
        self.body.addLayout(box, 1)
        self.body.addWidget(self.device_note)
        self.body.addWidget(self.message)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(self.theme.gap)
        self.body.addLayout(self.actions)

    def add_action(self, role: str = "primary", stretch: int = 1) -> QPushButton:
        """A button in the bottom row."""
        b = button("", role)
        self.actions.addWidget(b, stretch)
        return b

    def clear(self) -> None:
        """Forget the number, QR and details."""
        for w in (self.number, self.details, self.device_note, self.message):
            w.clear()
        self.device_note.hide()
        self.qr.clear()
