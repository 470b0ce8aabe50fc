"""The hall's release tool (``kiosk-hall release``): keys kept apart, the TUF repository it writes, publishing,
re-signing the timestamp, and the HTTPS server that only answers certificates of the hall's CA."""

from __future__ import annotations

import contextlib
import io
import json
import ssl
import stat
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tuf.api.metadata import Metadata

from sync.certs import TestCA
from sync.hall_main import main as hall_main
from sync.release.build import BuiltRelease
from sync.release.keys import KeyDirs
from sync.release.repository import ReleaseRepository, utc_now
from sync.release.serve import RepositoryServer, server_context


def hall(*argv: str) -> tuple[int, str, str]:
    """Run ``kiosk-hall ARGV`` in-process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = hall_main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def keys(tmp_path: Path) -> KeyDirs:
    dirs = KeyDirs(tmp_path / "usb-stick", tmp_path / "online")
    code, out, err = hall("release", "keygen", "--offline-keys", str(dirs.offline), "--online-keys", str(dirs.online))
    assert code == 0, err
    assert set(json.loads(out)) == {"root", "targets", "snapshot", "timestamp"}
    return dirs


def key_args(keys: KeyDirs) -> list[str]:
    return ["--offline-keys", str(keys.offline), "--online-keys", str(keys.online)]


def test_keygen_keeps_offline_and_online_keys_apart_and_never_overwrites(keys: KeyDirs, tmp_path: Path) -> None:
    assert sorted(p.name for p in keys.offline.iterdir()) == ["root.key", "targets.key"]
    assert sorted(p.name for p in keys.online.iterdir()) == ["snapshot.key", "timestamp.key"]
    for path in [*keys.offline.iterdir(), *keys.online.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.offline.stat().st_mode) == 0o700
    before = (keys.offline / "root.key").read_bytes()
    code, _, err = hall("release", "keygen", *key_args(keys))
    assert code == 1 and "exist already" in err
    assert (keys.offline / "root.key").read_bytes() == before
    same = tmp_path / "one-dir"
    code, _, err = hall("release", "keygen", "--offline-keys", str(same), "--online-keys", str(same))
    assert code == 1 and "must not be kept with the online keys" in err and not same.exists()


def test_init_refuses_keys_inside_the_published_repository(keys: KeyDirs, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    inside = repo / "keys"
    inside.mkdir(parents=True)
    for key in keys.offline.iterdir():
        (inside / key.name).write_bytes(key.read_bytes())
    code, _, err = hall("release", "init", "--repo", str(repo), "--offline-keys", str(inside),
                        "--online-keys", str(keys.online))  # fmt: skip
    assert code == 1 and "must not be inside the published repository" in err
    assert not (repo / "metadata").exists()


def test_init_publish_timestamp_and_status(keys: KeyDirs, tmp_path: Path, release_build: BuiltRelease) -> None:
    repo = tmp_path / "repo"
    code, out, err = hall("release", "init", "--repo", str(repo), *key_args(keys))
    assert code == 0, err
    anchor = Path(json.loads(out)["trust_root"])
    root = Metadata.from_file(str(anchor))
    assert root.signed.version == 1 and root.signed.consistent_snapshot
    root.signed.verify_delegate("root", root.signed_bytes, root.signatures)  # self-signed by the root key
    assert len(root.signed.keys) == 4 and all(len(r.keyids) == 1 for r in root.signed.roles.values())

    # Publishing needs the offline targets key: without it nothing changes.
    empty = tmp_path / "no-stick"
    empty.mkdir()
    code, _, err = hall("release", "publish", "--repo", str(repo), "--from", str(release_build.directory),
                        "--offline-keys", str(empty), "--online-keys", str(keys.online))  # fmt: skip
    assert code == 1 and "targets key" in err
    assert not (repo / "targets/releases").exists()
    code, out, err = hall("release", "status", "--repo", str(repo))
    assert json.loads(out)["roles"]["timestamp"]["version"] == 1 and json.loads(out)["current"] is None

    code, out, err = hall("release", "publish", "--repo", str(repo), "--from", str(release_build.directory),
                          *key_args(keys))  # fmt: skip
    assert code == 0, err
    version = release_build.wheel.split("-")[1]  # the default release version: the kiosk wheel's
    assert json.loads(out)["published"] == version
    status = json.loads(hall("release", "status", "--repo", str(repo))[1])
    assert status["current"] == version and status["releases"] == [version]
    assert {r: v["version"] for r, v in status["roles"].items()} == {"root": 1, "targets": 2, "snapshot": 2,
                                                                     "timestamp": 2}  # fmt: skip
    # Every file is served under its hash and is the very file that was built.
    targets = ReleaseRepository(repo).targets().signed.targets
    for source in release_build.files:
        info = targets[f"releases/{version}/{source.name}"]
        served = repo / "targets" / info.get_prefixed_paths()[0]
        assert served.read_bytes() == source.read_bytes() and info.length == source.stat().st_size
    assert not any(p.name.endswith(".key") for p in repo.rglob("*"))
    # The same version twice is refused (a kiosk would never see the second one).
    code, _, err = hall("release", "publish", "--repo", str(repo), "--from", str(release_build.directory),
                        *key_args(keys))  # fmt: skip
    assert code == 1 and "exists already" in err

    # The hall's timer re-signs the timestamp with the online keys alone.
    code, out, err = hall("release", "timestamp", "--repo", str(repo), "--online-keys", str(keys.online))
    assert code == 0 and json.loads(out) == {"timestamp": 3}
    status = json.loads(hall("release", "status", "--repo", str(repo))[1])
    assert status["roles"]["snapshot"]["version"] == 2 and status["roles"]["timestamp"]["version"] == 3


def test_the_snapshot_is_renewed_before_it_would_expire(keys: KeyDirs, tmp_path: Path) -> None:
    ReleaseRepository(tmp_path / "repo").create(keys)
    later = utc_now() + timedelta(days=13)  # the snapshot (14 days) would expire before the next timestamps
    repo = ReleaseRepository(tmp_path / "repo", now=lambda: later)
    repo.refresh_timestamp(KeyDirs(None, keys.online))
    assert repo.snapshot().signed.version == 2 and repo.snapshot().signed.expires == later + timedelta(days=14)
    assert repo.timestamp().signed.version == 2


@pytest.fixture
def served(tmp_path: Path, keys: KeyDirs) -> Iterator[tuple[TestCA, str]]:
    repo = ReleaseRepository(tmp_path / "repo")
    repo.create(keys)
    (repo.targets_dir / ".staging").mkdir(parents=True, exist_ok=True)
    (repo.targets_dir / ".staging" / "half").write_text("x")
    ca = TestCA(tmp_path / "ca")
    cert = ca.issue("localhost", server=True, hosts=("127.0.0.1",))
    server = RepositoryServer(("127.0.0.1", 0), repo.directory,
                              server_context(cert=cert.cert, key=cert.key, ca=ca.cert_path))  # fmt: skip
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield ca, f"https://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def client_context(ca: Path, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    if cert is not None:
        context.load_cert_chain(str(cert), str(key))
    return context


def get(url: str, context: ssl.SSLContext) -> int:
    """The HTTP status of GET ``url``."""
    try:
        with urllib.request.urlopen(url, context=context, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_server_answers_only_kiosks_of_the_halls_ca(served: tuple[TestCA, str], tmp_path: Path) -> None:
    ca, url = served
    kiosk = ca.issue("KSK-0001")
    ok = client_context(ca.cert_path, kiosk.cert, kiosk.key)
    assert get(f"{url}/metadata/timestamp.json", ok) == 200
    assert get(f"{url}/metadata/1.root.json", ok) == 200
    for path in ("/metadata/", "/targets/", "/", "/targets/.staging/half", "/metadata/../../etc/passwd"):
        assert get(f"{url}{path}", ok) == 404, path
    with pytest.raises((urllib.error.URLError, ssl.SSLError, ConnectionError)):
        get(f"{url}/metadata/timestamp.json", client_context(ca.cert_path))  # no certificate
    stranger = TestCA(tmp_path / "other").issue("KSK-0001")
    with pytest.raises((urllib.error.URLError, ssl.SSLError, ConnectionError)):
        get(f"{url}/metadata/timestamp.json", client_context(ca.cert_path, stranger.cert, stranger.key))
