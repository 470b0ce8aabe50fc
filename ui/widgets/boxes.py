"""Containers the technician screens share: a bordered card and a finger-scrollable area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QScroller, QVBoxLayout, QWidget


def card() -> tuple[QWidget, QVBoxLayout]:
    """A bordered box (stylesheet role "card") and its layout."""
    box = QWidget()
    box.setProperty("role", "card")
    box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return box, QVBoxLayout(box)


def scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a scroll area that follows a dragging finger (elderly type or portrait may need more room)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(page)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area
