"""Appointment slots (预约) and hall opening hours.

Rules (from published hall booking rules): slots of ``slot_minutes`` inside the appointment hours, on working
days only (Mon–Fri by default, minus holidays), at least ``lead_hours`` ahead, at most ``days_ahead`` working
days ahead, ``per_slot`` bookings per slot on this kiosk, and one booking per person per day.

The kiosk cannot ask the hall synchronously, so capacity and the one-per-day rule are kept in a small
:class:`StoreBookingLedger` in the store's settings; people are recorded there only as keyed pseudonyms
(HMAC of the ID number with a per-kiosk random key), never as ID numbers. A booking is counted by the store in
the same transaction as the appointment's outbox row (:class:`LedgerBooking`, ``Store.record_citizen``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol

from kiosk.shared_settings import BOOKING_LEDGER, BOOKING_SECRET

CHINA_TZ = timezone(timedelta(hours=8), "CST")  # China keeps UTC+8 all year (no DST)
WORKDAYS = frozenset({1, 2, 3, 4, 5})  # ISO weekday numbers


def parse_hhmm(value: str) -> time:
    """ "09:30" as a time; ValueError otherwise."""
    hh, _, mm = value.partition(":")
    if not (hh.isdigit() and mm.isdigit() and len(hh) == 2 and len(mm) == 2):
        raise ValueError(f"expected HH:MM, got {value!r}")
    return time(int(hh), int(mm))


@dataclass(frozen=True)
class HallHours:
    """When the hall (or its appointment windows) is open: one daily period on working days."""

    open: time = time(9, 0)
    close: time = time(17, 0)
    weekdays: frozenset[int] = WORKDAYS  # ISO weekday numbers
    holidays: frozenset[date] = frozenset()
    tz: timezone = CHINA_TZ

    def __post_init__(self) -> None:
        if self.close <= self.open:
            raise ValueError(f"closing time {self.close} must be after opening time {self.open}")

    @classmethod
    def from_strings(
        cls, open: str, close: str, weekdays: Iterable[int] = WORKDAYS, holidays: Iterable[str] = ()
    ) -> HallHours:
        """Build from config strings ("09:00", "17:00", ISO weekdays, "YYYY-MM-DD" holidays)."""
        return cls(
            open=parse_hhmm(open),
            close=parse_hhmm(close),
            weekdays=frozenset(weekdays),
            holidays=frozenset(date.fromisoformat(d) for d in holidays),
        )

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (a listed weekday that is no holiday)."""
        return day.isoweekday() in self.weekdays and day not in self.holidays


@dataclass(frozen=True)
class BookingRules:
    """How appointments are handed out, and until when one can be cancelled (``cancel_hours`` before it)."""

    slot_minutes: int = 60
    lead_hours: float = 24.0
    days_ahead: int = 5  # working days
    per_slot: int = 4
    cancel_hours: float = 2.0

    def __post_init__(self) -> None:
        if self.slot_minutes <= 0 or self.per_slot <= 0 or self.days_ahead <= 0 or self.lead_hours < 0:
            raise ValueError("slot_minutes, per_slot and days_ahead must be positive, lead_hours not negative")
        if self.cancel_hours < 0:
            raise ValueError("cancel_hours must not be negative")


@dataclass(frozen=True)
class Slot:
    """One appointment time slot and how many bookings it can still take."""

    start: datetime
    end: datetime
    remaining: int

    @property
    def key(self) -> str:
        """A stable id for the slot (its start, ISO format)."""
        return self.start.isoformat()


def hall_open(now: datetime, hours: HallHours) -> bool:
    """Whether the hall's windows are open at ``now`` (queue tickets are issued only then)."""
    local = now.astimezone(hours.tz)
    return hours.is_working_day(local.date()) and hours.open <= local.time() < hours.close


def next_opening(now: datetime, hours: HallHours, max_days: int = 60) -> datetime | None:
    """When the hall next opens at or after ``now`` (None if not within ``max_days``)."""
    local = now.astimezone(hours.tz)
    if hall_open(local, hours):
        return local
    for offset in range(max_days + 1):
        day = local.date() + timedelta(days=offset)
        start = datetime.combine(day, hours.open, hours.tz)
        if hours.is_working_day(day) and start >= local:
            return start
    return None


@dataclass(frozen=True)
class KeptBooking:
    """A booking made at this kiosk, kept so its holder can cancel it here (``department``: a catalog key)."""

    reference: str
    start: datetime
    end: datetime
    department: str


