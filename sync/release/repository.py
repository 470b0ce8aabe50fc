"""A hall's TUF repository of kiosk releases, kept with python-tuf's Metadata API.

Layout (consistent snapshots, so a kiosk reading while the hall publishes always sees one whole state)::

    <repo>/metadata/1.root.json, 2.root.json …      root, signed by the offline root key
    <repo>/metadata/<N>.targets.json               every release file with its length and sha256 (offline key)
    <repo>/metadata/<N>.snapshot.json              the targets version (online key)
    <repo>/metadata/timestamp.json                 the snapshot version, short-lived (online key)
    <repo>/targets/<sha256>.release.json           the current release's manifest
    <repo>/targets/releases/<version>/<sha256>.<file>

Publishing writes the new files first and replaces ``timestamp.json`` last (atomically), so a kiosk sees either
the old release or the new one, never half of it. Old releases stay: kiosks that fetched the previous timestamp
a moment ago can still finish.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

from kiosk.atomicfile import write_atomic
from sync.release.keys import ROLES, KeyDirs
from sync.release.manifest import CURRENT_TARGET, Manifest, check_version

_ROOT_FILE = re.compile(r"^(\d+)\.root\.json$")


class RepositoryError(Exception):
    """The repository cannot do what was asked (missing, already there, a release that exists)."""


def utc_now() -> datetime:
    """The current time, UTC, whole seconds (TUF's expiry precision)."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Lifetimes:
    """How long each role's metadata is valid after signing."""

    root: timedelta = timedelta(days=365)
    targets: timedelta = timedelta(days=180)
    snapshot: timedelta = timedelta(days=14)
    timestamp: timedelta = timedelta(days=1)


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` whole (a reader never sees half a file); creates the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, mode=0o644)


class ReleaseRepository:
    """The repository in ``directory`` (``metadata/`` and ``targets/`` below it)."""

    def __init__(
        self,
        directory: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        lifetimes: Lifetimes = Lifetimes(),
    ) -> None:
        self.directory = Path(directory)
        self.metadata_dir = self.directory / "metadata"
        self.targets_dir = self.directory / "targets"
        self._now = now
        self.lifetimes = lifetimes
        self._serializer = JSONSerializer(compact=False)

    # ------------------------------------------------------------------------------------------------ reading
    def exists(self) -> bool:
        """Whether the repository has been created."""
        return (self.metadata_dir / "1.root.json").is_file()

    def _load(self, name: str) -> Metadata[Any]:
        path = self.metadata_dir / name
        if not path.is_file():
            raise RepositoryError(f"no {path}: create the repository first (kiosk-hall release init)")
        return Metadata.from_file(str(path))

    def root_version(self) -> int:
        """The newest root version in the repository."""
        versions = [int(m.group(1)) for p in self.metadata_dir.glob("*.root.json") if (m := _ROOT_FILE.match(p.name))]
        if not versions:
            raise RepositoryError(f"no root metadata in {self.metadata_dir}")
        return max(versions)

    def root(self) -> Metadata[Root]:
        """The newest root metadata."""
        return self._load(f"{self.root_version()}.root.json")

    def timestamp(self) -> Metadata[Timestamp]:
        """The current timestamp metadata."""
        return self._load("timestamp.json")

    def snapshot(self) -> Metadata[Snapshot]:
        """The snapshot the current timestamp names."""
        return self._load(f"{self.timestamp().signed.snapshot_meta.version}.snapshot.json")

    def targets(self) -> Metadata[Targets]:
        """The targets metadata the current snapshot names."""
        return self._load(f"{self.snapshot().signed.meta['targets.json'].version}.targets.json")

    def current_release(self) -> Manifest | None:
        """The manifest of the release kiosks get now (None before the first release)."""
        info = self.targets().signed.targets.get(CURRENT_TARGET)
        if info is None:
            return None
        return Manifest.from_bytes(self._target_file(info).read_bytes())

    def releases(self) -> list[str]:
        """Every published version, sorted."""
        versions = {p.split("/")[1] for p in self.targets().signed.targets if p.startswith("releases/")}
        return sorted(versions)

    def _target_file(self, info: TargetFile) -> Path:
        return self.targets_dir / info.get_prefixed_paths()[0]

    # ------------------------------------------------------------------------------------------------ writing
    def _write(self, md: Metadata[Any], name: str) -> None:
        _write_atomic(self.metadata_dir / name, md.to_bytes(self._serializer))

    def create(self, keys: KeyDirs) -> Path:
        """Create the repository: root v1 with the four keys' public halves, then empty targets, snapshot and
        timestamp. Returns the path of ``1.root.json``, the trust anchor every kiosk is given."""
        keys.check_apart_from(self.directory)
        if self.exists():
            raise RepositoryError(f"a repository exists already in {self.directory}")
        signers = {role: keys.signer(role) for role in ROLES}
        now = self._now()
        root = Metadata(Root(expires=now + self.lifetimes.root, consistent_snapshot=True))
        for role, signer in signers.items():
            root.signed.add_key(signer.public_key, role)
        root.sign(signers["root"])
        self._write(root, "1.root.json")
        targets = Metadata(Targets(expires=now + self.lifetimes.targets))
        targets.sign(signers["targets"])
        self._write(targets, "1.targets.json")
        self._sign_snapshot_and_timestamp(keys, targets.signed.version, first=True)
        return self.metadata_dir / "1.root.json"

    def publish(self, version: str, files: Sequence[Path], *, wheel: str, lock: str, keys: KeyDirs) -> Manifest:
        """Publish ``files`` (the kiosk wheel ``wheel``, the lock ``lock`` and dependency wheels) as release
        ``version`` and make it the current one. Needs the offline targets key."""
        keys.check_apart_from(self.directory)
        check_version(version)
        targets = self.targets()
        prefix = f"releases/{version}/"
        if any(path.startswith(prefix) for path in targets.signed.targets):
            raise RepositoryError(f"release {version} exists already: publish a new version")
        names = [Path(f).name for f in files]
        if len(set(names)) != len(names):
            raise RepositoryError("two release files share a name")
        manifest = Manifest(
            version=version,
            wheel=wheel,
            lock=lock,
            files=tuple(names),
            published_at=self._now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        signer = keys.signer("targets")  # before anything is written: a missing key leaves the repository as it was
        for source in files:
            info = self._add_target_file(Path(source), manifest.target_path(Path(source).name))
            targets.signed.targets[info.path] = info
        raw = manifest.to_bytes()
        for path in (CURRENT_TARGET, manifest.target_path("release.json")):
            info = TargetFile.from_data(path, raw, ["sha256"])
            _write_atomic(self._target_file(info), raw)
            targets.signed.targets[path] = info
        targets.signed.version += 1
        targets.signed.expires = self._now() + self.lifetimes.targets
        targets.sign(signer)
        self._write(targets, f"{targets.signed.version}.targets.json")
        self._sign_snapshot_and_timestamp(keys, targets.signed.version)
        return manifest

    def _add_target_file(self, source: Path, target_path: str) -> TargetFile:
        """Copy ``source`` into the targets tree under its hash-prefixed name; its TUF description."""
        staging = self.targets_dir / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=staging)
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            info = TargetFile.from_file(target_path, tmp, ["sha256"])  # hashed from the copy that is served
            dest = self._target_file(info)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return info

    def refresh_timestamp(self, keys: KeyDirs, *, expires: datetime | None = None) -> int:
        """Re-sign the timestamp (and the snapshot, when it would expire before the next timestamp does) with
        the online keys; returns the new timestamp version. The hall runs this on a timer. ``expires`` overrides
        the lifetime (tests make an expired one with it)."""
        snapshot = self.snapshot()
        renew_snapshot = snapshot.signed.expires <= self._now() + 2 * self.lifetimes.timestamp
        return self._sign_snapshot_and_timestamp(
            keys, snapshot.signed.meta["targets.json"].version, renew_snapshot=renew_snapshot, timestamp_expires=expires
        )

    def _sign_snapshot_and_timestamp(
        self,
        keys: KeyDirs,
        targets_version: int,
        *,
        renew_snapshot: bool = True,
        first: bool = False,
        timestamp_expires: datetime | None = None,
    ) -> int:
        """A new snapshot (if ``renew_snapshot``) and a new timestamp, written last; the timestamp's version."""
        now = self._now()
        if renew_snapshot:
            version = 1 if first else self.snapshot().signed.version + 1
            snapshot = Metadata(Snapshot(version=version, expires=now + self.lifetimes.snapshot))
            snapshot.signed.meta["targets.json"] = MetaFile(version=targets_version)
            snapshot.sign(keys.signer("snapshot"))
            self._write(snapshot, f"{version}.snapshot.json")
            snapshot_version = version
        else:
            snapshot_version = self.snapshot().signed.version
        timestamp = Metadata(
            Timestamp(
                version=1 if first else self.timestamp().signed.version + 1,
                expires=timestamp_expires or now + self.lifetimes.timestamp,
                snapshot_meta=MetaFile(version=snapshot_version),
            )
        )
        timestamp.sign(keys.signer("timestamp"))
        self._write(timestamp, "timestamp.json")
        return timestamp.signed.version

    def describe(self) -> dict[str, Any]:
        """Versions and expiry times of the four roles, the current release and every published one."""
        roles: dict[str, Metadata[Any]] = {
            "root": self.root(),
            "targets": self.targets(),
            "snapshot": self.snapshot(),
            "timestamp": self.timestamp(),
        }
        current = self.current_release()
        return {
            "roles": {
                name: {"version": md.signed.version, "expires": md.signed.expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
                for name, md in roles.items()
            },
            "current": current.version if current else None,
            "releases": self.releases(),
        }
