"""The agent tells the shell whether the hall is reachable, and picks up rows another process re-queued."""

from __future__ import annotations

import time
from pathlib import Path

from kiosk.shared_settings import HALL_LINK_SETTING
from kiosk.store import Store
from sync.agent import REWIND_S
from tests import citizen
from tests.sync.conftest import Broker, Loop, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until


def link(store: Store) -> dict:
    return store.get_setting(HALL_LINK_SETTING) or {}


def test_link_state_is_noted_for_the_shell_on_connect_and_loss(tmp_path: Path, broker: Broker) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, retry_min_s=0.1, retry_max_s=0.2))
    loop = Loop(k.agent, "agent")
    try:
        wait_until(lambda: link(k.store).get("online") is True, 10, "online noted")
        broker.kill()
        wait_until(lambda: link(k.store).get("online") is False, 10, "loss noted")
        assert time.time() - link(k.store)["at"] < 10
        broker.start()
        wait_until(lambda: link(k.store).get("online") is True, 10, "online again")
    finally:
        loop.stop()


def test_rows_requeued_by_another_process_are_sent_after_the_periodic_rewind(tmp_path: Path, broker: Broker) -> None:
    skew = [0.0]  # lets the test move the agent's monotonic clock past the rewind period
    k = make_kiosk(tmp_path, mqtt_section(broker.port), monotonic=lambda: time.monotonic() + skew[0])
    keys = [k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(20)]

    def pending() -> int:
        return k.store.outbox_stats().by_kind.get("submission", 0)

    hall = make_hall(tmp_path / "hall.db", broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: pending() == 0, 20, "first drain")
        other = Store(k.kiosk.data_dir / "kiosk.db")
        assert other.requeue_since(0) >= 20  # what `kiosk-provision outbox retry --all` does (telemetry too)
        # A later citizen record in the same lane: once it is confirmed, the agent has read the outbox after the
        # requeue. The requeued rows sit behind its cursor: without a rewind they would wait forever.
        later = other.enqueue("rating", citizen.rating(20)).key
        other.close()
        wait_until(lambda: k.store.get(later).state == "confirmed", 20, "a record written after the requeue")
        assert pending() == 20
        skew[0] += REWIND_S + 1
        wait_until(lambda: pending() == 0, 20, "resent after the rewind")
    finally:
        for loop in loops:
            loop.stop()
    assert sorted(hall.db.keys("submission")) == sorted(keys)  # the hall still counts each once
