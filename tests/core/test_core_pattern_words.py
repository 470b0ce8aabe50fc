"""A field pattern said in words, so "format not correct" names the format expected."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.catalog import FieldSpec, Text
from kiosk.forms import check_value
from kiosk.pattern_words import describe_pattern


@pytest.mark.parametrize(
    ("pattern", "zh", "en"),
    [
        (r"[A-Za-z0-9\-]{6,30}", "应为6至30位字母、数字或“-”", '6 to 30 letters, digits or "-"'),
        (r"[A-Z]\d{9}", "应为1位大写字母，再加9位数字", "1 capital letter, then 9 digits"),
        (r"\d{6}", "应为6位数字", "6 digits"),
        (r"J\d+", "应为“J”，再加至少1位数字", 'J", then at least 1 digits'),
    ],
)
def test_simple_patterns_in_words(pattern: str, zh: str, en: str) -> None:
    said = describe_pattern(pattern)
    assert said is not None and said.zh == zh and en in said.en


@pytest.mark.parametrize("pattern", [r"(A|B)\d{3}", r"[^0-9]+", r"[\u4e00-\u9fa5]{2,4}", r".*", None, ""])
def test_anything_richer_gets_no_hint_rather_than_a_wrong_one(pattern: str | None) -> None:
    assert describe_pattern(pattern) is None


def test_the_format_message_names_the_format() -> None:
    spec = FieldSpec("marriage_certificate_number", Text("结婚证字号", "Marriage certificate number"), kind="text",
                     pattern=r"[A-Za-z0-9\-]{6,30}")
    message = check_value(spec, "J15/06", date(2026, 11, 24))
    assert message is not None
    assert message.zh == "结婚证字号格式不正确：应为6至30位字母、数字或“-”"
    assert message.en.startswith("Marriage certificate number is not in the expected format: 6 to 30 letters")
