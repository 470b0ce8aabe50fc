"""The kiosk window: header (hall, step title, language, elderly mode), the screens, footer (back, end visit,
hotline, device notes) and the idle countdown overlay on top of everything.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import KioskSection
from kiosk.visit.view import IdleState, SessionView
from ui.i18n import translate
from ui.theme import Theme
from ui.widgets.buttons import button, label
from ui.widgets.countdown import CountdownOverlay
from ui.widgets.fit import FitLabel
from ui.widgets.stepbar import PLACES, StepBar
from ui.widgets.vertical_text import VerticalText, show_either, vertical_ok


class KioskWindow(QWidget):
    """Frameless, fixed to the panel size; closes only when the shell says so (never by a key or the WM)."""

    action = Signal(str, object)  # (session or shell action, args)

    def __init__(self, theme: Theme, kiosk: KioskSection) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.kiosk = kiosk
        self.allow_close = False
        self.lang = "zh"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.header = QWidget()
        self.header.setProperty("role", "header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        head = QVBoxLayout(self.header)
        self.head_row = QHBoxLayout()
        head.addLayout(self.head_row)
        self.hall = FitLabel(theme.font_px("small"), round(theme.font_px("small") * 0.8), lines=2)
        self.step_title = FitLabel(theme.font_px("title"), theme.font_px("body"), lines=2 if theme.portrait else 1)
        self.step_title.setProperty("role", "header-title")
        self.lang_button = button("", "header")
        self.elderly_button = button("", "header")
        self.elderly_button.setCheckable(True)
        self.voice_button = button("", "header")  # voice guidance on/off (语音播报), for this visit
        self.voice_button.setCheckable(True)
        self.voice_button.setChecked(True)
        for b in (self.lang_button, self.elderly_button, self.voice_button):
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.head_row.addWidget(self.hall, 2)
        if theme.portrait:  # no width for four things in a row: the title gets a line of its own
            head.addWidget(self.step_title)
        else:
            self.head_row.addWidget(self.step_title, 4)
        self.head_row.addWidget(self.lang_button)
        self.head_row.addWidget(self.elderly_button)
        self.head_row.addWidget(self.voice_button)
        outer.addWidget(self.header)
        self.steps = StepBar(theme.gap)
        outer.addWidget(self.steps)

        self.stack = QStackedWidget()
        # In a Mongolian visit the screen's title stands as a vertical column at the left of the screen, as the
        # script is written, instead of the header's horizontal line (which then takes no room).
        middle = QHBoxLayout()
        middle.setSpacing(0)
        self.v_title = VerticalText(px=theme.font_px("body"), bold=True)
        self.v_title.hide()
        middle.addWidget(self.v_title)
        middle.addWidget(self.stack, 1)
        outer.addLayout(middle, 1)

        self.footer = QWidget()
        foot_outer = QVBoxLayout(self.footer)
        self.notice = label("", "error")
        self.notice.hide()
        foot_outer.addWidget(self.notice)
        foot = QHBoxLayout()
        self.back = button("", "secondary")
        self.cancel = button("", "danger")
        self.hotline = label("", "hint", wrap=True)
        foot.addWidget(self.back)
        foot.addWidget(self.hotline, 2)
        foot.addWidget(self.cancel)
        foot_outer.addLayout(foot)
        outer.addWidget(self.footer)
        self.overlay = CountdownOverlay(self)

        self.lang_button.clicked.connect(lambda: self.action.emit("set_lang", ("en" if self.lang == "zh" else "zh",)))
        self.elderly_button.clicked.connect(lambda on: self.action.emit("set_elderly", (on,)))
        self.voice_button.clicked.connect(lambda: self.action.emit("toggle_voice", ()))
        self.back.clicked.connect(lambda: self.action.emit("back", ()))
        self.cancel.clicked.connect(lambda: self.action.emit("cancel", ()))
        self.overlay.keep_going.connect(lambda: self.action.emit("touch", ()))
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        """Take the panel size and the spacing of ``theme`` (the stylesheet is the application's)."""
        self.theme = theme
        self.setFixedSize(theme.width, theme.height)
        # The header's fitted texts take the mode's sizes (elderly mode: larger).
        self.step_title.max_px, self.step_title.min_px = theme.font_px("title"), theme.font_px("body")
        self.hall.max_px, self.hall.min_px = theme.font_px("small"), round(theme.font_px("small") * 0.8)
        for fit in (self.step_title, self.hall):
            fit.refit()
        m = theme.gap
        self.v_title.px = theme.font_px("body")
        self.v_title.setContentsMargins(m * 2, m, 0, m)
        self.v_title.setText(self.v_title.text())  # the new size's width
        self.header.layout().setContentsMargins(m * 2, m, m * 2, m)
        self.footer.layout().setContentsMargins(m * 2, m // 2, m * 2, m)

    def show_view(self, view: SessionView, title: str) -> None:
        """Update header and footer for ``view`` (the screen itself is rendered by the navigator)."""
        self.lang = view.lang
        self.hall.setText(self.kiosk.hall_name_en if view.lang == "en" else self.kiosk.hall_name)
        self.show_title(title, view.lang)
        # The language button names the other language in that language, so anyone can find it.
        self.lang_button.setText("English" if view.lang == "zh" else "中文")
        # On shows a tick as well as the colours: the state is not told by colour alone.
        self.elderly_button.setText(("✓ " if view.elderly else "") + translate("Window", "Larger text"))
        self.elderly_button.setChecked(view.elderly)
        self.show_voice(self.voice_button.isChecked())
        way, place = PLACES.get(view.step, ("", -1))
        self.steps.show_place(way, place)
        self.elderly_button.setVisible(True)
        self.back.setText(translate("Window", "◀ Back"))
        self.cancel.setText(translate("Window", "End visit"))
        self.back.setVisible("back" in view.events)
        self.cancel.setVisible("cancel" in view.events)
        self.hotline.setText(translate("Window", "Need help? Call {0}").format(self.kiosk.hotline))
        self.overlay.retranslate()
        self.show_idle(view.idle)

    def show_title(self, title: str, lang: str) -> None:
        """The screen's title: a vertical column for Mongolian, else the header's line."""
        show_either(title, columns=lang == "mn" and vertical_ok(title), line=self.step_title, column=self.v_title)

    def show_voice(self, on: bool) -> None:
        """The voice button's state: a tick and the filled colour when the kiosk speaks."""
        self.voice_button.setChecked(on)
        self.voice_button.setText(("✓ " if on else "") + translate("Window", "Voice"))

    def show_maintenance(self, title: str, lang: str) -> None:
        """Header and footer for a maintenance screen: no back, end visit or elderly mode; language stays."""
        self.lang = lang
        self.show_title(title, lang)
        self.lang_button.setText("English" if self.lang == "zh" else "中文")
        self.hotline.setText(translate("Window", "Need help? Call {0}").format(self.kiosk.hotline))
        for b in (self.back, self.cancel, self.elderly_button):
            b.setVisible(False)
        self.steps.show_place("", -1)
        self.overlay.retranslate()

    def show_idle(self, idle: IdleState) -> None:
        """Show the countdown while the session warns of the idle timeout, hide it otherwise."""
        if idle.warning and idle.seconds_left is not None:
            self.overlay.show_remaining(idle.seconds_left)
        else:
            self.overlay.hide()

    def add_demo_button(self, on_tap: Callable[[], None]) -> None:
        """Demo only: a footer button that puts a sample card on (or takes it off) the simulated reader."""
        demo = button("", "secondary")
        demo.setText(translate("Window", "Demo: tap sample card (F2)"))
        demo.clicked.connect(on_tap)
        self.footer.layout().itemAt(1).layout().insertWidget(2, demo)

    def show_notice(self, text: str) -> None:
        """A line above the footer buttons: a refused action or a device problem ("" hides it)."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse to close unless the shell is shutting down (Alt+F4 and the like do nothing)."""
        if self.allow_close:
            event.accept()
        else:
            event.ignore()
