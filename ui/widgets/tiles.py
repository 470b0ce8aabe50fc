"""A grid of big tiles (services, bundles, slots, departments): paged, or (``scroll``) one list that a finger
drags, with a 15 mm scroll bar beside it, for lists that paging only makes longer to get through."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.i18n import translate
from ui.widgets.boxes import scrolling
from ui.widgets.buttons import WrapButton, label, set_role


@dataclass(frozen=True)
class Tile:
    """One choice: ``key`` is given back when tapped; a disabled tile says why in ``detail``."""

    key: str
    title: str
    detail: str = ""
    enabled: bool = True
    checked: bool = False


class TileButton(QPushButton):
    """A button with a wrapped title and a smaller detail line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        set_role(self, "tile")
        lay = QVBoxLayout(self)
        self.title = label("", "tile-title")
        self.detail = label("", "tile-detail")
        for lab in (self.title, self.detail):
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(lab)
        self.key = ""

    def minimumSizeHint(self) -> QSize:
        """At least the touch target, and tall enough for the labels (a QPushButton ignores its layout)."""
        hint = self.layout().minimumSize()
        base = QPushButton.sizeHint(self)  # the button's own (stylesheet minimums), not our override
        return QSize(max(hint.width() // 2, base.width()), max(hint.height(), base.height()))

    def sizeHint(self) -> QSize:
        """As tall as the wrapped labels need at the width the tile gets."""
        base = self.minimumSizeHint()
        return QSize(base.width(), max(base.height(), self.heightForWidth(max(self.width(), base.width()))))

    def heightForWidth(self, width: int) -> int:
        """The labels' height at ``width`` (titles wrap), never under the button's own minimum."""
        return max(self.layout().totalHeightForWidth(width), QPushButton.sizeHint(self).height())

    def show_tile(self, tile: Tile) -> None:
        """Display ``tile``."""
        self.key = tile.key
        self.title.setText(tile.title)
        self.detail.setText(tile.detail)
        self.detail.setVisible(bool(tile.detail))
        self.setEnabled(tile.enabled)
        self.setCheckable(tile.checked)
        self.setChecked(tile.checked)
        set_role(self.title, "tile-title" if tile.enabled else "tile-title-off")
        self.setAccessibleName(tile.title)

    def clear_tile(self) -> None:
        """Forget the shown tile."""
        self.key = ""
        self.title.clear()
        self.detail.clear()
        self.setAccessibleName("")


class TileGrid(QWidget):
    """Shows ``per_page`` tiles in ``columns`` columns with previous/next page buttons."""

    picked = Signal(str)

    def __init__(
        self, *, columns: int, per_page: int, scroll: bool = False, min_height: int = 0,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        """``scroll``: every tile in one dragged list (``per_page`` is then only the first pool of buttons);
        ``min_height``: the least height of a tile in that list."""
        super().__init__(parent)
        self.columns = max(1, columns)
        self.scroll = scroll
        self.per_page = max(1, per_page)
        self.min_height = min_height
        self._tiles: list[Tile] = []
        self._page = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.buttons: list[TileButton] = []
        if scroll:
            inner = QWidget()
            inner_lay = QVBoxLayout(inner)
            inner_lay.setContentsMargins(0, 0, 0, 0)
            inner_lay.addLayout(self.grid)
            inner_lay.addStretch(1)
            self.area = scrolling(inner)
            outer.addWidget(self.area, 1)
        else:
            outer.addLayout(self.grid, 1)
        self._grow(self.per_page)
        if not scroll:
            rows = (self.per_page + self.columns - 1) // self.columns
            for r in range(rows):
                self.grid.setRowStretch(r, 1)
        nav = QHBoxLayout()
        # Two lines where the words need them (Mongolian in elderly mode): the page number shares the row.
        self.prev = WrapButton(role="secondary")
        self.next = WrapButton(role="secondary")
        self.page_label = label("", "hint", wrap=False)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev.clicked.connect(lambda: self.set_page(self._page - 1))
        self.next.clicked.connect(lambda: self.set_page(self._page + 1))
        nav.addWidget(self.prev)
        nav.addWidget(self.page_label)
        nav.addWidget(self.next)
        outer.addLayout(nav)
        self.retranslate()

    def _grow(self, count: int) -> None:
        """Have at least ``count`` tile buttons in the grid."""
        for i in range(len(self.buttons), count):
            b = TileButton()
            b.clicked.connect(lambda _=False, b=b: self.picked.emit(b.key) if b.key else None)
            if self.scroll:
                b.setMinimumHeight(self.min_height)
            else:
                policy = b.sizePolicy()
                policy.setRetainSizeWhenHidden(True)  # an unfilled last page keeps the grid's shape
                b.setSizePolicy(policy)
            self.grid.addWidget(b, i // self.columns, i % self.columns)
            self.buttons.append(b)

    def retranslate(self) -> None:
        """Re-read the translated texts."""
        self.prev.setText(translate("Tiles", "◀ Previous page"))
        self.next.setText(translate("Tiles", "Next page ▶"))
        self._show_page()

    @property
    def pages(self) -> int:
        """Number of pages (at least 1; a scrolled list is one page)."""
        return 1 if self.scroll else max(1, -(-len(self._tiles) // self.per_page))

    @property
    def page(self) -> int:
        """The page shown, from 0."""
        return self._page

    def set_tiles(self, tiles: list[Tile]) -> None:
        """Show ``tiles``; keeps the page when the same number of tiles is re-rendered."""
        if len(tiles) != len(self._tiles):
            self._page = 0
        if self.scroll:
            self._grow(len(tiles))
        self._tiles = list(tiles)
        self._page = min(self._page, self.pages - 1)
        self._show_page()

    def tiles(self) -> list[Tile]:
        """All tiles, on every page."""
        return list(self._tiles)

    def set_page(self, page: int) -> None:
        """Show page ``page`` (clamped)."""
        self._page = max(0, min(page, self.pages - 1))
        self._show_page()
        if self.scroll:
            self.area.verticalScrollBar().setValue(0)

    def _show_page(self) -> None:
        start = self._page * self.per_page
        shown = self._tiles if self.scroll else self._tiles[start : start + self.per_page]
        for i, b in enumerate(self.buttons):
            if i < len(shown):
                b.show_tile(shown[i])
                b.setVisible(True)
            else:
                b.clear_tile()
                # Keep the cell's space so tiles do not jump around between pages.
                b.setVisible(False)
        many = self.pages > 1
        self.prev.setVisible(many)
        self.next.setVisible(many)
        self.page_label.setVisible(many)
        self.prev.setEnabled(self._page > 0)
        self.next.setEnabled(self._page < self.pages - 1)
        self.page_label.setText(translate("Tiles", "Page {0} of {1}").format(self._page + 1, self.pages))

    def clear(self) -> None:
        """Remove all tiles."""
        self._tiles = []
        self._page = 0
        self._show_page()
