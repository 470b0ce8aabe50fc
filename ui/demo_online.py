"""The headless demo's night visits that need the hall (issue 10), played on the real widgets through the demo's
own hall (:mod:`ui.demo_hall`): the receipt of the first visit scanned for its progress; a phone-code sign-in,
a medical insurance account query and a tax record certificate printed on A4; a typed ID number refused a
certificate with the reason. The A4 page is written as a PNG (``pdftoppm``) beside the receipt printouts.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

from drivers.scanner.simulator import events_for_text
from kiosk.online import parse_reference
from kiosk.online.references import RECEIPT_QR_PREFIX
from kiosk.visit.flow import Step
from ui.demo_hall import DemoHall
from ui.demo_visit import DemoVisit, VisitFailed

SIGNIN_ID = "150602199003071226"  # 王晓丽, the demo's sample citizen (kiosk.demo.sample_identity)
TYPED_ID = "150602198503151236"  # 李示例, who forgot her card
CERTIFICATE = ("tax", "iit_record_print")  # 个人所得税纳税记录打印
QUERY = ("medical_insurance", "mi_account_query")  # 医保个人账户查询
MONTHS = {"record_start_month": "2026-01", "record_end_month": "2026-10"}


class OnlineScenes:
    """Plays the online visits on ``visit``'s shell; the PNGs continue its numbering."""

    def __init__(self, visit: DemoVisit, hall: DemoHall) -> None:
        self.visit = visit
        self.hall = hall
        self.a4 = visit.runtime.device("document_printer").simulator

    def play(self, *, printouts: bool) -> None:
        """Every scene; ``printouts`` also renders the certificate's A4 page."""
        self.progress_from_receipt()
        self.phone_sign_in_query_and_certificate()
        self.typed_number_refused()
        if printouts:
            self.write_a4_page()

    # -- helpers ---------------------------------------------------------------------------------------------

    def scan(self, code: str) -> None:
        """The citizen holds ``code`` under the scanner: its key events go down the simulated wire."""
        self.visit.runtime.device("scanner").simulator.send(events_for_text(code))

    def answered(self, what: str) -> Any:
        """Until the hall's answer (or the problem) is on the screen; the online part of the view."""
        v = self.visit
        v.wait(lambda: v.session.view().online is not None and not v.session.view().online.waiting, what, 30)
        online = v.session.view().online
        if online.problem is not None:
            raise VisitFailed(f"{what}: {online.problem.status} {online.problem.message.en}")
        v.pump(0.2)
        return online

    def pick(self, department: str, service: str) -> None:
        """On the choose screen: the department's chip, then the service's tile (paging like a finger)."""
        v = self.visit
        screen = v.screen()
        v.tap(screen.group_buttons[department])
        for _ in range(20):
            found = [b for b in screen.grid.buttons if b.isVisible() and b.key == f"service:{service}"]
            if found:
                v.tap(found[0])
                return
            v.tap(screen.grid.next)
        raise VisitFailed(f"no tile for {service}")

    def through_notice(self, department: str, service: str) -> None:
        v = self.visit
        self.pick(department, service)
        v.wait_step(Step.NOTICE)
        v.tap(v.screen().accept)
        v.wait_step(Step.FORM)

    def type_fields(self, values: dict[str, str]) -> None:
        form = self.visit.screen()
        for key, value in values.items():
            form.select(key)
            editor = form.editor
            if editor.stack.currentWidget() is editor.keypad:
                editor.keypad.set_value(value.replace("-", ""))
            else:
                editor.keys.set_value(value)
            self.visit.pump(0.01)

    def receipt_qr(self) -> str:
        """The QR code printed on the first visit's receipt (read off the simulated printer's paper)."""
        for page in self.visit.printer.pages:
            for line in page.lines:
                if line.qr and line.qr.startswith(RECEIPT_QR_PREFIX):
                    return line.qr
        raise VisitFailed("no receipt with a QR code was printed")

    # -- the scenes ------------------------------------------------------------------------------------------

    def progress_from_receipt(self) -> None:
        """The citizen of the first visit comes back with the receipt: a clerk has it in review."""
        v = self.visit
        qr = self.receipt_qr()
        reference = parse_reference(qr).reference
        self.materials_at_the_hall(reference)
        self.hall.set_progress(reference, "in_review", note="材料齐全，正在审核。")
        v.elderly_on()
        self.scan(qr)  # on the attract screen: straight to the lookup
        v.wait_step(Step.PROGRESS)
        self.answered("the progress lookup")
        v.shot("progress-scanned-receipt")
        v.tap(v.screen().finish)
        v.end_visit()

    def materials_at_the_hall(self, reference: str) -> None:
        """The pages photographed in the first visit, as the reference hall received them: each file's SHA-256
        computed again and compared with the one the kiosk recorded."""
        v = self.visit
        info = self.hall.materials(reference)
        pages = [(item["name"], n, page) for item in info["provided"] for n, page in enumerate(item["pages"], 1)]
        if not pages:
            raise VisitFailed(f"the hall holds {reference} without any photographed page")
        for name, n, page in pages:
            intact = hashlib.sha256(Path(page["path"]).read_bytes()).hexdigest() == page["sha256"]
            print(f"hall received {reference} {name} page {n}: sha256 {page['sha256'][:16]}… "
                  f"{'intact' if intact else 'DIFFERENT'}", file=v.echo)  # fmt: skip
            if not intact:
                raise VisitFailed(f"{name} page {n} reached the hall changed")
        print(f"hall: {reference} complete, {len(pages)} pages; missing: {', '.join(info['missing']) or 'none'}",
              file=v.echo)  # fmt: skip

    def phone_sign_in_query_and_certificate(self) -> None:
        """No card with her: the phone's sign-in code; her medical insurance account; a tax record on A4."""
        v = self.visit
        v.elderly_on()
        v.tap(v.screen().start)
        v.wait_step(Step.IDENTIFY)
        self.scan(self.hall.signin_code(SIGNIN_ID))
        v.wait_step(Step.CHOOSE)
        v.shot("signin-phone-code")
        self.through_notice(*QUERY)
        v.tap(v.screen().submit)
        v.wait_step(Step.ANSWER)
        self.answered("the account query")
        v.shot("query-answer")
        v.tap(v.screen().more)
        v.wait_step(Step.CHOOSE)
        self.through_notice(*CERTIFICATE)
        self.type_fields(MONTHS)
        v.tap(v.screen().submit)
        v.wait_step(Step.ANSWER)
        printed = len(self.a4.outputs())
        self.answered("the certificate")
        v.wait(lambda: len(self.a4.outputs()) > printed and v.screen().reprint.isEnabled(), "the A4 printout", 60)
        v.shot("certificate-printed")
        v.tap(v.screen().finish)
        v.end_visit()

    def typed_number_refused(self) -> None:
        """A typed ID number reads the notice, and is told why a certificate needs the card or the phone code."""
        v = self.visit
        v.elderly_on()
        v.tap(v.screen().start)
        v.wait_step(Step.IDENTIFY)
        v.screen().keypad.set_value(TYPED_ID)
        v.tap(v.screen().confirm)
        v.wait_step(Step.CHOOSE)
        self.pick(*CERTIFICATE)
        v.wait_step(Step.NOTICE)
        v.tap(v.screen().accept)  # refused: the reason, and the card or the phone code on offer
        if v.session.step != Step.NOTICE or not v.session.view().message:
            raise VisitFailed("a typed ID number was not refused the certificate")
        v.shot("typed-id-refused")
        v.tap(v.shell.window.cancel)
        v.end_visit()

    def write_a4_page(self) -> None:
        """The certificate as the A4 printer printed it: its first page as a PNG."""
        pdfs = self.a4.outputs()
        tool = shutil.which("pdftoppm")
        if not pdfs or tool is None:
            raise VisitFailed("no A4 printout (or no pdftoppm: scripts/setup.sh installs poppler-utils)")
        v = self.visit
        base = v.out / f"print-a4-certificate-{v.lang}"
        subprocess.run([tool, "-png", "-r", "80", "-singlefile", "-f", "1", "-l", "1", str(pdfs[-1]), str(base)],
                       check=True, capture_output=True, timeout=60)  # fmt: skip
        path = base.with_suffix(".png")
        v.written.append(path)
        print(f"{path.name:48} [printed by the A4 printer (CUPS simulator)]", file=v.echo)

