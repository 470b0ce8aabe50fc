"""The layout check: what a citizen would see wrong on a screen, found from the widgets and the font metrics.

Five kinds of finding, each a defect seen on the demo's screenshots or under a finger:

- ``clipped``: a label or button whose text does not fit its contents rect (word-wrap aware, measured with the
  widget's own font), a button whose text was elided ("…"), vertical text (Mongolian columns) narrower than its
  columns need at its height or too short for its words, or a control cut off by the widget it sits in;
- ``orphan``: a wrapped text whose last line is one character, or a bracket left alone at a line's end or start;
- ``target``: a visible button or scroll bar under 15 mm on the configured panel;
- ``unlabelled``: a visible button with no text, no icon and no label inside it;
- ``moved``: a control that moved between two key presses of one entry (the next tap hits another key).

:class:`Audit` collects them; the demo visit calls it at every screen (``screen``) and between key presses
(``before_keys`` / ``after_key``). Nothing here knows the screens: a new screen or language is checked as soon as
the demo visit shows it.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.config import ScreenSection
from ui.widgets.text_layout import wrapped_layout
from ui.widgets.vertical_text import VerticalText

KINDS = ("clipped", "orphan", "target", "unlabelled", "moved")
OPENING = "（(《“‘【［〔"
CLOSING = "）)》”’】］〕，。、：；！？,.:;!?"
SLACK = 1  # px: rounding in Qt's own layout


@dataclass(frozen=True)
class Finding:
    """One defect: its kind, where (screen name), which widget, and what is wrong."""

    kind: str
    where: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where}: {self.widget}: {self.detail}"


def target_px(screen: ScreenSection, width_px: int, height_px: int, mm: float = 15.0) -> int:
    """Pixels of ``mm`` on the configured panel (its physical width over its native long side in pixels)."""
    return math.ceil(mm * max(width_px, height_px) / screen.width_mm)


def describe(w: QWidget) -> str:
    """A short name for a widget in a finding: its class and its text or object name."""
    text = w.text() if isinstance(w, (QLabel, QAbstractButton, VerticalText)) else ""
    text = text.replace("\n", "⏎").replace("\u2060", "")
    return f"{type(w).__name__}({text[:40]!r})" if text else f"{type(w).__name__}#{w.objectName() or id(w)}"


def shown(root: QWidget, kind: type) -> list:
    """The widgets of ``kind`` under ``root`` that are on screen."""
    return [w for w in root.findChildren(kind) if w.isVisible() and w.width() > 0 and w.height() > 0]


def in_scroll_area(w: QWidget) -> bool:
    """Whether ``w`` sits in a scroll area's content (being partly out of view is then its job)."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p.parentWidget(), QAbstractScrollArea) and p is p.parentWidget().viewport():
            return True
        p = p.parentWidget()
    return False


def cut_by_parent(w: QWidget) -> bool:
    """Whether some ancestor (up to the window) cuts off part of ``w``."""
    if in_scroll_area(w):
        return False
    rect = QRect(QPoint(0, 0), w.size())
    p, offset = w.parentWidget(), w.pos()
    child = w
    while p is not None:
        mapped = rect.translated(offset)
        if not QRect(QPoint(0, 0), p.size()).adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(mapped):
            return True
        child, p = p, p.parentWidget()
        offset = offset + child.pos()
    return False


def wrapped_lines(text: str, font: QFont, width: int, *, anywhere: bool = True) -> list[tuple[str, float]]:
    """``text`` laid out at ``width`` as a word-wrapped label lays it out: (line, its natural width) per line.

    ``anywhere`` False breaks only where words may break (so a line wider than ``width`` is a word too wide).
    """
    out: list[tuple[str, float]] = []
    for para in text.split("\n"):
        lay = wrapped_layout(para, font, width, anywhere=anywhere)
        for i in range(lay.lineCount()):
            line = lay.lineAt(i)
            out.append((para[line.textStart() : line.textStart() + line.textLength()], line.naturalTextWidth()))
    return out


