"""Maintenance rules as data: which faults a kiosk's state implies and which fallbacks the shell switches on.

A rule (``kiosk.config.HealthRule``) says *when* a condition (:mod:`kiosk.health.condition`) over a metrics
snapshot (:mod:`kiosk.health.metrics`) holds, which fault it raises (code, device, severity) and which *effect*
the shell applies ("onscreen_receipts", "typed_id_entry", "stop_submissions", "no_certificates").
:func:`plan_faults` turns what the rules say into the store changes that bring the open faults in line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.config import HealthRule, HealthSection, StoreSection
from kiosk.faults import SEVERITY_ORDER, FaultCode, Severity
from kiosk.health.condition import Condition, RuleError, compile_condition

log = logging.getLogger(__name__)

# Effects the shell understands (a rule may name others; the shell ignores what it does not know).
EFFECT_ONSCREEN_RECEIPTS = "onscreen_receipts"
EFFECT_TYPED_ID_ENTRY = "typed_id_entry"
EFFECT_STOP_SUBMISSIONS = "stop_submissions"
EFFECT_NO_CERTIFICATES = "no_certificates"  # prints_document services unavailable (kiosk/certificates.py)



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
        # The accessibility keypad gone: a technician is sent (the fault), the kiosk serves on (no effect). The
        # runner lists keypad_offline in the keypad's own status; this rule also covers a keypad whose driver
        # could not be built (the registry reports that as device_offline).
        r(
            id="keypad_gone",
            when="device.keypad.state in [absent, fault]",
            fault=FaultCode.KEYPAD_OFFLINE,
            severity="major",
            device="keypad",
        ),
        # No A4 paper, or an A4 printer that cannot print (door open, offline, none fitted): certificate services
        # are shown unavailable with the reason. The printer's own faults come from its status.
        r(
            id="a4_paper_out",
            when="device.document_printer.faults contains a4_paper_out",
            fault=FaultCode.A4_PAPER_OUT,
            severity="major",
            device="document_printer",
            effect=EFFECT_NO_CERTIFICATES,
        ),
        r(
            id="document_printer_unusable",
            when="device.document_printer.state in [fault, absent, disabled]",
            fault="",
            severity="minor",
            device="document_printer",
            effect=EFFECT_NO_CERTIFICATES,
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

