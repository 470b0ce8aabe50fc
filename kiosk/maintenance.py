"""The technician's side of the kiosk, without Qt: the PIN, the lockout, the daily inspection, the counters.

* :func:`hash_pin` / :func:`verify_pin`: the stored form of ``[maintenance] pin_hash`` is
  ``pbkdf2_sha256$<iterations>$<16-byte salt hex>$<32-byte key hex>`` (``kiosk-provision set-pin`` writes it).
* :class:`PinGate`: counts wrong PINs in the store's settings, so restarting the shell does not reset the count,
  and refuses every PIN for ``lockout_s`` after ``lockout_after`` wrong ones in a row, doubling the lock each time
  again and capping the wrong PINs looked at per day.
* :class:`InspectionChecklist`: the daily inspection (日常巡检) of a 24-hour zone's kiosk, item by item.
* :class:`MaintenanceSession`: what the hall learns of a visit by a technician, as outbox rows: ``event`` rows
  when the mode is entered and left (who and when, never the PIN), per self-test and counter reset, and one
  ``inspection`` row per submitted checklist. Both kinds are telemetry; the sync agent sends any kind.
* :class:`PrintCounters`: receipts and queue tickets printed since the roll was last replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kiosk.appointments import CHINA_TZ
from kiosk.catalog import Text
from kiosk.shared_settings import MAINTENANCE_SETTING, PIN_GATE, PRINT_COUNTER
from kiosk.store.models import StoreError, new_key

log = logging.getLogger(__name__)

SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 figure for PBKDF2-SHA256; about 0.3 s on a kiosk's Celeron
PIN_MAX_DIGITS = 12  # kiosk-provision set-pin accepts 6 to 12 digits
GATE_SETTING = PIN_GATE.key  # {"failures": int, "locked_until": UNIX time, "locks", "day_*" when set}
DAY_S = 86_400.0
_FRESH = {"failures": 0.0, "locked_until": 0.0, "locks": 0.0, "day_start": 0.0, "day_failures": 0.0}
COUNTER_SETTING = PRINT_COUNTER.key_for("{0}")  # {"count": int, "since": UNIX time}, per printing device
COUNTED_DEVICES = ("printer", "dispenser")
SCREEN_BY = "kiosk-screen"  # who set MAINTENANCE_SETTING when the technician came in through the screen


class SettingsStore(Protocol):
    """The part of :class:`kiosk.store.Store` used here."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...
    def enqueue(self, kind: str, payload: dict, *, key: str | None = None, personal: bool = False) -> object: ...


