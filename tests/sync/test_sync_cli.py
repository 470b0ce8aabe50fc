"""The console scripts: kiosk-sync as a real process (sd_notify, signals, last will) and kiosk-hall's commands."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kiosk.store import Store
from sync import contract
from sync.hall_main import main as hall_main
from tests import citizen
from tests.sync.conftest import HALL_ID, Broker, Loop, make_hall
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, port: int) -> Path:
    data = tmp_path / "data"
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\nid = "KSK-0042"\nhall_id = "{HALL_ID}"\ndata_dir = "{data}"\nmode = "lab"\n\n'
        f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\nheartbeat_s = 1\nack_timeout_s = 2\nretry_min_s = 0.1\n'
        "retry_max_s = 1\n"
    )
    return path


def _start(config: Path, notify: Path | None, **env: str) -> subprocess.Popen:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    if notify is not None:
        environ["NOTIFY_SOCKET"] = str(notify)
    return subprocess.Popen(
        [sys.executable, "-m", "sync.agent_main", "--config", str(config)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> tuple[int, str]:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        out, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=5)
        raise
    return proc.returncode, out.decode(errors="replace")


def test_kiosk_sync_runs_notifies_systemd_drains_and_stops_on_sigterm(tmp_path: Path, broker: Broker) -> None:
    hall = make_hall(tmp_path / "hall.db", broker.port)
    hall_loop = Loop(hall, "hall")
    notify = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    sock.settimeout(15)
    config = _config(tmp_path, broker.port)
    proc = _start(config, notify, WATCHDOG_USEC="200000", JOURNAL_STREAM="8:1")
    try:
        assert sock.recv(100) == b"READY=1"
        assert sock.recv(100) == b"WATCHDOG=1"
        store = Store(tmp_path / "data" / "kiosk.db")  # the screen process's side of the shared database
        keys = [store.enqueue("submission", citizen.submission(i), personal=True).key for i in range(50)]
        wait_until(lambda: hall.db.count("submission") == 50, 20, "the agent process to drain")
        wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].online, 5, "online")
        code, out = _stop(proc)
        assert code == 0, out
        assert "<6>sync.agent:" in out  # journald priority prefix when stderr is the journal
        wait_until(lambda: not hall.db.fleet()[0].online, 5, "the offline status of a clean stop")
        wait_until(lambda: store.outbox_stats().by_kind.get("submission", 0) == 0, 5, "confirmed")
        store.close()
    finally:
        if proc.poll() is None:
            _stop(proc, signal.SIGKILL)
        sock.close()
        hall_loop.stop()
    assert sorted(hall.db.keys("submission")) == sorted(keys)


def test_a_killed_agent_is_reported_offline_by_its_last_will(tmp_path: Path, broker: Broker) -> None:
    hall = make_hall(tmp_path / "hall.db", broker.port)
    hall_loop = Loop(hall, "hall")
    proc = _start(_config(tmp_path, broker.port), None)
    try:
        wait_until(lambda: hall.db.fleet() and hall.db.fleet()[0].online, 15, "online")
        _stop(proc, signal.SIGKILL)
        wait_until(lambda: not hall.db.fleet()[0].online, 10, "the will's offline status")
    finally:
        if proc.poll() is None:
            _stop(proc, signal.SIGKILL)
        hall_loop.stop()


def test_kiosk_sync_refuses_a_bad_config(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[mqtt]\nport = 0\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sync.agent_main", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2 and "mqtt.port" in proc.stderr


def _line(n: int, key: str | None = None) -> str:
    return contract.encode_uplink(
        key=key or str(uuid.uuid4()),
        kind="submission",
        kiosk_id="KSK-0007",
        hall_id=HALL_ID,
        seq=n,
        created_at=1.0 + n,
        sent_at=2.0,
        attempt=1,
        personal=True,
        payload_json=json.dumps(citizen.submission(n, "KSK-0007"), ensure_ascii=False),
    ).decode()


def test_kiosk_hall_imports_a_hand_carried_backlog_once(
    tmp_path: Path, capsys: pytest.CaptureFixture, hall_db: str
) -> None:
    db = hall_db
    key = str(uuid.uuid4())
    backlog = tmp_path / "backlog.jsonl"
    backlog.write_text("\n".join([_line(1, key), _line(2), _line(1, key), "{broken", ""]) + "\n")
    assert hall_main(["import-jsonl", str(backlog), "--db", str(db), "--hall", HALL_ID]) == 1
    assert json.loads(capsys.readouterr().out) == {"stored": 2, "duplicates": 1, "rejected": 1}
    assert hall_main(["import-jsonl", str(backlog), "--db", str(db), "--hall", HALL_ID]) == 1
    assert json.loads(capsys.readouterr().out) == {"stored": 0, "duplicates": 3, "rejected": 1}
    assert hall_main(["fleet", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "KSK-0007" in table and "never" in table


def test_kiosk_hall_sends_a_command_from_the_command_line(
    tmp_path: Path, broker: Broker, capsys: pytest.CaptureFixture
) -> None:
    from tests.sync.conftest import RawClient

    kiosk = RawClient(broker.port, "KSK-0042", subscribe=f"gov/v1/{HALL_ID}/kiosk/KSK-0042/down/+")
    try:
        args = [
            "command",
            "--db",
            str(tmp_path / "hall.db"),
            "--hall",
            HALL_ID,
            "--port",
            str(broker.port),
            "--instance",
            "cli",
            "--wait",
            "0",  # this kiosk never answers: just the msg_id (test_hall_cli.py waits for real results)
            "KSK-0042",
            "self_test",
        ]
        assert hall_main(args) == 0
        msg_id = capsys.readouterr().out.strip()
        wait_until(lambda: kiosk.received(), 5, "the command")
        topic, payload, _ = kiosk.received()[0]
        msg = json.loads(payload)
        contract.validate("down-command", msg)
        assert topic.endswith("/down/command") and msg["msg_id"] == msg_id and msg["from"] == "hall"
        assert hall_main([*args[:-1], "no_such_command"]) == 1  # refused before anything is sent
    finally:
        kiosk.close()
