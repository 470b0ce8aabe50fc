"""A small on-screen letter keyboard (Latin letters, digits, space) for free-text fields.

Names and addresses come from the card, so no Chinese input method is needed on the kiosk; where a citizen
must type free text (a report, a field the card does not fill) pinyin or English letters are enough.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui.i18n import translate
from ui.widgets.buttons import button

_ROWS = ("1234567890⌫", "QWERTYUIOP-", "ASDFGHJKL,.", "ZXCVBNM")


class TextKeyboard(QWidget):
    """Holds the typed text itself; ``changed(text)`` on every key."""

    changed = Signal(str)

    def __init__(self, *, max_length: int = 200, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_length = max_length
        self._value = ""
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for r, row in enumerate(_ROWS):
            for c, key in enumerate(row):
                b = button(key, "key")
                b.setMinimumWidth(0)
                b.clicked.connect(lambda _=False, k=key: self.press(k))
                grid.addWidget(b, r, c)
                self.keys[key] = b
        self.space = button("", "key")
        self.space.clicked.connect(lambda: self.press(" "))
        last = len(_ROWS) - 1
        grid.addWidget(self.space, last, len(_ROWS[last]), 1, 2)
        self.clear_key = button("", "danger")
        self.clear_key.clicked.connect(self.clear)
        grid.addWidget(self.clear_key, last, len(_ROWS[last]) + 2, 1, 2)
        self.retranslate()

    def retranslate(self) -> None:
        """Fixed texts."""
        self.space.setText(translate("Keypad", "Space"))
        self.clear_key.setText(translate("Keypad", "Clear"))

    def value(self) -> str:
        """The typed text."""
        return self._value

    def set_value(self, value: str) -> None:
        """Replace the text."""
        value = value[: self.max_length]
        if value != self._value:
            self._value = value
            self.changed.emit(value)

    def press(self, key: str) -> None:
        """One key."""
        if key == "⌫":
            self.set_value(self._value[:-1])
        elif len(self._value) < self.max_length:
            self.set_value(self._value + key)

    def clear(self) -> None:
        """Forget the text."""
        self.set_value("")
