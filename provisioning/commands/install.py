"""``kiosk-provision install``: lay the appliance out on a fresh Debian 12 machine (or into an image's root).

Steps, each safe to repeat: Debian runtime packages (only on the live system), the service user
(systemd-sysusers), directories with their owners and modes, units, udev rules, PAM and sysusers files, the
venv with this source tree installed into a slot under /opt/kiosk (the one ``current`` does not point to, which
then becomes current: see provisioning/updater/slots.py), and the units enabled. ``--root DIR`` does all of it
under DIR instead of / (for images and tests: the venv's scripts then point into DIR).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provisioning import layout
from provisioning.context import CommandError, Context, Owner, lookup_owner
from provisioning.output import table
from provisioning.updater.slots import Slots

log = logging.getLogger(__name__)

Runner = Callable[[Sequence[str]], None]
_COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "__pycache__", "build", "*.egg-info", "demo-out", ".*_cache")


def run_command(cmd: Sequence[str]) -> None:
    """Run ``cmd``; a :class:`CommandError` with the end of its output if it fails."""
    log.info("running %s", " ".join(cmd))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(list(cmd), check=True, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise CommandError(f"{cmd[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        tail = "\n".join((exc.stderr or exc.stdout or "").strip().splitlines()[-8:])
        raise CommandError(f"{' '.join(cmd)} failed (exit {exc.returncode}):\n{tail}") from None


def default_source() -> Path | None:
    """The source tree this CLI runs from, when it runs from one (a checkout or an editable install)."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() and (here / "systemd").is_dir() else None


