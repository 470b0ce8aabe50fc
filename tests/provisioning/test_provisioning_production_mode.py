"""Issue 12 point 5: a production kiosk (the default) is refused by ``kiosk run``, ``kiosk-sync`` and doctor when
its config means simulated devices or a plaintext hall link; lab and demo mode must be asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.devices import DeviceKind
from tests.provisioning.helpers import Kiosk, init_args

ROOT = Path(__file__).resolve().parents[2]


def only_kiosk_section(k: Kiosk) -> Path:
    """The review's config: ``[kiosk]`` and nothing else (MQTT on 1883 without TLS, every device simulated)."""
    k.config.parent.mkdir(parents=True, exist_ok=True)
    k.config.write_text(f'[kiosk]\nid = "KSK-0001"\nhall_id = "ordos-kbs"\ndata_dir = "{k.data_dir}"\n')
    return k.config


def run_module(module: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", module, *args], env=env, capture_output=True, text=True, timeout=60)


def test_kiosk_sync_refuses_a_production_config_on_simulators_and_plaintext(kiosk: Kiosk) -> None:
    done = run_module("sync.agent_main", "--config", str(only_kiosk_section(kiosk)))
    assert done.returncode == 2, done.stderr
    assert "production config" in done.stderr and "mqtt.tls = false" in done.stderr
    assert 'devices.id_reader.transport = "simulator"' in done.stderr
    assert not (kiosk.data_dir / "kiosk.db").exists()  # refused before touching anything


def test_kiosk_run_refuses_it_too(kiosk: Kiosk) -> None:
    done = run_module("ui.main", "run", "--config", str(only_kiosk_section(kiosk)))
    assert done.returncode == 2, done.stderr
    assert "production config" in done.stderr and "mqtt.tls = false" in done.stderr


def test_doctor_fails_simulators_and_tls_off_in_production(kiosk: Kiosk) -> None:
    only_kiosk_section(kiosk)
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "database", "--skip", "disk")
    assert r.code == 1, r.out
    checks = json.loads(r.out)["checks"]
    mode = [c for c in checks if c["name"] == "mode"]
    simulated = [k for k in DeviceKind if k is not DeviceKind.KEYPAD]  # the keypad's default is none, not simulated
    assert {c["result"] for c in mode} == {"fail"} and len(mode) == len(simulated) + 1, mode  # each kind, and TLS
    certificates = next(c for c in checks if c["name"] == "certificates")
    assert certificates["result"] == "fail" and "TLS is off" in certificates["detail"]  # not "skip"


def test_init_refuses_to_write_a_production_config_on_simulators(kiosk: Kiosk) -> None:
    args = [a for a in init_args(kiosk, "--no-broker-test") if a not in ("--mode", "lab")]
    r = kiosk.cli(*args)
    assert r.code == 2 and "--mode lab" in r.err, r.err
    assert not kiosk.config.exists()
    assert kiosk.cli(*args, "--mode", "lab").code == 0  # said explicitly, it is written
    assert 'mode = "lab"' in kiosk.config.read_text()


def test_lab_mode_runs_and_doctor_says_so(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "database", "--skip", "disk")
    checks = {c["name"]: c for c in json.loads(r.out)["checks"]}
    assert checks["mode"]["result"] == "warn" and "lab mode" in checks["mode"]["detail"]
    assert checks["certificates"]["result"] == "skip"
