"""``kiosk-hall``: the reference hall endpoint and its operator commands.

    kiosk-hall run --db hall.db --hall ordos-kbs [--host H --port P --tls --ca ca.crt --cert hall.crt --key hall.key]
                   [--materials DIR]                   # attachment pages (default: <db>-materials)
                   [--metrics-port 9464]               # Prometheus metrics (sync/metrics.py)
    kiosk-hall fleet --db hall.db                       # kiosk, online, last heartbeat, open faults, backlog
    kiosk-hall import-jsonl FILE --db hall.db --hall ordos-kbs   # a hand-carried backlog, one message per line
    kiosk-hall materials REFERENCE|KEY --db hall.db     # a submission and its materials (pages received, missing)
    kiosk-hall export REFERENCE|KEY --db hall.db --out DIR   # the submission and a copy of each page
    kiosk-hall command KIOSK self_test [--args '{}']    # waits for the kiosk's result and prints it;
                                                        # also ack-fault / config / catalog, see --help
    kiosk-hall migrate --db postgresql://hall@db/hall   # bring the schema up to date (run does it too)
    kiosk-hall pki init-ca | sign-kiosk | issue-hall | issue-broker | revoke | crl | list   (sync/hall_pki_cli.py)
    kiosk-hall broker-config --hall-id ordos-kbs --out DIR   # mosquitto.conf and its access rules
    kiosk-hall release init|build|publish|timestamp|status|serve …   # signed software updates (sync/release)

``--db`` is a SQLite file (the demo, one instance) or a ``postgresql://`` URL (production: any number of
instances on one database); it defaults to ``$KIOSK_HALL_DB``, which keeps a password off the command line.
``--materials`` (default ``$KIOSK_HALL_MATERIALS``, else ``<db>-materials`` beside a SQLite file; a hall on
PostgreSQL must name it) is the folder of attachment pages, one for all the instances of a hall.
Run several ``run`` instances with different ``--instance`` names (same ``--group``) to split the load. Instance
``N`` of identity ``hall`` connects as ``hall-N``, which must be the CN of its certificate (``kiosk-hall pki
issue-hall hall-N``); with ``--cert`` and no ``--instance``, the certificate says.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync import certs, hall_materials, hall_pki_cli, signing
from sync.hall import Hall, import_jsonl
from sync.hall_materials import HallMaterials
from sync.halldb import FleetRow, HallStore, SchemaTooNew, Unavailable, open_db
from sync.online import hall_cli
from sync.release import cli as release_cli

log = logging.getLogger("sync.hall_main")


@dataclass(frozen=True)
class HallLink:
    """Broker connection settings of a hall instance (the shape ``sync.transport.make_client`` reads)."""

    host: str = "127.0.0.1"
    port: int = 1883
    tls: bool = False
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    keepalive_s: int = 30


def _age(now: float, t: float | None) -> str:
    if t is None:
        return "never"
    s = max(0.0, now - t)
    return f"{s:.0f}s ago" if s < 120 else f"{s / 60:.0f}m ago" if s < 7200 else f"{s / 3600:.1f}h ago"


def fleet_table(rows: Sequence[FleetRow], now: float) -> str:
    """The fleet as a fixed-width text table."""
    header = ("kiosk", "online", "last heartbeat", "open faults", "backlog")
    lines = [header]
    for r in rows:
        backlog = "-" if r.backlog is None else str(r.backlog)
        if r.backlog and r.oldest_pending_age_s:
            backlog += f" (oldest {_age(now, now - r.oldest_pending_age_s).removesuffix(' ago')})"
        lines.append(
            (
                r.kiosk_id,
                "yes" if r.online else "NO",
                _age(now, r.last_heartbeat),
                "; ".join(r.open_faults) or "-",
                backlog,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def db_arg(sp: argparse.ArgumentParser) -> None:
    """The ``--db`` option: a SQLite file or a ``postgresql://`` URL, default ``$KIOSK_HALL_DB``."""
    env = os.environ.get("KIOSK_HALL_DB")
    sp.add_argument(
        "--db", default=env, required=env is None, help="SQLite file or postgresql:// URL (default $KIOSK_HALL_DB)"
    )


