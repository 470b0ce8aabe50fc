"""Printed lines never end with an opening bracket nor start with a closing one or a stop ("（\\noriginal")."""

from __future__ import annotations

import itertools

import pytest

from drivers.printer.protocol.encoder import CLOSING, OPENING, wrap
from kiosk.catalog import Material, Text
from kiosk.receipts import material_line

MATERIALS = [
    Material(Text("夫妻双方户口簿", "Household registers of both spouses"), original=True, copies=1),
    Material(Text("出生医学证明", "Birth medical certificate"), original=False, copies=2),
]


@pytest.mark.parametrize("width", range(12, 49))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_bracket_is_left_alone_at_a_line_break(width: int, lang: str) -> None:
    for i, m in enumerate(MATERIALS, 1):
        lines = wrap(f"{i}. {material_line(m, lang)}", width)
        for a, b in itertools.pairwise(lines):
            assert a and b and a[-1] not in OPENING + "(" and b[0] not in CLOSING + ")", (width, lines)
