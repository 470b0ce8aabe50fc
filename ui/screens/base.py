"""What every screen has: the theme, an ``action`` signal for the citizen's taps, render/retranslate/clear.

A screen never decides anything: it shows the plain-data view it is given and emits ``action(name, args)``
where ``name`` is a :class:`kiosk.visit.session.Session` action (or a shell action such as ``print_notice``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.catalog import Text
from kiosk.config import KioskSection
from kiosk.visit.view import SessionView
from ui.theme import Theme
from ui.widgets.buttons import set_role


@dataclass(frozen=True)
class Context:
    """What screens need besides the view: the theme and who this kiosk is (hall name, hotline)."""

    theme: Theme
    kiosk: KioskSection

    def hall_name(self, lang: str) -> str:
        """The hall's name in ``lang``."""
        return self.kiosk.hall_name_en if lang == "en" and self.kiosk.hall_name_en else self.kiosk.hall_name


class Screen(QWidget):
    """Base class of the visit's screens."""

    action = Signal(str, object)  # (action name, argument tuple)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        theme = ctx.theme
        self.theme = theme
        self.lang = "zh"
        self.setProperty("role", "screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.body = QVBoxLayout(self)
        margin = theme.gap * 2
        self.body.setContentsMargins(margin, theme.gap, margin, theme.gap)
        self.body.setSpacing(theme.gap)

    def split_layout(self) -> QBoxLayout:
        """Two parts side by side in landscape, stacked in portrait."""
        portrait = self.theme.portrait
        box = QBoxLayout(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        box.setSpacing(self.theme.gap * 2)
        return box

    def emit(self, name: str, *args: Any) -> None:
        """Ask for the action ``name`` with ``args``."""
        self.action.emit(name, args)

    def t(self, text: Text | None) -> str:
        """A catalog text in the language shown."""
        return text.get(self.lang) if text is not None else ""

    def render(self, view: SessionView) -> None:
        """Show ``view``; subclasses call this first (it takes the language)."""
        self.lang = view.lang

    def retranslate(self) -> None:
        """Re-read the fixed texts in the installed language."""

    def entered(self) -> None:
        """The session just moved to this screen's step (before the first render of that visit to it)."""

    def on_result(self, name: str, result: object) -> None:
        """The session's answer to this screen's action ``name`` (most screens need only the next view)."""

    def on_scanned(self, code: str) -> None:
        """The QR/barcode scanner read ``code`` while this screen was shown; default: not this screen's business.

        A screen that reads codes (a receipt's QR, a phone sign-in code) overrides it. Runs on the GUI thread.
        """

    def set_device_note(self, text: str, ok: bool = True) -> None:
        """Show what a device did for this screen (printing, printed, or its trouble in plain words)."""
        note = getattr(self, "device_note", None)
        if note is not None:
            note.setText(text)
            set_role(note, "ok" if ok else "error")
            note.setVisible(bool(text))

    def clear(self) -> None:
        """Forget everything personal this screen shows (the visit ended)."""

    def title(self) -> str:
        """The screen's heading for the header bar."""
        return ""
