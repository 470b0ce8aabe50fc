"""``kiosk-hall`` commands for online requests, and the options of ``kiosk-hall run`` that set them up.

    kiosk-hall run ... [--hall-name 鄂尔多斯市政务服务中心] [--backends sample | package.module:factory] [--font F]
    kiosk-hall progress set REF STATUS [--note TEXT] [--by OPERATOR] --db hall.db
    kiosk-hall progress show REF --db hall.db           # REF: the reference or the receipt's QR text
    kiosk-hall signin-code ID_NUMBER --db hall.db [--ttl 120]   # a test phone code (sample directory)
    kiosk-hall verify CODE --db hall.db                 # is this certificate genuine? (code or KSV1 QR text)

``--db`` is the hall's database on either backend (a SQLite file or a ``postgresql://`` URL; default
``$KIOSK_HALL_DB``); the tables are ``sync/online/hall_store.py``'s.

``--backends`` names a factory returning ``sync.online.backends.Departments``: the integrator's adapters.
"""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.catalog import Text
from kiosk.identity import validate_id_number
from kiosk.online.references import parse_reference
from sync.online.backends import Departments, sample_departments
from sync.online.codes import Codes
from sync.online.hall_store import PROGRESS, OnlineStore

if TYPE_CHECKING:
    from sync.halldb import HallStore
    from sync.online.hall_side import RequestHandler

COMMANDS = ("progress", "signin-code", "verify")


def add_run_options(run: argparse.ArgumentParser) -> None:
    """Options of ``kiosk-hall run`` for answering online requests."""
    run.add_argument("--hall-name", default="政务服务中心", help="the issuing hall's name on certificates (Chinese)")
    run.add_argument("--hall-name-en", default="Government Service Center", help="... and in English")
    run.add_argument("--backends", default="sample", help="'sample' or module:factory returning Departments")
    run.add_argument("--font", type=Path, help="CJK TrueType font for certificates (default: wqy-zenhei)")
    run.add_argument("--workers", type=int, default=4, help="worker threads per department")


def add_commands(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The progress, signin-code and verify commands; ``db_arg`` adds the ``--db`` option."""
    progress = sub.add_parser("progress", help="show or set the status of a submission")
    psub = progress.add_subparsers(dest="progress_cmd", required=True)
    pset = psub.add_parser("set", help="set the status citizens see when they look their reference up")
    pset.add_argument("reference")
    pset.add_argument("status", choices=PROGRESS)
    pset.add_argument("--note", default="", help="shown to the citizen (e.g. which document is missing)")
    pset.add_argument("--by", default="", help="operator id")
    pshow = psub.add_parser("show", help="print the status of a reference (or receipt QR text)")
    pshow.add_argument("reference")
    code = sub.add_parser("signin-code", help="issue a test phone sign-in code for a sample citizen")
    code.add_argument("id_number")
    code.add_argument("--ttl", type=float, default=120.0, help="seconds the code stays valid")
    verify = sub.add_parser("verify", help="check a certificate's verification code")
    verify.add_argument("code")
    for p in (pset, pshow, code, verify):
        db_arg(p)


def departments_from(spec: str) -> Departments:
    """The departments named by ``--backends``."""
    if spec == "sample":
        return sample_departments()
    module, _, name = spec.partition(":")
    if not name:
        raise ValueError("--backends must be 'sample' or module:factory")
    departments = getattr(importlib.import_module(module), name)()
    if not isinstance(departments, Departments):
        raise ValueError(f"{spec} did not return a Departments")
    return departments


def build_handler(args: argparse.Namespace, db: HallStore) -> RequestHandler:
    """The request handler of a ``run`` instance."""
    from sync.online.hall_side import RequestHandler  # reportlab is loaded only by instances that answer
    from sync.online.pdf import Issuer

    return RequestHandler(
        departments_from(args.backends),
        OnlineStore(db),
        hall_id=args.hall,
        issuer=Issuer(Text(args.hall_name, args.hall_name_en), args.hall),
        topic_root=args.root,
        identity=args.identity,
        share_group=args.group,
        workers_per_department=args.workers,
        font=args.font,
    )


def run_command(args: argparse.Namespace, db: HallStore) -> int | None:
    """Carry out one of COMMANDS (the exit status), or None when ``args`` is another command."""
    if args.cmd not in COMMANDS:
        return None
    store = OnlineStore(db)
    if args.cmd == "progress":
        return _progress(args, store)
    if args.cmd == "signin-code":
        return _signin_code(args, store)
    return _verify(args, store)


def _progress(args: argparse.Namespace, store: OnlineStore) -> int:
    try:
        query = parse_reference(args.reference)
    except ValueError as exc:
        print(f"kiosk-hall: {exc}")
        return 1
    if args.progress_cmd == "set" and not store.set_progress(query.reference, args.status, note=args.note, by=args.by):
        print(f"kiosk-hall: no submission has the reference {query.reference}")
        return 1
    submission = store.submission(query)
    if submission is None:
        print(f"kiosk-hall: no submission has the reference {query.reference}")
        return 1
    state = store.progress(submission)
    when = datetime.fromtimestamp(state.updated_at).isoformat(timespec="seconds")
    print(
        json.dumps(
            {
                "reference": submission.reference,
                "kiosk": submission.kiosk_id,
                "status": state.status,
                "since": when,
                "note": state.note,
            },
            ensure_ascii=False,
        )
    )
    return 0


def _signin_code(args: argparse.Namespace, store: OnlineStore) -> int:
    check = validate_id_number(args.id_number)
    if not check.ok:
        print(f"kiosk-hall: {check.message.en}")
        return 1
    if sample_departments().directory.name_of(args.id_number) is None:
        print("kiosk-hall: not a sample citizen (see sync/online/backends/sample.py)")
        return 1
    code, token = Codes(store.secret()).new_signin_code(args.ttl)
    store.issue_signin(token.nonce, args.id_number, token.expires_at)
    print(code)
    return 0


def _verify(args: argparse.Namespace, store: OnlineStore) -> int:
    code = Codes(store.secret()).verification_code(args.code)
    entry = store.certificate(code) if code else None
    if entry is None:
        print(json.dumps({"valid": False, "why": "not a code this hall issued" if code is None else "not issued"}))
        return 1
    entry["issued_at"] = datetime.fromtimestamp(entry["issued_at"]).isoformat(timespec="seconds")
    print(json.dumps({"valid": True, **entry}, ensure_ascii=False))
    return 0
