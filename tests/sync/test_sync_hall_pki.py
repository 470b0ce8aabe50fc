"""The hall PKI (``kiosk-hall pki``) and broker files (``kiosk-hall broker-config``), against openssl and a real
mosquitto: issue 15 point 4, and issue 12 point 14's revocation (a revoked kiosk certificate is refused)."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.store import Store
from provisioning import pki as kiosk_pki
from sync.hall_db import HallDB
from sync.hall_main import main as hall_main
from tests import citizen
from tests.provisioning.helpers import Kiosk, init_args
from tests.sync.conftest import Broker, free_port
from tests.sync.test_sync_security import _try_connect
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
HALL = "ordos-kbs"


def _subject(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(oid)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _csr(directory: Path, kiosk_id: str, hall_id: str = HALL) -> Path:
    """A CSR made by the kiosk's own code (``kiosk-provision enroll``), its key beside it."""
    directory.mkdir(parents=True, exist_ok=True)
    key, _ = kiosk_pki.load_or_make_key(directory / f"{kiosk_id}.key", owner=None)
    csr = kiosk_pki.make_csr(key, kiosk_id=kiosk_id, hall_id=hall_id)
    path = directory / f"{kiosk_id}.csr"
    path.write_bytes(csr.public_bytes(kiosk_pki.serialization.Encoding.PEM))
    return path


def _openssl_verify(ca: Path, crl: Path, cert: Path) -> str:
    done = subprocess.run(
        ["openssl", "verify", "-CAfile", str(ca), "-crl_check", "-CRLfile", str(crl), str(cert)],
        capture_output=True,
        text=True,
    )
    return (done.stdout + done.stderr).strip()


def test_the_pki_commands_issue_what_the_broker_needs_and_refuse_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "pki"
    pki = ["--pki", str(d)]
    assert hall_main(["pki", "init-ca", *pki, "--hall-id", HALL]) == 0
    assert _mode(d / "ca.key") == 0o600 and _mode(d / "issued" / "hall-admin.key") == 0o600
    assert _mode(d / "ca.crt") == 0o644 and _mode(d / "crl.pem") == 0o644
    assert hall_main(["pki", "init-ca", *pki, "--hall-id", HALL]) == 1  # never overwrites a CA
    assert "never overwritten" in capsys.readouterr().err

    assert hall_main(["pki", "issue-hall", "hall-1", *pki]) == 0
    assert hall_main(["pki", "issue-broker", "127.0.0.1", "--also", "localhost", *pki]) == 0
    assert _mode(d / "issued" / "hall-1.key") == 0o600 and _mode(d / "issued" / "127.0.0.1.key") == 0o600
    hall = x509.load_pem_x509_certificate((d / "issued" / "hall-1.crt").read_bytes())
    assert _subject(hall, NameOID.COMMON_NAME) == ["hall-1"]
    assert _subject(hall, NameOID.ORGANIZATIONAL_UNIT_NAME) == ["hall"]
    assert ExtendedKeyUsageOID.CLIENT_AUTH in hall.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    broker = x509.load_pem_x509_certificate((d / "issued" / "127.0.0.1.crt").read_bytes())
    names = broker.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    for name in ("KSK-1", "hall-admin", "hall", "hall-a/b"):
        assert hall_main(["pki", "issue-hall", name, *pki]) == 1, name
    capsys.readouterr()

    good = _csr(tmp_path / "csr", "KSK-0001")
    assert hall_main(["pki", "sign-kiosk", str(good), *pki]) == 0
    assert "not applied to a running broker" in capsys.readouterr().out
    kiosk = x509.load_pem_x509_certificate((d / "issued" / "KSK-0001.crt").read_bytes())
    assert _subject(kiosk, NameOID.COMMON_NAME) == ["KSK-0001"]
    assert _subject(kiosk, NameOID.ORGANIZATIONAL_UNIT_NAME) == ["kiosk"]
    assert _subject(kiosk, NameOID.ORGANIZATION_NAME) == [HALL]
    assert "OK" in _openssl_verify(d / "ca.crt", d / "crl.pem", d / "issued" / "KSK-0001.crt")  # a second opinion

    refused = {
        "hall": "kiosk id 'hall' is reserved",
        "hall-3": "kiosk id 'hall-3' is reserved",
        "$SYS": "must start with a letter or a digit",
    }
    for kiosk_id, message in refused.items():
        assert hall_main(["pki", "sign-kiosk", str(_csr(tmp_path / "csr", kiosk_id)), *pki]) == 1
        assert message in capsys.readouterr().err
    assert hall_main(["pki", "sign-kiosk", str(_csr(tmp_path / "other", "KSK-9", "other-hall")), *pki]) == 1
    assert "this CA is hall 'ordos-kbs'" in capsys.readouterr().err
    assert not (d / "issued" / "hall.crt").exists() and not (d / "issued" / "KSK-9.crt").exists()

    assert hall_main(["pki", "revoke", "KSK-0001", *pki]) == 0
    assert "certificate revoked" in _openssl_verify(d / "ca.crt", d / "crl.pem", d / "issued" / "KSK-0001.crt")
    assert "OK" in _openssl_verify(d / "ca.crt", d / "crl.pem", d / "issued" / "hall-1.crt")
    crl = x509.load_pem_x509_crl((d / "crl.pem").read_bytes())
    assert [r.serial_number for r in crl] == [kiosk.serial_number]
    assert hall_main(["pki", "revoke", "KSK-0001", *pki]) == 1  # nothing left to revoke
    capsys.readouterr()
    assert hall_main(["pki", "list", *pki]) == 0
    listing = capsys.readouterr().out
    assert "KSK-0001" in listing and "revoked" in listing and "hall-1" in listing