def materials_arg(sp: argparse.ArgumentParser) -> None:
    """The ``--materials`` option (resolved by :func:`sync.hall_materials.materials_dir`)."""
    sp.add_argument(
        "--materials",
        type=Path,
        help="materials folder, shared by every instance of the hall (default $KIOSK_HALL_MATERIALS, else "
        "<db>-materials beside a SQLite file; required with PostgreSQL)",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-hall", description="Reference hall endpoint for kiosk sync.")
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub = p.add_subparsers(dest="cmd", required=True)

    def link_args(sp: argparse.ArgumentParser) -> None:
        db_arg(sp)
        sp.add_argument("--hall", required=True, help="hall id (kiosk.hall_id of its kiosks)")
        sp.add_argument("--root", default="gov/v1", help="topic root (mqtt.topic_root)")
        sp.add_argument("--host", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=1883)
        sp.add_argument("--tls", action="store_true")
        sp.add_argument("--ca", type=Path)
        sp.add_argument("--cert", type=Path)
        sp.add_argument("--key", type=Path)
        sp.add_argument("--identity", default="hall", help="the hall's identity (mqtt.hall_identity of the kiosks)")
        sp.add_argument(
            "--instance",
            help="unique per running instance; its certificate's CN is <identity>-<instance> "
            "(default: read from --cert, else 1)",
        )
        sp.add_argument("--group", default="hall", help="shared subscription group")

    def wait_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--wait",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="wait this long for the kiosk's result and print it (0: print the msg_id and return)",
        )

    run = sub.add_parser("run", help="receive, store and acknowledge uplink, answer requests, until stopped")
    link_args(run)
    materials_arg(run)
    hall_cli.add_run_options(run)
    run.add_argument("--metrics-port", type=int, help="serve Prometheus metrics on this port (/metrics)")
    run.add_argument("--metrics-addr", default="127.0.0.1", help="address for the metrics (default loopback)")
    hall_cli.add_commands(sub, db_arg)  # progress, signin-code, verify
    fleet = sub.add_parser("fleet", help="print the fleet table")
    db_arg(fleet)
    fleet.add_argument("--json", action="store_true")
    db_arg(sub.add_parser("migrate", help="bring the hall database's schema up to date; print its versions"))
    imp = sub.add_parser("import-jsonl", help="import a hand-carried backlog")
    imp.add_argument("file", type=Path)
    db_arg(imp)
    imp.add_argument("--hall", required=True)
    for name, text in (("materials", "show a submission and its materials"),
                       ("export", "write a submission and its materials to a folder")):
        sp = sub.add_parser(name, help=text)
        sp.add_argument("submission", help="its reference number or outbox key")
        db_arg(sp)
        materials_arg(sp)
        if name == "export":
            sp.add_argument("--out", required=True, type=Path)
    cmd = sub.add_parser("command", help="send a command to a kiosk and print its result")
    link_args(cmd)
    wait_arg(cmd)
    cmd.add_argument("kiosk")
    cmd.add_argument("name")
    cmd.add_argument("--args", default="{}", help="JSON object")
    ack = sub.add_parser("ack-fault", help="acknowledge a kiosk's fault")
    link_args(ack)
    wait_arg(ack)
    ack.add_argument("kiosk")
    ack.add_argument("fault_id", type=int)
    ack.add_argument("--by", required=True)
    for kind in ("config", "catalog"):
        sp = sub.add_parser(kind, help=f"publish a retained {kind} update (a JSON file)")
        link_args(sp)
        wait_arg(sp)
        sp.add_argument("kiosk")
        sp.add_argument("version")
        sp.add_argument("file", type=Path)
        sp.add_argument(
            "--signing-key",
            type=Path,
            default=hall_pki_cli.DEFAULT_PKI / "signing.key",
            help="the hall's Ed25519 key that signs the update (default: signing.key of the hall CA)",
        )
    hall_pki_cli.register(sub)
    release_cli.register(sub)
    return p


def instance_of(args: argparse.Namespace) -> str:
    """``--instance``, else what the certificate's CN (``<identity>-<instance>``) says, else ``1``."""
    if args.instance:
        return str(args.instance)
    if args.tls and args.cert:
        cn = certs.common_name(args.cert)
        prefix = f"{args.identity}-"
        if not cn.startswith(prefix) or len(cn) == len(prefix):
            raise ValueError(f"the certificate {args.cert} is for {cn!r}, not a hall instance {prefix}<instance>")
        return cn[len(prefix) :]
    return "1"


def open_materials(args: argparse.Namespace, db: HallStore) -> HallMaterials:
    """The materials of the hall on ``db``: the index in its database, the files in ``--materials``."""
    return hall_materials.open_materials(db, hall_materials.materials_dir(args.db, args.materials, os.environ))


def _materials_command(args: argparse.Namespace, db: HallStore) -> int:
    materials = open_materials(args, db)
    row = hall_materials.find_submission(db, args.submission)
    if row is None:
        print(f"kiosk-hall: no submission {args.submission!r} in {db.describe()}", file=sys.stderr)
        return 1
    if args.cmd == "export":
        for path in hall_materials.export(materials, row, args.out):
            print(path)
        return 0
    print(json.dumps(hall_materials.describe(materials, row), ensure_ascii=False, indent=1))
    return 0


