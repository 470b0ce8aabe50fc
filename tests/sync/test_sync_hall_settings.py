"""Issue 12 points 6 and 9: the hall's settings live in their own file, laid over the technician's kiosk.toml, and
no rewrite ever widens a file's mode."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.hall_settings import HALL_SETTABLE, HALL_SETTINGS_FILE, check_hall_settings
from sync.config_update import ConfigRejected, apply_update

EXAMPLE = Path(__file__).resolve().parents[2] / "kiosk" / "data" / "kiosk.example.toml"


def technicians_config(tmp_path: Path) -> Path:
    """The shipped example as installed: root's file, 0640, data in a temp dir."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('data_dir = "/var/lib/kiosk"', f'data_dir = "{tmp_path}"')
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o640)
    return path


def test_an_accepted_update_never_widens_the_file_it_rewrites(tmp_path: Path) -> None:
    # The review: an accepted hall update turned kiosk.toml from 0640 into 0644 (the writer's default mode).
    path = technicians_config(tmp_path)
    apply_update(path, {"session": {"idle_timeout_s": 120.0}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    os.chmod(path, 0o600)
    apply_update(path, {"session": {"idle_timeout_s": 130.0}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_hall_settings_file_is_new_0640_and_kiosk_toml_is_not_touched(tmp_path: Path) -> None:
    config = technicians_config(tmp_path)
    before = config.read_bytes(), config.stat().st_mtime_ns
    layer = tmp_path / HALL_SETTINGS_FILE
    apply_update(layer, {"session": {"idle_timeout_s": 120.0}}, base=config, note="written by kiosk-sync: test")
    assert stat.S_IMODE(layer.stat().st_mode) == 0o640
    assert (config.read_bytes(), config.stat().st_mtime_ns) == before
    loaded = load_config(config)
    assert loaded.session.idle_timeout_s == 120.0 and loaded.hall_settings == str(layer)
    assert load_config(config, hall_settings=False).session.idle_timeout_s == 90.0


def test_an_update_that_does_not_fit_the_technicians_config_is_rejected(tmp_path: Path) -> None:
    config = technicians_config(tmp_path)
    layer = tmp_path / HALL_SETTINGS_FILE
    with pytest.raises(ConfigRejected, match=r"session\.warning_s"):  # longer than the idle timeout (90 s)
        apply_update(layer, {"session": {"warning_s": 100.0}}, base=config)
    assert not layer.exists()


@pytest.mark.parametrize(
    "text",
    [
        '[mqtt]\nhost = "evil.example"\ntls = false\n',  # planted by hand: the kiosk must not follow it
        "[session]\nidle_timeout_s = 3600\n",
        "[session\n",
        '[kiosk]\nid = "KSK-9999"\n',
    ],
)
def test_a_hall_settings_file_holding_what_the_hall_may_not_set_is_ignored_whole(
    tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = technicians_config(tmp_path)
    (tmp_path / HALL_SETTINGS_FILE).write_text("[session]\nwarning_s = 25\n" + text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kiosk.config"):
        loaded = load_config(config)
    assert loaded.mqtt.host == "hall-broker.local" and loaded.mqtt.tls and loaded.kiosk.id == "KSK-0001"
    assert loaded.session.idle_timeout_s == 90.0 and loaded.session.warning_s == 20.0  # nothing of it applied
    assert loaded.hall_settings == "" and HALL_SETTINGS_FILE in loaded.hall_settings_error
    assert any("ignoring the hall's settings" in r.getMessage() for r in caplog.records)


def test_every_hall_settable_key_is_a_key_of_the_config() -> None:
    for key in HALL_SETTABLE:
        section, *rest = key.replace("devices.*", "devices.printer").split(".")
        table: dict = {}
        node = table.setdefault(section, {})
        for part in rest[:-1]:
            node = node.setdefault(part, {})
        node[rest[-1]] = {"number": 1.5, "integer": 10, "text": "x", "hhmm": "09:00", "choice": "zh"}.get(
            HALL_SETTABLE[key].kind, []
        )
        try:
            check_hall_settings(table)
        except ValueError as exc:  # a bound may refuse the sample value, never the key itself
            assert "may set" in str(exc), exc
