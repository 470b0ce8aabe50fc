"""``kiosk-provision doctor``: every check a technician would do by hand, with the fix for each failure.

Checks: config (root's, read-only to the services; the hall's settings), the mode (a production kiosk runs no
simulator and no plaintext link), each device (and that CUPS deletes the certificates it printed), the broker,
the certificates (match, CA, expiry) and the hall's signing key, the clock, the disk, the database and the
backlog. Exit status 1 when any check fails (a WARN does not fail: a kiosk not started yet has no database, which
is a WARN). While the shell runs it owns the devices, so their state is read from what the shell last recorded
instead of opening them again.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import grp
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from kiosk.config import MIB, Config
from kiosk.devices import DeviceKind
from kiosk.shared_settings import HALL_LINK, agent_alive
from kiosk.store import Inspector, StoreError
from provisioning import devicecheck, layout, pki, printspool
from provisioning.broker import check_broker
from provisioning.context import DEFAULT_SERVICE_USER, CommandError, Context, lookup_owner
from provisioning.output import age, table
from sync import signing

CHECKS = ("devices", "broker", "certificates", "clock", "disk", "database", "agent")
CERT_WARN_DAYS = 30
CLOCK_FLOOR = _dt.datetime(2025, 1, 1, tzinfo=_dt.UTC)  # a clock before this was reset (dead RTC battery)
NTP_FLAG = Path("/run/systemd/timesync/synchronized")  # touched by systemd-timesyncd once synchronised


@dataclass(frozen=True)
class Check:
    """One line of the doctor's table."""

    name: str
    result: str  # pass | warn | fail | skip
    detail: str
    fix: str = ""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``doctor`` parser."""
    p = sub.add_parser(
        "doctor",
        parents=[common],
        help="check devices, broker, certificates, clock, disk and database; say how to fix failures",
        description="Runs every check and prints PASS/WARN/FAIL with the fix for each problem. "
        "Exit status 1 if anything fails.",
    )
    p.add_argument("--skip", action="append", default=[], choices=CHECKS, help="leave out a check (repeatable)")
    p.set_defaults(func=run)


def check_devices(ctx: Context, config: Config) -> list[Check]:
    """Each device: probed, or as the running shell last saw it."""
    alive = devicecheck.screen_alive_age(config.db_path, ctx.clock())
    recorded: dict[str, Any] = {}
    if alive is not None and alive < config.health.ui_stale_s:
        with ctx.inspect(config) as db:
            recorded = db.device_statuses()
    checks = []
    for kind in DeviceKind:
        section = getattr(config.devices, kind.value)
        if kind.value in recorded and section.enabled and section.transport != "none":
            found = devicecheck.from_status(kind.value, recorded[kind.value])
            detail = f"{found.detail} (as the running shell sees it)"
        else:
            found = devicecheck.probe(kind, section, config.kiosk.data_dir)
            detail = found.detail
        result = "pass" if found.ok else "fail"
        if found.ok and found.state == "degraded":
            result = "warn"
        checks.append(Check(f"device {kind.value}", result, detail, found.fix))
    return checks


def check_print_spool(ctx: Context, config: Config) -> list[Check]:
    """An A4 printer on the machine's CUPS: CUPS must not keep the certificates it printed (see
    :mod:`provisioning.printspool`)."""
    section = config.devices.document_printer
    if not section.enabled or section.transport != "cups":
        return []
    result, detail, fix = printspool.spool_finding(ctx.root)
    return [Check("print spool", result, detail, fix)]


def check_certificates(ctx: Context, config: Config) -> list[Check]:
    """Key, certificate and CA: present, private, matching, signed, not expired."""
    link = config.mqtt
    if not link.enabled:
        return [Check("certificates", "skip", "mqtt.enabled is false")]
    if not link.tls:
        if config.kiosk.mode == "production":
            return [Check("certificates", "fail", "TLS is off (mqtt.tls = false) on a production kiosk",
                          "kiosk-provision init --tls, then enroll")]  # fmt: skip
        return [Check("certificates", "skip", f"TLS is off (mqtt.tls = false), allowed in {config.kiosk.mode} mode")]
    missing = [str(p) for p in (link.ca_file, link.cert_file, link.key_file) if not (p and Path(p).is_file())]
    if missing:
        return [Check("certificates", "fail", f"missing: {', '.join(missing)}", pki.REENROLL)]
    checks = []
    key_path = Path(link.key_file)  # type: ignore[arg-type]
    st = key_path.stat()
    owner = lookup_owner(ctx.service_user)
    if st.st_mode & 0o077:
        checks.append(
            Check("private key", "fail", f"{key_path} is mode {st.st_mode & 0o777:o}", f"chmod 600 {key_path}")
        )
    elif owner is not None and st.st_uid != owner.uid:
        checks.append(
            Check("private key", "fail", f"{key_path} is not owned by {owner.user}", f"chown {owner.user} {key_path}")
        )
    else:
        checks.append(Check("private key", "pass", f"{key_path} mode 600"))
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        cert = pki.load_cert(Path(link.cert_file))  # type: ignore[arg-type]
        ca = pki.load_cert(Path(link.ca_file))  # type: ignore[arg-type]
    except (ValueError, TypeError, CommandError) as exc:
        return [*checks, Check("certificate", "fail", str(exc), pki.REENROLL)]
    now = _dt.datetime.fromtimestamp(ctx.clock(), _dt.UTC)
    problems = pki.check_cert(cert, ca=ca, key=key, kiosk_id=config.kiosk.id, now=now)  # type: ignore[arg-type]
    if problems:
        return [*checks, *(Check("certificate", "fail", p.what, p.fix) for p in problems)]
    left = cert.not_valid_after_utc - now
    detail = f"{pki.common_name(cert)}, expires {cert.not_valid_after_utc:%Y-%m-%d} ({left.days} days)"
    if left.days < CERT_WARN_DAYS:
        return [*checks, Check("certificate", "warn", detail, "renew soon: " + pki.REENROLL)]
    return [*checks, Check("certificate", "pass", detail)]


def check_hall_key(config: Config) -> list[Check]:
    """The hall's public signing key: without it the kiosk refuses every config and catalog update."""
    if not config.mqtt.enabled:
        return []
    path = config.mqtt.hall_key_file
    fix = "kiosk-provision enroll --hall-key signing.pub (from the hall's kiosk-hall pki)"
    result = "fail" if config.kiosk.mode == "production" else "warn"
    if path is None:
        return [Check("hall signing key", result, "none: config and catalog updates from the hall are refused", fix)]
    try:
        key = signing.load_public_key(Path(path).read_bytes(), str(path))
    except (OSError, ValueError) as exc:
        return [Check("hall signing key", result, str(exc), fix)]
    return [Check("hall signing key", "pass", f"{path} (key {signing.key_id(key)})")]


