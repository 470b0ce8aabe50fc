"""Every screen fits the panel in both orientations and in elderly mode, with touch targets of 15 mm."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.config import Config, ScreenSection
from kiosk.visit.flow import Step
from tests.ui.views import all_views
from ui.i18n import Translations
from ui.navigator import SCREENS
from ui.screens.base import Context
from ui.theme import make_theme
from ui.window import KioskWindow


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[Step, Any]]:
    return {lang: all_views(tmp_path_factory.mktemp(lang), lang) for lang in ("zh", "en")}


def test_every_step_has_a_screen_and_a_view(views: dict[str, dict[Step, Any]]) -> None:
    assert set(SCREENS) == set(Step)
    assert set(views["zh"]) == set(Step), set(Step) - set(views["zh"])


def drawn(widget: QWidget, screen: QWidget) -> QRect:
    """The part of ``widget`` that is drawn, in ``screen`` coordinates: clipped by every widget it sits in (a
    row scrolled out of a scroll area's viewport is not drawn over the buttons below the area)."""
    rect = QRect(widget.mapTo(screen, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not screen:
        rect = rect.intersected(QRect(parent.mapTo(screen, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect


def overlapping(screen: QWidget) -> list[tuple[str, str]]:
    """Pairs of visible buttons drawn over each other (a layout squeezed below its minimum: hidden keys)."""
    shown = [b for b in screen.findChildren(QPushButton) if b.isVisible()]
    boxes = [(b, drawn(b, screen)) for b in shown]
    return [
        (a.text(), b.text())
        for i, (a, ra) in enumerate(boxes)
        for b, rb in boxes[i + 1 :]
        if ra.intersects(rb) and not (a.isAncestorOf(b) or b.isAncestorOf(a))
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_every_screen_fits_the_panel(qapp: Any, views: dict, lang: str, orientation: str, elderly: bool) -> None:
    Translations(qapp).switch(lang)
    theme = make_theme(ScreenSection(orientation=orientation), elderly=elderly)
    qapp.setStyleSheet(theme.stylesheet())
    window = KioskWindow(theme, Config().kiosk)
    ctx = Context(theme, Config().kiosk)
    try:
        window.show()
        for step, view in views[lang].items():
            screen = SCREENS[step](ctx)
            window.stack.addWidget(screen)
            window.stack.setCurrentWidget(screen)
            screen.render(view)
            window.show_view(view, screen.title())
            qapp.processEvents()
            need = window.layout().totalMinimumSize()
            assert need.height() <= theme.height and need.width() <= theme.width, (step, need)
            small = [
                (b.text(), b.height())
                for b in screen.findChildren(QPushButton)
                if b.isVisible() and min(b.height(), b.width()) < theme.target_px
            ]
            assert not small, (step, small)
            assert not overlapping(screen), (step, overlapping(screen))
            window.stack.removeWidget(screen)
            screen.deleteLater()
    finally:
        window.allow_close = True
        window.close()
        qapp.setStyleSheet("")
