"""The idle screen: hall name, 24-hour service, help hotline, start, queue ticket, report, language, elderly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.languages import NATIVE_NAMES
from kiosk.visit.view import SessionView
from ui.i18n import translate
from ui.screens.base import Context, Screen
from ui.widgets.buttons import WrapButton, button, label
from ui.widgets.flow import FlowLayout
from ui.widgets.vertical_text import VerticalText, show_either, vertical_ok


class AttractScreen(Screen):
    """Waits for a citizen; the big button (or a card tap) starts the visit."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        center = Qt.AlignmentFlag.AlignCenter
        self.hall = label("", "big")
        self.hall.setAlignment(center)
        self.service = label("", "title")
        self.service.setAlignment(center)
        # In Mongolian the headline stands in vertical columns beside the hall's name, as the script is written.
        self.service_v = VerticalText(px=self.theme.font_px("title"), bold=True, centred=True,
                                      length=self.theme.font_px("title") * 4)  # fmt: skip
        # No wider than its columns at its length (set to its longest word): the hall name beside it has the rest.
        self.service_v.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.service_v.hide()
        self.location = label("", "hint")
        self.location.setAlignment(center)
        self.start = button("", "primary")
        self.start.setMinimumHeight(round(self.theme.button_height * 1.5))
        self.card_hint = label("", "hint")
        self.card_hint.setAlignment(center)
        self.ticket = button("", "secondary")
        self.report = WrapButton(role="secondary")  # its words are long in Mongolian: two lines where need be
        self.progress = button("", "secondary")  # 进度查询 (a receipt's QR code scanned here does the same)
        self.ticket_note = label("", "hint")
        self.ticket_note.setAlignment(center)
        self.zh = button(NATIVE_NAMES["zh"], "chip")
        self.en = button(NATIVE_NAMES["en"], "chip")
        self.mn = button(NATIVE_NAMES["mn"], "chip")  # traditional Mongolian, the hall's other official script
        for b in (self.zh, self.en, self.mn):
            b.setCheckable(True)  # the language shown is "on" (filled), not greyed out as if it could not be had
        self.elderly = button("", "chip")
        self.elderly.setCheckable(True)
        self.hotline = label("", "tile-title")
        self.hotline.setAlignment(center)

        self.body.addStretch(1)
        self.body.addLayout(self._masthead())
        self.body.addStretch(1)
        if self.theme.portrait:
            self.body.addWidget(self.start)
            more = (self.ticket, self.report, self.progress)
        else:  # no height for another row: the progress lookup stands beside the start button
            first = QHBoxLayout()
            first.setSpacing(self.theme.gap)
            first.addWidget(self.start, 2)
            first.addWidget(self.progress, 1)
            self.progress.setMinimumHeight(self.start.minimumHeight())
            self.body.addLayout(first)
            more = (self.ticket, self.report)
        self.body.addWidget(self.card_hint)
        if self.theme.portrait:  # two to a row where their words fit, else one (Mongolian's longer words)
            rows = QWidget()
            flow = FlowLayout(rows, spacing=self.theme.gap)
            for w in more:
                flow.addWidget(w)
            self.body.addWidget(rows)
        else:  # landscape has the width for two a row and no height to spare for a flow's rows
            grid = QGridLayout()
            grid.setSpacing(self.theme.gap)
            for i, w in enumerate(more):
                grid.addWidget(w, i // 2, i % 2)
            self.body.addLayout(grid)
        self.body.addWidget(self.ticket_note)
        self.body.addStretch(1)
        langs = QHBoxLayout()
        langs.setSpacing(self.theme.gap)
        for w in (self.zh, self.en, self.mn):
            langs.addWidget(w)
        if self.theme.portrait:  # three languages and the elderly chip are too wide for one portrait row
            self.body.addLayout(langs)
            self.body.addWidget(self.elderly)
        else:
            langs.addWidget(self.elderly)
            self.body.addLayout(langs)
        self.body.addWidget(self.hotline)

        self.start.clicked.connect(lambda: self.emit("start"))
        self.ticket.clicked.connect(lambda: self.emit("ticket"))
        self.report.clicked.connect(lambda: self.emit("report"))
        self.progress.clicked.connect(lambda: self.emit("progress"))
        self.zh.clicked.connect(lambda: self.emit("set_lang", "zh"))
        self.en.clicked.connect(lambda: self.emit("set_lang", "en"))
        self.mn.clicked.connect(lambda: self.emit("set_lang", "mn"))
        self.elderly.clicked.connect(lambda checked: self.emit("set_elderly", checked))
        self.retranslate()

    def _masthead(self) -> QHBoxLayout:
        """Hall name, headline and location, stacked as in Chinese and English; arranged by ``retranslate``.

        Mongolian takes more height than the screen has for them stacked (its line is taller than the Chinese
        one, a vertical headline as long as its longest word), so in Mongolian the masthead is two abreast:
        the vertical headline's columns beside the hall name and location (portrait, as bilingual signs stand),
        or the headline's line beside the location, which says the same in Chinese (landscape).
        """
        gap = self.body.spacing()  # the nested boxes space their rows as the body does: zh/en look as before
        self.tagline = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.tagline.setSpacing(gap)
        self.tagline.addWidget(self.service)
        self.tagline.addWidget(self.location)
        texts = QVBoxLayout()
        texts.setSpacing(gap)
        # Beside the taller headline the hall name and location stay together, centred down its columns; the
        # body gives the masthead no more than it needs otherwise, so these stretches are nothing in zh and en.
        texts.addStretch(1)
        texts.addWidget(self.hall)
        texts.addLayout(self.tagline)
        texts.addStretch(1)
        row = QHBoxLayout()  # the hidden vertical headline (zh, en, landscape) takes neither room nor spacing
        row.setSpacing(gap * 2)
        row.addWidget(self.service_v)
        row.addLayout(texts, 1)
        return row

    def title(self) -> str:
        """No heading: the hall name is the screen."""
        return ""

    def retranslate(self) -> None:
        """Fixed texts."""
        self.hall.setText(self.ctx.hall_name(self.lang))
        k = self.ctx.kiosk
        self.location.setText(k.location_en if self.lang == "en" and k.location_en else k.location)
        headline = translate("Attract", "24-hour self-service")
        # Landscape has no height for a column of a headline's words (the rows below fill the screen): there
        # the headline keeps its line, as the buttons' Mongolian does.
        vertical = self.lang == "mn" and self.theme.portrait and vertical_ok(headline)
        show_either(headline, columns=vertical, line=self.service, column=self.service_v)
        # Never so short that a word is broken across columns, and preferably no longer, so its columns are no
        # wider than they must be and the hall name beside them keeps its width.
        self.service_v.length = self.service_v.longest_word() if vertical else 0
        self.service_v.setMinimumHeight(self.service_v.length)
        self.service_v.updateGeometry()
        beside = self.lang == "mn" and not self.theme.portrait  # the headline's line and the location abreast
        self.tagline.setDirection(QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom)
        v_centre = Qt.AlignmentFlag.AlignVCenter
        self.service.setAlignment(Qt.AlignmentFlag.AlignRight | v_centre if beside else Qt.AlignmentFlag.AlignCenter)
        self.location.setAlignment(Qt.AlignmentFlag.AlignLeft | v_centre if beside else Qt.AlignmentFlag.AlignCenter)
        self.start.setText(translate("Attract", "Tap here to start"))
        self.card_hint.setText(translate("Attract", "or place your ID card or social security card on the reader"))
        self.ticket.setText(translate("Attract", "Take a queue number"))
        self.report.setText(translate("Attract", "Could not get it done? Tell us"))
        self.progress.setText(translate("Attract", "Check progress"))
        self.elderly.setText(translate("Attract", "Elderly mode: larger text"))
        self.hotline.setText(translate("Attract", "Help hotline: {0}").format(self.ctx.kiosk.hotline))

    def render(self, view: SessionView) -> None:
        """Enable what can be done now."""
        super().render(view)
        self.retranslate()
        self.ticket.setEnabled(view.ticket_available and "ticket" in view.events)
        self.ticket_note.setText(
            "" if view.ticket_available else translate("Attract", "Queue numbers are issued while the hall is open.")
        )
        self.report.setEnabled("report" in view.events)
        self.progress.setEnabled("progress" in view.events)
        self.start.setEnabled("start" in view.events)
        self.elderly.setChecked(view.elderly)
        self.elderly.setText(("✓ " if view.elderly else "") + translate("Attract", "Elderly mode: larger text"))
        self.zh.setChecked(view.lang == "zh")
        self.en.setChecked(view.lang == "en")
        self.mn.setChecked(view.lang == "mn")
