"""Scanner: the decoder on constructed evdev events, the evdev backend's selection/grab/read loop (on a real
pipe fd: this machine has no /dev/input and no uinput), the wire-level simulated scanner on a runner."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from evdev import InputEvent, ecodes

from drivers.base import DeviceGone, DriverError, ProtocolError, device_thread
from drivers.runner import DeviceRunner
from drivers.scanner.facade import EvdevScanner
from drivers.scanner.factory import open_from_config
from drivers.scanner.protocol import ScanDecoder
from drivers.scanner.simulator import ScannerSimulator, events_for_text
from kiosk.config import DeviceSection
from kiosk.devices import DeviceState, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store
from tests.waiting import wait_until

pytestmark = pytest.mark.timeout(30)

URL = "https://zwfw.example.gov.cn/q?id=A-012&t=x_y.Z:80/~ok"


def key(code: int, value: int, t: float = 0.0) -> InputEvent:
    return InputEvent(int(t), int((t % 1) * 1e6), ecodes.EV_KEY, code, value)


def test_decodes_a_url_with_shifted_symbols_and_enter() -> None:
    assert list(ScanDecoder().feed_all(events_for_text(URL))) == [URL]


def test_hand_built_events_shift_and_tab_terminator() -> None:
    k = ecodes
    events = [
        key(k.KEY_LEFTSHIFT, 1),
        key(k.KEY_A, 1),
        key(k.KEY_A, 0),
        key(k.KEY_SEMICOLON, 1),  # still shifted: ':'
        key(k.KEY_LEFTSHIFT, 0),
        key(k.KEY_SEMICOLON, 1),  # ';'
        key(k.KEY_SLASH, 1),
        key(k.KEY_RIGHTSHIFT, 1),
        key(k.KEY_SLASH, 1),  # '?'
        key(k.KEY_7, 1),  # '&'
        key(k.KEY_MINUS, 1),  # '_'
        key(k.KEY_RIGHTSHIFT, 0),
        key(k.KEY_EQUAL, 1),
        key(k.KEY_ENTER, 1),  # not the terminator here: unknown key, skipped
        key(k.KEY_TAB, 1),
    ]
    decoder = ScanDecoder(terminator="tab")
    assert list(decoder.feed_all(events)) == ["A:;/?&_="]
    assert decoder.skipped == 1


def test_noise_is_skipped_and_counted_and_sync_events_are_quiet() -> None:
    decoder = ScanDecoder()
    events = [
        InputEvent(0, 0, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
        InputEvent(0, 0, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70004),
        InputEvent(0, 0, ecodes.EV_REL, ecodes.REL_X, 5),  # a mouse event: not ours
        key(ecodes.KEY_F5, 1),  # no character
        key(ecodes.KEY_1, 2),  # autorepeat
        key(ecodes.KEY_1, 7),  # nonsense value
        "not an event",
        key(ecodes.KEY_1, 1),
        key(ecodes.KEY_ENTER, 1),
    ]
    assert list(decoder.feed_all(events)) == ["1"]
    assert decoder.skipped == 5


def test_caps_lock_flips_letters_only() -> None:
    k = ecodes
    events = [key(k.KEY_CAPSLOCK, 1), key(k.KEY_A, 1), key(k.KEY_1, 1), key(k.KEY_ENTER, 1)]
    assert list(ScanDecoder().feed_all(events)) == ["A1"]


def test_overlong_code_is_a_protocol_error_then_resync() -> None:
    decoder = ScanDecoder(max_len=10)
    events = events_for_text("X" * 25) + events_for_text("OK-1")
    with pytest.raises(ProtocolError):
        for event in events:
            decoder.feed(event)
    # feed_all logs and drops the overlong code; the tail of it never comes out as a code of its own
    assert list(ScanDecoder(max_len=10).feed_all(events)) == ["OK-1"]


def test_a_partial_code_after_a_pause_is_dropped() -> None:
    decoder = ScanDecoder(max_gap_s=0.5)
    partial = events_for_text("LOST", t0=100.0)[:-4]  # without the Enter
    whole = events_for_text("NEXT", t0=102.0)
    assert list(decoder.feed_all(partial + whole)) == ["NEXT"]
    assert decoder.dropped_partial == 1


def test_bad_terminator_and_untypable_text_are_driver_errors() -> None:
    with pytest.raises(DriverError):
        ScanDecoder(terminator="space")
    with pytest.raises(DriverError):
        events_for_text("中文")


class PipeInputDevice:
    """Stands in for evdev.InputDevice where no /dev/input exists: a real pipe fd for select, events queued."""

    def __init__(self, path: str, name: str, vendor: int, keys: bool = True) -> None:
        self.path, self.name = path, name
        self.info = SimpleNamespace(vendor=vendor, product=0x0001)
        self._keys = keys
        self.grabbed = self.closed = False
        self.gone = False
        self._events: queue.Queue = queue.Queue()
        self.fd, self._w = os.pipe()

    def capabilities(self) -> dict:
        return {ecodes.EV_KEY: [ecodes.KEY_A, ecodes.KEY_ENTER] if self._keys else [ecodes.KEY_VOLUMEUP]}

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def close(self) -> None:
        self.closed = True

    def type(self, text: str) -> None:
        for event in events_for_text(text, t0=time.time()):
            self._events.put(event)
        os.write(self._w, b"x")

    def read(self):
        if self.gone:
            raise OSError(19, "No such device")  # what evdev raises once the node is unplugged
        os.read(self.fd, 4096)
        while not self._events.empty():
            yield self._events.get()


@pytest.mark.usefixtures("own_devices")
def test_evdev_scanner_picks_by_name_or_vendor_grabs_and_reads(tmp_path: Path) -> None:
    nodes = {}
    for i, (name, vendor, keys) in enumerate(
        [
            ("AT Translated Set 2 keyboard", 0x0001, True),
            ("Newland NLS consumer", 0x1EAB, False),
            ("Newland NLS-FR40 scanner", 0x1EAB, True),
        ]
    ):
        path = tmp_path / f"event{i}"
        path.touch()
        nodes[str(path)] = PipeInputDevice(str(path), name, vendor, keys)

    for kwargs in ({"name": "newland"}, {"vendor_id": 0x1EAB}):
        scanner = EvdevScanner(**kwargs, list_devices=lambda: list(nodes), open_device=nodes.__getitem__)
        scanner.open()
        dev = nodes[str(tmp_path / "event2")]  # the typing node of the Newland, not its consumer-keys node
        assert dev.grabbed and not nodes[str(tmp_path / "event0")].grabbed
        assert scanner.status().state == DeviceState.OK
        dev.type(URL)
        assert scanner.read_codes(1.0) == [URL]
        assert scanner.read_codes(0.05) == []  # nothing typed: returns after the timeout
        scanner.close()
        assert not dev.grabbed and dev.closed
        dev.closed = False


@pytest.mark.usefixtures("own_devices")
def test_evdev_scanner_absent_and_unplugged(tmp_path: Path) -> None:
    path = tmp_path / "event0"
    path.touch()
    dev = PipeInputDevice(str(path), "Honeywell 1900", 0x0C2E)
    scanner = EvdevScanner(name="newland", list_devices=lambda: [str(path)], open_device=lambda p: dev)
    with pytest.raises(DeviceGone):
        scanner.open()
    scanner = EvdevScanner(name="honeywell", list_devices=lambda: [str(path)], open_device=lambda p: dev)
    scanner.open()
    dev.gone = True
    dev.type("x")
    with pytest.raises(DeviceGone):
        scanner.read_codes(1.0)
    path.unlink()
    with pytest.raises(DeviceGone):
        scanner.status()


def test_factory_reads_options(tmp_path: Path) -> None:
    s = open_from_config(DeviceSection(transport="evdev", options={"name": "Newland", "vendor_id": "1eab"}))
    assert isinstance(s, EvdevScanner) and s.vendor_id == 0x1EAB and s.name == "Newland"
    with pytest.raises(DriverError):
        open_from_config(DeviceSection(transport="evdev", options={"vendor_id": "zz"}))
    with pytest.raises(DriverError):
        open_from_config(DeviceSection(transport="evdev"))  # nothing to pick the device by
    simulated = open_from_config(DeviceSection(transport="simulator"), data_dir=tmp_path)
    # The simulator is the far end of the real evdev backend (it used to be a backend of its own).
    assert isinstance(simulated, EvdevScanner) and isinstance(simulated.simulator, ScannerSimulator)
    assert Path(simulated.simulator.path).parent == tmp_path / "simulator"
    with device_thread(simulated):
        simulated.dispose()


def test_simulated_scanner_on_a_runner_delivers_codes_and_survives_unplug(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    scanner = open_from_config(DeviceSection(transport="simulator"), data_dir=tmp_path)
    sim = scanner.simulator
    runner = DeviceRunner(scanner, StatusSink(store), poll_s=0.1, backoff_max_s=0.3)
    got: queue.Queue[str] = queue.Queue()
    scanner.subscribe(got.put)  # the runner watches the scanner whenever it is idle
    runner.start()
    try:
        sim.scan(URL)
        assert got.get(timeout=3) == URL
        sim.unplug()
        wait_until(lambda: runner.last_status is not None and not runner.last_status.usable, 3, "scanner offline")
        assert runner.last_status.faults == {FaultCode.DEVICE_OFFLINE}
        sim.replug()
        sim.scan("A-013")  # waits in the new node until the runner has reopened the scanner
        assert got.get(timeout=3) == "A-013"
        assert runner.last_status.state == DeviceState.OK
    finally:
        assert runner.stop(5)
        store.close()


def test_hand_built_events_through_the_simulated_wire_and_the_runner(tmp_path: Path) -> None:
    """Constructed key events, packed as the kernel packs them, read by the real transport and decoder."""
    store = Store(tmp_path / "kiosk.db")
    scanner = open_from_config(DeviceSection(transport="simulator", options={"terminator": "tab"}), data_dir=tmp_path)
    runner = DeviceRunner(scanner, StatusSink(store), poll_s=0.1)
    got: queue.Queue[str] = queue.Queue()
    scanner.subscribe(got.put)
    runner.start()
    try:
        wait_until(lambda: runner.last_status is not None and runner.last_status.usable, 3, "scanner open")
        k = ecodes
        events = [key(k.KEY_LEFTSHIFT, 1), key(k.KEY_K, 1), key(k.KEY_LEFTSHIFT, 0), key(k.KEY_1, 1)]
        scanner.simulator.send(events)
        scanner.simulator.send([key(k.KEY_ENTER, 1), key(k.KEY_TAB, 1)])  # Enter is no terminator here: skipped
        assert got.get(timeout=3) == "K1"
        assert scanner.simulator.grabbed_by is not None  # held exclusively while open
    finally:
        assert runner.stop(5)
        store.close()
    assert scanner.simulator is None  # disposed of with its runner
