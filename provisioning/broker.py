"""One-shot broker check: connect as the kiosk (same TLS settings as the agent), wait for CONNACK, leave.

The client id is the kiosk id with a ``-provision`` suffix: connecting with the agent's own id would make the
broker drop the running agent's session.
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
from sync.transport import make_client

log = logging.getLogger(__name__)


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
        client.connect(link.host, link.port, keepalive=max(5, int(timeout_s)))
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
