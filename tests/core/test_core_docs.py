"""The documents generated from code still match the code."""

from pathlib import Path

from kiosk.visit.flow import to_mermaid

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_session_diagram_matches_the_transition_table() -> None:
    text = (DOCS / "session-diagram.md").read_text(encoding="utf-8")
    assert to_mermaid() in text
