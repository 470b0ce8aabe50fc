"""Wiring online requests into the kiosk's sync agent: a :class:`Relay` on the agent, a :class:`LocalServer`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sync.online.local_server import LocalServer
from sync.online.relay import Relay

if TYPE_CHECKING:
    from kiosk.config import Config
    from sync.agent import Agent

log = logging.getLogger(__name__)


def attach(agent: Agent, config: Config) -> Relay:
    """Give ``agent`` a relay for ``config``'s kiosk (answers arrive on its ``down/answer`` topic)."""
    relay = Relay(
        kiosk_id=config.kiosk.id,
        hall_id=config.kiosk.hall_id,
        topic_root=config.mqtt.topic_root,
        hall_identity=config.mqtt.hall_identity,
    )
    agent.online = relay
    return relay


def serve(agent: Agent, config: Config) -> LocalServer | None:
    """Attach a relay and serve the screen process on ``config.online_socket``; None (logged) if it cannot bind.

    Without the socket the kiosk still delivers its outbox; the screens then answer every online request with
    ``no_link``.
    """
    server = LocalServer(config.online_socket, attach(agent, config))
    try:
        server.start()
    except OSError as exc:
        log.error("cannot serve online requests on %s: %s", config.online_socket, exc)
        return None
    return server
