"""Value types and constants of the store (re-exported by :mod:`kiosk.store`).

Kept apart from ``store.py`` so that readers of the outbox (the sync agent, the technician CLI) can use the
types without the connection code, and so ``store.py`` stays about the connection and its transactions.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from json.encoder import c_encode_basestring, c_make_encoder  # type: ignore[attr-defined]
from typing import Any

# Citizen records: never dropped, only purged (payload replaced) after the hall confirmed them.
SUBMISSION_KINDS: frozenset[str] = frozenset({"submission", "appointment", "ticket", "rating", "report"})
# Everything else is telemetry, e.g. these; telemetry is dropped oldest-first past the telemetry limit.
TELEMETRY_KINDS_KNOWN: frozenset[str] = frozenset(
    {"heartbeat", "fault", "device_status", "event", "command_result", "inspection"}
)

STATE_PENDING = "pending"  # waiting for the hall to confirm it
STATE_CONFIRMED = "confirmed"  # the hall acknowledged it
STATE_PURGED = "purged"  # wiped by purge_all_personal() before the hall confirmed it; never sent

PURGED_PAYLOAD: dict[str, Any] = {"purged": True}


# Built once: json.dumps() with options builds a new encoder per call, a measurable part of a durable enqueue.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
# And CPython's C encoder made once, called directly: JSONEncoder.encode makes a new one per call and tracks every
# container against cycles, a third of the cost (a cycle then ends in RecursionError, turned into ValueError).
_C_ENCODE = (
    c_make_encoder(None, _CANONICAL.default, c_encode_basestring, None, ":", ",", True, False, False)
    if c_make_encoder is not None and c_encode_basestring is not None
    else None
)


def canonical_json(value: Any) -> str:
    """The one text form of a JSON value the store writes: sorted keys, no spaces, real UTF-8.

    Two equal dicts give byte-identical text, so a payload can be checked by hash after a crash.
    NaN/Infinity are refused (``ValueError``): they are not JSON and the hall could not parse them; so is a
    value that contains itself.
    """
    if _C_ENCODE is None:
        return _CANONICAL.encode(value)
    try:
        return "".join(_C_ENCODE(value, 0))
    except RecursionError as exc:
        raise ValueError("not JSON: the value contains itself (or nests too deep)") from exc


def new_key(time_ns: Callable[[], int] = time.time_ns) -> str:
    """A new idempotency key: a version 7 UUID as text (``tttttttt-tttt-7rrr-8rrr-rrrrrrrrrrrr``).

    Its first 48 bits are the creation time (ms), so keys sort by creation and an index on them grows at its
    end: one hot page per insert instead of a random one (the outbox's key index here, the hall's too). 72
    random bits follow (RFC 9562 leaves 74 to the maker; the two after the variant are fixed here): two kiosks'
    keys never meet. Made from short hex strings because this is on the durable-enqueue path, right after an
    fsync wait, where every step costs several times what it does in a warm loop (a 128-bit int formatted as
    hex: ~6 µs), and a ``UUID`` object more. Callers that may retry a submission should make the key first and
    pass it to every attempt.
    """
    t = f"{time_ns() // 1_000_000:012x}"
    r = os.urandom(9).hex()
    return f"{t[:8]}-{t[8:]}-7{r[:3]}-8{r[3:6]}-{r[6:]}"


def is_submission(kind: str) -> bool:
    """Whether ``kind`` is a citizen record (kept until confirmed) rather than droppable telemetry."""
    return kind in SUBMISSION_KINDS


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class StoreUnavailable(StoreError):
    """The database cannot take writes (disk full, read-only, corrupt): the UI shows "out of service".

    ``reason`` is a short human-readable English sentence for logs and the technician screen.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row. ``payload_json`` is the exact stored text (canonical JSON) of ``payload``.

    Entries the store reads or writes (:meth:`from_row`, :meth:`written`) parse ``payload`` from that text only
    when it is first read: the sync agent publishes the text and never needs the dict, and a durable enqueue
    should not pay for a parse its caller may not want. Built by hand, an entry takes the payload given.
    """

    seq: int
    key: str
    kind: str
    payload: dict[str, Any]
    created_at: float
    attempts: int
    last_attempt_at: float | None
    state: str
    confirmed_at: float | None
    personal: bool
    payload_json: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built by hand (fakes in other packages' tests) without the text: derive it, so it is always valid.
        if not self.payload_json:
            object.__setattr__(self, "payload_json", canonical_json(self.payload))

    @property
    def purged(self) -> bool:
        """Whether the personal payload has been wiped."""
        return self.payload == PURGED_PAYLOAD

    def __getattr__(self, name: str) -> Any:
        # Only called when ``name`` is not set: the payload of an entry made by the store, on its first read.
        text = self.__dict__.get("payload_json")
        if name != "payload" or text is None:
            raise AttributeError(name)
        payload = json.loads(text)
        self.__dict__["payload"] = payload  # frozen to callers; the cache is ours
        return payload

    @classmethod
    def from_row(cls, row: tuple) -> OutboxEntry:
        """Build from ``SELECT seq, key, kind, payload, created_at, attempts, last_attempt_at, state,
        confirmed_at, personal``."""
        seq, key, kind, payload, created, attempts, last_attempt, state, confirmed_at, personal = row
        return cls._trusted(seq, key, kind, payload, created, attempts, last_attempt, state, confirmed_at, personal)

    @classmethod
    def written(cls, seq: int, key: str, kind: str, text: str, created_at: float, personal: bool) -> OutboxEntry:
        """The entry of a row just inserted (pending, never attempted), from the payload text that was stored."""
        return cls._trusted(seq, key, kind, text, created_at, 0, None, STATE_PENDING, None, personal)

    @classmethod
    def _trusted(cls, *values: Any) -> OutboxEntry:
        # Values straight from the database (or just written to it): no checks, no parse, no per-field
        # __setattr__ of a frozen dataclass (a tenth of a durable enqueue's CPU time).
        entry = object.__new__(cls)
        seq, key, kind, text, created, attempts, last_attempt, state, confirmed_at, personal = values
        entry.__dict__.update(
            seq=seq, key=key, kind=kind, created_at=created, attempts=attempts, last_attempt_at=last_attempt,
            state=state, confirmed_at=confirmed_at, personal=bool(personal), payload_json=text,
        )  # fmt: skip
        return entry


@dataclass(frozen=True)
class Fault:
    """One fault occurrence, from raise to clear."""

    id: int
    code: str
    device: str
    severity: str
    message: str
    raised_at: float
    cleared_at: float | None
    acked_at: float | None
    acked_by: str | None

    @property
    def open(self) -> bool:
        """Whether the fault has not been cleared."""
        return self.cleared_at is None

    @property
    def duration_s(self) -> float | None:
        """Seconds from raise to clear; ``None`` while still open."""
        return None if self.cleared_at is None else self.cleared_at - self.raised_at


@dataclass(frozen=True)
class InboxEntry:
    """One downlink message from the hall and, once handled, its result."""

    msg_id: str
    kind: str
    payload: dict[str, Any]
    received_at: float
    done_at: float | None
    result: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: tuple) -> InboxEntry:
        """Build from ``SELECT msg_id, kind, payload, received_at, done_at, result``."""
        msg_id, kind, payload, received_at, done_at, result = row
        return cls(
            msg_id, kind, json.loads(payload), received_at, done_at, None if result is None else json.loads(result)
        )


@dataclass(frozen=True)
class OutboxStats:
    """Backlog figures for the heartbeat and the health rules."""

    depth: int  # pending rows
    oldest_pending_age_s: float  # 0.0 when nothing is pending
    by_kind: dict[str, int]  # pending rows per kind
    confirmed: int  # confirmed rows still on disk
    personal_unpurged: int = 0  # rows whose personal payload is still on disk