def label_problems(lab: QLabel) -> list[tuple[str, str]]:
    """(kind, detail) for a label whose text does not fit, or wraps badly (the text Qt draws, not a Python
    override's)."""
    text = QLabel.text(lab)
    if not text.strip() or lab.textFormat() == Qt.TextFormat.RichText:
        return []
    m = lab.margin()
    rect = lab.contentsRect().adjusted(m, m, -m, -m)
    fm = QFontMetrics(lab.font())
    out: list[tuple[str, str]] = []
    if lab.wordWrap():
        need = fm.boundingRect(QRect(0, 0, max(rect.width(), 1), 1_000_000), int(Qt.TextFlag.TextWordWrap), text)
        words = wrapped_lines(text, lab.font(), rect.width(), anywhere=False)
        widest = max((width for _, width in words), default=0)
        if widest > rect.width() + SLACK:
            word = max(words, key=lambda lw: lw[1])[0].strip()
            out.append(("clipped", f"{word[:30]!r} is {widest:.0f} px wide, the label {rect.width()} px"))
        elif need.height() > rect.height() + SLACK:
            out.append(("clipped", f"needs {need.height()} px of height, has {rect.height()}"))
        lines = [line for line, _ in wrapped_lines(text, lab.font(), rect.width())]
        out += [("orphan", problem) for problem in orphans(lines)]
    else:
        widest = max(fm.horizontalAdvance(line) for line in text.split("\n"))
        tall = fm.lineSpacing() * (text.count("\n") + 1) - fm.leading()
        if widest > rect.width() + SLACK:
            out.append(("clipped", f"needs {widest} px, has {rect.width()} px"))
        elif tall > rect.height() + SLACK:
            out.append(("clipped", f"needs {tall} px of height, has {rect.height()}"))
    return out


def orphans(lines: list[str]) -> list[str]:
    """What is wrong with how a text broke into ``lines``: a lone last character, an orphaned bracket."""
    lines = [line.strip() for line in lines if line.strip()]
    out: list[str] = []
    if len(lines) > 1 and len(lines[-1]) == 1 and not lines[-1].isascii():
        out.append(f"last line is one character: {lines[-2][-6:]!r} / {lines[-1]!r}")
    for a, b in itertools.pairwise(lines):
        if a[-1] in OPENING or b[0] in CLOSING:
            out.append(f"bracket or stop alone at a line break: {a[-6:]!r} / {b[:6]!r}")
    return out


def vertical_problems(v: VerticalText) -> list[tuple[str, str]]:
    """(kind, detail) for vertical text whose columns need more width than it has at its height (the last
    columns would be cut off at its right edge), or too short for its words (a word broken across columns)."""
    if not v.text().strip():
        return []
    out: list[tuple[str, str]] = []
    need = v.width_for_height(v.height())
    if need > v.width() + SLACK:
        out.append(("clipped", f"its columns need {need} px of width at {v.height()} px, has {v.width()} px"))
    broken = v.broken_words(v.height())
    if broken:  # a word cut between two columns (a column of one letter each, when squeezed hard)
        out.append(("clipped", f"{len(broken)} word(s) broken across columns at {v.height()} px of height"))
    return out


def button_problems(b: QAbstractButton) -> list[tuple[str, str]]:
    """(kind, detail) for a button whose text does not fit its contents rect, was elided, or is missing."""
    text = b.text()
    if not text:
        has_label = any(lab.isVisible() and lab.text() for lab in b.findChildren(QLabel) + b.findChildren(VerticalText))
        if not has_label and b.icon().isNull():
            return [("unlabelled", "no text, icon or label")]
        return []
    out: list[tuple[str, str]] = []
    if "…" in text:
        out.append(("clipped", "text elided"))
    if isinstance(b, QPushButton):
        opt = QStyleOptionButton()
        b.initStyleOption(opt)
        rect = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b)
    else:
        rect = b.contentsRect()
    fm = QFontMetrics(b.font())
    width = max(fm.horizontalAdvance(line) for line in text.split("\n"))
    height = fm.height() * (text.count("\n") + 1)
    if width > rect.width() + SLACK:
        out.append(("clipped", f"needs {width} px, has {rect.width()} px"))
    if height > rect.height() + SLACK:
        out.append(("clipped", f"needs {height} px of height, has {rect.height()}"))
    return out


def layers(window: QWidget) -> list[list[QAbstractButton]]:
    """The window's buttons, grouped by layer: the laid-out screen, and each visible overlay placed over it
    (the idle countdown), whose buttons may cover the screen's on purpose."""
    lay = window.layout()
    overlays = [c for c in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if c.isVisible() and lay is not None and lay.indexOf(c) < 0]  # fmt: skip
    groups: list[list[QAbstractButton]] = [[] for _ in range(len(overlays) + 1)]
    for b in shown(window, QAbstractButton):
        owner = next((i for i, o in enumerate(overlays) if o.isAncestorOf(b)), len(overlays))
        groups[owner].append(b)
    return groups


