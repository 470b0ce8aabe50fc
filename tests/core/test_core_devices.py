"""StatusSink: a device's status is stored and its faults raised and cleared in the real store."""

from pathlib import Path

from kiosk.devices import DeviceState, DeviceStatus, StatusSink
from kiosk.faults import FaultCode
from kiosk.store import Store


class Clock:
    def __init__(self) -> None:
        self.t = 1_700_000_000.0

    def __call__(self) -> float:
        return self.t


def status(state: DeviceState, *faults: FaultCode) -> DeviceStatus:
    return DeviceStatus("printer", state, frozenset(faults), {"paper": "x"}, 0.0)


def test_faults_follow_status_and_report_duration(tmp_path: Path) -> None:
    clock = Clock()
    store = Store(tmp_path / "k.db", clock=clock)
    sink = StatusSink(store)
    seen: list[DeviceStatus] = []
    sink.subscribe(seen.append)

    sink.report(status(DeviceState.DEGRADED, FaultCode.PAPER_NEAR_END))
    clock.t += 60
    sink.report(status(DeviceState.FAULT, FaultCode.PAPER_OUT))
    open_codes = {(f.code, f.device) for f in store.open_faults()}
    assert open_codes == {("paper_out", "printer")}
    assert store.device_statuses()["printer"].state == DeviceState.FAULT

    clock.t += 120
    sink.report(status(DeviceState.OK))
    assert store.open_faults() == []
    cleared = {f.code: f for f in store.faults_since(0)}
    assert cleared["paper_near_end"].cleared_at - cleared["paper_near_end"].raised_at == 60
    assert cleared["paper_out"].cleared_at - cleared["paper_out"].raised_at == 120
    assert cleared["paper_out"].severity == "major" and cleared["paper_near_end"].severity == "minor"
    assert [s.state for s in seen] == [DeviceState.DEGRADED, DeviceState.FAULT, DeviceState.OK]
    assert sink.last("printer") == seen[-1]
    store.close()


def test_first_report_clears_faults_left_open_by_an_earlier_run(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.raise_fault("cover_open", device="printer", severity="major")
    StatusSink(store).report(status(DeviceState.OK))
    assert store.open_faults() == []
    store.close()


def test_status_round_trips_through_dict() -> None:
    s = DeviceStatus("dispenser", DeviceState.ABSENT, frozenset({FaultCode.DEVICE_OFFLINE}), {"port": "/dev/x"}, 5.0)
    assert DeviceStatus.from_dict(s.to_dict()) == s
    assert not s.usable and status(DeviceState.DEGRADED).usable


def test_a_status_and_its_faults_are_written_in_one_transaction(tmp_path: Path) -> None:
    """A reader (the heartbeat, the doctor) never sees a device absent without its fault, or back with its fault
    still open: the status and the faults it raises or clears are one commit. (Written as two, a keypad test read
    the store between them and found the device absent with no fault, 2 runs in 4.)"""
    store = Store(tmp_path / "k.db")
    sink = StatusSink(store)
    sink.report(DeviceStatus("keypad", DeviceState.OK))
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    sink.report(DeviceStatus("keypad", DeviceState.ABSENT, frozenset({FaultCode.KEYPAD_OFFLINE})))
    assert statements.count("BEGIN IMMEDIATE") == 1 and statements.count("COMMIT") == 1
    assert store.device_statuses()["keypad"].state == DeviceState.ABSENT
    assert [(f.code, f.device) for f in store.open_faults()] == [("keypad_offline", "keypad")]
    statements.clear()
    sink.report(DeviceStatus("keypad", DeviceState.OK))
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert store.open_faults() == [] and store.device_statuses()["keypad"].state == DeviceState.OK
