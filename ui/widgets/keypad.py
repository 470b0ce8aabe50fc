"""On-screen numeric keypad with the X key (last character of a resident ID number)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui.i18n import translate
from ui.widgets.buttons import button

_ROWS = (("1", "2", "3", "⌫"), ("4", "5", "6", "X"), ("7", "8", "9", "0"))


class NumericKeypad(QWidget):
    """Digits, X and backspace; holds the typed value itself so no physical keyboard or IME is needed."""

    changed = Signal(str)

    def __init__(self, *, max_length: int = 18, allow_x: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_length = max_length
        self._value = ""
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(_ROWS):
            for c, key in enumerate(row):
                b = button(key, "key")
                b.clicked.connect(lambda _=False, k=key: self.press(k))
                grid.addWidget(b, r, c)
                self.keys[key] = b
        self.clear_key = button("", "danger-key")  # a key's height, in the colours of a destructive button
        self.clear_key.clicked.connect(self.clear)
        grid.addWidget(self.clear_key, len(_ROWS), 0, 1, 4)
        self.set_allow_x(allow_x)
        self.retranslate()

    def retranslate(self) -> None:
        """Re-read the translated labels."""
        self.clear_key.setText(translate("Keypad", "Clear"))
        self.keys["⌫"].setAccessibleName(translate("Keypad", "Delete"))

    def set_allow_x(self, allow: bool) -> None:
        """Show the X key only where it can be typed (ID numbers)."""
        self.keys["X"].setEnabled(allow)

    def value(self) -> str:
        """What has been typed."""
        return self._value

    def set_value(self, value: str) -> None:
        """Replace the value (e.g. the session's stored field value) without emitting twice."""
        value = value[: self.max_length]
        if value != self._value:
            self._value = value
            self.changed.emit(value)

    def press(self, key: str) -> None:
        """Act on one key: digits/X append, ⌫ deletes the last character."""
        if key == "⌫":
            self.set_value(self._value[:-1])
        elif len(self._value) < self.max_length and (key != "X" or self.keys["X"].isEnabled()):
            self.set_value(self._value + key)

    def clear(self) -> None:
        """Forget the typed value (also used when the visit ends, for privacy)."""
        self.set_value("")
