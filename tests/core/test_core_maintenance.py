"""The technician's side without Qt: PIN hashing, the persistent lockout, the daily inspection, the counters and
what the hall is told, on a real store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import maintenance as m
from kiosk.appointments import CHINA_TZ
from kiosk.maintenance import (
    GATE_SETTING,
    INSPECTION_ITEMS,
    InspectionChecklist,
    InspectionError,
    MaintenanceSession,
    PinGate,
    PrintCounters,
    hash_pin,
    verify_pin,
)
from kiosk.shared_settings import MAINTENANCE_SETTING
from kiosk.store import Store
from kiosk.store.models import StoreUnavailable

PIN = "246810"
T0 = datetime(2026, 11, 25, 8, 30, tzinfo=CHINA_TZ).timestamp()


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db", clock=clock)
    yield s
    s.close()


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin(PIN, iterations=1000)


def events(store: Store, kind: str = "event") -> list[dict]:
    return [e.payload for e in store.pending(kinds=[kind])]


def test_hash_is_the_documented_pbkdf2_form_and_verifies(stored: str) -> None:
    salt = bytes(range(16))
    assert hash_pin(PIN, iterations=7, salt=salt) == (
        f"pbkdf2_sha256$7${salt.hex()}${hashlib.pbkdf2_hmac('sha256', PIN.encode(), salt, 7).hex()}"
    )
    scheme, iterations, salt_hex, key_hex = stored.split("$")
    assert (scheme, iterations, len(bytes.fromhex(salt_hex)), len(bytes.fromhex(key_hex))) == (
        "pbkdf2_sha256", "1000", 16, 32,
    )  # fmt: skip
    assert hash_pin(PIN, iterations=1000) != stored  # a fresh salt each time
    assert verify_pin(PIN, stored)
    for wrong in ("246811", "", "2468100", " 246810"):
        assert not verify_pin(wrong, stored)
    good = stored.split("$")
    for bad in ("", "md5$1$00$00", "pbkdf2_sha256$0$" + good[2] + "$" + good[3], "pbkdf2_sha256$x$00$00",
                "pbkdf2_sha256$1000$zz$" + good[3], "pbkdf2_sha256$1000$$" + good[3], stored + "$extra"):  # fmt: skip
        assert not verify_pin(PIN, bad), bad
        assert not m.pin_hash_usable(bad)


def test_verify_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch, stored: str) -> None:
    seen: list[tuple[bytes, bytes]] = []
    real = m.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(m.hmac, "compare_digest", spy)
    assert verify_pin(PIN, stored) and not verify_pin("135790", stored)
    assert len(seen) == 2 and all(len(a) == len(b) == 32 for a, b in seen)


def test_five_wrong_pins_lock_for_lockout_s_then_it_opens_again(store: Store, clock: Clock, stored: str) -> None:
    gate = PinGate(stored, store, clock, lockout_after=5, lockout_s=300)
    assert gate.enabled and gate.tries_left() == 5 and gate.locked_for() == 0
    for left in (4, 3, 2, 1):
        assert gate.attempt("111111") == m.PinAttempt(False, left)
    locked = gate.attempt("111111")
    assert not locked.ok and locked.locked_s == 300
    clock.now += 120
    during = gate.attempt(PIN)  # even the right PIN is not looked at during the lock
    assert not during.ok and during.locked_s == pytest.approx(180)
    assert gate.locked_for() == pytest.approx(180)
    [event] = events(store)
    assert event["event"] == "maintenance_pin_locked" and event["failures"] == 5 and event["locked_s"] == 300
    clock.now += 181
    assert gate.locked_for() == 0 and gate.tries_left() == 5
    assert gate.attempt("222222") == m.PinAttempt(False, 4)  # a fresh series after the lock
    assert gate.attempt(PIN).ok
    assert gate.tries_left() == 5  # the right PIN clears the count
    assert store.get_setting(GATE_SETTING) == {"failures": 0, "locked_until": 0.0}


def test_the_count_survives_a_restart_of_the_shell(tmp_path: Path, clock: Clock, stored: str) -> None:
    path = tmp_path / "kiosk.db"
    with Store(path, clock=clock) as first:
        gate = PinGate(stored, first, clock)
        for _ in range(3):
            gate.attempt("000000")
    with Store(path, clock=clock) as second:  # the shell restarted
        gate = PinGate(stored, second, clock)
        assert gate.tries_left() == 2
        gate.attempt("000000")
        assert gate.attempt("000000").locked_s == 300
    with Store(path, clock=clock) as third:
        assert PinGate(stored, third, clock).attempt(PIN).locked_s == 300


def test_a_clock_set_back_does_not_stretch_the_lock(store: Store, clock: Clock, stored: str) -> None:
    gate = PinGate(stored, store, clock, lockout_after=2, lockout_s=60)
    gate.attempt("1")
    assert gate.attempt("1").locked_s == 60
    clock.now -= 3600  # NTP corrected a clock that ran an hour ahead
    assert gate.locked_for() == 60
    clock.now += 61
    assert gate.attempt(PIN).ok


def test_a_store_that_cannot_write_still_counts(tmp_path: Path, clock: Clock, stored: str) -> None:
    class FullStore(Store):
        def set_setting(self, key: str, value: object) -> None:
            raise StoreUnavailable("disk full")

        def enqueue(self, *args: object, **kwargs: object) -> object:
            raise StoreUnavailable("disk full")

    with FullStore(tmp_path / "full.db", clock=clock) as full:
        gate = PinGate(stored, full, clock, lockout_after=3)
        gate.attempt("9")
        gate.attempt("9")
        assert gate.tries_left() == 1
        assert gate.attempt("9").locked_s == 300
        assert gate.attempt(PIN).locked_s > 0


def test_no_pin_set_opens_nothing(store: Store, clock: Clock) -> None:
    gate = PinGate("", store, clock)
    assert not gate.enabled
    assert not gate.attempt("").ok and not gate.attempt(PIN).ok


def test_checklist_needs_every_item_and_a_note_for_each_problem() -> None:
    checklist = InspectionChecklist()
    ids = [i.id for i in INSPECTION_ITEMS]
    assert len(ids) == len(set(ids)) >= 8
    for needed in ("screen_touch", "card_readers", "printer", "dispenser", "network", "cleanliness", "notices",
                   "camera_surroundings"):  # fmt: skip
        assert needed in ids
    assert all(i.label.zh and i.label.en for i in INSPECTION_ITEMS)
    assert checklist.missing() == ids
    for item_id in ids:
        checklist.mark(item_id, True)
    checklist.mark("printer", False)
    assert checklist.missing() == ["printer"]
    with pytest.raises(InspectionError) as exc:
        checklist.result(kiosk_id="K1", inspector="wang", at=T0)
    assert exc.value.missing == ("printer",)
    checklist.set_note("printer", "  print   faint,  head dirty ")
    with pytest.raises(InspectionError):
        checklist.result(kiosk_id="K1", inspector="  ", at=T0)
    with pytest.raises(KeyError):
        checklist.mark("coffee", True)
    result = checklist.result(kiosk_id="K1", inspector="Wang Li", at=T0)
    assert result["ok"] is False and result["failed"] == ["printer"]
    assert result["day"] == "2026-11-25" and result["inspector"] == "Wang Li" and result["kiosk_id"] == "K1"
    assert [i["id"] for i in result["items"]] == ids
    assert result["items"][ids.index("printer")] == {"id": "printer", "ok": False, "note": "print faint, head dirty"}
    json.dumps(result)  # goes through the outbox as JSON


def test_a_maintenance_visit_is_told_to_the_hall_without_the_pin(store: Store, clock: Clock) -> None:
    session = MaintenanceSession(store, kiosk_id="K1", clock=clock)
    counters = PrintCounters(store, clock)
    counters.count("printer")
    counters.count("printer", 2)
    assert counters.get("printer") == m.Counter(3, T0)
    session.enter()
    assert session.active and store.get_setting(MAINTENANCE_SETTING)["on"] is True
    clock.now += 60
    session.record_self_test("printer", True, [("status", True, "ok []")])
    old = session.reset_counter(counters, "printer")
    assert old.count == 3 and counters.get("printer") == m.Counter(0, T0 + 60)
    checklist = InspectionChecklist()
    for item in INSPECTION_ITEMS:
        checklist.mark(item.id, True)
    key = session.submit_inspection(checklist, "Wang Li")
    clock.now += 240
    session.leave("timeout")
    assert not session.active and store.get_setting(MAINTENANCE_SETTING)["on"] is False

    kinds = [e["event"] for e in events(store)]
    assert kinds == ["maintenance_entered", "self_test", "counter_reset", "maintenance_left"]
    entered, test, reset, left = events(store)
    assert entered["at"] == T0 and entered["by"] == "technician" and entered["kiosk_id"] == "K1"
    assert test["device"] == "printer" and test["ok"] is True and test["steps"][0]["step"] == "status"
    assert reset["count"] == 3 and reset["device"] == "printer"
    assert left["reason"] == "timeout" and left["duration_s"] == 300 and left["inspector"] == "Wang Li"
    assert left["inspections"] == [key] and left["counters_reset"] == ["printer"]
    [inspection] = store.pending(kinds=["inspection"])
    assert inspection.key == key and inspection.payload["ok"] is True and not inspection.personal
    everything = json.dumps([e.payload for e in store.pending(limit=1000)])
    assert PIN not in everything and "pbkdf2" not in everything


def test_a_hall_set_maintenance_mode_is_left_to_the_hall(store: Store, clock: Clock) -> None:
    hall = {"on": True, "by": "hall-operator", "since": T0 - 100, "reason": "repair"}
    store.set_setting(MAINTENANCE_SETTING, hall)
    session = MaintenanceSession(store, kiosk_id="K1", clock=clock)
    session.enter()
    session.leave()
    assert store.get_setting(MAINTENANCE_SETTING) == hall
    assert session.leave() is None  # leaving twice tells the hall once
    assert [e["event"] for e in events(store)] == ["maintenance_entered", "maintenance_left"]


def test_locks_grow_and_a_day_looks_at_no_more_than_the_cap(store: Store, clock: Clock, stored: str) -> None:
    """Review: the lock reset after each window, so 5 guesses every 5 minutes made 1,440 a day."""
    gate = PinGate(stored, store, clock, lockout_after=5, lockout_s=300, max_failures_per_day=20)
    looked_at, locks = 0, []
    start = clock.now
    while clock.now < start + 86_400 - 1:
        if gate.locked_for() > 0:  # the guesser comes back the moment the gate opens
            clock.now += gate.locked_for() + 1
            continue
        looked_at += 1
        result = gate.attempt("000000")
        if result.locked_s:
            locks.append(round(result.locked_s))
        clock.now += 1
    assert looked_at == 20  # the day's cap, not 1,440
    assert locks[:3] == [300, 600, 1200]  # each lock twice as long as the one before
    assert locks[-1] > 80_000  # the 20th wrong PIN shuts the gate for the rest of the 24 hours
    assert [e["failures"] for e in events(store)] == [5, 5, 5, 5]
    assert gate.attempt(PIN).ok  # a new day: the right PIN opens it and resets everything
    assert store.get_setting(GATE_SETTING) == {"failures": 0, "locked_until": 0.0}
    assert gate.attempt("1") == m.PinAttempt(False, 4)
