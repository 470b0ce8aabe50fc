"""``kiosk-provision status``: the backlog, open faults, versions and when the hall last confirmed anything."""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
from typing import Any

from kiosk.config import Config
from kiosk.faults import FAULT_INFO, FaultCode
from kiosk.shared_settings import (
    CATALOG_VERSION_SETTING,
    CONFIG_VERSION_SETTING,
    HALL_LINK_SETTING,
    UI_LIVENESS_SETTING,
    agent_alive,
)
from provisioning.context import Context
from provisioning.output import age, table, when


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``status`` parser."""
    p = sub.add_parser(
        "status",
        parents=[common],
        help="backlog, open faults, versions, last sync",
        description="Reads the kiosk's database (safe while the kiosk runs) and shows what waits for the hall.",
    )
    p.set_defaults(func=run)


def firmware_version() -> str:
    """The installed selfservice-kiosk version."""
    try:
        return importlib.metadata.version("selfservice-kiosk")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _ago(t: float | None, seconds: float | None) -> str:
    if seconds is None:
        return "never"
    return f"{when(t)} ({age(seconds)} ago)" if t is not None else f"{age(seconds)} ago"


def fault_action(code: str) -> str:
    """The maintenance action of a fault code, in English and Chinese."""
    try:
        info = FAULT_INFO[FaultCode(code)]
    except ValueError:
        return ""
    return f"{info.action_en} / {info.action_zh}"


def collect(ctx: Context, config: Config) -> dict[str, Any]:
    """Everything ``status`` shows, JSON-ready."""
    now = ctx.clock()
    with ctx.inspect(config) as db:
        stats = db.outbox_stats()
        faults = db.open_faults()
        versions = {"firmware": firmware_version(), "python": platform.python_version()}
        for name, key in (("config", CONFIG_VERSION_SETTING), ("catalog", CATALOG_VERSION_SETTING)):
            value = db.get_setting(key)
            versions[name] = "-" if value is None else str(value)
        link = db.get_setting(HALL_LINK_SETTING) or {}
        ui_alive = db.get_setting(UI_LIVENESS_SETTING)
        confirmed_at = db.last_confirmed()
    return {
        "ok": True,
        "kiosk_id": config.kiosk.id,
        "hall_id": config.kiosk.hall_id,
        "outbox": {
            "pending": stats.depth,
            "oldest_pending_age_s": stats.oldest_pending_age_s if stats.depth else None,
            "pending_by_kind": stats.by_kind,
            "confirmed_on_disk": stats.confirmed,
            "personal_unpurged": stats.personal_unpurged,
        },
        "last_sync": confirmed_at,
        "last_sync_age_s": None if confirmed_at is None else max(0.0, now - confirmed_at),
        # The note is the agent's: once it stops being rewritten (kiosk-sync dead or hung) it says nothing.
        "link": {"online": link.get("online"), "at": link.get("at"), "agent_alive": agent_alive(link, now)}
        if link
        else None,
        "agent_alive": agent_alive(link, now),
        "screen_last_alive_age_s": None if ui_alive is None else max(0.0, now - float(ui_alive)),
        "open_faults": [
            {
                "id": f.id,
                "code": f.code,
                "device": f.device,
                "severity": f.severity,
                "since": f.raised_at,
                "acked": f.acked_at is not None,
                "message": f.message,
                "action": fault_action(f.code),
            }
            for f in faults
        ],
        "versions": versions,
    }


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Show the status."""
    config = ctx.config()
    result = collect(ctx, config)

    def human() -> str:
        out = result["outbox"]
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(out["pending_by_kind"].items())) or "-"
        link = result["link"]
        if not link:
            link_text = "unknown: kiosk-sync has never run"
        elif not link["agent_alive"]:
            link_text = f"unknown: kiosk-sync is not running (last note {when(link['at'])})"
        else:
            link_text = f"{'online' if link['online'] else 'offline'} (seen {when(link['at'])})"
        lines = [
            f"kiosk {result['kiosk_id']}  hall {result['hall_id']}",
            table(
                ["item", "value"],
                [
                    ["outbox pending", f"{out['pending']}  ({kinds})"],
                    ["oldest pending", age(out["oldest_pending_age_s"])],
                    [
                        "last sync (hall confirmed)",
                        _ago(result["last_sync"], result["last_sync_age_s"]),
                    ],
                    ["hall link", link_text],
                    ["screen last alive", _ago(None, result["screen_last_alive_age_s"])],
                    ["personal records on disk", out["personal_unpurged"]],
                    *[[f"version {k}", v] for k, v in result["versions"].items()],
                ],
            ),
            "",
        ]
        faults = result["open_faults"]
        if not faults:
            lines.append("open faults: none")
        else:
            rows = [
                [
                    f["id"],
                    f["code"],
                    f["device"] or "-",
                    f["severity"],
                    when(f["since"]),
                    "yes" if f["acked"] else "no",
                    f["action"],
                ]
                for f in faults
            ]
            lines.append(f"open faults: {len(faults)}")
            lines.append(table(["id", "code", "device", "severity", "since", "acked", "action"], rows))
        return "\n".join(lines)

    ctx.output.emit(result, human)
    return 0
