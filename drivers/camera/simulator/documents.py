"""Sample documents the simulated camera photographs: pages of a 结婚证, an 出生医学证明 and a 户口簿, drawn
with Pillow in a CJK font, with made-up people on them.

Every page carries what a test can check without reading text: four black corner markers (squares inset from
the corners, ``MARKER``/``INSET`` of the shorter side) and a QR code (lower right, inside the markers) whose
text is ``KSKDOC|<document>|<page>``. Pages are drawn once per (document, page) and cached.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont

from drivers.base import DriverError
from drivers.printer.simulator.render import find_cjk_font

MARKER = 0.04  # corner marker side, as a part of the page's shorter side
INSET = 0.025  # gap between the page's corner and the marker's outer corner
QR_SIDE = 0.16  # the QR code's side, as a part of the shorter side
FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


@dataclass(frozen=True)
class DocumentKind:
    """One sample document: its name, page size in pixels and number of pages."""

    key: str
    name: str
    size: tuple[int, int]  # width, height
    pages: int
    paper: tuple[int, int, int]  # RGB
    ink: tuple[int, int, int]


DOCUMENTS: dict[str, DocumentKind] = {
    "marriage": DocumentKind("marriage", "结婚证", (1400, 1000), 2, (250, 234, 228), (150, 20, 20)),
    "birth": DocumentKind("birth", "出生医学证明", (1000, 1414), 1, (234, 246, 236), (20, 60, 40)),
    "hukou": DocumentKind("hukou", "居民户口簿", (1000, 1430), 2, (232, 240, 250), (20, 40, 110)),
}

_TEXT = (30, 30, 30)


def qr_text(document: str, page: int) -> str:
    """What the QR code on ``page`` of ``document`` says."""
    return f"KSKDOC|{document}|{page}"


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = find_cjk_font(FAMILIES)
    return ImageFont.truetype(path, size, index=index)


def _markers_and_qr(img: Image.Image, document: str, page: int) -> None:
    draw = ImageDraw.Draw(img)
    w, h = img.size
    short = min(w, h)
    m, inset = round(MARKER * short), round(INSET * short)
    for x, y in ((inset, inset), (w - inset - m, inset), (w - inset - m, h - inset - m), (inset, h - inset - m)):
        draw.rectangle((x, y, x + m - 1, y + m - 1), fill=(0, 0, 0))
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(qr_text(document, page))
    side = round(QR_SIDE * short)
    qr = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    img.paste(qr, (w - inset - m - side - inset, h - inset - m - side - inset))


def _rows(draw: ImageDraw.ImageDraw, x: int, y: int, rows: list[tuple[str, str]], size: int, ink: tuple) -> int:
    font, value_font = _font(size), _font(round(size * 1.05))
    for label, value in rows:
        draw.text((x, y), label, font=font, fill=ink)
        draw.text((x + size * 6, y), value, font=value_font, fill=_TEXT)
        y += round(size * 1.9)
    return y


def _marriage(img: Image.Image, page: int, kind: DocumentKind) -> None:
    draw = ImageDraw.Draw(img)
    w, h = img.size
    for k in (80, 92):  # the printed frame, inside the corner markers
        draw.rectangle((k, k, w - k, h - k), outline=kind.ink, width=4 if k == 80 else 2)
    if page == 0:
        draw.text((w / 2, 170), "结 婚 证", font=_font(110), fill=kind.ink, anchor="mm")
        _rows(draw, 160, 330, [("持证人", "李示例"), ("登记日期", "2015年06月18日"),
                               ("结婚证字号", "J150602-2015-001234"), ("备注", "")], 40, kind.ink)  # fmt: skip
        draw.ellipse((w - 470, h - 520, w - 190, h - 240), outline=(200, 30, 30), width=8)
        draw.text((w - 330, h - 380), "婚姻登记专用章", font=_font(30), fill=(200, 30, 30), anchor="mm")
    else:
        draw.rectangle((120, 120, 620, 450), fill=(200, 40, 40))  # the couple's photo: a red background
        for cx in (270, 460):
            draw.ellipse((cx - 70, 170, cx + 70, 320), fill=(240, 220, 200))
            draw.rectangle((cx - 100, 330, cx + 100, 450), fill=(40, 40, 60))
        _rows(draw, 680, 130, [("姓名", "李示例"), ("性别", "男"), ("国籍", "中国"), ("出生日期", "1985年03月15日"),
                               ("身份证件号", "150602198503151236")], 36, kind.ink)  # fmt: skip
        _rows(draw, 680, 470, [("姓名", "王示范"), ("性别", "女"), ("国籍", "中国"), ("出生日期", "1988年05月12日")],
              36, kind.ink)  # fmt: skip


def _birth(img: Image.Image, page: int, kind: DocumentKind) -> None:
    draw = ImageDraw.Draw(img)
    w, h = img.size
    for y in range(90, h - 90, 18):  # the security print: fine wavy lines
        xs = np.arange(90, w - 90, 12)
        pts = [(float(x), y + 5 * np.sin(x / 37.0 + y / 90.0)) for x in xs]
        draw.line(pts, fill=(200, 228, 206), width=2)
    draw.rectangle((80, 80, w - 80, h - 80), outline=kind.ink, width=5)
    draw.text((w / 2, 160), "出生医学证明", font=_font(90), fill=(150, 30, 30), anchor="mm")
    draw.text((w / 2, 250), "Medical Certificate of Birth", font=_font(34), fill=kind.ink, anchor="mm")
    y = _rows(draw, 120, 330, [("新生儿姓名", "王小禾"), ("性别", "女"), ("出生时间", "2026年11月20日 08时15分"),
                               ("出生地点", "内蒙古自治区鄂尔多斯市东胜区"), ("出生孕周", "39周"),
                               ("出生体重", "3300克"), ("出生身长", "50厘米")], 34, kind.ink)  # fmt: skip
    draw.line((100, y, w - 100, y), fill=kind.ink, width=3)
    _rows(draw, 120, y + 30, [("母亲姓名", "王示范"), ("父亲姓名", "李示例"), ("接生机构", "鄂尔多斯市中心医院"),
                              ("出生证编号", "O150123456")], 34, kind.ink)  # fmt: skip


def _hukou(img: Image.Image, page: int, kind: DocumentKind) -> None:
    draw = ImageDraw.Draw(img)
    w, h = img.size
    title = "常住人口登记卡" if page else "户口簿 · 户主页"
    draw.text((w / 2, 130), title, font=_font(64), fill=kind.ink, anchor="mm")
    rows = (
        [("姓名", "李示例"), ("户主或与户主关系", "户主"), ("性别", "男"), ("民族", "蒙古族"),
         ("出生日期", "1985年03月15日"), ("出生地", "内蒙古鄂尔多斯"), ("公民身份号码", "150602198503151236"),
         ("文化程度", "大学"), ("婚姻状况", "已婚"), ("服务处所", "示例公司")]
        if page else
        [("户别", "家庭户"), ("户主姓名", "李示例"), ("户号", "150602001234"),
         ("住址", "东胜区示例路8号"), ("承办人", "张示警"), ("登记日期", "2015年07月01日")]
    )  # fmt: skip
    top, left, right = 220, 90, w - 90
    step = (h - 260 - top) // len(rows)
    font = _font(30)
    split = left + 320
    for i, (label, value) in enumerate(rows):  # a ruled table: straight lines a test can measure
        y = top + i * step
        draw.line((left, y, right, y), fill=kind.ink, width=3)
        draw.text((left + 16, y + step / 2), label, font=font, fill=kind.ink, anchor="lm")
        draw.text((split + 24, y + step / 2), value, font=_font(34), fill=_TEXT, anchor="lm")
    bottom = top + len(rows) * step
    draw.line((left, bottom, right, bottom), fill=kind.ink, width=3)
    for x in (left, split, right):
        draw.line((x, top, x, bottom), fill=kind.ink, width=3)


_DRAW = {"marriage": _marriage, "birth": _birth, "hukou": _hukou}


@functools.lru_cache(maxsize=8)
def _page(document: str, page: int) -> np.ndarray:
    kind = DOCUMENTS[document]
    img = Image.new("RGB", kind.size, kind.paper)
    _DRAW[document](img, page, kind)
    _markers_and_qr(img, document, page)
    out = np.asarray(img)[:, :, ::-1].copy()  # RGB -> BGR, as OpenCV frames are
    out.setflags(write=False)
    return out


def render_page(document: str, page: int = 0) -> np.ndarray:
    """Page ``page`` of the sample ``document`` (a key of :data:`DOCUMENTS`) as a BGR array (read-only)."""
    kind = DOCUMENTS.get(document)
    if kind is None:
        raise DriverError(f"no sample document {document!r} (have {sorted(DOCUMENTS)})")
    if not 0 <= page < kind.pages:
        raise DriverError(f"sample {document!r} has pages 0..{kind.pages - 1}, not {page}")
    return _page(document, page)


def marker_centres(size: tuple[int, int]) -> np.ndarray:
    """Where the four corner markers' centres are on a page of ``size`` (tl, tr, br, bl), in page pixels."""
    w, h = size
    short = min(w, h)
    m, inset = round(MARKER * short), round(INSET * short)
    c = inset + m / 2
    return np.array([[c, c], [w - c, c], [w - c, h - c], [c, h - c]], dtype=np.float32)
