"""Every key of the store's settings table, declared once: its value, who writes it, who reads it, how fresh.

The screen process and the sync agent never talk directly: they meet in one SQLite store (docs/architecture.md,
"What the two processes tell each other"). A setting one process writes and the other reads is a contract
between them, so each is a :class:`SharedSetting` here and every module that reads or writes it imports it
from here; ``tests/core/test_core_shared_settings.py`` checks the documented table lists exactly these keys.

The one rule both sides must agree on for the hall link also lives here: the agent writes ``sync.link`` with
:func:`hall_link_value` at least every ``HALL_LINK.refresh_s``, and the shell asks :func:`hall_reachable`, which
treats a note older than ``HALL_LINK.stale_after_s`` as "hall unreachable" (the agent is hung or gone).

Hall commands the agent cannot carry out itself (the screen process owns the devices) cross through the store's
inbox under the kind :func:`ui_inbox_kind` of the command.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCREEN = "screen"  # the UI process (kiosk run): the shell, its timers, the technician screen
AGENT = "agent"  # the sync agent process (kiosk-sync)
PROVISION = "kiosk-provision"  # the technician's command line, run beside both

HALL_LINK_REFRESH_S = 5.0  # the agent rewrites sync.link at least this often (one small commit)
HALL_LINK_STALE_S = 20.0  # four missed notes: the agent hung or stopped, and the hall counts as unreachable


@dataclass(frozen=True)
class SharedSetting:
    """One key of the settings table and the contract around it.

    ``type`` describes the JSON value; ``writer``/``reader`` name the process(es) and what they do with it;
    ``refresh_s`` is how often the writer rewrites it (None: when something happens) and ``stale_after_s``
    when a reader stops trusting it (None: it never goes stale, or the config decides, as ``doc`` says).
    A ``<name>`` part in ``key`` stands for a family of keys (:meth:`key_for`).
    """

    key: str
    type: str
    writer: str
    reader: str
    doc: str
    refresh_s: float | None = None
    stale_after_s: float | None = None

    def key_for(self, part: str) -> str:
        """The concrete key of a family (``maintenance.counter.<device>`` -> ``maintenance.counter.printer``)."""
        head, sep, _ = self.key.partition("<")
        if not sep:
            raise ValueError(f"{self.key!r} is a single key, not a family")
        return head + part


UI_LIVENESS = SharedSetting(
    "ui.liveness",
    "UNIX time (float)",
    writer=f"{SCREEN}: GUI-thread timer, every 5 s",
    reader=f"{AGENT}: UI_STALE fault when older than health.ui_stale_s; {PROVISION} status/doctor",
    doc="a hung screen stops writing it; its age is the metric ui.liveness_age_s",
    refresh_s=5.0,
)
HALL_LINK = SharedSetting(
    "sync.link",
    '{"online": bool, "at": UNIX time}',
    writer=f"{AGENT}: on every link change and every {HALL_LINK_REFRESH_S:g} s",
    reader=f"{SCREEN}: online-only services greyed when offline or older than {HALL_LINK_STALE_S:g} s; "
    f"{PROVISION} status and doctor (is kiosk-sync alive?)",
    doc="hall_reachable() and agent_alive() are the reading rules",
    refresh_s=HALL_LINK_REFRESH_S,
    stale_after_s=HALL_LINK_STALE_S,
)
HEALTH_EFFECTS = SharedSetting(
    "health.effects",
    "sorted list of effect names: onscreen_receipts, typed_id_entry, stop_submissions, no_certificates",
    writer=f"{AGENT}: maintenance rules, when the effects change",
    reader=f"{SCREEN}: switches the fallbacks",
    doc="anything malformed counts as no effects",
)
MAINTENANCE_MODE = SharedSetting(
    "maintenance.mode",
    '{"on": bool, "by": str, "since": UNIX time, "reason"?: str}',
    writer=f"{AGENT} (hall command) or the {SCREEN}'s technician screen (by = kiosk-screen)",
    reader=f"{SCREEN}: out of service for the hall's; {AGENT}: metric maintenance.on, heartbeat",
    doc="the technician screen leaves the hall's entry alone",
)
PIN_GATE = SharedSetting(
    "maintenance.pin_gate",
    '{"failures": int, "locked_until": UNIX time; "locks", "day_start", "day_failures" while set}',
    writer=f"{SCREEN}: technician PIN pad",
    reader=f"{SCREEN}: PIN pad (the lockout survives a restart of the shell)",
    doc="screen only",
)
PRINT_COUNTER = SharedSetting(
    "maintenance.counter.<device>",
    '{"count": int, "since": UNIX time}',
    writer=f"{SCREEN}: per successful printout; reset on the technician screen",
    reader=f"{SCREEN}: technician screen",
    doc="screen only; one key per printing device",
)
CONFIG_VERSION = SharedSetting(
    "config.version",
    "version string",
    writer=f"{AGENT}: after applying a hall config update",
    reader=f"{AGENT}: heartbeat and status message; {PROVISION} status",
    doc="the processes read the config file itself at start",
)
CATALOG_VERSION = SharedSetting(
    "catalog.version",
    "version string",
    writer=f"{AGENT}: after installing a hall catalog",
    reader=f"{AGENT}: heartbeat and status message; {PROVISION} status",
    doc="the screen reads the catalog file itself (CatalogRepository.active) at each visit start",
)
FAULT_WATERMARK = SharedSetting(
    "sync.fault_watermark",
    "UNIX time (float)",
    writer=f"{AGENT}: now and then, as fault events are queued",
    reader=f"{AGENT}: at start, to look for fault events not sent yet",
    doc="agent only",
)
SELF_TEST = SharedSetting(
    "sync.self_test",
    "UNIX time (float)",
    writer=f"{AGENT}: hall command self_test",
    reader=f"{AGENT}: the same command, reading it back",
    doc="agent only; proves the store takes writes",
)
SIGNED_APPLIED = SharedSetting(
    "sync.signed_applied",
    '{"config"|"catalog": {"msg_id", "created_at", "version"}}',
    writer=f"{AGENT}: after applying a signed hall config or catalog update",
    reader=f"{AGENT}: refuses a signed update older than the one applied (a replayed old message)",
    doc="agent only",
)
BOOKING_LEDGER = SharedSetting(
    "appointments.ledger",
    "{day: {slots, people}} with pseudonymous people",
    writer=f"{SCREEN}: each booking made on this kiosk",
    reader=f"{SCREEN}: slot counts and one booking per person and day",
    doc="screen only; days before today are pruned",
)
BOOKING_SECRET = SharedSetting(
    "appointments.secret",
    "hex string (32 bytes)",
    writer=f"{SCREEN}: once, at the first booking",
    reader=f"{SCREEN}: keys the ledger's pseudonyms",
    doc="screen only; never leaves the kiosk",
)
VISIT = SharedSetting(
    "ui.visit",
    '{"active": bool, "step": str, "at": UNIX time}',
    writer=f"{SCREEN}: when a visit starts and when it ends (kiosk.visit.presence.VisitPresence)",
    reader="kiosk-update: never restarts the screen mid-visit",
    doc="a record older than an hour is not believed (a shell that died mid-visit never wrote the end)",
)

SHARED_SETTINGS: tuple[SharedSetting, ...] = (
    UI_LIVENESS,
    HALL_LINK,
    HEALTH_EFFECTS,
    MAINTENANCE_MODE,
    PIN_GATE,
    PRINT_COUNTER,
    CONFIG_VERSION,
    CATALOG_VERSION,
    FAULT_WATERMARK,
    SELF_TEST,
    SIGNED_APPLIED,
    BOOKING_LEDGER,
    BOOKING_SECRET,
    VISIT,
)

# The keys as strings, for get_setting/set_setting (names kept from before the keys moved here).
UI_LIVENESS_SETTING = UI_LIVENESS.key
HALL_LINK_SETTING = HALL_LINK.key
EFFECTS_SETTING = HEALTH_EFFECTS.key
MAINTENANCE_SETTING = MAINTENANCE_MODE.key
CONFIG_VERSION_SETTING = CONFIG_VERSION.key
CATALOG_VERSION_SETTING = CATALOG_VERSION.key
VISIT_SETTING = VISIT.key


# ------------------------------------------------------------------------------------------------ the hall link


def hall_link_value(online: bool, at: float) -> dict[str, Any]:
    """What the agent writes to ``sync.link``: whether it is connected to the hall, as of ``at``."""
    return {"online": bool(online), "at": float(at)}


def _note_age(value: Any, now: float) -> float | None:
    """Seconds since the agent wrote ``value`` (None when it is not a note)."""
    at = value.get("at") if isinstance(value, Mapping) else None
    if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at):
        return None
    return now - at


def agent_alive(value: Any, now: float) -> bool:
    """Whether the sync agent is running: it wrote its ``sync.link`` note (online or not) at most
    ``HALL_LINK.stale_after_s`` ago. A dead or hung agent leaves its last note behind, which expires."""
    age = _note_age(value, now)
    return age is not None and age <= HALL_LINK_STALE_S


def hall_reachable(value: Any, now: float) -> bool:
    """Whether the hall is reachable, given the ``sync.link`` value and ``now`` (UNIX time).

    Only a note saying "online" that is at most ``HALL_LINK.stale_after_s`` old counts: an agent that hung or
    stopped leaves an old note behind. Anything malformed (no note yet, a bad time) counts as unreachable.
    """
    if not isinstance(value, Mapping) or not value.get("online"):
        return False
    return agent_alive(value, now)


# ------------------------------------------------------------------------------------------------ the inbox

# Hall commands the agent cannot do itself (the screen process owns the devices): they wait in the inbox.
UI_COMMANDS = frozenset({"print_test_page"})


def ui_inbox_kind(command: str) -> str:
    """The inbox kind under which the screen process finds a hall command it must carry out."""
    return f"command.{command}"
