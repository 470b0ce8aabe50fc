"""X.509 building blocks (keys, CA and leaf certificates, CRLs) and a throw-away CA for tests and demos.

The hall's own CA (``sync/hall_pki.py``, ``kiosk-hall pki``) is built from the same functions. :class:`TestCA`
only exists so the mutual-TLS path can be exercised for real on a bare machine. A client certificate's common
name is the identity the broker sees (``use_identity_as_username``): the kiosk id, or a hall instance's name.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_MODE = 0o600


@dataclass(frozen=True)
class Issued:
    """Where one issued certificate and its key were written."""

    cert: Path
    key: Path


def new_key() -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 private key."""
    return ec.generate_private_key(ec.SECP256R1())


def write_key(path: Path, key: ec.EllipticCurvePrivateKey, mode: int = KEY_MODE) -> None:
    """Write ``key`` (PKCS#8 PEM, unencrypted) with ``mode``, never wider, not even for a moment."""
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(f.fileno(), mode)  # an existing file keeps its old mode through O_CREAT: set it before writing
        f.write(data)


def write_public(path: Path, data: bytes) -> None:
    """Write a certificate or CRL (public) through a temporary file, so a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def distinguished_name(common_name: str, *, unit: str | None = None, organization: str | None = None) -> x509.Name:
    """A subject: CN, then OU (the role: kiosk, hall, broker, admin) and O (the hall id) when given."""
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attrs)


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def ca_certificate(key: ec.EllipticCurvePrivateKey, subject: x509.Name, *, days: int) -> x509.Certificate:
    """A self-signed CA certificate that may sign leaf certificates and CRLs (no intermediate CAs)."""
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(now + _dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _alt_names(hosts: Iterable[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def leaf_certificate(
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    public_key: x509.CertificateIssuerPublicKeyTypes,
    subject: x509.Name,
    *,
    days: int,
    server: bool = False,
    hosts: Iterable[str] = (),
    serial: int | None = None,
) -> x509.Certificate:
    """A certificate for a client (or, with ``server``, a broker reachable as ``hosts``) signed by the CA."""
    now = _now()
    not_after = min(now + _dt.timedelta(days=days), ca_cert.not_valid_after_utc)  # never outlive the CA
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    hosts = list(hosts)
    if hosts:
        builder = builder.add_extension(x509.SubjectAlternativeName(_alt_names(hosts)), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def revocation_list(
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    revoked: Iterable[tuple[int, _dt.datetime]],
    *,
    days: int,
) -> x509.CertificateRevocationList:
    """A CRL listing ``revoked`` (serial, when). OpenSSL refuses every client once ``next_update`` has passed,
    so the CRL must be re-issued (``kiosk-hall pki crl``) before then."""
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - _dt.timedelta(minutes=5))
        .next_update(now + _dt.timedelta(days=days))
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca_key, hashes.SHA256())


def common_name(path: Path) -> str:
    """The subject CN of the first certificate in the PEM file ``path`` (``""`` if it has none)."""
    cert = x509.load_pem_x509_certificates(Path(path).read_bytes())[0]
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


def pem(obj: x509.Certificate | x509.CertificateRevocationList) -> bytes:
    """PEM text of a certificate or CRL."""
    return obj.public_bytes(serialization.Encoding.PEM)


class TestCA:
    """A CA kept in ``directory`` (``ca.crt``) that issues certificates next to it."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, directory: Path, *, name: str = "kiosk test CA", days: int = 30) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._days = days
        self._key = new_key()
        self._cert = ca_certificate(self._key, distinguished_name(name), days=days)
        self.cert_path = self.directory / "ca.crt"
        self.cert_path.write_bytes(pem(self._cert))

    def issue(
        self, common_name: str, *, server: bool = False, hosts: tuple[str, ...] = (), key_mode: int = KEY_MODE
    ) -> Issued:
        """Issue a certificate for ``common_name`` (a client unless ``server``), written as ``<cn>.crt/.key``.

        ``key_mode`` exists because a broker that drops root privileges must still read its key (TESTBED).
        """
        key = new_key()
        cert = leaf_certificate(
            self._cert,
            self._key,
            key.public_key(),
            distinguished_name(common_name),
            days=self._days,
            server=server,
            hosts=hosts,
        )
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in common_name)
        issued = Issued(self.directory / f"{safe}.crt", self.directory / f"{safe}.key")
        issued.cert.write_bytes(pem(cert))
        write_key(issued.key, key, key_mode)
        return issued

    def crl(self, revoked: tuple[int, ...] = ()) -> Path:
        """Write ``crl.pem`` revoking these serial numbers (none: an empty list the broker can load)."""
        when = _now()
        path = self.directory / "crl.pem"
        path.write_bytes(pem(revocation_list(self._cert, self._key, [(s, when) for s in revoked], days=self._days)))
        return path