# ---------------------------------------------------------------------------------------------- the broker


def _broker_config(tmp_path: Path, port: int, *, as_root: bool = True) -> Path:
    """``kiosk-hall broker-config`` for this test's port and directories; the mosquitto.conf written."""
    out = tmp_path / "broker"
    argv = [
        "broker-config", "--pki", str(tmp_path / "pki"), "--hall-id", HALL, "--out", str(out), "--port", str(port),
        "--bind", "127.0.0.1", "--state-dir", str(tmp_path / "state"), "--log-dest", "stderr",
    ]  # fmt: skip
    # "--user root" keeps mosquitto (started by root) from dropping to its own user, who cannot enter pytest's
    # tmp dirs; without it, broker-config hands that user what it needs, as in the README.
    assert hall_main([*argv, "--user", "root"] if as_root else argv) == 0
    return out / "mosquitto.conf"


def _broker_files(tmp_path: Path, port: int, *, as_root: bool = True) -> Path:
    """The CA, the broker and hall-1 certificates, and the broker's files, made with the commands."""
    pki = ["--pki", str(tmp_path / "pki")]
    assert hall_main(["pki", "init-ca", *pki, "--hall-id", HALL]) == 0
    assert hall_main(["pki", "issue-broker", "127.0.0.1", *pki]) == 0
    assert hall_main(["pki", "issue-hall", "hall-1", *pki]) == 0
    return _broker_config(tmp_path, port, as_root=as_root)


def _tls(tmp_path: Path, cert: Path, key: Path) -> dict[str, str]:
    return {"ca_certs": str(tmp_path / "pki" / "ca.crt"), "certfile": str(cert), "keyfile": str(key)}


