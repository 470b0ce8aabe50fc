"""``doctor``: a missing printer, keypad and an expired certificate are reported with their fixes; a healthy kiosk
passes."""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.shared_settings import HALL_LINK, UI_LIVENESS_SETTING, hall_link_value
from kiosk.store import Store
from tests.provisioning.helpers import Kiosk, Mosquitto, init_args


def rows(result: str) -> dict[str, dict[str, str]]:
    """The doctor's JSON checks by name (the last one of a name wins)."""
    return {c["name"]: c for c in json.loads(result)["checks"]}


def make_db(k: Kiosk, *, agent_seen_s: float | None = 0.0) -> None:
    """The kiosk's database, with the note a running sync agent keeps fresh (``agent_seen_s`` ago; None: none)."""
    with Store(k.data_dir / "kiosk.db") as store:
        if agent_seen_s is not None:
            store.set_setting(HALL_LINK.key, hall_link_value(True, time.time() - agent_seen_s))


def test_healthy_kiosk_passes(kiosk: Kiosk, broker: Mosquitto) -> None:
    assert kiosk.cli(*init_args(kiosk, broker=f"127.0.0.1:{broker.port}")).code == 0
    make_db(kiosk)
    r = kiosk.cli("--json", "doctor")
    checks = rows(r.out)
    assert r.code == 0, r.out
    assert {n: c["result"] for n, c in checks.items() if n.startswith("device")} == {
        f"device {k}": "pass"
        for k in ("printer", "id_reader", "sscard_reader", "dispenser", "scanner", "document_printer", "camera",
                  "keypad")
    }
    assert checks["broker"]["result"] == "pass"
    assert checks["database"]["result"] == "pass" and checks["backlog"]["result"] == "pass"
    assert checks["clock"]["result"] in ("pass", "warn")


def test_missing_printer_fails_with_the_fix(kiosk: Kiosk) -> None:
    missing = kiosk.root / "dev" / "kiosk-printer"
    args = init_args(kiosk, "--no-broker-test", "--device", f"printer=serial:{missing}")
    assert kiosk.cli(*args).code == 0
    make_db(kiosk)
    r = kiosk.cli("doctor", "--skip", "broker")
    assert r.code == 1
    line = next(line for line in r.out.splitlines() if line.startswith("device printer"))
    assert "FAIL" in line and "DeviceGone" in line
    checks = rows(kiosk.cli("--json", "doctor", "--skip", "broker").out)
    printer = checks["device printer"]
    assert printer["result"] == "fail"
    assert f"{missing} does not exist" in printer["fix"] and "99-kiosk.rules" in printer["fix"]
    assert checks["device dispenser"]["result"] == "pass"  # only the broken one fails


def _ca(now: _dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hall CA")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - _dt.timedelta(days=400))
        .not_valid_after(now + _dt.timedelta(days=400))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, hashes.SHA256())
    )  # fmt: skip
    return key, cert


