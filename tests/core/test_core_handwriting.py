"""Handwriting recognition through zinnia and the Tegaki Simplified Chinese model (Debian packages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.handwriting import HandwritingUnavailable, Recognizer

ONE = [[(20 + i * 10, 150) for i in range(27)]]  # a horizontal stroke across a 300 × 300 square
TEN = [*ONE, [(150, 20 + i * 10) for i in range(27)]]


@pytest.fixture(scope="module")
def engine() -> Recognizer:
    r = Recognizer()
    yield r
    r.close()


def test_strokes_become_characters(engine: Recognizer) -> None:
    assert engine.classify(ONE, 300)[0] == "一"
    assert engine.classify(TEN, 300)[0] == "十"
    assert len(engine.classify(TEN, 300, limit=5)) == 5


def test_the_square_size_scales_the_strokes(engine: Recognizer) -> None:
    small = [[(x / 3, y / 3) for x, y in stroke] for stroke in TEN]
    assert engine.classify(small, 100)[0] == "十"


def test_nothing_drawn_offers_nothing(engine: Recognizer) -> None:
    assert engine.classify([], 300) == [] and engine.classify([[]], 300) == []


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HandwritingUnavailable, match="no handwriting model"):
        Recognizer(tmp_path / "none.model")
