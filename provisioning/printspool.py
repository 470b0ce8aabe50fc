"""Whether the kiosk's CUPS keeps printed documents: a certificate (参保证明, 纳税记录) holds a citizen's records.

CUPS keeps a job's document in its spool (``/var/spool/cups/d*``) after printing for ``PreserveJobFiles`` in
``cupsd.conf``: by default 86400 seconds, a day. The A4 driver purges every job it follows when the job ends
(:mod:`drivers.document_printer.facade`); a job it lost track of (the kiosk restarted mid-print) is purged once
CUPS answers again. ``PreserveJobFiles No`` is the setting that holds even then, so ``doctor`` looks for it.
"""

from __future__ import annotations

from pathlib import Path

CUPSD_CONF = Path("etc/cups/cupsd.conf")  # under the machine's root
DEFAULT = "86400"  # CUPS's own default for PreserveJobFiles (seconds): a day
_OFF = frozenset({"no", "off", "false"})
FIX = "add the line 'PreserveJobFiles No' to /etc/cups/cupsd.conf, then: systemctl restart cups"


def preserve_job_files(conf: str) -> str:
    """The value of ``PreserveJobFiles`` in the text of a ``cupsd.conf`` (the last one counts, as for CUPS), or
    CUPS's default when the file does not set it."""
    value = DEFAULT
    for line in conf.splitlines():
        words = line.split(None, 1)
        if len(words) == 2 and not words[0].startswith("#") and words[0].lower() == "preservejobfiles":
            value = words[1].strip()
    return value


def keeps_documents(value: str) -> bool:
    """Whether a ``PreserveJobFiles`` value keeps documents after a job ends (Yes, or a number of seconds > 0)."""
    return value.lower() not in _OFF and value != "0"


def spool_finding(root: Path) -> tuple[str, str, str]:
    """(result, detail, fix) for the doctor: ``pass`` when CUPS deletes documents as jobs end, ``warn`` when it
    keeps them (the driver's purge still removes the jobs it follows), ``warn`` when there is no cupsd.conf."""
    path = root / CUPSD_CONF
    try:
        value = preserve_job_files(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        return "warn", f"cannot read /{CUPSD_CONF}: {exc.strerror or exc}", "install cups (the A4 printer uses it)"
    if not keeps_documents(value):
        return "pass", f"CUPS deletes each printed document (PreserveJobFiles {value})", ""
    kept = "until the job is purged" if value.lower() in ("yes", "on", "true") else f"for {value} s"
    detail = (
        f"CUPS keeps printed documents {kept} (PreserveJobFiles {value}): a certificate's personal data stays in "
        "/var/spool/cups when a job escapes the kiosk's purge"
    )
    return "warn", detail, FIX
