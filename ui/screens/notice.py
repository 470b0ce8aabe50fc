"""The one-time notice (一次告知): materials, who can apply, time limit, fee, result, legal basis; printable."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.catalog import Notice
from kiosk.receipts import material_line
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import button, label
from ui.widgets.flow import FlowLayout
from ui.widgets.pager import TextPager
from ui.widgets.vertical_text import VerticalPager, show_either, vertical_ok


class NoticeScreen(Screen):
    """Read, optionally print, then accept to go on to the form."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.name = label("", "title")
        self.pager = TextPager()
        # A Mongolian notice in vertical columns that run on sideways, as the script is written.
        self.vpager = VerticalPager(px=self.theme.font_px("body"))
        self.vpager.hide()
        self.device_note = label("", "ok")
        self.message = label("", "error", autohide=True)
        actions = QWidget()  # two buttons side by side, or one above the other when their words need it
        row = FlowLayout(actions, spacing=self.theme.gap)
        self.print_button = button("", "secondary")
        self.accept = button("", "primary")
        row.addWidget(self.print_button)
        row.addWidget(self.accept)
        for w in (self.name, self.pager, self.vpager):
            self.body.addWidget(w, 0 if w is self.name else 1)
        self.body.addWidget(self.device_note)
        self.body.addWidget(self.message)
        self.body.addWidget(actions)
        self.print_button.clicked.connect(lambda: self.emit("print_document"))
        self.accept.clicked.connect(lambda: self.emit("accept_notice"))
        self.retranslate()

    def title(self) -> str:
        """Heading."""
        return translate("Notice", "One-time notice")

    def retranslate(self) -> None:
        """Fixed texts."""
        self.print_button.setText(translate("Notice", "Print this notice"))
        self.accept.setText(translate("Notice", "I have read it: fill in the form"))
        self.pager.retranslate()
        self.vpager.retranslate()

    def notice_text(self, notice: Notice) -> str:
        """The notice as readable text in the language shown."""
        lines = [translate("Notice", "Materials to prepare:")]
        lines += [f"{i}. {material_line(m, self.lang)}" for i, m in enumerate(notice.materials, 1)]
        for heading, text in (
            (translate("Notice", "Who can apply:"), notice.conditions),
            (translate("Notice", "Time limit:"), notice.time_limit),
            (translate("Notice", "Fee:"), notice.fee),
            (translate("Notice", "Result:"), notice.result),
        ):
            lines += ["", heading, self.t(text)]
        if notice.basis:
            lines += ["", translate("Notice", "Legal basis:")]
            lines += [self.t(b) for b in notice.basis]
        return "\n".join(lines)

    def render(self, view: SessionView) -> None:
        """The chosen item's notice."""
        super().render(view)
        self.retranslate()
        self.name.setText(self.t(view.chosen.name) if view.chosen else "")
        text = self.notice_text(view.notice) if view.notice else ""
        show_either(text, columns=self.lang == "mn" and vertical_ok(text), line=self.pager, column=self.vpager)
        self.message.setText(self.t(view.message))

    def clear(self) -> None:
        """Forget the notice."""
        self.pager.clear()
        self.vpager.clear()
        self.name.clear()
        self.device_note.clear()
