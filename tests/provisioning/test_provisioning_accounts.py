"""Issue 12 points 6 and 15, tried for real: an image installed with ``install --root``, then, as the services'
own uids (from the image's passwd), what each can and cannot do to the config, the PKI, the key and the store.

Before the fix ``/etc/kiosk`` was ``root:kiosk 0770`` and kiosk.toml the service's: running as that uid, ``pki/``
could be renamed away, a CA planted and the config replaced; and the screen ran as the same uid as the sync
agent, so it could read the TLS key. The image is also how the technician path of issue 15 point 5 is walked:
``init`` and ``enroll`` take the same ``--root`` (before, enroll said "no user kiosk on this machine").
"""

from __future__ import annotations

import os
import shutil
import site
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync import signing
from tests.provisioning.helpers import Kiosk

ROOT = Path(__file__).resolve().parents[2]
APPLIANCE_CONFIG = Path("/etc/kiosk/kiosk.toml")


@dataclass(frozen=True)
class Account:
    uid: int
    gid: int


@dataclass(frozen=True)
class Image:
    root: Path
    sync: Account
    ui: Account


def account(root: Path, name: str) -> Account:
    for line in (root / "etc/passwd").read_text().splitlines():
        parts = line.split(":")
        if parts[0] == name:
            return Account(int(parts[2]), int(parts[3]))
    raise AssertionError(f"no {name} in {root}/etc/passwd")


@pytest.fixture(scope="module")
def image() -> Iterator[Image]:
    # Not pytest's tmp dir: the image's uids must be able to walk to it (it is root's 0700).
    root = Path(tempfile.mkdtemp(prefix="kiosk-image-"))
    os.chmod(root, 0o755)
    try:
        k = Kiosk(root, APPLIANCE_CONFIG, root / "unused")
        r = k.cli("--service-user", "kiosk", "install", "--root", str(root), "--skip-venv", "--no-enable")
        assert r.code == 0, r.err
        assert f"kiosk-provision --root {root} init" in r.out
        image_cli = ["--root", str(root), "--service-user", "kiosk"]
        r = k.cli(*image_cli, "init", "--kiosk-id", "KSK-0001", "--hall-id", "ordos-kbs", "--broker",
                  "hall-broker.local:8883", "--tls", "--non-interactive", "--no-broker-test")  # fmt: skip
        assert r.code == 0, r.err
        r = k.cli(*image_cli, "enroll")
        assert r.code == 0, r.err  # before: "no user 'kiosk' on this machine" (it is only in the image)
        hall_pub = root / "signing.pub"
        hall_pub.write_bytes(signing.public_pem(signing.new_private_key().public_key()))
        r = k.cli(*image_cli, "enroll", "--hall-key", str(hall_pub))
        assert r.code == 0, r.err
        yield Image(root, account(root, "kiosk"), account(root, "kiosk-ui"))
    finally:
        shutil.rmtree(root)


def python_for_anyone() -> str:
    """An interpreter every uid may run: this one may sit in root's home (pyenv); Debian's is the same version."""
    debian = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    return str(debian) if debian.exists() else sys.executable


def as_user(who: Account, image: Image, code: str) -> subprocess.CompletedProcess:
    """Run ``code`` (Python) as ``who`` with the services' umask, ``R`` being the image's root."""
    program = f"from pathlib import Path\nR = Path({str(image.root)!r})\n" + textwrap.dedent(code)
    path = os.pathsep.join([str(ROOT), *site.getsitepackages()])  # the checkout, then the venv's libraries
    return subprocess.run(
        [python_for_anyone(), "-c", program],
        user=who.uid,
        group=who.gid,
        extra_groups=[who.gid],
        umask=0o007,
        cwd="/",
        env={"PYTHONPATH": path, "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=60,
    )


def denied(who: Account, image: Image, action: str) -> bool:
    """Whether ``action`` (a Python statement) fails with PermissionError when ``who`` tries it."""
    program = f"try:\n    {action}\nexcept PermissionError:\n    print('denied')\nelse:\n    print('done')\n"
    done = as_user(who, image, program)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip() == "denied"


def test_the_sync_agents_uid_cannot_change_the_config_or_the_pki(image: Image) -> None:
    sync = image.sync
    assert not denied(sync, image, "(R / 'etc/kiosk/kiosk.toml').read_bytes()")  # it reads its config
    assert not denied(sync, image, "(R / 'etc/kiosk/pki/kiosk.key').read_bytes()")  # and its key
    assert denied(sync, image, "(R / 'etc/kiosk/pki').rename(R / 'etc/kiosk/pki.old')")
    assert denied(sync, image, "(R / 'etc/kiosk/pki/ca.crt').write_text('planted')")
    assert denied(sync, image, "(R / 'etc/kiosk/planted.toml').write_text('[mqtt]')")
    assert denied(sync, image, "open(R / 'etc/kiosk/kiosk.toml', 'a').close()")
    assert denied(sync, image, "(R / 'etc/kiosk/kiosk.toml').unlink()")
    assert denied(sync, image, "(R / 'etc/kiosk/pki/hall-signing.pub').unlink()")
    st = (image.root / "etc/kiosk/kiosk.toml").stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (0, sync.gid, 0o640)


def test_the_screen_has_its_own_uid_and_cannot_read_the_tls_key(image: Image) -> None:
    ui, sync = image.ui, image.sync
    assert ui.uid != sync.uid and ui.gid == sync.gid
    assert not denied(ui, image, "(R / 'etc/kiosk/kiosk.toml').read_bytes()")
    assert not denied(ui, image, "(R / 'etc/kiosk/pki/hall-signing.pub').read_bytes()")
    assert denied(ui, image, "(R / 'etc/kiosk/pki/kiosk.key').read_bytes()")
    st = (image.root / "etc/kiosk/pki/kiosk.key").stat()
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (sync.uid, 0o600)


def test_both_uids_write_the_shared_store_and_the_agent_writes_the_hall_settings(image: Image) -> None:
    db = image.root / "var/lib/kiosk/kiosk.db"
    write = """
        from kiosk.store import Store
        with Store(R / 'var/lib/kiosk/kiosk.db') as store:
            store.enqueue('event', {{'by': {who!r}}})
            print(store.outbox_stats().depth)
    """
    for who, name, depth in ((image.sync, "sync", 1), (image.ui, "ui", 2), (image.sync, "sync", 3)):
        done = as_user(who, image, write.format(who=name))
        assert done.returncode == 0 and done.stdout.split()[-1] == str(depth), done.stderr
    for path in image.root.glob("var/lib/kiosk/kiosk.db*"):
        st = path.stat()
        assert st.st_gid == image.sync.gid and stat.S_IMODE(st.st_mode) & 0o060 == 0o060, path
    assert db.exists()
    update = """
        from sync.config_update import apply_update
        apply_update(R / 'var/lib/kiosk/hall-settings.toml', {'session': {'idle_timeout_s': 120.0}},
                     base=R / 'etc/kiosk/kiosk.toml')
    """
    done = as_user(image.sync, image, update)
    assert done.returncode == 0, done.stderr
    st = (image.root / "var/lib/kiosk/hall-settings.toml").stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (image.sync.uid, image.sync.gid, 0o640)
    assert not denied(image.ui, image, "(R / 'var/lib/kiosk/hall-settings.toml').read_text()")  # the screen reads it
