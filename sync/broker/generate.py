"""Writing a hall broker's files (``kiosk-hall broker-config``): mosquitto.conf from the template, and the
dynamic-security file from the hall's PKI (every valid kiosk, hall instance and admin certificate's CN).

The PKI's index is the one source of truth: running this again rebuilds the same rules plus whatever was issued
since. Mosquitto reads the dynamic-security file only when it starts (and rewrites it itself when changed at run
time through ``$CONTROL``), so after running this, restart the broker; a running broker is changed with
``sync.broker.dynsec.DynsecAdmin`` instead (``kiosk-hall pki sign-kiosk --broker``).
"""

from __future__ import annotations

import glob
import json
import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from string import Template

from sync.broker import dynsec
from sync.hall_pki import HallPki, PkiError

TEMPLATE = Path(__file__).with_name("mosquitto.conf")
PLUGIN_GLOBS = (
    "/usr/lib/*/mosquitto_dynamic_security.so",  # Debian, Ubuntu (multiarch)
    "/usr/lib/mosquitto_dynamic_security.so",
    "/usr/lib64/mosquitto_dynamic_security.so",
    "/usr/local/lib/mosquitto_dynamic_security.so",
)


@dataclass(frozen=True)
class BrokerSettings:
    """How the broker runs: where it listens, keeps its state, logs, and which user it becomes."""

    port: int = 8883
    bind: str = ""  # an address to listen on; empty: every interface
    state_dir: Path = Path("/var/lib/mosquitto")
    user: str = "mosquitto"  # mosquitto started as root drops to this user before reading its key
    log_dest: str = "syslog"
    plugin: Path | None = None  # the dynamic-security plugin; None: look in the usual places
    topic_root: str = "gov/v1"


@dataclass(frozen=True)
class TlsFiles:
    """The broker's CA, certificate, key and (optional) revocation list."""

    ca: Path
    cert: Path
    key: Path
    crl: Path | None


def find_plugin() -> Path:
    """Where mosquitto's dynamic-security plugin is installed (Debian: package ``mosquitto``)."""
    for pattern in PLUGIN_GLOBS:
        for found in sorted(glob.glob(pattern)):
            return Path(found)
    raise PkiError(
        "mosquitto_dynamic_security.so not found: install mosquitto 2 (apt-get install mosquitto) or --plugin"
    )


def render_conf(tls: TlsFiles, dynsec_file: Path, settings: BrokerSettings) -> str:
    """The broker config: the shipped template with these paths and settings."""
    listener = f"listener {settings.port} {settings.bind}".rstrip()
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        plugin=settings.plugin or find_plugin(),
        dynsec_file=dynsec_file,
        listener=listener,
        cafile=tls.ca,
        certfile=tls.cert,
        keyfile=tls.key,
        crl_line=f"crlfile {tls.crl}" if tls.crl else "# no crlfile: no certificate can be revoked",
        state_dir=str(settings.state_dir).rstrip("/"),
        user_line=f"user {settings.user}",
        log_dest=settings.log_dest,
    )


def write_json(path: Path, document: dict) -> None:
    """Write a JSON file through a temporary file (0600: it is the broker's, nobody else's business)."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1)
    os.replace(tmp, path)


@dataclass(frozen=True)
class Written:
    """What :func:`write_broker_config` wrote, and for whom."""

    conf: Path
    dynsec: Path
    broker: str
    kiosks: list[str]
    halls: list[str]


def write_broker_config(pki: HallPki, out_dir: Path, settings: BrokerSettings, *, broker: str | None = None) -> Written:
    """Write ``mosquitto.conf`` and ``dynamic-security.json`` into ``out_dir`` for ``pki``'s hall."""
    brokers = pki.active("broker")
    if broker is None:
        if not brokers:
            raise PkiError("no broker certificate yet: make one with kiosk-hall pki issue-broker HOST")
        if len(brokers) > 1:
            raise PkiError(f"several broker certificates ({', '.join(brokers)}): choose one with --broker-name")
        broker = brokers[0]
    elif broker not in brokers:
        raise PkiError(f"no valid broker certificate for {broker!r} (have: {', '.join(brokers) or 'none'})")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    issued = pki.issued(broker)
    tls = TlsFiles(pki.ca_path, issued.cert, issued.key, pki.crl_path)
    kiosks, halls = pki.active("kiosk"), pki.active("hall")
    doc = dynsec.document(settings.topic_root, pki.hall_id, kiosks=kiosks, halls=halls, admins=pki.active("admin"))
    dynsec_file = out_dir / "dynamic-security.json"
    write_json(dynsec_file, doc)
    conf = out_dir / "mosquitto.conf"
    conf.write_text(render_conf(tls, dynsec_file, settings), encoding="utf-8")
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    _hand_over(settings.user, [out_dir, dynsec_file, issued.key, settings.state_dir])
    return Written(conf, dynsec_file, broker, kiosks, halls)


def _hand_over(user: str, paths: list[Path]) -> None:
    """Give the broker's user what it reads or rewrites itself (its key; the dynsec file, saved through a
    temporary file in the same directory; its persistence directory). Only root can, only for a user that exists."""
    if os.geteuid() != 0 or user == "root":
        return
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        raise PkiError(f"no user {user!r} to run the broker as (--user)") from None
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)
