"""The kiosk's database: one SQLite file shared by the UI process and the sync agent, owned by this package.

- :mod:`.connection`: opening the file (WAL, ``synchronous=FULL``; the one read-only open), error translation,
  the disk reserve; :mod:`.files`: fsync of files and directories, the lock-file helper;
- :mod:`.migrations`: numbered schema migrations; :mod:`.models`: value types, states, errors, ``new_key``;
- :mod:`.core`: one connection and its transactions, under every table mixin: :mod:`.outbox`, :mod:`.citizen`
  (counter + row + booking in one transaction), :mod:`.retention`, :mod:`.inbox`, :mod:`.settings`,
  :mod:`.health_records`;
- :mod:`.store`: :class:`Store`, the mixins together (``Store.from_config`` is how everything opens it);
- :mod:`.inspect`: :class:`Inspector`, the read-only inspection API the technician CLI and the tests use.
"""

from kiosk.store.citizen import CitizenRecord, SettingChange
from kiosk.store.connection import translate_error
from kiosk.store.inspect import Inspector, PersonalRows
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
    "CitizenRecord",
    "Fault",
    "InboxEntry",
    "Inspector",
    "OutboxEntry",
    "OutboxStats",
    "PersonalRows",
    "SettingChange",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "canonical_json",
    "is_submission",
    "new_key",
    "translate_error",
]
