"""A shell string shown in a language espeak-ng has no voice for, said in the language it speaks instead.

The focus ring reads out each control; a Mongolian visit's controls show Mongolian, which the Mandarin voice
cannot read. The .ts files pair every shown string with its Chinese (same context and source), so the ring
says the Chinese of a control's Mongolian text; templates ("... {0}") match with their arguments carried over.
A text the .ts files do not hold (a catalog name in Mongolian) keeps only what the voice can read.
"""

from __future__ import annotations

import functools
import re

from kiosk.languages import is_mongolian
from ui.i18n import ts_path
from ui.i18n.build import messages


def _squeeze(text: str) -> str:
    """Runs of ordinary spaces and line breaks as one space (Mongolian's narrow no-break spaces stay)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


@functools.cache
def _pairs(lang: str, into: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    shown, said = messages(ts_path(lang)), messages(ts_path(into))
    exact: dict[str, str] = {}
    templates: list[tuple[re.Pattern[str], str]] = []
    for key, (text, _finished) in shown.items():
        if key not in said or not text.strip():
            continue
        other = said[key][0]
        if "{0}" in text:
            pattern = re.escape(_squeeze(text)).replace(r"\{0\}", "(?P<a0>.+?)").replace(r"\{1\}", "(?P<a1>.+?)")
            templates.append((re.compile(f"^{pattern}$"), other))
        else:
            exact.setdefault(_squeeze(text), other)
    return exact, templates


def say_as(text: str, lang: str, into: str) -> str:
    """``text`` (shown in ``lang``) as the voice of ``into`` can say it."""
    text = _squeeze(text)
    exact, templates = _pairs(lang, into)
    if text in exact:
        return exact[text]
    for pattern, other in templates:
        match = pattern.match(text)
        if match:
            return other.replace("{0}", match.group("a0")).replace("{1}", match.groupdict().get("a1") or "")
    return " ".join("".join(" " if is_mongolian(ch) else ch for ch in text).split())
