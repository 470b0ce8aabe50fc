"""The four TUF signing keys of a hall's release repository, and where each is kept.

- ``root`` and ``targets`` are *offline* keys: they sign who may sign (root) and what a release is (targets).
  They live on a medium the operator mounts only to set up the repository or publish a release (an encrypted
  USB stick, say) and are read from there; the tool refuses a key directory inside the published repository.
- ``snapshot`` and ``timestamp`` are *online* keys, kept on the hall server, which re-signs the timestamp
  (``kiosk-hall release timestamp``) on a timer: a kiosk refuses metadata whose timestamp has expired, so a
  repository frozen by an attacker stops being believed within the timestamp's lifetime.

Each private key is one PEM (PKCS#8) file ``<role>.key``, mode 0600; its public half goes into ``root.json``.
ECDSA P-256 keys, signed through securesystemslib's :class:`CryptoSigner`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner

OFFLINE_ROLES = ("root", "targets")
ONLINE_ROLES = ("snapshot", "timestamp")
ROLES = OFFLINE_ROLES + ONLINE_ROLES


class KeyFileError(ValueError):
    """A key file is missing, unreadable or in the wrong place; the message says which and why."""


def key_path(directory: Path, role: str) -> Path:
    """Where ``role``'s private key file is in ``directory``."""
    return Path(directory) / f"{role}.key"


def generate(directory: Path, roles: Iterable[str]) -> dict[str, Path]:
    """Make a new key for each of ``roles`` in ``directory`` (created 0700); never overwrites a key."""
    directory = Path(directory)
    roles = list(roles)
    existing = [str(key_path(directory, r)) for r in roles if key_path(directory, r).exists()]
    if existing:
        raise KeyFileError(f"keys exist already (a new key would lock the kiosks out): {', '.join(existing)}")
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    written = {}
    for role in roles:
        path = key_path(directory, role)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(CryptoSigner.generate_ecdsa().private_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        written[role] = path
    return written


def load_signer(directory: Path, role: str) -> CryptoSigner:
    """The signer of ``role`` from its key file in ``directory``."""
    path = key_path(directory, role)
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read the {role} key {path}: {exc.strerror or exc}") from None
    try:
        return CryptoSigner(load_pem_private_key(pem, password=None))
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path} is not a usable private key: {exc}") from None


@dataclass(frozen=True)
class KeyDirs:
    """Where the operator's offline keys and the hall's online keys are, checked against the repository."""

    offline: Path | None
    online: Path

    def check_apart_from(self, repository: Path) -> None:
        """Refuse key directories inside the published repository (the web server would hand them out)."""
        repo = Path(repository).resolve()
        for label, directory in (("offline", self.offline), ("online", self.online)):
            if directory is None:
                continue
            d = Path(directory).resolve()
            if d == repo or repo in d.parents:
                raise KeyFileError(f"the {label} keys ({d}) must not be inside the published repository {repo}")
        self.check_separate()

    def check_separate(self) -> None:
        """Refuse keeping the offline keys in the online keys' directory."""
        if self.offline is not None and Path(self.offline).resolve() == Path(self.online).resolve():
            raise KeyFileError("the offline keys (root, targets) must not be kept with the online keys")

    def signer(self, role: str) -> CryptoSigner:
        """The signer of ``role`` from the directory that role belongs in."""
        if role in OFFLINE_ROLES:
            if self.offline is None:
                raise KeyFileError(f"the {role} key is offline: mount it and pass --offline-keys DIR")
            return load_signer(self.offline, role)
        return load_signer(self.online, role)
