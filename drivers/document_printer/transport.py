"""The A4 printer's pipe: IPP to a CUPS scheduler through pycups (libcups), over its local socket or TCP.

Every request runs on a short-lived helper thread and is waited for at most ``timeout_s``: pycups has no timeout
of its own, and a frozen scheduler must give DeviceTimeout, never a hung device thread (the connection is then
left behind with its thread and a new one made). Failures map onto the driver family: the scheduler not there
or hanging up -> DeviceGone, overrun -> DeviceTimeout, an IPP error status -> DriverError with the status as
``code`` (a queue that does not exist: ``client-error-not-found``).

A document goes to CUPS from memory (Create-Job, then Send-Document streamed with ``startDocument`` /
``writeRequestData`` / ``finishDocument``): the kiosk never writes it to a file. CUPS keeps its own copy in its
spool while the job runs; :meth:`CupsLink.purge` removes the job and its files from CUPS once it is followed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from drivers.base import DeviceGone, DeviceTimeout, DriverError

log = logging.getLogger(__name__)

HTTP_CONTINUE = 100  # libcups' HTTP_STATUS_CONTINUE: the document may be sent (pycups has no constant for it)
IPP_OK_MAX = 0x00FF  # successful-ok .. successful-ok-events-complete
IPP_NOT_FOUND = 0x0406
IPP_SERVICE_UNAVAILABLE = 0x0502
CHUNK = 64 * 1024


def load_pycups() -> Any:
    """The ``cups`` module (pycups); DriverError when it is not installed."""
    try:
        import cups
    except ImportError as exc:
        raise DriverError("pycups is not installed (pip install pycups; needs libcups2-dev to build)") from exc
    return cups


def parse_server(server: str) -> tuple[str | None, int | None]:
    """``""`` (libcups' default: $CUPS_SERVER, client.conf, /run/cups/cups.sock), a socket path, ``host`` or
    ``host:port`` (631 by default) -> pycups' ``host``, ``port``."""
    server = server.strip()
    if not server:
        return None, None
    if server.startswith("/"):
        return server, None
    host, sep, port = server.rpartition(":")
    if not sep:
        return server, 631
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise DriverError(f"CUPS server {server!r}: expected a socket path, host or host:port")
    return host, int(port)


class CupsLink:
    """One connection to one CUPS scheduler, (re)made on demand; every call bounded by ``timeout_s``."""

    def __init__(self, server: str = "", *, timeout_s: float = 5.0, cups: Any = None) -> None:
        self.server = server
        self.host, self.port = parse_server(server)
        self.timeout_s = timeout_s
        self._cups = cups
        self._conn: Any = None
        self._lock = threading.Lock()  # one request at a time on one connection

    @property
    def name(self) -> str:
        """Where the scheduler is, for logs and status details."""
        return self.server or "default CUPS server"

    @property
    def cups(self) -> Any:
        """The pycups module (loaded on first use)."""
        if self._cups is None:
            self._cups = load_pycups()
        return self._cups

    # -- connection -------------------------------------------------------------------------------------------

    def connect(self) -> None:
        """Connect now (DeviceGone when the scheduler is not there)."""
        self._connection()

    def release(self) -> None:
        """Forget the connection (libcups closes it when the object goes); safe twice."""
        self._conn = None

    def _connection(self) -> Any:
        if self._conn is None:
            kwargs: dict[str, Any] = {}
            if self.host is not None:
                kwargs["host"] = self.host
            if self.port is not None:
                kwargs["port"] = self.port
            self._conn = self._bounded("connect", lambda: self.cups.Connection(**kwargs))
        return self._conn

    # -- requests ---------------------------------------------------------------------------------------------

    def printer_attributes(self, queue: str, attributes: Sequence[str]) -> dict[str, Any]:
        """Get-Printer-Attributes of ``queue`` (only ``attributes``)."""
        conn = self._connection()
        return self._bounded(
            "get printer attributes", lambda: conn.getPrinterAttributes(queue, requested_attributes=list(attributes))
        )

    def default_queue(self) -> str | None:
        """The scheduler's default destination (None when it has none)."""
        conn = self._connection()
        return self._bounded("get default", conn.getDefault)

    def job_attributes(self, job_id: int, attributes: Sequence[str]) -> dict[str, Any]:
        """Get-Job-Attributes of ``job_id`` (only ``attributes``)."""
        conn = self._connection()
        return self._bounded(
            "get job attributes", lambda: conn.getJobAttributes(job_id, requested_attributes=list(attributes))
        )

    def create_job(self, queue: str, title: str, options: Mapping[str, str]) -> int:
        """Create-Job: a new, still empty job named ``title``; its id."""
        conn = self._connection()
        return int(self._bounded("create job", lambda: conn.createJob(queue, title, dict(options))))

    def send_document(self, queue: str, job_id: int, data: bytes) -> None:
        """Send-Document: ``data`` (a PDF, from memory) as the job's one and last document, streamed in chunks."""
        conn = self._connection()
        self._bounded("send document", lambda: self._send(conn, queue, job_id, data), budget=self._send_budget(data))

    def cancel(self, job_id: int, *, purge: bool = False) -> None:
        """Cancel-Job; with ``purge`` also a finished job, removing it and its files from the scheduler."""
        conn = self._connection()
        self._bounded("cancel job", lambda: conn.cancelJob(job_id, purge_job=purge))

    def purge(self, job_id: int) -> bool:
        """Remove a finished job and its document from the scheduler's history and spool; False when it could
        not (already gone, or not allowed): logged, never raised, since the job itself is over."""
        try:
            self.cancel(job_id, purge=True)
        except DriverError as exc:
            log.warning("job %d: could not purge it from CUPS: %s", job_id, exc)
            return False
        return True

    def _send(self, conn: Any, queue: str, job_id: int, data: bytes) -> None:
        status = conn.startDocument(queue, job_id, "document.pdf", "application/pdf", 1)
        if status != HTTP_CONTINUE:
            raise DriverError(f"CUPS refused the document (HTTP {status})", code=str(status))
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            chunk = bytes(view[start : start + CHUNK])
            status = conn.writeRequestData(chunk, len(chunk))
            if status != HTTP_CONTINUE:
                raise DriverError(f"CUPS stopped taking the document (HTTP {status})", code=str(status))
        ipp_status = conn.finishDocument(queue)
        if ipp_status > IPP_OK_MAX:
            raise DriverError(f"CUPS did not accept the document (IPP status 0x{ipp_status:04x})", code=hex(ipp_status))

    def _send_budget(self, data: bytes) -> float:
        # A local scheduler takes megabytes per second; allow one second per MB beyond the usual bound.
        return self.timeout_s + len(data) / 1_000_000

    def _bounded(self, what: str, fn: Callable[[], Any], *, budget: float | None = None) -> Any:
        """``fn()`` on a helper thread, waited for ``budget`` (default ``timeout_s``); pycups errors translated."""
        result: list[Any] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                result.append(fn())
            except BaseException as exc:  # handed to the caller's thread below
                failure.append(exc)

        with self._lock:
            helper = threading.Thread(target=run, name=f"cups-{what}", daemon=True)
            started = time.monotonic()
            helper.start()
            helper.join(budget if budget is not None else self.timeout_s)
            if helper.is_alive():
                # Stuck inside libcups with the connection: leave both behind, start afresh next time.
                self._conn = None
                raise DeviceTimeout(
                    f"CUPS ({self.name}): {what} did not return within {time.monotonic() - started:.1f} s"
                )
        if failure:
            raise self._translate(what, failure[0]) from failure[0]
        return result[0]

    def _translate(self, what: str, exc: BaseException) -> DriverError:
        """A pycups / libcups failure as a driver error (and the connection dropped when it is broken)."""
        if isinstance(exc, DriverError):
            return exc
        cups = self.cups
        if isinstance(exc, cups.IPPError):
            status, message = (*exc.args, 0, "")[:2]
            if status == IPP_SERVICE_UNAVAILABLE or (status == 0x0500 and "connect" in str(message).lower()):
                self._conn = None
                return DeviceGone(f"CUPS ({self.name}) is not reachable: {message}", code=hex(int(status)))
            return DriverError(f"CUPS ({self.name}): {what}: {message}", code=hex(int(status)))
        if isinstance(exc, cups.HTTPError | RuntimeError | OSError):
            self._conn = None
            return DeviceGone(f"CUPS ({self.name}) is not reachable ({what}: {exc})")
        return DriverError(f"CUPS ({self.name}): {what}: {type(exc).__name__}: {exc}")
