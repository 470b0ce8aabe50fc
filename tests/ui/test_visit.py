"""A whole night visit through the real widgets, on simulated devices, in Chinese and in English."""

from __future__ import annotations

import pytest

from kiosk.visit.flow import Step
from ui.demo import MORNING
from ui.demo_visit import VALUES

from .conftest import Kiosk


def fill(k: Kiosk) -> None:
    """Type every field the card did not fill, through the editors."""
    form = k.screen
    for f in k.session.view().fields:
        if f.locked:
            continue
        form.select(f.key)
        value = VALUES[f.key]
        if f.kind == "choice":
            k.tap(form.editor.choice_buttons[[c.value for c in f.choices].index(value)])
        elif form.editor.stack.currentWidget() is form.editor.keypad:
            form.editor.keypad.set_value(value.replace("-", ""))
        else:
            form.editor.keys.set_value(value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_night_visit_card_bundle_form_receipt_rating(kiosk_factory, lang: str) -> None:
    k = kiosk_factory(lang=lang)
    assert k.view.step == Step.ATTRACT and k.view.lang == lang
    k.card(True)
    k.wait_step(Step.CHOOSE)
    assert "李示例" in k.screen.greeting.text()  # the name comes from the card
    k.tap(next(b for b in k.screen.grid.buttons if b.key == "bundle:newborn"))
    k.wait_step(Step.NOTICE)
    first = k.view.notice.materials[0].name.get(lang)
    assert first in k.screen.pager.plain_text()
    k.tap(k.screen.print_button)
    k.wait(lambda: len(k.printer.pages) == 1)
    k.tap(k.screen.accept)
    k.wait_step(Step.FORM)
    locked = [f for f in k.view.fields if f.locked]
    assert {f.key for f in locked} >= {"applicant_name", "applicant_id_number"}
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    assert "王小禾" in k.screen.pager.plain_text()
    k.tap(k.screen.confirm)
    k.wait_step(Step.SUBMITTED)
    reference = k.view.reference
    assert reference and reference in k.screen.number.text()
    assert k.screen.qr.data().startswith("KSK1|") and reference in k.screen.qr.data()
    k.tap(k.screen.go)
    k.wait_step(Step.RECEIPT)
    k.wait(lambda: len(k.printer.pages) == 2)
    assert reference in k.printer.pages[1].text()
    k.wait(lambda: k.screen.device_note.isVisible())
    k.tap(k.screen.go)
    k.wait_step(Step.RATE)
    k.tap(k.screen.level_buttons[5])
    assert not k.screen.reason_buttons["slow"].isVisible()  # reasons are only for bad ratings
    k.tap(k.screen.send)
    k.wait_step(Step.TAKE_CARD)
    k.card(False)
    k.wait_step(Step.END)
    kinds = sorted(e.kind for e in k.runtime.store.pending(limit=100))
    assert kinds == ["rating", "submission"]


def test_appointment_at_least_a_day_ahead_then_ticket_next_morning(kiosk) -> None:
    k = kiosk
    k.identify_by_card()
    k.tap(k.screen.appointment)
    k.tap(next(b for b in k.screen.grid.buttons if b.key == "department:human_resources"))
    k.wait_step(Step.APPOINTMENT)
    slots = list(k.screen.slots.values())
    assert slots and all(s.start.timestamp() - k.clock() >= 24 * 3600 for s in slots)
    k.tap(next(b for b in k.screen.grid.buttons if b.isVisible() and b.isEnabled()))
    k.wait_step(Step.APPOINTMENT_DONE)
    k.wait(lambda: len(k.printer.pages) == 1)
    slip = k.view.slip
    assert slip.reference in k.screen.number.text() and "李*例" in k.screen.details.plain_text()
    k.tap(k.screen.more)  # something else: booking the same day again is not offered
    k.wait_step(Step.CHOOSE)
    k.tap(k.screen.appointment)
    k.tap(next(b for b in k.screen.grid.buttons if b.key == "department:human_resources"))
    k.wait_step(Step.APPOINTMENT)
    assert all(s.start.date() != slip.start.date() for s in k.screen.slots.values())
    k.tap(k.shell.window.cancel)
    k.wait_step(Step.TAKE_CARD)
    k.card(False)
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)
    assert not k.screen.ticket.isEnabled()  # at night the hall's windows are closed
    k.clock.set(MORNING)
    k.shell.navigator.render()
    k.tap(k.screen.ticket)
    k.wait_step(Step.TICKET)
    k.tap(k.screen.grid.buttons[0])
    k.wait_step(Step.TICKET_DONE)
    k.wait(lambda: len(k.dispenser.pages) == 1)
    assert k.view.ticket.number in k.dispenser.pages[0].text()
    assert k.view.ticket.number in k.screen.number.text()


def test_typed_id_number_and_report(kiosk) -> None:
    k = kiosk
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    k.screen.keypad.set_value("15060219850315123")
    assert not k.screen.confirm.isEnabled()
    k.tap(k.screen.keypad.keys["6"])
    assert k.screen.confirm.isEnabled()
    k.tap(k.screen.confirm)
    k.wait_step(Step.CHOOSE)
    k.tap(k.screen.report)
    k.wait_step(Step.REPORT)
    k.tap(next(b for b in k.screen.cats.buttons if b.key == "not_found"))
    for key in "13904771234":
        k.tap(k.screen.keypad.keys[key])
    k.tap(k.screen.send)
    k.wait_step(Step.REPORT_DONE)
    assert k.view.reference in k.screen.number.text()
    record = next(e for e in k.runtime.store.pending(limit=10) if e.kind == "report")
    assert record.payload["phone"] == "13904771234" and record.payload["category"] == "not_found"


def test_language_and_elderly_mode_switch_on_any_screen(kiosk) -> None:
    k = kiosk
    k.identify_by_card()
    k.tap(k.shell.window.lang_button)
    assert k.view.lang == "en" and k.screen.appointment.text() == "Book a window appointment"
    k.tap(k.shell.window.elderly_button)
    assert k.view.elderly and k.shell.theme.elderly
    assert k.screen.grid.per_page == k.shell.theme.items_per_page < 8
    assert k.shell.app.styleSheet().count(f"font-size: {k.shell.theme.font_px()}px") >= 1
    k.tap(k.shell.window.lang_button)
    assert k.view.lang == "zh" and k.screen.appointment.text() == "预约窗口办理"
