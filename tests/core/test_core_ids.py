"""Issue 12 point 13: one kiosk-id rule (kiosk/ids.py) for the config, ``kiosk-provision init``, the contract and
its schema; and no kiosk named like the hall's certificates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk import ids
from kiosk.config import ConfigError, parse_config
from sync import contract

ROOT = Path(__file__).resolve().parents[2]
BAD = ["KSK/01", "K" * 80, "K" * 65, "KSK 1", "-KSK", ".k", "$SYS", "#", "K+", "", "品"]
RESERVED = ["hall", "HALL", "hall-1", "Hall-2", "hall-admin", "hall-"]


def test_the_schema_carries_the_codes_id_pattern() -> None:
    common = json.loads((ROOT / "sync" / "schemas" / "common.json").read_text())
    assert common["$defs"]["id"]["pattern"] == ids.ID_PATTERN


@pytest.mark.parametrize("bad", BAD)
def test_an_id_the_contract_refuses_is_refused_by_the_config_first(bad: str) -> None:
    with pytest.raises(ValueError):
        contract.Topics("gov/v1", "h", bad)  # kiosk-sync's own check ("+" alone is its filter form)
    with pytest.raises(ConfigError) as exc:
        parse_config({"kiosk": {"id": bad}}, "kiosk.toml")
    assert "kiosk.id" in str(exc.value)
    with pytest.raises(ConfigError) as exc:
        parse_config({"kiosk": {"hall_id": bad}}, "kiosk.toml")
    assert "kiosk.hall_id" in str(exc.value)


@pytest.mark.parametrize("good", ["KSK-0001", "k", "K" * 64, "ordos.kbs_2", "0", "hall2", "KSK-hall"])
def test_good_ids_pass_everywhere(good: str) -> None:
    assert parse_config({"kiosk": {"id": good, "hall_id": good}}).kiosk.id == good
    assert contract.Topics("gov/v1", good, good).base.endswith(f"/kiosk/{good}")
    assert ids.check_kiosk_id(good) == good


@pytest.mark.parametrize("name", RESERVED)
def test_a_kiosk_may_not_take_a_hall_certificate_name(name: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config({"kiosk": {"id": name}}, "kiosk.toml")
    assert "reserved" in str(exc.value) and "kiosk.id" in str(exc.value)


def test_a_renamed_hall_identity_reserves_its_own_names_too() -> None:
    with pytest.raises(ConfigError, match="reserved"):
        parse_config({"kiosk": {"id": "central-3"}, "mqtt": {"hall_identity": "central"}})
    with pytest.raises(ConfigError, match="hall_identity"):
        parse_config({"mqtt": {"hall_identity": "hall/1"}})
    assert parse_config({"kiosk": {"id": "central-3"}}).kiosk.id == "central-3"


def test_the_errors_say_what_is_wrong() -> None:
    with pytest.raises(ConfigError, match=r"kiosk\.id"):
        parse_config({"kiosk": {"id": "+"}})
    with pytest.raises(ids.IdError, match="at most 64"):
        ids.check_kiosk_id("K" * 80)
    with pytest.raises(ids.IdError, match="start with a letter or a digit"):
        ids.check_kiosk_id("$SYS")
    with pytest.raises(ids.IdError, match=r"not '/'"):
        ids.check_kiosk_id("KSK/01")
    assert ids.hall_instance_name("hall", "1") == "hall-1"
    with pytest.raises(ids.IdError):
        ids.hall_instance_name("hall", "a/b")
