"""A field pattern said in words, for the message of a value that does not match it.

"结婚证字号格式不正确" leaves the citizen guessing; "结婚证字号格式不正确：应为6至30位字母、数字或“-”" does not.
Catalog fields may carry their own ``help``; for those that do not, :func:`describe_pattern` reads the simple
patterns forms use (character classes, ``\\d``, literal characters, ``{m,n}`` ``?`` ``+`` ``*``) and says them
in both languages. Anything richer (groups, alternatives) gives None: better no hint than a wrong one.
"""

from __future__ import annotations

from kiosk.catalog import Text

_CLASSES = {"d": "0-9", "w": "A-Za-z0-9_"}


def _parse_class(body: str) -> set[str] | None:
    """The kinds of character a class body allows: "upper", "lower", "digit", or literal characters."""
    kinds: set[str] = set()
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            ch = body[i + 1]
            if ch in _CLASSES:
                nested = _parse_class(_CLASSES[ch])
                if nested is None:
                    return None
                kinds |= nested
            else:
                kinds.add(ch)
            i += 2
        elif i + 2 < len(body) and body[i + 1] == "-":
            span = body[i] + "-" + body[i + 2]
            kind = {"A-Z": "upper", "a-z": "lower", "0-9": "digit"}.get(span)
            if kind is None:
                return None
            kinds.add(kind)
            i += 3
        else:
            kinds.add(body[i])
            i += 1
    return kinds


def _tokens(pattern: str) -> list[tuple[set[str], int, int | None]] | None:
    """(allowed kinds, least, most) per piece of the pattern; None when it is not a simple one."""
    out: list[tuple[set[str], int, int | None]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "[":
            end = pattern.find("]", i + 1)
            if end < 0 or pattern[i + 1 : i + 2] == "^":
                return None
            kinds = _parse_class(pattern[i + 1 : end])
            i = end + 1
        elif ch == "\\" and i + 1 < len(pattern):
            kinds = _parse_class(_CLASSES.get(pattern[i + 1], "\\" + pattern[i + 1]))
            i += 2
        elif ch in "()|.^$?*+{}":
            return None
        else:
            kinds, i = {ch}, i + 1
        if kinds is None:
            return None
        low, high, i = _quantifier(pattern, i)
        if low < 0:
            return None
        out.append((kinds, low, high))
    return out


def _quantifier(pattern: str, i: int) -> tuple[int, int | None, int]:
    if i >= len(pattern):
        return 1, 1, i
    ch = pattern[i]
    if ch in "?*+":
        return {"?": (0, 1), "*": (0, None), "+": (1, None)}[ch] + (i + 1,)
    if ch == "{":
        end = pattern.find("}", i)
        low, _, high = pattern[i + 1 : end].partition(",")
        if end < 0 or not low.isdigit() or (high and not high.isdigit()):
            return -1, None, i
        top = int(low) if not _ else (int(high) if high else None)
        return int(low), top, end + 1
    return 1, 1, i


def _kinds(kinds: set[str], zh: bool, one: bool = False) -> str:
    s = "" if one else "s"
    names = {"upper": ("大写字母", f"capital letter{s}"), "lower": ("小写字母", f"small letter{s}"),
             "digit": ("数字", f"digit{s}"), "letter": ("字母", f"letter{s}")}  # fmt: skip
    if {"upper", "lower"} <= kinds:
        kinds = (kinds - {"upper", "lower"}) | {"letter"}
    words = [names[k][0 if zh else 1] for k in ("letter", "upper", "lower", "digit") if k in kinds]
    words += [f"“{k}”" if zh else f'"{k}"' for k in sorted(kinds) if k not in names]
    if len(words) == 1:
        return words[0]
    return ("、".join(words[:-1]) + "或" + words[-1]) if zh else (", ".join(words[:-1]) + " or " + words[-1])


def _count(low: int, high: int | None, zh: bool) -> str:
    if high == low:
        return f"{low}位" if zh else f"{low}"
    if high is None:
        return f"至少{low}位" if zh else f"at least {low}"
    return f"{low}至{high}位" if zh else f"{low} to {high}"


def describe_pattern(pattern: str | None) -> Text | None:
    """``pattern`` in words ("应为6至30位字母、数字或“-”" / "6 to 30 letters, digits or "-""), or None."""
    tokens = _tokens(pattern or "")
    if not tokens:
        return None
    def said(kinds: set[str], low: int, high: int | None, zh: bool) -> str:
        if low == high == 1 and len(kinds) == 1 and next(iter(kinds)) not in ("upper", "lower", "digit"):
            return _kinds(kinds, zh)  # one fixed character: just the character
        if zh:
            return _count(low, high, True) + _kinds(kinds, True)
        return f"{_count(low, high, False)} {_kinds(kinds, False, one=low == high == 1)}"

    zh = "，再加".join(said(k, lo, hi, True) for k, lo, hi in tokens)
    en = ", then ".join(said(k, lo, hi, False) for k, lo, hi in tokens)
    return Text("应为" + zh, en[0].upper() + en[1:])
