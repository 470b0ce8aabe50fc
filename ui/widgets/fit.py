"""A line of text that shrinks its type to fit its width: reference and queue numbers, the header's title.

A number cut off at the edge ("KSK-DEMO-01-261124-00") is worse than a smaller one, and a title that breaks
before its last character ("核对申请信/息") reads badly. The label takes the size its layout gives and never
asks for more width; its height stays that of ``lines`` lines at the largest size, so nothing around it moves
when the text changes. Below ``min_px`` it wraps (at hyphens or spaces first), at most ``lines`` lines.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class FitLabel(QLabel):
    """Plain text between ``min_px`` and ``max_px`` pixels, as large as fits on one line."""

    def __init__(self, max_px: int, min_px: int, *, lines: int = 1, bold: bool = True,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.max_px, self.min_px, self.lines, self.bold = max_px, max(1, min(min_px, max_px)), lines, bold
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.px = max_px
        self._fitted: tuple[int, int] = (0, -1)  # (hash of the text, width): never the text (it may be personal)

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(self.bold)
        return font

    def sizeHint(self) -> QSize:
        """No width of its own; the height of ``lines`` lines at the largest size (constant)."""
        fm = QFontMetrics(self._font(self.max_px))
        single = fm.height()
        if self.lines > 1:  # wrapped lines are at the smallest size: may need more than one big line
            small = QFontMetrics(self._font(self.min_px))
            single = max(fm.height(), small.lineSpacing() * self.lines + 2)
        m = self.contentsMargins()
        return QSize(m.left() + m.right(), single + m.top() + m.bottom())

    def minimumSizeHint(self) -> QSize:
        """Same as the size hint: the height never changes."""
        return self.sizeHint()

    def heightForWidth(self, width: int) -> int:
        """The same height at any width (wrapping to a second line must not grow the label)."""
        return self.sizeHint().height()

    def setText(self, text: str) -> None:
        """Show ``text`` as large as it fits."""
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width: fit again."""
        super().resizeEvent(event)
        self._fit()

    def refit(self) -> None:
        """Fit again (after ``max_px`` or ``min_px`` changed)."""
        self._fitted = (0, -1)
        self.updateGeometry()
        self._fit()

    def _fit(self) -> None:
        text, width = self.text(), self.contentsRect().width()
        if (hash(text), width) == self._fitted or width <= 0:
            return
        self._fitted = (hash(text), width)
        px = self.max_px
        while px > self.min_px and QFontMetrics(self._font(px)).horizontalAdvance(text) > width:
            px -= 1
        self.px = px
        fits = QFontMetrics(self._font(px)).horizontalAdvance(text) <= width
        self.setWordWrap(not fits and self.lines > 1)
        weight = 700 if self.bold else 400
        self.setStyleSheet(f"font-size: {px}px; font-weight: {weight};")
