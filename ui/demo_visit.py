"""The scripted night visit of the headless demo, played through the real widgets and simulated devices.

Card tap → bundle 新生儿出生 → notice (printed) → form (first the checks, then filled; the newborn's name typed
in pinyin and picked from the candidate bar) → review → two materials photographed on the simulated document
camera (ui/demo_capture.py) → submit → receipt (printed) → rating → take your card →
goodbye; a second visit books an appointment while the printer
is out of paper, then cancels it; a 办不成事 report; the next morning a queue ticket; finally the idle warning.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.identity import check_digit
from kiosk.visit.flow import Step
from ui.demo_capture import CaptureDemo
from ui.pinyin_loader import pinyin_loader
from ui.runtime import Runtime
from ui.screens.form import FormScreen
from ui.shell import Shell
from ui.widgets.pinyin_keys import PinyinKeys

BUNDLE = "newborn"
SPOUSE_ID = "15060219880512131" + check_digit("15060219880512131")
# What the citizen "types" (through the form's editors) for the fields a card does not fill.
VALUES = {
    "child_name": "王小禾", "child_sex": "female", "child_birth_date": "2026-11-20",
    "child_birth_place": "内蒙古自治区鄂尔多斯市东胜区", "birth_institution": "鄂尔多斯市中心医院",
    "phone": "13904771234", "spouse_name": "李示范", "spouse_id_number": SPOUSE_ID,
    "contact_address": "内蒙古自治区鄂尔多斯市东胜区示例路8号", "child_nation": "蒙古族",
    "birth_certificate_number": "O150123456", "household_head_name": "李示范", "relation_to_head": "daughter",
    "marriage_certificate_number": "J150602-2015-001234", "payment_year": "2026",
}  # fmt: skip
# Fields typed on the letter keyboard as pinyin, their characters then picked from the candidates.
PINYIN = {"child_name": "wangxiaohe"}
FALLBACK = {"phone": "13904771234", "date": "2026-11-20", "number": "1", "id_number": SPOUSE_ID}


class Observer(Protocol):
    """Watches the visit (the layout check): every screen shown, and every key of an entry typed."""

    def screen(self, window: QWidget, where: str) -> None: ...
    def before_keys(self, window: QWidget, entry: str) -> None: ...
    def after_key(self, window: QWidget, key: str) -> None: ...


class VisitFailed(Exception):
    """The scripted visit did not go as written (a bug the demo makes visible)."""


class DemoVisit:
    """Plays the visit on one shell and writes ``NN-screen-lang-orientation[-elderly].png`` files."""

    def __init__(
        self, app: QApplication, runtime: Runtime, shell: Shell, clock: Any, out: Path, *, lang: str,
        orientation: str, elderly: bool, echo: TextIO, observer: Observer | None = None, pngs: bool = True,
    ) -> None:  # fmt: skip
        """``observer`` sees every screen and key press; ``pngs`` False writes no screenshots (the check)."""
        self.app, self.runtime, self.shell, self.clock, self.out = app, runtime, shell, clock, out
        self.observer, self.pngs = observer, pngs
        self.lang, self.orientation, self.elderly, self.echo = lang, orientation, elderly, echo
        self.session = runtime.session
        self.reader = runtime.device("id_reader").simulator
        self.printer = runtime.device("printer").simulator
        self.dispenser = runtime.device("dispenser").simulator
        self.n = 0
        self.written: list[Path] = []

    # -- helpers ---------------------------------------------------------------------------------------------

    def pump(self, seconds: float = 0.05) -> None:
        """Let Qt and the device threads run for a moment."""
        end = time.monotonic() + seconds
        while True:
            self.app.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.005)

    def wait(self, cond: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        """Pump until ``cond()``; VisitFailed after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                view = self.shell.navigator.view
                raise VisitFailed(f"waited {timeout:.0f} s for {what} (step {self.session.step}, "
                                  f"message {view.message if view else None})")  # fmt: skip
            self.pump(0.02)

    def wait_step(self, step: Step) -> None:
        """Until the session is at ``step``."""
        self.wait(lambda: self.session.step == step, f"step {step}")

    def tap(self, button: QAbstractButton, *, settle: bool = True) -> None:
        """Tap a button as a finger would (only if it can be tapped); ``settle`` lets devices run a moment."""
        if not (button.isVisible() and button.isEnabled()):
            raise VisitFailed(f"button {button.text()!r} cannot be tapped now (step {self.session.step})")
        button.click()
        if settle:
            self.pump()
        else:
            self.app.processEvents()

    def screen(self) -> Any:
        """The screen on display."""
        return self.shell.navigator.current

    def shot(self, name: str) -> None:
        """Write the window as ``NN-name-lang-orientation[-elderly].png``."""
        self.n += 1
        self.pump(0.05)
        suffix = "-elderly" if self.elderly else ""
        path = self.out / f"{self.n:02d}-{name}-{self.lang}-{self.orientation}{suffix}.png"
        if self.observer is not None:
            self.observer.screen(self.shell.window, path.stem)
        if not self.pngs:
            return
        if not self.shell.window.grab().save(str(path)):
            raise VisitFailed(f"cannot write {path}")
        self.written.append(path)
        print(f"{path.name:48} [{self.session.step.value}]", file=self.echo)

    def type_keys(self, keys: dict[str, QAbstractButton], text: str, entry: str) -> None:
        """Tap ``text`` key by key on a keypad or keyboard (``keys``: key text -> button), as a quick finger
        would: the observer sees where every control is between two presses."""
        window = self.shell.window
        self.pump(0.02)  # the screen settles first (a finger taps what it sees)
        if self.observer is not None:
            self.observer.before_keys(window, f"{entry}-{self.lang}-{self.orientation}{'-elderly' * self.elderly}")
        for ch in text:
            self.tap(keys[ch], settle=False)
            if self.observer is not None:
                self.observer.after_key(window, ch)

    def elderly_on(self) -> None:
        """Elderly variants switch the mode at the start of every visit, as a citizen would."""
        if self.elderly and not self.session.view().elderly:
            self.tap(self.screen().elderly)

    def card(self, on: bool) -> None:
        """Put the sample ID card on the simulated reader, or take it away."""
        self.reader.insert("normal" if on else None)

    def printed(self, sim: Any, count: int) -> None:
        """Until ``sim`` has cut ``count`` pages."""
        self.wait(lambda: len(sim.pages) >= count, f"{count} printed page(s)")
        self.pump(0.1)

    def end_visit(self) -> None:
        """From the goodbye screen back to attract (the session's linger, fast-forwarded; on a busy machine the
        linger may already be over)."""
        self.wait(lambda: self.session.step in (Step.END, Step.ATTRACT), "the goodbye screen")
        self.clock.set(self.clock() + 10)
        self.shell.tick()
        self.wait_step(Step.ATTRACT)

    # -- the story -------------------------------------------------------------------------------------------

    def play(self, *, printouts: bool, morning: float) -> None:
        """The whole story; ``printouts`` also renders what the printers printed (and the photographed pages)."""
        self.main_visit(pages=printouts)
        self.appointment_visit()
        self.report_visit()
        self.clock.set(morning)
        self.ticket_visit()
        self.idle_visit()
        if printouts:
            self.write_printouts()

    def main_visit(self, *, pages: bool = False) -> None:
        """Identify, the newborn bundle, notice, form, review, two materials photographed (when the kiosk has a
        camera; ``pages`` writes them as PNGs), submit, receipt, rating."""
        self.elderly_on()
        self.shot("attract")
        self.tap(self.screen().start)
        self.wait_step(Step.IDENTIFY)
        self.type_keys(self.screen().keypad.keys, "150602198503151235", "identify")  # one digit wrong
        self.shot("identify")
        self.screen().keypad.clear()
        self.card(True)
        self.wait_step(Step.CHOOSE)
        self.shot("choose")
        self.tap(next(b for b in self.screen().grid.buttons if b.key == f"bundle:{BUNDLE}"))
        self.wait_step(Step.NOTICE)
        self.tap(self.screen().print_button)
        self.printed(self.printer, 1)
        self.shot("notice")
        self.tap(self.screen().accept)
        self.wait_step(Step.FORM)
        self.shot("form")
        self.tap(self.screen().submit)
        self.shot("form-checks")
        self.fill_form(self.screen())
        self.shot("form-filled")
        self.tap(self.screen().submit)
        self.wait_step(Step.REVIEW)
        if self.runtime.bridge.has("camera"):
            self.wait(lambda: self.session.view().photograph_next, "the camera to be ready")
        self.shot("review")
        if self.runtime.bridge.has("camera"):
            CaptureDemo(self).play(pages=pages)
        else:
            self.tap(self.screen().confirm)
        self.wait_step(Step.RECEIPT)  # the shell goes on from SUBMITTED to the receipt by itself
        self.printed(self.printer, 2)
        self.shot("receipt")
        self.tap(self.screen().go)
        self.wait_step(Step.RATE)
        rate = self.screen()
        self.tap(rate.level_buttons[2])
        self.tap(rate.reason_buttons["slow"])
        self.shot("rate")
        self.tap(rate.send)
        self.wait_step(Step.TAKE_CARD)
        self.shot("take-card")
        self.card(False)
        self.wait_step(Step.END)
        self.shot("end")
        self.end_visit()

    def fill_form(self, form: FormScreen) -> None:
        """Type every field the card did not fill, through the field editor."""
        for f in self.session.view().fields:
            if f.locked:
                continue
            value = VALUES.get(f.key) or FALLBACK.get(f.kind) or (f.choices[0].value if f.choices else "示例")
            form.select(f.key)
            editor = form.editor
            if f.kind == "choice":
                index = [c.value for c in f.choices].index(value)
                self.tap(editor.choice_buttons[index])
            elif editor.stack.currentWidget() is editor.keypad:
                digits = "".join(ch for ch in value if ch.isdigit() or ch == "X")
                self.type_keys(editor.keypad.keys, digits, f"form-{f.key}")
            elif f.key in PINYIN:
                self.type_pinyin(editor.text, PINYIN[f.key], value)
            elif not editor.text.composing and all(ch.upper() in editor.keys.keys for ch in value):  # a code
                self.type_keys(editor.keys.keys, value.upper(), f"form-{f.key}")
            else:  # Chinese text with no pinyin given: put in as if picked
                editor.keys.set_value(value)
            self.pump(0.01)
        form.select(form.fields[0].key)

    def type_pinyin(self, keys: PinyinKeys, pinyin: str, text: str) -> None:
        """Tap ``pinyin`` on the letter keyboard, then pick ``text`` from the candidate bar (paging as a citizen
        would); the first page of candidates is written as a PNG."""
        self.wait(lambda: pinyin_loader().done, "the pinyin index")
        if not keys.composing:
            raise VisitFailed("the candidate bar is not taking letters (no pinyin index?)")
        self.type_keys(keys.keys.keys, pinyin.upper(), "form-pinyin")
        self.shot("form-pinyin")
        bar, done = keys.bar, ""
        while done != text:
            want = text[len(done) :]
            for _ in range(bar.pages):
                found = [b for b in bar.candidate_buttons if b.isVisible() and b.text() and want.startswith(b.text())]
                if found:
                    pick = max(found, key=lambda b: len(b.text()))
                    done += pick.text()
                    self.tap(pick)
                    break
                self.tap(bar.next)
            else:
                raise VisitFailed(f"{want[0]!r} is not among the candidates of {bar.composition()!r}")
        if bar.composition():
            raise VisitFailed(f"pinyin left over after picking {text!r}: {bar.composition()!r}")
        self.handwriting(keys)

    def handwriting(self, keys: PinyinKeys) -> None:
        """Write 十 on the handwriting pad (a shot of the candidates), then back to the letter keys."""
        self.tap(keys.bar.write)
        canvas = keys.pad.canvas
        w, h = canvas.width(), canvas.height()
        canvas.strokes = [[(w * i / 10, h / 2) for i in range(2, 9)], [(w / 2, h * i / 10) for i in range(1, 10)]]
        canvas.stroke_done.emit()
        self.shot("form-handwriting")
        self.tap(keys.pad.to_keys)

    def appointment_visit(self) -> None:
        """Card tap on attract, book a window appointment while the printer is out of paper."""
        self.elderly_on()
        self.card(True)
        self.wait_step(Step.CHOOSE)
        self.screen().show_ways()
        self.tap(self.screen().appointment)
        self.shot("choose-department")
        self.tap(self.screen().grid.buttons[0])
        self.wait_step(Step.APPOINTMENT)
        self.shot("appointment")
        self.printer.set_state("paper_out")
        self.runtime.runners[_kind("printer")].poll_now()
        self.wait(lambda: not self.runtime.bridge.usable("printer"), "the printer to report no paper")
        self.tap(next(b for b in self.screen().grid.buttons if b.isEnabled() and b.isVisible()))
        self.wait_step(Step.APPOINTMENT_DONE)
        self.shot("appointment-done-no-paper")
        self.printer.set_state("ok")
        self.runtime.runners[_kind("printer")].poll_now()
        self.tap(self.screen().more)  # something else: cancel the booking just made
        self.wait_step(Step.CHOOSE)
        self.screen().show_ways()
        self.tap(self.screen().cancel_booking)
        self.wait_step(Step.BOOKINGS)
        self.tap(self.screen().grid.buttons[0])
        self.shot("bookings")
        self.tap(self.screen().withdraw)
        self.wait_step(Step.BOOKING_CANCELLED)
        self.shot("booking-cancelled")
        self.tap(self.screen().finish)
        self.wait_step(Step.TAKE_CARD)
        self.card(False)
        self.end_visit()

    def report_visit(self) -> None:
        """办不成事 from the attract screen, with a call-back number."""
        self.elderly_on()
        self.tap(self.screen().report)
        self.wait_step(Step.REPORT)
        report = self.screen()
        self.tap(next(b for b in report.cats.buttons if b.key == "materials"))
        self.type_keys(report.keypad.keys, "13904771234", "report-phone")
        self.shot("report")
        self.tap(report.send)
        self.wait_step(Step.REPORT_DONE)
        self.shot("report-done")
        self.tap(self.screen().finish)
        self.end_visit()

    def ticket_visit(self) -> None:
        """The next morning, the hall is open: a queue number from the dispenser."""
        self.shell.navigator.render()
        self.elderly_on()
        self.shot("attract-morning")
        self.tap(self.screen().ticket)
        self.wait_step(Step.TICKET)
        self.shot("ticket")
        self.tap(self.screen().grid.buttons[1])
        self.wait_step(Step.TICKET_DONE)
        self.printed(self.dispenser, 1)
        self.shot("ticket-done")
        self.tap(self.screen().finish)
        self.end_visit()

    def idle_visit(self) -> None:
        """A citizen walks away: the countdown, then everything is cleared."""
        self.elderly_on()
        self.tap(self.screen().start)
        self.wait_step(Step.IDENTIFY)
        self.type_keys(self.screen().keypad.keys, "1506021985", "identify-idle")
        idle = self.session.idle_state()
        assert idle.seconds_left is not None
        self.clock.set(self.clock() + idle.seconds_left - 9)
        self.shell.tick()
        self.shot("idle-warning")
        self.clock.set(self.clock() + 12)
        self.shell.tick()
        self.wait_step(Step.END)
        self.end_visit()
        self.shot("attract-after-timeout")

    def write_printouts(self) -> None:
        """What the simulated printer and dispenser cut, as PNGs."""
        for name, sim in (("printer", self.printer), ("dispenser", self.dispenser)):
            for i, page in enumerate(sim.pages, 1):
                path = self.out / f"print-{name}-{i:02d}-{self.lang}.png"
                sim.render_png(page, path)
                self.written.append(path)
                print(f"{path.name:48} [printed by the {name} simulator]", file=self.echo)


def _kind(name: str) -> Any:
    from kiosk.devices import DeviceKind

    return DeviceKind(name)
