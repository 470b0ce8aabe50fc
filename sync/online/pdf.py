"""Certificates as A4 PDFs: the citizen's name, the title, the department's rows, the issuing hall, the date, and
the verification code with its QR code on every page.

Chinese comes out as real text (a CJK TrueType font is embedded as a subset, with a ToUnicode map, so
``pdftotext`` and screen readers read it back). reportlab needs TrueType outlines: Debian's ``fonts-wqy-zenhei``
(or ``fonts-arphic-uming``) works; ``fonts-noto-cjk`` is CFF and does not. Rendering is serialised by a lock
(reportlab keeps per-document font state in shared objects); one certificate takes a few tens of milliseconds.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk.catalog import Text
from sync.online.backends.base import Citizen, Records

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
)
FONT_NAME = "KioskCJK"
_LOCK = threading.Lock()
_REGISTERED: dict[str, Path] = {}


class RenderError(Exception):
    """The hall cannot render certificates (no usable CJK TrueType font)."""


def register_font(path: Path | None = None) -> Path:
    """Register the CJK font once (``path``, else the first of FONT_CANDIDATES that exists)."""
    with _LOCK:
        if FONT_NAME in _REGISTERED:
            return _REGISTERED[FONT_NAME]
        for candidate in [path] if path is not None else FONT_CANDIDATES:
            if candidate is not None and candidate.exists():
                try:
                    pdfmetrics.registerFont(TTFont(FONT_NAME, str(candidate), subfontIndex=0))
                except Exception as exc:  # reportlab raises its own TTFError and others for CFF fonts
                    raise RenderError(f"{candidate}: not a usable TrueType font ({exc})") from None
                _REGISTERED[FONT_NAME] = candidate
                return candidate
        raise RenderError("no CJK TrueType font found (install fonts-wqy-zenhei)")


@dataclass(frozen=True)
class Issuer:
    """Who issues the certificate: the hall's name and id (the id goes into the verification QR)."""

    name: Text
    hall_id: str


def _style(size: float, *, leading: float | None = None, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{align}",
        fontName=FONT_NAME,
        fontSize=size,
        leading=leading or size * 1.3,
        alignment=align,
        wordWrap="CJK",
    )


def _table(records: Records, width: float) -> Table:
    head, small = _style(8.5), _style(6.5, leading=8)
    header = [[Paragraph(escape(c.zh), head), Paragraph(escape(c.en), small)] for c in records.columns]
    # Cells are plain strings (a Paragraph per cell is 50x slower); columns are as wide as their longest cell
    # needs, and the font shrinks until the widest row fits the page.
    longest = [
        max(pdfmetrics.stringWidth(text, FONT_NAME, 1) for text in [col.zh, *(r[i] for r in records.rows)])
        for i, col in enumerate(records.columns)
    ]
    size = 8.0
    while size > 5 and sum(max(w * size + 6, 34) for w in longest) > width:
        size -= 0.5
    wants = [max(w * size + 6, 34) for w in longest]
    scale = width / sum(wants)
    table = Table([header, *[list(r) for r in records.rows]], colWidths=[w * scale for w in wants], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), FONT_NAME, size),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.94, 0.97)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _qr_modules(text: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.get_matrix()


def _draw_qr(canvas: Canvas, modules: list[list[bool]], *, x: float, y: float, size: float) -> None:
    """The QR code as filled squares (reportlab's own QR widget takes a quarter second per page)."""
    cell = size / len(modules)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def render_certificate(
    records: Records, citizen: Citizen, *, issuer: Issuer, code: str, issued: datetime, font: Path | None = None
) -> tuple[bytes, int]:
    """The certificate as PDF bytes and its page count."""
    register_font(font)
    modules = _qr_modules(f"KSV1|{issuer.hall_id}|{code}")
    stamp = f"{issued:%Y年%m月%d日 %H:%M}"

    def furniture(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        w, _h = A4
        canvas.drawString(20 * mm, 22 * mm, f"出具单位 Issued by：{issuer.name.zh}")
        canvas.drawString(20 * mm, 17 * mm, f"出具时间 Issued at：{stamp}")
        canvas.drawString(20 * mm, 12 * mm, f"验证码 Verification code：{code}    第 {doc.page} 页 Page {doc.page}")
        canvas.setFont(FONT_NAME, 6.5)
        canvas.drawString(
            20 * mm, 8 * mm, "扫描右侧二维码或凭验证码向出具单位核验本证明真伪。 Scan the code to verify."
        )
        _draw_qr(canvas, modules, x=w - 20 * mm - 22 * mm, y=6 * mm, size=22 * mm)
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=32 * mm,
        title=records.title.zh,
        author=issuer.name.zh,
        subject=records.title.en,
    )
    story: list[object] = [
        Paragraph(escape(issuer.name.zh), _style(10, align=1)),
        Spacer(1, 4 * mm),
        Paragraph(escape(records.title.zh), _style(18, align=1)),
        Paragraph(escape(records.title.en), _style(9, align=1)),
        Spacer(1, 6 * mm),
        Paragraph(escape(f"姓名 Name：{citizen.name or '—'}"), _style(10.5)),
        Paragraph(escape(f"公民身份号码 ID number：{citizen.id_number}"), _style(10.5)),
        Spacer(1, 4 * mm),
        _table(records, doc.width),
    ]
    if records.note is not None:
        story += [Spacer(1, 3 * mm), Paragraph(escape(f"{records.note.zh} {records.note.en}"), _style(8))]
    with _LOCK:
        doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue(), doc.page
