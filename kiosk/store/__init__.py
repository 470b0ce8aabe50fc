"""The kiosk's database: one SQLite file shared by the UI process and the sync agent, owned by this package.

- :mod:`.connection`: opening the file (WAL, ``synchronous=FULL``), error translation, the disk reserve;
- :mod:`.migrations`: numbered schema migrations;
- :mod:`.models`: value types, states, errors;
- :mod:`.store`: :class:`Store`, every read and write of the tables;
- :mod:`.inspect`: the read-only inspection API the technician CLI and the tests use.
"""

from kiosk.store.connection import translate_error
from kiosk.store.models import (
    PURGED_PAYLOAD,
    STATE_CONFIRMED,
    STATE_PENDING,
    STATE_PURGED,
    SUBMISSION_KINDS,
    Fault,
    InboxEntry,
    OutboxEntry,
    OutboxStats,
    StoreError,
    StoreUnavailable,
    canonical_json,
    is_submission,
    new_key,
)
from kiosk.store.store import Store

__all__ = [
    "PURGED_PAYLOAD",
    "STATE_CONFIRMED",
    "STATE_PENDING",
    "STATE_PURGED",
    "SUBMISSION_KINDS",
    "Fault",
    "InboxEntry",
    "OutboxEntry",
    "OutboxStats",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "canonical_json",
    "is_submission",
    "new_key",
    "translate_error",
]
