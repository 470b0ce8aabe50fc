"""A long text shown one screenful at a time, with big up/down buttons (touch scrolling also works)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QScroller, QVBoxLayout, QWidget

from ui.i18n import translate
from ui.widgets.buttons import button, label


class TextPager(QWidget):
    """Word-wrapped plain text in a scroll area; the buttons move by most of a page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = label("", "")
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(self.text)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        lay.addWidget(self.area, 1)
        nav = QHBoxLayout()
        self.up = button("", "secondary")
        self.down = button("", "secondary")
        nav.addWidget(self.up)
        nav.addWidget(self.down)
        lay.addLayout(nav)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.retranslate()

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
