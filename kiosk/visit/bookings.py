"""Cancelling an appointment at the kiosk: the citizen's bookings made here, and withdrawing one.

The slip says "cancel at least 2 hours before" (``BookingRules.cancel_hours``); this is where that is done.
Only bookings made at this kiosk are known here (the ledger keeps them, the holder as a pseudonym); the screen
says so and names the hotline for the rest. A cancellation is a citizen record like the booking: an outbox row
of kind ``appointment`` with ``"action": "cancel"``, so the hall frees the place and counts no no-show.
"""

from __future__ import annotations

from typing import Any

from kiosk.appointments import KeptBooking, can_cancel
from kiosk.catalog import Text
from kiosk.visit import records as rec

TOO_LATE = Text(
    "距预约时间已不足2小时，本机不能取消，请致电咨询电话。",
    "It is less than 2 hours before this appointment: it cannot be cancelled here. Please call the hotline.",
)
NOT_FOUND = Text("没有找到这条预约", "This booking was not found.")


class BookingActions:
    """The session's actions for a booking made earlier, mixed into :class:`kiosk.visit.session.Session` after
    :class:`kiosk.visit.core.SessionCore` (whose ``_require``, ``_go``, ``_refuse``, ``_record`` they use)."""

    _bookings: Any
    _settings: Any
    _visit: Any

    def my_bookings(self) -> list[KeptBooking]:
        """The identified citizen's bookings made at this kiosk, from today on."""
        identity = self._visit.identity
        return [] if identity is None else self._bookings.kept_for(identity.id_number, self._today())

    def start_bookings(self) -> None:
        """Open the list of the citizen's bookings (from choose)."""
        self._require("bookings")
        self._go("bookings")

    def withdraw_booking(self, reference: str) -> KeptBooking:
        """Cancel the citizen's booking ``reference``; at least ``cancel_hours`` before it starts."""
        self._require("withdraw")
        booking = next((b for b in self.my_bookings() if b.reference == reference), None)
        if booking is None:
            raise self._refuse("booking_unknown", NOT_FOUND)
        if not can_cancel(booking, self._now(), self._settings.booking):
            raise self._refuse("too_late", TOO_LATE)
        v = self._visit
        now, identity = self._now(), v.identity
        payload = rec.cancellation_payload(
            kiosk_id=self._settings.kiosk_id, booking=booking, identity=identity, now=now, lang=v.lang
        )
        # The row and the freed place in the ledger commit together (one transaction, like the booking).
        withdrawal = self._bookings.cancellation(identity.id_number, reference)
        self._record("appointment", lambda _n: payload, personal=True, booking=withdrawal)
        v.withdrawn = booking
        self._go("withdraw")
        return booking
