"""Fixtures of the technician CLI's tests (the helpers they use are in ``helpers.py``)."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.hall_main import main as hall_main
from sync.release.build import BuiltRelease, release_files
from tests.provisioning.helpers import Kiosk, Mosquitto


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    """An empty kiosk: no config written yet."""
    return Kiosk(tmp_path, tmp_path / "etc" / "kiosk.toml", tmp_path / "data")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    """A plain (anonymous, no TLS) broker."""
    m = Mosquitto(tmp_path, ["allow_anonymous true"])
    yield m
    m.stop()


@pytest.fixture(scope="session")
def release_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltRelease:
    """This project's wheel and a lock of the test venv, built once per session with ``kiosk-hall release build``
    (the software-update tests publish it under several release versions)."""
    out = tmp_path_factory.mktemp("release-build")
    source = Path(__file__).resolve().parents[2]
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        code = hall_main(
            ["release", "build", "--source", str(source), "--out", str(out), "--lock-from", sys.executable]
        )
    assert code == 0, printed.getvalue()
    return release_files(out)
