"""Issue 12 point 5: a config is a production kiosk unless it says lab or demo, and production refuses simulated
devices and a plaintext hall link. The processes' refusal: tests/provisioning/test_provisioning_production_mode.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, demo_config, example_config_path, load_config, parse_config
from kiosk.devices import DeviceKind


def test_a_config_with_only_a_kiosk_section_is_production_and_says_what_it_lacks(tmp_path: Path) -> None:
    config = parse_config({"kiosk": {"id": "KSK-0001", "data_dir": str(tmp_path)}})
    assert config.kiosk.mode == "production"
    problems = config.mode_problems()
    # Every kind's default is the simulator, but the keypad's: "none" (not fitted unless configured).
    kinds = [str(k) for k in DeviceKind if k is not DeviceKind.KEYPAD]
    assert [p.split(" ")[0] for p in problems] == [*(f"devices.{k}.transport" for k in kinds), "mqtt.tls"]


def test_lab_and_demo_allow_simulators_and_plaintext(tmp_path: Path) -> None:
    for mode in ("lab", "demo"):
        assert parse_config({"kiosk": {"mode": mode, "data_dir": str(tmp_path)}}).mode_problems() == []
    assert demo_config(tmp_path).kiosk.mode == "demo" and demo_config(tmp_path).mode_problems() == []


def test_the_shipped_example_is_a_production_kiosk_that_passes(tmp_path: Path) -> None:
    config = load_config(example_config_path(), hall_settings=False)
    assert config.kiosk.mode == "production" and config.mode_problems() == []


def test_a_disabled_simulator_or_a_kiosk_without_a_hall_link_is_no_problem() -> None:
    table = {
        "devices": {str(kind): {"transport": "none", "enabled": False} for kind in DeviceKind},
        "mqtt": {"enabled": False},
    }  # fmt: skip
    table["devices"]["scanner"] = {"transport": "simulator", "enabled": False}
    assert parse_config(table).mode_problems() == []


def test_an_unknown_mode_is_an_error_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"kiosk\.mode: expected one of"):
        parse_config({"kiosk": {"mode": "prod"}})
