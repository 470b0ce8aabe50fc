"""Certificate-like A4 PDFs for the document printer's tests and benchmark, made the way the hall makes them
(reportlab, a CJK TrueType font embedded as a subset with its ToUnicode map), and read back with poppler."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian fonts-wqy-zenhei: TrueType outlines
FONT_NAME = "TestCJK"


def certificate_pdf(name: str, title: str, *, code: str = "KSV-0001-TEST", pages: int = 1) -> bytes:
    """An A4 certificate for ``name`` titled ``title`` (Chinese), with an English subtitle and a code."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT), subfontIndex=0))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(title)
    _w, h = A4
    for page in range(1, pages + 1):
        canvas.setFont(FONT_NAME, 20)
        canvas.drawString(30 * mm, h - 40 * mm, title)
        canvas.setFont(FONT_NAME, 11)
        canvas.drawString(30 * mm, h - 48 * mm, "Certificate of social insurance")
        canvas.drawString(30 * mm, h - 65 * mm, f"姓名 Name：{name}")
        canvas.drawString(30 * mm, h - 72 * mm, "参保状态：正常参保 Status: insured")
        canvas.drawString(30 * mm, 20 * mm, f"验证码 Verification code：{code}  第 {page} 页")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def pdf_text(path: Path) -> str:
    """The text of a PDF file as pdftotext reads it (reading order as laid out)."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path) -> tuple[int, str]:
    """(page count, page size line) of a PDF file, from pdfinfo."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["Pages"]), fields["Page size"].strip()
