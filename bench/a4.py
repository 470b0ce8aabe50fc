"""A4 certificate printing figures: ``python -m bench a4`` (needs root: the simulated printer is a private cupsd
with a cups-pdf queue).

1. Submit: ``print_pdf`` (status check, Create-Job, the PDF streamed from memory), p50/p95 over N jobs.
2. Submit -> completed: ``print_pdf`` then ``follow_job`` until IPP says completed (cups-pdf has written the
   printout), p50/p95, for a one-page and a three-page certificate. The follower polls every ``--poll`` seconds,
   which bounds the resolution of this figure.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from drivers.base import DriverError, device_thread
from drivers.document_printer.facade import CupsDocumentPrinter
from drivers.document_printer.simulator import CupsSimulator

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def certificate(pages: int) -> bytes:
    """A certificate-like A4 PDF (reportlab, the CJK font embedded as a subset, as the hall renders them)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if "BenchCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchCJK", str(FONT), subfontIndex=0))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for page in range(pages):
        canvas.setFont("BenchCJK", 20)
        canvas.drawString(90, 760, "社会保险参保缴费证明")
        canvas.setFont("BenchCJK", 11)
        for row in range(30):
            line = f"2025-{row % 12 + 1:02d}  养老保险  单位缴费 1,234.00  个人缴费 456.00"
            canvas.drawString(90, 700 - row * 18, line)
        canvas.drawString(90, 60, f"验证码 KSV-BENCH-0001  第 {page + 1} 页")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) of ``samples``."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(len(ordered) * 0.95) - 1)]


def run_jobs(printer: CupsDocumentPrinter, data: bytes, n: int) -> tuple[list[float], list[float]]:
    """Submit and completion times (ms) of ``n`` jobs of ``data``, one after the other."""
    submits, completes = [], []
    for _ in range(n):
        started = time.perf_counter()
        job_id = printer.print_pdf(data, "参保证明")
        submitted = time.perf_counter()
        outcome = printer.follow_job(job_id)
        if not outcome.ok:
            raise DriverError(f"job {job_id} did not complete: {outcome}")
        submits.append((submitted - started) * 1e3)
        completes.append((time.perf_counter() - started) * 1e3)
    return submits, completes


def main(argv: list[str]) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench a4", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="jobs per document (default 20)")
    parser.add_argument("--poll", type=float, default=0.02, help="the follower's poll interval, s (default 0.02)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-a4-") as out:
        sim = CupsSimulator(out_dir=Path(out))
        try:
            sim.start()
        except DriverError as exc:
            print(f"cannot start the simulated A4 printer: {exc}", file=sys.stderr)
            return 1
        try:
            printer = CupsDocumentPrinter(sim.queue, server=sim.server, timeout_s=10.0, follow_poll_s=args.poll)
            with device_thread(printer):
                printer.open()
                run_jobs(printer, certificate(1), 2)  # warm-up: filters and Ghostscript into the page cache
                print(f"A4 jobs on the simulated printer (private cupsd + cups-pdf), {args.n} per document, "
                      f"follower poll {args.poll * 1e3:.0f} ms")  # fmt: skip
                print(f"{'document':<12}{'PDF KB':>8}{'submit p50':>12}{'p95':>8}{'completed p50':>15}{'p95':>8}  ms")
                for pages in (1, 3):
                    data = certificate(pages)
                    submits, completes = run_jobs(printer, data, args.n)
                    s50, s95 = percentiles(submits)
                    c50, c95 = percentiles(completes)
                    label = f"{pages} page{'s' if pages > 1 else ''}"
                    print(f"{label:<12}{len(data) / 1024:>8.0f}{s50:>12.0f}{s95:>8.0f}{c50:>15.0f}{c95:>8.0f}")
                printer.close()
        finally:
            sim.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