def install_cert(k: Kiosk, *, not_after: _dt.datetime, cn: str = "KSK-0001") -> None:
    """Write ca.crt, kiosk.key and a kiosk.crt valid until ``not_after`` where init pointed the config."""
    now = _dt.datetime.now(_dt.UTC)
    ca_key, ca_cert = _ca(now)
    pki = k.config.parent / "pki"
    pki.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_after - _dt.timedelta(days=365)).not_valid_after(not_after).sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    (pki / "ca.crt").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (pki / "kiosk.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(pki / "kiosk.key", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))  # fmt: skip


def test_expired_certificate_fails_with_the_fix(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    make_db(kiosk)
    install_cert(kiosk, not_after=_dt.datetime.now(_dt.UTC) - _dt.timedelta(days=3))
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices")
    assert r.code == 1
    checks = json.loads(r.out)["checks"]
    failed = [c for c in checks if c["result"] == "fail"]
    assert [c["name"] for c in failed] == ["certificate"]
    assert "expired on" in failed[0]["detail"]
    assert "kiosk-provision enroll" in failed[0]["fix"]
    assert next(c for c in checks if c["name"] == "private key")["result"] == "pass"


def test_certificate_near_expiry_warns_and_a_readable_key_fails(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    make_db(kiosk)
    install_cert(kiosk, not_after=_dt.datetime.now(_dt.UTC) + _dt.timedelta(days=10))
    checks = rows(kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices").out)
    assert checks["certificate"]["result"] == "warn" and "renew soon" in checks["certificate"]["fix"]
    (kiosk.config.parent / "pki" / "kiosk.key").chmod(0o644)
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices")
    assert r.code == 1
    assert rows(r.out)["private key"]["fix"].startswith("chmod 600")


def test_certificate_for_another_kiosk_and_a_wrong_clock(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    make_db(kiosk)
    install_cert(kiosk, not_after=_dt.datetime.now(_dt.UTC) + _dt.timedelta(days=300), cn="KSK-0099")
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices", clock=lambda: 946684800.0)  # 2000
    details = [c["detail"] for c in json.loads(r.out)["checks"] if c["result"] == "fail"]
    assert any("'KSK-0099', this kiosk is 'KSK-0001'" in d for d in details)
    assert any("valid only from" in d for d in details)
    assert any(d.startswith("the clock says 2000-01-01") for d in details)


def test_missing_database_and_old_backlog(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices")
    assert r.code == 1 and "systemctl start" in rows(r.out)["database"]["fix"]
    with Store(kiosk.data_dir / "kiosk.db", clock=lambda: time.time() - 7200) as store:
        store.enqueue("submission", {"x": 1})
    checks = rows(kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices").out)
    assert checks["backlog"]["result"] == "fail" and "outbox export" in checks["backlog"]["fix"]


def test_devices_come_from_the_running_shell_when_it_is_alive(kiosk: Kiosk) -> None:
    # A printer that cannot be opened, but the shell runs: doctor must not grab the port, it reports what the
    # shell recorded (here: out of paper).
    args = init_args(kiosk, "--no-broker-test", "--device", f"printer=serial:{kiosk.root / 'nope'}")
    assert kiosk.cli(*args).code == 0
    with Store(kiosk.data_dir / "kiosk.db") as store:
        store.set_setting(UI_LIVENESS_SETTING, time.time())
        store.set_device_status(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
    printer = rows(kiosk.cli("--json", "doctor", "--skip", "broker").out)["device printer"]
    assert printer["result"] == "fail"
    assert "as the running shell sees it" in printer["detail"] and "paper_out" in printer["detail"]
    assert "Replace the paper roll" in printer["fix"]


def test_config_the_service_user_cannot_read_fails(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    make_db(kiosk)
    r = kiosk.cli("--json", "--service-user", "nobody", "doctor", "--skip", "broker", "--skip", "devices")
    config = rows(r.out)["config"]
    # Issue 12 point 6: the config is root's and the services' group reads it (it was given to the service user).
    assert r.code == 1 and config["result"] == "fail" and config["fix"].startswith("chown root:nogroup ")


def test_bad_config_is_a_failed_check(kiosk: Kiosk) -> None:
    kiosk.config.parent.mkdir(parents=True)
    kiosk.config.write_text('[kiosk]\nid = "K"\nbogus = 1\n')
    r = kiosk.cli("doctor")
    assert r.code == 1
    assert "config" in r.out and "FAIL" in r.out and "kiosk.bogus" in r.out
    assert Path(kiosk.config).read_text().endswith("bogus = 1\n")  # doctor never rewrites the file


def test_a_dead_sync_agent_fails_the_doctor_and_status_stops_saying_online(kiosk: Kiosk) -> None:
    """kiosk-sync dead for 40 s: its last note said "online"; doctor and status must not believe it."""
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0
    make_db(kiosk, agent_seen_s=40.0)
    r = kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices")
    agent = rows(r.out)["agent"]
    assert r.code == 1 and agent["result"] == "fail", r.out
    assert "kiosk-sync is not running" in agent["detail"] and "systemctl restart kiosk-sync" in agent["fix"]
    status = json.loads(kiosk.cli("--json", "status").out)
    assert status["agent_alive"] is False and status["link"]["agent_alive"] is False
    assert "hall link online" not in kiosk.cli("status").out
    assert "kiosk-sync is not running" in kiosk.cli("status").out
    make_db(kiosk, agent_seen_s=1.0)  # the agent is back
    assert rows(kiosk.cli("--json", "doctor", "--skip", "broker", "--skip", "devices").out)["agent"]["result"] == "pass"


def test_a_missing_keypad_fails_with_the_fix_probed_or_as_the_shell_sees_it(kiosk: Kiosk) -> None:
    """The accessibility keypad is a device the doctor checks: not at its node it fails with a fix that names the
    keypad (probed), and with the keypad_offline action when the running shell recorded it gone."""
    node = kiosk.root / "dev" / "input" / "by-id" / "usb-EZ_Access-event-kbd"
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", "--device", f"keypad=evdev:{node}")).code == 0
    make_db(kiosk)
    r = kiosk.cli("--json", "doctor", "--skip", "broker")
    keypad = rows(r.out)["device keypad"]
    assert r.code == 1 and keypad["result"] == "fail" and "DeviceGone" in keypad["detail"], keypad
    assert "keypad" in keypad["fix"] and "/dev/input/by-id/" in keypad["fix"] and "scanner" not in keypad["fix"]
    with Store(kiosk.data_dir / "kiosk.db") as store:
        store.set_setting(UI_LIVENESS_SETTING, time.time())
        store.set_device_status(DeviceStatus("keypad", DeviceState.ABSENT, frozenset({FaultCode.KEYPAD_OFFLINE})))
    keypad = rows(kiosk.cli("--json", "doctor", "--skip", "broker").out)["device keypad"]
    assert keypad["result"] == "fail" and "as the running shell sees it" in keypad["detail"]
    assert "keypad_offline" in keypad["detail"] and "blind citizens" in keypad["fix"]
