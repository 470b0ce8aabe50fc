"""The hall's certificate authority (``kiosk-hall pki``): its CA, the certificates it issues, its CRL.

One directory holds it all::

    ca.crt            the hall CA (kiosks get a copy: ``kiosk-provision enroll --ca``)
    ca.key            its private key, 0600: whoever has it can make hall certificates
    crl.pem           revoked certificates; the broker loads it (``crlfile``)
    index.json        every certificate issued: serial, CN, role, validity, revocation
    issued/           <cn>.crt, and <cn>.key (0600) for what is made here (hall instances, broker, admin)
    signing.key       the hall's Ed25519 key, 0600: it signs config and catalog updates (sync/signing.py)
    signing.pub       its public half; kiosks get a copy (``kiosk-provision enroll --hall-key``)

Roles, in the certificate's OU and in the index: ``kiosk`` (CN = kiosk id, made from the kiosk's CSR: its key
never leaves the kiosk), ``hall`` (CN = ``<identity>-<instance>``, one per ``kiosk-hall run`` instance),
``broker`` (CN and SAN = the broker's host name) and ``admin`` (``<identity>-admin``, changes the broker's
access rules at run time). The broker's rules are derived from the index (``sync/broker/``): a certificate
does nothing on the broker until its CN is registered there, and a revoked one is refused by TLS.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from kiosk import ids
from sync import certs, signing

ROLES = ("kiosk", "hall", "broker", "admin")
DIR_MODE = 0o755  # public certificates and the CRL must be readable by the broker's own user
DAYS = {"ca": 3650, "kiosk": 730, "hall": 730, "broker": 825, "admin": 730}


class PkiError(ValueError):
    """A request the hall CA refuses, or a CA directory it cannot use; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    """One issued certificate, as recorded in ``index.json``."""

    serial: int
    cn: str
    role: str
    issued_at: str
    not_after: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        """Not revoked and not expired."""
        return self.revoked_at is None and _dt.datetime.fromisoformat(self.not_after) > _now()


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(f"{path}: the hall CA key must be an EC key")
    return key


