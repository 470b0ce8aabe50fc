"""systemd notification (sd_notify) without libsystemd: a datagram to ``$NOTIFY_SOCKET``, when it is set.

``READY=1`` once the agent runs, ``WATCHDOG=1`` while its loop turns, ``STOPPING=1`` on the way out. Without
``NOTIFY_SOCKET`` (not started by systemd, or Type= is not notify) every call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class Notifier:
    """Sends sd_notify messages to the socket named in the environment at construction time."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):  # abstract namespace socket
            address = "\0" + address[1:]
        self._address = address or None
        usec = env.get("WATCHDOG_USEC", "")
        self.watchdog_s: float | None = int(usec) / 1e6 if usec.isdigit() and int(usec) > 0 else None

    @property
    def enabled(self) -> bool:
        """Whether a notification socket was given."""
        return self._address is not None

    def notify(self, message: str) -> bool:
        """Send one message (e.g. ``READY=1``); False if there is no socket or sending failed."""
        if self._address is None:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.connect(self._address)
                sock.sendall(message.encode())
        except OSError as exc:
            log.warning("sd_notify %s failed: %s", message, exc)
            return False
        return True
