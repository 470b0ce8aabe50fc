"""What the technician sees: aligned tables, ``--json`` documents and a progress bar on stderr.

Every command builds one JSON-ready result and says how to show it to a person; :class:`Output` picks one. The
human form goes to stdout; the progress bar and warnings go to stderr, so ``--json > file`` stays clean JSON.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: Chinese characters are two columns wide."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` columns, at spaces where possible."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if display_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while display_width(word) > width:  # a word longer than the column: cut it
                cut = width
                while display_width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, max_width: int = 60) -> str:
    """A plain-text table with a header rule; cells are ``str()``-ed (``None`` shows as ``-``) and wrapped
    at ``max_width`` columns so a long fix stays readable on an 80- or 120-column console."""
    cells = [[_wrap("-" if c is None else str(c), max_width) for c in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], *(display_width(line) for line in cell))
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        for n in range(max(len(cell) for cell in row)):
            parts = [cell[n] if n < len(cell) else "" for cell in row]
            lines.append("  ".join(_pad(p, w) for p, w in zip(parts, widths, strict=True)).rstrip())
    return "\n".join(lines)


def age(seconds: float | None) -> str:
    """A short human age: ``45 s``, ``12 min``, ``3.5 h``, ``2.0 d``."""
    if seconds is None:
        return "never"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def when(t: float | None) -> str:
    """A local date and time for a UNIX time (``-`` for none)."""
    if t is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


class Output:
    """Where a command's result goes: JSON on stdout with ``--json``, else the command's human text."""

    def __init__(self, *, json_mode: bool, out: TextIO, err: TextIO) -> None:
        self.json_mode = json_mode
        self.out = out
        self.err = err

    def emit(self, result: dict[str, Any], human: Callable[[], str]) -> None:
        """Print ``result`` as JSON, or the text ``human()`` builds from it."""
        if self.json_mode:
            self.out.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        else:
            text = human()
            if text:
                self.out.write(text.rstrip("\n") + "\n")
        self.out.flush()

    def note(self, message: str) -> None:
        """A remark for the person at the keyboard (stderr, so JSON output stays parseable)."""
        self.err.write(message.rstrip("\n") + "\n")
        self.err.flush()

    def progress(self, total: int, *, label: str, enabled: bool | None = None) -> Progress:
        """A progress bar on stderr; by default only when stderr is a terminal."""
        if enabled is None:
            enabled = bool(getattr(self.err, "isatty", lambda: False)())
        return Progress(self.err, total, label=label, enabled=enabled)


class Progress:
    """``label [#####.....]  50%  500/1000`` redrawn in place at most every ``min_interval_s``."""

    def __init__(
        self,
        stream: TextIO,
        total: int,
        *,
        label: str,
        enabled: bool = True,
        width: int = 30,
        clock: Callable[[], float] = time.monotonic,
        min_interval_s: float = 0.1,
    ) -> None:
        self._stream = stream
        self.total = max(0, total)
        self.done = 0
        self._label = label
        self._enabled = enabled
        self._width = width
        self._clock = clock
        self._min_interval_s = min_interval_s
        self._last_draw = -1e18

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done (redraws when enough time has passed)."""
        self.done += n
        now = self._clock()
        if now - self._last_draw >= self._min_interval_s:
            self._draw()
            self._last_draw = now

    def finish(self) -> None:
        """Draw the final state and end the line."""
        if self._enabled:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self) -> None:
        if not self._enabled:
            return
        total = max(self.total, self.done)
        fraction = self.done / total if total else 1.0
        filled = round(fraction * self._width)
        bar = "#" * filled + "." * (self._width - filled)
        self._stream.write(f"\r{self._label} [{bar}] {fraction:4.0%} {self.done}/{total}")
        self._stream.flush()
