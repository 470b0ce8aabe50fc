"""The way out: 'please take your card', goodbye, and 'out of service'."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.hall_commands import HALL_MAINTENANCE, STOP_SUBMISSIONS
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import label


class _Centered(Screen):
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.big = label("", "big")
        self.text = label("", "title")
        self.hint = label("", "")
        for w in (self.big, self.text, self.hint):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addStretch(1)
        self.body.addWidget(self.big)
        self.body.addWidget(self.text)
        self.body.addWidget(self.hint)
        self.body.addStretch(2)


class TakeCardScreen(_Centered):
    """Shown while the card is still on the reader at the end of a visit."""

    def render(self, view: SessionView) -> None:
        """Fixed texts only."""
        super().render(view)
        self.big.setText(translate("Farewell", "Please take your card"))
        self.text.setText(translate("Farewell", "Your ID card is still on the reader below the screen."))
        self.hint.setText(translate("Farewell", "Do not forget your receipt and your belongings."))


class EndScreen(_Centered):
    """Goodbye; the visit's data is already gone."""

    def render(self, view: SessionView) -> None:
        """Fixed texts only."""
        super().render(view)
        self.big.setText(translate("Farewell", "Thank you, goodbye"))
        # Say what is true: the screen forgets at once; what was sent waits on this kiosk until the hall has it.
        self.text.setText(
            translate(
                "Farewell",
                "Your details are no longer on the screen. What you sent is kept safely on this kiosk until the "
                "service center has received it.",
            )
        )
        self.hint.setText(translate("Farewell", "Help hotline: {0}").format(self.ctx.kiosk.hotline))


class OutOfServiceScreen(_Centered):
    """The kiosk cannot serve: say why in plain words (the hall's maintenance, a full disk, a store failure)
    and where to go instead."""

    def render(self, view: SessionView) -> None:
        """Message and hotline."""
        super().render(view)
        hotline = self.ctx.kiosk.hotline
        reason = view.out_of_service_reason
        if reason == HALL_MAINTENANCE:
            self.big.setText(translate("Farewell", "Under maintenance"))
            self.text.setText(
                translate("Farewell", "This kiosk is being serviced. Please use another kiosk or call {0}.").format(
                    hotline
                )
            )
        elif reason == STOP_SUBMISSIONS:
            self.big.setText(translate("Farewell", "Out of service"))
            self.text.setText(
                translate(
                    "Farewell",
                    "This kiosk's storage is nearly full, so it cannot take applications right now. "
                    "Please use another kiosk.",
                )
            )
        else:
            self.big.setText(translate("Farewell", "Out of service"))
            self.text.setText(
                translate("Farewell", "This kiosk cannot take applications right now. Please use another kiosk.")
            )
        self.hint.setText(translate("Farewell", "Help hotline: {0}").format(hotline))
