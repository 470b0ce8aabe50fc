"""Applying a config update from the hall: merge over the kiosk's TOML file, validate, write atomically.

The update is TOML tables as JSON (section -> key -> value). It is merged over the current file, the result is
validated with the kiosk's own rules (``kiosk.config.parse_config``), and only then written: to a temporary
file beside the config, fsynced, renamed over it, directory fsynced. The previous file is kept as ``.bak``. A
rejected update changes nothing and says why.

The file is edited, not regenerated (tomlkit): the technician's comments, the order of the keys and every key
the update does not name stay as they were; only the values the hall sends change.

Keys that decide who the kiosk is and how it reaches its hall cannot be changed remotely: a mistake there would
cut the kiosk off from the very channel that could repair it. A technician changes them on site.
"""

from __future__ import annotations

import datetime as _dt
import math
import tomllib
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from kiosk.atomicfile import write_atomic
from kiosk.config import Config, ConfigError, parse_config

PROTECTED_KEYS = frozenset(
    {
        "kiosk.id",
        "kiosk.hall_id",
        "kiosk.data_dir",
        "mqtt.enabled",
        "mqtt.host",
        "mqtt.port",
        "mqtt.tls",
        "mqtt.ca_file",
        "mqtt.cert_file",
        "mqtt.key_file",
        "mqtt.topic_root",
        "mqtt.hall_identity",
        "maintenance.pin_hash",
    }
)


class ConfigRejected(ValueError):
    """The update cannot be applied; the message says why (it goes back to the hall)."""


def merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``update`` into a copy of ``base``: tables merge, everything else (lists too) replaces."""
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name))
        else:
            flat[name] = value
    return flat


def check_protected(update: Mapping[str, Any], current: Config) -> None:
    """Reject an update that would change a protected key (sending the current value is fine)."""
    for name, value in _flatten(update).items():
        if name not in PROTECTED_KEYS:
            continue
        section, key = name.split(".", 1)
        now = getattr(getattr(current, section), key)
        if str(now) != str(value) and not (now is None and value is None):
            raise ConfigRejected(f"{name}: cannot be changed remotely (set it on site with kiosk-provision)")


def apply_update(path: Path, update: Mapping[str, Any], *, note: str = "") -> Config:
    """Merge ``update`` into the config at ``path``, validate, write atomically; the new config.

    Raises :class:`ConfigRejected` (nothing written) or ``OSError`` (the old file is untouched).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    try:
        text = raw.decode("utf-8")
        base = tomllib.loads(text)
        current = parse_config(base, str(path))
        document = tomlkit.parse(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, TOMLKitError, ConfigError) as exc:
        raise ConfigRejected(f"the kiosk's current config is not valid ({exc}); fix it on site first") from None
    check_protected(update, current)
    merged = merge(base, update)
    try:
        config = parse_config(merged, f"{path} + hall update")
    except ConfigError as exc:
        raise ConfigRejected(f"{exc.key}: {exc.problem}" if exc.key else exc.problem) from None
    try:
        merge_into(document, update)
        new_text = with_note(tomlkit.dumps(document), note)
    except (TOMLKitError, TypeError, ValueError) as exc:  # tomlkit's ConvertError: a value TOML has no form for
        raise ConfigRejected(f"the update holds values TOML cannot represent ({exc})") from None
    if tomllib.loads(new_text) != merged:  # never write a file that reads differently from what was validated
        raise ConfigRejected("the update holds values TOML cannot represent")
    write_atomic(path, new_text.encode("utf-8"), keep_backup=bool(raw))
    return config


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
