"""The shell's figures: ``python -m bench ui [--visits N] [--json]``.

- cold start: a new shell process (store opened, catalog loaded, translations and stylesheet applied, window
  shown offscreen; no devices, so it is the shell's cost): seconds from spawn to its first paint, to ``READY=1``
  on a notify socket (what systemd waits for), and to the pinyin index built (after both, on purpose).
- screen switch: in-process time of one citizen action plus the render of the next screen, p50/p95.
- memory: resident set size after 10 and after N (1,000) scripted visits through the shell; growth between.
Aims: spawn to READY <= 1.5 s, switch p95 <= 50 ms, growth <= 5 MB.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIMS = {"spawn_to_ready_s": 1.5, "switch_p95_ms": 50.0, "rss_growth_mb": 5.0}

_COLD = r"""
import os, sys, tempfile
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from kiosk.sdnotify import Notifier
from ui.app import get_app, setup_fonts
from ui.demo import make_demo_config
from ui.pinyin_loader import pinyin_loader
from ui.runtime import open_runtime
from ui.shell import Shell

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print("PAINT", flush=True)
        return False

app = get_app()
painted = FirstPaint()
app.installEventFilter(painted)
config = make_demo_config(Path(tempfile.mkdtemp()))
setup_fonts(app, config.screen.font_family)
runtime = open_runtime(config, kinds=frozenset(), hall_online=True)
shell = Shell(app, config, runtime.session, runtime.bridge, store=runtime.store, notifier=Notifier())
if os.environ.get("BENCH_PINYIN_AT_START"):  # the baseline: the index built from the start, as before
    pinyin_loader().start()
shell.start(show=True, devices=False)
pinyin_loader().ready.connect(lambda index: (print("PINYIN", flush=True), app.quit()))
QTimer.singleShot(30_000, app.quit)
app.exec()
"""

MARKS = ("paint", "ready", "pinyin")


def spawn_once(pinyin_at_start: bool = False) -> dict[str, float]:
    """One kiosk shell process: seconds from spawn to its first paint, to READY=1 on a notify socket of ours (as
    systemd would get it), and to the pinyin index built."""
    with tempfile.TemporaryDirectory(prefix="bench-ui-notify-") as tmp:
        address = str(Path(tmp) / "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(address)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": address}
        env.pop("WATCHDOG_USEC", None)
        if pinyin_at_start:
            env["BENCH_PINYIN_AT_START"] = "1"
        seen: dict[str, float] = {}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _COLD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env)  # fmt: skip
        assert proc.stdout is not None
        try:
            with selectors.DefaultSelector() as sel:
                sel.register(sock, selectors.EVENT_READ, "notify")
                sel.register(proc.stdout, selectors.EVENT_READ, "stdout")
                while len(seen) < len(MARKS) and time.perf_counter() - started < 60:
                    for key, _ in sel.select(timeout=1.0):
                        now = time.perf_counter() - started
                        if key.data == "notify":
                            if b"READY=1" in sock.recv(4096):
                                seen.setdefault("ready", now)
                        else:
                            line = proc.stdout.readline().decode().strip().lower()
                            if line in MARKS:
                                seen.setdefault(line, now)
                            elif not line and proc.poll() is not None:
                                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "exited")
        finally:
            proc.kill()
            proc.wait()
            sock.close()
        if len(seen) < len(MARKS):
            raise RuntimeError(f"only {sorted(seen)} seen from the shell process")
        return seen


def cold_start(runs: int = 5) -> dict[str, float]:
    """Median seconds from spawning the shell to its first paint, to READY and to the pinyin index built; the
    same with the index built from the start (the baseline, alternating with it in the same run)."""
    ours, baseline = [], []
    for _ in range(runs):
        ours.append(spawn_once())
        baseline.append(spawn_once(pinyin_at_start=True))
    figures = {f"spawn_to_{mark}_s": statistics.median(s[mark] for s in ours) for mark in MARKS}
    for mark in ("paint", "ready"):
        figures[f"pinyin_first_{mark}_s"] = statistics.median(s[mark] for s in baseline)
        spread = sorted(o[mark] / b[mark] for o, b in zip(ours, baseline, strict=True))
        figures[f"{mark}_vs_pinyin_first_min"], figures[f"{mark}_vs_pinyin_first_max"] = spread[0], spread[-1]
    return figures


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

    def wait_for_pinyin(self, timeout_s: float = 60.0) -> None:
        """Run the event loop until the shell's pinyin index is built (it starts after READY)."""
        from ui.pinyin_loader import pinyin_loader

        deadline = time.monotonic() + timeout_s
        while not pinyin_loader().done:
            if time.monotonic() > deadline:
                raise RuntimeError("the pinyin index was not built")
            self.app.processEvents()
            time.sleep(0.01)

    def close(self) -> None:
        """Stop the shell and close the store."""
        self.shell.stop()
        self.runtime.close()


def measure(visits: int) -> dict[str, float]:
    """All figures."""
    figures: dict[str, float] = dict(cold_start())
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        v = Visits(Path(tmp))
        try:
            v.wait_for_pinyin()  # a one-time allocation (tens of MB), made once the shell is up: not growth
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
