"""Non-visual navigation (EZ Access): the keypad moves a visible focus ring through the controls of the screen
and the speaker reads out each one; select presses it, back goes back, help repeats the screen's prompt.

The keypad is a device like the others (``DeviceKind.KEYPAD``): its DeviceRunner reads it on its device thread
(blocking evdev reads, reopened when it is plugged back in, its status in the store and the heartbeat) and its
commands reach the GUI thread as ``DeviceBridge.key_command``, a queued Qt signal. Controls are the shown,
enabled buttons of the whole window (header, screen, footer), in reading order: top to bottom, then left to right.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QFrame, QLabel, QWidget

from kiosk.voice import Utterance, control_prompt, spoken_lang
from ui.i18n.spoken import say_as

log = logging.getLogger(__name__)
RING_PX = 6
RING_COLOUR = "#ffb000"  # amber: seen on the blue header, the white screens and the dark elderly palette alike


def control_text(b: QAbstractButton) -> str:
    """What a control says: its text, else its accessible name, else its labels' texts (a service tile)."""
    text = b.text() or b.accessibleName()
    if not text:
        text = " ".join(lab.text() for lab in b.findChildren(QLabel) if lab.isVisible() and lab.text())
    return " ".join(text.replace("◀", " ").replace("▶", " ").replace("✓", " ").split())


class FocusRing(QObject):
    """The ring over one control of ``window``; moved by keypad commands, each control spoken as it is reached."""

    moved = Signal(str)  # the text of the control the ring is on now
    said = Signal(str)  # what the voice was asked to say for it (its Chinese, in a Mongolian visit)

    def __init__(
        self,
        window: QWidget,
        say: Callable[[Utterance | None], None],
        lang: Callable[[], str],
        help_prompt: Callable[[], Utterance | None],
        back: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self._say = say
        self._lang = lang
        self._help = help_prompt
        self._back = back
        self.current: QAbstractButton | None = None
        self.acted = 0  # commands acted on (tests wait on it: commands cross threads)
        self.ring = QFrame(window)
        self.ring.setObjectName("focus_ring")
        self.ring.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        border = f"border: {RING_PX}px solid {RING_COLOUR}; border-radius: 10px;"
        self.ring.setStyleSheet(f"QFrame#focus_ring {{ {border} background: transparent; }}")
        self.ring.hide()

    def controls(self) -> list[QAbstractButton]:
        """The controls the ring can reach now, in reading order."""
        shown = [b for b in self.window.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()]

        def place(b: QAbstractButton) -> tuple[int, int]:
            p = b.mapTo(self.window, QPoint(0, 0))
            return (p.y() + b.height() // 2) // 8, p.x()  # same row within 8 px: left to right

        return sorted(shown, key=place)

    def on_command(self, name: str) -> None:
        """Act on a keypad command."""
        self.acted += 1
        if name in ("up", "down"):
            self.step(1 if name == "down" else -1)
        elif name == "select":
            if self.current is not None and self.current.isVisible() and self.current.isEnabled():
                self.current.click()  # a new screen takes the ring off (the shell clears it); else it stays
                if self.current is not None and self.current.isVisible():
                    self._show(self.current)
        elif name == "back":
            self.clear()
            self._back()
        elif name == "help":
            self._say(self._help())

    def step(self, delta: int) -> None:
        """Move the ring to the next (``delta`` 1) or previous (-1) control, wrapping round, and say it."""
        controls = self.controls()
        if not controls:
            return
        if self.current in controls:
            index = (controls.index(self.current) + delta) % len(controls)
        else:
            index = 0 if delta > 0 else len(controls) - 1
        self.current = controls[index]
        self._show(self.current)
        text = control_text(self.current)
        lang = self._lang()
        said = spoken_lang(lang)  # a language without a voice (mn) says the control's text in its fallback's
        utterance = control_prompt(text if said == lang else say_as(text, lang, said), lang)
        self._say(utterance)
        self.said.emit(utterance.text)
        self.moved.emit(text)

    def _show(self, b: QAbstractButton) -> None:
        p = b.mapTo(self.window, QPoint(0, 0))
        self.ring.setGeometry(p.x() - RING_PX, p.y() - RING_PX, b.width() + 2 * RING_PX, b.height() + 2 * RING_PX)
        self.ring.show()
        self.ring.raise_()

    def clear(self) -> None:
        """Take the ring off (a new screen starts from its first control)."""
        self.current = None
        self.ring.hide()
