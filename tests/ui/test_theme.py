"""Sizes and colours: 15 mm touch targets, elderly mode at least 1.5x type, higher contrast, fewer items."""

from __future__ import annotations

import pytest

from kiosk.config import ScreenSection
from ui.theme import ELDERLY, NORMAL, contrast_ratio, make_theme

PAIRS = [("text", "background"), ("on_primary", "primary"), ("on_secondary", "secondary"), ("error", "background"),
         ("muted", "background"), ("on_accent", "accent"), ("on_disabled", "disabled")]  # fmt: skip


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("width_mm", [477.0, 527.0, 300.0])
def test_touch_targets_are_at_least_15_mm(orientation: str, width_mm: float) -> None:
    for elderly in (False, True):
        theme = make_theme(ScreenSection(orientation=orientation, width_mm=width_mm), elderly=elderly)
        assert theme.target_px / theme.px_per_mm >= 15.0
        assert theme.button_height >= theme.target_px
        assert theme.key_height >= theme.target_px


def test_portrait_and_landscape_sizes() -> None:
    land = make_theme(ScreenSection(orientation="landscape"), elderly=False)
    port = make_theme(ScreenSection(orientation="portrait"), elderly=False)
    assert (land.width, land.height) == (1920, 1080)
    assert (port.width, port.height) == (1080, 1920)
    assert land.target_px == port.target_px  # the same panel, rotated


@pytest.mark.parametrize("scale", [1.5, 2.0])
def test_elderly_mode_is_larger_fewer_and_higher_contrast(scale: float) -> None:
    screen = ScreenSection(elderly_scale=scale)
    normal, elderly = make_theme(screen, elderly=False), make_theme(screen, elderly=True)
    for role in ("small", "body", "button", "title"):
        assert elderly.font_px(role) >= 1.5 * normal.font_px(role) - 0.5
    assert elderly.items_per_page < normal.items_per_page
    assert elderly.form_rows < normal.form_rows
    for fg, bg in PAIRS:
        high = contrast_ratio(getattr(ELDERLY, fg), getattr(ELDERLY, bg))
        assert high >= 7.0, (fg, bg, high)
        assert high >= contrast_ratio(getattr(NORMAL, fg), getattr(NORMAL, bg)) - 0.01, (fg, bg)


def test_normal_palette_meets_wcag_aa() -> None:
    for fg, bg in PAIRS:
        assert contrast_ratio(getattr(NORMAL, fg), getattr(NORMAL, bg)) >= 4.5, (fg, bg)


def test_stylesheet_names_the_cjk_font() -> None:
    theme = make_theme(ScreenSection(), elderly=True)
    assert '"Noto Sans CJK SC"' in theme.stylesheet()
    assert f"font-size: {theme.font_px()}px" in theme.stylesheet()
