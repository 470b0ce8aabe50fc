"""Building a release's files on the hall: the kiosk wheel, a lock of its dependencies and (optionally) their
wheels, so a kiosk installs offline from exactly what the targets key signed.

The lock is ``pip freeze`` of a venv that runs this version (the one the hall tested), pins only; with
``with_deps`` every pinned package is fetched or built as a wheel for this machine's platform, which is the
kiosks' (Debian 12, the same Python).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = "requirements.lock"
PROJECT = "selfservice-kiosk"
_COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "__pycache__", "build", "*.egg-info", "demo-out", ".*_cache")

Runner = Callable[[Sequence[str]], str]


class BuildError(Exception):
    """A build step failed; the message has the end of its output."""


def run_command(cmd: Sequence[str]) -> str:
    """Run ``cmd`` and return its standard output; :class:`BuildError` with the end of its output on failure."""
    log.info("running %s", " ".join(cmd))
    try:
        done = subprocess.run(list(cmd), check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BuildError(f"{cmd[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        tail = "\n".join((exc.stderr or exc.stdout or "").strip().splitlines()[-8:])
        raise BuildError(f"{' '.join(cmd)} failed (exit {exc.returncode}):\n{tail}") from None
    return done.stdout


@dataclass(frozen=True)
class BuiltRelease:
    """What a build produced in its output directory."""

    directory: Path
    wheel: str
    lock: str
    files: tuple[Path, ...]


def lock_from(python: str, runner: Runner = run_command) -> str:
    """The pins of the venv of ``python`` (``pip freeze``), without this project itself."""
    frozen = runner([python, "-m", "pip", "freeze", "--exclude-editable", "--exclude", PROJECT])
    pins = sorted(line.strip() for line in frozen.splitlines() if "==" in line and not line.startswith("#"))
    return "".join(f"{pin}\n" for pin in pins)


def build_release(
    source: Path,
    out: Path,
    *,
    lock: str,
    with_deps: bool = False,
    python: str = sys.executable,
    runner: Runner = run_command,
) -> BuiltRelease:
    """Build the kiosk wheel from ``source`` (a clean copy of it, so no build files land in the checkout) into
    ``out``, write ``lock`` beside it and, with ``with_deps``, the wheels of every pinned dependency."""
    out.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in out.glob("*.whl")}
    with tempfile.TemporaryDirectory(prefix="kiosk-release-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(source, copy, ignore=_COPY_IGNORE)
        runner(
            [python, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check", "-w", str(out), str(copy)]
        )
    ours = [p.name for p in out.glob("selfservice_kiosk-*.whl") if p.name not in before]
    if len(ours) != 1:
        raise BuildError(f"expected one new selfservice_kiosk wheel in {out}, found {ours or 'none'}")
    (out / LOCK_NAME).write_text(lock, encoding="utf-8")
    if with_deps and lock.strip():
        runner(
            [
                python,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "-q",
                "--disable-pip-version-check",
                "-w",
                str(out),
                "-r",
                str(out / LOCK_NAME),
            ]
        )
    files = tuple(sorted([*out.glob("*.whl"), out / LOCK_NAME]))
    return BuiltRelease(directory=out, wheel=ours[0], lock=LOCK_NAME, files=files)


def release_files(directory: Path) -> BuiltRelease:
    """A build's output directory read back (for ``publish``): exactly one kiosk wheel and the lock."""
    wheels = sorted(p.name for p in directory.glob("selfservice_kiosk-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"{directory} must hold exactly one selfservice_kiosk wheel, found {wheels or 'none'}")
    if not (directory / LOCK_NAME).is_file():
        raise BuildError(f"no {LOCK_NAME} in {directory}: build the release with kiosk-hall release build")
    files = tuple(sorted([*directory.glob("*.whl"), directory / LOCK_NAME]))
    return BuiltRelease(directory=directory, wheel=wheels[0], lock=LOCK_NAME, files=files)


def wheel_version(wheel: str) -> str:
    """The version in a wheel's file name (``name-version-…whl``)."""
    parts = wheel.split("-")
    if len(parts) < 5:
        raise BuildError(f"{wheel!r} is not a wheel file name")
    return parts[1]
