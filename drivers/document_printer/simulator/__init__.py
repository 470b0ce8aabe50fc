"""The far end of the A4 printer's wire: a private CUPS scheduler (``cupsd -f``) with one cups-pdf queue.

The kiosk's real pycups code talks IPP to it exactly as to the kiosk's own CUPS; cups-pdf "prints" each job as
a PDF file in ``out_dir`` (read back with pdftotext / pdftoppm). Printer conditions are made the way a real
printer's backend makes them, on the real scheduler: :meth:`CupsSimulator.set_condition` sets the queue's
printer-state-reasons (media-empty-error, door-open-error, ...) and, where a real printer would stop, holds the
jobs (they wait in the queue's filter, as on a printer without paper); the queue can be paused, made to reject
jobs or to fail them, and the scheduler stopped, frozen or restarted.

It needs root (cups-pdf runs as root and reads its settings from /etc/cups) and Debian's cups,
printer-driver-cups-pdf and ghostscript; without them :meth:`start` raises DriverError saying what is missing,
and the kiosk reports the A4 printer absent (certificate services unavailable). See :mod:`.files` for the traps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

from drivers.base import DeviceGone, DriverError
from drivers.document_printer.simulator import files
from drivers.document_printer.simulator.ipp import set_printer_state
from drivers.document_printer.transport import load_pycups

log = logging.getLogger(__name__)

# Named printer conditions: the reasons a real printer's backend would report, and whether jobs wait.
CONDITIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "ok": ((), False),
    "paper_low": (("media-low-warning",), False),
    "paper_out": (("media-empty-error",), True),
    "jam": (("media-jam-error",), True),
    "door_open": (("door-open-error",), True),
    "toner_low": (("toner-low-report",), False),
    "toner_empty": (("toner-empty-error",), True),
    "offline": (("offline-report",), True),
}
_OUTPUT = re.compile(r"(?:^|-)job_(\d+)(?:-|\.pdf$)")


class CupsSimulator:
    """A private cupsd in its own folder, with the queue ``queue`` printing PDF files into ``out_dir`` (default:
    a folder of its own, removed on close). ``tcp`` also listens on a free 127.0.0.1 port (:attr:`port`);
    ``max_request`` caps the size of a request (cupsd's MaxRequestSize, "0": none)."""

    def __init__(
        self,
        *,
        queue: str = "A4",
        out_dir: Path | None = None,
        tcp: bool = False,
        max_request: str = "0",
        start_timeout_s: float = 10.0,
    ) -> None:
        self.queue = queue
        self.max_request = max_request  # cupsd's MaxRequestSize: larger documents are refused mid-send
        self.out_dir = out_dir
        self.tcp = tcp
        self.start_timeout_s = start_timeout_s
        self.run_dir: Path | None = None
        self.port: int | None = None
        self.instance = f"kiosk{os.getpid()}x{secrets.token_hex(3)}"
        self.condition = "ok"
        self._proc: subprocess.Popen | None = None
        self._instance_conf: Path | None = None
        self._cups: Any = None

    @property
    def socket_path(self) -> str:
        """The scheduler's local socket (the ``server`` the facade connects to)."""
        if self.run_dir is None:
            raise DriverError("the simulated cupsd is not started")
        return str(self.run_dir / "cups.sock")

    @property
    def server(self) -> str:
        """Where the facade finds the scheduler: its socket."""
        return self.socket_path

    @property
    def running(self) -> bool:
        """Whether the scheduler process is alive."""
        return self._proc is not None and self._proc.poll() is None

    # -- life ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Write the files, start the scheduler, add the queue; DriverError saying why when it cannot."""
        if os.geteuid() != 0:
            raise DriverError(
                "the simulated A4 printer needs root (cups-pdf runs as root and reads /etc/cups); "
                "certificate printing is unavailable"
            )
        missing = files.missing_parts()
        if missing:
            raise DriverError(f"the simulated A4 printer needs: {', '.join(missing)} (scripts/setup.sh installs them)")
        self._cups = load_pycups()
        self.run_dir = Path(tempfile.mkdtemp(prefix="kiosk-cupsd-"))
        self.run_dir.chmod(0o755)  # cupsd's filters run as lp and must reach it
        out = self.out_dir if self.out_dir is not None else self.run_dir / "out"
        out.mkdir(parents=True, exist_ok=True)
        self.out_dir = out
        try:
            self.port = _free_port() if self.tcp else None
            files.remove_stale_instances()
            files.write_scheduler(self.run_dir, port=self.port, max_request=self.max_request)
            ppd = files.write_queue_files(self.run_dir)
            self._instance_conf = files.write_instance_conf(self.instance, self.run_dir, out)
            self.start_daemon()
            conn = self.admin()
            conn.addPrinter(self.queue, filename=str(ppd), device=f"cups-pdf:/{self.instance}",
                            info="Kiosk simulated A4 printer", location="simulator")  # fmt: skip
            conn.setPrinterErrorPolicy(self.queue, "abort-job")  # a failed job fails; the queue goes on
            conn.enablePrinter(self.queue)
            conn.acceptJobs(self.queue)
        except BaseException:
            self.close()
            raise
        log.info("simulated A4 printer: queue %r on %s, printouts in %s", self.queue, self.socket_path, out)

    def start_daemon(self) -> None:
        """Start the scheduler (again) and wait until it answers."""
        if self.running:
            return
        assert self.run_dir is not None
        socket_file = self.run_dir / "cups.sock"
        socket_file.unlink(missing_ok=True)
        cmd = ["cupsd", "-f", "-c", str(self.run_dir / "cupsd.conf"), "-s", str(self.run_dir / "cups-files.conf")]
        self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # A program that exits without close() must not leave its scheduler running.
        weakref.finalize(self, _terminate, self._proc)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                raise DriverError(f"the simulated cupsd exited ({self._proc.returncode}): {err.strip()[:300]}")
            if socket_file.exists():
                with contextlib.suppress(RuntimeError):
                    self._cups.Connection(host=str(socket_file)).getPrinters()
                    return
            time.sleep(0.02)
        self.stop_daemon()
        raise DriverError(f"the simulated cupsd did not answer within {self.start_timeout_s:.0f} s")

    def stop_daemon(self) -> None:
        """Stop the scheduler (the A4 printer's CUPS goes away); :meth:`start_daemon` brings it back."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)  # a frozen one could not stop
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stderr is not None:
            proc.stderr.close()

    def freeze(self, frozen: bool = True) -> None:
        """Stop (SIGSTOP) or resume (SIGCONT) the scheduler: requests to a frozen one hang."""
        if self._proc is None:
            raise DriverError("the simulated cupsd is not running")
        self._proc.send_signal(signal.SIGSTOP if frozen else signal.SIGCONT)

    def close(self) -> None:
        """Stop the scheduler, remove the cups-pdf instance file and the folder; printouts in a given
        ``out_dir`` stay. Safe twice."""
        self.stop_daemon()
        if self._instance_conf is not None:
            self._instance_conf.unlink(missing_ok=True)
            self._instance_conf = None
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    # -- printer conditions ----------------------------------------------------------------------------------

    def set_condition(self, name: str) -> None:
        """One of :data:`CONDITIONS`: its reasons on the queue, and jobs held where a real printer would stop."""
        if name not in CONDITIONS:
            raise ValueError(f"unknown printer condition {name!r}; one of {', '.join(CONDITIONS)}")
        reasons, hold = CONDITIONS[name]
        self.set_reasons(*reasons)
        self.hold_jobs(hold)
        self.condition = name

    def set_reasons(self, *reasons: str, message: str | None = None) -> None:
        """Set the queue's printer-state-reasons (none given: "none") and, if given, its message."""
        set_printer_state(self.socket_path, self.queue, reasons, message)

    def hold_jobs(self, on: bool = True) -> None:
        """Jobs wait in the queue's filter while on (no progress), and go on when off."""
        self._flag(files.HOLD_FLAG, on)

    def fail_jobs(self, on: bool = True) -> None:
        """Jobs fail while on: the queue's device fails every write (CUPS stops the job; nothing comes out)."""
        device = files.FAILING_DEVICE if on else f"cups-pdf:/{self.instance}"
        self.admin().setPrinterDevice(self.queue, device)

    def pause(self, paused: bool = True) -> None:
        """Stop (cupsdisable) or start the queue."""
        conn = self.admin()
        (conn.disablePrinter if paused else conn.enablePrinter)(self.queue)

    def accept_jobs(self, accepting: bool = True) -> None:
        """Accept or reject (cupsreject) new jobs."""
        conn = self.admin()
        (conn.acceptJobs if accepting else conn.rejectJobs)(self.queue)

    # -- printouts -------------------------------------------------------------------------------------------

    def outputs(self) -> list[Path]:
        """The PDF files printed so far, oldest first."""
        if self.out_dir is None or not self.out_dir.exists():
            return []
        return sorted((p for p in self.out_dir.iterdir() if p.suffix == ".pdf"), key=lambda p: p.stat().st_mtime)

    def output_for(self, job_id: int) -> Path | None:
        """The PDF file job ``job_id`` printed (None: not (yet) printed)."""
        for path in self.outputs():
            m = _OUTPUT.search(path.name)
            if m and int(m.group(1)) == job_id:
                return path
        return None

    def admin(self) -> Any:
        """A pycups connection to the scheduler as its administrator (root, over the socket)."""
        try:
            return self._cups.Connection(host=self.socket_path)
        except RuntimeError as exc:
            raise DeviceGone(f"the simulated cupsd is not answering: {exc}") from exc

    # -- internals -------------------------------------------------------------------------------------------

    def _flag(self, name: str, on: bool) -> None:
        if self.run_dir is None:
            raise DriverError("the simulated cupsd is not started")
        flag = self.run_dir / name
        if on:
            flag.touch()
        else:
            flag.unlink(missing_ok=True)


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGCONT)
        proc.terminate()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
