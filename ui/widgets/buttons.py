"""Big touch buttons and the ``role`` property the stylesheet keys on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget


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
