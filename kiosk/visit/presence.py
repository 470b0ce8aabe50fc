"""Whether a citizen is being served right now, told to other processes through the store (``ui.visit``).

The software updater (``kiosk-update``) must not restart the screen in the middle of a visit. The shell calls
:meth:`VisitPresence.stepped` with every new step (one line in ``Shell.on_stepped``); the setting is written only
when "a visit is in progress" changes, so the store sees two writes per visit. Readers use
:func:`visit_in_progress`, which also treats a record as over when it is older than ``max_age_s`` (a shell that
died mid-visit never wrote the end).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from kiosk.shared_settings import VISIT_SETTING
from kiosk.visit.flow import Step

log = logging.getLogger(__name__)

# Steps in which nobody is being served: the attract screen, goodbye and out of service.
IDLE_STEPS = frozenset({Step.ATTRACT, Step.END, Step.OUT_OF_SERVICE})


class SettingsWriter(Protocol):
    """The part of the store the marker writes to."""

    def set_setting(self, key: str, value: Any) -> None: ...


class VisitPresence:
    """Writes ``ui.visit`` whenever the shell moves between idle and serving."""

    def __init__(self, store: SettingsWriter, *, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock
        self._active: bool | None = None

    def stepped(self, step: Step) -> None:
        """The shell shows ``step`` now; write the setting if that starts or ends a visit. Never raises."""
        active = step not in IDLE_STEPS
        if active == self._active:
            return
        try:
            self._store.set_setting(VISIT_SETTING, {"active": active, "step": str(step), "at": self._clock()})
        except Exception:  # the store reports its own faults; the screen must keep running
            log.exception("cannot write %s", VISIT_SETTING)
            return
        self._active = active


def visit_in_progress(value: Any, now: float, *, max_age_s: float = 3600.0) -> bool:
    """Whether the ``ui.visit`` setting ``value`` says a visit is going on at ``now``.

    No setting (a shell that does not write it, or never ran) or a malformed one counts as no visit.
    """
    if not isinstance(value, Mapping) or not value.get("active"):
        return False
    at = value.get("at")
    if not isinstance(at, int | float) or isinstance(at, bool):
        return False
    return now - float(at) <= max_age_s
