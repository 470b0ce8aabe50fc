"""Issue 15 point 5: the technician's walk-through from the README, where it stumbled.

- after ``install`` the commands were only in /opt/kiosk/venv/bin, not on PATH;
- ``doctor`` could never pass before the first start (no database: FAIL), though its help says to start the
  kiosk once every line passes;
- ``set-pin`` without a terminal crashed with a traceback instead of pointing to ``--pin-stdin``.
(``install --root`` followed by ``init``/``enroll --root`` is walked in test_provisioning_accounts.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from provisioning import layout
from provisioning.cli import build_parser
from tests.provisioning.helpers import Kiosk, Mosquitto, init_args

ROOT = Path(__file__).resolve().parents[2]


def test_install_puts_the_commands_on_path(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    shutil.copy("/etc/passwd", root / "etc/passwd")
    shutil.copy("/etc/group", root / "etc/group")
    k = Kiosk(root, root / "unused.toml", root / "unused")
    assert k.cli("install", "--root", str(root), "--skip-venv", "--no-enable").code == 0
    for name in ("kiosk", "kiosk-provision", "kiosk-sync"):
        link = root / "usr/local/bin" / name
        assert link.is_symlink() and os.readlink(link) == f"/opt/kiosk/current/bin/{name}", name  # the slot in use
    assert str(layout.BIN_DIR) in "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # Debian's PATH
    # Installing again replaces the links instead of failing on them.
    assert k.cli("install", "--root", str(root), "--skip-venv", "--no-enable").code == 0


def test_doctor_passes_before_the_first_start(kiosk: Kiosk, broker: Mosquitto) -> None:
    assert kiosk.cli(*init_args(kiosk, broker=f"127.0.0.1:{broker.port}")).code == 0
    kiosk.data_dir.mkdir(parents=True, exist_ok=True)  # made by install; the database by the kiosk's first start
    r = kiosk.cli("--json", "doctor")
    checks = {c["name"]: c for c in json.loads(r.out)["checks"]}
    assert r.code == 0, r.out
    assert checks["database"]["result"] == "warn" and "first starts" in checks["database"]["detail"]
    assert "no line FAIL? then: systemctl start" in build_parser().format_help()


def test_doctor_still_fails_without_the_data_directory(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "disk", "--skip", "devices")
    checks = {c["name"]: c for c in json.loads(r.out)["checks"]}
    assert r.code == 1 and checks["database"]["result"] == "fail"
    assert checks["database"]["fix"].startswith("kiosk-provision install")


def test_set_pin_without_a_terminal_points_to_pin_stdin(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    before = kiosk.config.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "provisioning.cli", "--config", str(kiosk.config), "set-pin"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "--pin-stdin" in done.stderr
    assert kiosk.config.read_bytes() == before
    # And --pin-stdin works from the same place.
    done = subprocess.run(
        [sys.executable, "-m", "provisioning.cli", "--config", str(kiosk.config), "set-pin", "--pin-stdin"],
        input="246810\n",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
