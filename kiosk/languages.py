"""The languages a visit can be in, and how a text falls back when it has no version in one.

Chinese (``zh``) is the language of record: every text has it. English (``en``) and traditional Mongolian
(``mn``, the script of Inner Mongolia, written top to bottom in columns running left to right) fall back to
Chinese where a text has none, so a label is never empty.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en", "mn")
# Each language's own name for itself (what a language button shows, so anyone can find their own).
NATIVE_NAMES = {"zh": "中文", "en": "English", "mn": "ᠮᠣᠩᠭᠣᠯ"}
# Characters of the traditional Mongolian script (Unicode block Mongolian, and Mongolian Supplement).
MONGOLIAN_RANGES = ((0x1800, 0x18AF), (0x11660, 0x1167F))


def is_mongolian(ch: str) -> bool:
    """Whether ``ch`` is a character of the traditional Mongolian script."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in MONGOLIAN_RANGES)


def has_mongolian(text: str) -> bool:
    """Whether ``text`` holds any traditional Mongolian character."""
    return any(is_mongolian(ch) for ch in text)


def pick(lang: str, zh: str, en: str, mn: str = "") -> str:
    """The version of a text for ``lang``: English or Mongolian where given, else the Chinese."""
    if lang == "en" and en:
        return en
    if lang == "mn" and mn:
        return mn
    return zh
