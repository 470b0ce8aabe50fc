"""The keypad driver on the evdev wire: the real transport and decoder read a simulated node's kernel records."""

from __future__ import annotations

from pathlib import Path

import pytest
from evdev import InputEvent, ecodes

from drivers.base import DeviceGone, DriverError, device_thread
from drivers.keypad.factory import open_from_config
from drivers.keypad.protocol import COMMANDS, commands, events_for
from kiosk.config import ConfigError, DevicesSection, KeypadSection, parse_config
from tests.waiting import wait_until


def test_each_command_round_trips_through_the_node(tmp_path: Path) -> None:
    keypad = open_from_config(KeypadSection(transport="simulator"), data_dir=tmp_path)
    assert keypad is not None and keypad.simulator is not None
    with device_thread(keypad):
        keypad.open()
    try:
        got: list[str] = []
        for command in COMMANDS:
            keypad.simulator.press(command)
        with device_thread(keypad):
            wait_until(lambda: got.extend(keypad.read_commands(0.05)) or len(got) >= len(COMMANDS), 5, "commands")
        assert got == list(COMMANDS)
        keypad.simulator.unplug()
        with pytest.raises(DeviceGone), device_thread(keypad):
            keypad.read_commands(0.05)
    finally:
        with device_thread(keypad):
            keypad.dispose()  # closes it and its simulator


def test_key_up_other_keys_and_held_select_are_not_commands() -> None:
    down = events_for("down")
    held_down = InputEvent(0, 0, ecodes.EV_KEY, ecodes.KEY_DOWN, 2)
    held_select = InputEvent(0, 0, ecodes.EV_KEY, ecodes.KEY_ENTER, 2)
    letter = InputEvent(0, 0, ecodes.EV_KEY, ecodes.KEY_A, 1)
    assert list(commands([*down, held_down, held_select, letter])) == ["down", "down"]
    with pytest.raises(ValueError):
        events_for("left")


def test_keypad_settings_are_checked() -> None:
    assert DevicesSection().keypad.transport == "none"  # a kiosk has no keypad unless it is fitted (DISABLED)
    with pytest.raises(ConfigError, match=r"keypad\.transport"):
        parse_config({"devices": {"keypad": {"transport": "serial"}}})
    with pytest.raises(ConfigError, match=r"keypad\.name"):
        parse_config({"devices": {"keypad": {"transport": "evdev"}}})
    with pytest.raises(ConfigError, match=r"keypad\.vendor_id"):
        parse_config({"devices": {"keypad": {"transport": "evdev", "vendor_id": "xyz"}}})
    keypad = open_from_config(KeypadSection(transport="evdev", name="no such keypad"))
    with pytest.raises(DriverError), device_thread(keypad):
        keypad.open()