def overlapping(buttons: list[QAbstractButton], window: QWidget) -> list[tuple[QWidget, QWidget]]:
    """Pairs of buttons drawn over each other (a layout squeezed below its minimum: keys hidden by keys)."""
    boxes = [(b, QRect(b.mapTo(window, QPoint(0, 0)), b.size())) for b in buttons if not in_scroll_area(b)]
    out = []
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1 :]:
            both = ra.intersected(rb)
            if both.width() > SLACK and both.height() > SLACK and not (a.isAncestorOf(b) or b.isAncestorOf(a)):
                out.append((a, b))
    return out


@dataclass
class Audit:
    """Findings over a whole visit. ``target`` is the smallest touch target in pixels."""

    target: int
    findings: list[Finding] = field(default_factory=list)
    screens: int = 0
    presses: int = 0
    _before: dict[int, tuple[QWidget, str, QRect]] = field(default_factory=dict)
    _entry: str = ""

    def add(self, kind: str, where: str, w: QWidget, detail: str) -> None:
        """Record a finding (once per kind, screen, widget and detail)."""
        f = Finding(kind, where, describe(w), detail)
        if f not in self.findings:
            self.findings.append(f)

    def screen(self, window: QWidget, where: str) -> None:
        """Check everything on ``window`` now (one screen of the visit, called ``where``)."""
        self.screens += 1
        for lab in shown(window, QLabel):
            for kind, detail in label_problems(lab):
                self.add(kind, where, lab, detail)
            if cut_by_parent(lab):
                self.add("clipped", where, lab, "cut off by the widget it sits in")
        for v in shown(window, VerticalText):
            for kind, detail in vertical_problems(v):
                self.add(kind, where, v, detail)
            if cut_by_parent(v):
                self.add("clipped", where, v, "cut off by the widget it sits in")
        for b in shown(window, QAbstractButton):
            for kind, detail in button_problems(b):
                self.add(kind, where, b, detail)
            if cut_by_parent(b):
                self.add("clipped", where, b, "cut off by the widget it sits in")
            if min(b.width(), b.height()) < self.target:
                self.add("target", where, b, f"{b.width()}×{b.height()} px, under {self.target} px (15 mm)")
        for layer in layers(window):
            for a, b in overlapping(layer, window):
                self.add("clipped", where, a, f"overlaps {describe(b)}")
        for bar in shown(window, QScrollBar):
            thickness = bar.width() if bar.orientation() == Qt.Orientation.Vertical else bar.height()
            if thickness < self.target:
                self.add("target", where, bar, f"scroll bar {thickness} px thick, under {self.target} px (15 mm)")

    def _positions(self, window: QWidget) -> dict[int, tuple[QWidget, str, QRect]]:
        return {
            id(b): (b, b.text(), QRect(b.mapTo(window, QPoint(0, 0)), b.size())) for b in shown(window, QAbstractButton)
        }

    def before_keys(self, window: QWidget, entry: str) -> None:
        """An entry (``entry`` names it) is about to be typed key by key: remember where every control is."""
        self._entry = entry
        self._before = self._positions(window)

    def after_key(self, window: QWidget, key: str) -> None:
        """One key of the entry was pressed: any control still there with the same text must not have moved."""
        self.presses += 1
        now = self._positions(window)
        for ident, (b, text, rect) in now.items():
            old = self._before.get(ident)
            if old is not None and old[1] == text and old[2] != rect:
                self.add("moved", self._entry, b, f"after key {key!r}: from {_xy(old[2])} to {_xy(rect)}")
        self._before = now

    def counts(self) -> dict[str, int]:
        """Findings per kind (every kind listed, zeros included)."""
        c = Counter(f.kind for f in self.findings)
        return {k: c.get(k, 0) for k in KINDS}

    def report(self, limit: int = 60) -> str:
        """The counts and the first ``limit`` findings, one a line."""
        lines = [f"{self.screens} screens, {self.presses} key presses; findings: {self.counts()}"]
        lines += [str(f) for f in self.findings[:limit]]
        if len(self.findings) > limit:
            lines.append(f"... and {len(self.findings) - limit} more")
        return "\n".join(lines)


def _xy(r: QRect) -> str:
    return f"({r.x()},{r.y()} {r.width()}×{r.height()})"
