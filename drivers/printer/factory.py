"""Make the receipt printer the config asks for.

``transport`` picks the backend: "serial" (``address`` = the port), "network" (``host:port``, 9100 by
default), "usb" (``vid:pid`` hex; needs pyusb), "file" (a write-only device such as /dev/usb/lp0: no status).
"simulator" starts an in-process :class:`~drivers.printer.simulator.PrinterSimulator` on a pty (default) or on
TCP (``options.simulator = "tcp"``) and connects the real serial / network transport and the real facade to
it, so the simulated path runs the real driver code. Options: ``paper`` ("80mm" | "58mm"), ``confirm`` (wait for
GS r 1 after a job, default true), ``image_qr`` (send QR codes as images, default false), ``state`` (the
simulator's start state), ``png_dir`` (where the simulator renders cut receipts; default
``<data_dir>/simulator/<kind>``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from drivers.base import DriverError
from drivers.printer.facade import EscposEngine, EscposReceiptPrinter, option_flag
from drivers.printer.protocol.encoder import PAPER_58MM, PAPER_80MM, EscposEncoder, PaperProfile
from drivers.printer.protocol.status import RECEIPT_FAULTS, FaultProfile
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.transport import FileTransport, NetworkTransport, SerialTransport, Transport, UsbTransport
from kiosk.config import DeviceSection
from kiosk.devices import DeviceKind

log = logging.getLogger(__name__)

PAPERS = {"80mm": PAPER_80MM, "58mm": PAPER_58MM}
TRANSPORTS = ("serial", "network", "usb", "file", "simulator")


def build_transport(section: DeviceSection, *, label: str) -> Transport:
    """The transport for a real (non-simulated) backend."""
    t, address, timeout = section.transport, section.address, section.timeout_s
    if t != "simulator" and not address:
        raise DriverError(f"devices.{label}.address is not set (transport {t!r})")
    if t == "serial":
        return SerialTransport(address, baudrate=section.baudrate, timeout_s=timeout)
    if t == "network":
        return NetworkTransport.from_address(address, timeout_s=timeout)
    if t == "usb":
        return UsbTransport.from_address(address, timeout_s=timeout, options=section.options)
    if t == "file":
        return FileTransport(address, timeout_s=timeout)
    raise DriverError(f"devices.{label}.transport {t!r} is not supported ({', '.join(TRANSPORTS)})")


def start_simulator(
    section: DeviceSection,
    *,
    label: str,
    paper: PaperProfile,
    data_dir: Path | None,
    make: Callable[..., PrinterSimulator] = PrinterSimulator,
) -> tuple[PrinterSimulator, Transport]:
    """Start a simulator (``make(paper=, state=, png_dir=)``) for ``section`` and return it with a real transport
    connected to it."""
    opts = section.options
    png_dir = Path(opts["png_dir"]) if opts.get("png_dir") else (data_dir / "simulator" / label if data_dir else None)
    sim = make(paper=paper, state=opts.get("state", "ok"), png_dir=png_dir)
    where = opts.get("simulator", "pty")
    if where == "tcp":
        _server, port = sim.serve_tcp("127.0.0.1", 0)
        transport: Transport = NetworkTransport("127.0.0.1", port, timeout_s=section.timeout_s)
    elif where == "pty":
        link = None
        if data_dir is not None:  # a stable name, like a udev symlink, survives simulated unplug/replug
            (data_dir / "simulator").mkdir(parents=True, exist_ok=True)
            link = data_dir / "simulator" / f"{label}.tty"
        path = sim.serve_pty(link)
        transport = SerialTransport(path, baudrate=section.baudrate, timeout_s=section.timeout_s)
    else:
        raise DriverError(f"devices.{label}.options.simulator {where!r}: expected pty or tcp")
    log.info("%s: simulator on %s", label, transport.name)
    return sim, transport


def build_engine(
    section: DeviceSection,
    *,
    kind: DeviceKind,
    paper: PaperProfile,
    faults: FaultProfile,
    data_dir: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
    simulator: Callable[..., PrinterSimulator] = PrinterSimulator,
) -> tuple[EscposEngine, PrinterSimulator | None]:
    """An ESC/POS engine for ``section`` (and the simulator at the far end, if simulated). Nothing is opened
    here; the simulator, when there is one, already serves."""
    label = str(kind)
    paper = PAPERS.get(section.options.get("paper", ""), paper)
    sim = None
    if section.transport == "simulator":
        sim, transport = start_simulator(section, label=label, paper=paper, data_dir=data_dir, make=simulator)
    else:
        transport = build_transport(section, label=label)
    engine = EscposEngine(
        transport,
        kind=label,
        encoder=EscposEncoder(paper, image_qr=option_flag(section.options, "image_qr", False)),
        faults=faults,
        timeout_s=section.timeout_s,
        confirm=option_flag(section.options, "confirm", True),
        clock=clock,
    )
    return engine, sim


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> EscposReceiptPrinter:
    """The receipt printer for ``section`` (not opened: its DeviceRunner opens it on its own thread)."""
    engine, sim = build_engine(
        section, kind=DeviceKind.PRINTER, paper=PAPER_80MM, faults=RECEIPT_FAULTS, data_dir=data_dir
    )
    return EscposReceiptPrinter(engine, simulator=sim)
