"""``kiosk-update``: the kiosk's software updater (run by ``kiosk-update.timer``, as root).

    kiosk-update run [--now]        one pass: finish a trial, else check (when due), install, switch, verify
    kiosk-update status [--json]    slots, versions, the trial under way, versions rolled back
    kiosk-update trust ROOT.json    install the hall's TUF root (from 'kiosk-hall release init')
    kiosk-update switch             technician: go back to the other slot by hand (and restart the services)

Settings: the ``[update]`` section of the kiosk config (``--config``, ``$KIOSK_CONFIG``, /etc/kiosk/kiosk.toml).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import Metadata, Root

from kiosk.atomicfile import write_atomic
from kiosk.config import Config, ConfigError, config_path, load_config
from provisioning.updater.client import ReleaseClient
from provisioning.updater.fetcher import MutualTLSFetcher
from provisioning.updater.health import HealthWatch
from provisioning.updater.report import Reporter
from provisioning.updater.services import UNITS, ServiceManager, Systemctl
from provisioning.updater.slots import SLOT_NAMES, SlotError, SlotInstaller, Slots
from provisioning.updater.state import load_state
from provisioning.updater.updater import Parts, SoftwareUpdater

log = logging.getLogger("provisioning.updater")


def build_parts(
    config: Config,
    *,
    services: ServiceManager | None = None,
    installer: SlotInstaller | None = None,
    poll_s: float = 1.0,
) -> Parts:
    """The updater's parts for this kiosk's configuration (tests swap the service manager and the installer)."""
    settings = config.update

    def client() -> ReleaseClient:
        fetcher = MutualTLSFetcher(ca_file=settings.ca_file, cert_file=settings.cert_file, key_file=settings.key_file)
        return ReleaseClient(
            settings.repository_url,
            trust_root=settings.trust_root,
            metadata_dir=settings.state_dir / "metadata",
            fetcher=fetcher,
        )

    return Parts(
        settings=settings,
        slots=Slots(settings.slot_root),
        installer=installer or SlotInstaller(),
        services=services or Systemctl(),
        health=HealthWatch(
            config.db_path, ui_stale_s=config.health.ui_stale_s, need_agent=config.mqtt.enabled, poll_s=poll_s
        ),
        reporter=Reporter(config.db_path, settings.state_dir / "events.jsonl", kiosk_id=config.kiosk.id),
        db_path=config.db_path,
        client=client,
    )


@contextmanager
def exclusive(state_dir: Path) -> Iterator[None]:
    """One updater at a time (the timer's and a technician's)."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(state_dir / "lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SlotError("another kiosk-update is running") from None
        yield


def status(config: Config) -> dict[str, Any]:
    """The slots, their versions, the trial under way and what was rolled back."""
    settings = config.update
    slots = Slots(settings.slot_root)
    state = load_state(settings.state_dir / "state.json")
    return {
        "repository": settings.repository_url or None,
        "trust_root": settings.trust_root.is_file(),
        "current": slots.active(),
        "slots": {name: slots.release(name) for name in SLOT_NAMES},
        "trial": asdict(state.trial) if state.trial else None,
        "rejected": state.rejected,
        "last_check": state.last_check or None,
    }


def status_text(result: dict[str, Any]) -> str:
    """:func:`status` for a technician's terminal."""
    lines = [
        f"repository: {result['repository'] or 'none (updates off)'}",
        f"trusted root: {'yes' if result['trust_root'] else 'MISSING (kiosk-update trust FILE)'}",
    ]
    for name, release in result["slots"].items():
        mark = "*" if name == result["current"] else " "
        what = f"{release['version']} ({release['source']})" if release else "empty or incomplete"
        lines.append(f"{mark} slot {name}: {what}")
    if result["trial"]:
        lines.append(f"on trial: {result['trial']['version']} in slot {result['trial']['slot']}")
    if result["rejected"]:
        lines.append(f"rolled back before (not installed again): {', '.join(result['rejected'])}")
    return "\n".join(lines)


def trust(config: Config, source: Path) -> dict[str, Any]:
    """Install ``source`` as the trusted root after checking it is root metadata signed by its own keys."""
    raw = source.read_bytes()
    try:
        md = Metadata[Root].from_bytes(raw)
        if not isinstance(md.signed, Root):
            raise RepositoryError(f"{source} is {md.signed.type} metadata, not root")
        md.signed.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except (RepositoryError, ValueError, KeyError) as exc:
        raise SlotError(f"{source} is not a valid self-signed TUF root: {exc}") from None
    target = config.update.trust_root
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, raw, mode=0o644)
    shutil.rmtree(config.update.state_dir / "metadata", ignore_errors=True)  # metadata of another root: forget
    return {"trusted": str(target), "root_version": md.signed.version, "expires": md.signed.expires.isoformat()}


def switch_by_hand(config: Config, services: ServiceManager) -> dict[str, Any]:
    """Point ``current`` at the other (completely installed) slot and restart the services."""
    slots = Slots(config.update.slot_root)
    active = slots.active()
    other = slots.other(active) if active else "a"
    if slots.version(other) is None:
        raise SlotError(f"slot {other} holds no complete installation")
    slots.switch(other)
    services.restart(UNITS)
    return {"current": other, "version": slots.version(other)}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kiosk-update", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--config", help="kiosk config (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)")
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="one update pass")
    run.add_argument("--now", action="store_true", help="check now, whatever the interval")
    st = sub.add_parser("status", help="slots and versions")
    st.add_argument("--json", action="store_true")
    tr = sub.add_parser("trust", help="install the hall's TUF root metadata")
    tr.add_argument("file", type=Path)
    sub.add_parser("switch", help="go to the other slot by hand and restart the services")
    return p


def main(argv: Sequence[str] | None = None, *, services: ServiceManager | None = None) -> int:
    """Entry point of ``kiosk-update``; the exit status (0 also when there was nothing to do)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(config_path(args.config))
    except ConfigError as exc:
        print(f"kiosk-update: {exc}", file=sys.stderr)
        return 2
    try:
        if args.cmd == "status":
            result = status(config)
        elif args.cmd == "trust":
            result = trust(config, args.file)
        elif args.cmd == "switch":
            with exclusive(config.update.state_dir):
                result = switch_by_hand(config, services or Systemctl())
        else:
            if not config.update.repository_url:
                print("kiosk-update: updates are off (no update.repository_url in the config)")
                return 0
            with exclusive(config.update.state_dir):
                outcome = SoftwareUpdater(build_parts(config, services=services)).run(force=args.now)
            result = asdict(outcome)
            print(json.dumps(result, ensure_ascii=False))
            return 1 if outcome.what in ("failed", "refused", "rolled_back") else 0
    except (SlotError, OSError) as exc:
        print(f"kiosk-update: {exc}", file=sys.stderr)
        return 1
    if args.cmd == "status" and not args.json:
        print(status_text(result))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
