"""Render a simulated receipt to a PNG the way the paper would look: 203 dpi, 12x24-dot half-width and 24x24-dot
full-width cells, GS ! multipliers, QR codes drawn by the qrcode package, raster images as sent.

The font is Noto Sans CJK (Simplified Chinese forms), found with fontconfig; its monospaced face is preferred
because a printer's ASCII cells are fixed-width.
"""

from __future__ import annotations

import functools
import logging
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.base import DriverError

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from drivers.printer.simulator.parser import Page, PageLine, Run

log = logging.getLogger(__name__)

CELL_H = 24  # dots per character row at size 1
LINE_GAP = 6  # default line spacing is 30 dots: 24 of glyph + 6
MARGIN = 12
FAMILIES = ("Noto Sans Mono CJK SC", "Noto Sans CJK SC")


@functools.lru_cache(maxsize=4)
def find_cjk_font(families: tuple[str, ...] = FAMILIES) -> tuple[str, int]:
    """(font file, face index) of the first family fontconfig really has (not a fallback substitute)."""
    for family in families:
        try:
            res = subprocess.run(
                ["fc-match", "-f", "%{file}|%{index}|%{family}", family],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DriverError(f"fontconfig not usable: {exc}") from exc
        path, _, rest = res.stdout.partition("|")
        index, _, found = rest.partition("|")
        if res.returncode == 0 and path and family in found.split(","):
            return path, int(index or 0)
    raise DriverError(f"no CJK font found ({', '.join(families)}); install fonts-noto-cjk")


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path, index = find_cjk_font()
    return ImageFont.truetype(path, size, index=index)


def _run_image(run: Run) -> Image.Image:
    """A run, one cell per character; equal multipliers draw a bigger font, unequal ones stretch."""
    from PIL import Image, ImageDraw

    k = run.width if run.width == run.height else 1
    cells = [(12 if ord(c) < 0x80 else 24) * k for c in run.text]
    img = Image.new("L", (max(sum(cells), 1), CELL_H * k), 255)
    draw = ImageDraw.Draw(img)
    font = _font(22 * k)
    x = 0
    for ch, w in zip(run.text, cells, strict=True):
        if ch.strip():
            draw.text(
                (x + w / 2, CELL_H * k / 2),
                ch,
                font=font,
                fill=0,
                anchor="mm",
                stroke_width=k if run.bold else 0,
                stroke_fill=0,
            )
        x += w
    if k == 1 and (run.width, run.height) != (1, 1):
        img = img.resize((img.width * run.width, img.height * run.height), Image.Resampling.NEAREST)
    return img


def _qr_image(data: str, size: int) -> Image.Image:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=max(size, 1), border=0)
    qr.add_data(data.encode("utf-8"))
    qr.make(fit=True)
    return qr.make_image().get_image().convert("L")


def _raster(row_bytes: int, height: int, data: bytes) -> Image.Image:
    from PIL import Image

    img = Image.new("L", (row_bytes * 8, height), 255)
    px = img.load()
    for y in range(height):
        for xb in range(row_bytes):
            byte = data[y * row_bytes + xb]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    px[xb * 8 + bit, y] = 0
    return img


def line_image(line: PageLine, dots: int) -> Image.Image:
    """One line as an image ``dots`` wide, aligned as printed."""
    from PIL import Image

    if line.qr is not None:
        part = _qr_image(line.qr, line.qr_size)
    elif line.image is not None:
        part = _raster(*line.image)
    else:
        pieces = [_run_image(r) for r in line.runs if r.text]
        height = max([p.height for p in pieces] + [CELL_H * max([r.height for r in line.runs] + [1])])
        part = Image.new("L", (max(sum(p.width for p in pieces), 1), height), 255)
        x = 0
        for p in pieces:
            part.paste(p, (x, height - p.height))  # runs share the baseline at the bottom of the row
            x += p.width
    row = Image.new("L", (dots, part.height + LINE_GAP), 255)
    left = {"left": 0, "center": (dots - part.width) // 2, "right": dots - part.width}.get(line.align, 0)
    row.paste(part.crop((0, 0, min(part.width, dots), part.height)), (max(left, 0), 0))
    return row


def render_page(page: Page, path: Path, *, dots: int = 576) -> Path:
    """Render ``page`` to a PNG at ``path`` (parents created); returns the path."""
    from PIL import Image

    rows = [line_image(line, dots) for line in page.lines]
    height = sum(r.height for r in rows) + 2 * MARGIN
    img = Image.new("L", (dots + 2 * MARGIN, max(height, 2 * MARGIN + CELL_H)), 255)
    y = MARGIN
    for r in rows:
        img.paste(r, (MARGIN, y))
        y += r.height
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG")
    log.debug("rendered %d lines to %s", len(page.lines), path)
    return path
