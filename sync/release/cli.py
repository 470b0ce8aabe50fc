"""``kiosk-hall release …``: publish kiosk software as a signed TUF repository.

    kiosk-hall release keygen  --offline-keys /media/keys --online-keys /var/lib/kiosk-hall/release-keys
    kiosk-hall release init    --repo /srv/kiosk-updates --offline-keys /media/keys --online-keys …
    kiosk-hall release build   --source . --out dist/0.2.0 --lock-from /opt/kiosk-test/bin/python [--with-deps]
    kiosk-hall release publish --repo /srv/kiosk-updates --from dist/0.2.0 --offline-keys /media/keys --online-keys …
    kiosk-hall release timestamp --repo /srv/kiosk-updates --online-keys …      # on a timer, daily or more often
    kiosk-hall release status  --repo /srv/kiosk-updates
    kiosk-hall release serve   --repo /srv/kiosk-updates --port 8443 --cert hall.crt --key hall.key --ca ca.crt

``init`` prints the path of ``1.root.json``: give that file to every kiosk (``kiosk-update trust FILE``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from sync.release.build import BuildError, build_release, lock_from, release_files, wheel_version
from sync.release.keys import OFFLINE_ROLES, ONLINE_ROLES, KeyDirs, KeyFileError, generate
from sync.release.manifest import ManifestError
from sync.release.repository import ReleaseRepository, RepositoryError
from sync.release.serve import RepositoryServer, server_context

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    """Add ``release`` and its subcommands to ``kiosk-hall``'s subparsers."""
    release = sub.add_parser(
        "release",
        help="publish kiosk software (signed TUF repository)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rsub = release.add_subparsers(dest="release_cmd", required=True)

    def keys(p: argparse.ArgumentParser, *, offline: bool) -> None:
        if offline:
            p.add_argument("--offline-keys", type=Path, required=True, help="the mounted root and targets keys")
        p.add_argument("--online-keys", type=Path, required=True, help="the hall's snapshot and timestamp keys")

    p = rsub.add_parser("keygen", help="make the four signing keys (never overwrites one)")
    keys(p, offline=True)
    p = rsub.add_parser("init", help="create the repository (root, empty targets, snapshot, timestamp)")
    p.add_argument("--repo", type=Path, required=True)
    keys(p, offline=True)
    p = rsub.add_parser("build", help="build the kiosk wheel, the lock and optionally the dependency wheels")
    p.add_argument("--source", type=Path, required=True, help="the selfservice-kiosk source tree")
    p.add_argument("--out", type=Path, required=True, help="an empty directory for the release's files")
    lock = p.add_mutually_exclusive_group(required=True)
    lock.add_argument("--lock-from", metavar="PYTHON", help="pin what the venv of this python has installed")
    lock.add_argument("--lock", type=Path, help="a lock file (name==version lines) to use as it is")
    p.add_argument("--with-deps", action="store_true", help="also put the wheel of every pinned package in --out")
    p = rsub.add_parser("publish", help="sign a built release into the repository as the current one")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--from", dest="source", type=Path, required=True, help="a directory made by 'release build'")
    p.add_argument("--version", help="release version (default: the kiosk wheel's version)")
    keys(p, offline=True)
    p = rsub.add_parser("timestamp", help="re-sign the timestamp (and snapshot) with the online keys")
    p.add_argument("--repo", type=Path, required=True)
    keys(p, offline=False)
    p = rsub.add_parser("status", help="versions and expiry of the metadata, the releases")
    p.add_argument("--repo", type=Path, required=True)
    p = rsub.add_parser("serve", help="serve the repository over HTTPS, client certificates required")
    p.add_argument("--repo", type=Path, required=True)
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=int, default=8443)
    for name in ("cert", "key", "ca"):
        p.add_argument(f"--{name}", type=Path, required=True)


def run(args: argparse.Namespace) -> int:
    """Carry out a ``release`` subcommand; the exit status."""
    try:
        result = _dispatch(args)
    except (KeyFileError, RepositoryError, BuildError, ManifestError, OSError) as exc:
        print(f"kiosk-hall release: {exc}", file=sys.stderr)
        return 1
    if result is not None:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def _dispatch(args: argparse.Namespace) -> dict[str, Any] | None:
    cmd = args.release_cmd
    if cmd == "keygen":
        KeyDirs(args.offline_keys, args.online_keys).check_separate()
        written = {**generate(args.offline_keys, OFFLINE_ROLES), **generate(args.online_keys, ONLINE_ROLES)}
        return {role: str(path) for role, path in written.items()}
    if cmd == "build":
        text = Path(args.lock).read_text(encoding="utf-8") if args.lock else lock_from(args.lock_from)
        built = build_release(args.source, args.out, lock=text, with_deps=args.with_deps)
        return {"wheel": built.wheel, "lock": built.lock, "files": [f.name for f in built.files]}
    repo = ReleaseRepository(args.repo)
    if cmd == "init":
        anchor = repo.create(KeyDirs(args.offline_keys, args.online_keys))
        return {"trust_root": str(anchor), "next": f"give {anchor} to every kiosk: kiosk-update trust root.json"}
    if cmd == "publish":
        built = release_files(args.source)
        version = args.version or wheel_version(built.wheel)
        manifest = repo.publish(
            version, built.files, wheel=built.wheel, lock=built.lock, keys=KeyDirs(args.offline_keys, args.online_keys)
        )
        return {"published": manifest.version, "files": list(manifest.files)}
    if cmd == "timestamp":
        return {"timestamp": repo.refresh_timestamp(KeyDirs(None, args.online_keys))}
    if cmd == "status":
        return repo.describe()
    if cmd == "serve":
        if not repo.exists():
            raise RepositoryError(f"no repository in {args.repo}")
        server = RepositoryServer(
            (args.host, args.port), args.repo, server_context(cert=args.cert, key=args.key, ca=args.ca)
        )
        log.info("serving %s on https://%s:%d/", args.repo, args.host, server.port)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
        return None
    raise RepositoryError(f"unknown release command {cmd!r}")  # argparse prevents this
