"""Config loading: typed values, defaults, and errors naming file, key and expectation."""

from pathlib import Path

import pytest

from kiosk.config import (
    ConfigError,
    config_path,
    demo_config,
    example_config_path,
    load_config,
    parse_config,
)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_example_config_loads_with_every_section() -> None:
    cfg = load_config(example_config_path())
    assert cfg.kiosk.id == "KSK-0001"
    assert cfg.mqtt.tls is True
    assert cfg.mqtt.ca_file == Path("/etc/kiosk/pki/ca.crt")
    assert cfg.devices.sscard_reader.transport == "pcsc"
    assert cfg.devices.scanner.options == {"name": "Newland", "vendor_id": "1eab"}
    assert cfg.appointment.holidays == ("2027-01-01",)
    assert cfg.hall_hours.weekdays == (1, 2, 3, 4, 5)
    assert cfg.db_path == Path("/var/lib/kiosk/kiosk.db")
    assert cfg.source == str(example_config_path())


def test_empty_file_gives_demo_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, ""))
    assert cfg.devices.printer.transport == "simulator"
    assert cfg.session.idle_timeout_s == 90.0
    assert cfg.screen.font_family == "Noto Sans CJK SC"


def test_integers_are_accepted_for_floats(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, "[session]\nidle_timeout_s = 120\n"))
    assert cfg.session.idle_timeout_s == 120.0
    assert isinstance(cfg.session.idle_timeout_s, float)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("[kiosk]\nidd = 1\n", "kiosk.idd", "unknown key"),
        ("[nosuchsection]\nx = 1\n", "nosuchsection", "unknown key"),
        ("[keypad]\ntransport = 'evdev'\n", "keypad", "moved to [devices.keypad]"),
        ("[kiosk]\nid = 5\n", "kiosk.id", "expected a string"),
        ("[kiosk]\nid = ' '\n", "kiosk.id", "must not be empty"),
        ("[kiosk]\nlanguage = 'fr'\n", "kiosk.language", "expected one of"),
        ("[screen]\norientation = 'upside'\n", "screen.orientation", "expected one of"),
        ("[screen]\nfullscreen = 'yes'\n", "screen.fullscreen", "true or false"),
        ("[session]\nidle_timeout_s = 'long'\n", "session.idle_timeout_s", "expected a number"),
        ("[session]\nidle_timeout_s = 1\n", "session.idle_timeout_s", "from 10"),
        ("[store]\ntelemetry_limit = 1.5\n", "store.telemetry_limit", "expected an integer"),
        ("[store]\ntelemetry_limit = true\n", "store.telemetry_limit", "expected an integer"),
        ("[appointment]\nopen = '9am'\n", "appointment.open", "HH:MM"),
        ("[appointment]\nholidays = ['2027-13-01']\n", "appointment.holidays", "YYYY-MM-DD"),
        ("[appointment]\nholidays = '2027-01-01'\n", "appointment.holidays", "a list of a string"),
        ("[hall_hours]\nweekdays = [8]\n", "hall_hours.weekdays", "from 1 to 7"),
        ("[devices.printer]\ntransport = 'carrier-pigeon'\n", "devices.printer.transport", "expected one of"),
        ("[devices.scanner]\noptions = { vendor_id = 7 }\n", "devices.scanner.options", "table of strings"),
        ("[mqtt]\nport = 70000\n", "mqtt.port", "from 1 to 65535"),
        ("[mqtt]\ntls = true\n", "mqtt.tls", "needs ca_file"),
        ("[mqtt]\nca_file = ''\n", "mqtt.ca_file", "expected a path or nothing"),
        ("[[health.rules]]\nid = 'r'\nfault = 'x'\n", "health.rules[0].when", "missing required value"),
        ("[[health.rules]]\nid='r'\nwhen='x'\nfault='y'\nseverity='dire'\n", "health.rules[0].severity", "one of"),
    ],
)
def test_bad_values_name_file_key_and_expectation(tmp_path: Path, text: str, key: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.source == str(path)
    assert err.value.key == key
    assert expected in err.value.problem
    assert str(path) in str(err.value) and key in str(err.value)


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[kiosk\nid = 1"))
    bad = tmp_path / "latin1.toml"
    bad.write_bytes("[kiosk]\nhall_name = '\xe9'\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(bad)


def test_config_path_precedence() -> None:
    assert config_path("/x.toml", {"KIOSK_CONFIG": "/y.toml"}) == Path("/x.toml")
    assert config_path(None, {"KIOSK_CONFIG": "/y.toml"}) == Path("/y.toml")
    assert config_path(None, {}) == Path("/etc/kiosk/kiosk.toml")


def test_demo_config_overrides(tmp_path: Path) -> None:
    cfg = demo_config(tmp_path, screen={"orientation": "portrait"}, kiosk={"id": "K9"})
    assert cfg.kiosk.data_dir == tmp_path and cfg.kiosk.id == "K9"
    assert cfg.screen.orientation == "portrait"
    with pytest.raises(ConfigError, match=r"screen\.orientation"):
        demo_config(tmp_path, screen={"orientation": "diagonal"})


def test_parse_config_rejects_non_table_section() -> None:
    with pytest.raises(ConfigError, match="kiosk: expected a table"):
        parse_config({"kiosk": 3})
