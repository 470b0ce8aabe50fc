"""Where the appliance lives on disk, who owns what, with which modes: the one description ``install`` follows
and its tests check.

    /opt/kiosk/slots/{a,b}     root:root        0755   two venvs with the code (no service can change it)
    /opt/kiosk/current         -> slots/a       the slot the units start from (kiosk-update switches it)
    /usr/local/bin/kiosk, kiosk-provision, kiosk-sync   links through /opt/kiosk/current, so the commands are on PATH
    /etc/kiosk                 root:kiosk       0750   config (kiosk.toml root:kiosk 0640): the services read it,
                                                       none can rename, replace or add a file here
    /etc/kiosk/pki             root:kiosk       0750   CA, certificate, hall signing key (0644, root's), the TLS
                                                       key (kiosk 0600: the sync agent's alone, by enroll)
    /var/lib/kiosk             kiosk:kiosk      2770   the SQLite store both services share (setgid: what either
                                                       makes there stays in group kiosk), catalogs, and the hall's
                                                       settings (hall-settings.toml, written by kiosk-sync)
    /var/cache/kiosk           kiosk-ui:kiosk   0750   font and Qt caches of the shell
    /etc/systemd/system/kiosk-ui.service, kiosk-sync.service, kiosk-update.service, kiosk-update.timer,
    /etc/udev/rules.d/99-kiosk.rules,
    /etc/sysusers.d/kiosk.conf, /etc/pam.d/kiosk-ui, /etc/systemd/logind.conf.d/kiosk.conf,
    /etc/kiosk/kiosk.example.toml                                          root:root 0644

Two accounts, one group (``systemd/kiosk.conf``): ``kiosk`` runs the sync agent and alone reads the TLS key;
``kiosk-ui`` runs the screen, which draws whatever a citizen touches and so must not hold the key. A site that
names its own account (``--service-user``) runs both services as that account.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "kiosk"  # the sync agent's account, and the group both services share
UI_USER = "kiosk-ui"  # the screen's account
SLOT_ROOT = Path("/opt/kiosk")  # slots/a, slots/b and the current link (provisioning.updater.slots)
VENV = SLOT_ROOT / "current"  # the venv the units start from: the current slot
CONFIG_DIR = Path("/etc/kiosk")
PKI_DIR = CONFIG_DIR / "pki"
DATA_DIR = Path("/var/lib/kiosk")
CACHE_DIR = Path("/var/cache/kiosk")
BIN_DIR = Path("/usr/local/bin")
COMMANDS = ("kiosk", "kiosk-provision", "kiosk-sync")  # linked into BIN_DIR
UNITS = ("kiosk-sync.service", "kiosk-ui.service", "kiosk-update.timer")


@dataclass(frozen=True)
class Dir:
    """A directory: its path inside the root, its owner ("root", "service": the sync agent's account, "ui": the
    screen's) and group ("root" or "service": the group both share)."""

    path: Path
    user: str
    group: str
    mode: int


@dataclass(frozen=True)
class File:
    """A file copied from the source tree (``source`` relative to it) to ``path`` inside the root."""

    source: str
    path: Path
    mode: int = 0o644


DIRS = (
    Dir(Path("/opt/kiosk"), "root", "root", 0o755),
    Dir(Path("/opt/kiosk/slots"), "root", "root", 0o755),
    Dir(CONFIG_DIR, "root", "service", 0o750),
    Dir(PKI_DIR, "root", "service", 0o750),
    Dir(DATA_DIR, "service", "service", 0o2770),
    Dir(CACHE_DIR, "ui", "service", 0o750),
    Dir(Path("/etc/systemd/system"), "root", "root", 0o755),
    Dir(Path("/etc/systemd/logind.conf.d"), "root", "root", 0o755),
    Dir(Path("/etc/udev/rules.d"), "root", "root", 0o755),
    Dir(Path("/etc/sysusers.d"), "root", "root", 0o755),
    Dir(Path("/etc/pam.d"), "root", "root", 0o755),
    Dir(BIN_DIR, "root", "root", 0o755),
)

FILES = (
    File("systemd/kiosk-sync.service", Path("/etc/systemd/system/kiosk-sync.service")),
    File("systemd/kiosk-ui.service", Path("/etc/systemd/system/kiosk-ui.service")),
    File("systemd/kiosk-update.service", Path("/etc/systemd/system/kiosk-update.service")),
    File("systemd/kiosk-update.timer", Path("/etc/systemd/system/kiosk-update.timer")),
    File("systemd/99-kiosk.rules", Path("/etc/udev/rules.d/99-kiosk.rules")),
    File("systemd/kiosk.conf", Path("/etc/sysusers.d/kiosk.conf")),
    File("systemd/kiosk-ui.pam", Path("/etc/pam.d/kiosk-ui")),
    File("systemd/logind-kiosk.conf", Path("/etc/systemd/logind.conf.d/kiosk.conf")),
    File("kiosk/data/kiosk.example.toml", CONFIG_DIR / "kiosk.example.toml"),
)

# What the appliance needs from Debian 12 at run time (the venv brings the Python libraries).
RUNTIME_PACKAGES = (
    "python3",
    "python3-venv",
    "cage",  # the kiosk Wayland compositor kiosk-ui.service runs the shell in
    "libegl1",
    "libgl1",
    "libglib2.0-0",
    "libfontconfig1",
    "libfreetype6",
    "libxkbcommon0",
    "libdbus-1-3",
    "fonts-noto-cjk",
    "pcscd",  # social security card reader
    "libpcsclite1",
    "libpam-systemd",  # the kiosk-ui PAM stack opens a logind session for the seat
    "systemd-timesyncd",  # certificates and the hall's records need a right clock
)


def inside(root: Path, path: Path) -> Path:
    """``path`` (absolute, as on the appliance) under ``root``."""
    return root / path.relative_to("/")


def for_service_user(text: str, user: str, group: str) -> str:
    """A unit or rules file with the service account replaced (when the site runs it as another account)."""
    if user == SERVICE_USER and group == SERVICE_USER:
        return text
    for account in (SERVICE_USER, UI_USER):
        text = text.replace(f"User={account}\n", f"User={user}\n")
    text = text.replace(f"Group={SERVICE_USER}\n", f"Group={group}\n")
    return text.replace(f'GROUP="{SERVICE_USER}"', f'GROUP="{group}"')
