"""Big touch buttons and the ``role`` property the stylesheet keys on."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget


def set_role(widget: QWidget, role: str) -> None:
    """Set the stylesheet role of ``widget`` and re-apply the style (Qt caches it per property value)."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def button(text: str = "", role: str = "secondary", *, parent: QWidget | None = None) -> QPushButton:
    """A touch button: no focus rectangle, no keyboard focus, grows horizontally."""
    b = QPushButton(text, parent)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    b.setAutoDefault(False)
    set_role(b, role)
    return b


class WrapButton(QPushButton):
    """A touch button whose words go onto two lines when one line is wider than the button is (Mongolian's
    long words in elderly mode on a portrait screen), rather than run past its edges; the button grows to the
    lines' height. Its words break only at plain spaces (a Mongolian suffix's narrow no-break space holds).

    Its size hint keeps the width of the words on one line, so the layout gives it the same width whether it
    has wrapped or not: the lines follow the width, and the width never follows the lines (no loop)."""

    def __init__(self, text: str = "", role: str = "secondary", *, parent: QWidget | None = None) -> None:
        self._words = ""  # before anything that may send a FontChange
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoDefault(False)
        set_role(self, role)
        self.setText(text)

    def setText(self, text: str) -> None:
        """Show ``text``, on two lines if one would not fit the button's width."""
        self._words = " ".join(text.split("\n"))
        self._wrap()

    def words(self) -> str:
        """The text as set, on one line (``text()`` gives the lines as shown)."""
        return self._words

    def sizeHint(self) -> QSize:
        """The height of the lines shown, the width of the words on one line."""
        hint = super().sizeHint()
        fm = QFontMetrics(self.font())
        shown = max((fm.horizontalAdvance(line) for line in super().text().split("\n")), default=0)
        return QSize(hint.width() + fm.horizontalAdvance(self._words) - shown, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width: wrap again."""
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:
        """A new font (the stylesheet's, once polished): wrap again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._wrap()

    def _wrap(self) -> None:
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, self).width()
        shown = two_lines(self._words, QFontMetrics(self.font()), room) if self.width() > 0 else self._words
        if shown != super().text():
            super().setText(shown)
            self.updateGeometry()


def two_lines(text: str, fm: QFontMetrics, room: int) -> str:
    """``text`` as it fits ``room`` pixels: one line if it fits, else broken at the space that makes the wider
    of two lines narrowest (still one line when it has no space)."""
    if fm.horizontalAdvance(text) <= room:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    best = min(spaces, key=lambda i: max(fm.horizontalAdvance(text[:i]), fm.horizontalAdvance(text[i + 1 :])))
    return text[:best] + "\n" + text[best + 1 :]


WORD_JOINER = "\u2060"  # no line break here; draws nothing


def no_orphan(text: str) -> str:
    """``text`` with the last two characters of each line joined when both are Chinese, so a wrapped line never
    leaves one character alone on the last line ("核对申请信" / "息")."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line) >= 2 and ord(line[-1]) >= 0x2E80 and ord(line[-2]) >= 0x2E80:
            lines[i] = line[:-1] + WORD_JOINER + line[-1]
    return "\n".join(lines)


class Label(QLabel):
    """A label that can hide itself while it has nothing to say (messages), so it takes no room then, and that
    never leaves one Chinese character alone on its last line (:func:`no_orphan`; ``text()`` gives back the
    text as set, the label draws it with the joiner)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, autohide: bool = False) -> None:
        super().__init__("", parent)
        self.autohide = autohide
        self._text = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        """Set the text (and show or hide an auto-hiding label)."""
        self._text = text
        super().setText(no_orphan(text))
        if self.autohide:
            self.setVisible(bool(text))

    def text(self) -> str:
        """The text as set (without the joiners the label draws)."""
        return self._text

    def clear(self) -> None:
        """Remove the text."""
        self.setText("")


def label(
    text: str = "", role: str = "", *, wrap: bool = True, autohide: bool = False, parent: QWidget | None = None
) -> QLabel:
    """A plain label: word-wrapped, never selectable (no text selection on a kiosk)."""
    lab = Label(text, parent, autohide=autohide)
    lab.setWordWrap(wrap)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        set_role(lab, role)
    return lab


def reserve_lines(lab: QLabel, lines: int) -> None:
    """Give ``lab`` the room of ``lines`` lines of its font whether it shows text or not, so that what is
    below it never moves when a message comes and goes (it shows at most that many lines)."""
    lab.ensurePolished()  # the stylesheet's font size for its role
    fm = QFontMetrics(lab.font())
    m = lab.contentsMargins()
    lab.setFixedHeight(fm.lineSpacing() * lines + m.top() + m.bottom() + 2)
    lab.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
