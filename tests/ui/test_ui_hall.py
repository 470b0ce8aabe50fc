"""The hall's wishes through the real shell, a real store and the sync agent's real downlink handler: test pages
printed on the printer's thread and answered, the hall's maintenance mode (never cutting a visit short), and
the health effects (typed ID entry first, receipts kept on screen, no submissions on a full disk)."""

from __future__ import annotations

import copy
import json
import threading
import uuid
from typing import Any

from kiosk.catalog import shipped_catalog_path
from kiosk.devices import DeviceKind, DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.hall_commands import (
    HALL_MAINTENANCE,
    OUT,
    PRINT_TEST_PAGE_KIND,
    RECOVER,
    STOP_SUBMISSIONS,
    HallState,
    hall_maintenance,
    service_change,
)
from kiosk.maintenance import SCREEN_BY
from kiosk.shared_settings import EFFECTS_SETTING, MAINTENANCE_SETTING, ui_inbox_kind
from kiosk.test_page import printer_test_page
from kiosk.visit.flow import Step
from sync import signing
from sync.agent_main import catalog_installer
from sync.downlink import Downlink

from .conftest import Kiosk
from .test_visit import fill


def downlink(k: Kiosk) -> Downlink:
    return Downlink(k.runtime.store, kiosk_id=k.runtime.config.kiosk.id, hall_identity="hall", clock=k.clock)


def command(d: Downlink, k: Kiosk, name: str, **args: Any) -> str:
    """The hall sends command ``name``: through the agent's downlink handler into the store, as in production."""
    msg_id = str(uuid.uuid4())
    msg = {"v": 1, "msg_id": msg_id, "kind": "command", "from": "hall", "created_at": k.clock(), "command": name,
           "args": args}  # fmt: skip
    d.handle("command", json.dumps(msg).encode(), {})
    return msg_id


def result(k: Kiosk, msg_id: str) -> dict[str, Any]:
    """The command_result row the agent queued for ``msg_id``."""
    rows = [e.payload for e in k.runtime.store.pending(kinds=["command_result"]) if e.payload["msg_id"] == msg_id]
    assert len(rows) == 1, rows
    return rows[0]


def answered(k: Kiosk, d: Downlink, msg_id: str) -> dict[str, Any]:
    """Let the shell poll until it has answered ``msg_id``, then let the agent send the answer."""
    k.shell.hall.poll()
    k.wait(lambda: (e := k.runtime.store.inbox_get(msg_id)) is not None and e.done_at is not None)
    d.poll_ui()
    return result(k, msg_id)


def test_test_pages_print_on_the_printer_thread_without_touching_the_citizens_screen(kiosk: Kiosk) -> None:
    k = kiosk
    assert ui_inbox_kind("print_test_page") == PRINT_TEST_PAGE_KIND  # the documented kind is the agent's
    assert k.shell.hall.timer.isActive() and k.shell.hall.timer.interval() == 2000
    d = downlink(k)
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    k.screen.keypad.set_value("1506021985")  # a citizen is typing
    printer = k.runtime.device("printer")
    threads: list[int] = []
    real = printer.print_job
    printer.print_job = lambda job: (threads.append(threading.get_ident()), real(job))[1]

    first = command(d, k, "print_test_page")
    k.shell.hall.poll()  # a second look while the page is printing starts nothing more
    got = answered(k, d, first)
    assert got["status"] == "ok" and got["command"] == "print_test_page"
    assert got["detail"]["printed"] is True and got["detail"]["printer"]["state"] == "ok"
    assert threads and threading.get_ident() not in threads
    assert len(k.printer.pages) == 1
    text = k.printer.pages[0].text()
    assert k.runtime.config.kiosk.id in text and "中文打印正常" in text and "[QR KSK1|" in text
    assert k.session.step == Step.IDENTIFY and k.screen.keypad.value() == "1506021985"

    k.printer.set_state("paper_out")
    k.runtime.runners[DeviceKind.PRINTER].poll_now()
    k.wait(lambda: not k.runtime.bridge.usable("printer"))
    second = command(d, k, "print_test_page")
    got = answered(k, d, second)
    assert got["status"] == "error" and "NoMedium" in got["error"]
    assert got["detail"]["printed"] is False and "paper_out" in got["detail"]["printer"]["faults"]
    k.shell.hall.poll()
    assert len(k.printer.pages) == 1  # nothing printed, and an answered command is not tried again


