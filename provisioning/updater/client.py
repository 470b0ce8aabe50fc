"""The TUF client side: which release the hall's repository offers, and its files, verified.

python-tuf's ``ngclient.Updater`` does the TUF client workflow (root rotation, timestamp → snapshot → targets,
signature thresholds, version numbers never going back, expiry, lengths and hashes). Its trust starts from the
hall's root metadata installed on the kiosk (``update.trust_root``); the metadata it has accepted since is kept
in ``<state_dir>/metadata`` and is what makes an older release offered as new a detectable rollback.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from tuf.api import exceptions
from tuf.ngclient import Updater
from tuf.ngclient.fetcher import FetcherInterface

from sync.release.manifest import CURRENT_TARGET, Manifest, ManifestError

log = logging.getLogger(__name__)


class UpdateRefused(Exception):
    """What the repository offered failed verification: tampered, replayed, expired or wrongly signed."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class FetchFailed(Exception):
    """The repository could not be reached or read (network, TLS, HTTP); nothing was decided."""


def _refusal(exc: exceptions.RepositoryError) -> UpdateRefused:
    """A TUF verification error as a refusal with a short machine-readable reason."""
    if isinstance(exc, exceptions.BadVersionNumberError):
        reason = "rollback"  # metadata older than what this kiosk has already accepted
    elif isinstance(exc, exceptions.ExpiredMetadataError):
        reason = "expired"
    elif isinstance(exc, exceptions.LengthOrHashMismatchError):
        reason = "tampered"
    elif isinstance(exc, exceptions.UnsignedMetadataError):
        reason = "bad_signature"
    else:
        reason = "invalid_metadata"
    return UpdateRefused(reason, str(exc) or type(exc).__name__)


@dataclass(frozen=True)
class FetchedRelease:
    """A release whose every file was downloaded and checked against the signed targets metadata."""

    manifest: Manifest
    directory: Path

    def path(self, name: str) -> Path:
        """Where file ``name`` of the release is."""
        return self.directory / name


class ReleaseClient:
    """One check against the repository at ``url`` (a new ``Updater`` each: ngclient refreshes once per
    instance)."""

    def __init__(self, url: str, *, trust_root: Path, metadata_dir: Path, fetcher: FetcherInterface) -> None:
        try:
            bootstrap = Path(trust_root).read_bytes()
        except OSError as exc:
            raise FileNotFoundError(
                f"no trusted root at {trust_root} ({exc.strerror}): install the hall's with kiosk-update trust FILE"
            ) from None
        metadata_dir.mkdir(parents=True, exist_ok=True)
        base = url.rstrip("/")
        try:
            self._updater = Updater(
                metadata_dir=str(metadata_dir),
                metadata_base_url=f"{base}/metadata/",
                target_base_url=f"{base}/targets/",
                fetcher=fetcher,
                bootstrap=bootstrap,
            )
        except exceptions.RepositoryError as exc:
            raise _refusal(exc) from exc

    def current(self, scratch: Path) -> Manifest | None:
        """Refresh the metadata and read the current release's manifest (None: nothing published yet)."""
        try:
            self._updater.refresh()
            info = self._updater.get_targetinfo(CURRENT_TARGET)
            if info is None:
                return None
            scratch.mkdir(parents=True, exist_ok=True)
            path = self._updater.download_target(info, str(scratch / CURRENT_TARGET))
        except exceptions.RepositoryError as exc:
            raise _refusal(exc) from exc
        except exceptions.DownloadLengthMismatchError as exc:  # more bytes than signed for: not a network fault
            raise UpdateRefused("tampered", str(exc)) from exc
        except exceptions.DownloadError as exc:
            raise FetchFailed(_download_problem(exc)) from exc
        try:
            return Manifest.from_bytes(Path(path).read_bytes())
        except ManifestError as exc:
            raise UpdateRefused("bad_manifest", str(exc)) from exc

    def download(self, manifest: Manifest, directory: Path) -> FetchedRelease:
        """Download every file of ``manifest`` into ``directory`` (files already there and intact are kept).

        A file the targets metadata does not list, or whose bytes differ from what it lists, refuses the
        whole release; a half-downloaded directory is never taken for a release (the caller installs only
        after this returns)."""
        directory.mkdir(parents=True, exist_ok=True)
        try:
            for name in manifest.files:
                info = self._updater.get_targetinfo(manifest.target_path(name))
                if info is None:
                    raise UpdateRefused(
                        "unsigned_file", f"release {manifest.version} names {name}, which is not signed"
                    )
                dest = str(directory / name)
                if self._updater.find_cached_target(info, dest) is None:
                    self._updater.download_target(info, dest)
        except exceptions.RepositoryError as exc:
            raise _refusal(exc) from exc
        except exceptions.DownloadLengthMismatchError as exc:  # more bytes than signed for: not a network fault
            raise UpdateRefused("tampered", str(exc)) from exc
        except exceptions.DownloadError as exc:
            raise FetchFailed(_download_problem(exc)) from exc
        return FetchedRelease(manifest, directory)


def _download_problem(exc: BaseException) -> str:
    """The innermost cause of a download error, in one line (TLS and socket errors hide under two layers)."""
    parts = []
    cur: BaseException | None = exc
    while cur is not None and len(parts) < 4:
        text = str(cur).strip()
        if text and text not in parts:
            parts.append(text)
        cur = cur.__cause__ or cur.__context__
    return "; ".join(parts)[:300] or type(exc).__name__


def clear_downloads(directory: Path, keep: str | None) -> None:
    """Remove downloaded releases other than ``keep`` (disk space on the kiosk is small)."""
    if not directory.is_dir():
        return
    for child in directory.iterdir():
        if child.name != keep:
            shutil.rmtree(child, ignore_errors=True)
