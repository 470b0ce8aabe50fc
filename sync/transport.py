"""Building paho-mqtt clients: MQTT 5, paho 2.x callbacks, optional mutual TLS. Nothing broker-specific.

Both the kiosk agent and the reference hall make their clients here, so TLS and protocol settings are the same on
both ends. A factory is injected into the agent: every connection attempt gets a fresh client, so nothing of a
dead connection's in-memory state (paho keeps in-flight QoS 1 messages only in memory) leaks into the next one;
durability comes from the kiosk's store.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties


class LinkSettings(Protocol):
    """Where and how to connect (``kiosk.config.MqttSection`` has these)."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def tls(self) -> bool: ...
    @property
    def ca_file(self) -> Path | None: ...
    @property
    def cert_file(self) -> Path | None: ...
    @property
    def key_file(self) -> Path | None: ...
    @property
    def keepalive_s(self) -> int: ...


ClientFactory = Callable[[LinkSettings, str], mqtt.Client]


def make_client(link: LinkSettings, client_id: str) -> mqtt.Client:
    """A new MQTT 5 client for ``link``; with ``link.tls`` it presents its certificate and checks the broker's."""
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv5,
        reconnect_on_failure=False,  # the caller owns reconnecting (with its own backoff and a fresh client)
    )
    if link.tls:
        if not (link.ca_file and link.cert_file and link.key_file):
            raise ValueError("TLS needs ca_file, cert_file and key_file")
        client.tls_set(
            ca_certs=str(link.ca_file),
            certfile=str(link.cert_file),
            keyfile=str(link.key_file),
            cert_reqs=ssl.CERT_REQUIRED,
            tls_version=ssl.PROTOCOL_TLS_CLIENT,
        )
    return client


def set_nodelay(client: mqtt.Client) -> None:
    """Turn off Nagle's algorithm on the client's socket: an ack held back 40 ms stalls the whole window."""
    sock = client.socket()
    if sock is not None:
        with contextlib.suppress(OSError):  # not TCP (a unix socket): nothing to turn off
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def connect_properties(session_expiry_s: int) -> Properties:
    """CONNECT properties: keep the broker-side session (subscriptions, queued QoS 1) for a while after a drop."""
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = session_expiry_s
    return props


def publish_properties(**user: str) -> Properties | None:
    """PUBLISH properties carrying MQTT 5 user properties (e.g. ``sender="hall"``)."""
    if not user:
        return None
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = list(user.items())
    return props


def user_properties(properties: Properties | None) -> dict[str, str]:
    """The user properties of a received message, as a dict (the last value wins)."""
    pairs = getattr(properties, "UserProperty", None) or []
    return {str(k): str(v) for k, v in pairs}


def receive_maximum(properties: Properties | None, default: int = 65535) -> int:
    """The broker's Receive Maximum from CONNACK: how many QoS 1 publishes it accepts unacknowledged."""
    value = getattr(properties, "ReceiveMaximum", None)
    return int(value) if value else default


class PortProbe:
    """A non-blocking TCP connect to the broker's port: does it accept connections again?

    While the agent backs off after losing the broker, it probes every second or so: a bare TCP handshake costs
    the broker next to nothing (no TLS, no MQTT session), so a returning broker is noticed within about a second
    instead of after the whole backoff delay, which reaches ``retry_max_s`` during a long outage.
    """

    def __init__(self, host: str, port: int, timeout_s: float = 1.0) -> None:
        self._sock: socket.socket | None = None
        self._deadline = time.monotonic() + timeout_s
        try:
            family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
            self._sock = socket.socket(family, kind, proto)
            self._sock.setblocking(False)
            self._sock.connect_ex(address)
        except OSError:
            self.close()

    def poll(self) -> bool | None:
        """True: the port accepted; False: refused, unreachable or timed out; None: not known yet."""
        sock = self._sock
        if sock is None:
            return False
        try:
            _, writable, _ = select.select([], [sock], [], 0)
            if writable:
                return sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        except (OSError, ValueError):
            return False
        return False if time.monotonic() > self._deadline else None

    def close(self) -> None:
        """Drop the socket (the broker sees a connection opened and closed)."""
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()


class BrokerWatch:
    """While the agent backs off after a network failure, a :class:`PortProbe` about every ``interval_s``
    (jittered); :meth:`returned` says when the broker's port accepts again. Not after the broker refused us: then
    the backoff holds (probing would turn a refusal into a reconnect every second)."""

    def __init__(self, host: str, port: int, rng: random.Random, interval_s: float = 1.0) -> None:
        self._host, self._port, self._rng, self._interval_s = host, port, rng, interval_s
        self._probe: PortProbe | None = None
        self._next = 0.0
        self.armed = False  # set by the agent: the last failure was the network's

    def returned(self, now: float, wait_left: float) -> bool:
        """Poll (non-blocking); True once the port accepted a connection during the wait."""
        if not self.armed or wait_left < self._interval_s / 2:
            return False
        if self._probe is None:
            if now >= self._next:
                self._next = now + self._interval_s * self._rng.uniform(0.5, 1.0)
                self._probe = PortProbe(self._host, self._port)
            return False
        result = self._probe.poll()
        if result is None:
            return False
        self._probe.close()
        self._probe = None
        return result
