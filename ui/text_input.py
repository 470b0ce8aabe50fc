"""Which free-text fields take Chinese, decided without Qt: the pinyin candidate bar is shown only for them.

Names, addresses and plain text take Chinese; a field whose pattern (``FieldSpec.pattern``) names no character
beyond ASCII is a code (a certificate number ``[A-Z]\\d{9}``, an account ``[0-9A-Za-z]{4,20}``) typed in letters
and digits, so the letters go straight into it. A pattern that does name one (a plate number starting with
``[\\u4e00-\\u9fa5]``) keeps the bar.
"""

from __future__ import annotations

CHINESE_KINDS = frozenset({"text", "name", "address"})


def takes_chinese(kind: str, pattern: str | None = None) -> bool:
    """Whether a field of ``kind`` with ``pattern`` may hold Chinese characters."""
    if kind not in CHINESE_KINDS:
        return False
    if not pattern:
        return True
    return "\\u" in pattern or "\\p" in pattern or not pattern.isascii()
