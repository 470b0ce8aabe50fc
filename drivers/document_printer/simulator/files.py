"""The files a private cupsd with a cups-pdf queue needs, written into the simulator's own folder.

Three traps are handled here (scripts and docs refer to them):

* cupsd runs filters as the user ``lp``: the folder and everything the filter reads must be reachable by it,
  so the folder is its own 0755 directory under the system's temp dir, never a private test directory.
* cups-pdf reads its settings only from /etc/cups: ``cups-pdf.conf``, or ``cups-pdf-<instance>.conf`` for a
  device URI ``cups-pdf:/<instance>``. Each simulator writes its own instance file (its ``Out`` is the
  simulator's output folder) and removes it when it stops; the system's ``cups-pdf.conf`` is never touched.
* cups-pdf takes PostScript and rewrites it with Ghostscript; the usual PDF -> PostScript filters lose the
  text layer of embedded CJK fonts, and Ghostscript 10.0's new PDF interpreter garbles it. The queue's one
  filter (``kiosk-pdf-in-ps``) therefore wraps the PDF unchanged in a few lines of PostScript that run it,
  and cups-pdf's Ghostscript is called with its older PDF interpreter (``-dNEWPDF=false``), which keeps the
  text: ``pdftotext`` reads the citizen's name and the title back from the printed file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_ETC = Path("/etc/cups")
FILTER_NAME = "kiosk-pdf-in-ps"
HOLD_FLAG = "hold"
FAILING_DEVICE = "file:///dev/full"  # every write fails: the job fails and nothing comes out

CUPSD_CONF = """\
# The kiosk's simulated A4 printer: a private scheduler, reachable only on its socket{tcp_note}.
Listen {run}/cups.sock
{tcp_listen}LogLevel warn
MaxLogSize 0
WebInterface No
Browsing No
DefaultShared No
# A certificate carries personal data: no job file is kept once a job has ended.
PreserveJobFiles No
PreserveJobHistory Yes
MaxRequestSize {max_request}
<Location />
  Order allow,deny
  Allow all
</Location>
"""

CUPS_FILES_CONF = """\
ServerRoot {run}
RequestRoot {run}/spool
TempDir {run}/tmp
CacheDir {run}/cache
StateDir {run}/state
ErrorLog {run}/log/error_log
AccessLog {run}/log/access_log
PageLog {run}/log/page_log
Printcap {run}/printcap
SystemGroup root
# Lets the simulator point the queue at a device that fails every write (CupsSimulator.fail_jobs).
FileDevice Yes
"""

FILTER = """\
#!/bin/sh
# CUPS filter of the kiosk's simulated A4 queue (drivers/document_printer/simulator/files.py): the PDF wrapped,
# unchanged, in PostScript that runs it, for cups-pdf. While the simulator's "hold" flag exists the job waits,
# as on a printer without paper.
RUN='{run}'
while [ -e "$RUN/{hold}" ]; do sleep 0.1; done
printf '%%!PS-Adobe-3.0\\n%%%%Title: document\\n'
printf '/KioskPDF currentfile /ASCIIHexDecode filter /ReusableStreamDecode filter\\n'
if [ -n "$6" ]; then od -An -v -tx1 "$6"; else od -An -v -tx1; fi
printf '>\\ndef\\nKioskPDF runpdf\\n'
"""

INSTANCE_PREFIX = "cups-pdf-kiosk"  # /etc/cups/cups-pdf-kiosk<pid>x<random>.conf
CUPS_PDF_CONF = """\
# Written by the kiosk's simulated A4 printer ({run}); removed when it stops.
Out {out}
AnonDirName {out}
Spool {run}/cups-pdf-spool
Log {run}/log
LogType 1
Label 1
TitlePref 0
# cups-pdf 3.0.1 leaves bytes of other settings after a short title: cut it to its 8 letters ("document")
Truncate 8
PDFVer 1.4
GSCall {gscall}
"""
# cups-pdf's own Ghostscript call (gs, PDF version, output file, input file), with the older PDF interpreter.
GSCALL = '%s -q -dCompatibilityLevel=%s -dNOPAUSE -dBATCH -dSAFER -dNEWPDF=false -sDEVICE=pdfwrite -sOutputFile="%s" '
GSCALL += "-c -f %s"


def missing_parts() -> list[str]:
    """What this machine lacks to run the simulator (empty: nothing)."""
    missing = [f"{tool} ({pkg})" for tool, pkg in (("cupsd", "cups"), ("gs", "ghostscript")) if not shutil.which(tool)]
    missing += [f"{p} (printer-driver-cups-pdf)" for p in (CUPS_PDF_BACKEND, CUPS_PDF_PPD) if not p.exists()]
    return missing


def write_scheduler(run: Path, *, port: int | None, max_request: str = "0") -> tuple[Path, Path]:
    """cupsd.conf and cups-files.conf for a scheduler living in ``run`` (and on 127.0.0.1:``port``), taking
    requests (documents) up to ``max_request`` (cupsd's size syntax: "0" no limit, "64k", "10m")."""
    for sub, mode in (("spool", 0o710), ("tmp", 0o1777), ("cache", 0o770), ("state", 0o755), ("log", 0o755),
                      ("filter", 0o755), ("cups-pdf-spool", 0o755)):  # fmt: skip
        (run / sub).mkdir(mode=mode, exist_ok=True)
        (run / sub).chmod(mode)  # mkdir's mode is cut by the umask; TempDir must be 1777 for filters
    tcp = f"Listen 127.0.0.1:{port}\n" if port else ""
    conf = run / "cupsd.conf"
    note = " and on TCP" if port else ""
    conf.write_text(CUPSD_CONF.format(run=run, tcp_listen=tcp, tcp_note=note, max_request=max_request))
    files = run / "cups-files.conf"
    files.write_text(CUPS_FILES_CONF.format(run=run))
    return conf, files


def write_queue_files(run: Path) -> Path:
    """The filter and the queue's PPD (cups-pdf's, told to take PDF through the filter); the PPD's path."""
    script = run / "filter" / FILTER_NAME
    script.write_text(FILTER.format(run=run, hold=HOLD_FLAG))
    script.chmod(0o755)
    ppd = run / "kiosk-a4.ppd"
    text = CUPS_PDF_PPD.read_text(encoding="latin-1")
    ppd.write_text(
        text.rstrip("\n") + f'\n*cupsFilter2: "application/pdf application/vnd.cups-postscript 0 {script}"\n',
        encoding="latin-1",
    )
    return ppd


def remove_stale_instances() -> list[Path]:
    """Remove the instance files of simulators that died without stopping (their folder is gone)."""
    removed = []
    for path in CUPS_PDF_ETC.glob(f"{INSTANCE_PREFIX}*.conf"):
        first = path.read_text(errors="replace").partition("\n")[0]
        run = first[first.find("(") + 1 : first.rfind(")")] if "(" in first else ""
        if run and not Path(run).exists():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_instance_conf(instance: str, run: Path, out: Path) -> Path:
    """/etc/cups/cups-pdf-<instance>.conf, sending this simulator's printouts to ``out``."""
    path = CUPS_PDF_ETC / f"cups-pdf-{instance}.conf"
    path.write_text(CUPS_PDF_CONF.format(run=run, out=out, gscall=GSCALL))
    return path
