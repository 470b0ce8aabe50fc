"""A real private cupsd with a cups-pdf queue (the A4 printer's simulator) for the session, and the real facade
on it. Each test starts from a healthy queue: condition "ok", no held or failing jobs, running, accepting.

Missing packages (cups, printer-driver-cups-pdf, ghostscript, poppler-utils, pycups) make the tests fail with
what to install (scripts/setup.sh installs them); they are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.base import device_thread
from drivers.document_printer.facade import CupsDocumentPrinter
from drivers.document_printer.simulator import CupsSimulator

# Short enough for tests, long enough for a loaded 2-core machine to finish a one-page job well within them.
FOLLOW = {"stall_s": 8.0, "fault_grace_s": 1.0, "job_timeout_s": 60.0, "follow_poll_s": 0.05}


@pytest.fixture(scope="session")
def a4_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsSimulator]:
    """One simulated A4 printer (private cupsd, TCP too) for the session; printouts in a session folder."""
    sim = CupsSimulator(out_dir=tmp_path_factory.mktemp("a4-out"), tcp=True)
    sim.start()
    yield sim
    sim.close()


@pytest.fixture
def healthy_sim(a4_sim: CupsSimulator) -> Iterator[CupsSimulator]:
    """The session's simulator, healthy at the start of the test and put back so after it."""
    _heal(a4_sim)
    yield a4_sim
    _heal(a4_sim)


def _heal(sim: CupsSimulator) -> None:
    sim.freeze(False) if sim.running else sim.start_daemon()
    sim.fail_jobs(False)
    sim.set_condition("ok")
    sim.pause(False)
    sim.accept_jobs(True)


def make_printer(sim: CupsSimulator, *, server: str | None = None, **over: float) -> CupsDocumentPrinter:
    """The real facade on the simulator's queue (its socket unless ``server`` is given)."""
    return CupsDocumentPrinter(sim.queue, server=sim.server if server is None else server, timeout_s=5.0,
                               **{**FOLLOW, **over})  # fmt: skip


@pytest.fixture
def a4(healthy_sim: CupsSimulator) -> Iterator[CupsDocumentPrinter]:
    """An opened facade on the healthy simulator, this thread being its device thread."""
    printer = make_printer(healthy_sim)
    with device_thread(printer):
        printer.open()
        yield printer
        printer.close()


def out_files(sim: CupsSimulator) -> set[Path]:
    """The printouts so far."""
    return set(sim.outputs())
