"""PostgreSQL only: the database going away under running hall instances. Nothing is acknowledged that was not
committed, so the kiosks' resends bring everything in once the database is back."""

from __future__ import annotations

import time
from pathlib import Path

from sync import contract
from sync.halldb.throwaway import ThrowawayCluster
from tests import citizen
from tests.sync.conftest import HALL_ID, Broker, Loop, RawClient, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until

MESSAGES = 800


def test_a_database_outage_under_two_instances_loses_and_doubles_nothing(
    tmp_path: Path, broker: Broker, pg_cluster: ThrowawayCluster, pg_url: str
) -> None:
    halls = [make_hall(pg_url, broker.port, instance=str(i)) for i in (1, 2)]
    k = make_kiosk(tmp_path, mqtt_section(broker.port, inflight=32, ack_timeout_s=0.5))
    keys = {k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(MESSAGES)}
    loops = [Loop(h, f"hall-{i}") for i, h in enumerate(halls, 1)] + [Loop(k.agent, "agent")]
    halted = False
    try:
        wait_until(lambda: k.agent.state.confirmed >= 200, 20, "part of the drain")
        pg_cluster.halt()
        halted = True
        wait_until(lambda: sum(h.stats.store_failures for h in halls) >= 2, 20, "the halls finding the database gone")
        confirmed = k.agent.state.confirmed
        # Another kiosk comes online meanwhile: its retained status reaches the halls once, now.
        other = RawClient(broker.port, "KSK-0002")
        status = contract.status_message("KSK-0002", HALL_ID, online=True, at=time.time())
        other.publish(f"gov/v1/{HALL_ID}/kiosk/KSK-0002/status", contract.encode(status), retain=True)
        other.close()
        wait_until(lambda: k.agent.state.resent > 0, 10, "the kiosk resending what was not acknowledged")
        assert k.agent.state.confirmed == confirmed  # nothing acknowledged while nothing could be stored
        pg_cluster.resume()
        halted = False
        wait_until(lambda: k.store.outbox_stats().depth == 0, 60, "the drain to finish once the database is back")
        wait_until(lambda: [r.kiosk_id for r in halls[0].db.fleet() if r.online] == ["KSK-0001", "KSK-0002"], 10,
                   "the status read during the outage, written after it")  # fmt: skip
    finally:
        if halted:
            pg_cluster.resume()
        for loop in loops:
            loop.stop()
    db = halls[0].db
    assert db.count("submission") == MESSAGES and set(db.keys("submission")) == keys
    assert db.quarantined() == []
