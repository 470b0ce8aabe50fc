"""The one rule for kiosk, hall and operator ids, and the names a kiosk may not take.

An id is an MQTT topic level, a certificate's common name, the broker's username (the CN) and, on the broker,
the client id. So it must be a plain topic segment: letters, digits, ``.``, ``_``, ``-``, starting with a letter
or digit, at most 64 characters; no ``/``, no wildcards (``+``, ``#``), no leading ``$``.

A kiosk id must also not be a hall identity: the hall's instances hold certificates named ``<identity>`` or
``<identity>-<instance>`` (``hall``, ``hall-1``), which the broker grants the hall's rights. A kiosk called
``hall-2`` would be one enrollment away from them, so those names are reserved (compared without case).

``sync/schemas/common.json`` (``$defs.id``) carries :data:`ID_PATTERN` verbatim; a test keeps them equal.
"""

from __future__ import annotations

import re

ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
ID_MAX = 64
DEFAULT_HALL_IDENTITY = "hall"

_ID = re.compile(ID_PATTERN)


class IdError(ValueError):
    """An id that breaks the rule; the message says which part and what is allowed."""


def is_id(value: object) -> bool:
    """Whether ``value`` is a string following the id rule."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def check_id(value: str, what: str = "id") -> str:
    """``value`` if it follows the id rule, else :class:`IdError` naming ``what`` and the first problem."""
    if not isinstance(value, str) or not value:
        raise IdError(f"{what} must not be empty")
    if _ID.fullmatch(value):
        return value
    if len(value) > ID_MAX:
        raise IdError(f"{what} {value!r} is {len(value)} characters long; at most {ID_MAX} are allowed")
    if not value[0].isascii() or not value[0].isalnum():
        raise IdError(f"{what} {value!r} must start with a letter or a digit")
    bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c in "._-"))})
    raise IdError(
        f"{what} {value!r} may contain only letters, digits, '.', '_' and '-' (not {', '.join(map(repr, bad))})"
    )


def hall_instance_name(identity: str, instance: str) -> str:
    """The certificate CN and client id of one hall instance: ``<identity>-<instance>`` (``hall-1``)."""
    return check_id(f"{check_id(identity, 'hall identity')}-{instance}", "hall instance name")


def reserved_reason(kiosk_id: str, hall_identities: tuple[str, ...] = (DEFAULT_HALL_IDENTITY,)) -> str | None:
    """Why ``kiosk_id`` is reserved for the hall (``None`` if it is free)."""
    lowered = kiosk_id.lower()
    for identity in {DEFAULT_HALL_IDENTITY, *hall_identities}:
        name = identity.lower()
        if lowered == name or lowered.startswith(name + "-"):
            return (
                f"kiosk id {kiosk_id!r} is reserved: {identity!r} and {identity + '-*'!r} name the hall server's "
                "certificates, which the broker gives the hall's rights; choose another id, e.g. KSK-0001"
            )
    return None


def check_kiosk_id(kiosk_id: str, *, hall_identity: str = DEFAULT_HALL_IDENTITY) -> str:
    """``kiosk_id`` if it follows the id rule and is not reserved for the hall, else :class:`IdError`."""
    check_id(kiosk_id, "kiosk id")
    reason = reserved_reason(kiosk_id, (hall_identity,))
    if reason:
        raise IdError(reason)
    return kiosk_id
