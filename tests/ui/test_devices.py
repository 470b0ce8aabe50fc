"""Devices fail mid-visit: plain words and a way on; the GUI thread is never blocked by a device."""

from __future__ import annotations

import threading
import time

from drivers.dispenser.simulator import DispenserSimulator
from drivers.printer.protocol.encoder import PAPER_58MM
from kiosk.devices import DeviceKind
from kiosk.visit.flow import Step

from .conftest import Kiosk
from .test_visit import fill


def test_no_paper_keeps_reference_and_qr_on_screen(kiosk: Kiosk) -> None:
    k = kiosk
    k.to_form()
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    k.printer.set_state("paper_out")  # runs out while the citizen reviews
    k.tap(k.screen.confirm)
    k.wait_step(Step.SUBMITTED)
    k.tap(k.screen.go)
    k.wait_step(Step.RECEIPT)
    reference = k.view.reference
    k.wait(lambda: k.screen.device_note.isVisible() and reference in k.screen.device_note.text())
    note = k.screen.device_note.text()
    assert "缺纸" in note and "窗口" in note  # why, and where to collect a printout
    assert reference in k.screen.number.text() and reference in k.screen.qr.data()
    assert k.printer.pages == []
    assert k.screen.go.isEnabled()  # the visit goes on to the rating


def test_printer_gone_before_notice_print(kiosk: Kiosk) -> None:
    k = kiosk
    k.identify_by_card()
    k.tap(next(b for b in k.screen.grid.buttons if b.key == "bundle:newborn"))
    k.wait_step(Step.NOTICE)
    k.printer.unplug()
    k.runtime.runners[DeviceKind.PRINTER].poll_now()
    k.wait(lambda: not k.runtime.bridge.usable("printer"))
    k.tap(k.screen.print_button)
    assert "告知内容会保留在屏幕上" in k.screen.device_note.text()
    assert k.screen.accept.isEnabled()
    k.printer.replug()


def test_no_reader_type_the_id_number(kiosk: Kiosk) -> None:
    k = kiosk
    k.tap(k.screen.start)
    k.wait_step(Step.IDENTIFY)
    k.reader.silent = True  # the reader stops answering
    k.runtime.runners[DeviceKind.ID_READER].poll_now()
    k.runtime.device("sscard_reader").simulator.unplug()  # and the social security card reader is gone
    k.runtime.runners[DeviceKind.SSCARD_READER].poll_now()
    k.wait(lambda: not k.shell.cards.readers_usable(), timeout_ms=15_000)
    k.wait(lambda: "请直接输入身份证号码" in k.screen.reader_state.text())
    k.screen.keypad.set_value("150602198503151236")
    k.tap(k.screen.confirm)
    k.wait_step(Step.CHOOSE)


def test_the_shell_prints_tickets_through_the_dispenser_simulator(kiosk: Kiosk) -> None:
    assert isinstance(kiosk.dispenser, DispenserSimulator) and kiosk.dispenser.paper == PAPER_58MM


def test_ticket_dispenser_jam_shows_number(kiosk_factory) -> None:
    from ui.demo import MORNING

    k = kiosk_factory(start=MORNING)
    k.dispenser.set_state("paper_out")
    k.runtime.runners[DeviceKind.DISPENSER].poll_now()
    k.wait(lambda: not k.runtime.bridge.usable("dispenser"))
    k.tap(k.screen.ticket)
    k.wait_step(Step.TICKET)
    k.tap(k.screen.grid.buttons[0])
    k.wait_step(Step.TICKET_DONE)
    assert k.view.ticket.number in k.screen.number.text()
    assert "取号机暂时无法出票" in k.screen.device_note.text()


def test_device_calls_never_block_the_gui_thread(kiosk: Kiosk, qtbot) -> None:
    k = kiosk
    gui = threading.get_ident()
    seen: list[object] = []

    def slow() -> int:
        assert threading.get_ident() != gui
        time.sleep(0.5)
        return 42

    started = time.perf_counter()
    k.runtime.bridge.call("printer", slow, on_done=seen.append)
    assert time.perf_counter() - started < 0.05  # returned at once
    k.wait(lambda: seen == [42], timeout_ms=5000)
