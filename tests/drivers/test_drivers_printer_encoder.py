"""ESC/POS encoder: exact bytes, Chinese mode under our control, widths, wrapping, QR native and image."""

from __future__ import annotations

import pytest
from escpos import constants
from escpos.constants import QR_ECLEVEL_M, QR_MODEL_2
from escpos.printer import Dummy

from drivers.base import DriverError
from drivers.printer.protocol.encoder import (
    PAPER_58MM,
    PAPER_80MM,
    EscposEncoder,
    display_width,
    encode_text,
    qr_image,
    qr_native,
    wrap,
)
from drivers.printer.protocol.status import QUERY_ALL
from kiosk.layout import Align, Feed, KeyValue, PrintJob, QrCode, Rule, TextLine

pytestmark = pytest.mark.timeout(30)


def test_known_job_encodes_to_exact_bytes() -> None:
    job = PrintJob(
        "known",
        (
            TextLine("（１）：", Align.CENTER, bold=True),
            TextLine("A12", scale=2),
            KeyValue("号码", "A12"),
            Rule("="),
            QrCode("AB", size=4),
            Feed(1),
        ),
    )
    expected = bytes.fromhex(
        "1b40 1c2e"  # ESC @, Chinese mode off
        "1b6101 1b4501 1c26 a3a8a3b1a3a9a3ba 1c2e 0a 1b4500 1b6100"  # centred bold （１）： in FS & .. FS .
        "1d2111 413132 0a 1d2100"  # GS ! double width+height, "A12"
        "1c26 bac5c2eba3ba 1c2e 413132 0a"  # 号码： then ASCII outside Chinese mode
        + "3d"
        * 32
        + "0a"  # a rule across 58 mm paper (32 columns)
        "1b6101"  # QR centred
        "1d286b 0400 3141 3200"  # model 2
        "1d286b 0300 3143 04"  # module size 4
        "1d286b 0300 3145 31"  # ECC M
        "1d286b 0500 3150 30 4142"  # store "AB" (pL = 2 + 3)
        "1d286b 0300 3151 30"  # print
        "1b6100"
        "0a"  # Feed(1)
        "1b6404 1d5600"  # feed 4 lines past the cutter, full cut
    )
    assert EscposEncoder(PAPER_58MM).encode(job) == expected


def test_cjk_punctuation_alone_is_sent_as_gb18030_never_question_marks() -> None:
    data = encode_text("（１）：")
    assert b"?" not in data
    assert data == b"\x1c&" + "（１）：".encode("gb18030") + b"\x1c."


def test_mixed_text_switches_chinese_mode_only_around_non_ascii() -> None:
    assert encode_text("No.3 窗口 B") == b"No.3 \x1c&" + "窗口".encode("gb18030") + b"\x1c. B"
    # A 4-byte GB18030 character (CJK extension B, Mongolian script) stays inside Chinese mode whole.
    assert encode_text("𠀀ᠮ") == b"\x1c&" + bytes.fromhex("95328236 8134d734") + b"\x1c."


def test_control_characters_in_text_cannot_inject_commands() -> None:
    job = PrintJob("evil", (TextLine("a\x1b@\x1dV\x00b"),), cut=False)
    data = EscposEncoder().encode(job)
    assert data == b"\x1b@\x1c." + b"a @ V b\n"


def test_display_width_counts_cjk_as_two_columns() -> None:
    assert display_width("A1") == 2
    assert display_width("中文") == 4
    assert display_width("（１）") == 6
    assert display_width("办理 No.3") == 9


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("一二三四五六七八九十", 8, ["一二三四", "五六七八", "九十"]),
        ("hello world foo", 11, ["hello world", "foo"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("中a中", 3, ["中a", "中"]),  # a CJK character never straddles the edge
        ("第一行\n第二行", 48, ["第一行", "第二行"]),
        ("", 10, [""]),
    ],
)
def test_wrap_by_display_width(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines
    assert all(display_width(line) <= width for line in lines)


def test_scaled_text_wraps_at_fewer_columns() -> None:
    enc = EscposEncoder(PAPER_80MM)
    lines = enc.plain_lines(PrintJob("t", (TextLine("一" * 20, scale=2),)))
    assert lines == ["一" * 12, "一" * 8]  # 48 / 2 = 24 columns = 12 CJK characters


def test_key_value_on_one_line_or_wrapped_under_the_label() -> None:
    enc = EscposEncoder(PAPER_58MM)
    assert enc.key_value_lines(KeyValue("窗口", "A3")) == ["窗口：A3"]
    long_value = "内蒙古自治区鄂尔多斯市康巴什区市民中心"
    lines = enc.key_value_lines(KeyValue("地址", long_value))
    assert lines[0] == "地址："
    assert all(line.startswith("  ") and display_width(line) <= 32 for line in lines[1:])
    assert "".join(line.strip() for line in lines[1:]) == long_value


def test_qr_native_store_length_and_limits() -> None:
    data = "https://zwfw.example.gov.cn/q?id=42"
    raw = qr_native(data, 6)
    store = b"\x1d(k" + bytes([len(data) + 3, 0]) + b"\x31\x50\x30" + data.encode()
    assert store in raw
    assert raw.endswith(b"\x1d(k\x03\x00\x31\x51\x30")
    with pytest.raises(DriverError):
        qr_native("x" * 3000, 6)


def test_image_qr_is_a_raster_and_much_bigger_than_native() -> None:
    data = "KSK1|KSK-DEMO-01|A012|1a2b3c4d"
    native, image = qr_native(data, 6), qr_image(data, 6)
    assert image.startswith(b"\x1dv0\x00")
    row_bytes, height = image[4] | image[5] << 8, image[6] | image[7] << 8
    assert len(image) == 8 + row_bytes * height
    assert len(image) > 10 * len(native)


def test_native_qr_bytes_match_python_escpos_for_the_same_settings() -> None:
    """Cross-check against python-escpos's own GS ( k sequence (its Dummy printer captures bytes)."""
    reference = Dummy()
    reference.qr("KSK1|KSK-DEMO-01|A012|", native=True, size=6, ec=QR_ECLEVEL_M, model=QR_MODEL_2)
    assert qr_native("KSK1|KSK-DEMO-01|A012|", 6) == reference.output


def test_status_queries_match_python_escpos_constants() -> None:
    assert QUERY_ALL.startswith(constants.RT_STATUS_ONLINE)
    assert QUERY_ALL.endswith(constants.RT_STATUS_PAPER)
