"""QApplication setup for a kiosk: fonts, translations, and nothing that lets a citizen leave the shell."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent, QPixmapCache
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

# Key combinations a desktop would act on; on a kiosk they must do nothing.
_BLOCKED_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
_BLOCKED_KEYS = frozenset({Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Menu, Qt.Key.Key_F4})


class KioskGuard(QObject):
    """Application-wide event filter: no context menus, no shortcut keys, no drag-and-drop, no wheel zoom.

    Touch and mouse presses still reach the widgets; physical keys only reach the widgets that ask for them
    (the on-screen keypad works with its own buttons, not the keyboard).
    """

    def __init__(self, parent: QObject | None = None, *, allowed_keys: frozenset[int] = frozenset()) -> None:
        super().__init__(parent)
        self.allowed_keys = set(allowed_keys)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Swallow the events that would leave or disturb the shell."""
        kind = event.type()
        if kind in (QEvent.Type.ContextMenu, QEvent.Type.Wheel, QEvent.Type.DragEnter, QEvent.Type.Drop):
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if event.key() in self.allowed_keys:
                return False
            if event.modifiers() & _BLOCKED_MODIFIERS or event.key() in _BLOCKED_KEYS:
                return True
        return False


def get_app(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication, created once (tests share pytest-qt's)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


def pyside_problem() -> str:
    """Why this PySide6 cannot run a kiosk for long ("" when it can).

    PySide6 6.12.0 drops a reference to True on every ``Signal.emit`` and to None on every call of a Python
    slot; on Python 3.11 (no immortal objects) the process aborts after a few thousand events.
    """
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    if sys.getrefcount(True) < before:
        import PySide6

        return (
            f"PySide6 {PySide6.__version__} corrupts reference counts on Python {sys.version.split()[0]} "
            "(it would crash after a few thousand taps): install PySide6-Essentials<6.12"
        )
    return ""


MONGOLIAN_FONT = "Noto Sans Mongolian"


def setup_fonts(app: QApplication, family: str) -> QFont:
    """Use ``family`` as the application font; logs a warning when it is not installed (CJK would be boxes)."""
    if family not in QFontDatabase.families():
        log.warning("font %r is not installed: Chinese may not render (install fonts-noto-cjk)", family)
    # Traditional Mongolian (fonts-noto-core): glyphs the CJK family lacks come from this font, explicitly,
    # rather than from whatever fontconfig would guess.
    if MONGOLIAN_FONT not in QFontDatabase.families():
        log.warning("font %r is not installed: Mongolian would be boxes (install fonts-noto-core)", MONGOLIAN_FONT)
    QFont.insertSubstitution(family, MONGOLIAN_FONT)
    font = QFont(family)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return font


PIXMAP_CACHE_KB = 2048


def limit_caches() -> None:
    """Cap Qt's pixmap cache: by default it keeps 10 MB of stylesheet and QR renderings from earlier visits,
    which a kiosk never shows again (its memory would look like a leak for the first ~30 visits)."""
    QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)


def kiosk_window(widget: QWidget, *, fullscreen: bool) -> None:
    """Make ``widget`` a kiosk window: frameless, on top, no context menu; full screen when configured."""
    widget.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    if fullscreen:
        widget.showFullScreen()
    else:
        widget.show()
