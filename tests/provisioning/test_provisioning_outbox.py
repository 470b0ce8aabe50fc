"""``status`` and ``outbox``: figures from a real store; the export is what the real hall imports, once."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

from kiosk.store import Store
from provisioning.output import Progress, table
from sync import contract
from sync.hall import import_jsonl
from sync.hall_db import HallDB
from tests import citizen
from tests.provisioning.helpers import Kiosk, init_args

T0 = 1_800_000_000.0


class Clock:
    """A settable clock."""

    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def seeded(k: Kiosk, clock: Clock) -> dict[str, str]:
    """A kiosk with 3 pending rows (2 personal), 1 confirmed, 1 open fault; returns their keys by name."""
    assert k.cli(*init_args(k, "--no-broker-test")).code == 0
    with Store(k.data_dir / "kiosk.db", clock=clock) as store:
        keys = {
            "sub": store.enqueue("submission", citizen.submission(1, name="张三"), personal=True).key,
            "appt": store.enqueue("appointment", citizen.appointment(2), personal=True).key,
            "event": store.enqueue("event", {"what": "boot"}).key,
            "done": store.enqueue("rating", citizen.rating(1)).key,
        }
        clock.t += 600
        store.confirm(keys["done"])
        store.record_attempt(keys["sub"])
        store.raise_fault("paper_out", device="printer", severity="major")
        store.set_setting("catalog.version", "2027.01")
    return keys


def test_status_shows_backlog_faults_versions_and_last_sync(kiosk: Kiosk) -> None:
    clock = Clock(T0)
    seeded(kiosk, clock)
    clock.t = T0 + 3600
    r = kiosk.cli("--json", "status", clock=clock)
    assert r.code == 0, r.err
    s = json.loads(r.out)
    assert s["outbox"]["pending"] == 3
    assert s["outbox"]["pending_by_kind"] == {"submission": 1, "appointment": 1, "event": 1}
    assert s["outbox"]["oldest_pending_age_s"] == 3600
    assert s["last_sync"] == T0 + 600 and s["last_sync_age_s"] == 3000
    assert [(f["code"], f["device"]) for f in s["open_faults"]] == [("paper_out", "printer")]
    assert "Replace the paper roll" in s["open_faults"][0]["action"]
    assert s["versions"]["catalog"] == "2027.01" and s["versions"]["firmware"]
    human = kiosk.cli("status", clock=clock).out
    assert "outbox pending" in human and "3" in human and "paper_out" in human and "50 min ago" in human


def test_status_without_a_database_says_what_to_do(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    r = kiosk.cli("status")
    assert r.code == 1 and "no database" in r.err and "systemctl start" in r.err
    assert not (kiosk.data_dir / "kiosk.db").exists()  # the CLI never creates an empty one


def test_list_and_show_keep_personal_data_off_the_screen(kiosk: Kiosk) -> None:
    keys = seeded(kiosk, Clock(T0))
    r = kiosk.cli("outbox", "list")
    assert r.code == 0 and keys["sub"] in r.out and keys["done"] not in r.out and "3 of 3 pending" in r.out
    assert "张三" not in r.out
    listed = json.loads(kiosk.cli("--json", "outbox", "list", "--kind", "event").out)
    assert [row["key"] for row in listed["rows"]] == [keys["event"]]
    shown = kiosk.cli("outbox", "show", keys["sub"])
    assert shown.code == 0 and "张三" not in shown.out and "--show-personal" in shown.out
    assert "张三" in kiosk.cli("outbox", "show", keys["sub"], "--show-personal").out
    assert kiosk.cli("outbox", "show", "no-such-key").code == 1


def test_export_is_imported_by_the_hall_once(kiosk: Kiosk, tmp_path: Path) -> None:
    keys = seeded(kiosk, Clock(T0))
    out = tmp_path / "carry" / "backlog.jsonl"
    out.parent.mkdir()
    r = kiosk.cli("outbox", "export", str(out), "--progress")
    assert r.code == 0, r.err
    assert "export [" in r.err and "100% 3/3" in r.err  # the progress bar, on stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line) for line in lines]
    for msg in messages:
        contract.check_uplink(msg)  # exactly the wire form
    assert [m["key"] for m in messages] == [keys["sub"], keys["appt"], keys["event"]]  # confirmed row left out
    assert messages[0]["attempt"] == 2 and messages[0]["payload"]["identity"]["name"] == "张三"
    hall = HallDB(tmp_path / "hall.db")
    try:
        assert import_jsonl(hall, lines, hall_id="ordos-kbs") == {"stored": 3, "duplicates": 0, "rejected": 0}
        assert import_jsonl(hall, lines, hall_id="ordos-kbs") == {"stored": 0, "duplicates": 3, "rejected": 0}
        assert sorted(hall.keys()) == sorted([keys["sub"], keys["appt"], keys["event"]])
    finally:
        hall.close()
    with Store(kiosk.data_dir / "kiosk.db") as store:  # still pending until the hall acknowledges over the link
        assert store.outbox_stats().depth == 3


def test_export_pages_through_a_large_backlog(kiosk: Kiosk, tmp_path: Path) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    with Store(kiosk.data_dir / "kiosk.db") as store:
        for i in range(1203):
            store.enqueue("event", {"i": i})
    result = json.loads(kiosk.cli("--json", "outbox", "export", str(tmp_path / "b.jsonl")).out)
    assert result["exported"] == 1203
    seqs = [json.loads(line)["seq"] for line in (tmp_path / "b.jsonl").read_text().splitlines()]
    assert seqs == sorted(set(seqs)) and len(seqs) == 1203


def test_retry_requeues_confirmed_rows(kiosk: Kiosk) -> None:
    clock = Clock(T0)
    keys = seeded(kiosk, clock)
    r = kiosk.cli("--json", "outbox", "retry", "--since", "30m", clock=Clock(T0 + 600))
    assert json.loads(r.out)["requeued"] == 1
    with Store(kiosk.data_dir / "kiosk.db") as store:
        assert store.get(keys["done"]).state == "pending"
    assert "restart kiosk-sync" in kiosk.cli("outbox", "retry", "--all").out
    assert kiosk.cli("outbox", "retry", "--since", "yesterday").code == 2


def test_table_and_progress_bar_render() -> None:
    text = table(["a", "名称"], [["x", "打印机"], ["long " * 20, None]], max_width=20)
    lines = text.splitlines()
    assert lines[0].startswith("a") and "名称" in lines[0] and lines[3].endswith(" -") and len(lines) == 8
    assert max(len(line) for line in lines) <= 20 + 2 + 6
    stream = io.StringIO()
    bar = Progress(stream, 4, label="x", clock=lambda: 0.0, width=4)
    bar.advance(2)
    bar.finish()
    assert stream.getvalue() == "\rx [##..]  50% 2/4\rx [##..]  50% 2/4\n"


def test_export_never_writes_through_a_planted_temporary_name(kiosk: Kiosk, tmp_path: Path) -> None:
    """Issue 12, item 11: the temporary file was opened without O_EXCL|O_NOFOLLOW under a name anyone could
    guess (.NAME.tmp-PID): a file planted there kept its mode 0666 (and its owner) and became the export, while
    the command said "mode 0600"; a symlink planted there had the export written wherever it pointed."""
    seeded(kiosk, Clock(T0))
    out_dir = tmp_path / "carry"
    out_dir.mkdir()
    planted = out_dir / f".backlog.jsonl.tmp-{os.getpid()}"  # the CLI runs in this process
    planted.write_text("")
    planted.chmod(0o666)
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    (out_dir / f".second.jsonl.tmp-{os.getpid()}").symlink_to(victim)
    for name in ("backlog.jsonl", "second.jsonl"):
        r = kiosk.cli("outbox", "export", str(out_dir / name))
        assert r.code == 0, r.err
        target = out_dir / name
        assert target.is_file() and not target.is_symlink()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600 and "mode 0600" in r.out
        assert "张三" in target.read_text(encoding="utf-8")
    assert victim.read_text() == "not yours"
    assert planted.read_text() == "" and stat.S_IMODE(planted.stat().st_mode) == 0o666  # left as it was


def test_export_replaces_a_symlink_or_a_loose_file_at_the_target_and_leaves_no_temporary(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    seeded(kiosk, Clock(T0))
    here = tmp_path / "carry"
    here.mkdir()
    victim = here / "victim.txt"
    victim.write_text("not yours")
    link, loose = here / "link.jsonl", here / "loose.jsonl"
    link.symlink_to(victim)
    loose.write_text("old")
    loose.chmod(0o666)
    for target in (link, loose):
        assert kiosk.cli("outbox", "export", str(target)).code == 0
        assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o600
        assert len(target.read_text(encoding="utf-8").splitlines()) == 3
    assert victim.read_text() == "not yours"
    assert sorted(p.name for p in here.iterdir()) == ["link.jsonl", "loose.jsonl", "victim.txt"]
