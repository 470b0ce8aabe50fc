"""The one polling helper of the test suite: wait for a condition, fail loudly when it never comes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T], timeout: float = 5.0, what: str = "the condition", interval: float = 0.02
) -> T:
    """Poll ``predicate`` until it returns something truthy and return that; ``AssertionError`` after ``timeout``
    seconds, naming ``what`` was awaited. Returning the value lets ``assert wait_until(...)`` read naturally."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)
