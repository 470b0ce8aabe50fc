"""The ``kiosk`` command: ``kiosk run [--config PATH]`` and ``kiosk demo [--headless] [--out DIR] [--text]``."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="The self-service kiosk's touchscreen shell.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the kiosk (full screen, real devices from the config)")
    run.add_argument("--config", help="config file (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)")
    demo = sub.add_parser("demo", help="the kiosk on simulated devices")
    demo.add_argument("--headless", action="store_true", help="play the scripted visit offscreen, write PNGs")
    demo.add_argument("--out", default="demo-out", help="where the headless demo writes (default ./demo-out)")
    demo.add_argument("--text", action="store_true", help="the Qt-free text demo of the core")
    demo.add_argument("--quick", action="store_true", help="headless: landscape only, one per language")
    return parser


def has_display(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether a window can be shown (X11 or Wayland)."""
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script."""
    args = _parser().parse_args(argv)
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format=fmt)
    if args.command == "run":
        return run_kiosk(args.config)
    if args.text:
        return text_demo()
    if args.headless or not has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from ui.demo import run_headless

        return run_headless(Path(args.out), quick=args.quick)
    from ui.demo import run_windowed

    return run_windowed()


def run_kiosk(config_flag: str | None) -> int:
    """The real kiosk: config, store, devices, full-screen shell; returns when the application quits."""
    from kiosk.config import ConfigError, config_path, load_config

    try:
        config = load_config(config_path(config_flag))
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    refused = config.mode_problems()
    if refused:  # a production kiosk never serves citizens on simulated devices or over a plaintext link
        print(f"kiosk: {config.source} is a production config (kiosk.mode): {'; '.join(refused)}; "
              'kiosk.mode = "lab" or "demo" allows them, off the citizens\' floor only', file=sys.stderr)  # fmt: skip
        return 2
    if config.hall_settings_error:
        log.warning("running without the hall's settings: %s", config.hall_settings_error)
    from ui.app import get_app, pyside_problem, setup_fonts

    app = get_app()
    problem = pyside_problem()
    if problem:
        print(f"kiosk: {problem}", file=sys.stderr)
        return 2
    setup_fonts(app, config.screen.font_family)
    from ui.sample_cards import empty_readers

    config = empty_readers(config)  # a simulated reader starts with no card in it (the technician screen adds one)
    from kiosk.sdnotify import Notifier
    from ui.runtime import open_runtime
    from ui.shell import Shell

    runtime = open_runtime(config)
    # systemd (kiosk-ui.service, Type=notify) names its socket in the environment; READY and the watchdog
    # pings go there from the GUI thread.
    shell = Shell(app, config, runtime.session, runtime.bridge, store=runtime.store, notifier=Notifier())
    restore = exit_on_sigterm(app)
    try:
        shell.start(show=True)
        return app.exec()
    finally:
        restore()
        shell.stop()
        runtime.close()


def exit_on_sigterm(app: QCoreApplication) -> Callable[[], None]:
    """Make SIGTERM (how systemd stops the unit) leave the event loop, so the shell still says STOPPING=1 and
    reports a technician left in maintenance; returns what puts the previous handler back.

    ``app.exit`` rather than ``quit``: Qt 6's quit first asks every window to close, and the kiosk window
    refuses. Python runs the handler at the next Python slot (the card poll, the tick), well within a second.
    """
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: app.exit(0))
    return lambda: signal.signal(signal.SIGTERM, previous)


def text_demo() -> int:
    """The Qt-free scripted visit of the core, printed as text."""
    import tempfile
    import time

    from kiosk.catalog import CatalogRepository
    from kiosk.demo import run_headless_demo

    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        catalog = CatalogRepository(Path(tmp)).active()
        return run_headless_demo(sys.stdout, Path(tmp), catalog, time.time)


if __name__ == "__main__":
    raise SystemExit(main())