def test_hall_maintenance_waits_for_the_visit_then_sends_citizens_elsewhere(kiosk: Kiosk) -> None:
    k = kiosk
    d = downlink(k)
    store = k.runtime.store
    k.identify_by_card()
    command(d, k, "enter_maintenance", reason="replacing the printer")
    k.shell.hall.poll()
    assert k.session.step == Step.CHOOSE  # the citizen is never cut off
    k.tap(k.shell.window.cancel)
    k.wait_step(Step.TAKE_CARD)
    k.card(False)
    k.wait_step(Step.END)
    k.advance(10)  # the goodbye lingers, then attract: the hall's maintenance takes over at once
    k.wait_step(Step.OUT_OF_SERVICE)
    assert k.view.out_of_service_reason == HALL_MAINTENANCE
    assert "维护" in k.screen.big.text() and "其他自助终端" in k.screen.text.text()
    assert k.runtime.config.kiosk.hotline in k.screen.text.text()
    k.card(True)  # a card on the reader starts no visit
    k.qtbot.wait(1000)
    assert k.session.step == Step.OUT_OF_SERVICE
    k.card(False)

    command(d, k, "leave_maintenance")
    k.shell.hall.poll()
    assert k.session.step == Step.ATTRACT and k.screen.start.isEnabled()
    # The technician's own mode (set through the screen) does not send citizens away.
    store.set_setting(MAINTENANCE_SETTING, {"on": True, "by": SCREEN_BY, "since": k.clock()})
    k.shell.hall.poll()
    assert k.session.step == Step.ATTRACT


def test_effects_typed_id_first_and_no_submissions_while_the_disk_is_full(kiosk: Kiosk) -> None:
    k = kiosk
    store = k.runtime.store
    store.set_setting(EFFECTS_SETTING, ["typed_id_entry"])
    k.shell.hall.poll()
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    screen = k.screen
    assert screen.row.indexOf(screen.typed_panel) == 0  # the reader looks fine, but the hall's rules say no
    assert "请直接输入身份证号码" in screen.reader_state.text() and "读卡器暂不可用" in screen.heading.text()
    store.set_setting(EFFECTS_SETTING, [])
    k.shell.hall.poll()
    assert screen.row.indexOf(screen.card_panel) == 0 and "读卡器已就绪" in screen.reader_state.text()

    store.set_setting(EFFECTS_SETTING, ["stop_submissions"])
    k.shell.hall.poll()
    assert k.session.step == Step.IDENTIFY  # the visit in progress goes on
    k.tap(k.shell.window.back)
    k.wait_step(Step.OUT_OF_SERVICE)
    assert k.view.out_of_service_reason == STOP_SUBMISSIONS and "存储空间" in k.screen.text.text()
    store.set_setting(MAINTENANCE_SETTING, {"on": True, "by": "hall", "since": k.clock()})
    k.shell.hall.poll()
    assert k.view.out_of_service_reason == HALL_MAINTENANCE  # maintenance says more than a full disk
    store.set_setting(MAINTENANCE_SETTING, {"on": False, "by": "hall", "since": k.clock()})
    k.shell.hall.poll()
    assert k.view.out_of_service_reason == STOP_SUBMISSIONS
    store.set_setting(EFFECTS_SETTING, [])
    k.shell.hall.poll()
    assert k.session.step == Step.ATTRACT and k.screen.start.isEnabled()


def test_onscreen_receipts_keep_the_number_and_qr_on_screen_with_a_working_printer(kiosk: Kiosk) -> None:
    k = kiosk
    k.to_form()
    fill(k)
    k.runtime.store.set_setting(EFFECTS_SETTING, ["onscreen_receipts"])
    k.shell.hall.poll()
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    k.tap(k.screen.confirm)
    k.wait_step(Step.SUBMITTED)
    k.tap(k.screen.go)
    k.wait_step(Step.RECEIPT)
    reference = k.view.reference
    note = k.screen.device_note
    assert note.isVisible() and reference in note.text() and "窗口" in note.text()
    assert reference in k.screen.number.text() and reference in k.screen.qr.data()
    assert k.runtime.bridge.usable("printer") and k.printer.pages == []
    assert k.screen.go.isEnabled()


