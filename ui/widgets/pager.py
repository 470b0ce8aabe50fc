"""A long text shown one screenful at a time, with big up/down buttons (touch scrolling also works).

The buttons are there only while the text does not fit (a pager whose text fits shows none), and the text has no
scroll bar of its own: a thin bar is no touch target, and the buttons are.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QScroller, QSizePolicy, QVBoxLayout, QWidget

from ui.i18n import translate
from ui.widgets.buttons import WrapButton, label


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
        bar = self.area.verticalScrollBar()
        bar.rangeChanged.connect(lambda *_: self._show_nav())
        bar.valueChanged.connect(lambda *_: self._show_nav())
        self.area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate()
        self._show_nav()

    def _show_nav(self) -> None:
        """Page buttons only while the text does not fit; each enabled only where there is more to see."""
        bar = self.area.verticalScrollBar()
        self.nav.setVisible(bar.maximum() > 0 and not self.bar_mode)
        self.up.setEnabled(bar.value() > 0)
        self.down.setEnabled(bar.value() < bar.maximum())

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
        bar = self.area.verticalScrollBar()
        bar.setValue(bar.value() + direction * max(1, int(self.area.viewport().height() * 0.8)))

    def clear(self) -> None:
        """Remove the text."""
        self.text.clear()
