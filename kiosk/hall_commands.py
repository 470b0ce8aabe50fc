"""What the hall asks of the screen, decided without Qt: maintenance mode, health effects, commands to carry out.

The sync agent writes two settings the shell reads every couple of seconds (``kiosk.shared_settings``):
``maintenance.mode`` (``{"on", "by", "since"}``; our own technician screen marks its entries with
``kiosk.maintenance.SCREEN_BY``, so only the others are the hall's) and ``health.effects`` (a sorted list of
effect names). Commands the agent cannot carry out itself wait in the store's inbox under the kind
``command.<name>`` (docs/mqtt-contract.md §5.2); the screen answers each with ``inbox_done``. The test page
such a command prints is laid out in :mod:`kiosk.test_page`; ``ui.hall`` is the Qt glue that polls and prints.

:func:`service_change` is the one rule of when the session goes out of service for the hall and back: only
from the attract screen (a visit in progress always finishes), and back only from a reason set here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.health import EFFECT_STOP_SUBMISSIONS
from kiosk.maintenance import SCREEN_BY
from kiosk.shared_settings import EFFECTS_SETTING, MAINTENANCE_SETTING, UI_COMMANDS, ui_inbox_kind
from kiosk.visit.flow import Step

PRINT_TEST_PAGE_KIND = ui_inbox_kind("print_test_page")
UI_COMMAND_KINDS = tuple(ui_inbox_kind(c) for c in sorted(UI_COMMANDS))

# Out-of-service reasons the shell sets (and alone may lift), as SessionView.out_of_service_reason.
HALL_MAINTENANCE = "hall_maintenance"
STOP_SUBMISSIONS = "stop_submissions"
HALL_REASONS = frozenset({HALL_MAINTENANCE, STOP_SUBMISSIONS})

# What the shell does to the session: nothing, take it out of service (with the wanted reason), or recover.
OUT, RECOVER = "out_of_service", "recover"


class SettingsReader(Protocol):
    """The part of :class:`kiosk.store.Store` read here."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...


@dataclass(frozen=True)
class HallState:
    """What the hall wants now: maintenance mode (its own, not a technician's on the screen) and effects."""

    maintenance: bool = False
    effects: frozenset[str] = field(default_factory=frozenset)

    @property
    def reason(self) -> str:
        """Why the kiosk must not serve citizens ("": it may); maintenance first, then a nearly full disk."""
        if self.maintenance:
            return HALL_MAINTENANCE
        if EFFECT_STOP_SUBMISSIONS in self.effects:
            return STOP_SUBMISSIONS
        return ""


def hall_maintenance(mode: Any) -> bool:
    """Whether ``maintenance.mode`` is on and was set by someone other than the kiosk's technician screen."""
    return isinstance(mode, dict) and mode.get("on") is True and mode.get("by") != SCREEN_BY


def active_effects(value: Any) -> frozenset[str]:
    """The effect names in ``health.effects`` (anything malformed counts as none)."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(v for v in value if isinstance(v, str))


def read_state(store: SettingsReader) -> HallState:
    """The hall's wishes as the store holds them now (StoreError propagates)."""
    return HallState(
        maintenance=hall_maintenance(store.get_setting(MAINTENANCE_SETTING)),
        effects=active_effects(store.get_setting(EFFECTS_SETTING)),
    )


def service_change(step: Step, reason: str, wanted: str) -> str:
    """What to do to a session at ``step`` (out-of-service ``reason``) so it follows ``wanted`` ("" = serve):
    ``OUT`` (out of service with ``wanted``), ``RECOVER`` or "" (nothing now)."""
    if step == Step.ATTRACT:
        return OUT if wanted else ""
    if step == Step.OUT_OF_SERVICE and reason in HALL_REASONS and reason != wanted:
        return OUT if wanted else RECOVER
    return ""  # a visit runs (it finishes first), goodbye, or out of service for another reason (the store)
