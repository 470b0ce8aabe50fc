"""The shell's figures: ``python -m bench ui [--visits N] [--json]``.

- cold start: a new process, from interpreter start to the attract screen rendered (store opened, catalog
  loaded, translations and stylesheet applied, window shown offscreen); no devices, so it is the shell's cost.
- screen switch: in-process time of one citizen action plus the render of the next screen, p50/p95.
- memory: resident set size after 10 and after N (1,000) scripted visits through the shell; growth between.
Aims: cold start <= 1.5 s, switch p95 <= 50 ms, growth <= 5 MB.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIMS = {"cold_start_s": 1.5, "switch_p95_ms": 50.0, "rss_growth_mb": 5.0}

_COLD = r"""
import os, sys, time, tempfile
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from ui.app import get_app, setup_fonts
from ui.demo import make_demo_config
from ui.runtime import open_runtime
from ui.shell import Shell
app = get_app()
config = make_demo_config(Path(tempfile.mkdtemp()))
setup_fonts(app, config.screen.font_family)
runtime = open_runtime(config, kinds=frozenset(), hall_online=True)
shell = Shell(app, config, runtime.session, runtime.bridge, store=runtime.store)
shell.start(show=True, devices=False)
app.processEvents()
print("READY", flush=True)
"""


def cold_start(runs: int = 3) -> float:
    """Median seconds from spawning ``python`` to the attract screen shown."""
    times = []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, env=env, check=True)
        if "READY" not in proc.stdout:
            raise RuntimeError(proc.stderr)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def rss_mb() -> float:
    """Resident set size of this process, MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class Visits:
    """A shell (no devices) and a scripted visit: typed ID, a bundle, the whole form, submit, skip rating."""

    def __init__(self, data_dir: Path) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from ui.app import get_app, setup_fonts
        from ui.demo import NIGHT, DemoClock, make_demo_config
        from ui.runtime import open_runtime
        from ui.shell import Shell

        self.app = get_app()
        config = make_demo_config(data_dir)
        setup_fonts(self.app, config.screen.font_family)
        self.clock = DemoClock(NIGHT)
        self.runtime = open_runtime(config, clock=self.clock, kinds=frozenset(), hall_online=True)
        self.shell = Shell(self.app, config, self.runtime.session, self.runtime.bridge, store=self.runtime.store)
        self.shell.start(show=True, devices=False)
        self.switch_s: list[float] = []

    def act(self, name: str, *args: object) -> None:
        """One action and the render it causes, timed."""
        started = time.perf_counter()
        self.shell.navigator.dispatch(name, args)
        self.app.processEvents()
        self.switch_s.append(time.perf_counter() - started)

    def visit(self) -> None:
        """One scripted visit from attract back to attract."""
        from PySide6.QtCore import QEvent

        from ui.demo_visit import VALUES

        self.act("start")
        self.act("identify_typed", "150602198503151236")
        self.act("choose_bundle", "newborn")
        self.act("accept_notice")
        for f in self.runtime.session.view().fields:
            if not f.locked:
                self.shell.navigator.session.set_field(f.key, VALUES.get(f.key, "示例"))
        self.act("submit_form")
        self.act("confirm")
        self.act("receipt")
        self.act("proceed")
        self.act("skip_rating")
        self.clock.set(self.clock() + 30)
        self.shell.tick()
        self.app.processEvents()
        # What returning to the event loop does: delete the widgets deleteLater() marked (processEvents does not).
        self.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def close(self) -> None:
        """Stop the shell and close the store."""
        self.shell.stop()
        self.runtime.close()


def measure(visits: int) -> dict[str, float]:
    """All figures."""
    figures: dict[str, float] = {"cold_start_s": cold_start()}
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        v = Visits(Path(tmp))
        try:
            for _ in range(10):
                v.visit()
            gc.collect()
            figures["rss_after_10_mb"] = rss_mb()
            v.switch_s.clear()
            for _ in range(visits - 10):
                v.visit()
            gc.collect()
            figures["rss_after_n_mb"] = rss_mb()
        finally:
            v.close()
    ms = sorted(s * 1000 for s in v.switch_s)
    figures["switch_p50_ms"] = statistics.median(ms)
    figures["switch_p95_ms"] = ms[int(0.95 * (len(ms) - 1))]
    figures["rss_growth_mb"] = figures["rss_after_n_mb"] - figures["rss_after_10_mb"]
    figures["visits"] = visits
    return figures


def main(argv: list[str] | None = None) -> int:
    """Print the figures as a table (or JSON); exit 1 when ``--check`` and an aim is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench ui", description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000, help="scripted visits for the memory figure")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when an aim is missed")
    args = parser.parse_args(argv)
    figures = measure(max(args.visits, 20))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{'figure':24} {'value':>10}  aim")
        for key, value in figures.items():
            aim = AIMS.get(key)
            print(f"{key:24} {value:10.2f}  {'<= ' + str(aim) if aim is not None else ''}")
    missed = [k for k, aim in AIMS.items() if figures[k] > aim]
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
