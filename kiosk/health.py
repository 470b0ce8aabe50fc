"""Maintenance rules as data: which faults a kiosk's state implies and which fallbacks the shell switches on.

A rule (``kiosk.config.HealthRule``) says *when* a condition over a metrics snapshot holds, which fault it raises
(code, device, severity) and which *effect* the shell applies ("onscreen_receipts", "typed_id_entry",
"stop_submissions"). Conditions are written in a tiny expression language, parsed here without ``eval``::

    device.printer.faults contains paper_out
    device.id_reader.state in [absent, fault]
    disk.free_pct < 10 and not maintenance.on
    outbox.oldest_pending_age_s > 3600

Grammar: ``or``/``and``/``not``, parentheses, and comparisons ``PATH OP LITERAL`` with ``< <= > >= == !=``,
``contains`` (list/string/table membership) and ``in [..]``; a bare ``PATH`` tests truthiness. A literal is a
number, ``true``/``false``, a quoted string, a bare word (a string: ``paper_out``) or a ``[list]``. A path names
a value in the nested metrics dict by dots. A comparison against a missing value is false, so a rule about a
device this kiosk does not have never fires. Ordering comparisons need numbers on both sides.

The module is pure: :func:`collect_metrics` reads a store and the disk when called; nothing happens on import.
The sync agent evaluates the rules on every health tick and applies the result to the store; the shell may
evaluate them too to react at once.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import MIB, HealthRule, HealthSection, StoreSection
from kiosk.faults import SEVERITY_ORDER, FaultCode, Severity

log = logging.getLogger(__name__)

# Effects the shell understands (a rule may name others; the shell ignores what it does not know).
EFFECT_ONSCREEN_RECEIPTS = "onscreen_receipts"
EFFECT_TYPED_ID_ENTRY = "typed_id_entry"
EFFECT_STOP_SUBMISSIONS = "stop_submissions"

# Setting the agent writes with the active effects (a sorted list of strings) for the shell to read.
EFFECTS_SETTING = "health.effects"
# Setting the UI writes every few seconds (float UNIX time) so a hung screen can be noticed.
UI_LIVENESS_SETTING = "ui.liveness"
# Setting the agent writes when the hall puts the kiosk into maintenance mode: {"on": bool, "by", "since"}.
MAINTENANCE_SETTING = "maintenance.mode"
# Setting the agent writes on every link change and every 30 s: {"online": bool, "at": UNIX time}.
HALL_LINK_SETTING = "sync.link"
# Hall commands the agent cannot do itself (the screen process owns the devices) wait in the inbox for the shell.
UI_COMMANDS = frozenset({"print_test_page"})


def ui_inbox_kind(command: str) -> str:
    """The inbox kind under which the screen process finds a hall command it must carry out."""
    return f"command.{command}"


Condition = Callable[[Mapping[str, Any]], bool]


class RuleError(ValueError):
    """A rule's condition cannot be parsed; names the rule and the position."""


# --------------------------------------------------------------------------------------------------------------
# The expression language


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?\d+(?:\.\d+)?)
      | (?P<str>"[^"]*"|'[^']*')
      | (?P<op><=|>=|==|!=|<|>)
      | (?P<punct>[\[\](),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "contains", "in", "true", "false"})
_MISSING = object()


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleError(f"unexpected character {text[pos:].lstrip()[:1]!r} at {pos}")
        group = m.lastgroup or ""
        value = m.group(group)
        kind = "kw" if group == "word" and value in _KEYWORDS else group
        tokens.append((kind, value, m.start(group)))
        pos = m.end()
    return tokens


def _lookup(metrics: Mapping[str, Any], path: str) -> Any:
    value: Any = metrics
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is _MISSING:
        return False
    if op in ("<", "<=", ">", ">="):
        if not (_is_number(left) and _is_number(right)):
            return False
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "contains":
        try:
            return right in left
        except TypeError:
            return False
    if op == "in":
        return isinstance(right, list) and left in right
    raise AssertionError(op)  # the parser only produces the operators above


