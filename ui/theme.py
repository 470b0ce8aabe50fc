"""Sizes, colours and the Qt stylesheet of the shell, in normal and elderly (适老化) mode.

Everything is derived from the panel: pixels per millimetre come from the configured physical width, so a
touch target is never smaller than 15 mm whatever the panel. Elderly mode multiplies type by the configured
scale (at least 1.5), switches to a higher-contrast palette and shows fewer items per page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.config import ScreenSection

MIN_TARGET_MM = 15.0
LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)


@dataclass(frozen=True)
class Palette:
    """The colours of one mode (hex strings, #RRGGBB)."""

    background: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    accent: str  # header bar
    on_accent: str
    error: str
    ok: str
    disabled: str
    on_disabled: str
    border: str


NORMAL = Palette(
    background="#F2F5FA",
    surface="#FFFFFF",
    text="#1B2430",
    muted="#4A5563",
    primary="#1452A8",
    on_primary="#FFFFFF",
    secondary="#E3EAF5",
    on_secondary="#0E3A78",
    accent="#0E3A78",
    on_accent="#FFFFFF",
    error="#B3261E",
    ok="#1E6B34",
    disabled="#F2F5FA",  # the page itself: a disabled button has no fill to press, only a dashed outline
    on_disabled="#4A5563",
    border="#9AA7B8",
)

# Black on white, darker blue, thicker borders: every pair is at least WCAG AAA (7:1).
ELDERLY = Palette(
    background="#FFFFFF",
    surface="#FFFFFF",
    text="#000000",
    muted="#222222",
    primary="#002B6B",
    on_primary="#FFFFFF",
    secondary="#FFE066",
    on_secondary="#000000",
    accent="#000000",
    on_accent="#FFFFFF",
    error="#8A0000",
    ok="#004D1A",
    disabled="#FFFFFF",
    on_disabled="#444444",
    border="#000000",
)


def _luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2) of ``#RRGGBB``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours (1..21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Theme:
    """Geometry, type sizes, palette and paging of the shell for one orientation and mode."""

    width: int
    height: int
    px_per_mm: float
    elderly: bool
    scale: float
    font_family: str
    palette: Palette

    @property
    def portrait(self) -> bool:
        """Whether the panel is taller than wide."""
        return self.height > self.width

    @property
    def target_px(self) -> int:
        """The smallest touch target: 15 mm on this panel."""
        return math.ceil(MIN_TARGET_MM * self.px_per_mm)

    def font_px(self, role: str = "body") -> int:
        """Pixel size of a text role (body, small, title, big, button, huge)."""
        base = {"small": 24, "body": 30, "button": 32, "title": 44, "big": 56, "huge": 84}[role]
        return round(base * self.scale)

    @property
    def button_height(self) -> int:
        """Height of ordinary buttons: at least the touch target and room for the label."""
        return max(self.target_px, round(self.font_px("button") * 2.0))

    @property
    def key_height(self) -> int:
        """Height of keyboard keys: the touch target, with room for the larger type in elderly mode."""
        return max(self.target_px, round(self.font_px("button") * 1.6))

    @property
    def gap(self) -> int:
        """Spacing between touch targets (about 3 mm, so neighbours are not hit by mistake)."""
        return max(12, round(3 * self.px_per_mm))

    @property
    def items_per_page(self) -> int:
        """How many choice tiles one page shows: fewer in elderly mode and in landscape."""
        if self.elderly:
            return 4 if not self.portrait else 5
        return 8 if not self.portrait else 10

    @property
    def form_rows(self) -> int:
        """Form fields listed per page."""
        if self.elderly:
            return 3
        return 5

    @property
    def columns(self) -> int:
        """Columns of a tile grid."""
        if self.elderly:
            return 2 if not self.portrait else 1
        return 4 if not self.portrait else 2

    def stylesheet(self) -> str:
        """The application stylesheet: roles are set with the ``role`` dynamic property."""
        p = self.palette
        border = 4 if self.elderly else 2
        weight = 700 if self.elderly else 500
        family = f'"{self.font_family}"'
        return f"""
QWidget {{ font-family: {family}; font-size: {self.font_px()}px; color: {p.text}; }}
QWidget#KioskWindow, QStackedWidget, QWidget[role="screen"] {{ background: {p.background}; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {self.font_px("title")}px; font-weight: 700; }}
QLabel[role="big"] {{ font-size: {self.font_px("big")}px; font-weight: 700; }}
QLabel[role="huge"] {{ font-size: {self.font_px("huge")}px; font-weight: 700; color: {p.primary}; }}
QLabel[role="hint"] {{ color: {p.muted}; font-size: {self.font_px("small")}px; }}
QLabel[role="error"] {{ color: {p.error}; font-weight: 700; }}
QLabel[role="hint-error"] {{ color: {p.error}; font-weight: 700; font-size: {self.font_px("small")}px; }}
QLabel[role="hint-ok"] {{ color: {p.ok}; font-weight: 700; font-size: {self.font_px("small")}px; }}
QLabel[role="ok"] {{ color: {p.ok}; font-weight: 700; }}
QLabel[role="notice"] {{ background: {p.secondary}; color: {p.on_secondary}; border: {border}px solid {p.border};
    border-radius: 8px; padding: {self.gap}px; font-weight: {weight}; }}
QLabel[role="value"] {{ background: {p.surface}; border: {border}px solid {p.border}; border-radius: 8px;
    padding: 2px {self.gap}px; min-height: {self.key_height}px; font-size: {self.font_px("button")}px; }}
QWidget[role="header"] {{ background: {p.accent}; }}
QWidget[role="header"] QLabel {{ color: {p.on_accent}; font-weight: 700; }}
QWidget[role="card"] {{ background: {p.surface}; border: {border}px solid {p.border}; border-radius: 10px; }}
QPushButton {{ min-height: {self.button_height}px; min-width: {self.target_px}px; padding: 0 {self.gap}px;
    border-radius: 10px; font-size: {self.font_px("button")}px; font-weight: {weight};
    background: {p.secondary}; color: {p.on_secondary}; border: {border}px solid {p.border}; }}
QPushButton[role="primary"] {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; }}
QPushButton[role="danger"] {{ background: {p.surface}; color: {p.error}; border-color: {p.error}; }}
QPushButton[role="header"] {{ background: transparent; color: {p.on_accent}; border-color: {p.on_accent};
    min-height: {self.key_height}px; font-size: {self.font_px("body")}px; }}
QPushButton[role="header"]:checked {{ background: {p.on_accent}; color: {p.accent}; }}
QPushButton[role="chip"] {{ border-radius: {self.button_height // 2}px; }}
QPushButton[role="chip"]:checked, QPushButton[role="key"]:checked {{ background: {p.primary};
    color: {p.on_primary}; }}
QPushButton[role="tile"] {{ background: {p.surface}; padding: {self.gap}px; }}
QPushButton[role="tile"]:checked {{ background: {p.secondary}; border-color: {p.primary};
    border-width: {border + 4}px; }}
QLabel[role="tile-title"] {{ font-size: {self.font_px("button")}px; font-weight: 700; color: {p.on_secondary}; }}
QLabel[role="tile-title-off"] {{ font-size: {self.font_px("button")}px; color: {p.on_disabled}; }}
QLabel[role="tile-detail"] {{ font-size: {self.font_px("small")}px; color: {p.muted}; }}
QPushButton[role="key"] {{ font-size: {self.font_px("button")}px; background: {p.surface};
    min-height: {self.key_height}px; padding: 0; }}
QPushButton[role="danger-key"] {{ font-size: {self.font_px("button")}px; background: {p.surface}; color: {p.error};
    border-color: {p.error}; min-height: {self.key_height}px; padding: 0; }}
QLabel[role="header-small"] {{ font-size: {self.font_px("small")}px; }}
QWidget[role="steps"] {{ background: {p.surface}; border-bottom: {border}px solid {p.border}; }}
QLabel[role="step"], QLabel[role="step-done"], QLabel[role="step-now"] {{ font-size: {self.font_px("small")}px;
    font-weight: 700; padding: 2px {self.gap}px; border-radius: 6px; color: {p.muted}; }}
QLabel[role="step-done"] {{ color: {p.ok}; }}
QLabel[role="step-now"] {{ background: {p.primary}; color: {p.on_primary}; }}
QPushButton:pressed {{ background: {p.primary}; color: {p.on_primary}; }}
QPushButton:disabled {{ background: {p.disabled}; color: {p.on_disabled}; border: {border}px dashed {p.border};
    font-weight: 400; }}
QPushButton[role="chip"]:checked:disabled, QPushButton[role="key"]:checked:disabled {{ background: {p.primary};
    color: {p.on_primary}; border-style: solid; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
QScrollBar:vertical {{ width: {self.target_px}px; background: {p.secondary}; border-radius: 8px; margin: 0; }}
QScrollBar::handle:vertical {{ background: {p.primary}; border-radius: 8px; min-height: {self.target_px}px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
"""


def make_theme(screen: ScreenSection, *, elderly: bool) -> Theme:
    """The theme for the configured panel, in normal or elderly mode."""
    width, height = LANDSCAPE if screen.orientation == "landscape" else PORTRAIT
    # width_mm is the panel's native (long) side; a rotated panel keeps its pixel pitch.
    px_per_mm = max(width, height) / screen.width_mm
    return Theme(
        width=width,
        height=height,
        px_per_mm=px_per_mm,
        elderly=elderly,
        scale=screen.elderly_scale if elderly else 1.0,
        font_family=screen.font_family,
        palette=ELDERLY if elderly else NORMAL,
    )
