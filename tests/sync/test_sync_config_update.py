"""A hall config update edits the technician's kiosk.toml: comments, key order and untouched keys survive."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from sync.config_update import ConfigRejected, apply_update, merge

EXAMPLE = Path(__file__).resolve().parents[2] / "kiosk" / "data" / "kiosk.example.toml"
UPDATE = {
    "session": {"idle_timeout_s": 150.0},
    "devices": {"printer": {"timeout_s": 3.0}},
    "health": {"ui_stale_s": 45.0},  # a section the file does not have yet
}
CHANGED = re.compile(r"^(idle_timeout_s|timeout_s) =")


def commented_config(tmp_path: Path) -> Path:
    """The shipped example as a technician leaves it: its comments, one more on top and one on a changed key."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = "# 东胜大厅 1号机 — printer replaced 2026-11-02 (王工)\n" + text
    text = text.replace("idle_timeout_s = 90\n", "idle_timeout_s = 90                 # ask the hall before changing\n")
    text = text.replace('data_dir = "/var/lib/kiosk"', f'data_dir = "{tmp_path / "data"}"')
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def comments(text: str) -> list[str]:
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line and '"#' not in line]


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(line in rest for line in part)


def test_a_hall_update_keeps_the_technicians_comments_and_untouched_keys(tmp_path: Path) -> None:
    path = commented_config(tmp_path)
    before = path.read_text(encoding="utf-8")
    apply_update(path, UPDATE, note="written by kiosk-sync: hall config update 2027-01 (5d2e)")
    after = path.read_text(encoding="utf-8")

    assert tomllib.loads(after) == merge(tomllib.loads(before), UPDATE)
    assert is_subsequence(comments(before), comments(after))  # every comment, in its place
    untouched = [line for line in before.splitlines() if not CHANGED.match(line)]
    assert is_subsequence(untouched, after.splitlines())  # every other line as it was, in the same order
    assert "idle_timeout_s = 150.0                 # ask the hall before changing" in after.splitlines()
    assert after.splitlines()[0] == "# written by kiosk-sync: hall config update 2027-01 (5d2e)"
    assert path.with_name("kiosk.toml.bak").read_text(encoding="utf-8") == before


def test_the_next_update_replaces_the_note_instead_of_piling_notes_up(tmp_path: Path) -> None:
    path = commented_config(tmp_path)
    apply_update(path, UPDATE, note="written by kiosk-sync: hall config update 2027-01 (5d2e)")
    later = "written by kiosk-sync: hall config update 2027-02 (77aa)"
    apply_update(path, {"session": {"warning_s": 25.0}}, note=later)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# written by kiosk-sync: hall config update 2027-02 (77aa)",
                         "# 东胜大厅 1号机 — printer replaced 2026-11-02 (王工)"]  # fmt: skip
    assert sum("written by kiosk-sync" in line for line in lines) == 1


@pytest.mark.parametrize(
    ("update", "why"),
    [
        ({"session": {"idle_timeout_s": float("nan")}}, "nan"),
        ({"kiosk": {"location": None}}, "kiosk.location: expected a string"),
    ],
)
def test_values_toml_cannot_hold_are_refused_and_nothing_is_written(tmp_path: Path, update: dict, why: str) -> None:
    path = commented_config(tmp_path)
    before = path.read_bytes()
    with pytest.raises(ConfigRejected, match=why):
        apply_update(path, update)
    assert path.read_bytes() == before and not path.with_name("kiosk.toml.bak").exists()
