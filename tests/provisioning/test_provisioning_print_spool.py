"""``doctor`` says whether the machine's CUPS keeps printed certificates (``PreserveJobFiles``, a day by default):
a certificate holds a citizen's records, and a job that escapes the driver's purge would leave it in the spool."""

from __future__ import annotations

import io
from pathlib import Path

from provisioning.commands.doctor import check_print_spool
from provisioning.context import Context
from provisioning.output import Output
from provisioning.printspool import CUPSD_CONF, DEFAULT, FIX, keeps_documents, preserve_job_files, spool_finding
from tests.provisioning.helpers import Kiosk, init_args

SHIPPED = """# cupsd.conf as Debian ships it: no PreserveJobFiles line
LogLevel warn
Listen localhost:631
<Location />
  Order allow,deny
</Location>
"""


def test_the_value_is_cups_default_unless_set_and_the_last_line_counts() -> None:
    assert preserve_job_files(SHIPPED) == DEFAULT == "86400"
    assert preserve_job_files(SHIPPED + "PreserveJobFiles No\n") == "No"
    assert preserve_job_files("preservejobfiles  Yes \n#PreserveJobFiles No\nPreserveJobHistory No\n") == "Yes"
    assert preserve_job_files("PreserveJobFiles No\nPreserveJobFiles 3600\n") == "3600"


def test_only_no_or_zero_deletes_the_documents() -> None:
    assert [keeps_documents(v) for v in ("No", "off", "FALSE", "0")] == [False] * 4
    assert [keeps_documents(v) for v in ("Yes", "on", "86400", "1")] == [True] * 4


def write_conf(root: Path, text: str) -> None:
    conf = root / CUPSD_CONF
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(text, encoding="utf-8")


def test_the_finding_warns_with_the_fix_until_cups_deletes_documents(tmp_path: Path) -> None:
    result, detail, fix = spool_finding(tmp_path)
    assert result == "warn" and "cannot read /etc/cups/cupsd.conf" in detail  # CUPS not installed
    write_conf(tmp_path, SHIPPED)
    result, detail, fix = spool_finding(tmp_path)
    assert (result, fix) == ("warn", FIX) and "for 86400 s" in detail and "personal data" in detail
    write_conf(tmp_path, SHIPPED + "PreserveJobFiles No\n")
    assert spool_finding(tmp_path) == ("pass", "CUPS deletes each printed document (PreserveJobFiles No)", "")


def test_the_doctor_looks_only_where_the_a4_printer_is_on_cups(kiosk: Kiosk) -> None:
    write_conf(kiosk.root, SHIPPED)  # the kiosk's machine is laid out under its root
    ctx = Context(output=Output(json_mode=True, out=io.StringIO(), err=io.StringIO()), root=kiosk.root,
                  config_flag="/" + str(kiosk.config.relative_to(kiosk.root)), env={})  # fmt: skip
    assert kiosk.cli(*init_args(kiosk, "--no-broker-test")).code == 0  # every device simulated
    assert check_print_spool(ctx, ctx.config()) == []
    args = init_args(kiosk, "--no-broker-test", "--device", "document_printer=cups:A4")
    assert kiosk.cli(*args).code == 0, "init with the A4 printer on CUPS"
    [check] = check_print_spool(ctx, ctx.config())
    assert (check.name, check.result, check.fix) == ("print spool", "warn", FIX)
