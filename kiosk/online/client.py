"""The screen process's side of online requests: ask the sync agent over its Unix socket, get plain data back.

Every call blocks until the answer, the timeout, or a failure, and never raises for any of them: it returns a
:class:`~kiosk.online.results.Result` whose ``status`` says what happened and whose ``problem`` carries the words
for the citizen. Call it off the GUI thread (a worker thread or a ``QThreadPool`` task). Nothing is logged with
personal data, and nothing is written to disk.

    client = OnlineClient.from_config(config)
    result = client.query("mi_account_query", identity)
    if result.ok:
        show_table(result.value)            # Table: title, columns, rows
    else:
        say(result.problem.message, result.problem.advice)
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.online.framing import PROTOCOL_VERSION, FrameError, read_frame, socket_address, write_frame
from kiosk.online.outcomes import HALL_STATUSES, Status
from kiosk.online.results import Certificate, Progress, Result, SignIn, Table

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.identity import Identity

log = logging.getLogger(__name__)

T = TypeVar("T")
KINDS = ("query", "certificate", "progress", "signin")
GRACE_S = 2.0  # the agent answers "timeout" itself at the deadline; this covers an agent that hangs


def identity_fields(identity: Identity) -> dict[str, str]:
    """What a request says about the citizen: name, ID number, and how the identity was established."""
    return {"name": identity.name, "id_number": identity.id_number, "assurance": identity.source}


class OnlineClient:
    """Asks the hall through the sync agent. Thread-safe: each thread keeps its own connection to the agent."""

    def __init__(
        self,
        socket_path: Path,
        *,
        timeout_s: float = 5.0,
        certificate_timeout_s: float = 15.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.socket_path = Path(socket_path)
        self.timeout_s = timeout_s
        self.certificate_timeout_s = certificate_timeout_s
        self._mono = monotonic
        self._local = threading.local()  # this thread's connection, kept between calls

    @classmethod
    def from_config(cls, config: Config) -> OnlineClient:
        """A client for the agent of this kiosk (``[online]`` settings)."""
        return cls(
            config.online_socket,
            timeout_s=config.online.request_timeout_s,
            certificate_timeout_s=config.online.certificate_timeout_s,
        )

    # ------------------------------------------------------------------------------------------ the API
    def query(self, service: str, identity: Identity | None, params: Mapping[str, str] | None = None) -> Result[Table]:
        """A department record query for ``service`` (a catalog service id) about the citizen."""
        body: dict[str, Any] = {"service": service, "params": dict(params or {})}
        if identity is not None:
            body["identity"] = identity_fields(identity)
        return self._ask("query", body, self.timeout_s, Table.from_wire)

    def certificate(
        self, service: str, identity: Identity, params: Mapping[str, str] | None = None
    ) -> Result[Certificate]:
        """A certificate for ``service``, rendered by the hall as an A4 PDF with a verification code."""
        body = {"service": service, "identity": identity_fields(identity), "params": dict(params or {})}
        return self._ask("certificate", body, self.certificate_timeout_s, Certificate.from_wire)

    def progress(self, reference: str) -> Result[Progress]:
        """Where a submission stands: ``reference`` as typed from a receipt, or the receipt's QR text."""
        return self._ask("progress", {"reference": reference.strip()}, self.timeout_s, Progress.from_wire)

    def signin(self, code: str) -> Result[SignIn]:
        """Sign in with the code the citizen's phone shows; the hall answers with the identity."""
        return self._ask("signin", {"code": code.strip()}, self.timeout_s, SignIn.from_wire)

    def link_up(self, timeout_s: float = 1.0) -> bool:
        """Whether the agent is running and connected to the hall's broker right now."""
        try:
            reply = self._exchange({"v": PROTOCOL_VERSION, "op": "ping"}, timeout_s)
        except (OSError, FrameError, TimeoutError):
            return False
        return reply.get("link") is True

    # ------------------------------------------------------------------------------------------ helpers
    def _ask(
        self, kind: str, body: dict[str, Any], timeout_s: float, parse: Callable[[dict[str, Any]], T]
    ) -> Result[T]:
        frame = {"v": PROTOCOL_VERSION, "op": "request", "kind": kind, "timeout_s": timeout_s, "body": body}
        started = self._mono()
        try:
            reply = self._exchange(frame, timeout_s + GRACE_S)
        except TimeoutError:
            log.warning("online %s: the sync agent did not reply within %.1f s", kind, timeout_s + GRACE_S)
            return Result.failed(Status.TIMEOUT, error="the sync agent did not reply")
        except (OSError, FrameError) as exc:
            log.warning("online %s: cannot reach the sync agent: %s", kind, type(exc).__name__)
            return Result.failed(Status.NO_LINK, error=f"sync agent unreachable: {type(exc).__name__}")
        result = self._result(kind, reply, parse)
        log.info("online %s: %s in %.0f ms", kind, result.status.value, (self._mono() - started) * 1000)
        return result

    def _result(self, kind: str, reply: dict[str, Any], parse: Callable[[dict[str, Any]], T]) -> Result[T]:
        try:
            status = Status(reply["status"])
        except (KeyError, ValueError, TypeError):
            return Result.failed(Status.BAD_ANSWER, error="the agent's reply has no known status")
        error = reply.get("error") if isinstance(reply.get("error"), str) else ""
        if status is not Status.OK:
            reason = reply.get("reason") if isinstance(reply.get("reason"), str) else ""
            if status not in HALL_STATUSES and status not in (Status.NO_LINK, Status.TIMEOUT, Status.BAD_ANSWER):
                status = Status.BAD_ANSWER
            return Result.failed(status, reason, error)
        try:
            value = parse(reply["result"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("online %s: the answer does not fit: %s", kind, type(exc).__name__)
            return Result.failed(Status.BAD_ANSWER, error=f"answer does not fit: {type(exc).__name__}")
        return Result(Status.OK, value)

    def close(self) -> None:
        """Close this thread's connection to the agent (the next call opens a new one)."""
        sock = getattr(self._local, "sock", None)
        self._local.sock = None
        if sock is not None:
            sock.close()

    def _connect(self, timeout_s: float) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout_s)
            with socket_address(self.socket_path) as address:
                sock.connect(address)
        except OSError:
            sock.close()
            raise
        return sock

    def _exchange(self, frame: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        deadline = self._mono() + timeout_s
        reused = getattr(self._local, "sock", None)
        sock = reused or self._connect(timeout_s)
        self._local.sock = None  # put back only after a whole exchange: a broken one is never reused
        try:
            sock.settimeout(timeout_s)
            write_frame(sock, frame)
            sock.settimeout(max(0.01, deadline - self._mono()))
            reply = read_frame(sock)
        except (OSError, FrameError) as exc:
            sock.close()
            stale = isinstance(exc, BrokenPipeError | ConnectionResetError) or str(exc) == "closed"
            if reused is None or not stale:
                raise
            # The agent closed an idle connection (or restarted) before reading this frame: ask once more anew.
            return self._exchange(frame, max(0.01, deadline - self._mono()))
        self._local.sock = sock
        return reply