def _project_version(source: Path) -> str:
    """The version in the source tree's pyproject.toml (what the slot's marker records)."""
    with (source / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle).get("project", {}).get("version", "unknown"))


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``install`` parser."""
    p = sub.add_parser(
        "install",
        parents=[common],
        help="lay out the appliance: venv, directories, service user, units, udev rules",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # --root DIR (a global option): install under DIR instead of /; later commands take the same --root.
    p.add_argument("--source", type=Path, help="the selfservice-kiosk source tree (default: the one running)")
    p.add_argument("--python", default="python3", help="the Python the venv is made from (default python3)")
    p.add_argument("--wheels", type=Path, help="install offline from the wheels in this directory")
    p.add_argument("--no-deps", action="store_true", help="install only the kiosk package (deps already there)")
    p.add_argument("--skip-venv", action="store_true", help="leave the slots under /opt/kiosk as they are")
    p.add_argument("--skip-apt", action="store_true", help="do not install Debian packages")
    p.add_argument("--no-enable", action="store_true", help="do not enable the units")
    p.set_defaults(func=run)


@dataclass
class Installer:
    """One installation into ``root`` from ``source``."""

    root: Path
    source: Path
    user: str = layout.SERVICE_USER
    group: str = layout.SERVICE_USER
    runner: Runner = run_command
    steps: list[tuple[str, str]] = field(default_factory=list)

    @property
    def live(self) -> bool:
        """Installing onto the running system (not into an image)."""
        return self.root.resolve() == Path("/")

    def _done(self, step: str, detail: str) -> None:
        log.info("%s: %s", step, detail)
        self.steps.append((step, detail))

    def packages(self) -> None:
        """Debian runtime packages (apt cannot install into another root)."""
        self.runner(["apt-get", "update", "-qq"])
        self.runner(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *layout.RUNTIME_PACKAGES])
        self._done("packages", " ".join(layout.RUNTIME_PACKAGES))

    def service_user(self) -> Owner:
        """Create the kiosk account with systemd-sysusers, or check the site's own account exists."""
        sysusers = layout.inside(self.root, Path("/etc/sysusers.d/kiosk.conf"))
        sysusers.parent.mkdir(parents=True, exist_ok=True)
        self._copy(layout.File("systemd/kiosk.conf", Path("/etc/sysusers.d/kiosk.conf")))
        if self.user == layout.SERVICE_USER:
            self.runner(["systemd-sysusers", *([] if self.live else [f"--root={self.root}"]), "kiosk.conf"])
        owner = lookup_owner(f"{self.user}:{self.group}", self.root)
        if owner is None:
            raise CommandError(f"no user {self.user!r} in {layout.inside(self.root, Path('/etc/passwd'))}")
        self._done("service user", f"{owner.user} (uid {owner.uid}, gid {owner.gid})")
        return owner

    def ui_user(self, owner: Owner) -> Owner:
        """The screen's account (``kiosk-ui``, made by sysusers beside ``kiosk``); a site account runs both."""
        if self.user != layout.SERVICE_USER:
            return owner
        ui = lookup_owner(layout.UI_USER, self.root)
        if ui is None:
            raise CommandError(f"no user {layout.UI_USER!r} in {layout.inside(self.root, Path('/etc/passwd'))}")
        return ui

    def directories(self, owner: Owner, ui: Owner | None = None) -> None:
        """Every directory of the layout, with its owner and mode (fixed if it already existed)."""
        uids = {"root": 0, "service": owner.uid, "ui": (ui or owner).uid}
        for d in layout.DIRS:
            path = layout.inside(self.root, d.path)
            path.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                os.chown(path, uids[d.user], owner.gid if d.group == "service" else 0)
            os.chmod(path, d.mode)  # after chown, which clears the setgid bit
        self._done("directories", ", ".join(str(d.path) for d in layout.DIRS[:5]))

    def _copy(self, f: layout.File) -> None:
        text = (self.source / f.source).read_text(encoding="utf-8")
        if f.source.startswith("systemd/"):
            text = layout.for_service_user(text, self.user, self.group)
        target = layout.inside(self.root, f.path)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, f.mode)
        if os.geteuid() == 0:
            os.chown(tmp, 0, 0)
        os.replace(tmp, target)

    def files(self) -> None:
        """Units, udev rules, PAM stack, example config."""
        for f in layout.FILES:
            self._copy(f)
        self._done("files", ", ".join(str(f.path) for f in layout.FILES))

    def commands(self) -> None:
        """Links in /usr/local/bin to the venv's commands, so a technician types ``kiosk-provision``."""
        for name in layout.COMMANDS:
            link = layout.inside(self.root, layout.BIN_DIR / name)
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(layout.VENV / "bin" / name)  # the path on the appliance, also inside an image
        self._done("commands", f"{', '.join(layout.COMMANDS)} in {layout.BIN_DIR}")

    def venv(self, python: str, wheels: Path | None, no_deps: bool) -> None:
        """A venv with this source tree installed (from a clean copy: no build files in it) in the slot that is not
        current, then ``current`` switched to it (provisioning.updater.slots: the same two slots kiosk-update uses).
        """
        slots = Slots(layout.inside(self.root, layout.SLOT_ROOT))
        slot = slots.inactive()
        slots.clear(slot)
        venv = slots.path(slot)
        self.runner([python, "-m", "venv", str(venv)])
        with tempfile.TemporaryDirectory(prefix="kiosk-src-") as tmp:
            copy = Path(tmp) / "src"
            shutil.copytree(self.source, copy, ignore=_COPY_IGNORE)
            offline = ["--no-index", "--find-links", str(wheels)] if wheels else []
            pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
            self.runner([*pip, *offline, *(["--no-deps"] if no_deps else []), str(copy)])
        slots.mark(slot, _project_version(self.source), f"kiosk-provision install from {self.source}")
        slots.switch(slot)
        self._done("venv", f"{layout.SLOT_ROOT}/slots/{slot}, now {layout.VENV} (selfservice-kiosk from {self.source})")

    def enable(self) -> None:
        """Enable the units; on the live system also reload systemd and udev."""
        self.runner(["systemctl", f"--root={self.root}", "enable", *layout.UNITS])
        if self.live and Path("/run/systemd/system").is_dir():  # only where systemd is running
            self.runner(["systemctl", "daemon-reload"])
            self.runner(["udevadm", "control", "--reload"])
            self.runner(
                [
                    "udevadm",
                    "trigger",
                    "--action=add",
                    "--subsystem-match=tty",
                    "--subsystem-match=usb",
                    "--subsystem-match=usbmisc",
                    "--subsystem-match=input",
                ]
            )
        self._done("units", f"enabled {', '.join(layout.UNITS)}")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Install."""
    source = args.source or default_source()
    if source is None or not (source / "systemd" / "kiosk-sync.service").is_file():
        raise CommandError("cannot find the source tree (with systemd/): pass --source DIR", exit_code=2)
    user, _, group = (ctx.service_user if ctx.service_user_explicit else layout.SERVICE_USER).partition(":")
    root = args.root or Path("/")
    installer = Installer(root=root, source=source.resolve(), user=user, group=group or user)
    if installer.live and os.geteuid() != 0:
        raise CommandError("installing onto this machine needs root (sudo kiosk-provision install)")
    if installer.live and not args.skip_apt:
        installer.packages()
    owner = installer.service_user()
    installer.directories(owner, installer.ui_user(owner))
    installer.files()
    installer.commands()
    if not args.skip_venv:
        installer.venv(args.python, args.wheels, args.no_deps)
    if not args.no_enable:
        installer.enable()
    result = {"ok": True, "root": str(root), "steps": [{"step": s, "detail": d} for s, d in installer.steps]}
    config = layout.CONFIG_DIR / "kiosk.toml"
    also = "" if installer.live else f" (for this image: kiosk-provision --root {root} init ...)"
    next_step = f"next: kiosk-provision init (writes {config}), then enroll, set-pin, doctor{also}"
    ctx.output.emit(result, lambda: f"{table(['step', 'done'], installer.steps)}\n{next_step}")
    return 0
