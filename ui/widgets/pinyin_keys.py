"""The letter keyboard with the pinyin candidate bar above it: Chinese text typed as pinyin and picked.

Letters go to the bar's composition; a tapped candidate goes into the text; the bar's letters button (or any
key that is not a letter: digit, space, comma) puts the letters in as typed, in capitals like the keys. The bar
is disabled, and the keys type letters as before, until the shared pinyin index is built
(:mod:`ui.pinyin_loader`); :meth:`PinyinKeys.set_chinese` hides it for fields that take no Chinese.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.pinyin import PinyinIndex
from ui.i18n import translate
from ui.pinyin_loader import pinyin_loader
from ui.theme import Theme
from ui.widgets.candidate_bar import CandidateBar
from ui.widgets.handwriting import HandwritingPad
from ui.widgets.textkeys import TextKeyboard


class PinyinKeys(QWidget):
    """``bar`` (candidates) over ``keys`` (the letter keyboard, which holds the text)."""

    def __init__(self, theme: Theme, *, max_length: int = 200, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(max(6, theme.gap // 2))
        self.bar = CandidateBar(theme)
        self.keys = TextKeyboard(max_length=max_length, min_key=theme.target_px)
        # The keyboard decides the width (the bar pages its candidates to fit) and takes the height left over.
        self.bar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        lay.addWidget(self.bar)
        # The letter keys, or in their room the handwriting pad (for a Chinese field, by the keys' 手写 key).
        self.inputs = QStackedWidget()
        self.pad = HandwritingPad(theme)
        self.inputs.addWidget(self.keys)
        self.inputs.addWidget(self.pad)
        lay.addWidget(self.inputs, 1)
        self.bar.write.clicked.connect(lambda on: self.set_handwriting(on))
        self.pad.letters.connect(lambda: self.set_handwriting(False))
        self.pad.candidates.connect(self.bar.offer)
        self.pad.backspace.connect(lambda: self.keys.set_value(self.keys.value()[:-1]))
        self.retranslate()
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
        self.set_handwriting(False)
        self._route()

    @property
    def handwriting(self) -> bool:
        """Whether the pad is up instead of the letter keys."""
        return self.inputs.currentWidget() is self.pad

    def set_handwriting(self, on: bool) -> None:
        """The handwriting pad (on) or the letter keys; what was being written or composed is dropped."""
        self.pad.canvas.clear()
        self.bar.clear()
        on = on and self._chinese
        self.bar.write.setChecked(on)
        self.inputs.setCurrentWidget(self.pad if on else self.keys)

    def _route(self) -> None:
        self.keys.composer = self.bar if self._chinese and self._ready else None

    def _committed(self, text: str) -> None:
        self.keys.insert(text.upper() if text.isascii() else text)
        if self.handwriting:  # the character is in: the pad is ready for the next one
            self.pad.clear()

    def retranslate(self) -> None:
        """Fixed texts."""
        self.keys.retranslate()
        self.pad.retranslate()
        self.bar.write.setText(translate("Keypad", "Write"))

    def clear(self) -> None:
        """Forget the composition, the strokes and the text."""
        self.bar.clear()
        self.pad.canvas.clear()
        self.keys.clear()
