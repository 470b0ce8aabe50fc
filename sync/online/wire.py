"""The request/answer half of the MQTT contract (docs/mqtt-contract.md §11, ``sync/schemas/req-*``, ``answer-*``).

    <root>/<hall>/kiosk/<kiosk>/req/<kind>     kiosk -> hall   a request; QoS 1; Response Topic, Correlation Data,
                                                               Message Expiry Interval = the kiosk's timeout
    <root>/<hall>/kiosk/<kiosk>/down/answer    hall -> kiosk   the answer; QoS 1; the request's Correlation Data

The answer topic is derived from the request topic, never taken on trust from the Response Topic property: under
the broker ACL only the kiosk named in the topic can write its requests and read its answers.
"""

from __future__ import annotations

import contextlib
import math
import uuid
from dataclasses import dataclass
from typing import Any

from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from sync import contract
from sync.online import fastcheck

KINDS = ("query", "certificate", "progress", "signin")
ANSWER_STATUSES = ("ok", "no_record", "department_down", "bad_request", "refused")
MAX_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class RequestTopics:
    """Request and answer topics of one kiosk (``kiosk="+"`` gives the hall's filter)."""

    root: str
    hall: str
    kiosk: str

    def __post_init__(self) -> None:
        contract.Topics(self.root, self.hall, self.kiosk)  # the same checks on every segment

    @property
    def base(self) -> str:
        """``<root>/<hall>/kiosk/<kiosk>``."""
        return f"{self.root}/{self.hall}/kiosk/{self.kiosk}"

    def request(self, kind: str) -> str:
        """Where a request of ``kind`` goes."""
        return f"{self.base}/req/{kind}"

    @property
    def answer(self) -> str:
        """Where this kiosk's answers arrive (inside its ``down/+`` subscription)."""
        return f"{self.base}/down/answer"

    def request_filter(self, share_group: str | None = None) -> str:
        """What a hall subscribes to (with ``kiosk="+"``), shared between instances when a group is given."""
        topic = f"{self.base}/req/+"
        return f"$share/{share_group}/{topic}" if share_group else topic


def parse_request_topic(root: str, hall: str, topic: str) -> tuple[str, str] | None:
    """``(kiosk, kind)`` of a request topic of this hall; None for anything else."""
    prefix = f"{root}/{hall}/kiosk/"
    if not topic.startswith(prefix):
        return None
    parts = topic[len(prefix) :].split("/")
    if len(parts) != 3 or parts[1] != "req" or not parts[0] or not parts[2]:
        return None
    return parts[0], parts[2]


def request_message(
    kind: str, *, request_id: str, kiosk_id: str, hall_id: str, sent_at: float, timeout_s: float, **fields: Any
) -> dict[str, Any]:
    """A request of ``kind`` with its kind-specific fields."""
    return {
        "v": contract.SCHEMA_VERSION,
        "kind": kind,
        "id": request_id,
        "kiosk_id": kiosk_id,
        "hall_id": hall_id,
        "sent_at": sent_at,
        "timeout_s": timeout_s,
        **fields,
    }


def answer_message(
    request_kind: str,
    request_id: str,
    *,
    sender: str,
    created_at: float,
    status: str,
    error: str | None = None,
    reason: str = "",
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An answer; ``result`` only with status ok, ``reason`` only with refused."""
    msg: dict[str, Any] = {
        "v": contract.SCHEMA_VERSION,
        "kind": "answer",
        "request_kind": request_kind,
        "request_id": request_id,
        "from": sender,
        "created_at": created_at,
        "status": status,
        "error": None if error is None else error[:2000],
    }
    if reason and status == "refused":
        msg["reason"] = reason
    if status == "ok":
        msg["result"] = result if result is not None else {}
    return msg


def expiry_s(seconds: float) -> int:
    """A Message Expiry Interval (whole seconds, at least 1) for ``seconds``."""
    return max(1, math.ceil(seconds))


def request_properties(response_topic: str, correlation: bytes, timeout_s: float) -> Properties:
    """PUBLISH properties of a request."""
    props = Properties(PacketTypes.PUBLISH)
    props.ResponseTopic = response_topic
    props.CorrelationData = correlation
    props.MessageExpiryInterval = expiry_s(timeout_s)
    return props


def answer_properties(correlation: bytes, remaining_s: float, sender: str) -> Properties:
    """PUBLISH properties of an answer: the request's correlation data, and an expiry so it cannot linger."""
    props = Properties(PacketTypes.PUBLISH)
    if correlation:
        props.CorrelationData = correlation
    props.MessageExpiryInterval = expiry_s(remaining_s)
    props.UserProperty = [("sender", sender)]
    return props


def wake(client: object) -> None:
    """Make a paho client's ``loop()`` return from its ``select()`` now (from any thread).

    Uses the client's own wake-up socket pair, which paho's threaded mode writes to for the same purpose; the
    thread that owns the client then publishes at once instead of after its network timeout.
    """
    pair = getattr(client, "_sockpairW", None)
    if pair is not None:
        with contextlib.suppress(OSError):
            pair.send(b"0")


def correlation_of(request_id: str) -> bytes:
    """The Correlation Data of a request: its id as ASCII."""
    return request_id.encode("ascii")


def new_request_id() -> str:
    """A fresh request id."""
    return str(uuid.uuid4())


def check(name: str, msg: Any) -> None:
    """Raise ``contract.ContractError`` unless ``msg`` follows schema ``name``.

    Unlike ``contract.validate`` the error names only the place and the rule broken, never the value: requests and
    answers hold personal data, and errors end up in logs and in answers.
    """
    try:
        errors = sorted(contract.validator(name).iter_errors(msg), key=lambda e: list(e.absolute_path))
    except RecursionError:
        raise contract.ContractError("(message): nested too deeply") from None
    if errors:
        best = errors[0]
        while best.context:  # oneOf/anyOf: the deepest sub-error names the problem
            best = max(best.context, key=lambda e: len(list(e.absolute_path)))
        path = "/".join(str(p) for p in best.absolute_path) or "(message)"
        raise contract.ContractError(f"{path}: fails '{best.validator}' of {name}")


def validate_request(msg: Any) -> None:
    """Raise ``contract.ContractError`` unless ``msg`` follows ``req-envelope`` and its kind's schema.

    The hand-written equivalent of the schemas (``fastcheck``): jsonschema would cost more than the round trip.
    """
    fastcheck.check_request(msg)


def validate_answer(msg: Any) -> None:
    """Raise ``contract.ContractError`` unless ``msg`` follows ``answer-envelope`` and its kind's schema."""
    fastcheck.check_answer(msg)


def schema_check(msg: Any, direction: str) -> None:
    """The same as :func:`validate_request` / :func:`validate_answer` (``direction`` "req" or "answer"), with
    jsonschema and the published schema files: for tests and tools, not the hot path."""
    check(f"{direction}-envelope", msg)
    check(f"{direction}-{msg['kind'] if direction == 'req' else msg['request_kind']}", msg)
