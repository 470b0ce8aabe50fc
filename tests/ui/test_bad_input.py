"""Bad input on every field gets plain words where the citizen looks, and nothing is sent."""

from __future__ import annotations

from kiosk.visit.flow import Step

from .conftest import Kiosk

# One wrong value per field kind, as the field's editor can produce it.
BAD = {
    "name": "Li 2", "id_number": "150602198503151235", "phone": "12345", "date": "2026-13-40",
    "number": "", "text": "", "address": "", "choice": "",
}  # fmt: skip


def test_every_form_field_rejects_bad_input(kiosk: Kiosk) -> None:
    k = kiosk
    k.to_form()
    form = k.screen
    editable = [f for f in k.view.fields if not f.locked]
    for f in editable:
        form.select(f.key)
        value = BAD[f.kind]
        if form.editor.stack.currentWidget() is form.editor.keypad:
            form.editor.keypad.set_value(value.replace("-", ""))
        elif f.kind != "choice":
            form.editor.keys.set_value(value)
    k.tap(form.submit)
    assert k.session.step == Step.FORM
    errors = {f.key: f.error for f in k.view.fields if f.error is not None}
    assert set(errors) == {f.key for f in editable}
    assert k.screen.message.isVisible() and k.screen.message.text() == "请按提示修改标红的内容"
    for f in editable:  # each message is on its row, in Chinese
        form.select(f.key)
        row = next(r for r in form.rows if r.key == f.key)
        assert row.note.isVisible() and row.note.text() == errors[f.key].zh
        assert form.editor.hint.text() == errors[f.key].zh
    assert k.runtime.store.pending(limit=10) == []


def test_identify_keypad_verdict_is_live(kiosk: Kiosk) -> None:
    k = kiosk
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    s = k.screen
    s.keypad.set_value("1506")
    assert s.verdict.text() == "已输入 4/18 位" and not s.confirm.isEnabled()
    s.keypad.set_value("150602198503151235")  # check digit should be 6
    assert "校验位" in s.verdict.text() and not s.confirm.isEnabled()
    s.keypad.set_value("990602198503151236")  # no such region
    assert "地区代码" in s.verdict.text()
    s.keypad.set_value("150602208513151236")  # no such date
    assert "出生日期" in s.verdict.text()
    k.tap(s.keypad.keys["⌫"])
    assert len(s.keypad.value()) == 17
    s.keypad.set_value("15060219850315123")
    k.tap(s.keypad.keys["X"])  # X is a check character: typed, and the verdict says it does not match
    assert s.keypad.value().endswith("X") and not s.confirm.isEnabled()
    k.tap(s.keypad.clear_key)
    assert s.keypad.value() == "" and s.display.text() == "—"


def test_bad_card_is_refused_in_plain_words(kiosk: Kiosk) -> None:
    k = kiosk
    k.card(True, "bad_id_number")
    k.wait(lambda: k.shell.window.notice.isVisible() or (k.view.message is not None))
    assert k.session.step in (Step.ATTRACT, Step.IDENTIFY)
    shown = k.shell.window.notice.text() or k.screen.message.text()
    assert "证件" in shown or "身份证" in shown


def test_bad_rating_and_report_input(kiosk: Kiosk) -> None:
    k = kiosk
    k.tap(k.screen.report)
    k.wait_step(Step.REPORT)
    assert not k.screen.send.isEnabled()  # no category yet
    k.tap(next(b for b in k.screen.cats.buttons if b.key == "other"))
    k.tap(k.screen.send)  # "other" needs a description
    assert k.session.step == Step.REPORT and "描述" in k.shell.window.notice.text()
    k.screen.keys.set_value("wu fa ban li")
    k.screen.keypad.set_value("123")
    k.tap(k.screen.send)  # a wrong call-back number
    assert k.session.step == Step.REPORT and "手机号" in k.shell.window.notice.text()
    k.screen.keypad.set_value("04778581234")
    k.tap(k.screen.send)
    k.wait_step(Step.REPORT_DONE)


def test_bad_rating_needs_a_reason(kiosk: Kiosk) -> None:
    from .test_visit import fill

    k = kiosk
    k.to_form()
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    k.tap(k.screen.confirm)
    k.wait_step(Step.SUBMITTED)
    k.tap(k.screen.go)
    k.wait_step(Step.RECEIPT)
    k.tap(k.screen.go)
    k.wait_step(Step.RATE)
    k.tap(k.screen.level_buttons[1])
    assert k.screen.reason_buttons["slow"].isVisible()
    k.tap(k.screen.send)
    assert k.session.step == Step.RATE and "原因" in k.shell.window.notice.text()
    k.tap(k.screen.reason_buttons["device"])
    k.tap(k.screen.send)
    k.wait_step(Step.TAKE_CARD)
