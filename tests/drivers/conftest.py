"""Fixtures shared by the driver tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.base import device_thread


@pytest.fixture
def own_devices() -> Iterator[None]:
    """The test owns the devices it makes (no DeviceRunner): their I/O runs on the test's own thread."""
    with device_thread():
        yield
