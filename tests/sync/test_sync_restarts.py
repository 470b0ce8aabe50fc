"""The broker killed (SIGKILL, no persistence) and restarted 20 times during a 10,000-message drain."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests import citizen
from tests.sync.conftest import Broker, Loop, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until

MESSAGES = 10_000
RESTARTS = 20


def test_twenty_broker_restarts_during_a_drain_lose_and_double_nothing(tmp_path: Path, broker: Broker) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, inflight=128, ack_timeout_s=1.0))
    keys: set[str] = set()

    def screen() -> None:  # the screen process keeps writing while the agent drains (each enqueue is fsynced)
        for i in range(MESSAGES):
            keys.add(k.store.enqueue("submission", citizen.submission(i), personal=True).key)

    writer = threading.Thread(target=screen, name="writer")
    writer.start()
    hall = make_hall(tmp_path / "hall.db", broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    started = time.monotonic()
    try:
        # Restart at evenly spaced points of progress, so every restart hits a drain in full flow.
        for i in range(1, RESTARTS + 1):
            mark = i * MESSAGES // (RESTARTS + 2)
            wait_until(lambda m=mark: k.agent.state.confirmed >= m, 60, f"{mark} confirmed before restart {i}")
            broker.restart()
        writer.join(timeout=120)
        assert not writer.is_alive()
        wait_until(lambda: k.store.outbox_stats().by_kind.get("submission", 0) == 0, 120, "the drain to finish")
        # Let the acknowledgements of any last resends arrive before counting.
        wait_until(
            lambda: (
                hall.stats.received == hall.stats.stored + hall.stats.duplicates + hall.stats.rejected
                and not hall._buffer
            ),
            10,
            "the hall to settle",
        )
    finally:
        for loop in loops:
            loop.stop()
    elapsed = time.monotonic() - started
    assert broker.starts == RESTARTS + 1
    assert k.agent.state.drops >= RESTARTS  # the agent really lost its link each time
    assert hall.db.count("submission") == MESSAGES
    assert len(keys) == MESSAGES and set(hall.db.keys("submission")) == keys
    assert sorted(citizen.number(r["payload"]) for r in hall.db.messages("submission")) == list(range(MESSAGES))
    assert hall.db.quarantined() == []
    assert k.store.outbox_stats().confirmed >= MESSAGES
    print(
        f"drained {MESSAGES} through {RESTARTS} broker restarts in {elapsed:.1f} s; "
        f"{hall.db.copies() - MESSAGES} duplicate copies absorbed by the hall; {k.agent.state.resent} resends"
    )
