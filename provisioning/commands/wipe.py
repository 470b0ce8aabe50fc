"""``kiosk-provision wipe``: purge every citizen's personal data; ``--factory-reset`` also forgets the kiosk.

The purge goes through the store (payloads overwritten, WAL checkpointed so the old pages leave the WAL file,
migration backups removed). A factory reset then deletes the data directory's contents, the kiosk's key and
certificates and its config: the machine is as right after ``kiosk-provision install``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from kiosk.config import Config
from provisioning.context import CommandError, Context
from provisioning.devicecheck import screen_alive_age

CONFIRM_WORD = "WIPE"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``wipe`` parser."""
    p = sub.add_parser(
        "wipe",
        parents=[common],
        help="purge all personal data (asks first); --factory-reset: back to a fresh install",
        description="Deletes the personal data of every record on this kiosk, sent or not (records not yet at "
        "the hall are lost: export them first with 'kiosk-provision outbox export'). Stop the kiosk first: "
        "systemctl stop kiosk-ui kiosk-sync. With --factory-reset also the database, the key, the "
        "certificates and the config are deleted.",
    )
    p.add_argument("--factory-reset", action="store_true", help="also delete database, key, certificates, config")
    p.add_argument("--yes", action="store_true", help=f"do not ask (otherwise type {CONFIRM_WORD} to confirm)")
    p.add_argument("--force", action="store_true", help="even while the kiosk shell is running")
    p.set_defaults(func=run)


def _unsent_personal(ctx: Context, config: Config) -> tuple[int, int]:
    with ctx.inspect(config) as db:
        rows = db.personal_rows()
    return rows.on_disk, rows.unsent


def _confirm(ctx: Context, args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    if not ctx.interactive:
        raise CommandError(f"{question}\nnothing done: add --yes to confirm without a terminal")
    if ctx.ask(f"{question}\nType {CONFIRM_WORD} to go on: ").strip() != CONFIRM_WORD:
        raise CommandError("not confirmed; nothing was changed")


def _data_dir_is_ours(config: Config) -> bool:
    # Guard against a config whose data_dir points somewhere shared (/, /var/lib): only delete a kiosk data dir.
    d = config.kiosk.data_dir
    return d.is_absolute() and len(d.parts) >= 3 and (config.db_path.exists() or d.name == "kiosk")


def _remove_children(directory: Path) -> int:
    count = 0
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
        count += 1
    return count


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Ask, purge, and on a factory reset delete."""
    config = ctx.config()
    alive = screen_alive_age(config.db_path, ctx.clock())
    if not args.force and alive is not None and alive < config.health.ui_stale_s:
        raise CommandError("the kiosk is running: stop it first (systemctl stop kiosk-ui kiosk-sync)")
    has_db = config.db_path.is_file()
    personal, unsent = _unsent_personal(ctx, config) if has_db else (0, 0)
    what = "ALL data of this kiosk (database, key, certificates, config)" if args.factory_reset else "personal data"
    _confirm(
        ctx,
        args,
        f"This deletes {what}: {personal} records with personal data, {unsent} of them not yet "
        "at the hall (they will never arrive).",
    )
    purged = 0
    if has_db:
        store = ctx.open_store(config)
        try:
            purged = store.purge_all_personal()
        finally:
            store.close()
    # Receipts the simulated printers rendered are pictures of what citizens printed.
    pictures = sorted((config.kiosk.data_dir / "simulator").rglob("*.png"))
    for picture in pictures:
        picture.unlink()
    result: dict[str, Any] = {"ok": True, "purged": purged, "unsent_lost": unsent, "pictures_removed": len(pictures)}
    if args.factory_reset:
        result["removed"] = factory_reset(ctx, config)
    lines = [f"purged the personal data of {purged} records ({unsent} had not reached the hall)"]
    if args.factory_reset:
        lines.append(f"factory reset: removed {', '.join(result['removed']) or 'nothing'}")
        lines.append("next: kiosk-provision init")
    ctx.output.emit(result, lambda: "\n".join(lines))
    return 0


def factory_reset(ctx: Context, config: Config) -> list[str]:
    """Delete the data directory's contents, the PKI files and the config; what was removed."""
    removed: list[str] = []
    data_dir = config.kiosk.data_dir
    if data_dir.is_dir():
        if not _data_dir_is_ours(config):
            raise CommandError(f"kiosk.data_dir {data_dir} does not look like a kiosk data directory; not deleting it")
        if _remove_children(data_dir):
            removed.append(f"{data_dir}/*")
    link = config.mqtt
    pki_files = [p for p in (link.key_file, link.cert_file, link.ca_file) if p is not None]
    if link.key_file is not None:
        pki_files.append(Path(link.key_file).with_name("kiosk.csr"))
    for path in (*pki_files, ctx.config_path, ctx.config_path.with_name(ctx.config_path.name + ".bak")):
        path = Path(path)
        if path.is_file():
            path.unlink()
            removed.append(str(path))
    return removed
