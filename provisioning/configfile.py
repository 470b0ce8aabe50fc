"""Changing the kiosk's TOML file on site: merge, validate with the kiosk's own rules, write atomically.

Unlike a hall update (``sync.config_update.apply_update``), a technician may change every key, the protected
ones included (kiosk id, broker, certificates, PIN): that is what being on site is for. The file is written to
a temporary name, fsynced and renamed, so a power cut leaves the old file or the new one, never half of one.
Comments in the old file are not kept (the writer is ``sync.config_update.dump_toml``); the previous file is
kept as ``kiosk.toml.bak``.

The file is root's, readable by the services' group and by no one else (``root:kiosk 0640``): a service that
could rewrite it could point the kiosk at another broker or switch TLS off. What the hall may change lives in
``<data_dir>/hall-settings.toml`` instead (``kiosk.hall_settings``).
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.atomicfile import write_atomic
from kiosk.config import Config, ConfigError, parse_config
from provisioning.context import CommandError, Owner
from sync.config_update import dump_toml, merge

log = logging.getLogger(__name__)

CONFIG_MODE = 0o640  # the PIN hash and the hall's address are no business of other local users


def give_to_group(path: Path, owner: Owner | None, mode: int) -> None:
    """``mode``, owner root and the services' group (when we may: as root), so they read but never write it."""
    os.chmod(path, mode)
    if owner is not None and os.geteuid() == 0:
        os.chown(path, 0, owner.gid)


def read_table(path: Path) -> dict[str, Any]:
    """The config file as a plain TOML table; empty when the file does not exist yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CommandError(f"{path}: not valid TOML ({exc}); fix it by hand or move it away", exit_code=2) from None


def validate(table: Mapping[str, Any], source: str) -> Config:
    """The table as a :class:`Config`, or a :class:`CommandError` naming the bad key (exit 2)."""
    try:
        return parse_config(table, source)
    except ConfigError as exc:
        raise CommandError(str(exc), exit_code=2) from None


def write_config(path: Path, table: Mapping[str, Any], *, owner: Owner | None, note: str = "") -> Config:
    """Validate ``table`` and write it to ``path`` atomically (root's, mode 0640, group of ``owner``)."""
    config = validate(table, str(path))
    text = dump_toml(table, header=note)
    if tomllib.loads(text) != dict(table):  # never write a file that would read back differently
        raise CommandError("the config holds values TOML cannot represent")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    prepare = lambda tmp: give_to_group(tmp, owner, CONFIG_MODE)  # noqa: E731
    write_atomic(path, data, mode=CONFIG_MODE, keep_backup=True, prepare=prepare)
    log.info("wrote %s", path)
    return config


def update_config(path: Path, update: Mapping[str, Any], *, owner: Owner | None, note: str = "") -> Config:
    """Merge ``update`` (section -> key -> value) over the file at ``path``, validate and write it."""
    return write_config(path, merge(read_table(path), update), owner=owner, note=note)
