"""The idle warning: a full-window overlay counting down to the end of the visit, with a big "continue"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.i18n import translate
from ui.widgets.buttons import button, label


class CountdownOverlay(QWidget):
    """Covers its parent while shown; ``keep_going`` is emitted when the citizen taps "continue"."""

    keep_going = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("CountdownOverlay")
        self._remaining = 0
        self.card = QWidget(self)
        self.card.setProperty("role", "card")
        self.card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(self.card)
        self.title = label("", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seconds = label("", "huge")
        self.seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = label("", "")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.go_on = button("", "primary")
        self.go_on.clicked.connect(self.keep_going)
        for w in (self.title, self.seconds, self.hint, self.go_on):
            lay.addWidget(w)
        parent.installEventFilter(self)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        """Re-read the translated texts."""
        self.title.setText(translate("Idle", "Are you still there?"))
        self.hint.setText(
            translate("Idle", "For your privacy, everything you entered will be cleared when the time runs out.")
        )
        self.go_on.setText(translate("Idle", "Continue"))
        self._show_seconds()

    def remaining(self) -> int:
        """Seconds shown."""
        return self._remaining

    def show_remaining(self, seconds: int) -> None:
        """Show the overlay with ``seconds`` left."""
        self._remaining = max(0, int(seconds))
        self._show_seconds()
        self._fit()
        if not self.isVisible():
            self.show()
        self.raise_()

    def _show_seconds(self) -> None:
        self.seconds.setText(translate("Idle", "{0} s").format(self._remaining))

    def _fit(self) -> None:
        parent = self.parentWidget()
        self.setGeometry(parent.rect())
        w = min(parent.width() - 80, max(720, parent.width() // 2))
        self.card.setFixedWidth(w)
        # As tall as the wrapped texts need at that width (adjustSize alone guesses from a narrower width).
        self.card.setFixedHeight(max(self.card.layout().totalHeightForWidth(w), self.card.sizeHint().height()))
        self.card.move((self.width() - w) // 2, (self.height() - self.card.height()) // 2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the parent's size."""
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        """Dim what is behind, so the warning is the only thing to read."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 160))
