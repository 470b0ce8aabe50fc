"""The attachment transfer on the wire (docs/mqtt-contract.md §3.2): chunk frames up, chunk acks down.

A chunk is published QoS 1 on ``<root>/<hall>/kiosk/<kiosk>/up/attachment`` as one binary MQTT payload: a JSON
header (``up-attachment.json``) on the first line, a newline, then the chunk's raw bytes. Compact JSON never
holds a raw newline, so the first ``\\n`` ends the header; no base64 (a third more bytes), and no MQTT-5-only
feature, so any broker or bridge carries it. The hall answers on ``.../down/attachment_ack``
(``down-attachment-ack.json``) after its durable write: which chunks it holds, and ``complete`` once it has the
whole file and its SHA-256 matched.

The header and the ack are checked here by hand, equal to their schemas (tests check they agree), because a
drain of 100 MB is hundreds of them.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sync import contract

log = logging.getLogger(__name__)

CHUNK_KIND = "attachment"  # the uplink topic's <kind>
ACK_KIND = "attachment_ack"  # the downlink topic's <kind>
MAX_CHUNK_BYTES = 256 * 1024  # the broker's packet limit is 1 MiB: a chunk and its header stay far below it
MAX_ATTACHMENT_BYTES = 256 * 1024 * 1024
MAX_ACK_ITEMS = 1000
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]{1,100}$")
_HEADER_FIELDS = frozenset(
    {"v", "kind", "kiosk_id", "hall_id", "sha256", "size", "media_type", "chunk_size", "index", "count",
     "sent_at", "attempt"}
)  # fmt: skip
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def chunk_count(size: int, chunk_size: int) -> int:
    """How many chunks a file of ``size`` bytes is cut into."""
    return max(1, -(-size // chunk_size))


def chunk_length(size: int, chunk_size: int, index: int) -> int:
    """Bytes in chunk ``index``."""
    return min(chunk_size, size - index * chunk_size)


def encode_chunk(header: dict[str, Any], data: bytes) -> bytes:
    """The wire form of one chunk: compact JSON header, newline, raw bytes."""
    return contract.encode(header) + b"\n" + data


def chunk_header(
    *, kiosk_id: str, hall_id: str, sha256: str, size: int, media_type: str, chunk_size: int, index: int,
    sent_at: float, attempt: int,
) -> dict[str, Any]:
    """The header of chunk ``index`` of an attachment."""
    return {
        "v": contract.SCHEMA_VERSION, "kind": CHUNK_KIND, "kiosk_id": kiosk_id, "hall_id": hall_id,
        "sha256": sha256, "size": size, "media_type": media_type, "chunk_size": chunk_size, "index": index,
        "count": chunk_count(size, chunk_size), "sent_at": sent_at, "attempt": attempt,
    }  # fmt: skip


def _int(msg: dict[str, Any], name: str, low: int, high: int) -> int:
    value = msg[name]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise contract.ContractError(f"{name}: expected an integer {low} to {high}")
    return value


def check_chunk_header(msg: Any) -> None:
    """Equal to ``up-attachment.json``, plus what a schema cannot say (count and index agree with the sizes)."""
    if not isinstance(msg, dict):
        raise contract.ContractError("(header): not a JSON object")
    if missing := _HEADER_FIELDS - msg.keys():
        raise contract.ContractError(f"(header): missing {sorted(missing)}")
    if extra := msg.keys() - _HEADER_FIELDS:
        raise contract.ContractError(f"(header): unexpected {sorted(extra)}")
    if msg["v"] != contract.SCHEMA_VERSION or isinstance(msg["v"], bool):
        raise contract.ContractError(f"v: expected {contract.SCHEMA_VERSION}")
    if msg["kind"] != CHUNK_KIND:
        raise contract.ContractError(f"kind: expected {CHUNK_KIND!r}")
    for name, pattern in (("kiosk_id", _ID), ("hall_id", _ID), ("sha256", SHA256), ("media_type", MEDIA_TYPE)):
        if not isinstance(msg[name], str) or not pattern.fullmatch(msg[name]):
            raise contract.ContractError(f"{name}: {str(msg[name])[:80]!r} does not match {pattern.pattern}")
    size = _int(msg, "size", 1, MAX_ATTACHMENT_BYTES)
    chunk = _int(msg, "chunk_size", 1, MAX_CHUNK_BYTES)
    count = _int(msg, "count", 1, MAX_ATTACHMENT_BYTES)
    index = _int(msg, "index", 0, MAX_ATTACHMENT_BYTES)
    _int(msg, "attempt", 1, 2**31)
    sent = msg["sent_at"]
    if not isinstance(sent, int | float) or isinstance(sent, bool) or sent < 0:
        raise contract.ContractError("sent_at: expected a number >= 0")
    if count != chunk_count(size, chunk) or index >= count:
        raise contract.ContractError("count/index: do not agree with size and chunk_size")


def decode_chunk(payload: bytes) -> tuple[dict[str, Any], bytes]:
    """Split and check a chunk frame; :class:`contract.ContractError` when it is not one."""
    head, newline, data = payload.partition(b"\n")
    if not newline:
        raise contract.ContractError("(frame): no header line")
    header = contract.decode(head)
    check_chunk_header(header)
    if len(data) != chunk_length(header["size"], header["chunk_size"], header["index"]):
        raise contract.ContractError(f"(frame): chunk {header['index']} has {len(data)} bytes, not the expected")
    return header, data


def ack_item(sha256: str, chunks: list[int], *, complete: bool, restart: bool = False, error: str = "") -> dict:
    """One attachment's entry of an ``attachment_ack``."""
    item: dict[str, Any] = {"sha256": sha256, "chunks": sorted(set(chunks)), "complete": complete}
    if restart:
        item["restart"] = True
    if error:
        item["error"] = error[:2000]
    return item