class HallPki:
    """A hall CA directory, opened with :meth:`open` or made with :meth:`create`."""

    def __init__(self, directory: Path, index: dict[str, Any], cert: x509.Certificate, key: ec.EllipticCurvePrivateKey):
        self.directory = Path(directory)
        self._index = index
        self.ca_cert = cert
        self._key = key

    # ------------------------------------------------------------------------------------------ opening
    @classmethod
    def create(cls, directory: Path, *, hall_id: str, identity: str = ids.DEFAULT_HALL_IDENTITY) -> HallPki:
        """Make a new CA for ``hall_id`` in ``directory`` (refused if one is there), an empty CRL and the
        admin certificate."""
        ids.check_id(hall_id, "hall id")
        ids.check_id(identity, "hall identity")
        directory = Path(directory)
        if (directory / "ca.key").exists():
            raise PkiError(f"{directory} already holds a hall CA (ca.key); it is never overwritten")
        (directory / "issued").mkdir(parents=True, exist_ok=True)
        os.chmod(directory, DIR_MODE)
        os.chmod(directory / "issued", DIR_MODE)
        key = certs.new_key()
        subject = certs.distinguished_name(f"{hall_id} kiosk CA", unit="ca", organization=hall_id)
        cert = certs.ca_certificate(key, subject, days=DAYS["ca"])
        certs.write_key(directory / "ca.key", key)
        certs.write_public(directory / "ca.crt", certs.pem(cert))
        index: dict[str, Any] = {"hall_id": hall_id, "identity": identity, "certificates": []}
        pki = cls(directory, index, cert, key)
        pki._save()
        pki.write_crl()
        pki.issue_admin()
        pki.make_signing_key()
        return pki

    @classmethod
    def open(cls, directory: Path) -> HallPki:
        """The CA in ``directory``; :class:`PkiError` if there is none."""
        directory = Path(directory)
        try:
            index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
            cert = x509.load_pem_x509_certificate((directory / "ca.crt").read_bytes())
            key = _load_key(directory / "ca.key")
        except FileNotFoundError as exc:
            raise PkiError(
                f"no hall CA in {directory} ({Path(exc.filename).name} missing): make one with kiosk-hall pki init-ca"
            ) from None
        except (ValueError, json.JSONDecodeError) as exc:
            raise PkiError(f"{directory}: unreadable hall CA ({exc})") from None
        return cls(directory, index, cert, key)

    # ------------------------------------------------------------------------------------------- facts
    @property
    def hall_id(self) -> str:
        """The hall this CA serves (O of every certificate)."""
        return str(self._index["hall_id"])

    @property
    def identity(self) -> str:
        """The hall's identity (``mqtt.hall_identity`` of its kiosks, ``hall``)."""
        return str(self._index["identity"])

    @property
    def admin_name(self) -> str:
        """CN of the certificate that may change the broker's access rules."""
        return f"{self.identity}-admin"

    @property
    def ca_path(self) -> Path:
        """The CA certificate file."""
        return self.directory / "ca.crt"

    @property
    def crl_path(self) -> Path:
        """The certificate revocation list the broker loads."""
        return self.directory / "crl.pem"

    @property
    def signing_key_path(self) -> Path:
        """The hall's Ed25519 signing key (0600)."""
        return self.directory / "signing.key"

    @property
    def signing_public_path(self) -> Path:
        """The public half of the signing key, which every kiosk is given."""
        return self.directory / "signing.pub"

    def make_signing_key(self) -> str:
        """Make the hall's signing key and its public file if there is none (a CA made before signing existed);
        an existing key is kept. Its key id."""
        if self.signing_key_path.exists():
            key = self.signing_key()
        else:
            key = signing.new_private_key()
            certs.write_key(self.signing_key_path, key)  # type: ignore[arg-type]
        certs.write_public(self.signing_public_path, signing.public_pem(key.public_key()))
        return signing.key_id(key.public_key())

    def signing_key(self) -> Any:
        """The hall's Ed25519 signing key; :class:`PkiError` if there is none."""
        if not self.signing_key_path.exists():
            raise PkiError(f"no signing key in {self.directory}: make one with kiosk-hall pki signing-key")
        try:
            return signing.load_private_key(self.signing_key_path)
        except ValueError as exc:
            raise PkiError(str(exc)) from None

    def issued(self, cn: str) -> certs.Issued:
        """Where the certificate (and key, for what is made here) of ``cn`` is kept."""
        return certs.Issued(self.directory / "issued" / f"{cn}.crt", self.directory / "issued" / f"{cn}.key")

    def entries(self) -> list[Entry]:
        """Every certificate issued, oldest first."""
        return [Entry(**e) for e in self._index["certificates"]]

    def active(self, role: str) -> list[str]:
        """CNs with a valid, unrevoked certificate of ``role``, sorted."""
        return sorted({e.cn for e in self.entries() if e.role == role and e.active})

    # ----------------------------------------------------------------------------------------- issuing
    def sign_kiosk(self, csr_pem: bytes, *, days: int = DAYS["kiosk"], out: Path | None = None) -> tuple[str, Path]:
        """Sign a kiosk's CSR (``kiosk-provision enroll``): CN = kiosk id, checked and not reserved; OU, if
        any, this hall. The certificate is written to ``out`` (default ``issued/<kiosk>.crt``); the kiosk id
        and that path."""
        try:
            csr = x509.load_pem_x509_csr(csr_pem)
        except ValueError as exc:
            raise PkiError(f"not a PEM certificate signing request ({exc})") from None
        if not csr.is_signature_valid:
            raise PkiError("the CSR's signature is not valid: make a new one with kiosk-provision enroll")
        kiosk_id = _single(csr.subject, NameOID.COMMON_NAME, "CN")
        try:
            ids.check_kiosk_id(kiosk_id, hall_identity=self.identity)
        except ids.IdError as exc:
            raise PkiError(f"refused: {exc}") from None
        units = [str(a.value) for a in csr.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
        if units and units != [self.hall_id]:
            raise PkiError(f"refused: the CSR is for hall {units[0]!r}, this CA is hall {self.hall_id!r}")
        public = csr.public_key()
        if not (
            (isinstance(public, ec.EllipticCurvePublicKey) and public.curve.key_size >= 256)
            or (isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048)
        ):
            raise PkiError("refused: the CSR's key must be EC P-256 or stronger, or RSA of 2048 bits or more")
        cert = self._issue(kiosk_id, "kiosk", public, days=days)
        path = Path(out) if out else self.issued(kiosk_id).cert
        certs.write_public(path, certs.pem(cert))
        return kiosk_id, path

    def issue_hall(self, name: str, *, days: int = DAYS["hall"]) -> certs.Issued:
        """Key and certificate for one hall instance; ``name`` is ``<identity>-<instance>`` (``hall-1``)."""
        prefix = f"{self.identity}-"
        if not name.startswith(prefix) or name == self.admin_name:
            raise PkiError(
                f"a hall instance is named {prefix}<instance> (e.g. {prefix}1), not {name!r}; "
                f"{self.admin_name!r} is the admin certificate"
            )
        try:
            ids.check_id(name, "hall instance name")
        except ids.IdError as exc:
            raise PkiError(str(exc)) from None
        return self._issue_with_key(name, "hall", days=days)

    def issue_broker(self, host: str, *, also: tuple[str, ...] = (), days: int = DAYS["broker"]) -> certs.Issued:
        """Key and certificate for the broker, valid for ``host`` and ``also`` (names or IP addresses)."""
        if not host or any(c in host for c in "/ *"):
            raise PkiError(f"{host!r} is not a host name or IP address")
        return self._issue_with_key(host, "broker", days=days, server=True, hosts=(host, *also))

    def issue_admin(self, *, days: int = DAYS["admin"]) -> certs.Issued:
        """Key and certificate of the broker administrator (registers and removes kiosks at run time)."""
        return self._issue_with_key(self.admin_name, "admin", days=days)

    def _issue_with_key(
        self, cn: str, role: str, *, days: int, server: bool = False, hosts: tuple = ()
    ) -> certs.Issued:
        key = certs.new_key()
        cert = self._issue(cn, role, key.public_key(), days=days, server=server, hosts=hosts)
        issued = self.issued(cn)
        certs.write_key(issued.key, key)
        certs.write_public(issued.cert, certs.pem(cert))
        return issued

    def _issue(self, cn: str, role: str, public: Any, *, days: int, server: bool = False, hosts: tuple = ()) -> Any:
        subject = certs.distinguished_name(cn, unit=role, organization=self.hall_id)
        cert = certs.leaf_certificate(self.ca_cert, self._key, public, subject, days=days, server=server, hosts=hosts)
        entry = Entry(
            serial=cert.serial_number,
            cn=cn,
            role=role,
            issued_at=_now().isoformat(timespec="seconds"),
            not_after=cert.not_valid_after_utc.isoformat(timespec="seconds"),
        )
        self._index["certificates"].append(asdict(entry))
        self._save()
        return cert

    # ---------------------------------------------------------------------------------------- revoking
    def revoke(self, cn: str) -> list[Entry]:
        """Revoke every unrevoked certificate of ``cn`` (a kiosk id or hall instance) and rewrite the CRL;
        the entries revoked (empty: nothing to revoke)."""
        when = _now().isoformat(timespec="seconds")
        revoked = []
        for raw in self._index["certificates"]:
            if raw["cn"] == cn and raw["revoked_at"] is None:
                if raw["role"] in ("broker", "admin"):
                    raise PkiError(f"{cn!r} is the {raw['role']} certificate; issue a new one instead of revoking")
                raw["revoked_at"] = when
                revoked.append(Entry(**raw))
        if revoked:
            self._save()
            self.write_crl()
        return revoked

    def write_crl(self) -> Path:
        """Write ``crl.pem`` listing every revoked certificate. It stays valid as long as the CA (OpenSSL
        would refuse every client once a CRL's next update passed)."""
        revoked = [
            (e.serial, _dt.datetime.fromisoformat(e.revoked_at)) for e in self.entries() if e.revoked_at is not None
        ]
        days = max(1, (self.ca_cert.not_valid_after_utc - _now()).days)
        crl = certs.revocation_list(self.ca_cert, self._key, revoked, days=days)
        certs.write_public(self.crl_path, certs.pem(crl))
        return self.crl_path

    def _save(self) -> None:
        data = json.dumps(self._index, indent=1, ensure_ascii=False).encode()
        certs.write_public(self.directory / "index.json", data)


def _single(subject: x509.Name, oid: x509.ObjectIdentifier, label: str) -> str:
    values = subject.get_attributes_for_oid(oid)
    if len(values) != 1:
        raise PkiError(f"refused: the CSR must name exactly one {label} (it has {len(values)})")
    value = values[0].value
    return value.decode() if isinstance(value, bytes) else str(value)
