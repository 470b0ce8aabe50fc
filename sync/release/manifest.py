"""The release manifest: which files make up one kiosk release. Written by the hall, read by ``kiosk-update``.

It is a TUF target like the wheels themselves (``release.json`` names the current release; a copy stays under
``releases/<version>/release.json``), so the offline targets key vouches for it and for every file it names::

    {"format": 1, "version": "0.2.0", "wheel": "selfservice_kiosk-0.2.0-py3-none-any.whl",
     "lock": "requirements.lock", "files": ["selfservice_kiosk-0.2.0-py3-none-any.whl", "requirements.lock", ...],
     "published_at": "2025-06-01T02:00:00Z"}

Files are named relative to ``releases/<version>/`` in the repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

FORMAT = 1
CURRENT_TARGET = "release.json"  # the target path that always names the current release
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$")
_FILE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,199}$")  # a plain file name: no directories, no ".."


class ManifestError(ValueError):
    """A manifest that cannot be used; names what is wrong."""


def check_version(version: str) -> str:
    """``version`` if it is a safe release label (it becomes a directory name)."""
    if not _VERSION.match(version) or ".." in version:
        raise ManifestError(f"bad release version {version!r}: letters, digits and . + _ - only")
    return version


@dataclass(frozen=True)
class Manifest:
    """One release: its version, the kiosk wheel, the dependency lock and every file to install from."""

    version: str
    wheel: str
    lock: str
    files: tuple[str, ...]
    published_at: str = ""

    def __post_init__(self) -> None:
        check_version(self.version)
        for name in self.files:
            if not _FILE.match(name) or ".." in name:
                raise ManifestError(f"bad file name in release {self.version}: {name!r}")
        for role, name in (("wheel", self.wheel), ("lock", self.lock)):
            if name not in self.files:
                raise ManifestError(f"release {self.version}: its {role} {name!r} is not among its files")
        if not self.wheel.endswith(".whl"):
            raise ManifestError(f"release {self.version}: {self.wheel!r} is not a wheel")

    def target_path(self, name: str) -> str:
        """The TUF target path of file ``name`` of this release."""
        return f"releases/{self.version}/{name}"

    def to_bytes(self) -> bytes:
        """The manifest as canonical UTF-8 JSON."""
        body = {
            "format": FORMAT,
            "version": self.version,
            "wheel": self.wheel,
            "lock": self.lock,
            "files": list(self.files),
            "published_at": self.published_at,
        }
        return (json.dumps(body, sort_keys=True, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        """Parse a manifest; :class:`ManifestError` when it is not one this code understands."""
        try:
            body: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ManifestError(f"release manifest is not JSON: {exc}") from None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ManifestError(f"release manifest of an unknown format: {str(body)[:80]!r}")
        try:
            files = body["files"]
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                raise ManifestError("release manifest: files must be a list of names")
            fields = {k: body[k] for k in ("version", "wheel", "lock")}
        except KeyError as exc:
            raise ManifestError(f"release manifest without {exc.args[0]!r}") from None
        if not all(isinstance(v, str) for v in fields.values()):
            raise ManifestError("release manifest: version, wheel and lock must be strings")
        return cls(files=tuple(files), published_at=str(body.get("published_at", "")), **fields)
