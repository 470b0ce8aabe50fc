"""The technician's PIN pad: digits only, shown as dots, with the tries left or how long the lock lasts."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout

from kiosk.maintenance import PIN_MAX_DIGITS
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.keypad import NumericKeypad


class PinPadScreen(Screen):
    """``submitted(pin)`` on "Enter", ``cancelled()`` on "Cancel"; the typed PIN is cleared after each try."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.setObjectName("screen-pin-pad")
        self.heading = label("", "title")
        self.hint = label("", "hint")
        self.display = label("", "value", wrap=False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keypad = NumericKeypad(max_length=PIN_MAX_DIGITS, allow_x=False)
        self.message = label("", "error", autohide=True)
        row = QHBoxLayout()
        row.setSpacing(self.theme.gap)
        self.cancel = button("", "secondary")
        self.enter = button("", "primary")
        row.addWidget(self.cancel, 1)
        row.addWidget(self.enter, 2)
        for w in (self.heading, self.hint, self.display, self.keypad):
            self.body.addWidget(w)
        self.body.addStretch(1)
        self.body.addWidget(self.message)
        self.body.addLayout(row)
        self._locked = False
        self.keypad.changed.connect(self._typed)
        self.enter.clicked.connect(self._enter)
        self.cancel.clicked.connect(self.cancelled)
        self.retranslate()

    def title(self) -> str:
        """Heading of the header bar."""
        return translate("Maintenance", "Technician access")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.heading.setText(translate("Maintenance", "Enter the maintenance PIN"))
        self.hint.setText(
            translate("Maintenance", "For technicians only. Citizens: please tap Cancel to return to the start screen.")
        )
        self.cancel.setText(translate("Maintenance", "Cancel"))
        self.enter.setText(translate("Maintenance", "Enter"))
        self.keypad.retranslate()
        self._typed(self.keypad.value())

    def _typed(self, value: str) -> None:
        # Dots only: someone looking over the technician's shoulder learns the length at most.
        self.display.setText("●" * len(value) if value else "—")
        self.enter.setEnabled(bool(value) and not self._locked)

    def _enter(self) -> None:
        pin = self.keypad.value()
        self.keypad.clear()  # the PIN never stays in a widget
        if pin:
            self.submitted.emit(pin)

    def show_wrong(self, tries_left: int) -> None:
        """A wrong PIN: how many tries remain before the lock."""
        self.message.setText(translate("Maintenance", "Wrong PIN. {0} tries left before the lock.").format(tries_left))

    def show_locked(self, seconds: float) -> None:
        """Too many wrong PINs: no PIN is taken until the lock ends (0 seconds: unlocked again)."""
        was_locked, self._locked = self._locked, seconds > 0
        for key in self.keypad.keys.values():
            key.setEnabled(not self._locked and key is not self.keypad.keys["X"])
        self.keypad.clear_key.setEnabled(not self._locked)
        if self._locked:
            self.keypad.clear()
            minutes = max(1, math.ceil(seconds / 60))
            self.message.setText(translate("Maintenance", "Too many wrong PINs. Try again in {0} min.").format(minutes))
        elif was_locked:
            self.message.clear()
        self._typed(self.keypad.value())

    @property
    def locked(self) -> bool:
        """Whether the pad shows the lock."""
        return self._locked

    def clear(self) -> None:
        """Forget the typed digits and the message."""
        self.keypad.clear()
        self.message.clear()
