"""Printer simulator: parsing what the encoder sends, Chinese mode, QR, cut, DLE EOT answers, PNG rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from drivers.base import DriverError
from drivers.printer.protocol.encoder import PAPER_58MM, PAPER_80MM, EscposEncoder
from drivers.printer.simulator import STATES, Page, PrinterSimulator
from kiosk.layout import Align, Feed, KeyValue, PrintJob, QrCode, Rule, TextLine

pytestmark = pytest.mark.timeout(60)

RECEIPT = PrintJob(
    "receipt",
    (
        TextLine("鄂尔多斯市政务服务中心（演示）", Align.CENTER, bold=True),
        TextLine("办件回执 Receipt", Align.CENTER, scale=2),
        Rule(),
        KeyValue("受理编号", "KSK-2024-000123"),
        KeyValue("办理事项", "居住证签注（１）：补办"),
        KeyValue("需携带材料", "身份证原件、户口簿复印件、近期免冠照片两张，以及单位出具的在职证明（加盖公章）"),
        TextLine("A012", Align.CENTER, scale=4),
        QrCode("KSK1|KSK-DEMO-01|A012|1a2b3c4d", size=6),
        Feed(1),
        TextLine("请妥善保管本回执。Keep this receipt.", Align.CENTER),
    ),
)


@pytest.mark.parametrize("paper", [PAPER_80MM, PAPER_58MM], ids=["80mm", "58mm"])
def test_round_trip_encode_parse_gives_the_same_lines(paper) -> None:
    enc = EscposEncoder(paper)
    sim = PrinterSimulator(paper=paper)
    assert sim.feed(enc.encode(RECEIPT)) == b""  # nothing asked, nothing answered
    (page,) = sim.pages
    assert page.cut
    assert page.body_lines == enc.plain_lines(RECEIPT)
    assert sim.unknown == {} and sim.decode_errors == 0


def test_bytes_split_anywhere_parse_the_same() -> None:
    data = EscposEncoder().encode(RECEIPT)
    whole, split = PrinterSimulator(), PrinterSimulator()
    whole.feed(data)
    for i in range(0, len(data), 7):  # 7 splits GB18030 pairs and GS ( k headers alike
        split.feed(data[i : i + 7])
    assert split.pages[0].text_lines == whole.pages[0].text_lines


def test_attributes_alignment_size_bold_and_qr_are_recorded() -> None:
    sim = PrinterSimulator()
    sim.feed(EscposEncoder().encode(RECEIPT))
    lines = sim.pages[0].lines
    title, big, qr = lines[0], next(ln for ln in lines if ln.text == "A012"), next(ln for ln in lines if ln.qr)
    assert title.align == "center" and title.runs[0].bold
    assert (big.runs[0].width, big.runs[0].height, big.align) == (4, 4, "center")
    assert qr.qr == "KSK1|KSK-DEMO-01|A012|1a2b3c4d" and qr.qr_size == 6


def test_gb18030_outside_chinese_mode_is_mojibake_as_on_a_real_printer() -> None:
    sim = PrinterSimulator()
    sim.feed(b"\x1b@\x1c." + "中文".encode("gb18030") + b"\n" + b"\x1c&" + "中文".encode("gb18030") + b"\x1c.\n")
    lines = sim.current_page.text_lines
    assert lines[0] != "中文" and len(lines[0]) == 4  # four cp437 characters
    assert lines[1] == "中文"


def test_unknown_commands_are_skipped_not_fatal() -> None:
    sim = PrinterSimulator()
    sim.feed(b"\x1b@\x1b\xf0ab\x1d\xf1cd\x1c\xf2\n\x1dV\x00")
    assert sim.pages[0].body_lines == ["abcd"]
    assert set(sim.unknown) == {"ESC F0", "GS F1", "FS F2"}


def test_a_long_line_wraps_on_the_printer_by_dots() -> None:
    sim = PrinterSimulator(paper=PAPER_58MM)
    sim.feed(b"\x1c&" + ("中" * 20).encode("gb18030") + b"\x1c.\n")
    assert sim.current_page.text_lines == ["中" * 16, "中" * 4]  # 384 dots / 24 = 16


@pytest.mark.parametrize("state", sorted(STATES))
def test_dle_eot_answered_from_the_state(state: str) -> None:
    sim = PrinterSimulator(state=state)
    reply = sim.feed(b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04")
    expected = STATES[state]
    assert reply == (expected[0] if expected else b"")


def test_state_changes_at_once_and_bad_states_are_refused() -> None:
    sim = PrinterSimulator()
    assert sim.feed(b"\x10\x04\x04") == b"\x12"
    sim.set_state("near_end")
    assert sim.feed(b"\x10\x04\x04") == b"\x1e"
    with pytest.raises(DriverError):
        sim.set_state("on_fire")


def _render_text(sim: PrinterSimulator, text: str, path: Path) -> Image.Image:
    sim.feed(EscposEncoder().encode(PrintJob("t", (TextLine(text, scale=2),))))
    sim.render_png(sim.pages[-1], path)
    return Image.open(path).convert("L")


def _ink(img: Image.Image) -> int:
    return sum(img.histogram()[:128])


def test_png_shows_real_chinese_glyphs_not_boxes(tmp_path: Path) -> None:
    sim = PrinterSimulator()
    zhong = _render_text(sim, "中", tmp_path / "zhong.png")
    wen = _render_text(sim, "文", tmp_path / "wen.png")
    missing = _render_text(sim, "\ue000", tmp_path / "pua.png")  # private use: no glyph in any font (a box)
    assert _ink(zhong) > 50 and _ink(wen) > 50
    assert ImageChops.difference(zhong, wen).getbbox() is not None
    assert ImageChops.difference(zhong, missing).getbbox() is not None
    assert ImageChops.difference(wen, missing).getbbox() is not None


def test_whole_receipt_renders_with_qr(tmp_path: Path) -> None:
    sim = PrinterSimulator(png_dir=tmp_path)
    sim.feed(EscposEncoder().encode(RECEIPT))
    assert sim.wait_rendered(20)
    png = tmp_path / "receipt-0001.png"  # rendered by the simulator on the cut
    img = Image.open(png)
    assert img.width == 576 + 24
    assert img.height > 30 * len(sim.pages[0].lines)
    blank = Page(lines=[])
    sim.render_png(blank, tmp_path / "blank.png")
    assert _ink(img.convert("L")) > 20 * _ink(Image.open(tmp_path / "blank.png").convert("L")) + 1000


def test_image_qr_parses_as_an_image_line(tmp_path: Path) -> None:
    sim = PrinterSimulator()
    sim.feed(EscposEncoder(image_qr=True).encode(PrintJob("q", (QrCode("hello", size=4),))))
    (line,) = [ln for ln in sim.pages[0].lines if ln.image]
    assert line.text.startswith("[IMAGE ")
    sim.render_png(sim.pages[0], tmp_path / "img.png")
    assert _ink(Image.open(tmp_path / "img.png").convert("L")) > 500
