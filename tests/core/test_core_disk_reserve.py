"""The store's refusal of submissions and the health rule that takes the kiosk out of service agree on one
free-space figure: ``StoreSection.min_free_bytes`` (issue: 2**20, 1024*1024, 1_000_000 and 1e6 disagreed, so
between about 200 and 209.7 MB free the UI refused submissions while the rule had not fired)."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

import pytest

from kiosk.config import HealthSection, StoreSection
from kiosk.health import EFFECT_STOP_SUBMISSIONS, HealthRules, disk_metrics
from kiosk.store import Store, StoreUnavailable

Usage = namedtuple("Usage", "total used free")
TOTAL = 10**12  # a big disk, so the percentage rule stays quiet and only the reserve matters


def stops(rules: HealthRules, free: int, tmp_path: Path) -> bool:
    metrics = {"disk": disk_metrics(tmp_path, lambda _p: Usage(TOTAL, TOTAL - free, free))}
    return EFFECT_STOP_SUBMISSIONS in rules.evaluate(metrics).effects


def refuses(tmp_path: Path, reserve: int, free: int) -> bool:
    with Store(
        tmp_path / f"k{free}.db", min_free_bytes=reserve, disk_usage=lambda _p: Usage(TOTAL, TOTAL - free, free)
    ) as store:
        try:
            store.enqueue("submission", {"n": 1})
        except StoreUnavailable:
            return True
    return False


@pytest.mark.parametrize("min_free_mb", [200, 1])
def test_refusal_and_the_stop_rule_agree_at_every_figure(tmp_path: Path, min_free_mb: int) -> None:
    section = StoreSection(min_free_mb=min_free_mb)
    reserve = section.min_free_bytes
    assert reserve == min_free_mb * 2**20
    rules = HealthRules.from_config(HealthSection(), min_free_bytes=reserve)
    # The figures the old conversions disagreed on, and both sides of the reserve itself.
    for free in (reserve - 1, reserve, reserve + 1, min_free_mb * 10**6, min_free_mb * 10**6 - 1, reserve * 2):
        assert refuses(tmp_path, reserve, free) == stops(rules, free, tmp_path), free
    assert refuses(tmp_path, reserve, reserve - 1) and not refuses(tmp_path, reserve, reserve)