def ack_message(items: list[dict[str, Any]], *, sender: str, created_at: float) -> dict[str, Any]:
    """An ``attachment_ack``: the hall holds these chunks durably (and, ``complete``, the checked file)."""
    return contract.down_message(ACK_KIND, sender=sender, created_at=created_at, attachments=items)


def check_ack(msg: Any, hall_identity: str, props: dict[str, str]) -> list[dict[str, Any]]:
    """Equal to ``down-attachment-ack.json``, and from the hall; the items."""
    if not isinstance(msg, dict):
        raise contract.ContractError("(message): not a JSON object")
    required = {"v", "msg_id", "kind", "from", "created_at", "attachments"}
    if missing := required - msg.keys():
        raise contract.ContractError(f"(message): missing {sorted(missing)}")
    if extra := msg.keys() - required:
        raise contract.ContractError(f"(message): unexpected {sorted(extra)}")
    if msg["kind"] != ACK_KIND or msg["v"] != contract.SCHEMA_VERSION or isinstance(msg["v"], bool):
        raise contract.ContractError(f"kind/v: expected {ACK_KIND!r}, version {contract.SCHEMA_VERSION}")
    sender = props.get("sender")
    if msg["from"] != hall_identity or (sender is not None and sender != hall_identity):
        raise contract.ContractError(f"from: {str(msg['from'])[:80]!r} is not the hall's identity; ignored")
    items = msg["attachments"]
    if not isinstance(items, list) or len(items) > MAX_ACK_ITEMS:
        raise contract.ContractError(f"attachments: expected a list of at most {MAX_ACK_ITEMS}")
    for item in items:
        if not isinstance(item, dict) or not {"sha256", "chunks", "complete"} <= item.keys():
            raise contract.ContractError("attachments: every item has sha256, chunks and complete")
        if item.keys() - {"sha256", "chunks", "complete", "restart", "error"}:
            raise contract.ContractError("attachments: unexpected field in an item")
        ok = isinstance(item["sha256"], str) and SHA256.fullmatch(item["sha256"]) is not None
        ok = ok and isinstance(item["complete"], bool) and isinstance(item.get("restart", False), bool)
        ok = ok and isinstance(item.get("error", ""), str) and isinstance(item["chunks"], list)
        ok = ok and len(item["chunks"]) <= 4096
        ok = ok and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in item["chunks"])
        if not ok:
            raise contract.ContractError("attachments: malformed item")
    return items


def check_frames(frames: list[tuple[str, bytes]], root: str, hall_id: str, db: Any, *, accept: bool = True
                 ) -> list[tuple[dict[str, Any], bytes]]:
    """The hall's check of chunk frames read from ``<root>/<hall_id>/kiosk/<kiosk>/up/attachment``: the good
    ones (header, bytes); each bad one is quarantined in ``db`` (its header line only) and logged."""
    good: list[tuple[dict[str, Any], bytes]] = []
    for topic, payload in frames:
        parsed = contract.parse_topic(root, topic)
        try:
            if parsed is None or parsed.hall != hall_id:
                raise contract.ContractError("not an uplink topic of this hall")
            if not accept:
                raise contract.ContractError("this hall keeps no materials")
            header, data = decode_chunk(payload)
            if header["kiosk_id"] != parsed.kiosk or header["hall_id"] != hall_id:
                raise contract.ContractError("kiosk_id or hall_id does not match the topic")
        except contract.ContractError as exc:
            head = payload.partition(b"\n")[0][:4000]
            kiosk = parsed.kiosk if parsed is not None else None
            db.quarantine(key=None, kiosk_id=kiosk, topic=topic, error=str(exc), raw=head)
            log.warning("quarantined an attachment chunk on %s: %s", topic, exc)
            continue
        good.append((header, data))
    return good
