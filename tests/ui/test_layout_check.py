"""The layout check, over every screen of the demo visit in every variant (language × orientation × mode).

The demo visit is played through the real widgets on simulated devices, as ``kiosk demo --headless`` plays it,
but instead of writing screenshots every screen goes through :class:`tests.ui.layout_audit.Audit`, and every
keypad and keyboard entry is typed key by key with the audit watching for controls that move under the finger.
A new screen is checked once the demo visit shows it; a new language once ``ui.demo.VARIANTS`` lists it (less
the variants ``ui.demo.LAYOUT_PENDING`` names as not passing yet).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from ui.app import setup_fonts
from ui.demo import LAYOUT_VARIANTS, MORNING, NIGHT, DemoClock, open_demo
from ui.demo_visit import DemoVisit
from ui.theme import LANDSCAPE

from .layout_audit import Audit, target_px


def variant_id(variant: tuple[str, str, bool]) -> str:
    lang, orientation, elderly = variant
    return f"{lang}-{orientation}-{'elderly' if elderly else 'normal'}"


@pytest.mark.parametrize("variant", LAYOUT_VARIANTS, ids=[variant_id(v) for v in LAYOUT_VARIANTS])
def test_every_screen_fits_and_holds_still(qapp: Any, tmp_path: Path, variant: tuple[str, str, bool]) -> None:
    lang, orientation, elderly = variant
    setup_fonts(qapp, "Noto Sans CJK SC")
    clock = DemoClock(NIGHT)
    runtime, shell = open_demo(tmp_path / "kiosk", clock, lang=lang, orientation=orientation)
    audit = Audit(target=target_px(shell.config.screen, *LANDSCAPE))
    visit = DemoVisit(qapp, runtime, shell, clock, tmp_path, lang=lang, orientation=orientation, elderly=elderly,
                      echo=io.StringIO(), observer=audit, pngs=False)  # fmt: skip
    try:
        shell.start(show=True)
        visit.play(printouts=False, morning=MORNING)
    finally:
        shell.stop()
        runtime.close()
    assert audit.screens >= 20 and audit.presses >= 40, audit.report()
    assert not audit.findings, audit.report()
