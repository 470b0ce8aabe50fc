"""The reference hall endpoint: receives kiosk uplink, stores it once per (kiosk, key), acknowledges, keeps fault
state.

Uplink is read through an MQTT 5 shared subscription (``$share/<group>/...``) so several instances split the
load; they share one database (``sync.halldb``: PostgreSQL, or a SQLite file). What has arrived is stored in one
transaction once the socket has nothing more to read (group commit: batches grow with the load, a lone message is
not held back), and only after the commit acknowledged, one ack message per kiosk listing the keys (new and
duplicate alike: a kiosk resends until it hears back). The kiosk a message is stored under is the one its topic
names, which the broker checked against the sender's certificate. A message that fails validation is quarantined
and its key, if it has one, acknowledged as rejected so the kiosk stops resending it. When the database cannot be
reached, nothing is acknowledged (the kiosks resend). Retained kiosk statuses are read by every instance
(retained messages are not delivered to shared subscriptions).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as mqtt

from kiosk import ids
from sync import attachment_wire, certs, contract, signing
from sync.halldb import HallStore, Unavailable
from sync.transport import ClientFactory, LinkSettings, connect_properties, make_client, publish_properties, set_nodelay

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.hall_materials import HallMaterials
    from sync.metrics import HallMetrics
    from sync.online.hall_side import RequestHandler

log = logging.getLogger(__name__)

ACK_CHUNK = 1000  # keys per ack message


@dataclass
class HallStats:
    """Counters for logs, tests and the benchmark."""

    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    acks_sent: int = 0
    connects: int = 0
    store_failures: int = 0  # batches the database could not take (not acknowledged: the kiosks resend)
    chunks: int = 0
    waiting_materials: int = 0  # submissions stored but not acknowledged: pages missing


def client_id(link: LinkSettings, identity: str, instance: str) -> str:
    """This instance's client id, ``<identity>-<instance>``, which must be its certificate's CN: the broker names
    every client after its certificate (``use_username_as_clientid``), so no certificate can take over another's
    session. ``ValueError`` (saying what to do) when they differ."""
    name = ids.hall_instance_name(identity, instance)
    if link.tls and link.cert_file:
        cn = certs.common_name(link.cert_file)
        if cn != name:
            raise ValueError(
                f"the certificate {link.cert_file} is for {cn!r}, but this hall instance is {name!r} (identity "
                f"{identity!r}, instance {instance!r}): run it with the matching --instance, or issue its certificate "
                f"with kiosk-hall pki issue-hall {name}"
            )
    return name


class Hall:
    """One hall instance. Call :meth:`step` in a loop (or :meth:`run`)."""

    def __init__(
        self,
        db: HallStore,
        *,
        link: LinkSettings,
        hall_id: str,
        topic_root: str = "gov/v1",
        identity: str = "hall",
        instance: str = "1",
        share_group: str = "hall",
        client_factory: ClientFactory = make_client,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        flush_max: int = 1000,
        retry_s: float = 0.5,
        signing_key: Ed25519PrivateKey | None = None,
        session_expiry_s: int = 3600,
        metrics: HallMetrics | None = None,
        materials: HallMaterials | None = None,
    ) -> None:
        self.db = db
        self.materials = materials  # None: chunks are quarantined, submissions naming pages wait
        self._signing_key = signing_key  # the hall's Ed25519 key: config and catalog updates carry its signature
        self._link = link
        self._hall_id = hall_id
        self._root = topic_root
        self.identity = identity
        self._instance = instance
        self._client_id = client_id(link, identity, instance)
        self._group = share_group
        self._factory = client_factory
        self._clock = clock
        self._mono = monotonic
        self._flush_max = flush_max
        self._retry_s = retry_s
        self._session_expiry_s = session_expiry_s  # a one-shot command uses 0: no session left to queue uplink
        self.metrics = metrics
        self._all = contract.Topics(topic_root, hall_id, "+")
        self._client: mqtt.Client | None = None
        self._connected = False
        self._next_connect = 0.0
        self._buffer: list[tuple[str, bytes, float]] = []  # topic, payload, when it was read (monotonic)
        self._chunks: list[tuple[str, bytes]] = []  # attachment chunks read, not yet stored
        self._statuses: dict[str, tuple[bool, float]] = {}  # kiosk statuses read, not yet written
        self._statuses_retry_at = 0.0
        self._reads = 0
        self.stats = HallStats()
        self._calls: queue.SimpleQueue[tuple[Callable[[Hall], Any], Future[Any]]] = queue.SimpleQueue()
        self.last_publish: mqtt.MQTTMessageInfo | None = None  # of the last send(), to wait for its PUBACK
        self.requests: RequestHandler | None = None  # online requests (sync.online.hall_side), answered by workers

    # ------------------------------------------------------------------------------------------- running
    def run(self, stop: threading.Event) -> None:
        """Step until ``stop`` is set."""
        try:
            while not stop.is_set():
                self.step()
        finally:
            self.close()

    def step(self, timeout: float = 0.05) -> None:
        """Keep the connection, read, and flush the buffer when it is due."""
        now = self._mono()
        if self._client is None:
            if now < self._next_connect:
                time.sleep(min(timeout, self._next_connect - now))
                return
            self._connect()
        if self._client is not None:
            rc = self._pump(self._client, timeout)
            if rc != mqtt.MQTT_ERR_SUCCESS:
                self._drop(f"network loop: {mqtt.error_string(rc)}")
        if self._buffer or self._chunks:
            self.flush()
        if self._statuses:
            self._write_statuses()
        if self.requests is not None:
            self.requests.pump(self._client if self._connected else None)
        while not self._calls.empty():
            fn, future = self._calls.get_nowait()
            try:
                future.set_result(fn(self))
            except Exception as exc:  # handed back to the caller on its own thread
                future.set_exception(exc)

    def submit(self, fn: Callable[[Hall], Any]) -> Future[Any]:
        """Run ``fn(hall)`` on the thread that steps the hall (paho clients are not shared between threads)."""
        future: Future[Any] = Future()
        self._calls.put((fn, future))
        return future

    def _pump(self, client: mqtt.Client, timeout: float) -> mqtt.MQTTErrorCode:
        """Wait for traffic, then read everything already waiting (up to ``flush_max`` messages)."""
        rc = client.loop(timeout=timeout)
        # paho's loop() reads one packet when the client has nothing of its own in flight: keep reading.
        while rc == mqtt.MQTT_ERR_SUCCESS and self._client is client and len(self._buffer) < self._flush_max:
            before = self._reads
            rc = client.loop_read()
            if self._reads == before:
                break
        if rc == mqtt.MQTT_ERR_SUCCESS and self._client is client and client.want_write():
            rc = client.loop_write()  # the PUBACKs of what was just read
        return rc

    def close(self) -> None:
        """Flush and disconnect."""
        if self.requests is not None:
            self.requests.close()
        if (self._buffer or self._chunks) and self._connected:
            self.flush()
        if self._statuses:
            self._write_statuses()
        client = self._client
        if client is not None:
            client.on_disconnect = None
            try:
                if self._connected:
                    off = contract.hall_status_message(self._hall_id, self._instance, online=False, at=self._clock())
                    info = client.publish(self._all.hall_status(self._instance), contract.encode(off), 1, True)
                    deadline = self._mono() + 2.0
                    while not info.is_published() and self._mono() < deadline:
                        if client.loop(timeout=0.05) != mqtt.MQTT_ERR_SUCCESS:
                            break
                client.disconnect()
                client.loop(timeout=0.05)
            except (OSError, ValueError, RuntimeError):
                pass
            self._discard()

    @property
    def connected(self) -> bool:
        """Whether the broker accepted the current connection and the subscriptions were sent."""
        return self._connected

    def _connect(self) -> None:
        try:
            client = self._factory(self._link, self._client_id)
            client.on_connect = self._on_connect
            client.on_message = self._on_message
            client.on_disconnect = self._on_disconnect
            client.on_subscribe = self._on_subscribe
            will = contract.hall_status_message(self._hall_id, self._instance, online=False, at=self._clock())
            client.will_set(self._all.hall_status(self._instance), contract.encode(will), qos=1, retain=True)
            client.max_inflight_messages_set(100)
            client.max_queued_messages_set(0)
            self._client = client
            client.connect(
                self._link.host,
                self._link.port,
                keepalive=self._link.keepalive_s,
                clean_start=False,
                properties=connect_properties(self._session_expiry_s),
            )
            set_nodelay(client)
        except (OSError, ValueError) as exc:
            self._drop(f"connect failed: {exc}")

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.error("broker refused the hall: %s", reason)
            return
        client.subscribe([(self._all.up_filter(self._group), 1), (self._all.status, 1)])
        if self.requests is not None:
            self.requests.subscribe(client)
        self._connected = True
        self.stats.connects += 1
        log.info("hall %s connected as %s", self._hall_id, self._client_id)

    def _on_subscribe(self, client: mqtt.Client, _u: Any, _mid: int, codes: list[Any], _p: Any) -> None:
        if self.requests is not None and self.requests.owns_suback(_mid, codes):
            return
        failed = [str(c) for c in codes if c.is_failure]
        if failed:
            log.error("the broker refused the hall's subscriptions: %s", ", ".join(failed))
            return
        # Only now is uplink reaching us: tell the kiosks, so they resend what found no subscriber before.
        online = contract.hall_status_message(self._hall_id, self._instance, online=True, at=self._clock())
        client.publish(self._all.hall_status(self._instance), contract.encode(online), qos=1, retain=True)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if self._connected:
            self._drop(f"disconnected: {reason}")

    def _drop(self, why: str) -> None:
        if self._connected:
            log.warning("hall link lost (%s)", why)
        self._discard()
        if self._buffer or self._chunks:  # store what arrived; the acks cannot go out now: the kiosks resend
            self.flush(ack=False)
        self._next_connect = self._mono() + self._retry_s

    def _discard(self) -> None:
        client, self._client = self._client, None
        self._connected = False
        if client is not None:
            client.on_disconnect = None
            sock = client.socket()
            if sock is not None:
                sock.close()

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._reads += 1
        if self.requests is not None and self.requests.accepts(msg.topic):
            self.requests.received(msg)  # to a worker pool: a slow department never holds up the uplink
            return
        parsed = contract.parse_topic(self._root, msg.topic)
        if parsed is not None and parsed.direction == "status":
            self._status(parsed.kiosk, bytes(msg.payload))
            return
        if parsed is not None and parsed.direction == "up" and parsed.kind == attachment_wire.CHUNK_KIND:
            self._chunks.append((msg.topic, bytes(msg.payload)))
            return
        self._buffer.append((msg.topic, bytes(msg.payload), self._mono()))
        self.stats.received += 1

    def _status(self, kiosk_id: str, payload: bytes) -> None:
        if not payload:
            return  # a cleared retained status
        try:
            msg = contract.decode(payload)
            contract.validate("status", msg)
        except contract.ContractError as exc:
            log.warning("bad status from %s: %s", kiosk_id, exc)
            return
        self._statuses[kiosk_id] = (msg["online"], msg["at"])  # the latest to arrive wins (arrival order)

    def _write_statuses(self) -> None:
        """Record the statuses read; kept for the next step while the database is unavailable (a retained status
        is not sent again)."""
        if self._mono() < self._statuses_retry_at:
            return
        while self._statuses:
            kiosk_id, (online, at) = next(iter(self._statuses.items()))
            try:
                self.db.set_status(kiosk_id, online, at)
            except Unavailable as exc:
                log.error("the hall database is unavailable, %d kiosk statuses kept: %s", len(self._statuses), exc)
                self._statuses_retry_at = self._mono() + 1.0
                return
            if self._statuses.get(kiosk_id) == (online, at):
                del self._statuses[kiosk_id]

    # -------------------------------------------------------------------------------------------- storing
    def flush(self, *, ack: bool = True) -> None:
        """Validate, store and (with ``ack``) acknowledge the buffered messages."""
        batch, self._buffer = self._buffer, []
        good: list[tuple[str, dict[str, Any], float]] = []  # (topic kiosk, message, read at)
        rejected: dict[str, list[tuple[str, str]]] = {}
        read_at: list[float] = []  # of every message an ack answers
        bad: list[tuple[str, str, Any, str, bytes, float]] = []  # topic, kiosk, message, error, raw, read at
        for topic, payload, at in batch:
            kiosk, msg, error = self._check(topic, payload)
            if error is None and msg is not None:
                good.append((kiosk, msg, at))
            else:
                bad.append((topic, kiosk, msg, error or "", payload, at))
        try:
            for topic, kiosk, msg, error, payload, at in bad:
                key = msg.get("key") if isinstance(msg, dict) and isinstance(msg.get("key"), str) else None
                self.db.quarantine(key=key, kiosk_id=kiosk or None, topic=topic, error=error, raw=payload)
                self._count("rejected", 1, msg)
                log.warning("quarantined a message on %s: %s", topic, error)
                if key is not None and kiosk and 0 < len(key) <= 200:
                    rejected.setdefault(kiosk, []).append((key, error))
                    read_at.append(at)
            result = self.db.store([(kiosk, msg) for kiosk, msg, _ in good])
            chunk_acks = self._store_chunks()
        except Unavailable as exc:
            # Nothing stored, so nothing acknowledged: every kiosk sends these again after its ack timeout.
            self.stats.store_failures += 1
            if self.metrics is not None:
                self.metrics.store_failed()
            log.error("the hall database is unavailable, %d messages left to the kiosks' resends: %s", len(batch), exc)
            return
        by_kiosk: dict[str, list[str]] = {}
        for i, (kiosk, msg, at) in enumerate(good):
            read_at.append(at)
            if i in result.refused:
                rejected.setdefault(kiosk, []).append((msg["key"], result.refused[i]))
                self._count("rejected", 1, msg)
                continue
            self._count("stored" if result.fresh[i] else "duplicate", 1, msg)
            if self._materials_missing(kiosk, msg):
                continue  # stored; acknowledged when a copy comes after its pages (the kiosk sends pages first)
            by_kiosk.setdefault(kiosk, []).append(msg["key"])
        if not ack:
            return
        for kiosk, items in chunk_acks.items():
            for i in range(0, len(items), attachment_wire.MAX_ACK_ITEMS):
                part = items[i : i + attachment_wire.MAX_ACK_ITEMS]
                message = attachment_wire.ack_message(part, sender=self.identity, created_at=self._clock())
                self._publish(kiosk, attachment_wire.ACK_KIND, message)
        for kiosk in sorted(set(by_kiosk) | set(rejected)):
            keys, rej = by_kiosk.get(kiosk, []), rejected.get(kiosk, [])
            for i in range(0, max(len(keys), len(rej)), ACK_CHUNK):
                ack = contract.ack_message(
                    keys[i : i + ACK_CHUNK],
                    sender=self.identity,
                    created_at=self._clock(),
                    rejected=rej[i : i + ACK_CHUNK],
                )
                self._publish(kiosk, "ack", ack)
                self.stats.acks_sent += 1
        if self.metrics is not None:
            now = self._mono()
            self.metrics.acked([now - at for at in read_at])

    def _materials_missing(self, kiosk: str, msg: dict[str, Any]) -> bool:
        """A submission counts as delivered only with every page: a record naming pages the hall lacks is not
        acknowledged (a kiosk following the contract never sends one)."""
        if msg["kind"] != "submission" or not msg["payload"].get("materials", {}).get("provided"):
            return False
        missing = self.materials.missing(kiosk, msg["payload"]) if self.materials is not None else ["(no store)"]
        if missing:
            self.stats.waiting_materials += 1
            log.warning("submission %s from %s names %d pages the hall lacks: not acknowledged", msg["key"], kiosk,
                        len(missing))  # fmt: skip
        return bool(missing)

    def _store_chunks(self) -> dict[str, list[dict[str, Any]]]:
        """Store the attachment chunks read (sync/hall_materials.py); the ack items per kiosk."""
        batch, self._chunks = self._chunks, []
        keeps = self.materials is not None
        good = attachment_wire.check_frames(batch, self._root, self._hall_id, self.db, accept=keeps)
        self.stats.chunks += len(good)
        self.stats.rejected += len(batch) - len(good)
        return self.materials.receive(good) if good and self.materials is not None else {}

    def _count(self, outcome: str, n: int, msg: Any) -> None:
        if outcome == "stored":
            self.stats.stored += n
        elif outcome == "duplicate":
            self.stats.duplicates += n
        else:
            self.stats.rejected += n
        if self.metrics is not None:
            kind = msg.get("kind") if isinstance(msg, dict) else None
            self.metrics.counted(kind if isinstance(kind, str) else "", outcome, n)

    def _check(self, topic: str, payload: bytes) -> tuple[str, Any, str | None]:
        parsed = contract.parse_topic(self._root, topic)
        if parsed is None or parsed.direction != "up" or parsed.hall != self._hall_id:
            return "", None, "not an uplink topic of this hall"
        try:
            msg = contract.decode(payload)
        except contract.ContractError as exc:
            return parsed.kiosk, None, str(exc)
        try:
            contract.check_uplink(msg)
        except contract.ContractError as exc:
            return parsed.kiosk, msg, str(exc)
        if msg["kiosk_id"] != parsed.kiosk or msg["kind"] != parsed.kind or msg["hall_id"] != self._hall_id:
            return parsed.kiosk, msg, "kiosk_id, kind or hall_id does not match the topic"
        return parsed.kiosk, msg, None

    # ----------------------------------------------------------------------------------------- downlink
    def _publish(self, kiosk_id: str, kind: str, message: dict[str, Any], *, retain: bool = False) -> Any:
        if self._client is None:
            raise ConnectionError("the hall is not connected")
        topic = contract.Topics(self._root, self._hall_id, kiosk_id).down(kind)
        props = publish_properties(sender=self.identity)
        return self._client.publish(topic, contract.encode(message), qos=1, retain=retain, properties=props)

    def send(self, kiosk_id: str, kind: str, *, retain: bool | None = None, **fields: Any) -> str:
        """Send a command, config, catalog or fault_ack to one kiosk; its msg_id (the result will carry it)."""
        if kind in contract.SIGNED_DOWN_KINDS:
            if self._signing_key is None:
                raise ValueError(f"a {kind} update must be signed: give the hall's signing key (kiosk-hall pki)")
            fields = {**fields, "to": kiosk_id}
        msg = contract.down_message(kind, sender=self.identity, created_at=self._clock(), **fields)
        if kind in contract.SIGNED_DOWN_KINDS:
            msg = signing.sign(msg, self._signing_key)  # type: ignore[arg-type]
        contract.validate(contract.down_schema(kind), msg)
        self.db.record_sent(msg["msg_id"], kiosk_id, kind, msg)
        keep = kind in contract.RETAINED_DOWN_KINDS if retain is None else retain
        self.last_publish = self._publish(kiosk_id, kind, msg, retain=keep)
        return msg["msg_id"]

    def results(self, kiosk_id: str | None = None) -> dict[str, dict[str, Any]]:
        """Command results received, by the msg_id they answer."""
        out: dict[str, dict[str, Any]] = {}
        for row in self.db.messages("command_result", kiosk_id):
            out[str(row["payload"]["msg_id"])] = row["payload"]
        return out


def import_jsonl(db: HallStore, lines: list[str], *, hall_id: str) -> dict[str, int]:
    """Import a hand-carried backlog (one uplink message per line, as on the wire); counts per outcome. There is
    no topic here: the technician who carried the file vouches for the kiosk id in each message."""
    counts = {"stored": 0, "duplicates": 0, "rejected": 0}
    good: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            contract.check_uplink(msg)
            if msg["hall_id"] != hall_id:
                raise contract.ContractError(f"hall_id: {msg['hall_id']!r} is not this hall")
        except (json.JSONDecodeError, contract.ContractError) as exc:
            db.quarantine(key=None, kiosk_id=None, topic=f"import:{number}", error=str(exc), raw=line.encode())
            counts["rejected"] += 1
            continue
        good.append(msg)
    result = db.store([(msg["kiosk_id"], msg) for msg in good])
    counts["stored"] = result.stored
    counts["duplicates"] = result.duplicates
    counts["rejected"] += len(result.refused)
    return counts
