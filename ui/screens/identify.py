"""Identify: tap a card on the reader, or type the ID number on the on-screen keypad (check verdict live)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.identity import validate_id_number
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label, reserve_lines, set_role
from ui.widgets.keypad import NumericKeypad

ID_LENGTH = 18


def grouped(id_number: str) -> str:
    """An ID number as it is read aloud: region, birth date, sequence + check (6-8-4)."""
    parts = [id_number[:6], id_number[6:14], id_number[14:]]
    return " ".join(p for p in parts if p)


class IdentifyScreen(Screen):
    """Two ways in, side by side (landscape) or stacked (portrait)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.heading = label("", "")
        self.body.addWidget(self.heading)
        row = self.split_layout()
        self.body.addLayout(row, 1)
        self.row = row

        card = QWidget()
        card.setProperty("role", "card")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card_lay = QVBoxLayout(card)
        self.card_title = label("", "title")
        self.card_text = label("", "")
        self.reader_state = label("", "hint")
        self.phone_hint = label("", "")  # 扫码登录: the scanner reads the phone's code (the shell passes it on)
        card_lay.addWidget(self.card_title)
        card_lay.addWidget(self.card_text)
        card_lay.addWidget(self.phone_hint)
        card_lay.addStretch(1)
        card_lay.addWidget(self.reader_state)
        self._card_stretch = 2 if self.theme.portrait else 1
        row.addWidget(card, self._card_stretch)
        self.card_panel = card

        typed = QWidget()
        typed.setProperty("role", "card")
        typed.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        typed_lay = QVBoxLayout(typed)
        self.typed_title = label("", "tile-title")
        self.display = label("", "value", wrap=False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict = label("", "hint")
        # "4 of 18 typed" or the check's verdict in a fixed room: the keys below never move under a finger.
        reserve_lines(self.verdict, 2 if self.theme.portrait else 1)
        self.keypad = NumericKeypad(max_length=ID_LENGTH, allow_x=True)
        self.confirm = button("", "primary")
        for w in (self.typed_title, self.display, self.verdict, self.keypad, self.confirm):
            typed_lay.addWidget(w)
        row.addWidget(typed, 3)
        self.typed_panel = typed
        self.message = label("", "error", autohide=True)
        self.body.addWidget(self.message)

        self.keypad.changed.connect(self._typed)
        self.confirm.clicked.connect(lambda: self.emit("identify_typed", self.keypad.value()))
        self._reader_ok = True
        self._today = None
        self.retranslate()
        self._typed(self.keypad.value())

    def title(self) -> str:
        """Heading."""
        return translate("Identify", "Identify yourself")

    def retranslate(self) -> None:
        """Fixed texts."""
        # Elderly landscape has no height to spare: the two panels' titles say the same as the heading.
        self.heading.setVisible(not (self._reader_ok and self.theme.elderly and not self.theme.portrait))
        if self._reader_ok:
            self.heading.setText(
                translate("Identify", "Please identify yourself: tap your card, or type your ID number")
            )
        else:
            self.heading.setText(translate("Identify", "Please type your ID number: the card reader cannot be used"))
        self.card_title.setText(translate("Identify", "Tap your card"))
        self.card_text.setText(
            translate(
                "Identify",
                "Place your resident ID card flat on the reader below the screen and leave it there until your name "
                "appears. A social security card works too.",
            )
        )
        if self._reader_ok:
            self.typed_title.setText(translate("Identify", "Or type your 18-character ID number"))
        else:  # the typed entry comes first
            self.typed_title.setText(translate("Identify", "Type your 18-character ID number"))
        self.confirm.setText(translate("Identify", "Confirm ID number"))
        self.phone_hint.setText(
            translate("Identify", "Or show your phone's sign-in code to the scanner.")
        )  # fmt: skip
        self.keypad.retranslate()
        self._show_reader()
        self._typed(self.keypad.value())

    def set_reader_ok(self, ok: bool, text: str = "") -> None:
        """Show whether the card reader works; when it does not, say so, and the typed entry comes first."""
        self._reader_ok = ok
        self._reader_text = text
        first = self.card_panel if ok else self.typed_panel
        if self.row.indexOf(first) != 0:
            self.row.removeWidget(self.card_panel)
            self.row.removeWidget(self.typed_panel)
            self.row.addWidget(first, 3 if first is self.typed_panel else self._card_stretch)
            other = self.card_panel if first is self.typed_panel else self.typed_panel
            self.row.addWidget(other, 3 if other is self.typed_panel else self._card_stretch)
        self.retranslate()

    def _show_reader(self) -> None:
        if self._reader_ok:
            self.reader_state.setText(translate("Identify", "The card reader is ready."))
            set_role(self.reader_state, "hint")
        else:
            self.reader_state.setText(getattr(self, "_reader_text", "") or translate("Identify", "Card reader: off"))
            set_role(self.reader_state, "error")
        self.card_title.setEnabled(self._reader_ok)
        self.card_text.setEnabled(self._reader_ok)

    def _typed(self, value: str) -> None:
        """Live verdict: characters so far, then the GB 11643 check from the core once all 18 are typed."""
        self.display.setText(grouped(value) if value else "—")
        if len(value) < ID_LENGTH:
            self.verdict.setText(translate("Identify", "{0} of 18 characters typed").format(len(value)))
            set_role(self.verdict, "hint")
            self.confirm.setEnabled(False)
            return
        check = validate_id_number(value, self._today)
        self.verdict.setText(check.message.get(self.lang))
        set_role(self.verdict, "hint-ok" if check.ok else "hint-error")
        self.confirm.setEnabled(check.ok)

    def render(self, view: SessionView) -> None:
        """Show the refusal message of the last action, if any."""
        super().render(view)
        self.retranslate()
        self.message.setText(self.t(view.message))

    def clear(self) -> None:
        """Forget the typed number."""
        self.keypad.clear()
        self.message.clear()
        self._typed("")
