"""The shell tells kiosk-update whether a citizen is being served (``ui.visit``), so no update restarts the
screen mid-visit."""

from __future__ import annotations

from kiosk.shared_settings import VISIT_SETTING
from kiosk.visit.flow import Step
from kiosk.visit.presence import visit_in_progress

from .conftest import Kiosk


def test_a_visit_is_marked_while_it_runs_and_unmarked_when_it_ends(kiosk: Kiosk) -> None:
    store = kiosk.runtime.store
    kiosk.identify_by_card()
    marker = store.get_setting(VISIT_SETTING)
    assert marker["active"] is True and visit_in_progress(marker, now=kiosk.clock())
    kiosk.tap(kiosk.shell.window.cancel)  # the citizen ends the visit
    kiosk.wait_step(Step.TAKE_CARD)
    assert store.get_setting(VISIT_SETTING)["active"] is True  # the citizen is still at the kiosk
    kiosk.card(False)
    kiosk.wait_step(Step.END)
    marker = store.get_setting(VISIT_SETTING)
    assert marker["active"] is False and not visit_in_progress(marker, now=kiosk.clock())
