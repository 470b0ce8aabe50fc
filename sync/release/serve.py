"""A reference HTTPS server for a release repository: static files, mutual TLS (a kiosk's certificate from the
hall's CA is required), no directory listings.

Any web server that serves ``metadata/`` and ``targets/`` and demands a client certificate will do (nginx:
``ssl_verify_client on``); this one needs nothing beyond Python and is what the tests and small halls use. The
TLS handshake runs on the connection's own thread, so a slow client cannot hold up the others.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_S = 30.0
SERVED = ("/metadata/", "/targets/")


def server_context(*, cert: Path, key: Path, ca: Path) -> ssl.SSLContext:
    """TLS 1.2+ with our certificate; clients must present one issued by ``ca``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    context.load_verify_locations(cafile=str(ca))
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class _Handler(SimpleHTTPRequestHandler):
    """Files under metadata/ and targets/ only; no listings; requests logged with the client's name."""

    def send_head(self) -> Any:
        path = self.path.split("?", 1)[0]
        if not path.startswith(SERVED) or path.endswith("/") or "/." in path:
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path: str | Path) -> None:
        self.send_error(404)
        return None

    def log_message(self, format: str, *args: Any) -> None:
        peer = "?"
        if isinstance(self.connection, ssl.SSLSocket):
            subject = dict(x[0] for x in (self.connection.getpeercert() or {}).get("subject", ()))
            peer = subject.get("commonName", "?")
        log.info("%s %s " + format, self.client_address[0], peer, *args)


class RepositoryServer(ThreadingHTTPServer):
    """Serves ``directory`` over HTTPS with client certificates required."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], directory: Path, context: ssl.SSLContext) -> None:
        super().__init__(address, partial(_Handler, directory=str(directory)))
        self.context = context

    def get_request(self) -> tuple[Any, Any]:
        sock, address = self.socket.accept()
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(HANDSHAKE_TIMEOUT_S)
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError) as exc:
            log.info("TLS handshake with %s refused: %s", client_address[0], exc)
            return
        super().finish_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with contextlib.suppress(OSError):
            request.shutdown(socket.SHUT_RDWR)
        request.close()

    @property
    def port(self) -> int:
        """The port it listens on (useful with port 0)."""
        return self.server_address[1]