def can_cancel(booking: KeptBooking, now: datetime, rules: BookingRules) -> bool:
    """Whether ``booking`` may still be cancelled at ``now`` (at least ``cancel_hours`` before it starts)."""
    return booking.start - now >= timedelta(hours=rules.cancel_hours)


class BookingLookup(Protocol):
    """Where bookings are counted: per slot (capacity) and per person and day (one booking a day)."""

    def booked(self, slot_start: datetime) -> int: ...
    def has_booking(self, id_number: str, day: date) -> bool: ...


@dataclass(frozen=True)
class LedgerBooking:
    """One booking to count, as a change of the ledger setting: the store applies it in the transaction that
    writes the appointment's row (see :class:`kiosk.store.SettingChange`). Days before ``today`` are pruned.
    With ``department`` (and ``end``) the booking is also kept under the row's reference, so its holder can
    cancel it at this kiosk."""

    setting_key: str
    person: str = field(repr=False)  # the pseudonym, never the ID number
    slot_start: datetime
    today: date
    end: datetime | None = None
    department: str = ""

    def apply(self, value: Any, payload: dict[str, Any]) -> dict[str, Any]:
        """The ledger (``{day: {"slots": {"HH:MM": n}, "people": [pseudonym, ...], "kept": {reference: ...}}}``)
        with this booking; ``payload`` is the appointment row's (its ``reference`` names the kept booking)."""
        days = {d: v for d, v in dict(value or {}).items() if d >= self.today.isoformat()}
        day = self.slot_start.date().isoformat()
        old = days.get(day, {})
        slots, people = dict(old.get("slots", {})), list(old.get("people", []))
        hhmm = self.slot_start.strftime("%H:%M")
        slots[hhmm] = int(slots.get(hhmm, 0)) + 1
        entry: dict[str, Any] = {**old, "slots": slots, "people": [*people, self.person]}
        if self.department and self.end is not None:
            kept = dict(old.get("kept", {}))
            kept[str(payload["reference"])] = {
                "who": self.person, "start": hhmm, "end": self.end.strftime("%H:%M"), "department": self.department,
            }  # fmt: skip
            entry["kept"] = kept
        days[day] = entry
        return days


@dataclass(frozen=True)
class LedgerCancel:
    """Withdrawing a kept booking, applied in the transaction that writes the cancellation's row: its place and
    the holder's day are free again."""

    setting_key: str
    person: str = field(repr=False)
    reference: str

    def apply(self, value: Any, payload: dict[str, Any]) -> dict[str, Any]:
        """The ledger without the booking ``reference`` (unchanged when it is not the person's)."""
        days = {d: dict(v) for d, v in dict(value or {}).items()}
        for entry in days.values():
            kept = dict(entry.get("kept", {}))
            booking = kept.get(self.reference)
            if booking is None or booking.get("who") != self.person:
                continue
            del kept[self.reference]
            slots = dict(entry.get("slots", {}))
            slots[booking["start"]] = max(0, int(slots.get(booking["start"], 0)) - 1)
            people = list(entry.get("people", []))
            if self.person in people:
                people.remove(self.person)
            entry.update(kept=kept, slots=slots, people=people)
            break
        return days


class BookingLedger(BookingLookup, Protocol):
    """A lookup whose bookings (and cancellations) the store records with their rows, in one transaction."""

    def booking(
        self, id_number: str, slot_start: datetime, today: date, *, end: datetime | None = None, department: str = ""
    ) -> LedgerBooking: ...
    def kept_for(self, id_number: str, today: date) -> list[KeptBooking]: ...
    def cancellation(self, id_number: str, reference: str) -> LedgerCancel: ...


def _booking_days(today: date, hours: HallHours, days_ahead: int) -> list[date]:
    """The next ``days_ahead`` working days after ``today``."""
    days: list[date] = []
    day = today
    while len(days) < days_ahead:
        day += timedelta(days=1)
        if hours.is_working_day(day):
            days.append(day)
        if (day - today).days > 366:  # a misconfigured calendar with no working day at all
            break
    return days


