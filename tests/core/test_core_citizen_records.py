"""A citizen record is one transaction: its reference number, its outbox row and (for a booking) its ledger entry
commit together or not at all. A failing insert is injected for real (an SQLite trigger added by another
connection, as another process could), then the next record must take the very number the failed one did."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest

from kiosk.appointments import CHINA_TZ, StoreBookingLedger
from kiosk.store import SUBMISSION_KINDS, Store, StoreError, StoreUnavailable
from kiosk.visit.flow import Step
from kiosk.visit.session import Session, SessionError
from tests.core.test_core_session import SETTINGS, THU_MORNING, Clock, catalog, reach

ID_NUMBER = "360426199101010071"
MONDAY_9 = datetime.combine(date(2026, 3, 9), time(9), CHINA_TZ)
THU = date(2026, 3, 5)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db, clock=lambda: THU_MORNING) as s:
        yield s


def break_inserts(db: Path, kind: str) -> None:
    """From a second connection (another process could do the same): every new ``kind`` row now fails."""
    conn = sqlite3.connect(db)
    conn.execute(
        f"CREATE TRIGGER fail_{kind} BEFORE INSERT ON outbox WHEN NEW.kind = '{kind}' "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    )
    conn.commit()
    conn.close()


def mend_inserts(db: Path, kind: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"DROP TRIGGER fail_{kind}")
    conn.commit()
    conn.close()


def session(store: Store) -> tuple[Session, Clock]:
    clock = Clock(THU_MORNING)
    return Session(catalog=catalog(), store=store, clock=clock, settings=SETTINGS, hall_online=lambda: True), clock


# ------------------------------------------------------------------------------------ through the session


def test_a_failed_submission_leaves_no_gap_in_reference_numbers(db: Path, store: Store) -> None:
    s, clock = session(store)
    reach(s, clock, Step.REVIEW)
    break_inserts(db, "submission")
    with pytest.raises(SessionError) as info:
        s.confirm()
    assert info.value.code == "out_of_service" and s.step == Step.OUT_OF_SERVICE
    mend_inserts(db, "submission")
    s.recover()
    reach(s, clock, Step.REVIEW)
    assert s.confirm() == "K01-260305-0001"  # the failed attempt's number was never used
    assert [e.payload["reference"] for e in store.pending(kinds=["submission"])] == ["K01-260305-0001"]


def test_a_failed_booking_counts_nothing_and_leaves_no_gap(db: Path, store: Store) -> None:
    s, clock = session(store)
    reach(s, clock, Step.APPOINTMENT)
    slot = s.appointment_slots()[0]
    break_inserts(db, "appointment")
    with pytest.raises(SessionError):
        s.book(slot)
    ledger = StoreBookingLedger(store)
    assert ledger.booked(slot.start) == 0  # the ledger did not count a booking that has no row
    mend_inserts(db, "appointment")
    s.recover()
    reach(s, clock, Step.APPOINTMENT)
    assert s.appointment_slots()[0] == slot  # same slot, same places left
    slip = s.book(slot)
    assert slip.reference == "K01-260305-0001"
    assert ledger.booked(slot.start) == 1 and ledger.has_booking(ID_NUMBER, slot.start.date())


def test_a_failed_offline_ticket_leaves_no_gap_in_ticket_numbers(db: Path, store: Store) -> None:
    clock = Clock(THU_MORNING)
    s = Session(catalog=catalog(), store=store, clock=clock, settings=SETTINGS, hall_online=lambda: False)
    s.start_ticket()
    break_inserts(db, "ticket")
    with pytest.raises(SessionError):
        s.take_ticket("police")
    mend_inserts(db, "ticket")
    s.recover()
    s.start_ticket()
    assert s.take_ticket("police").number == "B001"  # the first number of the day: no gap (issue 13: A023 form)


def test_session_keys_are_the_store_key_format(store: Store) -> None:
    s, clock = session(store)
    reach(s, clock, Step.SUBMITTED)
    [entry] = store.pending(kinds=["submission"])
    parsed = uuid.UUID(entry.key)
    assert (str(parsed), parsed.version) == (entry.key, 7)  # new_key: time-ordered


# --------------------------------------------------------------------------------------- on the store


def test_record_citizen_numbers_builds_and_writes_in_one_go(store: Store) -> None:
    seen: list[int | None] = []

    def build(n: int | None) -> dict:
        seen.append(n)
        return {"reference": f"R-{n:04d}", "名": "张三"}

    first = store.record_citizen("submission", build, personal=True, counter="reference:2026-03-05")
    second = store.record_citizen("submission", build, personal=True, counter="reference:2026-03-05")
    assert (first.number, second.number, seen) == (1, 2, [1, 2])
    assert not first.existing and first.entry == store.get(first.entry.key)
    assert store.get(second.entry.key).payload == {"reference": "R-0002", "名": "张三"}
    rating = store.record_citizen("rating", lambda n: {"n": n}, personal=False)
    assert rating.number is None and rating.entry.payload == {"n": None}


def test_a_failed_insert_rolls_the_counter_back(db: Path, store: Store) -> None:
    break_inserts(db, "submission")
    for _ in range(3):
        with pytest.raises(StoreError, match="injected failure"):
            store.record_citizen("submission", lambda n: {"n": n}, personal=True, counter="reference")
    mend_inserts(db, "submission")
    assert store.record_citizen("submission", lambda n: {"n": n}, personal=True, counter="reference").number == 1


def test_a_payload_that_cannot_be_stored_rolls_everything_back(store: Store) -> None:
    ledger = StoreBookingLedger(store)
    with pytest.raises(ValueError):
        store.record_citizen("appointment", lambda n: {"bad": float("nan")}, personal=True, counter="c",
                             booking=ledger.booking(ID_NUMBER, MONDAY_9, THU))
    with pytest.raises(TypeError):
        store.record_citizen("appointment", lambda n: ["not a dict"], personal=True, counter="c")  # type: ignore
    assert ledger.booked(MONDAY_9) == 0 and store.outbox_stats().depth == 0
    assert store.record_citizen("appointment", lambda n: {"n": n}, personal=True, counter="c").number == 1


def test_a_retried_key_returns_the_existing_entry_and_writes_nothing(store: Store) -> None:
    ledger = StoreBookingLedger(store)
    booking = ledger.booking(ID_NUMBER, MONDAY_9, THU)
    first = store.record_citizen("appointment", lambda n: {"n": n}, key="k-1", personal=True, counter="c",
                                 booking=booking)
    again = store.record_citizen("appointment", lambda n: {"n": n, "again": True}, key="k-1", personal=True,
                                 counter="c", booking=booking)
    assert again.existing and again.entry == first.entry and again.number is None
    assert ledger.booked(MONDAY_9) == 1  # counted once
    assert store.record_citizen("appointment", lambda n: {"n": n}, personal=True, counter="c").number == 2
    assert store.enqueue("appointment", {"other": 1}, key="k-1") == first.entry  # enqueue sees the same key


def test_only_citizen_kinds_are_recorded_this_way(store: Store) -> None:
    assert {"submission", "appointment", "ticket", "rating", "report"} == SUBMISSION_KINDS
    with pytest.raises(ValueError, match="heartbeat"):
        store.record_citizen("heartbeat", lambda n: {}, personal=False)


def test_disk_reserve_refuses_new_records_but_answers_retries(tmp_path: Path) -> None:
    free = [10**9]
    with Store(tmp_path / "k.db", min_free_bytes=10**6, disk_usage=lambda p: type("U", (), {"free": free[0]})(),
               disk_check_interval_s=0) as store:
        taken = store.record_citizen("submission", lambda n: {"n": n}, key="k", personal=True, counter="c")
        free[0] = 10
        with pytest.raises(StoreUnavailable, match="disk nearly full"):
            store.record_citizen("submission", lambda n: {"n": n}, personal=True, counter="c")
        assert store.record_citizen("submission", lambda n: {"n": n}, key="k", personal=True).entry == taken.entry
        free[0] = 10**9
        assert store.record_citizen("submission", lambda n: {"n": n}, personal=True, counter="c").number == 2


def test_the_booking_and_its_row_are_one_fsync(db: Path, store: Store) -> None:
    """Counted in SQLite's own terms: one write transaction adds one commit to the WAL."""
    ledger = StoreBookingLedger(store)
    ledger.has_booking(ID_NUMBER, MONDAY_9.date())  # makes the pseudonym key first, as the slot list does
    before = commits(db)
    store.record_citizen("appointment", lambda n: {"n": n}, personal=True, counter="reference",
                         booking=ledger.booking(ID_NUMBER, MONDAY_9, THU))
    assert commits(db) == before + 1


def commits(db: Path) -> int:
    """Commit frames in the WAL so far (a commit frame has a non-zero 'database size' field)."""
    data = Path(f"{db}-wal").read_bytes()
    page = int.from_bytes(data[8:12], "big")
    count = 0
    for offset in range(32, len(data) - 24, 24 + page):
        if int.from_bytes(data[offset + 4 : offset + 8], "big"):
            count += 1
    return count
