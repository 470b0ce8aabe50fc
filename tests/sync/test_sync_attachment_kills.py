"""50 MB of pages drained while the broker is SIGKILLed 10 times and the agent process (``kiosk-sync``) 10 times,
and the hall restarted twice: every page arrives once, hashes match, no partial file is ever a material, every
submission is stored after its pages. Real mosquitto (no persistence), a real agent process, the reference hall.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from kiosk.store import Store
from tests.sync.conftest import HALL_ID, Broker, Loop, make_hall
from tests.sync.test_sync_attachments import submit
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS, PAGES, PAGE_BYTES = 25, 2, 1_000_000  # 50 MB
CHUNK_KIB = 128
KILLS = 10


def start_agent(config: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "sync.agent_main", "--config", str(config), "--log-level", "DEBUG"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )  # fmt: skip


def complete_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and ".partial" not in p.parts]


def test_fifty_megabytes_of_pages_survive_twenty_kills(tmp_path: Path, broker: Broker, hall_db: str) -> None:
    data_dir = tmp_path / "kiosk"
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "KSK-0001"\nhall_id = "{HALL_ID}"\nmode = "lab"\ndata_dir = "{data_dir}"\n'
        f"[store]\nmin_free_mb = 0\n"
        f'[mqtt]\nhost = "127.0.0.1"\nport = {broker.port}\nheartbeat_s = 3600\nack_timeout_s = 2\n'
        f"retry_min_s = 0.05\nretry_max_s = 0.5\nkeepalive_s = 5\nchunk_kib = {CHUNK_KIB}\nchunk_window = 4\n"
    )
    store = Store(data_dir / "kiosk.db")
    pages: dict[str, bytes] = {}
    keys = []
    for n in range(SUBMISSIONS):
        blobs = [os.urandom(PAGE_BYTES) for _ in range(PAGES)]
        refs = [store.stage_attachment(b, "image/jpeg") for b in blobs]
        pages.update({r.sha256: b for r, b in zip(refs, blobs, strict=True)})
        keys.append(submit(store, n, refs))
    total_chunks = len(pages) * -(-PAGE_BYTES // (CHUNK_KIB * 1024))

    halls = [make_hall(hall_db, broker.port)]
    loop = Loop(halls[0], "hall")
    materials_root = halls[0].materials.root  # type: ignore[union-attr]
    bad: list[str] = []
    watching = threading.Event()

    def watch() -> None:  # a material is never a half-received file, at any moment of the run
        seen: set[Path] = set()
        while not watching.is_set():
            for path in complete_files(materials_root):
                if path not in seen:
                    seen.add(path)
                    if hashlib.sha256(path.read_bytes()).hexdigest() != path.name:
                        bad.append(str(path))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    log = tmp_path / "agent.log"
    agent = start_agent(config, log)

    def chunks() -> int:
        return sum(h.stats.chunks for h in halls)

    try:
        for i in range(1, 2 * KILLS + 3):
            mark = i * total_chunks // (2 * KILLS + 4)
            wait_until(lambda m=mark: chunks() >= m, 60, f"{mark} chunks before kill {i}")
            if i % 2:
                agent.send_signal(signal.SIGKILL)
                agent.wait(timeout=10)
                agent = start_agent(config, log)
            elif i <= 2 * KILLS:
                broker.restart()
            if i in (7, 15):  # the hall restarts too
                loop.stop()
                halls.append(make_hall(hall_db, broker.port))
                loop = Loop(halls[-1], "hall")
        wait_until(lambda: store.outbox_stats().depth == 0, 120, "every submission confirmed")
    finally:
        agent.send_signal(signal.SIGKILL)
        agent.wait(timeout=10)
        loop.stop()
        watching.set()
        watcher.join(timeout=10)
    assert broker.starts == KILLS + 1
    hall = halls[-1]
    assert bad == [], f"partial files exposed as materials: {bad[:3]}"
    files = complete_files(materials_root)
    assert sorted(p.name for p in files) == sorted(pages)  # every page once
    for path in files:
        assert path.read_bytes() == pages[path.name]
    assert sum(h.materials.completed for h in halls) == len(pages)  # type: ignore[union-attr]
    assert sorted(hall.db.keys("submission")) == sorted(keys)
    assert sum(h.stats.waiting_materials for h in halls) == 0  # no record came before its pages
    assert hall.db.quarantined() == []
    print(f"{len(pages)} pages, {sum(h.stats.chunks for h in halls)} chunks received for {total_chunks}")
