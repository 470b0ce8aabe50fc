"""Where personal data could linger in the shell, and a check that none does after a visit ends.

Every string a widget holds (label and button text, tooltips, accessible names, a QR code's payload, the
keypads' typed values) is collected from the whole widget tree, hidden screens included.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget


def widget_texts(root: QWidget) -> list[tuple[QWidget, str]]:
    """(widget, text) for every non-empty string held by ``root`` and all its descendants."""
    out: list[tuple[QWidget, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        texts = [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.windowTitle()]
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            texts.append(w.text())
        for attr in ("data", "value", "composition"):  # QrLabel.data(), keypads' value(), CandidateBar's pinyin
            getter = getattr(w, attr, None)
            if callable(getter):
                try:
                    held = getter()
                except TypeError:
                    continue
                if isinstance(held, str):
                    texts.append(held)
        out += [(w, t) for t in texts if t]
    return out


def leaks(root: QWidget, secrets: Iterable[str]) -> list[tuple[str, str, str]]:
    """(secret, widget class/objectName, text) for each widget text that contains one of ``secrets``."""
    wanted = [s for s in secrets if s]
    found: list[tuple[str, str, str]] = []
    for w, text in widget_texts(root):
        for s in wanted:
            if s in text:
                found.append((s, f"{type(w).__name__}#{w.objectName()}", text))
    return found
