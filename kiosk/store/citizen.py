"""Citizen records in one transaction: the counter's next number, the outbox row built with it, and the
booking-ledger change of an appointment commit together (one fsync) or not at all.

So a failed insert never leaves a gap in reference numbers, and a booking is never counted without its row (or
the other way round). A retried key returns the existing entry and writes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.store.attachments import AttachmentRef, link_attachments
from kiosk.store.models import STATE_PENDING, SUBMISSION_KINDS, OutboxEntry, new_key
from kiosk.store.outbox import INSERT_OUTBOX, ROW_OF_KEY, OutboxWrites, checked_payload
from kiosk.store.settings import SettingsWrites, read_setting, write_setting

_NEXT_NUMBER = (
    "INSERT INTO counters (name, value) VALUES (?, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
)


class SettingChange(Protocol):
    """A change to one setting made in a citizen record's transaction (the booking ledger's entry)."""

    @property
    def setting_key(self) -> str: ...

    def apply(self, value: Any, payload: dict[str, Any]) -> Any:
        """The new value from the current one (``None`` when unset) and the record's payload (as stored); must
        not modify ``value`` in place."""
        ...


@dataclass(frozen=True)
class CitizenRecord:
    """What :meth:`CitizenRecords.record_citizen` wrote, or found already written under the key."""

    entry: OutboxEntry
    number: int | None  # the counter value this record took; None without a counter, or when ``existing``
    existing: bool = False  # the key had been recorded before: nothing was written this time


def next_number_in(conn: sqlite3.Connection, counter: str) -> int:
    """Take the next value of ``counter`` inside the caller's transaction."""
    return int(conn.execute(_NEXT_NUMBER, (counter,)).fetchall()[0][0])


class CitizenRecords(OutboxWrites, SettingsWrites):
    """Durable counters and the one-transaction citizen record."""

    def next_number(self, counter: str) -> int:
        """The next value (1, 2, ...) of a durable counter, on its own (a record that carries the number takes
        it through :meth:`record_citizen` instead)."""
        with self._tx(write=True) as conn:
            return next_number_in(conn, counter)

    def record_citizen(
        self,
        kind: str,
        build_payload: Callable[[int | None], dict],
        *,
        key: str | None = None,
        personal: bool,
        counter: str | None = None,
        booking: SettingChange | None = None,
        attachments: Sequence[AttachmentRef] = (),
    ) -> CitizenRecord:
        """Write one citizen record in ONE transaction, committed and fsynced before it returns.

        ``counter`` (optional) gives the record its number: ``build_payload(number)`` (``None`` without a
        counter) makes the payload from it inside the transaction. ``booking`` changes its setting (the
        booking ledger) in the same transaction. Anything failing (the payload, the insert, the disk) rolls
        all of it back, the counter included. ``attachments`` (pages staged with ``stage_attachment``, durable
        already) are linked to the row in the same transaction; one not staged raises StoreError. ``key``
        (default: a new :func:`new_key`) makes it idempotent: a
        key already recorded returns that entry (``existing``) and writes nothing. Raises ``StoreUnavailable``
        as :meth:`enqueue` does (disk full or read-only, free space below the reserve).
        """
        if kind not in SUBMISSION_KINDS:
            raise ValueError(f"{kind!r} is not a citizen record kind ({', '.join(sorted(SUBMISSION_KINDS))})")
        key = key or new_key()
        now = self._now()
        if (free := self._disk.shortfall(now)) is not None:
            return CitizenRecord(self._retry_or_refuse(key, free), None, existing=True)
        with self._tx(write=True) as conn:
            row = conn.execute(ROW_OF_KEY, (key,)).fetchone()  # staged still only if a full disk kept it there
            if row is not None:
                return CitizenRecord(OutboxEntry.from_row(row), None, existing=True)
            number = None if counter is None else next_number_in(conn, counter)
            text, stored = checked_payload(build_payload(number))
            seq = conn.execute(INSERT_OUTBOX, (key, kind, text, now, int(personal))).lastrowid
            if attachments:
                link_attachments(conn, key, attachments)
            if booking is not None:
                value = booking.apply(read_setting(conn, booking.setting_key), stored)
                write_setting(conn, booking.setting_key, value, now)
        entry = OutboxEntry(seq, key, kind, stored, now, 0, None, STATE_PENDING, None, personal, text)
        return CitizenRecord(entry, number)
