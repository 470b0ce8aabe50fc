"""Applying a config update from the hall: check each key against what the hall may set, merge it into the hall's
settings file, validate the result over the technician's config, write atomically.

The update is TOML tables as JSON (section -> key -> value). Every key must be one the hall may set, within its
bounds (``kiosk.hall_settings.HALL_SETTABLE``): identity, link, devices, PIN and mode are set on site only, since
a mistake there would cut the kiosk off from the very channel that could repair it. The update is merged into
the hall's settings file (``<data_dir>/hall-settings.toml``, never the technician's root-owned kiosk.toml), the
whole (kiosk.toml with the settings over it) is validated with the kiosk's own rules
(``kiosk.config.parse_config``, and the maintenance rules compiled), and only then written: to a temporary file
beside it, fsynced, renamed over it, directory fsynced, with the file's mode kept (0640 for a new one: it is
never widened). The previous file is kept as ``.bak``. A rejected update changes nothing and says why.

The file is edited, not regenerated (tomlkit): comments, the order of the keys and every key the update does not
name stay as they were; only the values the hall sends change.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import stat
import tomllib
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from kiosk.atomicfile import write_atomic
from kiosk.config import Config, ConfigError, parse_config, read_toml
from kiosk.hall_settings import HALL_SETTINGS_MODE, HallSettingError, check_hall_settings, merge
from kiosk.health import HealthRules, RuleError

__all__ = ["PROTECTED_KEYS", "ConfigRejected", "apply_update", "dump_toml", "merge", "merge_into", "with_note"]

# Keys whose remote change would cut a kiosk off, or open it up; named in the contract (§5.3). The hall may set
# none of them, nor anything else outside kiosk.hall_settings.HALL_SETTABLE.
PROTECTED_KEYS = frozenset(
    {
        "kiosk.id",
        "kiosk.hall_id",
        "kiosk.data_dir",
        "kiosk.mode",
        "mqtt.enabled",
        "mqtt.host",
        "mqtt.port",
        "mqtt.tls",
        "mqtt.ca_file",
        "mqtt.cert_file",
        "mqtt.key_file",
        "mqtt.topic_root",
        "mqtt.hall_identity",
        "mqtt.hall_key_file",
        "maintenance.pin_hash",
    }
)


class ConfigRejected(ValueError):
    """The update cannot be applied; the message says why (it goes back to the hall)."""


def apply_update(path: Path, update: Mapping[str, Any], *, note: str = "", base: Path | None = None) -> Config:
    """Merge ``update`` into the TOML file at ``path``, validate, write atomically; the new config.

    ``base`` is the technician's config the file at ``path`` is laid over (the hall-settings file over
    kiosk.toml); without it the file at ``path`` is a whole config. Raises :class:`ConfigRejected` (nothing
    written) or ``OSError`` (the old file is untouched).
    """
    try:
        check_hall_settings(update)
    except HallSettingError as exc:
        raise ConfigRejected(str(exc)) from None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    try:
        text = raw.decode("utf-8")
        layer = tomllib.loads(text)
        document = tomlkit.parse(text)
        base_table = read_toml(base) if base is not None else {}
        parse_config(merge(base_table, layer), str(path))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, TOMLKitError, ConfigError) as exc:
        raise ConfigRejected(f"the kiosk's current config is not valid ({exc}); fix it on site first") from None
    merged = merge(layer, update)
    try:
        if base is not None:
            check_hall_settings(merged)  # what was there before must still be allowed
        config = parse_config(merge(base_table, merged), f"{path} + hall update")
        HealthRules.from_config(config.health, min_free_bytes=config.store.min_free_bytes)
    except HallSettingError as exc:
        raise ConfigRejected(f"{path} holds a setting the hall may not set ({exc}); remove it on site") from None
    except ConfigError as exc:
        raise ConfigRejected(f"{exc.key}: {exc.problem}" if exc.key else exc.problem) from None
    except RuleError as exc:
        raise ConfigRejected(f"health.rules: {exc}") from None
    try:
        merge_into(document, update)
        new_text = with_note(tomlkit.dumps(document), note)
    except (TOMLKitError, TypeError, ValueError) as exc:  # tomlkit's ConvertError: a value TOML has no form for
        raise ConfigRejected(f"the update holds values TOML cannot represent ({exc})") from None
    if tomllib.loads(new_text) != merged:  # never write a file that reads differently from what was validated
        raise ConfigRejected("the update holds values TOML cannot represent")
    write_atomic(path, new_text.encode("utf-8"), mode=_mode_of(path), keep_backup=bool(raw))
    return config


def _mode_of(path: Path) -> int:
    """The permission bits ``path`` has now (a new file: 0640), so a rewrite never widens them."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return HALL_SETTINGS_MODE


def merge_into(document: MutableMapping[str, Any], update: Mapping[str, Any]) -> None:
    """:func:`merge` done in place on a tomlkit document, so comments and untouched keys keep their place."""
    for key, value in update.items():
        existing = document.get(key)
        if isinstance(value, Mapping) and isinstance(existing, MutableMapping):
            merge_into(existing, value)
        else:
            _check_value(value)
            document[key] = value  # tomlkit keeps the comment of the value it replaces


def _check_value(value: Any) -> None:
    """Refuse what TOML has no form for, as the plain writer does (tomlkit would write ``nan``)."""
    if isinstance(value, Mapping):
        for v in value.values():
            _check_value(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _check_value(v)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ConfigRejected(f"{value!r} is not allowed in the config")
    elif value is None:
        raise ConfigRejected("a value of type NoneType cannot go into the config")


def with_note(text: str, note: str) -> str:
    """``text`` headed by ``note`` as comment lines, replacing an earlier note of the same writer at the top
    (the part before ":"), so repeated updates do not pile notes up above the technician's own comments."""
    if not note:
        return text
    mark = "# " + note.split(":", 1)[0]
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith(mark):
        lines.pop(0)
    return "".join(f"# {line}\n" for line in note.splitlines()) + "".join(lines)


# ------------------------------------------------------------------------------------------------ TOML writer
# A whole file from a plain table, for kiosk-provision (which writes the file anew, comments not kept).


def _key(name: str) -> str:
    bare = name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
    return name if bare else _string(name)


def _string(value: str) -> str:
    out = ['"']
    for c in value:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigRejected(f"{value!r} is not allowed in the config")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + " }"
    raise ConfigRejected(f"a value of type {type(value).__name__} cannot go into the config")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _emit(lines: list[str], table: Mapping[str, Any], path: list[str]) -> None:
    scalars = [(k, v) for k, v in table.items() if not isinstance(v, Mapping) and not _is_table_array(v)]
    tables = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
    arrays = [(k, v) for k, v in table.items() if _is_table_array(v)]
    if path and (scalars or not (tables or arrays)):
        lines.append(f"\n[{'.'.join(_key(p) for p in path)}]")
    for k, v in scalars:
        lines.append(f"{_key(str(k))} = {_value(v)}")
    for k, v in tables:
        _emit(lines, v, [*path, str(k)])
    for k, items in arrays:
        for item in items:
            lines.append(f"\n[[{'.'.join(_key(p) for p in [*path, str(k)])}]]")
            for ik, iv in item.items():
                lines.append(f"{_key(str(ik))} = {_value(iv)}")


def dump_toml(table: Mapping[str, Any], *, header: str = "") -> str:
    """TOML text for a config table (tables, arrays of tables, scalars, lists, inline string tables)."""
    lines: list[str] = []
    if header:
        lines.extend(f"# {line}" for line in header.splitlines())
    _emit(lines, table, [])
    return "\n".join(lines).lstrip("\n") + "\n"
