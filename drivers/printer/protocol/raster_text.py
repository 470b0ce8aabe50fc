"""Text the printer has no font for (traditional Mongolian), drawn as a raster image for GS v 0.

Thermal printers carry ASCII and GB18030 Chinese fonts only. A line holding Mongolian is drawn here with Noto
Sans Mongolian (fonts-noto-core; shaped by Pillow's raqm layout, so letters join as they should), its other
runs (digits, Latin, Chinese fallbacks of catalog names) with Noto Sans CJK, wrapped at word boundaries to the
paper's printable dots. The runs are laid out horizontally, as on the screens.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.base import DriverError
from kiosk.languages import is_mongolian

FONTS = {
    "mn": ("Noto Sans Mongolian", "/usr/share/fonts/truetype/noto/NotoSansMongolian-Regular.ttf"),
    "cjk": ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
}
DOTS_PER_SCALE = 24  # a full-width printer cell is 24 dots high: scale 1 text is drawn that size


@functools.cache
def font_file(kind: str) -> str:
    """The font file of ``kind`` ("mn" or "cjk"): the Debian path, else what fontconfig finds."""
    family, path = FONTS[kind]
    if Path(path).exists():
        return path
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DriverError(f"no font for {family}: {exc}") from exc
    if not found.stdout or not Path(found.stdout).exists():
        raise DriverError(f"no font for {family} (install fonts-noto-core / fonts-noto-cjk)")
    return found.stdout


@functools.cache
def _font(kind: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(kind), px, layout_engine=ImageFont.Layout.RAQM)


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (font kind, run): Mongolian letters in "mn" runs, the rest in "cjk"; spaces stay put."""
    out: list[tuple[str, str]] = []
    for ch in text:
        kind = "mn" if is_mongolian(ch) or (ch in " \u202f\u180e" and out and out[-1][0] == "mn") else "cjk"
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
    return out


def _width(text: str, px: int) -> float:
    return sum(_font(kind, px).getlength(run) for kind, run in runs(text))


def wrap_dots(text: str, width: int, px: int) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` dots wide (a longer word is cut by characters)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _width(candidate, px) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:
            if _width(line + ch, px) > width and line:
                lines.append(line)
                line = ""
            line += ch
    if line or not lines:
        lines.append(line)
    return lines


def text_image(text: str, width: int, *, scale: int = 1, align: str = "left", bold: bool = False) -> Image.Image:
    """``text`` drawn black on white in mode "1", ``width`` dots wide, wrapped; alignment per line."""
    px = DOTS_PER_SCALE * max(scale, 1)
    lines = wrap_dots(text, width, px)
    metrics = [_font(kind, px).getmetrics() for kind in FONTS]
    ascent = max(a for a, _ in metrics)
    line_h = ascent + max(d for _, d in metrics)  # Mongolian's tall ascenders and descenders fit
    img = Image.new("1", (width, line_h * len(lines)), 1)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        used = _width(line, px)
        x = {"center": (width - used) / 2, "right": width - used}.get(align, 0.0)
        baseline = i * line_h + ascent
        for kind, run in runs(line):
            font = _font(kind, px)
            draw.text((x, baseline), run, font=font, fill=0, anchor="ls", stroke_width=1 if bold else 0, stroke_fill=0)
            x += font.getlength(run)
    return img
