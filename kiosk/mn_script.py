"""Traditional Mongolian script from a compact Latin transliteration (for machine-made drafts only).

Drafts (``ui/i18n/mn_drafts.py``, ``kiosk/receipts_mn.py``) are typed in a scholarly transliteration and
turned into Unicode Mongolian here; the font's shaping gives each letter its initial, medial or final
form. One letter a code point:
``a e i o u`` and ``O`` (ö), ``U`` (ü); ``ng`` is the letter ANG; ``G`` and ``g`` are GA (γ/g), ``q`` and ``k``
QA; ``S`` is ša, ``c`` ča, ``j`` ǰa. ``-`` joins a case suffix with a narrow no-break space, ``_`` is the
vowel separator (a detached final a/e), ``,`` and ``.`` are the Mongolian comma and full stop. Text between
backticks, digits, placeholders ``{0}`` and all other characters are kept as they are.
"""

from __future__ import annotations

LETTERS = {
    "a": "\u1820", "e": "\u1821", "i": "\u1822", "o": "\u1823", "u": "\u1824", "O": "\u1825", "U": "\u1826",
    "n": "\u1828", "b": "\u182a", "p": "\u182b", "q": "\u182c", "k": "\u182c", "G": "\u182d", "g": "\u182d",
    "m": "\u182e", "l": "\u182f", "s": "\u1830", "S": "\u1831", "t": "\u1832", "d": "\u1833", "c": "\u1834",
    "j": "\u1835", "y": "\u1836", "r": "\u1837", "w": "\u1838", "v": "\u1838", "f": "\u1839", "h": "\u183e",
    "z": "\u183d",
    "-": "\u202f", "_": "\u180e", ",": "\u1802", ".": "\u1803",
}
ANG = "\u1829"


def to_script(latin: str) -> str:
    """The Mongolian-script form of a transliterated ``latin`` text."""
    out: list[str] = []
    i = 0
    literal = False
    while i < len(latin):
        ch = latin[i]
        if ch == "`":
            literal = not literal
        elif literal:
            out.append(ch)
        elif latin.startswith("ng", i):
            out.append(ANG)
            i += 1
        else:
            out.append(LETTERS.get(ch, ch))
        i += 1
    return "".join(out)
