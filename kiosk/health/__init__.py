"""Maintenance rules as data: which faults a kiosk's state implies and which fallbacks the shell switches on.

* :mod:`kiosk.health.condition`: the condition language the rules are written in (parsed, never ``eval``-ed).
* :mod:`kiosk.health.rules`: the default rules, their evaluation and the fault plan.
* :mod:`kiosk.health.metrics`: the snapshot of store and disk the rules are evaluated over.

The sync agent evaluates the rules on every health tick and applies the result to the store; the shell may
evaluate them too to react at once. The settings the two processes exchange are in :mod:`kiosk.shared_settings`.
"""

from kiosk.health.condition import Condition, RuleError, compile_condition
from kiosk.health.metrics import MetricsStore, collect_metrics, disk_metrics
from kiosk.health.rules import (
    EFFECT_NO_CERTIFICATES,
    EFFECT_ONSCREEN_RECEIPTS,
    EFFECT_STOP_SUBMISSIONS,
    EFFECT_TYPED_ID_ENTRY,
    FaultLike,
    FaultPlan,
    HealthReport,
    HealthRules,
    default_rules,
    listed_faults,
    plan_faults,
)

__all__ = [
    "EFFECT_NO_CERTIFICATES",
    "EFFECT_ONSCREEN_RECEIPTS",
    "EFFECT_STOP_SUBMISSIONS",
    "EFFECT_TYPED_ID_ENTRY",
    "Condition",
    "FaultLike",
    "FaultPlan",
    "HealthReport",
    "HealthRules",
    "MetricsStore",
    "RuleError",
    "collect_metrics",
    "compile_condition",
    "default_rules",
    "disk_metrics",
    "listed_faults",
    "plan_faults",
]
