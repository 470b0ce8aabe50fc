"""The letter keyboard with the pinyin candidate bar above it: Chinese text typed as pinyin and picked.

Letters go to the bar's composition; a tapped candidate goes into the text; the bar's letters button (or any
key that is not a letter: digit, space, comma) puts the letters in as typed, in capitals like the keys. The bar
is disabled, and the keys type letters as before, until the shared pinyin index is built
(:mod:`ui.pinyin_loader`); :meth:`PinyinKeys.set_chinese` hides it for fields that take no Chinese.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.pinyin import PinyinIndex
from ui.pinyin_loader import pinyin_loader
from ui.theme import Theme
from ui.widgets.candidate_bar import CandidateBar
from ui.widgets.textkeys import TextKeyboard


class PinyinKeys(QWidget):
    """``bar`` (candidates) over ``keys`` (the letter keyboard, which holds the text)."""

    def __init__(self, theme: Theme, *, max_length: int = 200, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(max(6, theme.gap // 2))
        self.bar = CandidateBar(theme)
        self.keys = TextKeyboard(max_length=max_length)
        # The keyboard decides the width (the bar pages its candidates to fit) and takes the height left over.
        self.bar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        lay.addWidget(self.bar)
        lay.addWidget(self.keys, 1)
        self._chinese = True
        self._ready = False
        self.bar.committed.connect(self._committed)
        loader = pinyin_loader()
        loader.ready.connect(self.set_index)
        self.set_index(loader.index())

    @property
    def composing(self) -> bool:
        """Whether letters go to the candidate bar now (a Chinese field, the index built)."""
        return self.keys.composer is not None

    def set_index(self, index: PinyinIndex | None) -> None:
        """Use ``index`` (None: not built yet, the bar stays disabled)."""
        self._ready = index is not None
        self.bar.set_index(index)
        self.bar.setEnabled(self._ready)
        self._route()

    def set_chinese(self, on: bool) -> None:
        """Show the bar (a name, an address, free text) or not (a code typed in letters and digits); what was
        being composed is dropped either way (the field changed)."""
        self._chinese = on
        self.bar.clear()
        self.bar.setVisible(on)
        self._route()

    def _route(self) -> None:
        self.keys.composer = self.bar if self._chinese and self._ready else None

    def _committed(self, text: str) -> None:
        self.keys.insert(text.upper() if text.isascii() else text)

    def retranslate(self) -> None:
        """Fixed texts (the bar has none)."""
        self.keys.retranslate()

    def clear(self) -> None:
        """Forget the composition and the text."""
        self.bar.clear()
        self.keys.clear()