def generate_slots(now: datetime, hours: HallHours, rules: BookingRules, lookup: BookingLookup) -> list[Slot]:
    """Every bookable slot, in time order; full slots are included with ``remaining`` 0."""
    local = now.astimezone(hours.tz)
    earliest = local + timedelta(hours=rules.lead_hours)
    step = timedelta(minutes=rules.slot_minutes)
    slots: list[Slot] = []
    for day in _booking_days(local.date(), hours, rules.days_ahead):
        start = datetime.combine(day, hours.open, hours.tz)
        close = datetime.combine(day, hours.close, hours.tz)
        while start + step <= close:
            if start >= earliest:
                remaining = max(0, rules.per_slot - lookup.booked(start))
                slots.append(Slot(start=start, end=start + step, remaining=remaining))
            start += step
    return slots


@dataclass
class MemoryBookingLedger:
    """Bookings kept in memory only (slot generation without a store, e.g. planning tools and tests); same
    rules as the store ledger."""

    _slots: dict[datetime, int] = field(default_factory=dict)
    _people: set[tuple[str, date]] = field(default_factory=set, repr=False)

    def booked(self, slot_start: datetime) -> int:
        """How many bookings were recorded for the slot starting at ``slot_start``."""
        return self._slots.get(slot_start, 0)

    def has_booking(self, id_number: str, day: date) -> bool:
        """Whether the person already booked a slot on ``day``."""
        return (id_number, day) in self._people

    def record(self, id_number: str, slot_start: datetime, today: date) -> None:
        """Count a booking for the slot and the person's day."""
        self._slots[slot_start] = self.booked(slot_start) + 1
        self._people.add((id_number, slot_start.date()))


class SettingsStore(Protocol):
    """The part of the store the ledger uses."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass
class StoreBookingLedger:
    """Bookings made on this kiosk, kept in the store's settings (slot counts + pseudonymous people per day).

    Reads here; a booking is written by the store with its appointment row (:meth:`booking` makes the entry).
    Days before ``today`` are pruned whenever a booking is recorded.
    """

    store: SettingsStore
    setting_key: str = BOOKING_LEDGER.key
    secret_key: str = BOOKING_SECRET.key
    _secret: bytes | None = field(default=None, repr=False)

    def _pseudonym(self, id_number: str) -> str:
        if self._secret is None:
            stored = self.store.get_setting(self.secret_key)
            if not stored:
                stored = secrets.token_hex(32)
                self.store.set_setting(self.secret_key, stored)
            self._secret = bytes.fromhex(stored)
        return hmac.new(self._secret, id_number.encode(), hashlib.sha256).hexdigest()[:32]

    def _days(self) -> dict[str, Any]:
        return dict(self.store.get_setting(self.setting_key, {}) or {})

    def booked(self, slot_start: datetime) -> int:
        """How many bookings this kiosk made for the slot starting at ``slot_start``."""
        day = self._days().get(slot_start.date().isoformat(), {})
        return int(day.get("slots", {}).get(slot_start.strftime("%H:%M"), 0))

    def has_booking(self, id_number: str, day: date) -> bool:
        """Whether the person already booked a slot on ``day`` at this kiosk."""
        people = self._days().get(day.isoformat(), {}).get("people", [])
        return self._pseudonym(id_number) in people

    def booking(
        self, id_number: str, slot_start: datetime, today: date, *, end: datetime | None = None, department: str = ""
    ) -> LedgerBooking:
        """The ledger entry of the person's booking of the slot, for ``Store.record_citizen(booking=...)``; with
        ``department`` it is kept for cancelling here."""
        return LedgerBooking(self.setting_key, self._pseudonym(id_number), slot_start, today, end, department)

    def kept_for(self, id_number: str, today: date) -> list[KeptBooking]:
        """The holder's bookings made here, from ``today`` on, in time order."""
        who = self._pseudonym(id_number)
        out: list[KeptBooking] = []
        for day, entry in sorted(self._days().items()):
            if day < today.isoformat():
                continue
            for reference, kept in entry.get("kept", {}).items():
                if kept.get("who") == who:
                    out.append(_kept_booking(day, reference, kept))
        return sorted(out, key=lambda b: b.start)

    def cancellation(self, id_number: str, reference: str) -> LedgerCancel:
        """The ledger change withdrawing the holder's booking ``reference``, for ``record_citizen``."""
        return LedgerCancel(self.setting_key, self._pseudonym(id_number), reference)


def _kept_booking(day: str, reference: str, kept: dict[str, Any]) -> KeptBooking:
    d = date.fromisoformat(day)
    return KeptBooking(
        reference=reference, start=datetime.combine(d, parse_hhmm(kept["start"]), CHINA_TZ),
        end=datetime.combine(d, parse_hhmm(kept["end"]), CHINA_TZ), department=str(kept.get("department", "")),
    )