def check_mode(config: Config) -> list[Check]:
    """A production kiosk runs no simulated device and no plaintext link; lab and demo mode say so."""
    if config.kiosk.mode != "production":
        return [Check("mode", "warn", f"{config.kiosk.mode} mode: simulators and a plaintext link are allowed",
                      "on the citizens' floor: kiosk.mode = \"production\" (the default)")]  # fmt: skip
    problems = config.mode_problems()
    fix = "configure the real devices and TLS (kiosk-provision init --device ... --tls; enroll)"
    return [Check("mode", "fail", p, fix) for p in problems] or [Check("mode", "pass", "production")]


def check_clock(ctx: Context, config: Config) -> list[Check]:
    """The clock is plausible, and synchronised when we can tell."""
    now = _dt.datetime.fromtimestamp(ctx.clock(), _dt.UTC)
    if now < CLOCK_FLOOR:
        return [
            Check(
                "clock",
                "fail",
                f"the clock says {now:%Y-%m-%d %H:%M} UTC",
                "set the time (timedatectl set-time ...) and enable NTP (timedatectl set-ntp true); "
                "replace the mainboard battery if it resets again",
            )
        ]
    if NTP_FLAG.exists():
        return [Check("clock", "pass", f"{now:%Y-%m-%d %H:%M} UTC, NTP synchronised")]
    return [
        Check(
            "clock",
            "warn",
            f"{now:%Y-%m-%d %H:%M} UTC, NTP state unknown",
            "check: timedatectl (NTP service active, System clock synchronized: yes)",
        )
    ]


