"""Test-wide settings: Qt runs offscreen where there is no display (else the qapp fixture aborts the run)."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The suite runs on two workers (pytest-xdist, ``--dist loadfile``: scripts/test.sh), a module on one worker.
    A machine has one pcscd (vpcd's virtual readers listen on fixed ports), so the tests that need it must all be
    in one module, or two workers would each start it. (xdist's ``loadgroup`` marks do not take with pytest 9:
    the split they should prevent was seen.) More than one module needing pcscd stops the run here, named."""
    modules = sorted({item.nodeid.split("::")[0] for item in items if "pcscd" in getattr(item, "fixturenames", ())})
    if len(modules) > 1:
        raise pytest.UsageError(f"tests needing pcscd must share one module (one xdist worker): {', '.join(modules)}")