class _Parser:
    """Recursive descent over the token list; builds closures so evaluation is a few calls per rule."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def parse(self) -> Condition:
        if not self.tokens:
            raise RuleError("empty condition")
        cond = self._or()
        if self.i != len(self.tokens):
            raise self._error("unexpected")
        return cond

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _error(self, what: str) -> RuleError:
        tok = self._peek()
        if tok is None:
            return RuleError(f"{what} end of condition")
        return RuleError(f"{what} {tok[1]!r} at {tok[2]}")

    def _accept(self, kind: str, value: str | None = None) -> bool:
        tok = self._peek()
        if tok and tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return True
        return False

    def _or(self) -> Condition:
        parts = [self._and()]
        while self._accept("kw", "or"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda m: any(p(m) for p in parts))

    def _and(self) -> Condition:
        parts = [self._not()]
        while self._accept("kw", "and"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else (lambda m: all(p(m) for p in parts))

    def _not(self) -> Condition:
        if self._accept("kw", "not"):
            inner = self._not()
            return lambda m: not inner(m)
        if self._accept("punct", "("):
            inner = self._or()
            if not self._accept("punct", ")"):
                raise self._error("expected ')' before")
            return inner
        return self._comparison()

    def _comparison(self) -> Condition:
        tok = self._peek()
        if tok is None or tok[0] != "word":
            raise self._error("expected a metric name before")
        self.i += 1
        path = tok[1]
        nxt = self._peek()
        if nxt and (nxt[0] == "op" or (nxt[0] == "kw" and nxt[1] in ("contains", "in"))):
            self.i += 1
            op = nxt[1]
            right = self._literal()
            if op == "in" and not isinstance(right, list):
                raise RuleError(f"'in' needs a [list] after it (at {nxt[2]})")
            if op in ("<", "<=", ">", ">=") and not _is_number(right):
                raise RuleError(f"{op!r} needs a number after it (at {nxt[2]})")
            return lambda m: _compare(op, _lookup(m, path), right)
        return lambda m: bool((v := _lookup(m, path)) is not _MISSING and v)

    def _literal(self) -> Any:
        tok = self._peek()
        if tok is None:
            raise self._error("expected a value at")
        kind, value, _ = tok
        if kind == "punct" and value == "[":
            self.i += 1
            items: list[Any] = []
            if self._accept("punct", "]"):
                return items
            while True:
                items.append(self._literal())
                if self._accept("punct", "]"):
                    return items
                if not self._accept("punct", ","):
                    raise self._error("expected ',' or ']' before")
        self.i += 1
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "str":
            return value[1:-1]
        if kind == "kw" and value in ("true", "false"):
            return value == "true"
        if kind == "word":
            return value
        self.i -= 1
        raise self._error("expected a value before")


def compile_condition(text: str) -> Condition:
    """Parse ``text`` into a predicate over a metrics dict; raises :class:`RuleError`."""
    return _Parser(text).parse()


# --------------------------------------------------------------------------------------------------------------
# Rules, evaluation and the fault plan


def default_rules(
    health: HealthSection | None = None, *, min_free_bytes: int = StoreSection().min_free_bytes
) -> tuple[HealthRule, ...]:
    """The built-in maintenance rules, with thresholds from the ``[health]`` section and the store's free-space
    reserve (``StoreSection.min_free_bytes``: the same figure below which the store refuses submissions)."""
    h = health or HealthSection()
    r = HealthRule
    return (
        r(
            id="paper_near_end",
            when="device.printer.faults contains paper_near_end",
            fault=FaultCode.PAPER_NEAR_END,
            severity="minor",
            device="printer",
        ),
        r(
            id="paper_out",
            when="device.printer.faults contains paper_out",
            fault=FaultCode.PAPER_OUT,
            severity="major",
            device="printer",
            effect=EFFECT_ONSCREEN_RECEIPTS,
        ),
        # A printer that cannot print for another reason also falls back to on-screen receipts; its fault
        # (cover open, offline) is already raised from the driver's status, so this rule raises none.
        r(
            id="printer_unusable",
            when="device.printer.state in [fault, absent]",
            fault="",
            severity="minor",
            device="printer",
            effect=EFFECT_ONSCREEN_RECEIPTS,
        ),
        r(
            id="id_reader_gone",
            when="device.id_reader.state in [absent, fault]",
            fault=FaultCode.DEVICE_OFFLINE,
            severity="major",
            device="id_reader",
            effect=EFFECT_TYPED_ID_ENTRY,
        ),
        r(id="disk_low", when=f"disk.free_pct < {h.disk_min_free_pct:g}", fault=FaultCode.DISK_LOW, severity="major"),
        # Nearly full: stop taking submissions while there is still room to finish the ones under way.
        r(
            id="disk_nearly_full",
            when=f"disk.free_bytes < {int(min_free_bytes)}",
            fault=FaultCode.DISK_LOW,
            severity="critical",
            effect=EFFECT_STOP_SUBMISSIONS,
        ),
        r(
            id="backlog_old",
            when=f"outbox.oldest_pending_age_s > {h.backlog_max_age_s:g}",
            fault=FaultCode.BACKLOG_OLD,
            severity="major",
        ),
        r(id="ui_stale", when=f"ui.liveness_age_s > {h.ui_stale_s:g}", fault=FaultCode.UI_STALE, severity="critical"),
    )


@dataclass(frozen=True)
class HealthReport:
    """What the rules say about one metrics snapshot."""

    active: dict[tuple[str, str], str]  # (fault code, device) -> severity (the highest of the rules that hold)
    effects: frozenset[str]
    hits: tuple[str, ...]  # ids of the rules that hold
    managed: frozenset[tuple[str, str]]  # every (code, device) some rule can raise


@dataclass(frozen=True)
class FaultPlan:
    """Store changes that bring the open faults in line with a :class:`HealthReport`."""

    raise_: tuple[tuple[str, str, str], ...]  # (code, device, severity)
    clear: tuple[tuple[str, str], ...]  # (code, device)


class FaultLike(Protocol):
    """What :func:`plan_faults` needs of an open fault (``kiosk.store.models.Fault`` has it)."""

    code: str
    device: str


class HealthRules:
    """A compiled rule set. Raises :class:`RuleError` naming the rule whose condition is bad."""

    def __init__(self, rules: Sequence[HealthRule]) -> None:
        self.rules = tuple(rules)
        self._compiled: list[tuple[HealthRule, Condition]] = []
        for rule in self.rules:
            try:
                self._compiled.append((rule, compile_condition(rule.when)))
            except RuleError as exc:
                raise RuleError(f"health rule {rule.id!r}: {exc}") from None
        self.managed = frozenset((r.fault, r.device) for r in self.rules if r.fault)

    @classmethod
    def from_config(cls, health: HealthSection, *, min_free_bytes: int = StoreSection().min_free_bytes) -> HealthRules:
        """The configured rules, or the defaults when the config lists none."""
        return cls(health.rules or default_rules(health, min_free_bytes=min_free_bytes))

    def evaluate(self, metrics: Mapping[str, Any]) -> HealthReport:
        """Which faults and effects hold for ``metrics``. A rule that errors is logged and counts as not holding."""
        active: dict[tuple[str, str], str] = {}
        effects: set[str] = set()
        hits: list[str] = []
        for rule, cond in self._compiled:
            try:
                holds = cond(metrics)
            except Exception:  # a rule is data from the hall: one bad rule must not stop the others
                log.exception("health rule %s failed to evaluate", rule.id)
                holds = False
            if not holds:
                continue
            hits.append(rule.id)
            if rule.effect:
                effects.add(rule.effect)
            if rule.fault:
                key = (rule.fault, rule.device)
                prev = active.get(key)
                if prev is None or _rank(rule.severity) > _rank(prev):
                    active[key] = rule.severity
        return HealthReport(active, frozenset(effects), tuple(hits), self.managed)


def _rank(severity: str) -> int:
    try:
        return SEVERITY_ORDER[Severity(severity)]
    except ValueError:
        return 0


def plan_faults(
    report: HealthReport,
    open_faults: Iterable[FaultLike],
    *,
    previous: HealthReport | None = None,
    listed: Iterable[tuple[str, str]] = (),
) -> FaultPlan:
    """Raise what holds and is not open; clear what is open, rule-managed, and no longer holds.

    ``previous`` is the report before this one: a fault is raised or cleared only when both agree, so a snapshot
    taken while a driver was changing its status cannot flap a fault. ``listed`` holds the (code, device) pairs the
    devices list in their status right now: the status sink raises and clears those itself, and a rule acting on
    them from a snapshot a moment old could undo what the sink just did. Faults no rule manages (a cover open)
    are left to whoever raised them.
    """
    open_keys = {(f.code, f.device) for f in open_faults}
    before = report.active if previous is None else previous.active
    owned_by_devices = set(listed)
    to_raise = tuple(
        (c, d, s)
        for (c, d), s in sorted(report.active.items())
        if (c, d) in before and (c, d) not in open_keys and (c, d) not in owned_by_devices
    )
    to_clear = tuple(
        sorted(
            k
            for k in open_keys
            if k in report.managed and k not in report.active and k not in before and k not in owned_by_devices
        )
    )
    return FaultPlan(to_raise, to_clear)


def listed_faults(metrics: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (code, device) pairs the devices list in their status in ``metrics`` (see :func:`plan_faults`)."""
    out: set[tuple[str, str]] = set()
    for kind, device in (metrics.get("device") or {}).items():
        faults = device.get("faults") if isinstance(device, Mapping) else None
        if isinstance(faults, list | tuple | set | frozenset):
            out.update((str(code), kind) for code in faults)
    return out


