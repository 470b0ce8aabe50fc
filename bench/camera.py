"""Document camera figures: ``python -m bench camera``.

1. Processing alone (find, deskew, judge, compress) of the simulator's sample photographs (every sample page,
   three lights, several noise draws): p50/p95/max per stage, page bytes against the budget.
2. Capture -> processed page ready, end to end: the simulated camera streaming MJPEG over HTTP at its frame
   rate, read by the real OpenCV link and facade on a DeviceRunner with the live preview running; each capture
   is ``ui.capture_work.take_page`` submitted to the runner, timed until its page is back (the store's part of
   capture -> stored is measured where the store is). p50/p95/max.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from drivers.camera.factory import open_from_config
from drivers.camera.simulator import Scene, compose, sample_scenes
from drivers.runner import DeviceRunner
from kiosk.capture.page import CaptureSettings
from kiosk.capture.pipeline import process_frame
from kiosk.config import DeviceSection
from kiosk.devices import DeviceStatus


def _stats(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def bench_processing(rounds: int, settings: CaptureSettings) -> tuple[dict[str, list[float]], list[int], int]:
    """Per-stage times (ms), page sizes, and how many frames were refused (none should be)."""
    stages: dict[str, list[float]] = {"find": [], "deskew": [], "assess": [], "encode": [], "total": []}
    sizes: list[int] = []
    refused = 0
    for r in range(rounds):
        for scene in sample_scenes():
            frame = compose(scene, noise_seed=r).frame
            t0 = time.perf_counter()
            result = process_frame(frame, settings)
            stages["total"].append((time.perf_counter() - t0) * 1e3)
            for name, seconds in result.timings.items():
                stages[name].append(seconds * 1e3)
            if result.page is None:
                refused += 1
            else:
                sizes.append(result.page.size)
    return stages, sizes, refused


class _Sink:
    """A status sink that keeps nothing (the benchmark has no store)."""

    def report(self, status: DeviceStatus) -> None:
        """Ignore the status."""


def bench_end_to_end(captures: int, settings: CaptureSettings, fps: float) -> tuple[list[float], int]:
    """Capture -> page ready times (ms) through the real link and a runner, and the preview frames seen."""
    from ui.capture_work import take_page  # the function the shell submits (Qt's image types only)

    camera = open_from_config(DeviceSection(transport="simulator", poll_s=5.0, options={"fps": str(fps)}))
    runner = DeviceRunner(camera, _Sink(), poll_s=5.0)  # type: ignore[arg-type]
    previews: list[object] = []
    camera.subscribe(previews.append)
    runner.start()
    times: list[float] = []
    try:
        runner.submit(camera.start_preview).result(10)
        scenes = sample_scenes()
        for i in range(captures):
            camera.simulator.show(scenes[i % len(scenes)])  # laid down before the button is pressed
            time.sleep(0.3)
            t0 = time.perf_counter()
            result = runner.submit(take_page, camera, settings).result(30)
            times.append((time.perf_counter() - t0) * 1e3)
            if result.page is None:
                raise SystemExit(f"capture {i} was refused: {result.problem}")
    finally:
        runner.stop(10)
    return times, len(previews)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench camera", description=__doc__.splitlines()[0])
    parser.add_argument("-r", type=int, default=3, help="noise draws of every sample photograph (default 3)")
    parser.add_argument("-m", type=int, default=30, help="captures end to end (default 30)")
    parser.add_argument("--fps", type=float, default=6.0, help="the simulated camera's frame rate (default 6)")
    args = parser.parse_args(argv)
    settings = CaptureSettings()

    stages, sizes, refused = bench_processing(args.r, settings)
    n = len(stages["total"])
    print(f"Processing {n} frames of {Scene().size[0]}x{Scene().size[1]} (sample pages, 3 lights)")
    print(f"{'stage':<10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, samples in stages.items():
        p50, p95, top = _stats(samples)
        print(f"{name:<10}{p50:>10.1f}{p95:>10.1f}{top:>10.1f}")
    budget = settings.page_budget_bytes
    print(f"pages: {len(sizes)} kept, {refused} refused; bytes mean {statistics.mean(sizes):,.0f}, "
          f"max {max(sizes):,} (budget {budget:,}: {'met' if max(sizes) <= budget else 'MISSED'})")  # fmt: skip
    if args.m > 0:
        times, previews = bench_end_to_end(args.m, settings, args.fps)
        p50, p95, top = _stats(times)
        print(f"capture -> processed page ready ({args.m} captures, camera at {args.fps:g} fps, preview on, "
              f"{previews} preview frames): p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms")  # fmt: skip
    return 1 if refused or max(sizes) > budget else 0


if __name__ == "__main__":
    sys.exit(main())
