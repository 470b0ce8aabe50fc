"""A long text shown one screenful at a time, with big up/down buttons (touch scrolling also works).

The buttons are there only while the text does not fit (a pager whose text fits shows none), and the text has no
scroll bar of its own: a thin bar is no touch target, and the buttons are.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QScrollArea,
    QScrollBar,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import translate
from ui.widgets.buttons import WrapButton, label

PAGE_SHARE = 0.8  # a page button moves this share of the view: a page's last lines are the next one's first


def follow_bar(bar: QScrollBar, update: Callable[[], None]) -> None:
    """Call ``update`` whenever ``bar``'s range or position changes (the text, the size or a drag moved it)."""
    bar.rangeChanged.connect(lambda *_: update())
    bar.valueChanged.connect(lambda *_: update())


def show_page_buttons(
    bar: QScrollBar, nav: QWidget, back: QAbstractButton, on: QAbstractButton, *, wanted: bool = True
) -> None:
    """The page buttons' row only while the text does not fit (and ``wanted``); each button enabled only where
    there is more to see."""
    nav.setVisible(wanted and bar.maximum() > 0)
    back.setEnabled(bar.value() > 0)
    on.setEnabled(bar.value() < bar.maximum())


def turn_page(bar: QScrollBar, direction: int, view_px: int) -> None:
    """Move ``bar`` a page back (``direction`` -1) or on (1): :data:`PAGE_SHARE` of ``view_px``, the view's
    length along the bar."""
    bar.setValue(bar.value() + direction * max(1, int(view_px * PAGE_SHARE)))


class TextPager(QWidget):
    """Word-wrapped plain text in a scroll area; the buttons move by most of a page."""

    def __init__(self, parent: QWidget | None = None, *, bar: bool = False) -> None:
        """``bar``: a 15 mm scroll bar beside the text instead of the page buttons below it (short lists on a
        screen with no height to spare for a row of buttons)."""
        super().__init__(parent)
        self.bar_mode = bar
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = label("", "")
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(self.text)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if bar else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        lay.addWidget(self.area, 1)
        self.nav = QWidget()
        policy = self.nav.sizePolicy()
        policy.setRetainSizeWhenHidden(False)
        self.nav.setSizePolicy(policy)
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        # Two lines where the words need them (Mongolian in elderly mode): two buttons share the row.
        self.up = WrapButton(role="secondary")
        self.down = WrapButton(role="secondary")
        nav.addWidget(self.up)
        nav.addWidget(self.down)
        lay.addWidget(self.nav)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        follow_bar(self.area.verticalScrollBar(), self._show_nav)
        self.area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate()
        self._show_nav()

    def _show_nav(self) -> None:
        """Page buttons only while the text does not fit (none in bar mode); each enabled where there is more."""
        show_page_buttons(self.area.verticalScrollBar(), self.nav, self.up, self.down, wanted=not self.bar_mode)

    def retranslate(self) -> None:
        """Fixed texts."""
        self.up.setText(translate("Pager", "▲ Page up"))
        self.down.setText(translate("Pager", "▼ Page down"))

    def set_text(self, text: str) -> None:
        """Show ``text`` from its top."""
        self.text.setText(text)
        self.area.verticalScrollBar().setValue(0)

    def plain_text(self) -> str:
        """The text shown."""
        return self.text.text()

    def setText(self, text: str) -> None:
        """Same as :meth:`set_text` (so a pager can stand where a label stood)."""
        self.set_text(text)

    def toPlainText(self) -> str:
        """Same as :meth:`plain_text`."""
        return self.text.text()

    def _move(self, direction: int) -> None:
        turn_page(self.area.verticalScrollBar(), direction, self.area.viewport().height())

    def clear(self) -> None:
        """Remove the text."""
        self.text.clear()
