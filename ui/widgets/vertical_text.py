"""Traditional Mongolian laid out as it is written: top to bottom in columns, the columns running left to right.

Qt has no vertical writing mode, so the text is laid out horizontally with :class:`QTextLayout`, each line as
long as the widget is *tall*, and drawn with the painter turned 90° clockwise: a line becomes a column read
top to bottom. Turned that way the first line would be the rightmost column (a line's top faces right), so the
lines are placed in reverse order, which puts the first column on the left, as Mongolian wants. The glyphs of
Noto Sans Mongolian are drawn for exactly this turn (the script's horizontal form is its vertical form lying on
its side), and the font's joining and shaping are untouched: it is the same run, only rotated.

A layout can only ask a widget for its height at a width, never its width at a height, so the widget asks for
the width its columns need at the height it was given (``setMinimumWidth`` on every resize), and
:meth:`VerticalText.width_for_height` lets the layout check see whether it got it.
"""

from __future__ import annotations

import math
from typing import Protocol

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent, QTextLayout
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QScroller, QSizePolicy, QVBoxLayout, QWidget

from ui.i18n import translate
from ui.widgets.buttons import button
from ui.widgets.pager import follow_bar, show_page_buttons, turn_page
from ui.widgets.text_layout import wrapped_layout


def is_mongolian(text: str) -> bool:
    """Whether ``text`` holds any character of the Mongolian block (U+1800–U+18AF)."""
    return any("\u1800" <= ch <= "\u18af" for ch in text)


