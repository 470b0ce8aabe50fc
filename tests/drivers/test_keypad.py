"""The keypad driver on the evdev wire: the real transport and decoder read a simulated node's kernel records."""

from __future__ import annotations

from pathlib import Path

import pytest
from evdev import InputEvent, ecodes

from drivers.base import DeviceGone, DriverError
from drivers.keypad.factory import open_from_settings
from drivers.keypad.protocol import COMMANDS, commands, events_for
from kiosk.config import ConfigError, parse_config
from kiosk.settings import KeypadSection
from tests.waiting import wait_until


def test_each_command_round_trips_through_the_node(tmp_path: Path) -> None:
    keypad = open_from_settings(KeypadSection(transport="simulator"), data_dir=tmp_path)
    assert keypad is not None and keypad.simulator is not None
    keypad.open()
    try:
        got: list[str] = []
        for command in COMMANDS:
            keypad.simulator.press(command)
        wait_until(lambda: got.extend(keypad.read_commands(0.05)) or len(got) >= len(COMMANDS), 5, "five commands")
        assert got == list(COMMANDS)
        keypad.simulator.unplug()
        with pytest.raises(DeviceGone):
            keypad.read_commands(0.05)
    finally:
        keypad.close()
        keypad.simulator.close()


def test_key_up_other_keys_and_held_select_are_not_commands() -> None:
    down = events_for("down")
    held_down = InputEvent(0, 0, ecodes.EV_KEY, ecodes.KEY_DOWN, 2)
    held_select = InputEvent(0, 0, ecodes.EV_KEY, ecodes.KEY_ENTER, 2)
    letter = InputEvent(0, 0, ecodes.EV_KEY, ecodes.KEY_A, 1)
    assert list(commands([*down, held_down, held_select, letter])) == ["down", "down"]
    with pytest.raises(ValueError):
        events_for("left")


def test_keypad_settings_are_checked() -> None:
    assert open_from_settings(KeypadSection()) is None
    with pytest.raises(ConfigError, match=r"keypad\.transport"):
        parse_config({"keypad": {"transport": "serial"}})
    with pytest.raises(ConfigError, match=r"keypad\.name"):
        parse_config({"keypad": {"transport": "evdev"}})
    with pytest.raises(ConfigError, match=r"keypad\.vendor_id"):
        parse_config({"keypad": {"transport": "evdev", "vendor_id": "xyz"}})
    with pytest.raises(DriverError):
        open_from_settings(KeypadSection(transport="evdev", name="no such keypad")).open()
