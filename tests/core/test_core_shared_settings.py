"""The settings the screen process and the sync agent share: declared once, documented, one hall-link rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kiosk.shared_settings import (
    HALL_LINK,
    HALL_LINK_REFRESH_S,
    HALL_LINK_STALE_S,
    PRINT_COUNTER,
    SHARED_SETTINGS,
    UI_LIVENESS,
    hall_link_value,
    hall_reachable,
)

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## What the two processes tell each other"


def documented_keys() -> list[str]:
    """The first column of the settings table in docs/architecture.md's section on the two processes."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", 1)]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [key for row in rows for key in re.findall(r"`([^`]+)`", row.split("|")[1])]


def test_the_documented_table_lists_exactly_the_declared_keys() -> None:
    keys = [s.key for s in SHARED_SETTINGS]
    assert len(keys) == len(set(keys))
    documented = documented_keys()
    assert len(documented) == len(set(documented))
    assert set(documented) == set(keys)


def test_every_setting_says_its_value_writer_and_reader() -> None:
    for s in SHARED_SETTINGS:
        assert s.type and s.writer and s.reader and s.doc, s.key
        if s.stale_after_s is not None:
            # A writer may miss two beats (a slow disk, a busy loop) before a reader gives up on it.
            assert s.refresh_s is not None and 3 * s.refresh_s <= s.stale_after_s, s.key


def _literal_setting_keys(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get_setting", "set_setting")
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_module_spells_a_setting_key_itself() -> None:
    """Whoever reads or writes a setting names it through kiosk.shared_settings, never as a string of its own."""
    files = [f for pkg in ("kiosk", "drivers", "ui", "sync", "provisioning") for f in (ROOT / pkg).rglob("*.py")]
    spelled = [hit for f in files for hit in _literal_setting_keys(f)]
    assert spelled == []
    declared = {s.key for s in SHARED_SETTINGS} - {PRINT_COUNTER.key}  # a family: spelled with its part
    for f in files:
        if f.name != "shared_settings.py":
            text = f.read_text(encoding="utf-8")
            assert not [key for key in declared if f'"{key}"' in text], f"{f.relative_to(ROOT)} spells a key"


def test_a_family_of_keys() -> None:
    assert PRINT_COUNTER.key_for("printer") == "maintenance.counter.printer"
    with pytest.raises(ValueError, match="single key"):
        UI_LIVENESS.key_for("x")


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("value", "now", "reachable"),
    [
        (hall_link_value(True, NOW), NOW, True),
        (hall_link_value(True, NOW), NOW + HALL_LINK_STALE_S, True),
        (hall_link_value(True, NOW), NOW + HALL_LINK_STALE_S + 0.001, False),  # the agent hung or stopped
        (hall_link_value(False, NOW), NOW, False),
        (None, NOW, False),  # no agent has ever run
        ({}, NOW, False),
        ({"online": True}, NOW, False),
        ({"online": True, "at": "yesterday"}, NOW, False),
        ({"online": True, "at": True}, NOW, False),
        ({"online": True, "at": float("nan")}, NOW, False),
        (["online"], NOW, False),
    ],
)
def test_the_hall_link_rule(value: object, now: float, reachable: bool) -> None:
    assert hall_reachable(value, now) is reachable


def test_a_note_written_every_refresh_never_reads_as_stale_in_between() -> None:
    written = NOW
    for step in range(int(HALL_LINK_REFRESH_S * 10) + 1):
        assert hall_reachable(hall_link_value(True, written), written + step / 10)
    assert HALL_LINK.refresh_s == HALL_LINK_REFRESH_S and HALL_LINK.stale_after_s == HALL_LINK_STALE_S
