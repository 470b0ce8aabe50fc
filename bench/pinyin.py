"""The pinyin input method's costs: ``python -m bench pinyin [--runs N] [--json] [--max-build-s S]``.

- build: a new process reads pypinyin's data and builds :class:`kiosk.pinyin.PinyinIndex` (what the shell pays
  once, at start or at the first Chinese field): wall and CPU seconds, resident memory it adds for good and at
  its peak while building. Median over ``--runs`` processes.
- for comparison, the same for ``import pypinyin`` (which loads the same files and builds its own converter).
- per key: ``candidates()`` (limit 40, what the candidate bar asks for on every letter) over every prefix of
  typical inputs (names, places, an address), and ``consume()``; p50/p99 in microseconds.
Aims: build <= 0.5 s, index <= 25 MB, candidates p99 <= 2 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

AIMS = {"build_wall_s": 0.5, "index_rss_mb": 25.0, "candidates_p99_us": 2000.0}

# Runs in a fresh interpreter; prints one JSON line. RSS is read from /proc (Linux, like the kiosk).
_BUILD = r"""
import gc, json, os, time
PAGE = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 1e6
def peak():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) * 1024 / 1e6
from kiosk.pinyin import PinyinIndex
gc.collect()
before = rss()
wall, cpu = time.perf_counter(), time.process_time()
index = PinyinIndex.build()
done_wall, done_cpu = time.perf_counter(), time.process_time()
gc.collect()
print(json.dumps({"build_wall_s": done_wall - wall, "build_cpu_s": done_cpu - cpu,
                  "index_rss_mb": rss() - before, "peak_rss_mb": peak() - before,
                  "words": len(index.phrases), "syllables": len(index.syllables)}))
"""

_PYPINYIN = r"""
import json, os, time
PAGE = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 1e6
before = rss()
started = time.perf_counter()
import pypinyin
print(json.dumps({"pypinyin_import_s": time.perf_counter() - started, "pypinyin_rss_mb": rss() - before}))
"""

# What citizens type into the Chinese fields: each prefix is one key press, then picks shorten the input.
INPUTS = (
    "wangxiaohe", "lishifan", "zhangsan", "ouyangna", "lvxiaoyu", "eerduosishizhongxinyiyuan",
    "neimengguzizhiqueerduosishidongshengqu", "shililuba", "mengguzu", "xian", "xi'an", "beijingshi",
    "qqq", "zhuangzuzizhixian",
)


def _subprocess(code: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_figures(runs: int) -> dict[str, float]:
    """Median of ``runs`` fresh processes, for the index and for importing pypinyin."""
    samples = [_subprocess(_BUILD) for _ in range(runs)]
    samples_pp = [_subprocess(_PYPINYIN) for _ in range(runs)]
    keys = list(samples[0]) + list(samples_pp[0])
    merged = [a | b for a, b in zip(samples, samples_pp, strict=True)]
    return {k: statistics.median(s[k] for s in merged) for k in keys}


def per_key_figures(repeat: int) -> dict[str, float]:
    """candidates() on every prefix of every input, and consume() of the first candidate: p50/p99 in µs."""
    from kiosk.pinyin import PinyinIndex

    index = PinyinIndex.build()
    prefixes = [text[:i] for text in INPUTS for i in range(1, len(text) + 1)]
    cand_us: list[float] = []
    consume_us: list[float] = []
    for _ in range(repeat):
        for text in prefixes:
            started = time.perf_counter()
            found = index.candidates(text, 40)
            cand_us.append((time.perf_counter() - started) * 1e6)
            if found:
                started = time.perf_counter()
                index.consume(text, found[0])
                consume_us.append((time.perf_counter() - started) * 1e6)
    cand_us.sort()
    consume_us.sort()
    return {
        "candidates_p50_us": cand_us[len(cand_us) // 2],
        "candidates_p99_us": cand_us[int(0.99 * (len(cand_us) - 1))],
        "consume_p50_us": consume_us[len(consume_us) // 2],
        "consume_p99_us": consume_us[int(0.99 * (len(consume_us) - 1))],
        "inputs_timed": float(len(cand_us)),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures (table or JSON); exit 1 when ``--max-build-s`` is given and missed."""
    parser = argparse.ArgumentParser(prog="python -m bench pinyin", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes for the build figures (median)")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the inputs for the per-key figures")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--max-build-s", type=float, default=None, help="exit 1 when the build is slower")
    args = parser.parse_args(argv)
    figures = build_figures(max(1, args.runs)) | per_key_figures(max(1, args.repeat))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{'figure':22} {'value':>10}  aim")
        for key, value in figures.items():
            aim = AIMS.get(key)
            shown = f"{value:10.0f}" if float(value).is_integer() and value > 100 else f"{value:10.3f}"
            print(f"{key:22} {shown}  {'<= ' + str(aim) if aim is not None else ''}")
        missed = [k for k, aim in AIMS.items() if figures[k] > aim]
        if missed:
            print("missed: " + ", ".join(missed))
    if args.max_build_s is not None and figures["build_wall_s"] > args.max_build_s:
        print(f"FAIL: build {figures['build_wall_s']:.3f} s is above {args.max_build_s} s")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
