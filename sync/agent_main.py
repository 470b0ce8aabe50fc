"""``kiosk-sync``: the sync agent process (run by systemd next to the screen process).

Reads the kiosk config (``--config``, else ``$KIOSK_CONFIG``, else ``/etc/kiosk/kiosk.toml``), opens the shared
store, and runs the agent until SIGTERM/SIGINT. Tells systemd READY=1 once running and WATCHDOG=1 while its loop
turns (when started with ``Type=notify`` / ``WatchdogSec=``). Logs go to stderr in a journald-friendly form: a
``<N>`` syslog priority prefix when stderr is the journal, plain ``LEVEL logger: message`` otherwise.
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
from pathlib import Path
from typing import Any

from kiosk.catalog import CatalogError, CatalogRepository
from kiosk.config import Config, ConfigError, config_path, load_config
from kiosk.health import HealthRules, RuleError
from kiosk.sdnotify import Notifier
from kiosk.store import Store, StoreError
from sync import signing
from sync.agent import Agent
from sync.downlink import CatalogInstaller, Downlink
from sync.heartbeat import HealthMonitor
from sync.online import kiosk_side

log = logging.getLogger("sync.agent_main")

_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}


class JournalFormatter(logging.Formatter):
    """``<priority>logger: message`` (journald reads the prefix as the level; it adds the time itself)."""

    def format(self, record: logging.LogRecord) -> str:
        """Prefix the syslog priority of the record's level."""
        priority = _PRIORITY.get(record.levelno, 6)
        return f"<{priority}>{record.name}: {super().format(record)}"


def setup_logging(level: str = "INFO", env: dict[str, str] | None = None) -> None:
    """Log to stderr; journald-style when ``$JOURNAL_STREAM`` says stderr is the journal."""
    env = dict(os.environ) if env is None else env
    handler = logging.StreamHandler(sys.stderr)
    if env.get("JOURNAL_STREAM"):
        handler.setFormatter(JournalFormatter("%(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def catalog_installer(config: Config) -> CatalogInstaller:
    """Install hall catalogs through ``kiosk.catalog.CatalogRepository`` (validated, atomic, previous kept)."""
    repo = CatalogRepository(config.kiosk.data_dir)

    def install(document: dict[str, Any]) -> Any:
        try:
            return repo.install(json.dumps(document, ensure_ascii=False).encode("utf-8"))
        except CatalogError as exc:
            raise ValueError(str(exc)) from None  # Downlink answers ValueError as "rejected" with the reason

    return install


def hall_key(config: Config) -> Any:
    """The hall's public signing key named by ``mqtt.hall_key_file`` (None: config and catalog updates are
    refused); ``ValueError`` naming the file if it cannot be read."""
    path = config.mqtt.hall_key_file
    if path is None:
        return None
    try:
        return signing.load_public_key(Path(path).read_bytes(), str(path))
    except OSError as exc:
        raise ValueError(f"mqtt.hall_key_file: cannot read {path}: {exc.strerror or exc}") from None


def build_agent(config: Config, path: Path, store: Store, **agent_kwargs: Any) -> Agent:
    """Wire the agent for ``config`` (the config file at ``path`` receives the hall's config updates)."""
    rules = HealthRules.from_config(config.health, min_free_bytes=config.store.min_free_bytes)
    downlink = Downlink(
        store,
        kiosk_id=config.kiosk.id,
        hall_identity=config.mqtt.hall_identity,
        config_path=path,
        catalog_installer=catalog_installer(config),
        data_dir=config.kiosk.data_dir,
        hall_key=hall_key(config),
        ui_stale_s=config.health.ui_stale_s,
    )
    monitor = HealthMonitor(store, kiosk=config.kiosk, link=config.mqtt, health=config.health, rules=rules)
    return Agent(store, kiosk=config.kiosk, link=config.mqtt, downlink=downlink, monitor=monitor, **agent_kwargs)


def _watchdog(notifier: Notifier, clock: Callable[[], float] = time.monotonic) -> Callable[[], None]:
    interval = (notifier.watchdog_s or 0) / 2
    last = 0.0

    def tick() -> None:
        nonlocal last
        if interval and clock() - last >= interval:
            notifier.notify("WATCHDOG=1")
            last = clock()

    return tick


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``kiosk-sync``; the exit status."""
    parser = argparse.ArgumentParser(prog="kiosk-sync", description="Kiosk <-> hall sync agent (MQTT).")
    parser.add_argument("--config", help="config file (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    setup_logging(args.log_level)
    path = config_path(args.config)
    try:
        config = load_config(path)
    except ConfigError as exc:
        log.error("cannot start: %s", exc)
        return 2
    refused = config.mode_problems()
    if refused:  # a production kiosk never runs on simulators or over plaintext
        log.error("cannot start: %s is a production config (kiosk.mode): %s; kiosk.mode = \"lab\" or \"demo\" "
                  "allows them, off the citizens' floor only", path, "; ".join(refused))  # fmt: skip
        return 2
    if config.hall_settings_error:
        log.warning("running without the hall's settings: %s", config.hall_settings_error)
    try:
        store = Store.from_config(config)
    except StoreError as exc:
        log.error("cannot start: %s", exc)
        return 2
    try:
        agent = build_agent(config, path, store)
    except (RuleError, ValueError) as exc:
        log.error("cannot start: %s", exc)
        store.close()
        return 2

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    notifier = Notifier()
    log.info(
        "kiosk-sync for %s (hall %s) -> %s:%d",
        config.kiosk.id,
        config.kiosk.hall_id,
        config.mqtt.host,
        config.mqtt.port,
    )
    online = kiosk_side.serve(agent, config)  # the screen process's online requests (queries, certificates...)
    notifier.notify("READY=1")
    watchdog = _watchdog(notifier)
    try:
        if config.mqtt.enabled:
            agent.run(stop, on_tick=watchdog)
        else:  # a kiosk without a hall link: stay up (systemd would restart an exited service) but do nothing
            log.warning("mqtt.enabled is false in %s: not connecting", path)
            while not stop.wait(1.0):
                watchdog()
    finally:
        notifier.notify("STOPPING=1")
        if online is not None:
            online.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
