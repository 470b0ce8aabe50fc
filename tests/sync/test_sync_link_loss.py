"""The link under loss (issue 12, points 16-17), with a real broker and the reference hall.

- A window full of unacknowledged citizen rows must not hold back a control message (it once waited the whole
  ``ack_timeout_s``: a critical ``ui_stale`` fault reached the hall 10-25 s late).
- A row whose ack was lost is resent as soon as later rows are acknowledged, not after ``ack_timeout_s``.
- After a long broker outage the reconnect backoff had grown to a minute: the drain must start within about two
  seconds of the broker's return.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.hall import Hall
from tests import citizen
from tests.sync.conftest import Broker, Loop, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until

RESULT = {"msg_id": None, "request_kind": "command", "status": "ok", "error": None, "detail": {}}


def dropping_acks(hall: Hall, drop: Callable[[str], bool]) -> Hall:
    """Make ``hall`` leave out of its acks every key ``drop`` says (the ack of that copy is lost)."""
    publish = hall._publish

    def filtered(kiosk_id: str, kind: str, message: dict[str, Any], **kwargs: Any) -> Any:
        if kind == "ack":
            message = {**message, "keys": [k for k in message["keys"] if not drop(k)]}
        return publish(kiosk_id, kind, message, **kwargs)

    hall._publish = filtered  # type: ignore[method-assign]
    return hall


def test_a_control_message_does_not_wait_behind_a_window_of_unacknowledged_citizen_rows(
    tmp_path: Path, broker: Broker
) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, inflight=16, ack_timeout_s=30.0, retry_max_s=30.0))
    citizen_keys = {k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(40)}
    hall = dropping_acks(make_hall(tmp_path / "hall.db", broker.port), lambda key: key in citizen_keys)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: hall.db.count("submission") >= 16, 10, "the window to fill with citizen rows")
        assert k.agent.state.confirmed == 0
        started = time.monotonic()
        key = k.store.enqueue("command_result", RESULT).key
        wait_until(lambda: k.store.get(key).state == "confirmed", 5, "the control row to reach the hall")
        waited = time.monotonic() - started
    finally:
        for loop in loops:
            loop.stop()
    assert waited < 2.0, f"a control row waited {waited:.1f} s behind citizen rows"
    assert hall.db.count("submission") == 16  # the citizen window stayed full and unacknowledged meanwhile


def test_a_row_whose_ack_was_lost_is_resent_once_later_rows_are_acknowledged(tmp_path: Path, broker: Broker) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, inflight=16, ack_timeout_s=30.0, retry_max_s=30.0))
    keys = [k.store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(60)]
    lost = {keys[3], keys[20], keys[41]}
    dropped: set[str] = set()

    def first_ack_lost(key: str) -> bool:
        if key in lost and key not in dropped:
            dropped.add(key)
            return True
        return False

    hall = dropping_acks(make_hall(tmp_path / "hall.db", broker.port), first_ack_lost)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        started = time.monotonic()
        wait_until(lambda: k.store.outbox_stats().depth == 0, 10, "every row confirmed, the lost acks' too")
        elapsed = time.monotonic() - started
    finally:
        for loop in loops:
            loop.stop()
    assert dropped == lost
    assert elapsed < 5.0
    assert hall.db.count("submission") == 60


def test_the_drain_starts_soon_after_the_broker_returns_from_a_long_outage(tmp_path: Path, broker: Broker) -> None:
    # Backoff from 0.5 s doubling to 60 s: after a 9 s outage the next attempt would be 5-8 s after the return.
    k = make_kiosk(tmp_path, mqtt_section(broker.port, retry_min_s=0.5, retry_max_s=60.0))
    hall = make_hall(tmp_path / "hall.db", broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: k.agent.connected and hall.connected, 5, "both connected")
        broker.kill()
        wait_until(lambda: not k.agent.connected, 10, "the agent to notice the outage")
        time.sleep(9.0)  # the outage itself: the backoff grows meanwhile
        key = k.store.enqueue("submission", citizen.submission(1), personal=True).key
        broker.start()
        back = time.monotonic()
        wait_until(lambda: k.store.get(key).state == "confirmed", 10, "the drain after the broker's return")
        delay = time.monotonic() - back
    finally:
        for loop in loops:
            loop.stop()
    assert delay < 3.0, f"the drain began {delay:.1f} s after the broker was back"
