"""Certificates on the A4 printer: whether they can be printed now, and printing one (again) for the citizen.

:class:`CertificateAvailability` is what the session asks before offering a ``prints_document`` service: the
A4 printer's live status (the bridge) and the hall's health effects (the store's ``health.effects``), decided by
:func:`kiosk.certificates.certificate_availability`. :class:`CertificatePrinting` submits a certificate's PDF
from memory and follows the job on the printer's device thread (``print_pdf`` then ``follow_job``); a job that
fails or stalls is told to the citizen (who may print it again within the visit) and, through the printer's
status (``print_failed``), raises a fault for the technician.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal

from drivers.base import NoMedium
from kiosk.catalog import Text
from kiosk.certificates import (
    NO_PRINTER_HERE,
    NOT_PRINTED,
    NOT_PRINTED_NO_PAPER,
    PrintOutcome,
    certificate_availability,
    outcome_text,
)
from kiosk.hall_commands import active_effects
from kiosk.maintenance import PrintCounters
from kiosk.online import Certificate
from kiosk.shared_settings import EFFECTS_SETTING
from ui.devices import DeviceBridge

log = logging.getLogger(__name__)

A4 = "document_printer"
PRINTING = Text("正在打印证明，请稍候……", "Printing your certificate, please wait…")


class CertificateAvailability:
    """Why no certificate can be printed now (None: they can); the store's effects are read at most every
    ``cache_s`` (the session asks on every view)."""

    def __init__(
        self, bridge: DeviceBridge, store: Any, clock: Callable[[], float] = time.monotonic, cache_s: float = 2.0
    ) -> None:
        self._bridge, self._store, self._clock, self._cache_s = bridge, store, clock, cache_s
        self._read_at = -1e18
        self._effects: frozenset[str] = frozenset()

    def _current_effects(self) -> Iterable[str]:
        now = self._clock()
        if now - self._read_at >= self._cache_s:
            self._read_at = now
            try:
                self._effects = active_effects(self._store.get_setting(EFFECTS_SETTING))
            except Exception:  # an unreadable store is the store's own fault; keep the last effects meanwhile
                log.exception("cannot read %s", EFFECTS_SETTING)
        return self._effects

    def __call__(self) -> Text | None:
        if not self._bridge.has(A4):
            return NO_PRINTER_HERE
        return certificate_availability(self._bridge.status(A4), self._current_effects()).reason


def _print_and_follow(device: Any, pdf: bytearray, title: str) -> PrintOutcome:
    """On the printer's device thread: submit the document, then follow the job to its end."""
    return device.follow_job(device.print_pdf(pdf, title))


class CertificatePrinting(QObject):
    """Prints certificates; ``note(text, ok)`` says what to tell the citizen, ``ended(printed)`` when a job ends."""

    note = Signal(object, bool)  # kiosk.catalog.Text, ok
    ended = Signal(bool)

    def __init__(
        self, bridge: DeviceBridge, parent: QObject | None = None, *, counters: PrintCounters | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.counters = counters
        self.busy = False
        self.outcomes: list[PrintOutcome] = []  # how the jobs of this run ended (no document content: tests, demo)

    def print(self, certificate: Certificate) -> bool:
        """Send the certificate's PDF (from memory) to the A4 printer; False if it could not even be started."""
        if self.busy:
            return False
        if not self.bridge.has(A4):
            self.note.emit(NO_PRINTER_HERE, False)
            self.ended.emit(False)
            return False
        self.busy = True
        self.note.emit(PRINTING, True)
        device = self.bridge.device(A4)
        self.bridge.call(A4, _print_and_follow, device, certificate.pdf, certificate.title.zh,
                         on_done=self._done, on_error=self._failed)  # fmt: skip
        return True

    def _done(self, outcome: PrintOutcome) -> None:
        self.busy = False
        self.outcomes.append(outcome)
        log.info("certificate job %d: %s (%s)", outcome.job_id, outcome.result, outcome.reason)
        if outcome.ok and self.counters is not None:
            self.counters.count(A4)
        self.bridge.poll(A4)  # a failed job puts print_failed in the status now: the fault is raised at once
        self.note.emit(outcome_text(outcome), outcome.ok)
        self.ended.emit(outcome.ok)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        log.warning("certificate not printed: %s", type(exc).__name__)
        self.bridge.poll(A4)
        self.note.emit(NOT_PRINTED_NO_PAPER if isinstance(exc, NoMedium) else NOT_PRINTED, False)
        self.ended.emit(False)

    def forget(self) -> None:
        """The visit ended: a job still running reports to nobody (the bridge drops its callbacks too)."""
        self.busy = False