class Watch:
    """A kiosk's connection that does not reconnect by itself: its disconnects are the broker's doing."""

    def __init__(self, port: int, tls: dict[str, str]) -> None:
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5, reconnect_on_failure=False)
        self.client.tls_set(**tls)
        self.events: list[str] = []
        self.suback: list[Any] = []
        self.client.on_connect = lambda _c, _u, _f, rc, _p: self.events.append(f"connack {rc}")
        self.client.on_disconnect = lambda _c, _u, _f, rc, _p: self.events.append(f"disconnect {rc}")
        self.client.on_subscribe = lambda _c, _u, _m, codes, _p: self.suback.extend(codes)
        self.client.connect("127.0.0.1", port, 30)
        self.client.loop_start()
        wait_until(lambda: self.events, 5, "CONNACK")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_a_revoked_kiosk_is_cut_off_at_once_and_then_refused_by_mosquitto(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    conf = _broker_files(tmp_path, port)
    pki = ["--pki", str(tmp_path / "pki")]
    for kiosk_id in ("KSK-0001", "KSK-0002"):
        assert hall_main(["pki", "sign-kiosk", str(_csr(tmp_path / "kiosks", kiosk_id)), *pki]) == 0
    # Signed before broker-config ran again: the rules come from the CA's index.
    assert _broker_config(tmp_path, port) == conf
    broker = Broker(conf, port, tmp_path / "mosquitto.log")
    broker.start()
    issued, kiosks = tmp_path / "pki" / "issued", tmp_path / "kiosks"
    one = _tls(tmp_path, issued / "KSK-0001.crt", kiosks / "KSK-0001.key")
    two = _tls(tmp_path, issued / "KSK-0002.crt", kiosks / "KSK-0002.key")
    try:
        watch = Watch(port, one)
        watch.client.subscribe(f"gov/v1/{HALL}/kiosk/KSK-0001/down/+", qos=1)
        wait_until(lambda: watch.suback, 5, "SUBACK")
        assert not watch.suback[0].is_failure and watch.events == ["connack Success"]
        capsys.readouterr()

        assert hall_main(["pki", "revoke", "KSK-0001", *pki, "--broker", f"127.0.0.1:{port}"]) == 0
        assert f"applied on the broker 127.0.0.1:{port}" in capsys.readouterr().out
        wait_until(lambda: len(watch.events) == 2, 5, "the broker disconnecting the revoked kiosk")
        watch.close()
        assert broker.proc is not None
        os.kill(broker.proc.pid, signal.SIGHUP)  # "systemctl reload mosquitto": it reads the new CRL
        wait_until(lambda: _try_connect(port, one) != "connected", 10, "TLS refusing the revoked certificate")
        assert _try_connect(port, two) == "connected"  # the control: another kiosk of the same CA
        broker.restart()  # and after a restart, from the CRL file alone
        assert _try_connect(port, one) != "connected"
        assert _try_connect(port, two) == "connected"
    finally:
        broker.kill()


# ------------------------------------------------------------------------------------------ the walk-through


def _start(*argv: str, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", *argv],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def _fleet(db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert hall_main(["fleet", "--db", str(db), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_readme_walkthrough_brings_a_kiosk_online(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """README "The hall side", step by step (as root, without systemd): CA, broker files from the hall id, mosquitto,
    kiosk-hall run, a kiosk enrolled with kiosk-provision and signed by the hall CA, online, delivering."""
    port = free_port()
    # The hall's files where the broker's own user can reach them (pytest's tmp dirs are root's alone), so
    # broker-config runs as in the README: mosquitto drops to that user, which reads its key and rules.
    hall_dir = Path(tempfile.mkdtemp(prefix="kiosk-hall-"))
    os.chmod(hall_dir, 0o755)
    conf = _broker_files(hall_dir, port, as_root=False)  # init-ca, issue-broker, issue-hall hall-1, broker-config
    pki_dir = hall_dir / "pki"
    broker = Broker(conf, port, tmp_path / "mosquitto.log")
    broker.start()
    if os.geteuid() == 0:  # it really runs as its own user, with what broker-config handed over
        assert broker.proc is not None
        status = Path(f"/proc/{broker.proc.pid}/status").read_text()
        uid = int(re.search(r"^Uid:\s+(\d+)", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
        assert uid == pwd.getpwnam("mosquitto").pw_uid
    hall_db = tmp_path / "hall.db"
    hall = kiosk_sync = None
    kiosk = Kiosk(tmp_path / "kiosk", tmp_path / "kiosk" / "etc" / "kiosk.toml", tmp_path / "kiosk" / "data")
    try:
        hall = _start(
            "sync.hall_main", "run", "--db", str(hall_db), "--hall", HALL, "--host", "127.0.0.1",
            "--port", str(port), "--tls", "--ca", str(pki_dir / "ca.crt"),
            "--cert", str(pki_dir / "issued" / "hall-1.crt"), "--key", str(pki_dir / "issued" / "hall-1.key"),
            log=tmp_path / "hall.log",
        )  # fmt: skip
        # The kiosk: its config, its key and CSR (the key never leaves it).
        r = kiosk.cli(*init_args(kiosk, "--no-broker-test", broker=f"127.0.0.1:{port}", tls=True))
        assert r.code == 0, r.err
        r = kiosk.cli("--json", "enroll")
        assert r.code == 0, r.err
        csr = Path(json.loads(r.out)["csr"])
        # The hall signs it and registers the kiosk on the running broker.
        capsys.readouterr()
        signed = tmp_path / "KSK-0001.crt"
        assert hall_main(["pki", "sign-kiosk", str(csr), "--pki", str(pki_dir), "--out", str(signed),
                          "--broker", f"127.0.0.1:{port}"]) == 0  # fmt: skip
        assert "applied on the broker" in capsys.readouterr().out
        # Back on the kiosk: install the certificate and the CA; the broker check connects for real.
        r = kiosk.cli("enroll", "--install-cert", str(signed), "--ca", str(pki_dir / "ca.crt"),
                      "--hall-key", str(pki_dir / "signing.pub"))  # fmt: skip
        assert r.code == 0, r.out + r.err
        assert "PASS" in r.out and "connected as KSK-0001" in r.out
        kiosk_sync = _start("sync.agent_main", "--config", str(kiosk.config), log=tmp_path / "kiosk-sync.log")
        wait_until(
            lambda: [(f["kiosk_id"], f["online"]) for f in _fleet(hall_db, capsys)] == [("KSK-0001", True)],
            20,
            "KSK-0001 online in kiosk-hall fleet",
        )
        store = Store(kiosk.data_dir / "kiosk.db")  # the screen process's side: a citizen's submission
        # A real record: the hall checks citizen records against their schema (a made-up one is quarantined).
        key = store.enqueue("submission", citizen.submission(1, "KSK-0001"), personal=True).key
        wait_until(lambda: store.outbox_stats().depth == 0, 20, "the hall acknowledging the submission")
        store.close()
    finally:
        for proc in (kiosk_sync, hall):
            if proc is not None:
                _stop(proc)
        broker.kill()
        shutil.rmtree(hall_dir)
    log = (tmp_path / "hall.log").read_text()
    assert "connected as hall-1" in log, log[-2000:]  # instance 1, read from its certificate
    db = HallDB(hall_db)
    try:
        assert db.keys("submission") == [key]
    finally:
        db.close()
