"""write_atomic: the target is the old file or the new one, with the mode asked, and a backup when asked."""

import stat
from pathlib import Path

import pytest

from kiosk.atomicfile import write_atomic


def test_replaces_with_mode_and_keeps_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "kiosk.toml"
    write_atomic(target, b"one", mode=0o640)
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not (tmp_path / "kiosk.toml.bak").exists()
    write_atomic(target, "二".encode(), mode=0o600, keep_backup=True)
    assert target.read_text(encoding="utf-8") == "二"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert (tmp_path / "kiosk.toml.bak").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.toml", "kiosk.toml.bak"]


def test_a_failure_before_the_rename_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "catalog.json"
    target.write_bytes(b"old")

    def refuse(tmp: Path) -> None:
        assert tmp.read_bytes() == b"new"  # fully written and flushed before prepare runs
        raise PermissionError("chown refused")

    with pytest.raises(PermissionError):
        write_atomic(target, b"new", prepare=refuse)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"]
