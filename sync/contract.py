"""The MQTT contract between a kiosk and its hall: topic tree, message builders and JSON Schema validation.

``docs/mqtt-contract.md`` is the human-readable form of this module and of ``sync/schemas/*.json``; change them
together (``tests/sync/test_sync_contract.py`` validates captured wire messages against the schemas).

Topic tree (``root`` is ``mqtt.topic_root``, e.g. ``gov/v1``; the version is part of it)::

    <root>/<hall>/kiosk/<kiosk>/up/<kind>      kiosk -> hall   outbox messages, QoS 1
    <root>/<hall>/kiosk/<kiosk>/status         kiosk -> hall   retained online/offline, also the last will
    <root>/<hall>/kiosk/<kiosk>/down/ack       hall -> kiosk   application acknowledgements, QoS 1
    <root>/<hall>/kiosk/<kiosk>/down/command   hall -> kiosk   commands, QoS 1
    <root>/<hall>/kiosk/<kiosk>/down/config    hall -> kiosk   config update, retained
    <root>/<hall>/kiosk/<kiosk>/down/catalog   hall -> kiosk   catalog update, retained
    <root>/<hall>/kiosk/<kiosk>/down/fault_ack hall -> kiosk   an operator acknowledged a fault
    <root>/<hall>/hall/<instance>/status       hall -> kiosks  retained hall instance online/offline (last will)
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from kiosk import ids
from sync import citizen, telemetry

SCHEMA_VERSION = 1
SCHEMA_DIR = Path(__file__).with_name("schemas")
SCHEMA_BASE = "https://schemas.selfservice-kiosk.org/mqtt/v1/"

# Uplink kinds with their own schema; every other kind is validated against the plain envelope. Citizen records
# (built by kiosk/visit/records.py) are checked on the hot path by sync/citizen.py, equal to their schemas.
CITIZEN_KINDS = citizen.KINDS
UP_SCHEMAS = {
    "heartbeat": "up-heartbeat",
    "fault": "up-fault",
    "command_result": "up-command-result",
    **{kind: f"up-{kind}" for kind in CITIZEN_KINDS},
}
DOWN_KINDS = ("ack", "command", "config", "catalog", "fault_ack")
DOWN_SCHEMAS = {
    "ack": "down-ack",
    "command": "down-command",
    "config": "down-config",
    "catalog": "down-catalog",
    "fault_ack": "down-fault-ack",
}
RETAINED_DOWN_KINDS = frozenset({"config", "catalog"})
SIGNED_DOWN_KINDS = frozenset({"config", "catalog"})  # signed by the hall's key (sync/signing.py), with ``to``
KIB = 1024
# The largest downlink a kiosk reads, per kind (bytes of the MQTT payload): anything bigger is answered with an
# error unread. A catalog is about 0.5 MB; the broker's max_packet_size (1 MiB) is the ceiling of them all.
MAX_DOWN_BYTES = {"ack": 1024 * KIB, "command": 16 * KIB, "config": 256 * KIB, "catalog": 1024 * KIB,
                  "fault_ack": 16 * KIB}  # fmt: skip
MAX_UNKNOWN_DOWN_BYTES = 16 * KIB  # a downlink of no known kind: answered with an error, read only this far
COMMANDS = ("self_test", "print_test_page", "enter_maintenance", "leave_maintenance", "purge_personal", "resend_since")

# Namespace of the UUID5 keys of events derived from state (fault raised/cleared): the same event always gets
# the same key, so re-deriving it after a restart cannot count it twice.
EVENT_NAMESPACE = uuid.UUID("6f1c8e43-2b0e-4d1e-9a51-0c6b7e3f2a10")

_SEGMENT = re.compile(ids.ID_PATTERN)  # kiosk and hall ids: one rule (kiosk/ids.py), also common.json's $defs.id


class ContractError(ValueError):
    """A message does not follow the contract; ``str()`` says where and why, for a result or a log line."""


# ----------------------------------------------------------------------------------------------------- topics


@dataclass(frozen=True)
class Topics:
    """Topic names for one kiosk (or, with ``kiosk="+"``, filters over a hall's kiosks)."""

    root: str
    hall: str
    kiosk: str

    def __post_init__(self) -> None:
        for name, value in (("hall", self.hall), ("kiosk", self.kiosk)):
            if value != "+" and not _SEGMENT.fullmatch(value):
                raise ValueError(f"{name} id {value!r} cannot be a topic segment (letters, digits, . _ -)")
        if not self.root or any(c in self.root for c in "+#") or self.root.startswith("/") or self.root.endswith("/"):
            raise ValueError(f"topic root {self.root!r} must be a plain path like gov/v1")

    @property
    def base(self) -> str:
        """``<root>/<hall>/kiosk/<kiosk>``."""
        return f"{self.root}/{self.hall}/kiosk/{self.kiosk}"

    def up(self, kind: str) -> str:
        """Where outbox messages of ``kind`` go."""
        return f"{self.base}/up/{kind}"

    @property
    def status(self) -> str:
        """The retained online/offline status (and last will)."""
        return f"{self.base}/status"

    def down(self, kind: str) -> str:
        """A downlink topic (ack, command, config, catalog, fault_ack)."""
        return f"{self.base}/down/{kind}"

    @property
    def down_filter(self) -> str:
        """What a kiosk subscribes to."""
        return f"{self.base}/down/+"

    def up_filter(self, share_group: str | None = None) -> str:
        """What a hall subscribes to (with ``kiosk="+"``), through a shared subscription when a group is given."""
        topic = f"{self.base}/up/+"
        return f"$share/{share_group}/{topic}" if share_group else topic

    def hall_status(self, instance: str = "+") -> str:
        """A hall instance's retained status (``+``: the filter over all instances, which kiosks read)."""
        return f"{self.root}/{self.hall}/hall/{instance}/status"


@dataclass(frozen=True)
class ParsedTopic:
    """The parts of a kiosk topic."""

    hall: str
    kiosk: str
    direction: str  # "up" | "down" | "status" | "hall_status"
    kind: str  # "" for status; the hall instance for hall_status


def parse_topic(root: str, topic: str) -> ParsedTopic | None:
    """Split a topic of the tree under ``root``; ``None`` when it is not one of ours."""
    prefix = root + "/"
    if not topic.startswith(prefix):
        return None
    parts = topic[len(prefix) :].split("/")
    if len(parts) == 4 and parts[1] == "kiosk" and parts[3] == "status":
        return ParsedTopic(parts[0], parts[2], "status", "")
    if len(parts) == 5 and parts[1] == "kiosk" and parts[3] in ("up", "down") and parts[4]:
        return ParsedTopic(parts[0], parts[2], parts[3], parts[4])
    if len(parts) == 4 and parts[1] == "hall" and parts[3] == "status":
        return ParsedTopic(parts[0], "", "hall_status", parts[2])
    return None


# ---------------------------------------------------------------------------------------------------- schemas


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        resources.append((doc["$id"], Resource.from_contents(doc)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """The compiled validator of schema ``name`` (file name without ``.json``)."""
    registry = _registry()
    schema = registry.contents(SCHEMA_BASE + name + ".json")
    return Draft202012Validator(schema, registry=registry, format_checker=None)


def schema_names() -> list[str]:
    """Every schema shipped (file names without ``.json``)."""
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.json"))


def validate(name: str, message: Any) -> None:
    """Raise :class:`ContractError` with the first problem (by JSON path) if ``message`` breaks schema ``name``."""
    try:
        errors = sorted(validator(name).iter_errors(message), key=lambda e: list(e.absolute_path))
    except RecursionError:
        raise ContractError("(message): nested too deeply") from None
    if errors:
        raise ContractError(_describe(errors[0]))


def _describe(error: Any) -> str:
    best = error
    # oneOf/anyOf errors are vague. Of their sub-errors, the ones that are not a failed "const" come from the
    # branch that was meant (the command matched, its args did not); of those the deepest names the problem.
    while best.context:
        meant = [e for e in best.context if e.validator != "const"] or list(best.context)
        best = max(meant, key=lambda e: len(list(e.absolute_path)))
    path = "/".join(str(p) for p in best.absolute_path) or "(message)"
    return f"{path}: {best.message[:300]}"


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ENVELOPE_FIELDS = frozenset(
    {"v", "key", "kind", "kiosk_id", "hall_id", "seq", "created_at", "sent_at", "attempt", "personal", "payload"}
)


def check_envelope(msg: Any) -> None:
    """Fast hand-written check equal to ``up-envelope.json`` (the hall's hot path; jsonschema costs ~0.2 ms).

    Raises :class:`ContractError`. ``tests/sync/test_sync_contract.py`` checks it agrees with the schema.
    """
    if not isinstance(msg, dict):
        raise ContractError("(message): not a JSON object")
    missing = _ENVELOPE_FIELDS - msg.keys()
    if missing:
        raise ContractError(f"(message): missing {sorted(missing)}")
    extra = msg.keys() - _ENVELOPE_FIELDS
    if extra:
        raise ContractError(f"(message): unexpected {sorted(extra)}")
    if msg["v"] != SCHEMA_VERSION or isinstance(msg["v"], bool):
        raise ContractError(f"v: expected {SCHEMA_VERSION}")
    for name, pattern in (("key", _UUID), ("kind", _KIND), ("kiosk_id", _SEGMENT), ("hall_id", _SEGMENT)):
        value = msg[name]
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ContractError(f"{name}: {value!r} does not match {pattern.pattern}")
    for name in ("seq", "attempt"):
        value = msg[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ContractError(f"{name}: expected an integer >= 1")
    for name in ("created_at", "sent_at"):
        value = msg[name]
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ContractError(f"{name}: expected a number >= 0")
    if not isinstance(msg["personal"], bool):
        raise ContractError("personal: expected true or false")
    if not isinstance(msg["payload"], dict):
        raise ContractError("payload: expected an object")


def check_ack(msg: Any) -> None:
    """Fast hand-written check equal to ``down-ack.json`` (acks are the busiest downlink; see check_envelope)."""
    if not isinstance(msg, dict):
        raise ContractError("(message): not a JSON object")
    allowed = {"v", "msg_id", "kind", "from", "created_at", "keys", "rejected"}
    missing = {"v", "msg_id", "kind", "from", "created_at", "keys"} - msg.keys()
    if missing:
        raise ContractError(f"(message): missing {sorted(missing)}")
    if msg.keys() - allowed:
        raise ContractError(f"(message): unexpected {sorted(msg.keys() - allowed)}")
    if msg["v"] != SCHEMA_VERSION or isinstance(msg["v"], bool):
        raise ContractError(f"v: expected {SCHEMA_VERSION}")
    if msg["kind"] != "ack":
        raise ContractError("kind: expected 'ack'")
    if not isinstance(msg["msg_id"], str) or not _UUID.fullmatch(msg["msg_id"]):
        raise ContractError("msg_id: expected a UUID")
    if not isinstance(msg["from"], str) or not _SEGMENT.fullmatch(msg["from"]):
        raise ContractError("from: expected an id")
    created = msg["created_at"]
    if not isinstance(created, int | float) or isinstance(created, bool) or created < 0:
        raise ContractError("created_at: expected a number >= 0")
    keys = msg["keys"]
    if not isinstance(keys, list) or len(keys) > 10_000:
        raise ContractError("keys: expected a list of at most 10000 keys")
    for key in keys:
        if not isinstance(key, str) or not 1 <= len(key) <= 200:
            raise ContractError("keys: every key must be a string of 1 to 200 characters")
    rejected = msg.get("rejected", [])
    if not isinstance(rejected, list) or len(rejected) > 10_000:
        raise ContractError("rejected: expected a list of at most 10000 items")
    for item in rejected:
        ok = isinstance(item, dict) and item.keys() == {"key", "error"}
        ok = ok and isinstance(item["key"], str) and 1 <= len(item["key"]) <= 200
        if not (ok and isinstance(item["error"], str) and len(item["error"]) <= 2000):
            raise ContractError("rejected: every item must be {key, error} strings")


def check_uplink(msg: Any) -> None:
    """Validate an uplink message: the fast envelope check, then the kind's own schema where it has one (for
    citizen records, heartbeats and fault events the fast check equal to it: they are most of the traffic)."""
    check_envelope(msg)
    kind = msg["kind"]
    if kind in CITIZEN_KINDS:
        problem = citizen.problem(kind, msg["personal"], msg["payload"])
        if problem is not None:
            raise ContractError(problem)
        return
    if kind in telemetry.KINDS:  # heartbeats and fault events: the fast check equal to their schemas
        problem = telemetry.problem(kind, msg["payload"])
        if problem is not None:
            raise ContractError(problem)
        return
    name = UP_SCHEMAS.get(kind)
    if name is not None:
        validate(name, msg)


def up_schema(kind: str) -> str:
    """The schema an uplink message of ``kind`` must follow."""
    return UP_SCHEMAS.get(kind, "up-envelope")


def down_schema(kind: str) -> str:
    """The schema a downlink message of ``kind`` must follow."""
    return DOWN_SCHEMAS[kind]


# --------------------------------------------------------------------------------------------------- messages


def encode(message: Mapping[str, Any]) -> bytes:
    """The wire form: compact UTF-8 JSON (NaN refused: the other side could not parse it)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def decode(payload: bytes) -> Any:
    """Parse a wire payload; :class:`ContractError` if it is not UTF-8 JSON, or holds NaN or Infinity (which
    JSON does not have: Python's parser takes them, and they would pass every ``minimum`` check)."""
    found: list[str] = []

    def non_finite(name: str) -> _NonFinite:
        found.append(name)
        return _NonFinite(name)

    try:
        value = json.loads(payload.decode("utf-8"), parse_constant=non_finite)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContractError(f"(message): not UTF-8 JSON: {exc}") from None
    except RecursionError:
        raise ContractError("(message): JSON nested too deeply") from None
    if found:
        raise ContractError(f"{_path_of_non_finite(value)}: {found[0]} is not a JSON number (use a finite number)")
    return value


class _NonFinite:
    """Stands in for NaN/Infinity while :func:`decode` looks for where it was."""

    def __init__(self, name: str) -> None:
        self.name = name


def _path_of_non_finite(value: Any) -> str:
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, _NonFinite):
            return path or "(message)"
        if isinstance(item, dict):
            stack.extend((v, f"{path}/{k}" if path else str(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{path}/{i}" if path else str(i)) for i, v in enumerate(item))
    return "(message)"


def decode_lenient(payload: bytes) -> Any:
    """Parse as far as possible for an error answer (NaN taken as it comes); ``None`` if it is not JSON."""
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def encode_uplink(
    *,
    key: str,
    kind: str,
    kiosk_id: str,
    hall_id: str,
    seq: int,
    created_at: float,
    sent_at: float,
    attempt: int,
    personal: bool,
    payload_json: str,
) -> bytes:
    """An uplink envelope around an already-serialised payload (the store's canonical text, not parsed again).

    Built by concatenation because this is the drain's hot path; the result is the same JSON as
    ``encode({..., "payload": json.loads(payload_json)})`` (tests check it against the schema).
    """
    head = encode(
        {
            "v": SCHEMA_VERSION,
            "key": key,
            "kind": kind,
            "kiosk_id": kiosk_id,
            "hall_id": hall_id,
            "seq": seq,
            "created_at": created_at,
            "sent_at": sent_at,
            "attempt": attempt,
            "personal": personal,
        }
    )
    return head[:-1] + b',"payload":' + payload_json.encode("utf-8") + b"}"


def status_message(
    kiosk_id: str, hall_id: str, *, online: bool, at: float, reason: str = "", versions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The retained status message (online, or offline for the will / a clean stop)."""
    msg: dict[str, Any] = {
        "v": SCHEMA_VERSION,
        "kind": "status",
        "kiosk_id": kiosk_id,
        "hall_id": hall_id,
        "online": online,
        "at": at,
    }
    if reason:
        msg["reason"] = reason
    if versions:
        msg["versions"] = dict(versions)
    return msg


def hall_status_message(hall_id: str, instance: str, *, online: bool, at: float) -> dict[str, Any]:
    """A hall instance's retained status; kiosks resend what is unacknowledged when an instance comes online."""
    return {
        "v": SCHEMA_VERSION,
        "kind": "hall_status",
        "hall_id": hall_id,
        "instance": instance,
        "online": online,
        "at": at,
    }


def down_message(
    kind: str, *, sender: str, created_at: float, msg_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A downlink message of ``kind`` from ``sender`` (the hall's identity) with its kind-specific fields."""
    return {
        "v": SCHEMA_VERSION,
        "msg_id": msg_id or str(uuid.uuid4()),
        "kind": kind,
        "from": sender,
        "created_at": created_at,
        **fields,
    }


def ack_message(
    keys: Iterable[str], *, sender: str, created_at: float, rejected: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """An application acknowledgement for stored uplink ``keys`` (and quarantined ``rejected`` ones)."""
    msg = down_message("ack", sender=sender, created_at=created_at, keys=list(keys))
    rej = [{"key": k, "error": e[:2000]} for k, e in rejected]
    if rej:
        msg["rejected"] = rej
    return msg


def result_key(kiosk_id: str, msg_id: str) -> str:
    """The outbox key of the one ``command_result`` answering downlink ``msg_id``."""
    return event_key(kiosk_id, "result", msg_id)


def bad_message_key(kiosk_id: str, kind: str, payload: bytes) -> str:
    """The outbox key of the ``error`` result answering a downlink refused before it was accepted (malformed,
    too big, not from the hall...): derived from the bytes, so the same bad message delivered again (a retained
    one, on every reconnect) is answered once, whether or not a ``msg_id`` could be read from it."""
    digest = hashlib.sha256(kind.encode() + b"\0" + payload).hexdigest()
    return event_key(kiosk_id, "bad", digest)


def event_key(kiosk_id: str, *parts: object) -> str:
    """A deterministic outbox key (UUID5) for an event derived from state, e.g. ``(kiosk, "fault", 7, "raised")``."""
    return str(uuid.uuid5(EVENT_NAMESPACE, "/".join([kiosk_id, *(str(p) for p in parts)])))