# ---------------------------------------------------------------------------------------------------- the PIN
def hash_pin(pin: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """The stored form of ``pin``."""
    salt = secrets.token_bytes(16) if salt is None else salt
    derived = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${derived.hex()}"


def _parse(stored: str) -> tuple[int, bytes, bytes] | None:
    """(iterations, salt, key) of a stored hash, or None when it is empty or malformed."""
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != SCHEME or not parts[1].isdigit() or int(parts[1]) < 1:
        return None
    try:
        salt, expected = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    except ValueError:
        return None
    return (int(parts[1]), salt, expected) if salt and expected else None


def pin_hash_usable(stored: str) -> bool:
    """Whether ``stored`` is a well-formed hash (empty: no PIN set, the maintenance screen is off)."""
    return _parse(stored) is not None


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored``, compared in constant time (False for an empty or malformed hash)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    iterations, salt, expected = parsed
    derived = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(derived, expected)


@dataclass(frozen=True)
class PinAttempt:
    """The answer to one PIN: accepted, or how many tries are left, or how long the lock lasts."""

    ok: bool
    tries_left: int
    locked_s: float = 0.0  # > 0: refused without looking at the PIN; this long until it is tried again


class PinGate:
    """The PIN check with a lockout that survives restarts (the count lives in the store's settings).

    ``lockout_after`` wrong PINs in a row lock for ``lockout_s``; every further lock before a right PIN lasts twice
    as long as the one before (up to ``lockout_max_s``), and no more than ``max_failures_per_day`` wrong PINs are
    looked at in 24 hours: past that the gate stays shut until the 24 hours are over. (Without the growth and the
    cap, 5 guesses every 5 minutes made 1,440 a day.) A right PIN resets it all.
    A store that cannot be read or written does not open the gate: the count is then kept in memory.
    """

    def __init__(
        self,
        pin_hash: str,
        store: SettingsStore,
        clock: Callable[[], float] = time.time,
        lockout_after: int = 5,
        lockout_s: float = 300.0,
        *,
        lockout_max_s: float = DAY_S,
        max_failures_per_day: int = 20,
    ) -> None:
        self._hash = pin_hash
        self._store = store
        self._clock = clock
        self._after = max(1, lockout_after)
        self._lockout_s = lockout_s
        self._lockout_max_s = max(lockout_s, lockout_max_s)
        self._day_cap = max(self._after, max_failures_per_day)
        self._memory: dict[str, float] = dict(_FRESH)

    @property
    def enabled(self) -> bool:
        """Whether a PIN is set (without one the maintenance screen cannot be opened)."""
        return pin_hash_usable(self._hash)

    def _state(self) -> dict[str, float]:
        try:
            value = self._store.get_setting(GATE_SETTING) or {}
        except StoreError:
            log.exception("cannot read %s; using the count kept in memory", GATE_SETTING)
            return dict(self._memory)
        stored = {k: value.get(k, default) for k, default in _FRESH.items()}
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in stored.values()):
            stored = {**_FRESH, "failures": self._after}  # a damaged record hands out no fresh tries
        # Whichever count is higher wins: a store that lost a write must not hand out fresh tries.
        return {k: max(float(stored[k]), self._memory[k]) for k in _FRESH}

    def _save(self, state: dict[str, float]) -> None:
        self._memory = dict(state)
        # Only what is set is written: a gate at rest is stored as {"failures": 0, "locked_until": 0.0}.
        value: dict[str, float | int] = {"failures": int(state["failures"]), "locked_until": state["locked_until"]}
        value.update({k: state[k] for k in ("locks", "day_start", "day_failures") if state[k]})
        try:
            self._store.set_setting(GATE_SETTING, value)
        except StoreError:
            log.exception("cannot write %s; the count is kept in memory", GATE_SETTING)

    def _lock_length(self, state: dict[str, float]) -> float:
        """How long the current (or next) lock lasts."""
        if state["day_failures"] >= self._day_cap:
            return DAY_S
        growth = 2 ** max(0, int(state["locks"]) - 1)
        return min(self._lockout_s * growth, self._lockout_max_s)

    def _current(self) -> dict[str, float]:
        """The state now: a lock that ran out starts a fresh series of tries (the count of locks and the day's
        failures stay); one set by a clock that has since gone back is cut to its length from now (else it
        would last until the clock caught up)."""
        state, now = self._state(), self._clock()
        if state["day_start"] and not state["day_start"] <= now < state["day_start"] + DAY_S:
            state = {**state, "day_start": 0.0, "day_failures": 0.0}
        until, length = state["locked_until"], self._lock_length(state)
        if until and until <= now:
            state = {**state, "failures": 0.0, "locked_until": 0.0}
        elif until - now > length:
            state = {**state, "locked_until": now + length}
            self._save(state)
        return state

    def locked_for(self) -> float:
        """Seconds until a PIN is looked at again (0: not locked)."""
        return max(0.0, self._current()["locked_until"] - self._clock())

    def tries_left(self) -> int:
        """Wrong PINs still allowed before the lock."""
        state = self._current()
        return max(0, min(self._after - int(state["failures"]), self._day_cap - int(state["day_failures"])))

    def attempt(self, pin: str) -> PinAttempt:
        """Check ``pin``; a wrong one counts, the ``lockout_after``-th wrong one in a row locks."""
        state = self._current()
        now = self._clock()
        if state["locked_until"] > now:
            return PinAttempt(False, 0, state["locked_until"] - now)
        if verify_pin(pin, self._hash):
            self._save(dict(_FRESH))
            return PinAttempt(True, self._after)
        state["failures"] += 1
        state["day_start"] = state["day_start"] or now
        state["day_failures"] += 1
        left = min(self._after - int(state["failures"]), self._day_cap - int(state["day_failures"]))
        if left > 0:
            self._save(state)
            return PinAttempt(False, left)
        state["locks"] += 1
        length = self._lock_length(state)
        state["locked_until"] = state["day_start"] + DAY_S if state["day_failures"] >= self._day_cap else now + length
        self._save(state)
        locked_s = state["locked_until"] - now
        log.warning("maintenance PIN wrong %d times: locked for %.0f s", int(state["failures"]), locked_s)
        event = {"event": "maintenance_pin_locked", "at": now, "failures": int(state["failures"]), "locked_s": locked_s}
        _enqueue(self._store, "event", {**event, "day_failures": int(state["day_failures"])})
        return PinAttempt(False, 0, locked_s)


def _enqueue(store: SettingsStore, kind: str, payload: dict) -> str | None:
    """Write one telemetry row; its key, or None when the store cannot write (logged, never raised)."""
    key = new_key()
    try:
        store.enqueue(kind, payload, key=key, personal=False)
    except StoreError:
        log.exception("cannot record %s %s", kind, payload.get("event", ""))
        return None
    return key


