"""Fixtures for the shell's tests: a kiosk on simulated devices with a settable clock, driven like a finger."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.visit.flow import Step
from ui.app import setup_fonts
from ui.demo import NIGHT, DemoClock, open_demo
from ui.runtime import Runtime
from ui.shell import Shell


@pytest.fixture(autouse=True)
def _windows_deleted_after_each_test(qapp: Any) -> Iterator[None]:
    """Delete every window a test leaves behind. The one QApplication lives for the whole run, and a closed window
    is only hidden: each application-wide style sheet change (the elderly mode sets one) restyles every widget
    still alive, so without this a late test restyled all earlier tests' screens (the layout check's elderly
    variants took 200+ s at the end of the suite, 23 s alone)."""
    yield
    for _ in range(3):  # signals the devices queued before they stopped reach the screens while these still exist
        QCoreApplication.processEvents()
    for window in QApplication.topLevelWidgets():
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


class Kiosk:
    """A started shell over a demo runtime, with helpers to act and wait."""

    def __init__(self, qtbot: Any, runtime: Runtime, shell: Shell, clock: DemoClock) -> None:
        self.qtbot, self.runtime, self.shell, self.clock = qtbot, runtime, shell, clock
        self.session = runtime.session
        self.reader = runtime.device("id_reader").simulator
        self.printer = runtime.device("printer").simulator
        self.dispenser = runtime.device("dispenser").simulator

    @property
    def screen(self) -> Any:
        """The screen on display."""
        return self.shell.navigator.current

    @property
    def view(self) -> Any:
        """The last rendered view."""
        return self.shell.navigator.view

    def wait(self, cond: Callable[[], bool], timeout_ms: int = 10_000) -> None:
        """Until ``cond()`` holds (Vorta's qtbot.waitUntil)."""
        self.qtbot.waitUntil(cond, timeout=timeout_ms)

    def wait_step(self, step: Step) -> None:
        """Until the session is at ``step``."""
        self.wait(lambda: self.session.step == step)

    def tap(self, button: QAbstractButton) -> None:
        """Tap a visible, enabled button."""
        assert button.isVisible() and button.isEnabled(), f"{button.text()!r} cannot be tapped"
        button.click()

    def card(self, on: bool = True, name: str = "normal") -> None:
        """Put a sample card on the ID reader (or take it away)."""
        self.reader.insert(name if on else None)

    def identify_by_card(self) -> None:
        """From attract: card on the reader, wait for the choose screen."""
        self.card(True)
        self.wait_step(Step.CHOOSE)

    def to_form(self, bundle: str = "newborn") -> None:
        """Identify by card, choose ``bundle``, accept the notice."""
        self.identify_by_card()
        self.tap(next(b for b in self.screen.grid.buttons if b.key == f"bundle:{bundle}"))
        self.wait_step(Step.NOTICE)
        self.tap(self.screen.accept)
        self.wait_step(Step.FORM)

    def advance(self, seconds: float) -> None:
        """Move the clock on and let the shell's once-a-second tick see it."""
        self.clock.set(self.clock() + seconds)
        self.shell.tick()


@pytest.fixture
def kiosk_factory(qapp: Any, qtbot: Any, tmp_path: Path) -> Iterator[Callable[..., Kiosk]]:
    """Make started kiosks (``lang``, ``orientation``, ``start`` time, maintenance ``pin_hash``, the simulated
    ``scanner`` and document ``camera`` fitted or not); all are stopped at the end of the test."""
    setup_fonts(qapp, "Noto Sans CJK SC")
    made: list[tuple[Runtime, Shell]] = []

    def make(
        lang: str = "zh",
        orientation: str = "landscape",
        start: float = NIGHT,
        pin_hash: str = "",
        scanner: bool = False,
        camera: bool = False,
    ) -> Kiosk:
        clock = DemoClock(start)
        runtime, shell = open_demo(
            tmp_path / f"k{len(made)}", clock, lang=lang, orientation=orientation, pin_hash=pin_hash, scanner=scanner,
            camera=camera,
        )
        made.append((runtime, shell))
        shell.start(show=True)
        k = Kiosk(qtbot, runtime, shell, clock)
        # Wait until the readers have reported, so the screens know the devices' state.
        k.wait(lambda: runtime.bridge.usable("id_reader") and runtime.bridge.usable("printer"))
        return k

    yield make
    for runtime, shell in made:
        shell.stop()
        runtime.close()
    time.sleep(0)  # let Qt drop the windows before the next test


@pytest.fixture
def kiosk(kiosk_factory: Callable[..., Kiosk]) -> Kiosk:
    """A Chinese landscape kiosk at night."""
    return kiosk_factory()
