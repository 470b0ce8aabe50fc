"""The kiosk's sync agent core: one thread that keeps the MQTT link up and drains the outbox to the hall.

Delivery rule: a row is confirmed in the store only when the hall's application acknowledgement for its key
arrives, never on PUBACK, so a broker that restarts without persistence (or loses its queue) costs nothing but a
resend. Rows are published QoS 1 in outbox order per lane (control events, citizen records, other telemetry),
with at most ``mqtt.inflight`` messages unacknowledged; part of that window is kept for control messages and
part for attachment chunks (:mod:`sync.uploads`), so neither waits behind a window full of citizen rows. A row not
acknowledged within ``ack_timeout_s`` is sent again with a growing delay, and earlier when rows sent after it were
acknowledged and it was not (its copy or its ack was lost). A submission naming pages goes out only once the hall
holds every page. After a reconnect every unacknowledged row is sent again at once. After a restart the agent
simply starts from the store's pending rows: the hall deduplicates on the key and acknowledges copies. While the
broker is away, a bare TCP probe every second notices its return long before the reconnect backoff would.

Everything happens on the thread that calls :meth:`Agent.step` (paho's own loop thread is not used), so paho
callbacks only queue work and no lock is needed. Each connection attempt uses a fresh client from the injected
factory, so a dead connection's in-memory paho state never leaks into the next.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as mqtt

from kiosk.shared_settings import HALL_LINK, HALL_LINK_REFRESH_S, hall_link_value
from kiosk.store.models import SUBMISSION_KINDS, OutboxEntry, StoreError
from sync import attachment_wire, contract
from sync.transport import (
    BrokerWatch,
    ClientFactory,
    connect_properties,
    make_client,
    receive_maximum,
    set_nodelay,
    user_properties,
)
from sync.uploads import HeldRows, Uploader

if TYPE_CHECKING:
    from kiosk.config import KioskSection, MqttSection
    from kiosk.store import Store
    from sync.downlink import Downlink
    from sync.heartbeat import HealthMonitor
    from sync.online.relay import Relay as OnlineRelay

log = logging.getLogger(__name__)

REWIND_S = 60.0
HOUSEKEEP_S = 3600.0
CONTROL_WINDOW = 8  # slots only control rows (fault events, command results) may take, beside the window
PROBE_S = 1.0  # while backing off, probe the broker's port this often (jittered)
EARLY_MIN_S = 0.05  # a row passed by later acknowledged ones is resent once max(this, 3 x ack round trip) old
CONTROL_KINDS = frozenset({"fault", "command_result"})
LANES: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("control", CONTROL_KINDS),  # fault events and command results first: small and urgent
    ("citizen", SUBMISSION_KINDS),
    ("telemetry", None),  # everything else, heartbeats included
)


@dataclass
class _Lane:
    name: str
    kinds: frozenset[str] | None
    skip: frozenset[str]  # kinds other lanes own (for the catch-all lane)
    cursor: int = 0  # highest seq handed to the window
    idle_until: float = 0.0  # monotonic; the store had nothing more when last asked


@dataclass
class _Inflight:
    entry: OutboxEntry
    attempt: int
    due: float  # monotonic time of the next send if no acknowledgement arrives
    lane: str = "telemetry"
    serial: int = 0  # publish order: a row acknowledged with a higher serial passed this one
    sent: float = 0.0  # monotonic time of this send


@dataclass
class LinkState:
    """What the agent knows about its link (for the heartbeat, logs and tests)."""

    connected: bool = False
    connects: int = 0
    drops: int = 0
    published: int = 0
    resent: int = 0
    confirmed: int = 0
    last_error: str = ""
    inflight: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Agent:
    """The link to the hall. Call :meth:`step` in a loop (or :meth:`run`); :meth:`close` when done."""

    def __init__(
        self,
        store: Store,
        *,
        kiosk: KioskSection,
        link: MqttSection,
        downlink: Downlink,
        monitor: HealthMonitor | None = None,
        client_factory: ClientFactory = make_client,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        poll_s: float = 0.25,
        session_expiry_s: int = 3600,
        connect_timeout_s: float = 10.0,
    ) -> None:
        self._store = store
        self._kiosk = kiosk
        self._link = link
        self._downlink = downlink
        self._monitor = monitor
        self._factory = client_factory
        self._clock = clock
        self._mono = monotonic
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._poll_s = poll_s
        self._session_expiry_s = session_expiry_s
        self._connect_timeout_s = connect_timeout_s
        self.topics = contract.Topics(link.topic_root, kiosk.hall_id, kiosk.id)
        self._hall_status_prefix = f"{link.topic_root}/{kiosk.hall_id}/hall/"
        self.state = LinkState()
        self._window = link.inflight
        self._inflight: dict[str, _Inflight] = {}
        owned = frozenset().union(*(k for _, k in LANES if k is not None))
        self._lanes = [_Lane(name, kinds, owned if kinds is None else frozenset()) for name, kinds in LANES]
        self._client: mqtt.Client | None = None
        self._connected = False
        self._connect_started = 0.0
        self._next_connect = 0.0
        self._retry_delay = link.retry_min_s
        self._incoming: list[tuple[str, bytes, dict[str, str]]] = []
        self._next_resend_scan = 0.0
        self._next_ui_poll = 0.0
        self._next_link_note = 0.0
        self._noted_online: bool | None = None
        self._next_rewind = 0.0
        self._next_housekeep = 0.0
        self._lane_inflight = {name: 0 for name, _ in LANES}
        self._serial = 0
        self._acked_serial = {name: 0 for name, _ in LANES}
        self._rtt = 0.05  # smoothed ack round trip of first sends (seconds)
        self._held = HeldRows(store)  # rows waiting for their pages to reach the hall
        self._watch = BrokerWatch(link.host, link.port, self._rng, PROBE_S)
        self._refused = False
        self.uploads = Uploader(
            store, kiosk_id=kiosk.id, hall_id=kiosk.hall_id, chunk_bytes=link.chunk_kib * 1024,
            window=link.chunk_window, ack_timeout_s=link.ack_timeout_s, retry_max_s=link.retry_max_s, clock=clock,
            poll_s=poll_s, monotonic=monotonic,
        )  # fmt: skip
        downlink.on_requeue = self.rewind
        self.online: OnlineRelay | None = None  # online requests (sync.online.relay), set by sync.online.kiosk_side

    # ------------------------------------------------------------------------------------------- running
    def run(self, stop: threading.Event, *, on_tick: Callable[[], None] | None = None) -> None:
        """Step until ``stop`` is set, then close cleanly. ``on_tick`` runs every step (watchdog pings)."""
        try:
            while not stop.is_set():
                self.step()
                if on_tick is not None:
                    on_tick()
        finally:
            self.close()

    def step(self, timeout: float = 0.05) -> None:
        """One round: keep the link, read the network, handle what came in, do periodic work, fill the window."""
        now = self._mono()
        if self._client is None:
            if now < self._next_connect and self._watch.returned(now, self._next_connect - now):
                log.info("the broker's port accepts connections again: reconnecting now")
                self._next_connect = now
            if now >= self._next_connect:
                self._connect(now)
            else:
                self._sleep(min(timeout, self._next_connect - now))
        if self._client is not None:
            rc = self._client.loop(timeout=0.0 if self._incoming else timeout)
            if rc != mqtt.MQTT_ERR_SUCCESS:
                self._drop(f"network loop: {mqtt.error_string(rc)}")
            elif not self._connected and self._mono() - self._connect_started > self._connect_timeout_s:
                self._drop("no CONNACK in time", probe=False)  # the port answers: probing it would not help
        if self.online is not None:
            self.online.pump(self._client if self._connected else None)
        self._handle_incoming()
        if self._monitor is not None and self._monitor.due(self._mono()):
            self._monitor.tick(self._mono())
            self.wake()
        if self._mono() >= self._next_ui_poll:
            self._next_ui_poll = self._mono() + 1.0
            try:
                self._downlink.poll_ui()
            except StoreError as exc:
                log.error("cannot check commands handed to the screen: %s", exc)
        self._periodic(self._mono())
        if self._connected:
            now = self._mono()
            if now >= self._next_resend_scan:
                self._resend_due(now)
            self._fill_window(now)
        self.state.inflight = len(self._inflight)
        self.state.extra["chunks_inflight"] = self.uploads.inflight

    def close(self, timeout: float = 2.0) -> None:
        """Say "offline" (retained) and disconnect cleanly; safe to call twice."""
        client = self._client
        if client is None:
            return
        if self._connected:
            try:
                info = client.publish(self.topics.status, contract.encode(self._status(False, "stopped")), 1, True)
                deadline = self._mono() + timeout
                while not info.is_published() and self._mono() < deadline:
                    if client.loop(timeout=0.05) != mqtt.MQTT_ERR_SUCCESS:
                        break
                client.on_disconnect = None
                client.disconnect()
                client.loop(timeout=0.05)
            except (OSError, ValueError, RuntimeError) as exc:
                log.info("clean disconnect failed: %s", exc)
        self._discard_client()
        log.info("link closed")

    def wake(self) -> None:
        """New rows may be in the store: ask for them on the next step instead of after the poll delay."""
        for lane in self._lanes:
            lane.idle_until = 0.0
        self.uploads.wake()

    def rewind(self) -> None:
        """Rows went back to pending ("resend since T"): read the outbox from the start again."""
        for lane in self._lanes:
            lane.cursor = 0
        self.wake()

    def _periodic(self, now: float) -> None:
        """Slow chores: tell the shell whether the hall is reachable, pick up rows another process re-queued,
        and keep the store tidy (retention purge, telemetry trim)."""
        if self._connected != self._noted_online or now >= self._next_link_note:
            self._note_link()
            self._next_link_note = now + HALL_LINK_REFRESH_S
        if now >= self._next_rewind:
            if self._next_rewind:  # not on the first step: the cursors start at 0 anyway
                self.rewind()  # e.g. `kiosk-provision outbox retry` re-queued confirmed rows behind our cursor
            self._next_rewind = now + REWIND_S
        if now >= self._next_housekeep:
            self._next_housekeep = now + HOUSEKEEP_S
            try:
                done = self._store.housekeep()
            except StoreError as exc:
                log.error("housekeeping failed: %s", exc)
            else:
                log.info("housekeeping: %s", done)

    def _note_link(self) -> None:
        try:
            self._store.set_setting(HALL_LINK.key, hall_link_value(self._connected, self._clock()))
        except StoreError as exc:
            log.warning("cannot record the hall link state: %s", exc)
            return
        self._noted_online = self._connected

    @property
    def connected(self) -> bool:
        """Whether the broker accepted the current connection."""
        return self._connected

    # ---------------------------------------------------------------------------------------- connection
    def _connect(self, now: float) -> None:
        self._connect_started = now
        try:
            client = self._factory(self._link, self._kiosk.id)
            will = contract.encode(self._status(False, "lost"))
            client.will_set(self.topics.status, will, qos=1, retain=True)
            client.on_connect = self._on_connect
            client.on_message = self._on_message
            client.on_disconnect = self._on_disconnect
            # Our window bounds what is in flight; paho's own limit would rescan every message on each PUBACK.
            client.max_inflight_messages_set(0)
            client.max_queued_messages_set(0)
            self._client = client
            client.connect(
                self._link.host,
                self._link.port,
                keepalive=self._link.keepalive_s,
                clean_start=False,  # keep the broker session (our subscription, queued acks) across short drops
                properties=connect_properties(self._session_expiry_s),
            )
            set_nodelay(client)
        except (OSError, ValueError, mqtt.WebsocketConnectionError) as exc:
            self._drop(f"connect to {self._link.host}:{self._link.port} failed: {exc}")

    def _on_connect(self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            self._refused = True  # the broker is there and said no: the full backoff applies, no probing
            self.state.last_error = f"broker refused the connection: {reason}"
            log.error("%s", self.state.last_error)
            return  # paho closes the socket; the loop reports it and we back off
        self._connected = True
        self._refused = False
        self.state.connected = True
        self.state.connects += 1
        self._retry_delay = self._link.retry_min_s
        # Paho does not honour the broker's Receive Maximum by itself: stay below it (one slot for the status).
        # Rows get mqtt.inflight; control messages and attachment chunks have their own slots beside them.
        budget = receive_maximum(props) - 1 - CONTROL_WINDOW - self.uploads.window
        self._window = max(1, min(self._link.inflight, budget))
        client.subscribe([(self.topics.down_filter, 1), (self.topics.hall_status(), 1)])
        client.publish(self.topics.status, contract.encode(self._status(True)), qos=1, retain=True)
        now = self._mono()
        for item in self._inflight.values():  # whatever was in flight may be gone with the old connection
            item.due = now
        self.uploads.link_reset(now)
        self._next_resend_scan = 0.0
        self.wake()
        log.info(
            "connected to %s:%d as %s (window %d, %d unacknowledged to resend)",
            self._link.host,
            self._link.port,
            self._kiosk.id,
            self._window,
            len(self._inflight),
        )

    def _on_disconnect(self, _client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if self._connected:
            self._drop(f"disconnected: {reason}")

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if self.online is not None and msg.topic == self.online.answer_topic:
            self.online.on_message(msg)  # held in memory only, never in the store
            return
        if msg.retain and msg.topic.startswith(self._hall_status_prefix):
            return  # a stored hall status (sent because we subscribed), not a hall instance coming online now
        self._incoming.append((msg.topic, bytes(msg.payload), user_properties(msg.properties)))

    def _drop(self, why: str, *, probe: bool = True) -> None:
        was = self._connected
        self._watch.armed = probe and not self._refused
        self._discard_client()
        self.state.last_error = why
        delay = self._retry_delay * self._rng.uniform(0.8, 1.2)  # jitter: a hall's kiosks do not reconnect in step
        self._next_connect = self._mono() + delay
        self._retry_delay = min(self._link.retry_max_s, self._retry_delay * 2)
        if was:
            self.state.drops += 1
            log.warning("link lost (%s); reconnecting in %.1f s", why, delay)
        else:
            log.info("%s; retrying in %.1f s", why, delay)

    def _discard_client(self) -> None:
        client, self._client = self._client, None
        self._connected = False
        self.state.connected = False
        if client is not None:
            client.on_disconnect = None
            sock = client.socket()
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()

    def _status(self, online: bool, reason: str = "") -> dict[str, Any]:
        versions = self._monitor.versions() if self._monitor is not None else None
        return contract.status_message(
            self._kiosk.id, self._kiosk.hall_id, online=online, at=self._clock(), reason=reason, versions=versions
        )

    # ------------------------------------------------------------------------------------------ incoming
    def _handle_incoming(self) -> None:
        if not self._incoming:
            return
        batch, self._incoming = self._incoming, []
        acked: list[str] = []
        for topic, payload, props in batch:
            parsed = contract.parse_topic(self._link.topic_root, topic)
            if parsed is not None and parsed.direction == "hall_status" and parsed.hall == self._kiosk.hall_id:
                self._hall_status(payload)
                continue
            if parsed is None or parsed.direction != "down" or parsed.kiosk != self._kiosk.id:
                log.warning("ignored a message on %s (not one of our downlink topics)", topic)
                continue
            if parsed.kind == "ack":
                acked.extend(self._downlink.parse_ack(payload, props))
            elif parsed.kind == attachment_wire.ACK_KIND:
                self._attachment_ack(payload, props)
            else:
                self._downlink.handle(parsed.kind, payload, props)
                self.wake()  # a result was probably enqueued
        if acked:
            self._confirm(acked)

    def _hall_status(self, payload: bytes) -> None:
        """A hall instance came online: what it has not acknowledged may have found no subscriber; resend now."""
        try:
            msg = contract.decode(payload)
            contract.validate("hall-status", msg)
        except contract.ContractError as exc:
            if payload:  # an empty payload is a cleared retained status
                log.warning("ignored a bad hall status: %s", exc)
            return
        if msg["online"] and (self._inflight or self.uploads.inflight):
            log.info("hall instance %s is online: resending %d unacknowledged", msg["instance"], len(self._inflight))
            now = self._mono()
            for item in self._inflight.values():
                item.due = min(item.due, now)
            self.uploads.link_reset(now)
            self._next_resend_scan = 0.0

    def _attachment_ack(self, payload: bytes, props: dict[str, str]) -> None:
        try:
            items = attachment_wire.check_ack(contract.decode(payload), self._link.hall_identity, props)
        except contract.ContractError as exc:
            log.warning("ignored a bad attachment ack: %s", exc)
            return
        if self.uploads.on_ack(items) and (first := self._held.release()) is not None:
            lane = next(lane for lane in self._lanes if lane.name == "citizen")  # it reads them again
            lane.cursor = min(lane.cursor, first - 1)
            lane.idle_until = 0.0

    def _confirm(self, keys: Iterable[str]) -> None:
        keys = list(dict.fromkeys(keys))
        now = self._mono()
        for key in keys:
            item = self._inflight.pop(key, None)
            if item is not None:
                self._lane_inflight[item.lane] -= 1
                self._acked_serial[item.lane] = max(self._acked_serial[item.lane], item.serial)
                if item.attempt == 1:
                    self._rtt += 0.125 * (now - item.sent - self._rtt)
        self._next_resend_scan = 0.0  # rows passed by these acknowledgements may be resent now
        try:
            confirm_many = getattr(self._store, "confirm_many", None)
            if confirm_many is not None:  # one transaction (one fsync) for the whole batch
                changed = int(confirm_many(keys))
            else:
                changed = sum(1 for key in keys if self._store.confirm(key))
        except StoreError as exc:
            # Not confirmed on disk: the rows stay pending and are sent again later; the hall acks copies too.
            log.error("cannot record %d acknowledgements: %s", len(keys), exc)
            return
        self.state.confirmed += changed

    # ---------------------------------------------------------------------------------------------- drain
    def _rooms(self) -> tuple[int, int]:
        """Free slots now for (control rows, other rows). Citizen and telemetry rows share the window; control
        rows may use its free slots and ``CONTROL_WINDOW`` more, which no other row can take (attachment chunks
        have their own ``chunk_window``). All of it stays below the broker's Receive Maximum."""
        others = len(self._inflight) - self._lane_inflight["control"]
        return self._window + CONTROL_WINDOW - len(self._inflight), self._window - others

    def _fill_window(self, now: float) -> None:
        for lane in self._lanes:
            control, rows_room = self._rooms()
            room = control if lane.name == "control" else rows_room
            if room <= 0 or now < lane.idle_until:
                continue
            limit = room
            try:
                rows = self._store.pending(limit=limit, kinds=lane.kinds, after_seq=lane.cursor, exclude=lane.skip)
                held = self._held.waiting(rows)
            except StoreError as exc:
                log.error("cannot read the outbox: %s", exc)
                lane.idle_until = now + self._poll_s
                continue
            for entry in rows:
                lane.cursor = entry.seq
                if entry.kind in lane.skip or entry.key in self._inflight:
                    continue
                if entry.key in held:
                    self._held.hold(entry)
                    continue
                if not self._publish(entry, 1, now, lane.name):
                    return
            if len(rows) < limit:
                lane.idle_until = now + self._poll_s
        self.uploads.fill(now, self._publish_chunk)  # the lane keeps its own window (chunk_window)

    def _publish_chunk(self, frame: bytes) -> bool:
        client = self._client
        if client is None:
            return False
        info = client.publish(self.topics.up(attachment_wire.CHUNK_KIND), frame, qos=1)
        if info.rc == mqtt.MQTT_ERR_NO_CONN:
            self._drop("publish: not connected")
            return False
        return info.rc == mqtt.MQTT_ERR_SUCCESS

    def _resend_due(self, now: float) -> None:
        self._next_resend_scan = now + 0.1  # scanning the window every step is wasted work at high rates
        early = max(EARLY_MIN_S, 3 * self._rtt)
        due = [
            item
            for item in self._inflight.values()
            if item.due <= now or (item.serial < self._acked_serial[item.lane] and now - item.sent >= early)
        ]
        due.sort(key=lambda item: item.entry.seq)  # resend in outbox order
        for item in due:
            timed_out = item.due <= now
            if not self._publish(item.entry, item.attempt + 1, now, item.lane):
                return
            self.state.resent += 1
            if not timed_out:
                continue  # an early resend is not counted in the store (one write per lost ack would cost more)
            try:
                self._store.record_attempt(item.entry.key)
            except StoreError as exc:
                log.warning("cannot count a send attempt: %s", exc)

    def _backoff(self, attempt: int) -> float:
        base = self._link.ack_timeout_s * (2 ** min(attempt - 1, 16))
        return min(base, max(self._link.ack_timeout_s, self._link.retry_max_s))

    def _publish(self, entry: OutboxEntry, attempt: int, now: float, lane: str = "telemetry") -> bool:
        """Publish one row; False when the link cannot take it now (the row stays for later)."""
        client = self._client
        if client is None:
            return False
        body = contract.encode_uplink(
            key=entry.key,
            kind=entry.kind,
            kiosk_id=self._kiosk.id,
            hall_id=self._kiosk.hall_id,
            seq=entry.seq,
            created_at=entry.created_at,
            sent_at=self._clock(),
            attempt=attempt,
            personal=entry.personal,
            payload_json=entry.payload_json,
        )
        info = client.publish(self.topics.up(entry.kind), body, qos=1)
        self._serial += 1
        previous = self._inflight.get(entry.key)
        if previous is None:
            self._lane_inflight[lane] += 1
        else:
            lane = previous.lane
        self._inflight[entry.key] = _Inflight(entry, attempt, now + self._backoff(attempt), lane, self._serial, now)
        if info.rc == mqtt.MQTT_ERR_NO_CONN:
            self._drop("publish: not connected")
            return False
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            log.warning("publish of %s refused by the client: %s", entry.key, mqtt.error_string(info.rc))
            return False
        self.state.published += 1
        return True
