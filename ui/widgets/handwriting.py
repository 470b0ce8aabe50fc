"""The handwriting pad: a citizen who cannot use pinyin writes a character with a finger and picks it from the
candidate bar. Strokes go to :class:`kiosk.handwriting.Recognizer` (zinnia) after every stroke; the pad sits
where the letter keys are (the same room: nothing moves when switching), with three keys of its own."""

from __future__ import annotations

import itertools
import logging

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.handwriting import HandwritingUnavailable, Recognizer
from ui.i18n import translate
from ui.theme import Theme
from ui.widgets.buttons import button

log = logging.getLogger(__name__)
_shared: list[Recognizer | None] = []


def recognizer() -> Recognizer | None:
    """The process's one recognizer, opened on first use (about 0.1 s); None when zinnia is not installed."""
    if not _shared:
        try:
            _shared.append(Recognizer())
        except HandwritingUnavailable as exc:
            log.warning("handwriting input unavailable: %s", exc)
            _shared.append(None)
    return _shared[0]


class Canvas(QWidget):
    """Where the finger writes; ``stroke_done()`` after each stroke."""

    stroke_done = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.strokes: list[list[tuple[float, float]]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("role", "card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A stroke begins."""
        self.strokes.append([self._point(event.position())])
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """The stroke goes on."""
        if self.strokes:
            self.strokes[-1].append(self._point(event.position()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """The stroke ends: recognise."""
        if self.strokes:
            self.strokes[-1].append(self._point(event.position()))
            self.stroke_done.emit()

    def _point(self, p: QPointF) -> tuple[float, float]:
        return (p.x(), p.y())

    def side(self) -> float:
        """The square the strokes are scaled to (the canvas's larger side)."""
        return float(max(self.width(), self.height(), 1))

    def clear(self) -> None:
        """Forget the strokes."""
        self.strokes = []
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The card, then the strokes in thick ink."""
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().windowText().color(), max(6, self.theme.gap // 2))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for stroke in self.strokes:
            for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
                painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))
            if len(stroke) == 1:
                painter.drawPoint(QPointF(*stroke[0]))


class HandwritingPad(QWidget):
    """The canvas and its keys: rewrite, delete the last character of the field, back to the letter keys.
    ``candidates(list)`` after every stroke; ``backspace()``, ``letters()`` for the keys."""

    candidates = Signal(list)
    backspace = Signal()
    letters = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.canvas = Canvas(theme)
        lay.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        self.rewrite = button("", "key")
        self.delete = button("⌫", "key")
        self.delete.setAccessibleName("Delete")
        self.to_keys = button("", "key")
        for b in (self.rewrite, self.delete, self.to_keys):
            row.addWidget(b)
        lay.addLayout(row)
        self.canvas.stroke_done.connect(self._recognise)
        self.rewrite.clicked.connect(self.clear)
        self.delete.clicked.connect(self.backspace)
        self.to_keys.clicked.connect(self.letters)
        self.retranslate()

    def retranslate(self) -> None:
        """Fixed texts."""
        self.rewrite.setText(translate("Handwriting", "Write again"))
        self.to_keys.setText(translate("Handwriting", "Pinyin keys"))

    def _recognise(self) -> None:
        engine = recognizer()
        found = engine.classify(self.canvas.strokes, self.canvas.side()) if engine is not None else []
        self.candidates.emit(found)

    def clear(self) -> None:
        """Start the character again."""
        self.canvas.clear()
        self.candidates.emit([])
