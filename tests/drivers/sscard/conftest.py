"""A real pcscd for the session and virtual social security cards (vicc) for it.

pcscd is one per machine (it always listens on /run/pcscd/pcscd.comm), so a test session first takes a
machine-wide lock (another run using pcscd, e.g. a colleague's full suite, is waited for), then ends a stale
pcscd left by an interrupted run, starts exactly one and stops it at the end. vpcd (the virtual reader driver)
gives the readers "Virtual PCD 00 00" (cards connect on TCP 35963) and "Virtual PCD 00 01" (35964).
Missing packages make the tests fail with what to install; they are never skipped.
"""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from drivers.base import device_thread
from drivers.sscard_reader.facade import PcscCardReader
from tests.drivers.sscard.vicc_card import VICC_PATH
from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[3]
RUN_DIR = Path("/run/pcscd")
SOCKET = RUN_DIR / "pcscd.comm"
PID_FILE = RUN_DIR / "pcscd.pid"
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
LOCK_FILE = Path("/tmp/selfservice-kiosk-pcscd-tests.lock")
LOCK_WAIT_S = 300
READER_0 = "Virtual PCD 00 00"
PORT_0 = 35963
READER_1 = "Virtual PCD 00 01"
PORT_1 = 35964
READERS = {PORT_0: READER_0, PORT_1: READER_1}


def _is_pcscd(pid: int) -> bool:
    """Whether ``pid`` is a live pcscd (a zombie still has its name but is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    name, state = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2]
    return name == "pcscd" and state != "Z"


@contextmanager
def machine_lock() -> Iterator[None]:
    """Hold the machine-wide pcscd test lock (released by the kernel if this process dies)."""
    with LOCK_FILE.open("a") as handle:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test run has held pcscd for {LOCK_WAIT_S} s ({LOCK_FILE})")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Pcscd:
    """pcscd in the foreground (-f) with APDU logging (-a) to a file; stop/start to simulate a restart."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._end_stale()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [shutil.which("pcscd") or "pcscd", "-f", "-a"], stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(lambda: SOCKET.exists() or self.process.poll() is not None, 10, "pcscd socket")
        if self.process.poll() is not None:
            raise AssertionError(f"pcscd exited with {self.process.returncode}; see {self.log_path}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        wait_until(lambda: not SOCKET.exists(), 5, "pcscd socket removed")

    def _end_stale(self) -> None:
        """End a pcscd an earlier, interrupted run left behind (by the pid it wrote, checked to be pcscd)."""
        try:
            pid = int(PID_FILE.read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if pid and _is_pcscd(pid):
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not _is_pcscd(pid), 5, f"stale pcscd {pid} ended")
        SOCKET.unlink(missing_ok=True)  # a socket without a daemon makes clients wait for nothing


class VirtualCard:
    """One ``python -m tests.drivers.sscard.vicc_card`` process; its output lines are collected."""

    def __init__(self, port: int, *args: str) -> None:
        self.port = port
        self.lines: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.drivers.sscard.vicc_card", "--port", str(port), *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, prefix: str, timeout_s: float = 10) -> str:
        """The next output line starting with ``prefix`` (fails after ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"vicc_card did not print {prefix!r} within {timeout_s} s")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line.startswith(prefix):
                return line

    def signal(self, sig: int) -> None:
        self.process.send_signal(sig)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=5)


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    """The machine's one pcscd, started for this session with the vpcd virtual readers."""
    missing = [
        what
        for what, ok in (
            ("pcscd (apt-get install pcscd)", shutil.which("pcscd") is not None),
            ("vpcd (apt-get install vsmartcard-vpcd)", VPCD_DRIVER.exists()),
            ("vicc (apt-get install python3-virtualsmartcard)", Path(VICC_PATH, "virtualsmartcard").is_dir()),
        )
        if not ok
    ]
    if missing:
        pytest.fail(f"smart card test bed incomplete, run scripts/setup.sh; missing: {', '.join(missing)}")
    with machine_lock():
        daemon = Pcscd(tmp_path_factory.mktemp("pcscd") / "pcscd.log")
        daemon.start()
        try:
            yield daemon
        finally:
            daemon.stop()


@pytest.fixture
def cards(pcscd: Pcscd) -> Iterator[Callable[..., VirtualCard]]:
    """Start virtual cards (``cards(port, *args)``); every one still running is killed after the test."""
    started: list[VirtualCard] = []

    def start(port: int = PORT_0, *args: str) -> VirtualCard:
        card = VirtualCard(port, *args)
        started.append(card)
        return card

    yield start
    for card in started:
        card.signal(signal.SIGCONT)  # a test may have frozen it
        card.kill()
    # pcscd notices a vanished card a little later; the next test must not find this one still "present".
    if pcscd.process is not None:
        for port in {card.port for card in started}:
            reader = PcscCardReader(READERS[port], timeout_s=3.0)
            with device_thread(reader):
                wait_until(lambda reader=reader: not reader.card_present(), 10, f"card on port {port} gone")
                reader.close()
