"""Appointment slots, hall hours and the booking ledger kept in the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from kiosk.appointments import (
    CHINA_TZ,
    BookingRules,
    HallHours,
    MemoryBookingLedger,
    Slot,
    StoreBookingLedger,
    generate_slots,
    hall_open,
    next_opening,
    parse_hhmm,
)
from kiosk.store import Store

HOURS = HallHours()  # 09:00-17:00, Mon-Fri
THU = date(2026, 3, 5)  # a Thursday


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), CHINA_TZ)


class Counts:
    """An in-memory ledger."""

    def __init__(self, booked: dict[datetime, int] | None = None, people: set[tuple[str, date]] | None = None):
        self._booked = booked or {}
        self._people = people or set()

    def booked(self, slot_start: datetime) -> int:
        return self._booked.get(slot_start, 0)

    def has_booking(self, id_number: str, day: date) -> bool:
        return (id_number, day) in self._people

    def record(self, id_number: str, slot_start: datetime, today: date) -> None:
        self._booked[slot_start] = self.booked(slot_start) + 1
        self._people.add((id_number, slot_start.date()))


@pytest.mark.parametrize(
    ("when", "open_"),
    [(at(THU, 9), True), (at(THU, 8, 59), False), (at(THU, 16, 59), True), (at(THU, 17), False),
     (at(date(2026, 3, 7), 10), False), (at(date(2026, 3, 8), 10), False)],
)
def test_hall_open(when: datetime, open_: bool) -> None:
    assert hall_open(when, HOURS) == open_


def test_hall_open_converts_time_zones_and_honours_holidays() -> None:
    assert hall_open(datetime(2026, 3, 5, 2, 0, tzinfo=UTC), HOURS)  # 10:00 in China
    assert not hall_open(datetime(2026, 3, 5, 12, 0, tzinfo=UTC), HOURS)  # 20:00 in China
    assert not hall_open(at(THU, 10), HallHours(holidays=frozenset({THU})))


def test_next_opening() -> None:
    assert next_opening(at(THU, 10), HOURS) == at(THU, 10)  # open now
    assert next_opening(at(THU, 7), HOURS) == at(THU, 9)
    assert next_opening(at(date(2026, 3, 6), 21), HOURS) == at(date(2026, 3, 9), 9)  # Friday night -> Monday
    assert next_opening(at(THU, 10), HallHours(weekdays=frozenset()), max_days=10) is None


def test_night_slots_skip_the_lead_time_and_weekend() -> None:
    slots = generate_slots(at(THU, 21), HOURS, BookingRules(), Counts())
    days = sorted({s.start.date() for s in slots})
    # Friday is less than 24 h away for every slot; 5 working days ahead ends on the next Thursday.
    assert days == [date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12)]
    assert len(slots) == 4 * 8
    assert slots[0] == Slot(at(date(2026, 3, 9), 9), at(date(2026, 3, 9), 10), 4)
    assert slots[-1].end == at(date(2026, 3, 12), 17)
    assert slots == sorted(slots, key=lambda s: s.start)


def test_lead_time_boundary_is_inclusive() -> None:
    slots = generate_slots(at(THU, 10), HOURS, BookingRules(), Counts())
    friday = [s.start.time() for s in slots if s.start.date() == date(2026, 3, 6)]
    assert friday == [time(h) for h in range(10, 17)]
    assert len(slots) == 7 + 4 * 8


def test_holidays_are_skipped_and_not_counted() -> None:
    hours = HallHours(holidays=frozenset({date(2026, 3, 9)}))
    days = sorted({s.start.date() for s in generate_slots(at(THU, 21), hours, BookingRules(), Counts())})
    assert days == [date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 13)]


def test_slot_length_fits_inside_hours() -> None:
    slots = generate_slots(at(THU, 21), HOURS, BookingRules(slot_minutes=45, days_ahead=2), Counts())
    monday = [s for s in slots if s.start.date() == date(2026, 3, 9)]
    assert len(monday) == 10 and monday[-1].end == at(date(2026, 3, 9), 16, 30)
    assert all(s.end - s.start == timedelta(minutes=45) for s in slots)


def test_capacity_per_slot() -> None:
    full = at(date(2026, 3, 9), 9)
    counts = Counts({full: 2, full + timedelta(hours=1): 1})
    slots = generate_slots(at(THU, 21), HOURS, BookingRules(per_slot=2), counts)
    assert [s.remaining for s in slots[:3]] == [0, 1, 2]


def test_bad_rules_and_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        HallHours(open=time(17), close=time(9))
    with pytest.raises(ValueError):
        BookingRules(slot_minutes=0)
    with pytest.raises(ValueError):
        parse_hhmm("9:00")
    hours = HallHours.from_strings("08:30", "12:00", (1, 2, 3), ("2026-03-04",))
    assert hours.open == time(8, 30) and hours.weekdays == {1, 2, 3} and not hours.is_working_day(date(2026, 3, 4))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db", clock=lambda: 1_772_700_000.0)
    yield s
    s.close()


def book(store: Store, ledger: StoreBookingLedger, id_number: str, slot: datetime, today: date) -> None:
    """What a session's booking does: the appointment row and the ledger entry, in one store call."""
    store.record_citizen("appointment", lambda n: {"reference": n}, personal=True, counter="reference",
                         booking=ledger.booking(id_number, slot, today))


def test_store_ledger_counts_and_one_booking_per_person_per_day(store: Store) -> None:
    ledger = StoreBookingLedger(store)
    slot = at(date(2026, 3, 9), 9)
    book(store, ledger, "360426199101010071", slot, THU)
    book(store, ledger, "11010519491231002X", slot, THU)
    assert ledger.booked(slot) == 2
    assert ledger.booked(slot + timedelta(hours=1)) == 0
    assert ledger.has_booking("360426199101010071", date(2026, 3, 9))
    assert not ledger.has_booking("360426199101010071", date(2026, 3, 10))
    # A second ledger on the same store (the next visit) sees the same bookings.
    assert StoreBookingLedger(store).has_booking("11010519491231002X", date(2026, 3, 9))


def test_store_ledger_keeps_no_id_numbers_and_prunes_past_days(store: Store) -> None:
    ledger = StoreBookingLedger(store)
    book(store, ledger, "360426199101010071", at(date(2026, 3, 2), 9), date(2026, 2, 27))
    book(store, ledger, "360426199101010071", at(date(2026, 3, 9), 9), THU)  # recorded on THU: 2 March is past
    saved = json.dumps(store.get_setting("appointments.ledger"), ensure_ascii=False)
    assert "360426199101010071" not in saved and "2026-03-02" not in saved
    assert list(store.get_setting("appointments.ledger")) == ["2026-03-09"]


def test_memory_ledger_follows_the_same_rules() -> None:
    ledger = MemoryBookingLedger()
    slot = at(date(2026, 3, 9), 9)
    ledger.record("360426199101010071", slot, THU)
    assert ledger.booked(slot) == 1 and ledger.booked(slot + timedelta(hours=1)) == 0
    assert ledger.has_booking("360426199101010071", date(2026, 3, 9))
    assert not ledger.has_booking("360426199101010071", date(2026, 3, 10))
    assert "360426199101010071" not in repr(ledger)
    slots = generate_slots(at(THU, 21), HOURS, BookingRules(per_slot=1), ledger)
    assert slots[0].start == slot and slots[0].remaining == 0
