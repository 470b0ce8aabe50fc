"""The kiosk's key, its certificate signing request, and checks of the certificate the hall CA signed.

The private key is made on the kiosk and never leaves it: only the CSR (public key + kiosk id) goes to the
hall. The key file is mode 0600 and owned by the service user, the only account that needs to read it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk import atomicfile
from provisioning.context import CommandError, Owner, give

KEY_MODE = 0o600
PUBLIC_MODE = 0o644
PKI_DIR_MODE = 0o750


def write_atomic(path: Path, data: bytes, *, mode: int, owner: Owner | None) -> None:
    """Write ``data`` through a temporary file created with ``mode`` (never wider, not even for a moment)."""
    atomicfile.write_atomic(path, data, mode=mode, prepare=lambda tmp: give(tmp, owner, mode))


def load_or_make_key(path: Path, *, owner: Owner | None, new: bool = False) -> tuple[ec.EllipticCurvePrivateKey, bool]:
    """The kiosk's private key at ``path`` (P-256), made if missing or ``new``; also whether it was made."""
    if path.exists() and not new:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CommandError(f"{path} is not an EC key; make a new one with: kiosk-provision enroll --new-key")
        give(path, owner, KEY_MODE)  # repair owner and mode if someone changed them
        return key, False
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_atomic(path, pem, mode=KEY_MODE, owner=owner)
    return key, True


def make_csr(key: ec.EllipticCurvePrivateKey, *, kiosk_id: str, hall_id: str) -> x509.CertificateSigningRequest:
    """A CSR whose common name is the kiosk id (the broker's username for it) and OU the hall id."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, kiosk_id),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, hall_id),
        ]
    )
    return x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())


def public_key_fingerprint(key: ec.EllipticCurvePublicKey) -> str:
    """SHA-256 of the public key (DER), as the hall operator can read it back over the phone."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashlib.sha256(der).hexdigest()
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def load_cert(path: Path) -> x509.Certificate:
    """The first certificate in a PEM file."""
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())[0]
    except FileNotFoundError:
        raise CommandError(f"no certificate at {path}") from None
    except (ValueError, IndexError) as exc:
        raise CommandError(f"{path}: not a PEM certificate ({exc})") from None


def common_name(cert: x509.Certificate) -> str:
    """The subject CN ("" if none)."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


@dataclass(frozen=True)
class CertProblem:
    """Something wrong with the kiosk's certificate, and what to do about it."""

    what: str
    fix: str


REENROLL = (
    "enroll again: kiosk-provision enroll (makes a CSR), have the hall CA sign it, then "
    "kiosk-provision enroll --install-cert kiosk.crt --ca ca.crt"
)


def check_cert(
    cert: x509.Certificate,
    *,
    ca: x509.Certificate | None,
    key: ec.EllipticCurvePrivateKey | None,
    kiosk_id: str,
    now: _dt.datetime,
) -> list[CertProblem]:
    """Everything that would make the broker refuse this certificate (empty list: none found)."""
    problems: list[CertProblem] = []
    if key is not None and cert.public_key() != key.public_key():
        problems.append(CertProblem("the certificate is not for this kiosk's private key", REENROLL))
    if common_name(cert) != kiosk_id:
        problems.append(
            CertProblem(f"the certificate is for {common_name(cert)!r}, this kiosk is {kiosk_id!r}", REENROLL)
        )
    if ca is not None:
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            problems.append(CertProblem("the certificate was not signed by the installed hall CA", REENROLL))
    if now > cert.not_valid_after_utc:
        problems.append(
            CertProblem(f"the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC", REENROLL)
        )
    elif now < cert.not_valid_before_utc:
        problems.append(
            CertProblem(
                f"the certificate is valid only from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
                "the kiosk's clock is probably behind: check the time (timedatectl) and NTP",
            )
        )
    return problems
