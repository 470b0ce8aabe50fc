"""Helpers for the technician CLI's tests: a kiosk in a temp dir, the CLI run in-process, real brokers and CAs.

Brokers are real mosquitto processes on free loopback ports; certificate authorities are the real openssl
command line (as a hall would run it), so what ``enroll`` writes is checked by a second implementation.
"""

from __future__ import annotations

import io
import os
import pwd
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from provisioning.cli import main
from provisioning.context import Context
from provisioning.output import Output
from tests.waiting import wait_until

ME = pwd.getpwuid(os.geteuid()).pw_name  # the "service user" in tests: the current account


@dataclass
class Result:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str


class FakeTerminal(io.StringIO):
    """A stdin that says it is a terminal (for the prompting paths)."""

    def isatty(self) -> bool:
        return True


@dataclass
class Kiosk:
    """A kiosk laid out under a temp dir: its config path and data dir."""

    root: Path
    config: Path
    data_dir: Path

    def cli(
        self,
        *argv: str,
        answers: list[str] | None = None,
        stdin: str = "",
        clock: Callable[[], float] = time.time,
    ) -> Result:
        """Run ``kiosk-provision --config <ours> --service-user <me> ARGV`` in-process."""
        out, err = io.StringIO(), io.StringIO()
        pending = list(answers or [])
        ctx = Context(
            output=Output(json_mode=False, out=out, err=err),
            clock=clock,
            stdin=FakeTerminal(stdin) if answers is not None else io.StringIO(stdin),
            ask=lambda _prompt: pending.pop(0),
            ask_secret=lambda _prompt: pending.pop(0),
            env={},
        )
        code = main(["--config", str(self.config), "--service-user", ME, *argv], ctx=ctx)
        return Result(code, out.getvalue(), err.getvalue())


SIM_DEVICES = (
    "--device", "printer=simulator", "--device", "id_reader=simulator", "--device", "sscard_reader=simulator",
    "--device", "dispenser=simulator", "--device", "scanner=simulator", "--device", "document_printer=simulator",
    "--device", "camera=simulator", "--device", "keypad=simulator",
)  # fmt: skip


def init_args(k: Kiosk, *extra: str, broker: str = "127.0.0.1:1", tls: bool = False) -> list[str]:
    """``init`` flags for a kiosk on simulated devices (so in lab mode: production refuses simulators)."""
    return [
        "init", "--kiosk-id", "KSK-0001", "--hall-id", "ordos-kbs", "--broker", broker,
        "--tls" if tls else "--no-tls", "--data-dir", str(k.data_dir), "--non-interactive", "--mode", "lab",
        *SIM_DEVICES, *extra,
    ]  # fmt: skip


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mosquitto:
    """A mosquitto broker of our own on a free loopback port; its log is readable for assertions."""

    def __init__(self, directory: Path, extra: list[str]) -> None:
        self.port = free_port()
        self.log = directory / "mosquitto.log"
        conf = directory / "mosquitto.conf"
        lines = [f"listener {self.port} 127.0.0.1", "persistence false", f"log_dest file {self.log}", "log_type all"]
        if os.geteuid() == 0:
            lines.append("user root")  # else it drops to "mosquitto", which cannot read our 0600 files (TESTBED)
        conf.write_text("\n".join([*lines, *extra]) + "\n")
        self.proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_until(self._listening, 10, f"mosquitto to listen on {self.port}", interval=0.05)

    def _listening(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"mosquitto exited: {self.proc.stdout.read().decode() if self.proc.stdout else ''}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        """Terminate the broker."""
        self.proc.terminate()
        self.proc.wait(timeout=5)
        if self.proc.stdout:
            self.proc.stdout.close()


def openssl(*args: str, cwd: Path) -> None:
    """Run the openssl command line; fail the test with its output if it fails."""
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


class OpensslCA:
    """A hall CA made and run with the openssl command line."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        directory.mkdir(parents=True, exist_ok=True)
        openssl(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
            "-out", "ca.crt", "-days", "30", "-subj", "/CN=hall test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            cwd=directory,
        )  # fmt: skip
        self.cert = directory / "ca.crt"

    def sign(self, csr: Path, out_name: str, *, server: bool = False) -> Path:
        """Sign ``csr`` as a client (or, with ``server``, a broker for 127.0.0.1) certificate."""
        ext = self.dir / f"{out_name}.ext"
        usage = "serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost" if server else "clientAuth"
        ext.write_text(f"basicConstraints=critical,CA:FALSE\nextendedKeyUsage={usage}\n")
        out = self.dir / out_name
        openssl(
            "x509", "-req", "-in", str(csr), "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", str(out), "-days", "30", "-extfile", str(ext), cwd=self.dir,
        )  # fmt: skip
        return out

    def broker_cert(self) -> tuple[Path, Path]:
        """A certificate and key for the broker."""
        openssl(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "broker.key",
            "-out", "broker.csr", "-subj", "/CN=localhost", cwd=self.dir,
        )  # fmt: skip
        return self.sign(self.dir / "broker.csr", "broker.crt", server=True), self.dir / "broker.key"