def check_disk(config: Config, disk_usage: Callable[[Path], Any] = shutil.disk_usage) -> list[Check]:
    """Free space where the database lives."""
    where = config.kiosk.data_dir if config.kiosk.data_dir.exists() else config.kiosk.data_dir.parent
    usage = disk_usage(where)
    free_mb, pct = usage.free / MIB, 100.0 * usage.free / usage.total if usage.total else 0.0
    detail = f"{free_mb:.0f} MB free ({pct:.0f}%) on {where}"
    if usage.free < config.store.min_free_bytes or pct < config.health.disk_min_free_pct:
        return [
            Check(
                "disk",
                "fail",
                detail,
                "free disk space (journalctl --vacuum-size=100M) or export the backlog "
                "(kiosk-provision outbox export FILE)",
            )
        ]
    return [Check("disk", "pass", detail)]


def check_database(ctx: Context, config: Config) -> list[Check]:
    """The database file: there, intact, the service user's, and its backlog not too old."""
    db_path = config.db_path
    if not db_path.is_file():
        if not config.kiosk.data_dir.is_dir():
            fix = "kiosk-provision install (makes it; the kiosk makes the database at its first start: systemctl start)"
            return [Check("database", "fail", f"no data directory {config.kiosk.data_dir}", fix)]
        # Before the first start there is none, and that is fine: the kiosk makes it when it starts.
        return [Check("database", "warn", f"none yet at {db_path}: the kiosk makes it when it first starts")]
    try:
        with Inspector.from_config(config, clock=ctx.clock) as db:
            verdict = db.quick_check()
            oldest = db.oldest_pending()
    except StoreError as exc:
        return [Check("database", "fail", f"{db_path}: {exc}", "stop the kiosk and call the vendor (keep the file)")]
    if verdict != "ok":
        return [
            Check("database", "fail", f"{db_path}: {verdict}", "stop the kiosk and call the vendor (keep the file)")
        ]
    owner = lookup_owner(ctx.service_user)
    checks = [Check("database", "pass", f"{db_path} intact")]
    st = db_path.stat()
    shared = ctx.service_user == DEFAULT_SERVICE_USER and lookup_owner(layout.UI_USER) is not None
    if owner is not None and st.st_uid != owner.uid and st.st_gid != owner.gid:
        checks = [
            Check(
                "database",
                "fail",
                f"{db_path} belongs neither to {owner.user} nor to its group",
                f"chown -R {owner.user}:{owner.user} {config.kiosk.data_dir}",
            )
        ]
    elif shared and (st.st_mode & 0o060) != 0o060:  # kiosk-sync and kiosk-ui (two accounts) both write it
        checks = [Check("database", "fail", f"{db_path} is not writable by the group both services share",
                        f"chmod -R g+rw {config.kiosk.data_dir}")]  # fmt: skip
    waited = None if oldest is None else ctx.clock() - oldest
    if waited is not None and waited > config.health.backlog_max_age_s:
        checks.append(
            Check(
                "backlog",
                "fail",
                f"the oldest row has waited {age(waited)}",
                "check the network and the hall broker (doctor's broker line); after a long outage: "
                "kiosk-provision outbox export FILE and carry it to the hall",
            )
        )
    else:
        checks.append(Check("backlog", "pass", "nothing pending" if waited is None else f"oldest {age(waited)}"))
    return checks


def check_agent(ctx: Context, config: Config) -> list[Check]:
    """The sync agent is alive: it rewrites its hall-link note every few seconds (kiosk/shared_settings.py)."""
    if not config.mqtt.enabled:
        return [Check("agent", "skip", "mqtt.enabled is false")]
    if not config.db_path.is_file():
        return [Check("agent", "skip", "no database (see the database line)")]
    try:
        with Inspector.from_config(config, clock=ctx.clock) as db:
            note = db.get_setting(HALL_LINK.key)
    except StoreError as exc:
        return [Check("agent", "skip", f"cannot read the database: {exc}")]
    fix = "systemctl restart kiosk-sync; if it stops again: journalctl -u kiosk-sync -n 50"
    if not agent_alive(note, ctx.clock()):
        at = note.get("at") if isinstance(note, dict) else None
        since = "never ran" if not isinstance(at, int | float) else f"silent for {age(ctx.clock() - at)}"
        return [Check("agent", "fail", f"kiosk-sync is not running ({since}): nothing reaches the hall", fix)]
    if not note.get("online"):
        return [Check("agent", "warn", "kiosk-sync runs, but the hall link is down", "see the broker line")]
    return [Check("agent", "pass", "kiosk-sync runs; hall link online")]


