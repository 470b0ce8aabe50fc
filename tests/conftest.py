"""Test-wide settings: Qt runs offscreen where there is no display (else the qapp fixture aborts the run)."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups into the node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The suite runs on two workers (pytest-xdist, ``--dist loadgroup``: scripts/test.sh). A machine has one
    pcscd (vpcd's virtual readers listen on fixed ports), so every test that needs it runs on one worker."""
    for item in items:
        if "pcscd" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("pcscd"))