# ------------------------------------------------------------------------------------------- the inspection
@dataclass(frozen=True)
class InspectionItem:
    """One line of the daily inspection: what to look at, in both languages."""

    id: str
    label: Text


# What a 24-hour zone's staff check on each kiosk, twice a day (see docs: operating rules of 7×24 halls).
INSPECTION_ITEMS: tuple[InspectionItem, ...] = (
    InspectionItem("screen_touch", Text("屏幕显示清晰，触摸灵敏准确", "Screen clear, touch responds accurately")),
    InspectionItem("card_readers", Text("身份证、社保卡读卡正常", "ID card and social security card readers read")),
    InspectionItem("printer", Text("打印纸充足，打印清晰完整", "Printer: paper stocked, printing clear and complete")),
    InspectionItem("dispenser", Text("取号票纸充足，出票正常", "Ticket dispenser: tickets stocked, issuing")),
    InspectionItem("network", Text("网络及与大厅连接正常", "Network and the link to the hall work")),
    InspectionItem("cleanliness", Text("设备及周边整洁", "Device and its surroundings clean")),
    InspectionItem(
        "notices", Text("维护人姓名、电话及服务承诺张贴在设备上", "Maintainer's name and phone, service pledge posted")
    ),
    InspectionItem(
        "camera_surroundings",
        Text("监控正常，周边无违规张贴和安全隐患", "Camera works; no illegal posters or hazards around"),
    ),
)
NOTE_MAX = 200


