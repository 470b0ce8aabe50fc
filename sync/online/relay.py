"""The kiosk agent's half of online requests: a local request becomes an MQTT 5 request, its answer a reply.

Threads: :meth:`Relay.ask` runs on the local server's connection threads and blocks until the answer, the
deadline or a failure. Everything that touches the paho client runs on the agent's thread: :meth:`Relay.pump`
(called every agent step) publishes what is queued, and :meth:`Relay.on_message` (called from the agent's
``on_message``) hands an answer to the waiting thread. To publish at once rather than after the agent's next
network wait, ``ask`` wakes the agent's ``select()`` through the paho client's own wake-up socket pair.

Nothing here touches the store or a file: requests and answers hold personal data and live only in memory, for
as long as the asking thread waits. Log lines name kinds, statuses and timings, never content.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt

from sync import contract
from sync.online import wire
from sync.transport import user_properties

log = logging.getLogger(__name__)

Reply = dict[str, Any]
_ENVELOPE_KEYS = frozenset({"v", "kind", "id", "kiosk_id", "hall_id", "sent_at", "timeout_s"})


def reply(status: str, *, error: str = "", reason: str = "", result: dict[str, Any] | None = None) -> Reply:
    """A reply frame for the screen process."""
    out: Reply = {"v": 1, "status": status, "error": error, "reason": reason}
    if result is not None:
        out["result"] = result
    return out


@dataclass
class RelayStats:
    """Counters for logs, tests and the benchmark (no content)."""

    asked: int = 0
    published: int = 0
    answered: int = 0
    timeouts: int = 0
    no_link: int = 0
    bad_answers: int = 0
    stray_answers: int = 0


@dataclass
class _Pending:
    kind: str
    request_id: str
    correlation: bytes
    deadline: float  # monotonic
    message: dict[str, Any] | None  # dropped once handed to paho
    future: Future[Reply] = field(default_factory=Future)


def _settle(future: Future[Reply], value: Reply) -> None:
    with contextlib.suppress(InvalidStateError):  # the other side settled it first
        future.set_result(value)


class Relay:
    """Request/response for one kiosk over the agent's MQTT connection."""

    def __init__(
        self,
        *,
        kiosk_id: str,
        hall_id: str,
        topic_root: str,
        hall_identity: str,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        max_pending: int = 16,
    ) -> None:
        self._kiosk = kiosk_id
        self._hall = hall_id
        self._hall_identity = hall_identity
        self._clock = clock
        self._mono = monotonic
        self._max_pending = max_pending
        self.topics = wire.RequestTopics(topic_root, hall_id, kiosk_id)
        self.answer_topic = self.topics.answer
        self.stats = RelayStats()
        self._lock = threading.Lock()
        self._pending: dict[bytes, _Pending] = {}
        self._queue: deque[_Pending] = deque()
        self._client: mqtt.Client | None = None
        self._connected = False

    @property
    def connected(self) -> bool:
        """Whether the agent has a connection to the broker (as of its last step)."""
        return self._connected

    # ------------------------------------------------------------------------------- any thread: asking
    def ask(self, kind: str, body: dict[str, Any], timeout_s: float) -> Reply:
        """Send one request and wait for its answer; a reply frame whatever happens (never raises)."""
        self.stats.asked += 1
        if kind not in wire.KINDS:
            return reply("bad_request", error=f"unknown request kind {kind!r}")
        if not isinstance(body, dict) or body.keys() & _ENVELOPE_KEYS:
            return reply("bad_request", error="the request body must be an object of the kind's own fields")
        if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or not 0 < timeout_s <= 120:
            return reply("bad_request", error="timeout_s must be a number of seconds, at most 120")
        request_id = wire.new_request_id()
        message = wire.request_message(
            kind,
            request_id=request_id,
            kiosk_id=self._kiosk,
            hall_id=self._hall,
            sent_at=self._clock(),
            timeout_s=float(timeout_s),
            **body,
        )
        try:
            wire.validate_request(message)
        except contract.ContractError as exc:
            return reply("bad_request", error=str(exc))
        if not self._connected:
            self.stats.no_link += 1
            return reply("no_link", error="the agent has no connection to the hall's broker")
        pending = _Pending(kind, request_id, wire.correlation_of(request_id), self._mono() + timeout_s, message)
        with self._lock:
            if len(self._pending) >= self._max_pending:
                return reply("bad_request", error=f"more than {self._max_pending} requests at once")
            self._pending[pending.correlation] = pending
            self._queue.append(pending)
        self._wake()
        try:
            return pending.future.result(timeout=max(0.0, pending.deadline - self._mono()))
        except FutureTimeout:
            self.stats.timeouts += 1
            log.warning("online %s: no answer within %.1f s", kind, timeout_s)
            return reply("timeout", error=f"no answer within {timeout_s:g} s")
        finally:
            with self._lock:
                self._pending.pop(pending.correlation, None)
            pending.message = None

    def _wake(self) -> None:
        """Make the agent's network wait return now, so the request is published without delay."""
        wire.wake(self._client)

    def shutdown(self) -> None:
        """The agent is stopping: whoever waits gets ``no_link`` now."""
        self._connected = False
        with self._lock:
            waiting = list(self._pending.values())
        for pending in waiting:
            _settle(pending.future, reply("no_link", error="the agent is stopping"))

    # ------------------------------------------------------------------------------- the agent's thread
    def pump(self, client: mqtt.Client | None) -> None:
        """Publish the queued requests on ``client`` (None: not connected, so they fail with ``no_link``)."""
        self._client = client
        self._connected = client is not None
        if not self._queue:
            return
        with self._lock:
            batch = list(self._queue)
            self._queue.clear()
        for pending in batch:
            message, pending.message = pending.message, None
            if pending.future.done() or message is None:
                continue
            remaining = pending.deadline - self._mono()
            if remaining <= 0:
                continue  # the asker has given up already
            if client is None:
                self.stats.no_link += 1
                _settle(pending.future, reply("no_link", error="the link to the hall's broker dropped"))
                continue
            props = wire.request_properties(self.answer_topic, pending.correlation, remaining)
            info = client.publish(self.topics.request(pending.kind), contract.encode(message), qos=1, properties=props)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                self.stats.no_link += 1
                _settle(pending.future, reply("no_link", error=f"publish failed: {mqtt.error_string(info.rc)}"))
                continue
            self.stats.published += 1

    def on_message(self, msg: mqtt.MQTTMessage) -> None:
        """An answer arrived on this kiosk's answer topic: hand it to the thread that waits for it."""
        correlation = getattr(msg.properties, "CorrelationData", None)
        with self._lock:
            pending = self._pending.get(bytes(correlation)) if correlation else None
        if pending is None:
            self.stats.stray_answers += 1
            log.info("dropped an answer that no request waits for (late, or not one of ours)")
            return
        try:
            answer = self._check(pending, bytes(msg.payload), user_properties(msg.properties))
        except Exception as exc:  # runs inside the agent's network loop: never let an answer take it down
            answer = reply("bad_answer", error=f"cannot check the answer: {type(exc).__name__}")
        if answer["status"] == "bad_answer":
            self.stats.bad_answers += 1
            log.warning("online %s: bad answer: %s", pending.kind, answer["error"])
        else:
            self.stats.answered += 1
        _settle(pending.future, answer)

    def _check(self, pending: _Pending, payload: bytes, props: dict[str, str]) -> Reply:
        try:
            msg = contract.decode(payload)
            wire.validate_answer(msg)
        except contract.ContractError as exc:
            return reply("bad_answer", error=str(exc))
        except Exception as exc:  # whatever a hostile payload provokes, the agent keeps running
            return reply("bad_answer", error=f"cannot check the answer: {type(exc).__name__}")
        if msg["request_id"] != pending.request_id or msg["request_kind"] != pending.kind:
            return reply("bad_answer", error="the answer is for another request")
        if msg["from"] != self._hall_identity or props.get("sender", self._hall_identity) != self._hall_identity:
            return reply("bad_answer", error="the answer is not from the hall's identity")
        return reply(msg["status"], error=msg["error"] or "", reason=msg.get("reason", ""), result=msg.get("result"))
