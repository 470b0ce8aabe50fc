"""``install`` into a temporary root: tree, owners, modes, a working venv, enabled units that systemd accepts.

The temp root gets a copy of the host's /usr/lib/systemd/system (what Debian's systemd package puts on a real
root) and a stand-in for /usr/bin/cage (which apt installs on a real root), so ``systemd-analyze verify
--root`` checks our units against it exactly as on a kiosk, ExecStart paths included.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest

from provisioning import layout
from tests.provisioning.helpers import ME, Kiosk

REPO = Path(__file__).resolve().parents[2]
UNITS = ("kiosk-sync.service", "kiosk-ui.service")


def ids_in(root: Path, user: str) -> tuple[int, int]:
    """uid and gid of ``user`` in the root's own passwd file."""
    for line in (root / "etc/passwd").read_text().splitlines():
        parts = line.split(":")
        if parts[0] == user:
            return int(parts[2]), int(parts[3])
    raise AssertionError(f"no {user} in {root}/etc/passwd")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real installation (venv included) shared by the tests of this module."""
    root = tmp_path_factory.mktemp("root")
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    k = Kiosk(root, root / "unused.toml", root / "unused")
    # --no-deps: the test checks the layout and the console scripts, not a second copy of PySide6.
    r = k.cli("--service-user", "kiosk", "install", "--root", str(root), "--no-deps")
    assert r.code == 0, r.err
    assert "next: kiosk-provision init" in r.out
    return root


def test_tree_owners_and_modes(installed: Path) -> None:
    uid, gid = ids_in(installed, "kiosk") if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    ui_uid = ids_in(installed, "kiosk-ui")[0] if os.geteuid() == 0 else os.geteuid()
    # Issue 12 point 6: /etc/kiosk is root's and read-only to the services (it was root:kiosk 0770); the data
    # directory is shared by two accounts of one group (point 15), setgid so their files stay in it.
    expected = {
        "opt/kiosk": (0, 0, 0o755),
        "opt/kiosk/slots": (0, 0, 0o755),
        "etc/kiosk": (0, gid, 0o750),
        "etc/kiosk/pki": (0, gid, 0o750),
        "var/lib/kiosk": (uid, gid, 0o2770),
        "var/cache/kiosk": (ui_uid, gid, 0o750),
        "etc/systemd/logind.conf.d/kiosk.conf": (0, 0, 0o644),
        "etc/systemd/system/kiosk-sync.service": (0, 0, 0o644),
        "etc/systemd/system/kiosk-ui.service": (0, 0, 0o644),
        "etc/udev/rules.d/99-kiosk.rules": (0, 0, 0o644),
        "etc/sysusers.d/kiosk.conf": (0, 0, 0o644),
        "etc/pam.d/kiosk-ui": (0, 0, 0o644),
        "etc/kiosk/kiosk.example.toml": (0, 0, 0o644),
    }
    if os.geteuid() != 0:  # without root nothing can be given away: everything is ours
        expected = {p: (os.geteuid(), os.getegid(), mode) for p, (_u, _g, mode) in expected.items()}
    for rel, (want_uid, want_gid, want_mode) in expected.items():
        st = (installed / rel).stat()
        assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (want_uid, want_gid, want_mode), rel
    assert (installed / "etc/passwd").read_text().startswith("kiosk:x:")
    assert "/usr/sbin/nologin" in (installed / "etc/passwd").read_text()
    for unit in UNITS:
        link = installed / "etc/systemd/system/multi-user.target.wants" / unit
        assert link.is_symlink() and os.readlink(link) == f"/etc/systemd/system/{unit}"
    tomllib.loads((installed / "etc/kiosk/kiosk.example.toml").read_text())


def test_venv_has_the_console_scripts_the_units_start(installed: Path) -> None:
    # The units start the current slot's scripts; the first installation goes into slot a.
    venv_bin = installed / "opt/kiosk/current/bin"
    assert os.readlink(installed / "opt/kiosk/current") == "slots/a"
    started = 0
    for unit in (*UNITS, "kiosk-update.service"):
        text = (installed / "etc/systemd/system" / unit).read_text()
        exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1).split()
        for word in exec_start:
            if word.startswith("/opt/kiosk/current/bin/"):
                assert os.access(venv_bin / Path(word).name, os.X_OK), word
                started += 1
    assert started == 3  # every unit starts a console script of the current slot
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert {"kiosk", "kiosk-sync", "kiosk-provision", "kiosk-update"} <= set(scripts)
    slot_bin = installed / "opt/kiosk/slots/a/bin"
    assert (venv_bin / "kiosk-sync").read_text().startswith(f"#!{slot_bin}/python")


def test_units_pass_systemd_analyze_verify(installed: Path) -> None:
    cage = installed / "usr/bin/cage"
    cage.parent.mkdir(parents=True, exist_ok=True)
    cage.write_text("#!/bin/sh\n")
    cage.chmod(0o755)
    try:
        done = subprocess.run(
            ["systemd-analyze", "verify", f"--root={installed}", *UNITS], capture_output=True, text=True, timeout=60
        )
    finally:
        cage.unlink()
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""
    # Without the compositor the shell's unit is refused: verify really checks ExecStart inside the root.
    done = subprocess.run(["systemd-analyze", "verify", f"--root={installed}", "kiosk-ui.service"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode != 0 and "/usr/bin/cage" in done.stderr


# Issue 12 point 15: measured 1.8 and 3.7 before (no SystemCallFilter, no IPAddressDeny on the shell); now 1.3, 1.7.
@pytest.mark.parametrize(("unit", "limit"), [("kiosk-sync.service", 1.5), ("kiosk-ui.service", 2.0)])
def test_units_stay_hardened(installed: Path, unit: str, limit: float) -> None:
    done = subprocess.run(["systemd-analyze", "security", "--offline=true", f"--root={installed}", unit],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    exposure = float(re.search(r"Overall exposure level for \S+: ([\d.]+)", done.stdout).group(1))
    assert exposure <= limit, done.stdout


def unit_settings(path: Path) -> dict[str, list[str]]:
    """Every ``Key=value`` of a unit file (keys may repeat)."""
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


@pytest.mark.parametrize("unit", UNITS)
def test_units_have_what_the_issue_asks(unit: str) -> None:
    s = unit_settings(REPO / "systemd" / unit)
    assert s["Type"] == ["notify"] and s["Restart"] == ["always"] and s["WatchdogSec"] == ["30"]
    # Issue 12 point 15: the shell has its own account (it must not read kiosk-sync's TLS key), same group.
    assert s["User"] == (["kiosk-ui"] if unit == "kiosk-ui.service" else ["kiosk"]) and s["Group"] == ["kiosk"]
    assert s["ProtectSystem"] == ["strict"] and s["NoNewPrivileges"] == ["yes"] and s["PrivateTmp"] == ["yes"]
    assert any("/var/lib/kiosk" in v.split() for v in s["ReadWritePaths"])
    assert not any("/etc/kiosk" in v.split() for v in s["ReadWritePaths"])  # point 6: the config is read-only
    assert s["SystemCallFilter"][0] == "@system-service" and s["UMask"] == ["0007"]
    assert s["ConditionPathExists"] == [str(layout.CONFIG_DIR / "kiosk.toml")]
    if unit == "kiosk-ui.service":
        assert s["IPAddressDeny"] == ["any"]
        assert s["ExecStart"][0].startswith("/usr/bin/cage ") and s["TTYPath"] == ["/dev/tty1"]
        assert s["NotifyAccess"] == ["all"]  # the shell, not cage, sends READY=1 and WATCHDOG=1
        assert s["PAMName"] == ["kiosk-ui"]


def test_udev_rules_are_well_formed_and_name_the_configured_devices() -> None:
    example = tomllib.loads((REPO / "kiosk/data/kiosk.example.toml").read_text())["devices"]
    rules = [line for line in (REPO / "systemd/99-kiosk.rules").read_text().splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    pair = re.compile(r'^(SUBSYSTEM|KERNEL|ENV\{\w+\}|ATTRS\{\w+\}|SYMLINK|GROUP|MODE)(==|\+=|=)"[^"]*"$')
    links = set()
    for rule in rules:
        parts = [p.strip() for p in rule.split(",")]
        assert all(pair.match(p) for p in parts), rule
        assert any(p.startswith("GROUP=") and p.endswith('"kiosk"') for p in parts), rule
        links |= {p.split('"')[1] for p in parts if p.startswith("SYMLINK+=")}
    for kind in ("printer", "id_reader", "dispenser"):
        assert Path(example[kind]["address"]).name in links, kind


def test_a_site_account_replaces_the_kiosk_user_everywhere(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    shutil.copy("/etc/passwd", root / "etc/passwd")
    shutil.copy("/etc/group", root / "etc/group")
    k = Kiosk(root, root / "unused.toml", root / "unused")
    r = k.cli("install", "--root", str(root), "--skip-venv", "--no-enable")  # --service-user ME (helpers)
    assert r.code == 0, r.err
    unit = (root / "etc/systemd/system/kiosk-sync.service").read_text()
    assert f"\nUser={ME}\n" in unit and "User=kiosk" not in unit
    assert 'GROUP="kiosk"' not in (root / "etc/udev/rules.d/99-kiosk.rules").read_text()
    assert (root / "var/lib/kiosk").stat().st_uid == os.geteuid()
    # Installing again changes nothing and still succeeds (idempotent).
    assert k.cli("install", "--root", str(root), "--skip-venv", "--no-enable").code == 0


def test_update_units_pass_systemd_analyze_verify_and_stay_hardened(installed: Path) -> None:
    assert os.readlink(installed / "etc/systemd/system/timers.target.wants/kiosk-update.timer") == (
        "/etc/systemd/system/kiosk-update.timer"
    )
    done = subprocess.run(["systemd-analyze", "verify", f"--root={installed}", "kiosk-update.service",
                           "kiosk-update.timer"], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""
    done = subprocess.run(["systemd-analyze", "security", "--offline=true", f"--root={installed}",
                           "kiosk-update.service"], capture_output=True, text=True, timeout=60)  # fmt: skip
    exposure = float(re.search(r"Overall exposure level for \S+: ([\d.]+)", done.stdout).group(1))
    assert exposure <= 3.0, done.stdout  # root (it writes /opt/kiosk), yet boxed in like the others
    s = unit_settings(REPO / "systemd/kiosk-update.service")
    assert s["Type"] == ["oneshot"] and s["ProtectSystem"] == ["strict"] and s["NoNewPrivileges"] == ["yes"]
    assert s["ReadWritePaths"] == ["/opt/kiosk /var/lib/kiosk"]


def test_no_getty_on_any_other_console(installed: Path) -> None:
    # Issue 12 point 15: NAutoVTs was not set, so Ctrl+Alt+F2 on a keyboard in the cabinet gave a login prompt.
    drop_in = installed / "etc/systemd/logind.conf.d/kiosk.conf"
    text = drop_in.read_text()
    assert "[Login]" in text and re.search(r"^NAutoVTs=0$", text, re.M) and re.search(r"^ReserveVT=0$", text, re.M)
    done = subprocess.run(["systemd-analyze", "cat-config", f"--root={installed}", "systemd/logind.conf"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and "NAutoVTs=0" in done.stdout, done.stderr


def test_the_accounts_the_units_run_as_exist_with_one_shared_group(installed: Path) -> None:
    sync_uid, sync_gid = ids_in(installed, "kiosk")
    ui_uid, ui_gid = ids_in(installed, "kiosk-ui")
    assert sync_uid != ui_uid and sync_gid == ui_gid
