"""``kiosk-provision set-pin``: the PIN of the on-screen maintenance mode, stored only as a PBKDF2 hash.

Stored form in ``[maintenance] pin_hash``: ``pbkdf2_sha256$<iterations>$<salt hex>$<derived key hex>``, where
the salt is 16 random bytes (hex-decoded before use), the derived key is 32 bytes of
``hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)``. ``kiosk.maintenance.verify_pin`` is the
reference check. The hall can never change this key remotely (``sync.config_update.PROTECTED_KEYS``).
"""

from __future__ import annotations

import argparse
import itertools
from typing import Any

from kiosk.maintenance import ITERATIONS, SCHEME, hash_pin, verify_pin
from provisioning.configfile import update_config
from provisioning.context import CommandError, Context

# The hashing lives with the screen that checks the PIN (kiosk/maintenance.py); it is re-exported here.
__all__ = [
    "ITERATIONS", "MAX_LENGTH", "MIN_LENGTH", "SCHEME", "hash_pin", "pin_problem", "register", "run", "verify_pin"
]  # fmt: skip

MIN_LENGTH, MAX_LENGTH = 6, 12


def pin_problem(pin: str) -> str:
    """Why ``pin`` is not acceptable ("" when it is)."""
    if not pin.isdigit() or not pin.isascii():
        return "the PIN must be digits only (the maintenance screen has a number pad)"
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        return f"the PIN must have {MIN_LENGTH} to {MAX_LENGTH} digits"
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        return "the PIN is too easy to guess (all one digit, or a run like 123456)"
    return ""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``set-pin`` parser."""
    p = sub.add_parser(
        "set-pin",
        parents=[common],
        help="set the maintenance-screen PIN (stored hashed in the config)",
        description="Asks for the new PIN twice and stores its PBKDF2 hash in [maintenance] pin_hash. "
        "The services read it when they start: systemctl restart kiosk-ui.",
    )
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin (scripts)")
    p.add_argument("--clear", action="store_true", help="remove the PIN: the maintenance screen is disabled")
    p.add_argument("--iterations", type=int, default=ITERATIONS, help=argparse.SUPPRESS)  # tests only
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Ask, check, hash, store."""
    config = ctx.config()  # the file must be valid before we touch it
    if args.clear:
        stored = ""
    else:
        if args.pin_stdin:
            pin = ctx.stdin.readline().strip()
        elif not ctx.interactive:
            raise CommandError(
                "no terminal to ask for the PIN at; pipe it in instead: "
                "printf '%s\\n' \"$PIN\" | kiosk-provision set-pin --pin-stdin",
                exit_code=2,
            )
        else:
            try:
                pin = ctx.ask_secret("New maintenance PIN: ").strip()
                again = ctx.ask_secret("The same PIN again: ").strip()
            except EOFError:
                raise CommandError("no PIN given (input closed); nothing was changed", exit_code=2) from None
            if again != pin:
                raise CommandError("the two PINs differ; nothing was changed")
        problem = pin_problem(pin)
        if problem:
            raise CommandError(f"{problem}; nothing was changed", exit_code=2)
        stored = hash_pin(pin, iterations=args.iterations)
    update_config(ctx.config_path, {"maintenance": {"pin_hash": stored}}, owner=ctx.owner())
    result = {"ok": True, "config": str(ctx.config_path), "pin_set": bool(stored), "kiosk_id": config.kiosk.id}
    ctx.output.emit(
        result,
        lambda: (
            f"{'stored the new PIN hash' if stored else 'removed the PIN'} in {ctx.config_path}\n"
            "the screen reads it on start: systemctl restart kiosk-ui"
        ),
    )
    return 0
