"""The shape shared by the screens that hand something over: a big number, its QR code, details, what the
printer did, and the ways on. Submitted, receipt, appointment slip and queue ticket build on it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.pager import TextPager
from ui.widgets.qr import QrLabel


class OutcomeScreen(Screen):
    """Heading, number, QR beside (landscape) or below (portrait) the details, device note, buttons."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "title")
        self.number_caption = label("", "")
        self.number = label("", "big", wrap=False)
        self.details = TextPager()  # a long materials list pages instead of being cut off
        self.device_note = label("", "ok")
        self.device_note.hide()
        self.message = label("", "error", autohide=True)
        qr_px = round(self.theme.px_per_mm * (70 if self.theme.elderly else 60))
        self.qr = QrLabel(qr_px)
        self.qr_caption = label("", "hint")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.heading)
        box = self.split_layout()
        text = QVBoxLayout()
        for w in (self.number_caption, self.number):
            text.addWidget(w)
        text.addWidget(self.details, 1)
        box.addLayout(text, 3)
        qr_col = QVBoxLayout()
        qr_col.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_col.addWidget(self.qr_caption)
        qr_col.addStretch(1)
        box.addLayout(qr_col, 2)
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
