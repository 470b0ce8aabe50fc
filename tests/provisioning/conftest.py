"""Fixtures of the technician CLI's tests (the helpers they use are in ``helpers.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