class InspectionError(ValueError):
    """A checklist that cannot be submitted yet; ``missing`` lists the items that need an answer or a note."""

    def __init__(self, message: str, missing: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


@dataclass(frozen=True)
class Answer:
    """Pass or fail for one item, with a note (required when it failed)."""

    ok: bool
    note: str = ""


class InspectionChecklist:
    """The daily inspection being filled in: every item passed or failed, a failed one with a note."""

    def __init__(self, items: tuple[InspectionItem, ...] = INSPECTION_ITEMS) -> None:
        self.items = items
        self._ok: dict[str, bool] = {}
        self._notes: dict[str, str] = {}

    def _check(self, item_id: str) -> None:
        if all(item.id != item_id for item in self.items):
            raise KeyError(f"no inspection item {item_id!r}")

    def mark(self, item_id: str, ok: bool) -> None:
        """Pass (``ok``) or fail the item; its note is kept."""
        self._check(item_id)
        self._ok[item_id] = bool(ok)

    def set_note(self, item_id: str, note: str) -> None:
        """What was found (a failed item needs one); spaces tidied, cut at NOTE_MAX characters."""
        self._check(item_id)
        self._notes[item_id] = " ".join(note.split())[:NOTE_MAX]

    def answer(self, item_id: str) -> Answer | None:
        """The answer so far (None: not answered)."""
        self._check(item_id)
        return Answer(self._ok[item_id], self.note(item_id)) if item_id in self._ok else None

    def note(self, item_id: str) -> str:
        """The note of the item ("" when none)."""
        return self._notes.get(item_id, "")

    def missing(self) -> list[str]:
        """Items not answered yet, or failed without a note, in checklist order."""
        return [i.id for i in self.items if i.id not in self._ok or not (self._ok[i.id] or self.note(i.id))]

    def result(self, *, kiosk_id: str, inspector: str, at: float) -> dict[str, Any]:
        """The ``inspection`` payload; raises InspectionError while an item is missing or no inspector given."""
        missing = self.missing()
        if missing:
            raise InspectionError(f"not answered, or failed without a note: {', '.join(missing)}", missing)
        inspector = " ".join(inspector.split())[:64]
        if not inspector:
            raise InspectionError("who inspected is missing")
        items = [{"id": i.id, "ok": self._ok[i.id], "note": self.note(i.id)} for i in self.items]
        failed = [i["id"] for i in items if not i["ok"]]
        return {
            "kiosk_id": kiosk_id,
            "at": at,
            "day": datetime.fromtimestamp(at, CHINA_TZ).date().isoformat(),
            "inspector": inspector,
            "ok": not failed,
            "failed": failed,
            "items": items,
        }


# ---------------------------------------------------------------------------------------------- the counters
@dataclass(frozen=True)
class Counter:
    """Documents a device printed since its roll was last replaced."""

    count: int
    since: float


class PrintCounters:
    """Receipts (printer) and queue tickets (dispenser) printed since the paper was replaced, in the settings."""

    def __init__(self, store: SettingsStore, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock

    def get(self, device: str) -> Counter:
        """The counter of ``device`` ("printer" or "dispenser"); zero since now when it never counted."""
        value = self._store.get_setting(COUNTER_SETTING.format(device)) or {}
        count, since = value.get("count", 0), value.get("since", 0.0)
        if not isinstance(count, int) or not isinstance(since, int | float):
            return Counter(0, 0.0)
        return Counter(count, float(since))

    def count(self, device: str, n: int = 1) -> None:
        """``n`` more documents came out of ``device`` (a store failure is logged: printing goes on)."""
        try:
            old = self.get(device)
            since = old.since or self._clock()
            self._store.set_setting(COUNTER_SETTING.format(device), {"count": old.count + n, "since": since})
        except StoreError:
            log.exception("cannot count a printout of %s", device)

    def reset(self, device: str) -> Counter:
        """The roll was replaced: start again from zero now; returns the counter before."""
        old = self.get(device)
        self._store.set_setting(COUNTER_SETTING.format(device), {"count": 0, "since": self._clock()})
        return old


# --------------------------------------------------------------------------------------- the technician's visit
class MaintenanceSession:
    """One technician visit, from the PIN to leaving; every step becomes a telemetry row for the hall.

    While it lasts, ``maintenance.mode`` says so (the heartbeat reports it and rules may hold alarms back),
    unless the hall had already put the kiosk into maintenance: then the hall's setting is left alone.
    """

    def __init__(self, store: SettingsStore, *, kiosk_id: str, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock
        self.kiosk_id = kiosk_id
        self.entered_at: float | None = None
        self.inspector = ""
        self.self_tests: list[dict[str, Any]] = []
        self.inspections: list[str] = []  # outbox keys of the inspections sent
        self.resets: list[str] = []

    @property
    def active(self) -> bool:
        """Whether the technician is in (entered and not left)."""
        return self.entered_at is not None

    def _event(self, event: str, **fields: Any) -> str | None:
        payload = {"event": event, "kiosk_id": self.kiosk_id, "at": self._clock(), **fields}
        return _enqueue(self._store, "event", payload)

    def enter(self, *, via: str = "screen_pin") -> str | None:
        """The right PIN was given: record it (who: the holder of the PIN; when) and mark the mode."""
        self.entered_at = self._clock()
        try:
            mode = self._store.get_setting(MAINTENANCE_SETTING) or {}
            if not mode.get("on"):
                self._store.set_setting(MAINTENANCE_SETTING, {"on": True, "by": SCREEN_BY, "since": self.entered_at})
        except StoreError:
            log.exception("cannot write %s", MAINTENANCE_SETTING)
        return self._event("maintenance_entered", by="technician", via=via)

    def record_self_test(self, device: str, ok: bool, steps: Iterable[tuple[str, bool, str]] = ()) -> str | None:
        """A device's self-test finished (``steps``: the driver's (step, passed, detail))."""
        entry = {"device": device, "ok": ok, "steps": [{"step": s, "ok": p, "detail": d[:200]} for s, p, d in steps]}
        self.self_tests.append({"device": device, "ok": ok})
        return self._event("self_test", **entry)

    def reset_counter(self, counters: PrintCounters, device: str) -> Counter:
        """New paper or tickets in ``device``: zero its counter and tell the hall how many came out before."""
        old = counters.reset(device)
        self.resets.append(device)
        self._event("counter_reset", device=device, count=old.count, since=old.since)
        return old

    def submit_inspection(self, checklist: InspectionChecklist, inspector: str) -> str | None:
        """Send the day's inspection; raises InspectionError if incomplete, None if the store cannot write."""
        payload = checklist.result(kiosk_id=self.kiosk_id, inspector=inspector, at=self._clock())
        key = _enqueue(self._store, "inspection", payload)
        if key is not None:
            self.inspector = payload["inspector"]
            self.inspections.append(key)
        return key

    def leave(self, reason: str = "button") -> str | None:
        """The technician left (``reason``: button, timeout, shutdown); the mode is given back."""
        if self.entered_at is None:
            return None
        now = self._clock()
        key = self._event(
            "maintenance_left", by="technician", reason=reason, duration_s=round(now - self.entered_at, 1),
            inspector=self.inspector, inspections=list(self.inspections), self_tests=list(self.self_tests),
            counters_reset=list(self.resets),
        )  # fmt: skip
        self.entered_at = None
        try:
            mode = self._store.get_setting(MAINTENANCE_SETTING) or {}
            if mode.get("by") == SCREEN_BY:  # ours: the hall did not take over meanwhile
                self._store.set_setting(MAINTENANCE_SETTING, {"on": False, "by": SCREEN_BY, "since": now})
        except StoreError:
            log.exception("cannot write %s", MAINTENANCE_SETTING)
        return key
