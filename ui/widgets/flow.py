"""A layout that puts its widgets in rows, as many to a row as fit, each row stretched to the full width.

Chips and action buttons whose labels differ a lot in length between languages ("税务" / "Taxation", "人社" /
"Human resources and social security") never get squeezed below their text: a row that would be too wide
wraps. It reports its height for a width (``heightForWidth``), so the screen around it makes room.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Rows of widgets, left to right, wrapping; ``spacing`` between them in both directions."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 12) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        """Qt's hook for ``addWidget``."""
        self._items.append(item)

    def count(self) -> int:
        """How many items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        """The item at ``index`` (None past the end)."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        """Remove and return the item at ``index``."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        """Takes the width it is given; its height follows."""
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        """Yes: more rows when narrower."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the rows take at ``width``."""
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        """Place the items in ``rect``."""
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:
        """As wide as the widest item, as tall as one item per row at that width."""
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        """The widest item (narrower, it could not show its text), and the rows' height at the width the layout
        has now (a box layout around it would otherwise squeeze it to one row when height is short)."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize()).expandedTo(item.sizeHint())
        m = self.contentsMargins()
        size += QSize(m.left() + m.right(), m.top() + m.bottom())
        width = self.geometry().width()
        if width > 0:
            size.setHeight(max(size.height(), self.heightForWidth(width)))
        return size

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if i.widget() is None or not i.widget().isHidden()]

    def rows(self, width: int) -> list[list[QLayoutItem]]:
        """The items of each row at ``width``."""
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and used + self._gap + w > width:
                rows.append([])
                used = 0
            used += (self._gap if rows[-1] else 0) + w
            rows[-1].append(item)
        return [r for r in rows if r]

    def _place(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for row in self.rows(area.width()):
            height = max(i.sizeHint().height() for i in row)
            natural = sum(i.sizeHint().width() for i in row) + self._gap * (len(row) - 1)
            spare = max(0, area.width() - natural)
            x = area.x()
            for n, item in enumerate(row):
                extra = spare // len(row) + (1 if n < spare % len(row) else 0)  # stretch the row to the edge
                w = min(item.sizeHint().width() + extra, area.width())
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, height)))
                x += w + self._gap
            y += height + self._gap
        return max(0, y - self._gap - area.y()) + m.top() + m.bottom()
