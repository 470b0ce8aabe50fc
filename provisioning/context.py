"""What every command gets: the parsed global options, the output, the clock and the ways to ask a person.

Nothing here is global: ``cli.main`` builds one :class:`Context` per run, and tests build their own with a
fake clock, fake input or another service user.
"""

from __future__ import annotations

import getpass
import grp
import os
import pwd
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk.config import Config, ConfigError, config_path, load_config
from provisioning.output import Output

if TYPE_CHECKING:
    from kiosk.store import Inspector, Store

DEFAULT_SERVICE_USER = "kiosk"


class CommandError(Exception):
    """A command cannot go on; the message tells the technician what is wrong and what to do."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Owner:
    """A user and group to give files to."""

    user: str
    uid: int
    gid: int


def lookup_owner(spec: str, root: Path = Path("/")) -> Owner | None:
    """``user`` or ``user:group`` looked up in ``root``'s passwd/group files; None if the user does not exist.

    Under another root (an image being built) the host's user database is the wrong one, so the files are read.
    """
    name, _, group = spec.partition(":")
    if root == Path("/"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            return None
        gid = entry.pw_gid
        if group:
            try:
                gid = grp.getgrnam(group).gr_gid
            except KeyError:
                raise CommandError(f"no group {group!r} on this machine") from None
        return Owner(name, entry.pw_uid, gid)
    users = _colon_file(root / "etc/passwd")
    if name not in users:
        return None
    uid, gid = int(users[name][1]), int(users[name][2])
    if group:
        groups = _colon_file(root / "etc/group")
        if group not in groups:
            raise CommandError(f"no group {group!r} in {root / 'etc/group'}")
        gid = int(groups[group][1])
    return Owner(name, uid, gid)


def _colon_file(path: Path) -> dict[str, list[str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    return {parts[0]: parts[1:] for parts in (line.split(":") for line in lines) if len(parts) >= 3}


def give(path: Path, owner: Owner | None, mode: int) -> None:
    """Set ``path``'s mode, and its owner when we are allowed to (root), so the service user can use it."""
    os.chmod(path, mode)
    if owner is not None and os.geteuid() == 0:
        os.chown(path, owner.uid, owner.gid)


@dataclass
class Context:
    """One run of ``kiosk-provision``."""

    output: Output
    config_flag: str | None = None
    root: Path = Path("/")  # an image's root (install --root): users and files are looked for there
    service_user: str = DEFAULT_SERVICE_USER
    service_user_explicit: bool = False
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    clock: Callable[[], float] = time.time
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    ask: Callable[[str], str] = input
    ask_secret: Callable[[str], str] = getpass.getpass

    @property
    def in_image(self) -> bool:
        """Working on an image under ``--root``, not on this machine."""
        return self.root.resolve() != Path("/")

    @property
    def appliance_config_path(self) -> Path:
        """The config file as the kiosk sees it (``/etc/kiosk/kiosk.toml``, or ``--config``)."""
        return config_path(self.config_flag, self.env)

    @property
    def config_path(self) -> Path:
        """The config file this run reads and writes (under ``--root`` for an image)."""
        return self.host(self.appliance_config_path)

    def host(self, path: Path) -> Path:
        """Where an appliance path is on this machine: under ``--root`` for an image, else itself."""
        if not self.in_image or not Path(path).is_absolute():
            return Path(path)
        return self.root / Path(path).relative_to("/")

    def on_this_machine(self, command: str) -> None:
        """Refuse a command that checks or changes the running kiosk when working on an image."""
        if self.in_image:
            raise CommandError(
                f"{command} looks at the running kiosk, not at an image: boot the image and run it there "
                f"(without --root {self.root})",
                exit_code=2,
            )

    @property
    def interactive(self) -> bool:
        """Whether a person can answer questions (stdin is a terminal)."""
        return bool(getattr(self.stdin, "isatty", lambda: False)())

    def config(self) -> Config:
        """The validated config (with the hall's settings laid over it); a :class:`CommandError` (exit 2) naming
        the file and key if it is not usable."""
        try:
            return load_config(self.config_path)
        except ConfigError as exc:
            raise CommandError(
                f"{exc}\n  fix: correct the file, or write it with: kiosk-provision init", exit_code=2
            ) from None

    def owner(self, *, required: bool = False) -> Owner | None:
        """The service user files are given to; None (files stay the caller's) when it does not exist yet."""
        owner = lookup_owner(self.service_user, self.root)
        if owner is None and (required or self.service_user_explicit):
            where = f"in {self.root / 'etc/passwd'}" if self.in_image else "on this machine"
            raise CommandError(
                f"no user {self.service_user!r} {where}: run 'kiosk-provision install' first, "
                "name the user that runs the kiosk with --service-user, or, for an image made with "
                "'install --root DIR', give the same --root DIR"
            )
        return owner

    def open_store(self, config: Config) -> Store:
        """The kiosk's database to change it (retry, wipe), opened as the services open it
        (``Store.from_config``); it must exist already (the CLI never creates an empty one by accident)."""
        from kiosk.store import Store, StoreError

        self._require_database(config)
        try:
            return Store.from_config(config, clock=self.clock)
        except StoreError as exc:
            raise CommandError(f"cannot open {config.db_path}: {exc}") from exc

    def inspect(self, config: Config) -> Inspector:
        """The kiosk's database read-only (``kiosk.store.Inspector``): safe beside the running services and on
        a read-only disk; it never writes, creates or migrates anything."""
        from kiosk.store import Inspector, StoreError

        self._require_database(config)
        try:
            return Inspector.from_config(config, clock=self.clock)
        except StoreError as exc:
            raise CommandError(f"cannot read {config.db_path}: {exc}") from exc

    @staticmethod
    def _require_database(config: Config) -> None:
        if not config.db_path.is_file():
            raise CommandError(
                f"no database at {config.db_path} yet: the kiosk has not run on this machine "
                "(start it: systemctl start kiosk-ui kiosk-sync)"
            )