def _hall(args: argparse.Namespace, db: HallStore, **kwargs: Any) -> Hall:
    link = HallLink(args.host, args.port, args.tls, args.ca, args.cert, args.key)
    key_path = getattr(args, "signing_key", None)
    return Hall(
        db,
        signing_key=signing.load_private_key(key_path) if key_path is not None else None,
        link=link,
        hall_id=args.hall,
        topic_root=args.root,
        identity=args.identity,
        instance=instance_of(args),
        share_group=args.group,
        **kwargs,
    )


def _one_shot(hall: Hall, send: Callable[[Hall], str], timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while not hall.connected:
        if time.monotonic() > deadline:
            raise TimeoutError("could not connect to the broker")
        hall.step(0.05)
    msg_id = send(hall)
    while hall.last_publish is not None and not hall.last_publish.is_published():
        if time.monotonic() > deadline:
            raise TimeoutError("the broker did not acknowledge the message")
        hall.step(0.05)
    return msg_id


def wait_for_result(hall: Hall, kiosk_id: str, msg_id: str, *, since: float, timeout: float) -> dict[str, Any] | None:
    """Step ``hall`` until the kiosk's ``command_result`` for ``msg_id`` is in the database (stored by this
    instance, which is in the shared group, or by any other on the same database); None after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = hall.db.command_result(msg_id, kiosk_id, since=since)
        if result is not None or time.monotonic() >= deadline:
            return result
        hall.step(0.1)


def _send(args: argparse.Namespace, db: HallStore) -> int:
    """``command``, ``ack-fault``, ``config``, ``catalog``: send, then wait for the result and print it.
    Exit 0 for an ``ok`` result, 1 for ``rejected``/``error``, 3 when none came in time (the msg_id is printed:
    the result lands in the database whenever the kiosk answers)."""
    fields: dict[str, Any]
    if args.cmd == "command":
        kind, fields = "command", {"command": args.name, "args": json.loads(args.args)}
    elif args.cmd == "ack-fault":
        kind, fields = "fault_ack", {"fault_id": args.fault_id, "by": args.by}
    else:
        document = json.loads(args.file.read_text(encoding="utf-8"))
        kind, fields = args.cmd, {"version": args.version, args.cmd: document}
    hall = _hall(args, db, session_expiry_s=0)  # no broker session outlives a one-shot (nor queues uplink for it)
    try:
        since = time.time() - 600.0  # only limits the search; other instances' clocks may be off a little
        msg_id = _one_shot(hall, lambda h: h.send(args.kiosk, kind, **fields))
        result = wait_for_result(hall, args.kiosk, msg_id, since=since, timeout=args.wait) if args.wait > 0 else None
    finally:
        hall.close()
    if result is None:
        print(msg_id)
        if args.wait > 0:
            print(f"kiosk-hall: no result from {args.kiosk} within {args.wait:g} s; it is stored when it comes "
                  f"(msg_id {msg_id})", file=sys.stderr)  # fmt: skip
            return 3
        return 0
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result.get("status") == "ok" else 1


def _run(args: argparse.Namespace, db: HallStore) -> int:
    materials = open_materials(args, db)  # first: a hall on PostgreSQL without --materials stops here, saying so
    metrics = None
    if args.metrics_port is not None:
        from sync.metrics import HallMetrics  # prometheus-client only where metrics are served

        metrics = HallMetrics(db)
        metrics.serve(args.metrics_port, args.metrics_addr)
    hall = _hall(args, db, metrics=metrics, materials=materials)
    hall.requests = hall_cli.build_handler(args, db)  # online requests, answered by the department backends
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        hall.run(stop)
    finally:
        if metrics is not None:
            metrics.close()
    print(json.dumps(hall.stats.__dict__))  # what this instance did, for logs and the benchmark
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``kiosk-hall``; the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.cmd in ("pki", "broker-config"):
        return hall_pki_cli.run(args)
    if args.cmd == "release":
        return release_cli.run(args)
    try:
        db = open_db(args.db)
    except (Unavailable, SchemaTooNew, OSError) as exc:
        print(f"kiosk-hall: {exc}", file=sys.stderr)
        return 1
    try:
        if args.cmd == "migrate":
            print(json.dumps(db.schema_versions()))
            return 0
        if args.cmd == "fleet":
            rows = db.fleet()
            if args.json:
                print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=1))
            else:
                print(fleet_table(rows, time.time()))
            return 0
        if args.cmd in ("materials", "export"):
            return _materials_command(args, db)
        if args.cmd == "import-jsonl":
            counts = import_jsonl(db, args.file.read_text(encoding="utf-8").splitlines(), hall_id=args.hall)
            print(json.dumps(counts))
            return 0 if counts["rejected"] == 0 else 1
        handled = hall_cli.run_command(args, db)
        if handled is not None:
            return handled
        if args.cmd == "run":
            return _run(args, db)
        return _send(args, db)
    except (OSError, ValueError, TimeoutError, Unavailable) as exc:
        print(f"kiosk-hall: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
