"""Cancelling an appointment at the kiosk: the booking is withdrawn, the hall hears of it, the place is free."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.visit.session import SessionError, Step

from .test_core_session import ID_NUMBER, make, reach, store  # noqa: F401  (fixtures)


def test_a_booking_made_here_can_be_cancelled_and_the_hall_is_told(make, store) -> None:  # noqa: F811
    s, clock, _ = make()
    reach(s, clock, Step.APPOINTMENT)
    slot = s.appointment_slots()[0]
    left = slot.remaining
    slip = s.book(slot)
    s.more()
    s.start_bookings()
    [booking] = s.view().bookings
    assert (booking.reference, booking.start, booking.department) == (slip.reference, slot.start, "civil")
    s.withdraw_booking(booking.reference)
    assert s.step == Step.BOOKING_CANCELLED and s.view().withdrawn == booking
    rows = store.pending(kinds=["appointment"])
    assert [r.payload.get("action") for r in rows] == [None, "cancel"]  # the booking, then its withdrawal
    cancel = rows[1]
    assert cancel.personal and cancel.payload["reference"] == slip.reference
    assert cancel.payload["id_number"] == ID_NUMBER and cancel.payload["slot_start"] == slot.start.isoformat()
    s.more()
    s.start_appointment("civil")
    again = next(x for x in s.appointment_slots() if x.start == slot.start)
    assert again.remaining == left  # the place is free, and the citizen may book that day again


def test_too_late_to_cancel_here(make) -> None:  # noqa: F811
    s, clock, _ = make()
    reach(s, clock, Step.APPOINTMENT)
    slot = s.appointment_slots()[0]
    s.book(slot)
    s.more()
    s.start_bookings()
    clock.t = (slot.start - timedelta(hours=1, minutes=59)).timestamp()
    with pytest.raises(SessionError) as info:
        s.withdraw_booking(s.view().bookings[0].reference)
    assert info.value.code == "too_late" and s.step == Step.BOOKINGS
    assert "2" in s.view().message.zh


def test_someone_elses_booking_is_not_listed(make) -> None:  # noqa: F811
    s, clock, _ = make()
    reach(s, clock, Step.APPOINTMENT)
    reference = s.book(s.appointment_slots()[0]).reference
    s.finish()
    s.card_removed()
    s.tick(clock.t + 60)
    s.start()
    s.identify_typed("11010519491231002X")
    s.start_bookings()
    assert s.view().bookings == ()
    with pytest.raises(SessionError):
        s.withdraw_booking(reference)
