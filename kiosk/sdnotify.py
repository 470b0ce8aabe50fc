"""systemd notification (sd_notify) without libsystemd: one datagram to ``$NOTIFY_SOCKET`` per message.

``READY=1`` once the process serves, ``WATCHDOG=1`` at least every ``WATCHDOG_USEC`` microseconds while it is
healthy, ``STOPPING=1`` on the way out. Without ``NOTIFY_SOCKET`` (not started by systemd, or not Type=notify)
every call does nothing and returns False.

``WATCHDOG_PID`` is deliberately not checked (libsystemd's ``sd_watchdog_enabled`` would): the screen runs as a
child of the cage compositor, which is the unit's main process, so WATCHDOG_PID names cage, and the unit's
``NotifyAccess=all`` is what lets the child's pings count.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class Notifier:
    """Sends sd_notify messages to the socket named in ``env`` (default: the process environment) when built."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):  # a socket in the abstract namespace
            address = "\0" + address[1:]
        self._address = address or None
        usec = env.get("WATCHDOG_USEC", "")
        self.watchdog_s: float | None = int(usec) / 1e6 if usec.isdigit() and int(usec) > 0 else None
        self.sent = 0
        self._warned = False

    @property
    def enabled(self) -> bool:
        """Whether a notification socket was given."""
        return self._address is not None

    def notify(self, *fields: str) -> bool:
        """Send one message made of ``fields`` (e.g. ``"READY=1", "STATUS=serving"``); False if not sent."""
        if self._address is None or not fields:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto("\n".join(fields).encode(), self._address)
        except OSError as exc:
            # Said once: a socket that went away would otherwise fill the journal at every ping.
            if not self._warned:
                log.warning("sd_notify %s failed: %s", fields[0], exc)
                self._warned = True
            return False
        self.sent += 1
        self._warned = False
        return True

    def ready(self, status: str = "") -> bool:
        """``READY=1`` (with a STATUS line when given)."""
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        """``WATCHDOG=1``: still alive."""
        return self.notify("WATCHDOG=1")

    def stopping(self, status: str = "") -> bool:
        """``STOPPING=1``: shutting down on purpose (systemd stops expecting pings)."""
        return self.notify("STOPPING=1", *([f"STATUS={status}"] if status else []))
