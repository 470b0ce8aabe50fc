"""A private PostgreSQL server in a temporary directory, for the tests, the fleet benchmark and trying the hall.

Debian's ``postgresql`` package, no service: ``initdb`` and ``pg_ctl`` under ``/usr/lib/postgresql/<v>/bin``,
listening on loopback only, trusting local connections as user ``kiosk``. ``initdb`` refuses to run as root, so
as root the server runs as the ``postgres`` user the package creates (its directory is handed to it).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "kiosk"


def bin_dir() -> Path:
    """Where the newest installed PostgreSQL's programs are."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql; scripts/setup.sh does)")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    """``start()``, ``url(db)``, ``create_database``/``drop_database``, ``halt()``/``resume()`` (an outage),
    ``stop()`` (which deletes everything).

    ``durable=False`` turns off fsync and friends: fine for tests (nothing survives them anyway), not for
    measuring what a commit costs.
    """

    def __init__(self, *, durable: bool = False, settings: dict[str, str] | None = None) -> None:
        self._durable = durable
        self._settings = settings or {}
        self.port = 0
        self.dir: Path | None = None
        self._bin = bin_dir()
        self._user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(self._bin / argv[0]), *argv[1:]], user=self._user, capture_output=True, text=True, timeout=120,
            cwd="/", check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {(proc.stderr or proc.stdout)[-2000:]}")
        return proc

    def start(self) -> ThrowawayCluster:
        """initdb and start; returns self."""
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-hall-pg-"))
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync", "--no-locale")
        options = {
            "listen_addresses": "127.0.0.1", "unix_socket_directories": str(self.dir), "port": str(self.port),
            "max_connections": "200",
        }  # fmt: skip
        if not self._durable:
            options |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        options |= self._settings
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.writelines(f"{k} = '{v}'\n" for k, v in options.items())
        try:
            self.resume()
        except RuntimeError:
            self.stop()
            raise
        return self

    def halt(self) -> None:
        """Stop the server, keeping its data (``resume`` starts it again): a database outage."""
        assert self.dir is not None
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the server on its data (again)."""
        assert self.dir is not None
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-t", "60", "start")

    def postmaster_pid(self) -> int:
        """The server's main process."""
        assert self.dir is not None
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def url(self, dbname: str = "postgres") -> str:
        """A libpq URL for ``dbname`` on this server."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _admin(self, sql: str) -> None:
        import psycopg  # only where a cluster is used

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, closing whatever still holds it."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def log(self) -> str:
        """The server's log so far."""
        assert self.dir is not None
        path = self.dir / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop the server (immediately) and delete its files."""
        if self.dir is None:
            return
        data = self.dir / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):  # already gone
                self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
