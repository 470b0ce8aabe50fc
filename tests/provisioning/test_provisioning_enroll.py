"""``enroll``: the kiosk's key stays private, its CSR is signed by a real openssl CA, and mosquitto accepts it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from kiosk.config import load_config
from tests.provisioning.helpers import Kiosk, Mosquitto, OpensslCA, init_args, openssl


@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[tuple[Mosquitto, OpensslCA]]:
    """A broker like the hall's: mutual TLS, certificate CN as username, nobody anonymous."""
    ca = OpensslCA(tmp_path / "hall-ca")
    cert, key = ca.broker_cert()
    m = Mosquitto(
        tmp_path,
        ["allow_anonymous false", f"cafile {ca.cert}", f"certfile {cert}", f"keyfile {key}",
         "require_certificate true", "use_identity_as_username true", "tls_version tlsv1.2"],
    )  # fmt: skip
    yield m, ca
    m.stop()


def test_enroll_csr_signed_by_the_hall_ca_is_accepted_by_mosquitto(
    kiosk: Kiosk, tls_broker: tuple[Mosquitto, OpensslCA]
) -> None:
    broker, ca = tls_broker
    assert kiosk.cli(*init_args(kiosk, broker=f"127.0.0.1:{broker.port}", tls=True)).code == 0
    r = kiosk.cli("--json", "enroll")
    assert r.code == 0, r.err
    made = json.loads(r.out)
    key_path, csr_path = Path(made["key"]), Path(made["csr"])
    assert made["key_made"] and key_path == kiosk.config.parent / "pki" / "kiosk.key"
    st = key_path.stat()
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.geteuid()
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o750
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert csr.is_signature_valid
    assert csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "KSK-0001"
    assert b"PRIVATE KEY" not in csr_path.read_bytes()
    openssl("req", "-in", str(csr_path), "-noout", "-verify", cwd=kiosk.root)  # a second implementation agrees

    signed = ca.sign(csr_path, "kiosk.crt")
    r = kiosk.cli("enroll", "--install-cert", str(signed), "--ca", str(ca.cert))
    assert r.code == 0, r.out + r.err
    assert "PASS" in r.out and "connected as KSK-0001" in r.out
    config = load_config(kiosk.config)
    assert config.mqtt.tls and config.mqtt.cert_file == kiosk.config.parent / "pki" / "kiosk.crt"
    assert config.mqtt.cert_file.read_bytes() == signed.read_bytes()
    # The broker saw the certificate's CN as the username.
    assert "u'KSK-0001'" in broker.log.read_text()

    # Enrolling again (renewal) keeps the key, so the installed certificate stays valid until replaced.
    before = key_path.read_bytes()
    r = kiosk.cli("enroll")
    assert r.code == 0 and "kept the existing key" in r.out and key_path.read_bytes() == before


def test_install_cert_refuses_a_certificate_for_another_key(kiosk: Kiosk, tmp_path: Path) -> None:
    ca = OpensslCA(tmp_path / "hall-ca")
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    assert kiosk.cli("enroll").code == 0
    # A CSR for the same kiosk id but made elsewhere (another key): the CA signs it, the kiosk must refuse it.
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key",
            "-out", "other.csr", "-subj", "/CN=KSK-0001", cwd=tmp_path)  # fmt: skip
    wrong = ca.sign(tmp_path / "other.csr", "other.crt")
    r = kiosk.cli("enroll", "--install-cert", str(wrong), "--ca", str(ca.cert), "--no-broker-test")
    assert r.code == 1
    assert "not for this kiosk's private key" in r.err
    assert not (kiosk.config.parent / "pki" / "kiosk.crt").exists()
    # ... and one signed by a CA other than the one given.
    other_ca = OpensslCA(tmp_path / "other-ca")
    right_key_wrong_ca = other_ca.sign(kiosk.config.parent / "pki" / "kiosk.csr", "k.crt")
    r = kiosk.cli("enroll", "--install-cert", str(right_key_wrong_ca), "--ca", str(ca.cert), "--no-broker-test")
    assert r.code == 1 and "not signed by the installed hall CA" in r.err


def test_enroll_needs_the_service_user_to_exist(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    r = kiosk.cli("--service-user", "no-such-kiosk-user", "enroll")
    assert r.code == 1 and "no user 'no-such-kiosk-user'" in r.err
    assert not (kiosk.config.parent / "pki" / "kiosk.key").exists()


def test_key_is_never_readable_by_others_even_while_written(kiosk: Kiosk) -> None:
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test", tls=True)).code == 0
    old_umask = os.umask(0)  # a careless shell umask must not widen the key
    try:
        assert kiosk.cli("enroll", "--new-key").code == 0
    finally:
        os.umask(old_umask)
    key_path = kiosk.config.parent / "pki" / "kiosk.key"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    csr = x509.load_pem_x509_csr((kiosk.config.parent / "pki" / "kiosk.csr").read_bytes())
    assert csr.public_key() == key.public_key()
