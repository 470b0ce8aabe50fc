"""``kiosk-provision test-print | test-ticket | read-card``: exercise one device through its real driver.

The running shell owns the devices (two programs talking to one serial port garble both), so these refuse
while it is alive unless ``--force``; stop it first: ``systemctl stop kiosk-ui``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import time
from typing import Any

from drivers.base import DriverError
from kiosk.catalog import Text
from kiosk.config import Config, DeviceSection
from kiosk.devices import DeviceKind
from kiosk.identity import mask_id_number, mask_name
from kiosk.receipts import QueueTicket, Receipt, qr_payload, receipt_job, ticket_job
from provisioning.context import CommandError, Context
from provisioning.devicecheck import describe, fix_for_error, fix_for_status, opened, screen_alive_age


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``test-print``, ``test-ticket`` and ``read-card``."""
    for name, helptext, func in (
        ("test-print", "print a test receipt on the receipt printer", run_print),
        ("test-ticket", "print a test queue ticket on the dispenser", run_ticket),
    ):
        p = sub.add_parser(name, parents=[common], help=helptext, description=helptext + " (stop kiosk-ui first)")
        p.add_argument("--force", action="store_true", help="even while the kiosk shell is running")
        p.set_defaults(func=func)
    p = sub.add_parser(
        "read-card",
        parents=[common],
        help="read an ID card and show it masked",
        description="Waits for a card on the reader and shows who it belongs to, masked (stop kiosk-ui first).",
    )
    p.add_argument(
        "--reader",
        choices=["id_reader", "sscard_reader"],
        default="id_reader",
        help="resident ID reader (default) or social security card reader",
    )
    p.add_argument("--wait", type=float, default=15.0, metavar="S", help="seconds to wait for a card (default 15)")
    p.add_argument("--force", action="store_true", help="even while the kiosk shell is running")
    p.set_defaults(func=run_read_card)


def _section(ctx: Context, config: Config, kind: DeviceKind, force: bool) -> DeviceSection:
    section: DeviceSection = getattr(config.devices, kind.value)
    if not section.enabled or section.transport == "none":
        raise CommandError(f"the {kind.value} is disabled in {config.source} (kiosk-provision init --device ...)")
    alive = screen_alive_age(config.db_path, ctx.clock())
    if not force and alive is not None and alive < config.health.ui_stale_s:
        raise CommandError(
            f"the kiosk shell is running (alive {alive:.0f} s ago) and owns the {kind.value}: "
            "stop it first (systemctl stop kiosk-ui), or use the maintenance screen"
        )
    return section


def _exercise(ctx: Context, config: Config, kind: DeviceKind, force: bool, action: Any) -> int:
    """Open ``kind``, check it can work, run ``action(device)``; a result line with the fix on failure."""
    section = _section(ctx, config, kind, force)
    result: dict[str, Any] = {"ok": False, "device": kind.value, "transport": section.transport}
    try:
        with opened(kind, section, config.kiosk.data_dir) as device:
            status = device.status()
            result["status"] = describe(status)
            if not status.usable:
                result["fix"] = fix_for_status(status)
            else:
                result.update(action(device))
                result["ok"] = True
    except (DriverError, OSError, ImportError) as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["fix"] = fix_for_error(kind.value, section, exc)

    def human() -> str:
        lines = [f"{kind.value}: {'PASS' if result['ok'] else 'FAIL'}  {result.get('status', '')}".rstrip()]
        lines += [f"  {k}: {v}" for k, v in result.items() if k not in ("ok", "device", "status")]
        return "\n".join(lines)

    ctx.output.emit(result, human)
    return 0 if result["ok"] else 1


def _hall(config: Config) -> Text:
    return Text(config.kiosk.hall_name, config.kiosk.hall_name_en)


def run_print(args: argparse.Namespace, ctx: Context) -> int:
    """A test receipt."""
    config = ctx.config()
    now = _dt.datetime.fromtimestamp(ctx.clock())
    reference = f"TEST-{now:%H%M%S}"
    receipt = Receipt(
        reference=reference,
        kiosk_id=config.kiosk.id,
        hall_name=_hall(config),
        title=Text("打印机测试（非办件回执）", "Printer test (not a receipt)"),
        submitted_at=now,
        materials=(),
        qr=qr_payload(config.kiosk.id, reference),
        queued_offline=False,
        hotline=config.kiosk.hotline,
    )
    job = receipt_job(receipt, config.kiosk.language)

    def action(device: Any) -> dict[str, Any]:
        device.print_job(job)
        return {"printed": job.title}

    return _exercise(ctx, config, DeviceKind.PRINTER, args.force, action)


def run_ticket(args: argparse.Namespace, ctx: Context) -> int:
    """A test queue ticket."""
    config = ctx.config()
    now = _dt.datetime.fromtimestamp(ctx.clock())
    ticket = QueueTicket(
        number="T000",
        department=Text("设备测试（非排队号）", "Device test (not a ticket)"),
        issued_at=now,
        kiosk_id=config.kiosk.id,
        hall_name=_hall(config),
        qr=qr_payload(config.kiosk.id, "T000"),
        offline=False,
    )
    job = ticket_job(ticket, config.kiosk.language)

    def action(device: Any) -> dict[str, Any]:
        device.print_ticket(job)
        return {"printed": job.title}

    return _exercise(ctx, config, DeviceKind.DISPENSER, args.force, action)


def run_read_card(args: argparse.Namespace, ctx: Context) -> int:
    """Wait for a card and show it masked (personal data never reaches the terminal or a log whole)."""
    config = ctx.config()
    kind = DeviceKind(args.reader)

    def action(device: Any) -> dict[str, Any]:
        deadline = time.monotonic() + args.wait
        ctx.output.note(f"place a card on the {kind.value} (waiting up to {args.wait:.0f} s)")
        while True:
            identity = device.read_card(timeout_s=min(5.0, max(0.5, deadline - time.monotonic())))
            if identity is not None:
                break
            if time.monotonic() >= deadline:
                raise CommandError(f"no card on the {kind.value} within {args.wait:.0f} s")
            time.sleep(0.3)
        today = _dt.date.fromtimestamp(ctx.clock())
        return {
            "card": {
                "name": mask_name(identity.name),
                "id_number": mask_id_number(identity.id_number),
                "source": identity.source,
                "valid_to": "long-term" if identity.long_term else str(identity.valid_to or "-"),
                "expired": identity.expired(today),
                "photo_bytes": len(identity.photo or b""),
            }
        }

    return _exercise(ctx, config, kind, args.force, action)
