"""Issue 15.5, the technician's walk-through: ``kiosk-hall command`` waits for the kiosk's result and prints it,
and ``kiosk-hall fleet``'s backlog follows what has arrived since the kiosk's last heartbeat. On both backends,
through a real broker, with a real kiosk agent and a running hall instance sharing the database."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from sync.hall_main import main as hall_main
from sync.halldb import HALL_MIGRATIONS
from tests import citizen
from tests.sync.conftest import HALL_ID, Broker, Loop, ScreenStandIn, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until


def _cli(hall_db: str, port: int, *rest: str) -> list[str]:
    return [rest[0], "--db", hall_db, "--hall", HALL_ID, "--port", str(port), "--instance", "ops", *rest[1:]]


def test_command_waits_for_the_kiosks_result_and_prints_it(
    tmp_path: Path, broker: Broker, hall_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    hall = make_hall(hall_db, broker.port)
    k = make_kiosk(tmp_path, mqtt_section(broker.port))
    screen = ScreenStandIn(k.store)  # self_test is "ok" only while the screen process runs
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].online, 10, "the kiosk online")
        capsys.readouterr()
        assert hall_main(_cli(hall_db, broker.port, "command", "KSK-0001", "self_test")) == 0
        out = capsys.readouterr().out
        result = json.loads(out)
        assert result["request_kind"] == "command" and result["command"] == "self_test"
        assert result["status"] == "ok" and "outbox_depth" in result["detail"] and "devices" in result["detail"]
        # A refusal is printed too, and fails the command line.
        assert hall_main(_cli(hall_db, broker.port, "ack-fault", "KSK-0001", "424242", "--by", "wang.li")) == 1
        refused = json.loads(capsys.readouterr().out)
        assert refused["status"] == "rejected" and "424242" in refused["error"]
    finally:
        for loop in loops:
            loop.stop()
        screen.stop()


def test_command_to_a_silent_kiosk_gives_up_after_its_wait_and_says_so(
    tmp_path: Path, broker: Broker, hall_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    assert hall_main(_cli(hall_db, broker.port, "command", "--wait", "1", "KSK-0404", "self_test")) == 3
    assert time.monotonic() - started < 15
    captured = capsys.readouterr()
    msg_id = captured.out.strip()
    assert len(msg_id) == 36 and "no result from KSK-0404 within 1 s" in captured.err and msg_id in captured.err


def test_the_fleet_backlog_follows_delivery_after_the_heartbeat(
    tmp_path: Path, broker: Broker, hall_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The heartbeat is composed with five submissions pending; they are delivered after it. Before, the table
    kept saying '5 (oldest ...)' with an empty outbox until the next heartbeat (an hour here)."""
    k = make_kiosk(tmp_path, mqtt_section(broker.port, heartbeat_s=3600.0))
    for i in range(5):
        k.store.enqueue("submission", citizen.submission(i), personal=True)
    k.monitor.heartbeat()  # counts 5 pending
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: k.store.outbox_stats().depth == 0, 10, "the outbox drained")
        wait_until(lambda: hall.db.count("heartbeat") >= 1 and hall.db.count("submission") == 5, 5, "all at the hall")
    finally:
        for loop in loops:
            loop.stop()
    heartbeats = [m["payload"]["outbox"]["depth"] for m in hall.db.messages("heartbeat")]
    assert heartbeats[0] == 5  # what the kiosk reported
    capsys.readouterr()
    assert hall_main(["fleet", "--db", hall_db, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["backlog"] == 0 and row["oldest_pending_age_s"] is None and row["backlog_reported"] >= 5
    assert hall_main(["fleet", "--db", hall_db]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.split()[-1] == "0" and "oldest" not in line


def test_migrate_prints_the_schema_versions(hall_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert hall_main(["migrate", "--db", hall_db]) == 0
    assert json.loads(capsys.readouterr().out) == {"hall": len(HALL_MIGRATIONS)}


def test_an_unreachable_database_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.sync.conftest import free_port

    assert hall_main(["fleet", "--db", f"postgresql://kiosk@127.0.0.1:{free_port()}/hall"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kiosk-hall: postgresql://kiosk@127.0.0.1:") and "refused" in err.lower()
