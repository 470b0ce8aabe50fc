"""The keypad driver on the evdev wire: the real transport and decoder read a simulated node's kernel records;
under its DeviceRunner, its presence is a status in the store like any device's."""

from __future__ import annotations

import queue
from pathlib import Path

import pytest
from evdev import InputEvent, ecodes

from drivers.base import DeviceGone, DriverError, device_thread
from drivers.keypad.factory import open_from_config
from drivers.keypad.protocol import COMMANDS, commands, events_for
from drivers.registry import open_devices, stop_all
from kiosk.config import ConfigError, DeviceSection, DevicesSection, KeypadSection, parse_config
from kiosk.devices import DeviceKind, DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store
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


def test_the_runner_keeps_the_keypad_like_the_scanner_absent_with_its_fault_until_replugged(tmp_path: Path) -> None:
    """The keypad under the registry and a DeviceRunner: opened it is OK and its commands reach its listeners;
    unplugged (ENODEV on the read) it is ABSENT with keypad_offline, major, in a real store; plugged back in it
    is OK, the fault cleared, and its keys work again. The simulated scanner beside it (same directory) works
    throughout: the keypad's simulator once unlinked the scanner's node when it started."""
    store = Store(tmp_path / "kiosk.db")
    off = DeviceSection(enabled=False)
    sim = DeviceSection(transport="simulator", poll_s=0.2)
    keypad_sim = KeypadSection(transport="simulator", poll_s=0.2)
    devices = DevicesSection(printer=off, id_reader=off, sscard_reader=off, dispenser=off, document_printer=off,
                             camera=off, scanner=sim, keypad=keypad_sim)  # fmt: skip
    runners = open_devices(devices, StatusSink(store), data_dir=tmp_path, backoff_max_s=0.4)
    try:
        assert set(runners) == {DeviceKind.SCANNER, DeviceKind.KEYPAD}
        runner, scanner = runners[DeviceKind.KEYPAD], runners[DeviceKind.SCANNER]
        keypad = runner.device
        pressed: queue.Queue[str] = queue.Queue()
        keypad.subscribe(pressed.put)  # on the keypad's device thread, as the bridge's queued signal is
        wait_until(lambda: state_of(store, "keypad") == DeviceState.OK, 5, "the keypad opened")
        wait_until(lambda: state_of(store, "scanner") == DeviceState.OK, 5, "the scanner opened")
        keypad.simulator.press("down")
        assert pressed.get(timeout=3) == "down"

        keypad.simulator.unplug()
        wait_until(lambda: state_of(store, "keypad") == DeviceState.ABSENT, 5, "the keypad reported absent")
        (fault,) = [f for f in store.open_faults() if f.device == "keypad"]
        assert (fault.code, fault.severity) == (FaultCode.KEYPAD_OFFLINE, "major")
        assert store.device_statuses()["keypad"].faults == {FaultCode.KEYPAD_OFFLINE}
        assert state_of(store, "scanner") == DeviceState.OK  # the scanner's node was left alone

        keypad.simulator.replug()
        wait_until(lambda: state_of(store, "keypad") == DeviceState.OK, 5, "the keypad back")
        assert not [f for f in store.open_faults() if f.device == "keypad"]
        assert [f.cleared_at is not None for f in store.faults_since(0) if f.device == "keypad"] == [True]
        wait_until(lambda: runner.is_open, 5, "the keypad grabbed again")
        keypad.simulator.press("select")
        assert pressed.get(timeout=3) == "select"
        scanned: queue.Queue[str] = queue.Queue()
        scanner.device.subscribe(scanned.put)
        scanner.device.simulator.scan("KSK1|A012|")
        assert scanned.get(timeout=3) == "KSK1|A012|"
    finally:
        assert stop_all(runners)
        store.close()


def state_of(store: Store, kind: str) -> DeviceState | None:
    """The state ``kind`` last reported to the store (None: not yet)."""
    status = store.device_statuses().get(kind)
    return status.state if status is not None else None