def pilot_catalog(version: str) -> dict[str, Any]:
    """The shipped catalog and one more department with one service only this catalog has."""
    doc = json.loads(shipped_catalog_path().read_text(encoding="utf-8"))
    doc["version"] = version
    doc["departments"]["pilot"] = {"zh": "试点窗口", "en": "Pilot desk"}
    template = next(s for s in doc["services"] if s["standalone"] and not s["online_only"])
    doc["services"].append({**copy.deepcopy(template), "id": "pilot_service", "department": "pilot",
                            "name": {"zh": "试点新事项", "en": "Pilot service"}})  # fmt: skip
    return doc


def test_a_catalog_from_the_hall_reaches_the_choose_screen_at_the_next_visit(kiosk: Kiosk) -> None:
    k = kiosk
    config = k.runtime.config
    hall_key = signing.new_private_key()  # catalogs come signed by the hall (issue 12 point 4)
    d = Downlink(k.runtime.store, kiosk_id=config.kiosk.id, hall_identity="hall", clock=k.clock,
                 catalog_installer=catalog_installer(config), hall_key=hall_key.public_key())  # fmt: skip
    k.identify_by_card()
    msg_id = str(uuid.uuid4())
    msg = signing.sign({"v": 1, "msg_id": msg_id, "kind": "catalog", "from": "hall", "created_at": k.clock(),
                        "version": "2099.1.1", "to": config.kiosk.id, "catalog": pilot_catalog("2099.1.1")},
                       hall_key)  # fmt: skip
    d.handle("catalog", json.dumps(msg, ensure_ascii=False).encode(), {})
    assert result(k, msg_id)["status"] == "ok"

    # The citizen at the screen keeps the catalog the visit started with.
    k.shell.tick()
    assert "pilot" not in k.screen.group_buttons
    assert all(o.id != "pilot_service" for o in k.view.offers)
    k.tap(k.shell.window.cancel)
    k.wait_step(Step.TAKE_CARD)
    k.card(False)
    k.wait_step(Step.END)
    k.advance(10)
    k.wait_step(Step.ATTRACT)

    # The next citizen finds the new department and its service.
    k.identify_by_card()
    k.tap(k.screen.group_buttons["pilot"])
    tile = next(b for b in k.screen.grid.buttons if b.key == "service:pilot_service")
    assert tile.isVisible() and tile.isEnabled() and tile.title.text() == "试点新事项"
    k.tap(tile)
    k.wait_step(Step.NOTICE)


def test_service_changes_only_at_attract_and_only_lift_the_shells_own_reasons() -> None:
    assert service_change(Step.ATTRACT, "", HALL_MAINTENANCE) == OUT
    assert service_change(Step.ATTRACT, "", "") == ""
    for step in (Step.IDENTIFY, Step.FORM, Step.RECEIPT, Step.TAKE_CARD, Step.END):
        assert service_change(step, "", HALL_MAINTENANCE) == ""
    assert service_change(Step.OUT_OF_SERVICE, HALL_MAINTENANCE, "") == RECOVER
    assert service_change(Step.OUT_OF_SERVICE, HALL_MAINTENANCE, STOP_SUBMISSIONS) == OUT
    assert service_change(Step.OUT_OF_SERVICE, STOP_SUBMISSIONS, STOP_SUBMISSIONS) == ""
    assert service_change(Step.OUT_OF_SERVICE, "disk full", "") == ""  # the store's failure is not ours to lift
    assert HallState(True, frozenset({"stop_submissions"})).reason == HALL_MAINTENANCE
    assert hall_maintenance({"on": True, "by": "hall"}) and not hall_maintenance({"on": True, "by": SCREEN_BY})
    assert not hall_maintenance({"on": False, "by": "hall"}) and not hall_maintenance(None)


def test_the_test_page_names_kiosk_time_and_printer_state() -> None:
    status = DeviceStatus("printer", DeviceState.DEGRADED, frozenset({FaultCode.PAPER_NEAR_END}))
    text = printer_test_page("KSK-0042", "东胜大厅", 1_795_000_000.0, status, "5d2e0000-aaaa").plain_text()
    assert "KSK-0042" in text and "2026-11-18 19:06:40" in text and "degraded (paper_near_end)" in text
    assert "5d2e0000" in text and "中文打印正常" in text and "[QR KSK1|KSK-0042|TEST-261118190640|]" in text
