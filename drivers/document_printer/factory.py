"""Make the A4 document printer the config asks for (``[devices.document_printer]``).

``transport`` "cups" (production): the CUPS queue ``address`` ("" = the scheduler's default queue) on
``options.server`` ("" = libcups' default, normally /run/cups/cups.sock; a socket path; ``host`` or
``host:port``). "simulator": a private cupsd with a cups-pdf queue (:class:`CupsSimulator`, its ``simulator``;
needs root), printing into ``options.out_dir`` (default ``<data_dir>/simulator/document_printer``), starting in
``options.condition`` ("ok", "paper_out", "door_open", ...: :data:`CONDITIONS`); the real pycups code drives
it. ``timeout_s`` bounds every IPP request; ``options.stall_s`` (60), ``options.fault_grace_s`` (10),
``options.job_timeout_s`` (300) and ``options.follow_poll_s`` (0.5) shape how a job is followed.
"""

from __future__ import annotations

from pathlib import Path

from drivers.base import DriverError
from drivers.document_printer.facade import CupsDocumentPrinter
from drivers.document_printer.simulator import CONDITIONS, CupsSimulator
from kiosk.config import DeviceSection

FOLLOW_OPTIONS = {"stall_s": 60.0, "fault_grace_s": 10.0, "job_timeout_s": 300.0, "follow_poll_s": 0.5}


def follow_options(options: dict[str, str]) -> dict[str, float]:
    """The job-following options as numbers (defaults for those not given); DriverError for a bad one."""
    out = dict(FOLLOW_OPTIONS)
    for key in FOLLOW_OPTIONS:
        if key not in options:
            continue
        try:
            value = float(options[key])
        except ValueError:
            value = -1.0
        if not 0 < value <= 86400:
            raise DriverError(f"devices.document_printer.options.{key} = {options[key]!r}: expected seconds (> 0)")
        out[key] = value
    return out


def open_from_config(section: DeviceSection, *, data_dir: Path | None = None) -> CupsDocumentPrinter:
    """The A4 printer for ``section`` (not opened: its DeviceRunner opens it on its own thread). With transport
    "simulator" the simulated scheduler is started here (DriverError when it cannot be)."""
    follow = follow_options(section.options)
    if section.transport == "cups":
        return CupsDocumentPrinter(
            section.address, server=section.options.get("server", ""), timeout_s=section.timeout_s, **follow
        )
    if section.transport == "simulator":
        opts = section.options
        condition = opts.get("condition", "ok")
        if condition not in CONDITIONS:
            raise DriverError(
                f"devices.document_printer.options.condition {condition!r}: one of {', '.join(CONDITIONS)}"
            )
        out = Path(opts["out_dir"]) if opts.get("out_dir") else None
        if out is None and data_dir is not None:
            out = data_dir / "simulator" / "document_printer"
        sim = CupsSimulator(queue=section.address or "A4", out_dir=out)
        sim.start()
        try:
            if condition != "ok":
                sim.set_condition(condition)
        except DriverError:
            sim.close()
            raise
        return CupsDocumentPrinter(sim.queue, server=sim.server, timeout_s=section.timeout_s, simulator=sim, **follow)
    raise DriverError(f"devices.document_printer.transport {section.transport!r} is not supported (cups, simulator)")