def check_config_owner(ctx: Context, config: Config) -> list[Check]:
    """The config is valid (it loaded), the services can read it and cannot change it (nor its directory), and
    the hall's settings laid over it are usable."""
    owner = lookup_owner(ctx.service_user)
    group = _group_name(owner.gid) if owner is not None else "kiosk"
    path = ctx.config_path
    checks = []
    for target in (path, path.parent):
        st = target.stat()
        writable = st.st_mode & 0o002 or (owner is not None and owner.uid != 0 and (
            (st.st_uid == owner.uid) or (st.st_gid == owner.gid and st.st_mode & 0o020)))  # fmt: skip
        if writable:
            mode = "640" if target == path else "750"
            fix = f"chown root:{group} {target} && chmod {mode} {target}"
            checks.append(Check("config", "fail", f"{target} can be changed by the services' account", fix))
    if owner is not None and not _group_can_read(path, owner):
        checks.append(Check("config", "fail", f"{path} cannot be read by group {group}: the services cannot "
                            "read it", f"chown root:{group} {path} && chmod 640 {path}"))  # fmt: skip
    if config.hall_settings_error:
        fix = "the kiosk runs on kiosk.toml alone; the hall's next config update replaces them"
        checks.append(Check("hall settings", "warn", f"ignored: {config.hall_settings_error}", fix))
    elif config.hall_settings:
        checks.append(Check("hall settings", "pass", config.hall_settings))
    return checks or [Check("config", "pass", config.source)]


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _group_can_read(path: Path, owner: Any) -> bool:
    st = path.stat()
    by_group = st.st_gid == owner.gid and st.st_mode & 0o040
    return bool(owner.uid == 0 or st.st_uid == owner.uid or by_group or st.st_mode & 0o004)


def run_checks(ctx: Context, config: Config, skip: set[str]) -> list[Check]:
    """All checks not in ``skip``, in table order."""
    checks: list[Check] = [*check_config_owner(ctx, config), *check_mode(config)]
    if "devices" not in skip:
        checks += check_devices(ctx, config)
        checks += check_print_spool(ctx, config)
    if "broker" not in skip:
        if not config.mqtt.enabled:
            checks.append(Check("broker", "skip", "mqtt.enabled is false"))
        else:
            found = check_broker(config, timeout_s=10.0)
            checks.append(Check("broker", "pass" if found.ok else "fail", found.detail, found.fix))
    if "certificates" not in skip:
        checks += check_certificates(ctx, config)
        checks += check_hall_key(config)
    if "clock" not in skip:
        checks += check_clock(ctx, config)
    if "disk" not in skip:
        checks += check_disk(config)
    if "database" not in skip:
        checks += check_database(ctx, config)
    if "agent" not in skip:
        checks += check_agent(ctx, config)
    return checks


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run the checks and print the table."""
    try:
        config = ctx.config()
    except CommandError as exc:
        checks = [Check("config", "fail", str(exc).split("\n")[0], "kiosk-provision init (or fix the named key)")]
    else:
        checks = run_checks(ctx, config, set(args.skip))
    failed = [c for c in checks if c.result == "fail"]
    result = {"ok": not failed, "failed": len(failed), "checks": [asdict(c) for c in checks]}

    def human() -> str:
        rows = [[c.name, c.result.upper(), c.detail, c.fix] for c in checks]
        summary = "all checks passed" if not failed else f"{len(failed)} check(s) failed: fix them top to bottom"
        return f"{table(['check', 'result', 'detail', 'fix'], rows)}\n{summary}"

    ctx.output.emit(result, human)
    return 1 if failed else 0
