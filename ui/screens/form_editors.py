"""The editor panel of the form screen: one field at a time, with the input that fits its kind.

Digits (ID number, phone, number, date) use the numeric keypad, choices use big chips, free text uses the
letter keyboard, with the pinyin candidate bar above it where the field takes Chinese (names, places,
addresses: ``ui.text_input.takes_chinese``). The panel only shows and forwards values; the session checks them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.visit.view import FieldView
from ui.i18n import translate
from ui.text_input import takes_chinese
from ui.theme import Theme
from ui.widgets.boxes import scrolling
from ui.widgets.buttons import button, label, reserve_lines, set_role
from ui.widgets.keypad import NumericKeypad
from ui.widgets.pinyin_keys import PinyinKeys

DIGIT_KINDS = {"id_number": 18, "phone": 12, "number": 12, "date": 8}


def date_from_digits(digits: str) -> str:
    """Typed digits shown as a date being written: 2024 -> 2024, 202405 -> 2024-05, 20240501 -> 2024-05-01."""
    parts = [digits[:4], digits[4:6], digits[6:8]]
    return "-".join(p for p in parts if p)


def digits_of(value: str) -> str:
    """The digits (and X) of a stored value, for the keypad."""
    return "".join(ch for ch in value if ch.isdigit() or ch == "X")


class FieldEditor(QWidget):
    """Edits one field; ``edited(key, value)`` on every change.

    The comment line (the session's remark on the value typed so far, or the field's message) keeps the room
    of two lines whether it shows something or not: the keys below it never move under a finger.
    """

    edited = Signal(str, str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(self)
        self.name = label("", "tile-title")
        self.value = label("", "value", wrap=True)
        self.help = label("", "hint", autohide=True)
        self.hint = label("", "hint")
        reserve_lines(self.hint, 2)
        self.stack = QStackedWidget()
        self.keypad = NumericKeypad()
        self.text = PinyinKeys(theme)  # candidate bar over the letter keyboard
        self.keys = self.text.keys
        self.choices = QWidget()
        self.choice_grid = QGridLayout(self.choices)
        self.choice_grid.setSpacing(theme.gap)
        self.choice_grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.locked = label("", "notice")
        # A long list of choices scrolls rather than squeezing its buttons below their text.
        self.choices_area = scrolling(self.choices)
        for w in (self.keypad, self.text, self.choices_area, self.locked):
            self.stack.addWidget(w)
        top = QHBoxLayout()  # name and value side by side: the keyboard and the candidates need the height
        top.addWidget(self.name, 2)
        top.addWidget(self.value, 3)
        lay.addLayout(top)
        # Portrait, and elderly mode's larger type: the selected field's row, highlighted above or beside the
        # editor, shows its name and value, so the editor does not repeat them (the height goes to the keys);
        # it keeps help and the comment line.
        self.compact = theme.portrait or theme.elderly
        self.name.setVisible(not self.compact)
        self.value.setVisible(not self.compact)
        for w in (self.help, self.hint):
            lay.addWidget(w)
        lay.addWidget(self.stack, 1)
        self.theme = theme
        self.field: FieldView | None = None
        self.lang = "zh"
        self.choice_buttons: list[QPushButton] = []
        self.keypad.changed.connect(self._keypad_changed)
        self.keys.changed.connect(self._keys_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """Fixed texts."""
        self.keypad.retranslate()
        self.text.retranslate()
        self.locked.setText(
            translate("Form", "This comes from your identity and cannot be changed here. To change it, go back.")
        )

    def edit(self, field: FieldView | None, lang: str) -> None:
        """Show ``field`` (None: nothing to edit)."""
        same = self.field is not None and field is not None and self.field.key == field.key
        self.field, self.lang = field, lang
        if field is None:
            self.name.clear()
            self.value.clear()
            self.help.clear()
            self.hint.clear()
            self.stack.setCurrentWidget(self.locked)
            return
        if not same:  # pinyin being composed belongs to the field it was typed for
            self.text.set_chinese(takes_chinese(field.kind, field.pattern))
        self.name.setText(field.label.get(lang) + (" *" if field.required else ""))
        self.help.setText(field.help.get(lang) if field.help else "")
        self._show_value(field.value)
        if field.error is not None:
            self.hint.setText(field.error.get(lang))
            set_role(self.hint, "hint-error")
        elif not same:
            self.hint.clear()
        if field.locked:
            self.stack.setCurrentWidget(self.locked)
        elif field.kind in DIGIT_KINDS:
            self.keypad.max_length = min(DIGIT_KINDS[field.kind], field.max_length or 99)
            self.keypad.set_allow_x(field.kind == "id_number")
            self.keypad.blockSignals(True)
            self.keypad.set_value(digits_of(field.value))
            self.keypad.blockSignals(False)
            self.stack.setCurrentWidget(self.keypad)
        elif field.kind == "choice":
            self._show_choices(field, lang)
            self.stack.setCurrentWidget(self.choices_area)
        else:
            self.keys.max_length = field.max_length or 200
            self.keys.blockSignals(True)
            self.keys.set_value(field.value)
            self.keys.blockSignals(False)
            self.stack.setCurrentWidget(self.text)

    def _show_value(self, value: str) -> None:
        field = self.field
        shown = value
        if field is not None and field.kind == "choice":
            shown = next((c.label.get(self.lang) for c in field.choices if c.value == value), value)
        self.value.setText(shown or "—")

    def _show_choices(self, field: FieldView, lang: str) -> None:
        for b in self.choice_buttons:
            self.choice_grid.removeWidget(b)
            b.deleteLater()
        self.choice_buttons = []
        short = all(len(c.label.get(lang)) <= 8 for c in field.choices)  # 男/女, not "60%档（…）"
        cols = 2 if short and not self.theme.elderly else 1
        for i, choice in enumerate(field.choices):
            b = button(choice.label.get(lang), "chip")
            b.setCheckable(True)
            b.setChecked(choice.value == field.value)
            b.clicked.connect(lambda _=False, v=choice.value: self._choose(v))
            self.choice_grid.addWidget(b, i // cols, i % cols)
            b.show()  # at once, not at the layout's next pass: a tap may follow right away
            self.choice_buttons.append(b)

    def _choose(self, value: str) -> None:
        assert self.field is not None
        for b, choice in zip(self.choice_buttons, self.field.choices, strict=True):
            b.setChecked(choice.value == value)
        self._show_value(value)
        self.edited.emit(self.field.key, value)

    def _keypad_changed(self, digits: str) -> None:
        if self.field is None:
            return
        value = date_from_digits(digits) if self.field.kind == "date" else digits
        self._show_value(value)
        self.edited.emit(self.field.key, value)

    def _keys_changed(self, text: str) -> None:
        if self.field is None:
            return
        self._show_value(text)
        self.edited.emit(self.field.key, text)

    def show_hint(self, text: str) -> None:
        """The session's comment on the value typed so far (grey: it is not an error until submitting)."""
        self.hint.setText(text)
        set_role(self.hint, "hint")

    def clear(self) -> None:
        """Forget the field and what was typed."""
        self.field = None
        self.keypad.blockSignals(True)
        self.keys.blockSignals(True)
        self.keypad.clear()
        self.text.clear()
        self.keypad.blockSignals(False)
        self.keys.blockSignals(False)
        for b in self.choice_buttons:
            self.choice_grid.removeWidget(b)
            b.deleteLater()
        self.choice_buttons = []
        self.edit(None, self.lang)
