"""A private service hall for the headless demo, on loopback: a mosquitto, the reference hall (``kiosk-hall run``
with its sample departments) and the demo kiosk's own sync agent (``kiosk-sync``), each its own process, as on a
real kiosk and hall. The shell talks to the agent through its Unix socket exactly as in production.

The demo uses the hall's operator commands as a clerk would: ``kiosk-hall signin-code`` stands for the code the
citizen's phone shows, ``kiosk-hall progress set`` for a clerk moving an application on. Nothing here imports the
hall or the agent (the screen process never does): they are programs started with this interpreter.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.config import Config
from kiosk.online import OnlineClient, Status

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]  # the source tree the hall and the agent run from
PROBE = "KSK-DEMO-00-000101-0000"  # a reference no kiosk gave out: the hall answers no_record


class HallUnavailable(RuntimeError):
    """The demo hall could not be started (no mosquitto, or a part did not come up)."""


def mosquitto_path() -> str | None:
    """The broker program (Debian puts it in /usr/sbin, off an ordinary user's PATH)."""
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(cond: Callable[[], bool], timeout: float, what: str, procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        for proc in procs:
            if proc.poll() is not None:
                raise HallUnavailable(f"{what}: {proc.args[0]} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise HallUnavailable(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)


class DemoHall:
    """One hall for one demo kiosk; :meth:`start`, then the operator commands, then :meth:`close`."""

    def __init__(self, work: Path, config: Config, *, hall_name: tuple[str, str] | None = None) -> None:
        self.work = work
        self.config = config
        self.db = work / "hall.db"
        self.port = 0
        self.hall_name = hall_name or (config.kiosk.hall_name, config.kiosk.hall_name_en)
        self._procs: list[subprocess.Popen] = []
        self._env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                                                 if p)}  # fmt: skip

    def _spawn(self, args: list[str], name: str) -> subprocess.Popen:
        with (self.work / f"{name}.log").open("ab") as out:
            proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=self._env, start_new_session=True)
        self._procs.append(proc)
        return proc

    def start(self, timeout: float = 30.0) -> None:
        """Broker, hall, agent; returns when the agent is connected (HallUnavailable otherwise)."""
        broker = mosquitto_path()
        if broker is None:
            raise HallUnavailable("mosquitto is not installed (scripts/setup.sh installs it)")
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        conf = self.work / "mosquitto.conf"
        conf.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        try:
            self._spawn([broker, "-c", str(conf)], "mosquitto")
            _wait(self._listening, timeout, "the broker", self._procs)
            k = self.config.kiosk
            self._spawn([sys.executable, "-m", "sync.hall_main", "--log-level", "WARNING", "run", "--db", str(self.db),
                         "--hall", k.hall_id, "--port", str(self.port), "--hall-name", self.hall_name[0],
                         "--hall-name-en", self.hall_name[1]], "hall")  # fmt: skip
            self._spawn([sys.executable, "-m", "sync.agent_main", "--log-level", "WARNING", "--config",
                         str(self._agent_config())], "agent")  # fmt: skip
            client = OnlineClient(self.config.online_socket, timeout_s=1.0)
            _wait(lambda: client.link_up(0.5), timeout, "the kiosk's sync agent", self._procs)
            # The hall answers once it has subscribed to requests: a lookup of no application says so.
            _wait(lambda: client.progress(PROBE).status not in (Status.TIMEOUT, Status.NO_LINK), timeout,
                  "the hall's answers", self._procs)  # fmt: skip
            client.close()
        except BaseException:
            self.close()
            raise

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def _agent_config(self) -> Path:
        """The agent's kiosk.toml: the screen's kiosk and data folder, the link to this hall (plain, demo mode)."""
        k = self.config.kiosk
        path = self.work / "kiosk-sync.toml"
        path.write_text(
            f'[kiosk]\nid = "{k.id}"\nhall_id = "{k.hall_id}"\ndata_dir = "{k.data_dir}"\nmode = "demo"\n\n'
            f'[mqtt]\nhost = "127.0.0.1"\nport = {self.port}\ntls = false\nretry_min_s = 0.2\nretry_max_s = 2.0\n',
            encoding="utf-8",
        )
        return path

    def _hall(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "sync.hall_main", "--log-level", "WARNING", *args, "--db", str(self.db)]
        return subprocess.run(command, capture_output=True, text=True, env=self._env, timeout=60)

    def signin_code(self, id_number: str) -> str:
        """A phone sign-in code for a sample citizen (what the regional app would show)."""
        done = self._hall("signin-code", id_number)
        if done.returncode != 0:
            raise HallUnavailable(f"signin-code: {done.stdout.strip()} {done.stderr.strip()}")
        return done.stdout.strip()

    def _hall_until(
        self, args: tuple[str, ...], done: Callable[[subprocess.CompletedProcess[str]], bool], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """Run ``kiosk-hall *args`` every 0.3 s until ``done(result)``, for things the agent is still delivering."""
        deadline = time.monotonic() + timeout
        while True:
            result = self._hall(*args)
            if done(result):
                return result
            if time.monotonic() > deadline:
                raise HallUnavailable(f"{' '.join(args)}: {result.stdout.strip()[-300:]} {result.stderr.strip()}")
            time.sleep(0.3)

    def set_progress(self, reference: str, status: str, note: str = "", timeout: float = 20.0) -> None:
        """A clerk moves an application on; waits until the agent has delivered it to the hall."""
        args = ("progress", "set", reference, status, "--note", note, "--by", "demo")
        self._hall_until(args, lambda result: result.returncode == 0, timeout)

    def materials(self, reference: str, timeout: float = 60.0) -> dict:
        """What the hall holds of submission ``reference`` and its photographed pages (``kiosk-hall materials``),
        once every page has arrived; waits while the agent still delivers them."""

        def complete(result: subprocess.CompletedProcess[str]) -> bool:
            return result.returncode == 0 and json.loads(result.stdout)["complete"]

        return json.loads(self._hall_until(("materials", reference), complete, timeout).stdout)

    def close(self) -> None:
        """Stop the agent, the hall and the broker (each its own process group)."""
        for proc in reversed(self._procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self._procs):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self._procs.clear()
