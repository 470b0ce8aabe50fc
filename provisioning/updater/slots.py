"""Two venv slots under ``/opt/kiosk`` and the ``current`` link the units start from::

    /opt/kiosk/slots/a/          a venv: bin/kiosk, bin/kiosk-sync, bin/kiosk-update …, kiosk-release.json
    /opt/kiosk/slots/b/          the other one
    /opt/kiosk/current -> slots/a      (relative, so an image built under --root DIR works the same)

A new release goes into the slot ``current`` does not point to; switching is one ``rename`` of a new link over
``current`` (atomic), so a power cut leaves either the old or the new version running, never a mix. The marker
file ``kiosk-release.json`` is written last: a slot without it is incomplete and never switched to.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.atomicfile import fsync_directory, write_atomic

log = logging.getLogger(__name__)

SLOT_NAMES = ("a", "b")
MARKER = "kiosk-release.json"

Runner = Callable[[Sequence[str]], None]


class SlotError(Exception):
    """A slot cannot be installed or switched to; the message says why."""


def clean_environment() -> dict[str, str]:
    """This process's environment without what would point a slot's Python or pip elsewhere (a search path, pip
    settings): a slot gets exactly the release's files."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PIP_")}


def run_command(cmd: Sequence[str]) -> None:
    """Run ``cmd`` in a clean environment; :class:`SlotError` with the end of its output if it fails."""
    log.info("running %s", " ".join(cmd))
    try:
        subprocess.run(list(cmd), check=True, capture_output=True, text=True, env=clean_environment())
    except FileNotFoundError:
        raise SlotError(f"{cmd[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        tail = "\n".join((exc.stderr or exc.stdout or "").strip().splitlines()[-8:])
        raise SlotError(f"{' '.join(cmd)} failed (exit {exc.returncode}):\n{tail}") from None


class Slots:
    """The slots under ``root`` (``/opt/kiosk``, or that path inside an image's root)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.slots_dir = self.root / "slots"
        self.current_link = self.root / "current"

    def path(self, name: str) -> Path:
        """The directory of slot ``name``."""
        if name not in SLOT_NAMES:
            raise SlotError(f"no slot {name!r} (slots: {', '.join(SLOT_NAMES)})")
        return self.slots_dir / name

    def active(self) -> str | None:
        """The slot ``current`` points to (None before the first installation)."""
        try:
            target = Path(os.readlink(self.current_link))
        except OSError:
            return None
        return target.name if target.name in SLOT_NAMES and target.parent.name == "slots" else None

    def inactive(self) -> str:
        """The slot a new release goes into."""
        return "b" if self.active() == "a" else "a"

    def other(self, name: str) -> str:
        """The slot that is not ``name``."""
        return "b" if name == "a" else "a"

    def release(self, name: str) -> dict[str, Any] | None:
        """The marker of a completely installed slot (version, when, from what), else None."""
        try:
            value = json.loads((self.path(name) / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) and isinstance(value.get("version"), str) else None

    def version(self, name: str | None) -> str | None:
        """The release version installed in slot ``name`` (None: empty, incomplete or unknown)."""
        if name is None:
            return None
        release = self.release(name)
        return release["version"] if release else None

    def clear(self, name: str) -> None:
        """Empty slot ``name`` (its marker first, so a crash half-way leaves an incomplete slot, not a wrong one)."""
        if name == self.active():
            raise SlotError(f"slot {name} is the running one")
        path = self.path(name)
        (path / MARKER).unlink(missing_ok=True)
        shutil.rmtree(path, ignore_errors=True)
        if path.exists():
            raise SlotError(f"cannot empty {path}")

    def mark(self, name: str, version: str, source: str, *, clock: Callable[[], float] = time.time) -> None:
        """Record that slot ``name`` holds ``version`` completely (written last, atomically)."""
        body = {"version": version, "installed_at": clock(), "source": source}
        write_atomic(self.path(name) / MARKER, (json.dumps(body, sort_keys=True) + "\n").encode("utf-8"))

    def switch(self, name: str) -> None:
        """Point ``current`` at slot ``name`` in one atomic rename."""
        if not (self.path(name) / "bin" / "python").exists():
            raise SlotError(f"slot {name} has no venv: nothing to switch to")
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".current.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        os.symlink(f"slots/{name}", tmp)
        os.replace(tmp, self.current_link)
        fsync_directory(self.root)
        log.info("current -> slots/%s", name)


def _base_python() -> str:
    """The interpreter the running venv was made from (the slots are made from the same one)."""
    return getattr(sys, "_base_executable", None) or sys.executable


@dataclass
class SlotInstaller:
    """Makes a fresh venv in a slot and installs a release into it offline, from its verified files only.

    ``no_deps``/``with_pip`` exist for tests and images that bring the dependencies another way: the slot
    then gets the kiosk wheel alone (and pip runs from this interpreter with ``--python``).
    """

    python: str = ""
    with_pip: bool = True
    no_deps: bool = False
    system_site_packages: bool = False
    runner: Runner = run_command

    def install(self, slots: Slots, name: str, files: Path, *, wheel: str, lock: str, version: str) -> None:
        """Install release ``version`` (``wheel`` and the pins of ``lock``, both in ``files``) into slot ``name``."""
        slots.clear(name)
        path = slots.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        venv = [self.python or _base_python(), "-m", "venv"]
        venv += [] if self.with_pip else ["--without-pip"]
        venv += ["--system-site-packages"] if self.system_site_packages else []
        self.runner([*venv, str(path)])
        python = str(path / "bin" / "python")
        pip = [python, "-m", "pip"] if self.with_pip else [sys.executable, "-m", "pip", "--python", python]
        pip.append("--isolated")  # no pip.conf of the machine: offline from the release's files only
        offline = ["--no-index", "--find-links", str(files), "--no-cache-dir", "--disable-pip-version-check", "-q"]
        what = ["--no-deps", str(files / wheel)] if self.no_deps else ["-r", str(files / lock), str(files / wheel)]
        self.runner([*pip, "install", *offline, *what])
        slots.mark(name, version, f"release {version}")
