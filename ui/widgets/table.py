"""A department's answer as readable tables: a titled grid of word-wrapped cells per table, in a scroll area with
big page buttons (touch scrolling works too), the column titles and the note in the language shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.online import Table
from ui.i18n import translate
from ui.widgets.buttons import button, label
from ui.widgets.pager import turn_page

SHORT = 12  # characters: a column whose values are all this short (dates, amounts) is never wrapped


class TablePager(QWidget):
    """Shows tables; everything it shows is forgotten by :meth:`clear` (the answers are personal data)."""

    def __init__(self, gap: int = 12, parent: QWidget | None = None, *, side: bool = False) -> None:
        """``side``: the page buttons stand beside the tables, one above the other (a landscape screen has width
        to spare and no height), instead of below them."""
        super().__init__(parent)
        self.gap = gap
        lay: QBoxLayout = QHBoxLayout(self) if side else QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(gap)
        self.content = QWidget()
        self.content.setProperty("role", "card")
        self.content.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.rows = QVBoxLayout(self.content)
        self.rows.setSpacing(gap)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(self.content)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        lay.addWidget(self.area, 1)
        nav: QBoxLayout = QVBoxLayout() if side else QHBoxLayout()
        self.up = button("", "secondary")
        self.down = button("", "secondary")
        nav.addWidget(self.up)
        nav.addWidget(self.down)
        lay.addLayout(nav)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.cells: list[QLabel] = []  # every label showing an answer (for clear)
        self._parts: list[QWidget] = []
        self.retranslate()

    def retranslate(self) -> None:
        """Fixed texts."""
        self.up.setText(translate("Pager", "▲ Page up"))
        self.down.setText(translate("Pager", "▼ Page down"))

    def show_tables(self, tables: tuple[Table, ...], lang: str, *, narrow: bool = False) -> None:
        """Show ``tables`` from the top, in ``lang``: a grid of columns, or on a ``narrow`` screen one block per
        record with each column's title beside its value."""
        self.clear()
        for table in tables:
            part = QWidget()
            grid = QGridLayout(part)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(self.gap * 2)
            grid.setVerticalSpacing(self.gap // 2)
            width = 2 if narrow else max(1, len(table.columns))
            grid.addWidget(self._cell(table.title.get(lang), "tile-title"), 0, 0, 1, width)
            end = self._records(grid, table, lang) if narrow else self._grid(grid, table, lang)
            if table.note is not None:
                grid.addWidget(self._cell(table.note.get(lang), "hint"), end, 0, 1, width)
            self.rows.addWidget(part)
            self._parts.append(part)
        self.rows.addStretch(1)
        self.area.verticalScrollBar().setValue(0)
        self.up.setVisible(bool(tables))
        self.down.setVisible(bool(tables))

    def _grid(self, grid: QGridLayout, table: Table, lang: str) -> int:
        """Column titles, then one line per record; short columns (dates, amounts) keep their width and never
        wrap, the others share the rest. Returns the next free row."""
        for c, column in enumerate(table.columns):
            values = [row[c] for row in table.rows]
            wrap = max((len(v) for v in values), default=0) > SHORT
            grid.addWidget(self._cell(column.title.get(lang), "hint", wrap), 1, c)
            grid.setColumnStretch(c, 1 if wrap else 0)
            for r, value in enumerate(values, 2):
                grid.addWidget(self._cell(value, "", wrap), r, c)
        return len(table.rows) + 2

    def _records(self, grid: QGridLayout, table: Table, lang: str) -> int:
        """One block per record: each column's title beside its value. Returns the next free row."""
        r = 1
        grid.setColumnStretch(1, 1)
        for row in table.rows:
            for column, value in zip(table.columns, row, strict=True):
                grid.addWidget(self._cell(column.title.get(lang), "hint", False), r, 0)
                grid.addWidget(self._cell(value, ""), r, 1)
                r += 1
            grid.setRowMinimumHeight(r, self.gap)  # a gap between records
            r += 1
        return r

    def _cell(self, text: str, role: str, wrap: bool = True) -> QLabel:
        cell = label(text, role, wrap=wrap)
        cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.cells.append(cell)
        return cell

    def texts(self) -> list[str]:
        """Every text shown, in reading order (tests)."""
        return [c.text() for c in self.cells]

    def _move(self, direction: int) -> None:
        turn_page(self.area.verticalScrollBar(), direction, self.area.viewport().height())

    def clear(self) -> None:
        """Remove every table (the labels' texts first: a widget waiting for deletion still holds its text)."""
        for cell in self.cells:
            cell.clear()
        self.cells.clear()
        for part in self._parts:
            self.rows.removeWidget(part)
            part.setParent(None)
            part.deleteLater()
        self._parts.clear()
        while self.rows.count():  # the stretch
            self.rows.takeAt(0)