def vertical_ok(text: str) -> bool:
    """Whether ``text`` should stand in vertical columns: it holds Mongolian and no Chinese. Chinese in a
    turned run would lie on its side (upright CJK in a Mongolian column is not done here), so a text with
    Chinese in it (a catalog entry with no Mongolian falls back to its Chinese) keeps horizontal runs."""
    return is_mongolian(text) and not any("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


class ShowsText(Protocol):
    """A widget with ``setText``: a label, a pager, :class:`VerticalText`."""

    def setText(self, text: str) -> None: ...
    def setVisible(self, visible: bool) -> None: ...


def show_either(text: str, *, columns: bool, line: ShowsText, column: ShowsText) -> None:
    """Show ``text`` in ``column`` (its vertical form) when ``columns``, else in ``line``; the other is emptied
    and hidden, so it takes no room."""
    line.setText("" if columns else text)
    line.setVisible(not columns)
    column.setText(text if columns else "")
    column.setVisible(columns)


class VerticalText(QWidget):
    """Plain text in vertical columns at ``px`` pixels (the theme's size for the role, so elderly mode's scale
    is in it), ``bold`` or not, in ``colour`` (default: the palette's text colour from the stylesheet).

    ``length``: the preferred column length in pixels (0: as long as the longest paragraph). ``centred``:
    centre the columns across the widget and a single short column down it (headlines); else top-left (body
    text). The text is also the widget's accessible name, so a screen reader and the layout check see it.
    """

    def __init__(self, text: str = "", *, px: int, bold: bool = False, colour: str = "", length: int = 0,
                 centred: bool = False, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.px, self.bold, self.colour, self.length, self.centred = px, bold, colour, length, centred
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._text = ""
        self.setText(text)

    def text(self) -> str:
        """The text shown."""
        return self._text

    def setText(self, text: str) -> None:
        """Show ``text`` (``\\n`` starts a new column)."""
        self._text = text
        self.setAccessibleName(text)
        self._claim_width()
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        """Remove the text."""
        self.setText("")

    def text_font(self) -> QFont:
        """The font the text is drawn in: the widget's family (the stylesheet's), at ``px``, bold or not."""
        font = QFont(self.font())
        font.setPixelSize(self.px)
        font.setBold(self.bold)
        return font

    def column_width(self) -> float:
        """The width of one column (the font's line spacing)."""
        return QFontMetricsF(self.text_font()).lineSpacing()

    def columns(self, height: int) -> list[tuple[str, float]]:
        """The columns at ``height`` (the room of a column's length): each column's text and its natural
        length. A word longer than ``height`` is broken anywhere rather than run off the bottom."""
        out: list[tuple[str, float]] = []
        length = max(1, height)
        for para in self._text.split("\n"):
            lay = self._laid_out(para, length)
            for i in range(lay.lineCount()):
                line = lay.lineAt(i)
                out.append((para[line.textStart() : line.textStart() + line.textLength()], line.naturalTextWidth()))
        return out if self._text else []

    def width_for_height(self, height: int) -> int:
        """The width the text needs at ``height`` (margins included)."""
        m = self.contentsMargins()
        inner = height - m.top() - m.bottom()
        return math.ceil(len(self.columns(inner)) * self.column_width()) + m.left() + m.right()

    def natural_length(self) -> int:
        """The length of the longest paragraph in one column."""
        # The layout is kept in a name while its line is read: a QTextLine outlives a collected layout badly.
        longest = 0.0
        for para in self._text.split("\n"):
            lay = self._laid_out(para, 1_000_000)
            longest = max(longest, lay.lineAt(0).naturalTextWidth() if lay.lineCount() else 0.0)
        return math.ceil(longest)

    def longest_word(self) -> int:
        """The length of the longest word in one column (margins included): any shorter and it is broken."""
        m = self.contentsMargins()
        words = [w for para in self._text.split("\n") for w in para.split(" ") if w]
        longest = 0.0
        for word in words:
            lay = self._laid_out(word, 1_000_000)
            longest = max(longest, lay.lineAt(0).naturalTextWidth() if lay.lineCount() else 0.0)
        return math.ceil(longest) + m.top() + m.bottom() if words else 0

    def broken_words(self, height: int) -> list[str]:
        """The columns at ``height`` (the widget's, margins included) that end inside a word, which runs on in
        the next column: a column too short for its words."""
        m = self.contentsMargins()
        out: list[str] = []
        for para in self._text.split("\n"):
            lay = self._laid_out(para, max(1, height - m.top() - m.bottom()))
            for i in range(lay.lineCount() - 1):  # a paragraph's last column ends where its words do
                line = lay.lineAt(i)
                text = para[line.textStart() : line.textStart() + line.textLength()]
                if not text.endswith(" "):  # a word ends at a plain space (U+202F before a suffix holds)
                    out.append(text)
        return out

    def sizeHint(self) -> QSize:
        """Columns of the preferred length, as wide as they need at that length."""
        m = self.contentsMargins()
        length = self.length or self.natural_length()
        height = length + m.top() + m.bottom()
        return QSize(self.width_for_height(height), height)

    def minimumSizeHint(self) -> QSize:
        """At least one character's height; the width the columns need at the height it has now."""
        m = self.contentsMargins()
        height = self.height() if self.height() > 0 else self.sizeHint().height()
        return QSize(self.width_for_height(height), self.px + m.top() + m.bottom())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new height: claim the width the columns need at it."""
        super().resizeEvent(event)
        self._claim_width()

    def _claim_width(self) -> None:
        height = self.height() if self.height() > 0 else self.sizeHint().height()
        need = self.width_for_height(height)
        if need != self.minimumWidth():
            self.setMinimumWidth(need)

    def _laid_out(self, para: str, length: int) -> QTextLayout:
        return wrapped_layout(para, self.text_font(), length)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Each line of the horizontal layout drawn as a column, the painter turned 90° clockwise."""
        if not self._text:
            return
        rect = self.contentsRect()
        step = self.column_width()
        paras = [self._laid_out(p, max(1, rect.height())) for p in self._text.split("\n")]
        count = sum(lay.lineCount() for lay in paras)  # an empty paragraph is one empty column (a blank line)
        block = count * step
        left = rect.left() + (max(0.0, (rect.width() - block) / 2) if self.centred else 0.0)
        top = rect.top()
        if self.centred and count == 1:
            top += max(0.0, (rect.height() - paras[0].lineAt(0).naturalTextWidth()) / 2) if paras[0].lineCount() else 0
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(QColor(self.colour) if self.colour else self.palette().color(self.foregroundRole()))
        # After this turn the painter's x runs down the widget and its y runs right to left from ``left + block``:
        # the line placed at y = block - (k + 1) * step is the k-th column from the left.
        painter.translate(left + block, top)
        painter.rotate(90)
        k = 0
        for lay in paras:
            for i in range(lay.lineCount()):
                line = lay.lineAt(i)
                line.setPosition(QPointF(0, block - (k + 1) * step))
                line.draw(painter, QPointF(0, 0))
                k += 1
        painter.end()


class VerticalPager(QWidget):
    """A long vertical text (the one-time notice in Mongolian): the columns run on to the right past the
    screen's edge, so the area scrolls sideways, one screenful at a time by two big buttons (a finger's drag
    works too); the buttons are there only while the text does not fit, as in :class:`ui.widgets.pager.TextPager`.
    """

    def __init__(self, *, px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = VerticalText(px=px)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)  # as tall as the view; as wide as the columns claim
        self.area.setWidget(self.text)
        for policy in (self.area.setHorizontalScrollBarPolicy, self.area.setVerticalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # a thin bar is no touch target; the buttons are
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        lay.addWidget(self.area, 1)
        self.nav = QWidget()
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        self.back = button("", "secondary")
        self.on = button("", "secondary")
        nav.addWidget(self.back)
        nav.addWidget(self.on)
        lay.addWidget(self.nav)
        self.back.clicked.connect(lambda: self._move(-1))
        self.on.clicked.connect(lambda: self._move(1))
        follow_bar(self.area.horizontalScrollBar(), self._show_nav)
        self.retranslate()
        self._show_nav()

    def retranslate(self) -> None:
        """Fixed texts (the tile pages' words: the same move, sideways)."""
        self.back.setText(translate("Tiles", "◀ Previous page"))
        self.on.setText(translate("Tiles", "Next page ▶"))

    def set_text(self, text: str) -> None:
        """Show ``text`` from its first column."""
        self.text.setText(text)
        self.area.horizontalScrollBar().setValue(0)

    def plain_text(self) -> str:
        """The text shown."""
        return self.text.text()

    def setText(self, text: str) -> None:
        """Same as :meth:`set_text` (so a pager can stand where a label stood, as a TextPager can)."""
        self.set_text(text)

    def clear(self) -> None:
        """Remove the text."""
        self.set_text("")

    def _show_nav(self) -> None:
        show_page_buttons(self.area.horizontalScrollBar(), self.nav, self.back, self.on)

    def _move(self, direction: int) -> None:
        turn_page(self.area.horizontalScrollBar(), direction, self.area.viewport().width())
