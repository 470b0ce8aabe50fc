"""Printer driver figures: ``python -m bench drivers`` (or ``python -m bench.drivers``).

1. Receipt encode time (PrintJob -> ESC/POS bytes), p50/p99 over N jobs, with native QR and with image QR.
2. Bytes on the wire for the same receipt with a native QR (GS ( k) against an image QR (GS v 0), and how long
   those bytes take on a 9600 and a 115200 baud serial line.
3. End to end: print_job through the real serial backend to the simulator on a pty (encode, DLE EOT check,
   write, GS r 1 confirmation), p50/p99 over M jobs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from drivers.base import device_thread
from drivers.printer.facade import EscposEngine, EscposReceiptPrinter
from drivers.printer.protocol.encoder import PAPER_80MM, EscposEncoder, qr_image, qr_native
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.transport import SerialTransport
from kiosk.layout import Align, Feed, KeyValue, PrintJob, QrCode, Rule, TextLine

QR_DATA = "KSK1|KSK-DEMO-01|20240611-000123|1a2b3c4d"


def sample_receipt(i: int = 0) -> PrintJob:
    """A receipt shaped like kiosk.receipts.receipt_job's: header, fields, materials, QR."""
    return PrintJob(
        f"receipt {i}",
        (
            TextLine("鄂尔多斯市政务服务中心（演示）", Align.CENTER, bold=True),
            TextLine("办件回执 Application receipt", Align.CENTER, scale=2),
            Rule(),
            KeyValue("受理编号", f"20240611-{i:06d}"),
            KeyValue("办理事项", "居住证签注（补办）"),
            KeyValue("申请人", "张*丰"),
            KeyValue("证件号码", "1101**********0000"),
            KeyValue("提交时间", "2024-06-11 21:37"),
            TextLine("请携带以下材料到窗口办理：", bold=True),
            TextLine("1. 居民身份证原件及复印件（正反面）"),
            TextLine("2. 近期一寸免冠彩色照片两张，白色背景，并附电子版照片回执"),
            TextLine("3. 房屋租赁合同或单位出具的在职证明（加盖公章）"),
            Rule(),
            QrCode(QR_DATA, size=6),
            TextLine("咨询电话 12345", Align.CENTER),
            Feed(1),
        ),
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def bench_encode(n: int, image_qr: bool) -> tuple[float, float, int]:
    """(p50 ms, p99 ms, bytes) for encoding n receipts."""
    enc = EscposEncoder(PAPER_80MM, image_qr=image_qr)
    times: list[float] = []
    size = 0
    for i in range(n):
        job = sample_receipt(i)
        t0 = time.perf_counter()
        data = enc.encode(job)
        times.append((time.perf_counter() - t0) * 1e3)
        size = len(data)
    p50, p99 = _percentiles(times)
    return p50, p99, size


def bench_end_to_end(m: int) -> tuple[float, float]:
    """(p50 ms, p99 ms) for print_job over a real pty to the simulator, confirmed by GS r 1."""
    sim = PrinterSimulator()
    transport = SerialTransport(sim.serve_pty(), baudrate=115200, timeout_s=2.0)
    printer = EscposReceiptPrinter(
        EscposEngine(transport, kind="printer", encoder=EscposEncoder(), timeout_s=2.0), simulator=sim
    )
    times: list[float] = []
    with device_thread(printer):  # the benchmark owns the printer: no runner, calls made here
        printer.open()
        try:
            for i in range(m):
                t0 = time.perf_counter()
                printer.print_job(sample_receipt(i))
                times.append((time.perf_counter() - t0) * 1e3)
        finally:
            printer.dispose()
    if len(sim.pages) != m:
        raise SystemExit(f"simulator received {len(sim.pages)} receipts, expected {m}")
    return _percentiles(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench drivers", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="receipts to encode per mode (default 2000)")
    parser.add_argument("-m", type=int, default=50, help="receipts to print end to end over a pty (default 50)")
    args = parser.parse_args(argv)

    native = bench_encode(args.n, image_qr=False)
    image = bench_encode(max(args.n // 10, 10), image_qr=True)
    qn, qi = len(qr_native(QR_DATA, 6)), len(qr_image(QR_DATA, 6))
    print(f"Receipt encode ({args.n} jobs native QR, {max(args.n // 10, 10)} jobs image QR)")
    print(f"{'mode':<12}{'p50 ms':>10}{'p99 ms':>10}{'receipt B':>12}{'QR B':>8}{'@9600 s':>10}{'@115200 s':>11}")
    for name, (p50, p99, size), qr in (("native QR", native, qn), ("image QR", image, qi)):
        print(
            f"{name:<12}{p50:>10.3f}{p99:>10.3f}{size:>12}{qr:>8}{size * 10 / 9600:>10.2f}{size * 10 / 115200:>11.3f}"
        )
    print(f"image/native bytes: receipt x{image[2] / native[2]:.1f}, QR alone x{qi / qn:.1f}")
    if args.m > 0:
        p50, p99 = bench_end_to_end(args.m)
        print(f"print_job over a pty to the simulator ({args.m} jobs, confirmed): p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
