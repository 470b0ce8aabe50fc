"""``kiosk-provision``: the technician's command line for one kiosk.

Each command group lives in its own module under ``provisioning/commands/`` and offers ``register(sub)``,
which adds its parser with ``func`` set to a ``run(args, ctx) -> int``. Global options (``--config``,
``--json``, ``--service-user``, ``-v``) are accepted before or after the command name.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from provisioning.commands import devices, doctor, enroll, init, install, outbox, pin, status, wipe
from provisioning.context import DEFAULT_SERVICE_USER, CommandError, Context
from provisioning.output import Output

log = logging.getLogger("provisioning")

EPILOG = """\
First installation of a kiosk (as root, in this order):
  1. kiosk-provision install          venv in /opt/kiosk, /etc/kiosk, /var/lib/kiosk, service user, units, udev
  2. kiosk-provision init --kiosk-id KSK-0001 --hall-id ordos-kbs --broker hall-broker.local:8883
  3. kiosk-provision enroll           makes the key and /etc/kiosk/pki/kiosk.csr: give the CSR to the hall
  4. kiosk-provision enroll --install-cert kiosk.crt --ca ca.crt --hall-key signing.pub   from the hall
  5. kiosk-provision set-pin          the PIN of the on-screen maintenance mode
  6. kiosk-provision doctor           no line FAIL? then: systemctl start kiosk-sync kiosk-ui

On a visit: doctor (what is wrong and how to fix it), status (backlog, faults), test-print, test-ticket,
read-card. After a long outage: outbox export FILE, carry it to the hall, there: kiosk-hall import-jsonl FILE.
For an image (install --root DIR): give the same --root DIR to init, enroll and set-pin.
Exit status: 0 all good, 1 a check or action failed, 2 bad usage or config.
"""

COMMANDS = (install, init, enroll, pin, doctor, status, outbox, devices, wipe)
IMAGE_COMMANDS = ("install", "init", "enroll", "set-pin")  # the ones that work on an image under --root


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # At the top the defaults are real; on the commands SUPPRESS keeps a value given before the command.
    default = (lambda value: value) if top else (lambda _value: argparse.SUPPRESS)
    parser.add_argument(
        "--config", default=default(None), help="config file (default: $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml)"
    )
    parser.add_argument("--json", action="store_true", default=default(False), help="print JSON instead of text")
    parser.add_argument(
        "--service-user",
        default=default(None),
        metavar="USER[:GROUP]",
        help=f"the account the kiosk services run as, which gets the key and config (default: {DEFAULT_SERVICE_USER})",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=default(None),
        metavar="DIR",
        help="work on the image installed with 'install --root DIR' (init, enroll, set-pin): users from "
        "DIR/etc/passwd, files under DIR",
    )
    parser.add_argument("-v", "--verbose", action="store_true", default=default(False), help="log what is done")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="kiosk-provision",
        description="Set up, check and service one self-service kiosk.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(parser, top=True)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, top=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None, *, ctx: Context | None = None) -> int:
    """Entry point of ``kiosk-provision``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if ctx is None:
        ctx = Context(output=Output(json_mode=args.json, out=sys.stdout, err=sys.stderr))
    else:
        ctx.output.json_mode = args.json
    ctx.config_flag = args.config
    if args.root is not None:
        ctx.root = args.root
    if args.service_user:
        ctx.service_user = args.service_user
        ctx.service_user_explicit = True
    try:
        if args.command not in IMAGE_COMMANDS:
            ctx.on_this_machine(args.command)
        return int(args.func(args, ctx))
    except CommandError as exc:
        if ctx.output.json_mode:
            ctx.output.emit({"ok": False, "error": str(exc)}, lambda: "")
        else:
            ctx.output.note(f"kiosk-provision {args.command}: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        ctx.output.note("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
