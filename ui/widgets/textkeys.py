"""A small on-screen letter keyboard (Latin letters, digits, space) for free-text fields.

For Chinese text a composer (the pinyin candidate bar, see ``ui/widgets/pinyin_keys.py``) sits in front of it:
letters go to the composer, which hands back picked characters (or the letters) through :meth:`insert`.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ui.i18n import translate
from ui.widgets.buttons import button

_ROWS = ("1234567890⌫", "QWERTYUIOP-", "ASDFGHJKL,.", "ZXCVBNM")


def shrinkable(key: QPushButton, min_key: int) -> None:
    """Let ``key`` give up height down to ``min_key`` px when its keyboard has less room than the theme's key
    height (a portrait screen in elderly mode with a wordy language above the keys): four rows squeezed below
    the stylesheet's minimum would otherwise be drawn over each other."""
    if min_key <= 0:
        return
    # The application stylesheet sets a key's minimum size at every polish (a plain setMinimumHeight would be
    # undone when the key is shown), so the lower minimum goes in the key's own sheet, which wins over it.
    # min-height counts the contents only: with the border the key stays at least ``min_key`` tall.
    key.setStyleSheet(f"QPushButton {{ min-height: {min_key}px; }}")
    # Maximum: never taller than the theme's key height (the layouts that fit keep their look), shorter if need be.
    key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)


class Composer(Protocol):
    """What the keyboard asks of an input method (:class:`ui.widgets.candidate_bar.CandidateBar`)."""

    def feed_letter(self, ch: str) -> bool: ...
    def backspace(self) -> bool: ...
    def commit_letters(self) -> None: ...
    def clear(self) -> None: ...


class TextKeyboard(QWidget):
    """Holds the typed text itself; ``changed(text)`` on every key."""

    changed = Signal(str)

    def __init__(self, *, max_length: int = 200, min_key: int = 0, parent: QWidget | None = None) -> None:
        """``min_key``: the least height of a key in pixels (the 15 mm touch target); keys are as tall as the
        theme's key height when there is room and shrink towards ``min_key`` when not (0: never shrink)."""
        super().__init__(parent)
        self.max_length = max_length
        self._value = ""
        self.composer: Composer | None = None  # takes the letters first when set (Chinese input)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for r, row in enumerate(_ROWS):
            for c, key in enumerate(row):
                b = button(key, "key")
                b.setMinimumWidth(0)
                shrinkable(b, min_key)
                b.clicked.connect(lambda _=False, k=key: self.press(k))
                grid.addWidget(b, r, c)
                self.keys[key] = b
        self.space = button("", "key")
        shrinkable(self.space, min_key)
        self.space.clicked.connect(lambda: self.press(" "))
        last = len(_ROWS) - 1
        grid.addWidget(self.space, last, len(_ROWS[last]), 1, 2)
        self.clear_key = button("", "danger-key")  # a key's height, in the colours of a destructive button
        shrinkable(self.clear_key, min_key)
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
        """One key: to the composer if there is one and it takes it, else into the text."""
        composer = self.composer
        if composer is not None:
            if key == "⌫":
                if composer.backspace():
                    return
            elif composer.feed_letter(key):
                return
            else:
                composer.commit_letters()  # pinyin left unpicked goes in as letters, before this key
        if key == "⌫":
            self.set_value(self._value[:-1])
        elif len(self._value) < self.max_length:
            self.set_value(self._value + key)

    def insert(self, text: str) -> None:
        """Add ``text`` at the end (what the composer hands back), as far as the length allows."""
        self.set_value(self._value + text)

    def clear(self) -> None:
        """Forget the text (and what the composer holds)."""
        if self.composer is not None:
            self.composer.clear()
        self.set_value("")
