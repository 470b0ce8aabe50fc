"""One-shot broker check: connect as the kiosk (same TLS settings as the agent), wait for CONNACK, leave.

The hall broker names every client after its certificate (``use_username_as_clientid``), so this check *is* the
kiosk for a moment: a running agent is disconnected and reconnects by itself. So that nothing of the agent's is
lost meanwhile, the check resumes the kiosk's session as the agent would (``clean_start`` false, the same
session expiry) and never acknowledges a message: whatever the broker hands it stays queued for the agent.
On a broker without that setting the suffixed client id below keeps the two apart.
"""

from __future__ import annotations

import logging
import os
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt

from kiosk.config import Config
from sync.transport import connect_properties, make_client

log = logging.getLogger(__name__)

SESSION_EXPIRY_S = 3600  # the agent's (sync.agent.Agent session_expiry_s): resuming must not shorten it


@dataclass(frozen=True)
class BrokerCheck:
    """The outcome of one connection attempt."""

    ok: bool
    detail: str
    fix: str = ""


def _fix_for(config: Config, reason: str) -> str:
    link = config.mqtt
    if "certificate" in reason.lower() or "ssl" in reason.lower() or "tls" in reason.lower():
        return (
            "check the kiosk's certificate and the hall CA (kiosk-provision doctor; enroll again if needed) "
            "and that the broker's certificate names this host"
        )
    if "not authorised" in reason.lower() or "bad user" in reason.lower():
        return f"ask the hall to allow kiosk {config.kiosk.id!r} on the broker (certificate CN and ACL)"
    return f"check the network cable/Wi-Fi and that the hall broker {link.host}:{link.port} is up (ping {link.host})"


def check_broker(
    config: Config, *, timeout_s: float = 10.0, clock: Callable[[], float] = time.monotonic
) -> BrokerCheck:
    """Connect to ``config.mqtt`` once and say whether the broker accepted this kiosk."""
    link = config.mqtt
    where = f"{link.host}:{link.port}{' (TLS)' if link.tls else ''}"
    result: dict[str, object] = {}

    def on_connect(_c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        result["reason"] = reason

    try:
        client = make_client(link, f"{config.kiosk.id}-provision-{os.getpid()}")
        client.on_connect = on_connect
        client.manual_ack_set(True)  # a message of the agent's session handed to us stays unacknowledged: resent
        client.connect(
            link.host,
            link.port,
            keepalive=max(5, int(timeout_s)),
            clean_start=False,
            properties=connect_properties(SESSION_EXPIRY_S),
        )
    except (OSError, ValueError, ssl.SSLError) as exc:
        return BrokerCheck(False, f"{where}: cannot connect: {exc}", _fix_for(config, str(exc)))
    deadline = clock() + timeout_s
    try:
        while "reason" not in result and clock() < deadline:
            rc = client.loop(timeout=0.1)
            if rc != mqtt.MQTT_ERR_SUCCESS:
                text = mqtt.error_string(rc)
                return BrokerCheck(False, f"{where}: connection lost: {text}", _fix_for(config, text))
        reason = result.get("reason")
        if reason is None:
            return BrokerCheck(False, f"{where}: no answer within {timeout_s:.0f} s", _fix_for(config, "timeout"))
        if getattr(reason, "is_failure", False):
            return BrokerCheck(False, f"{where}: refused: {reason}", _fix_for(config, str(reason)))
        return BrokerCheck(True, f"{where}: connected as {config.kiosk.id}")
    finally:
        try:
            client.disconnect()
            client.loop(timeout=0.05)
        except (OSError, ValueError) as exc:  # already gone: nothing to close
            log.debug("disconnect after the check: %s", exc)