# --------------------------------------------------------------------------------------------------------------
# Metrics snapshot


class MetricsStore(Protocol):
    """The part of :class:`kiosk.store.Store` the metrics need."""

    def device_statuses(self) -> Mapping[str, Any]: ...
    def outbox_stats(self) -> Any: ...
    def get_setting(self, key: str, default: Any = None) -> Any: ...


def disk_metrics(path: Path, usage: Callable[[Path], Any] = shutil.disk_usage) -> dict[str, float]:
    """Free space of the filesystem holding ``path``: bytes, MiB (as the config counts MB) and percent."""
    u = usage(path)
    return {
        "free_bytes": float(u.free),
        "free_mb": u.free / MIB,
        "free_pct": 100.0 * u.free / u.total if u.total else 0.0,
        "total_bytes": float(u.total),
    }


def collect_metrics(
    store: MetricsStore,
    *,
    now: float,
    data_dir: Path,
    started_at: float,
    disk_usage: Callable[[Path], Any] = shutil.disk_usage,
) -> dict[str, Any]:
    """The snapshot the rules are evaluated over (and the heartbeat reports).

    ``started_at`` is when the caller started: a UI that never reported liveness counts as stale from then on,
    since a screen that never came up is as broken as one that hung.
    """
    devices: dict[str, Any] = {}
    for kind, status in store.device_statuses().items():
        devices[kind] = {
            "state": str(status.state),
            "faults": sorted(str(f) for f in status.faults),
            "usable": bool(status.usable),
            "since": status.since,
            "detail": dict(status.detail),
        }
    stats = store.outbox_stats()
    liveness = store.get_setting(UI_LIVENESS_SETTING)
    last_seen = float(liveness) if _is_number(liveness) else started_at
    maintenance = store.get_setting(MAINTENANCE_SETTING) or {}
    return {
        "device": devices,
        "outbox": {
            "depth": stats.depth,
            "oldest_pending_age_s": stats.oldest_pending_age_s,
            "by_kind": dict(stats.by_kind),
        },
        "disk": disk_metrics(data_dir, disk_usage),
        "ui": {"liveness_age_s": max(0.0, now - last_seen), "seen": liveness is not None},
        "maintenance": {"on": bool(isinstance(maintenance, Mapping) and maintenance.get("on"))},
    }
