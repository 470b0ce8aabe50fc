"""Chinese input on the touch screen: the pinyin typed so far and a paged row of candidates to tap.

The kiosk has no system input method, so Chinese free text (a newborn's name, a birth place, an address) is
typed as pinyin on the letter keyboard and picked here, a character or a word at a time, with
:class:`kiosk.pinyin.PinyinIndex` (built once by the shell and handed in with :meth:`CandidateBar.set_index`)::

    ┌ zhang'san ──────────────────────────────── [ ' ] [ zhangsan ] ┐   composition, separator, "use letters"
    └ [◀] [张] [长] [章] [掌] [丈] [账] [涨] … [▶] ──────────────────┘   candidates, paged

Wiring it into a free-text editor (not done yet; ``ui/screens/form_editors.py`` owns the letter keyboard):

- letter keys → ``bar.feed_letter(key)``; it returns False for what it does not take (digits, space, comma...):
  call ``bar.commit_letters()`` first (so pending pinyin is not left behind the new character), then insert the
  key into the field as today. ⌫ → ``bar.backspace()``, and only when it returns False delete from the field.
- ``bar.committed(text)`` → insert ``text`` into the field at the end (``TextKeyboard.set_value(value() + text)``):
  a picked candidate, or the letters as typed when the citizen taps the letters button.
- ``bar.compositionChanged(text)`` → optional: show ``value() + text`` in the field while composing.
- build the index once (``PinyinIndex.build()``, about 0.4 s: at start, in a worker thread, or at the first
  Chinese field) and ``set_index`` it; before that the bar composes letters and offers only the letters button.
- ``bar.clear()`` when the field changes and when the visit ends: the composition is what the citizen typed.
- show the bar only for fields that take Chinese (names, places, addresses), above the letter keyboard.

Labels are symbols and the citizen's own letters, so the bar adds nothing to translate.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.pinyin import MAX_INPUT, PinyinIndex
from ui.theme import Theme
from ui.widgets.buttons import button
from ui.widgets.fit import FitLabel

CANDIDATE_LIMIT = 400  # every character of the commonest syllables ("yi", "ji"), rare ones included, paged


class CandidateBar(QWidget):
    """Holds the pinyin being typed (the composition) and offers its candidates a page at a time."""

    committed = Signal(str)  # text for the field: a picked candidate, or the typed letters
    compositionChanged = Signal(str)  # the pinyin typed and not yet picked ("" when done)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._index: PinyinIndex | None = None
        self._composition = ""
        self._candidates: list[str] = []
        self._pages: list[int] = [0]  # where each page starts in the candidates
        self._page = 0
        # Candidate widths are measured in the font the stylesheet gives buttons, so a page fills one row.
        font = QFont(theme.font_family)
        font.setPixelSize(theme.font_px("button"))
        font.setWeight(QFont.Weight.Bold if theme.elderly else QFont.Weight.Medium)
        self._metrics = QFontMetrics(font)
        self._metrics_font = font
        self._spacing = max(6, theme.gap // 2)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(self._spacing)
        top = QHBoxLayout()
        top.setSpacing(self._spacing)
        # The pinyin as segmented ("wang'xiao'he"): smaller type where the row is short, never cut off.
        self.composition_label = FitLabel(theme.font_px("button"), theme.font_px("small") * 3 // 4, bold=False)
        self.composition_label.setProperty("role", "value")
        # Coloured like the keyboard's action keys, not like the candidates: they type no character.
        self.separator = self._key("'", "secondary")  # the letter keyboard has no apostrophe: xi'an is not xian
        self.separator.setAccessibleName("'")
        self.separator.clicked.connect(lambda: self.feed_letter("'"))
        # The letters as typed, to put them in as they are. A fixed width: one that followed the letters pushed
        # its neighbour along under the finger; hidden (keeping its room) while there are none, not a blank key.
        self.letters = self._key("", "secondary")
        self.letters.setAccessibleName("ABC")
        width = 4 * theme.target_px  # in the widget's own style: the application's min-width would win otherwise
        self.letters.setStyleSheet(f"min-width: {width}px; max-width: {width}px;")
        policy = self.letters.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.letters.setSizePolicy(policy)
        self.letters.clicked.connect(self.commit_letters)
        # 手写 / 拼音: the handwriting pad in the letter keys' room, and back (PinyinKeys switches them).
        self.write = self._key("", "secondary")
        self.write.setCheckable(True)
        top.addWidget(self.composition_label, 1)
        top.addWidget(self.separator)
        top.addWidget(self.letters)
        top.addWidget(self.write)
        outer.addLayout(top)

        row = QWidget()  # ◀ ▶ stay in it, so it keeps its height with no candidates: the keyboard stays put
        self.row = QHBoxLayout(row)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(self._spacing)
        self.prev = self._key("◀")
        self.next = self._key("▶")
        self.prev.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next.clicked.connect(lambda: self.show_page(self._page + 1))
        self.row.addWidget(self.prev)
        # The candidates live in a box of their own whose width does not follow them: ◀ and ▶ never move.
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cands = QHBoxLayout(box)
        self.cands.setContentsMargins(0, 0, 0, 0)
        self.cands.setSpacing(self._spacing)
        self.cands.addStretch(1)  # the candidate buttons go before it
        self.row.addWidget(box, 1)
        self.row.addWidget(self.next)
        self.candidate_buttons: list[QPushButton] = []  # a pool, grown as pages need it
        outer.addWidget(row)
        self._refresh()

    def _key(self, text: str, role: str = "key") -> QPushButton:
        """A keyboard-styled button, never smaller than the touch target."""
        b = button(text, role)
        b.setMinimumSize(self.theme.target_px, self.theme.key_height)
        b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return b

    # -- what the shell calls --------------------------------------------------------------------------------

    def set_index(self, index: PinyinIndex | None) -> None:
        """Use ``index`` for candidates (None: letters only); what is being typed stays."""
        self._index = index
        self._refresh()

    def composition(self) -> str:
        """The pinyin typed and not yet picked."""
        return self._composition

    def candidates(self) -> list[str]:
        """Every candidate of the composition, best first (all pages)."""
        return list(self._candidates)

    def page_candidates(self) -> list[str]:
        """The candidates on the page shown."""
        return [b.text() for b in self.candidate_buttons if not b.isHidden()]

    @property
    def page(self) -> int:
        """The page shown (0-based)."""
        return self._page

    @property
    def pages(self) -> int:
        """How many pages the candidates take."""
        return len(self._pages)

    def feed_letter(self, ch: str) -> bool:
        """One key of the letter keyboard: a Latin letter (any case) or an apostrophe joins the composition.

        Returns False, changing nothing, for anything else (and for an apostrophe with nothing to separate), so
        the caller types it into the field itself.
        """
        if len(ch) != 1 or not ch.isascii() or not (ch.isalpha() or ch == "'"):
            return False
        if ch == "'" and (not self._composition or self._composition.endswith("'")):
            return False
        if len(self._composition) < MAX_INPUT:  # longer than any word: further letters are ignored
            self._set_composition(self._composition + ch.lower())
        return True

    def backspace(self) -> bool:
        """Remove the last letter typed; False when there is none (the field's own ⌫ applies then)."""
        if not self._composition:
            return False
        self._set_composition(self._composition[:-1])
        return True

    def commit_letters(self) -> None:
        """Give the letters as typed to the field (a Latin name, a building letter) and start over."""
        letters = self._composition.replace("'", "")
        if letters:
            self._set_composition("")
            self.committed.emit(letters)

    def pick(self, candidate: str) -> None:
        """Give ``candidate`` to the field; the composition keeps what is left to pick ("zhangsan", 张 → "san")."""
        if not candidate:
            return
        rest = self._index.consume(self._composition, candidate) if self._index is not None else ""
        self.committed.emit(candidate)
        self._set_composition(rest)

    def clear(self) -> None:
        """Forget the composition without giving it to the field (field changed, visit over)."""
        self._set_composition("")

    def offer(self, candidates: list[str]) -> None:
        """Offer ``candidates`` that come from elsewhere (the handwriting pad), with nothing composed."""
        self._composition = ""
        self._refresh()
        self._candidates = list(candidates)
        self._paginate()
        self.show_page(0)

    def show_page(self, page: int) -> None:
        """Show page ``page`` of the candidates (clamped)."""
        self._page = max(0, min(page, len(self._pages) - 1))
        start = self._pages[self._page]
        end = self._pages[self._page + 1] if self._page + 1 < len(self._pages) else len(self._candidates)
        shown = self._candidates[start:end]
        while len(self.candidate_buttons) < len(shown):
            b = button("", "key")
            b.setMinimumSize(self.theme.target_px, self.theme.key_height)
            b.clicked.connect(lambda _=False, b=b: self.pick(b.text()))
            self.cands.insertWidget(self.cands.count() - 1, b)  # before the stretch
            self.candidate_buttons.append(b)
        for i, b in enumerate(self.candidate_buttons):
            b.setText(shown[i] if i < len(shown) else "")
            b.setVisible(i < len(shown))
        self.prev.setEnabled(self._page > 0)
        self.next.setEnabled(self._page < len(self._pages) - 1)

    # -- inside ----------------------------------------------------------------------------------------------

    def _set_composition(self, text: str) -> None:
        changed = text != self._composition
        self._composition = text
        self._refresh()
        if changed:
            self.compositionChanged.emit(text)

    def _refresh(self) -> None:
        """New composition or index: its candidates from the first page."""
        text = self._composition
        index = self._index
        self._candidates = index.candidates(text, CANDIDATE_LIMIT) if index is not None and text else []
        shown = "'".join(index.segment(text)) if index is not None else ""
        self.composition_label.setText(shown or text)
        # Smaller type for a longer run; past the smallest, it shows its end, where the citizen is typing.
        letters = text.replace("'", "")
        room = 4 * self.theme.target_px  # its fixed content width, laid out or not
        font = QFont(self._metrics_font)
        px = self.theme.font_px("button")
        while px > self.theme.font_px("small") * 3 // 4 and QFontMetrics(font).horizontalAdvance(letters) > room:
            px -= 1
            font.setPixelSize(px)
        fm = QFontMetrics(font)
        shown = letters if fm.horizontalAdvance(letters) <= room else fm.elidedText(
            letters, Qt.TextElideMode.ElideLeft, room
        )
        self.letters.setStyleSheet(f"min-width: {room}px; max-width: {room}px; font-size: {px}px;")
        self.letters.setText(shown)
        self.letters.setEnabled(bool(text))
        self.letters.setVisible(bool(text))
        self.separator.setEnabled(bool(text) and not text.endswith("'"))
        self._paginate()
        self.show_page(0)

    def _paginate(self) -> None:
        """Cut the candidates into pages that fit one row at the bar's width."""
        room = self._row_width()
        pad = 2 * self.theme.gap + 8  # the button's padding and borders, as the stylesheet draws them
        self._pages = [0]
        used = 0
        for i, text in enumerate(self._candidates):
            width = max(self.theme.target_px, self._metrics.horizontalAdvance(text) + pad) + self._spacing
            if used and used + width > room:
                self._pages.append(i)
                used = 0
            used += width

    def _row_width(self) -> int:
        """Room for candidates: the bar's width (an estimate from the theme before it is laid out) less ◀ ▶."""
        width = self.width() if self.isVisible() else 0
        if width < 4 * self.theme.target_px:
            width = self.theme.width // (1 if self.theme.portrait else 2)  # the form's editor column
        return width - 2 * (self.theme.target_px + self._spacing)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-cut the pages for the new width, keeping the first candidate shown on screen."""
        super().resizeEvent(event)
        first = self._pages[self._page] if self._candidates else 0
        self._paginate()
        self.show_page(max(i for i, start in enumerate(self._pages) if start <= first))
