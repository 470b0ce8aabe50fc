"""Findings of the screens review that are not about layout: the hall name's whole width opens maintenance,
simulated readers start empty in run mode and take a sample card from the technician screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint

from kiosk.config import demo_config
from ui import sample_cards

from .test_ui_maintenance import PIN, enter_pin, finger, pin_hash, tech_kiosk, touchscreen  # noqa: F401


def test_five_taps_anywhere_on_the_hall_name_open_the_pin_pad(tech_kiosk, touchscreen) -> None:  # noqa: F811
    k = tech_kiosk
    hall = k.shell.window.hall
    right = hall.mapTo(k.shell.window, QPoint(hall.width() - 10, hall.height() // 2))
    assert right.x() > 2 * k.shell.theme.target_px  # well past the old 120 px corner
    for _ in range(5):
        finger(k, touchscreen, right.x(), right.y())
    assert k.shell.maintenance.pin_screen is not None


def test_run_mode_starts_simulated_readers_empty(tmp_path: Path) -> None:
    config = demo_config(tmp_path)  # simulators with the factories' default: a sample card in
    empty = sample_cards.empty_readers(config)
    assert empty.devices.id_reader.options["card"] == "" and empty.devices.sscard_reader.options["card"] == ""
    named = demo_config(tmp_path, devices={"id_reader": {"transport": "simulator", "options": {"card": "normal"}}})
    assert sample_cards.empty_readers(named).devices.id_reader.options["card"] == "normal"  # asked for: kept


def test_the_technician_screen_puts_a_sample_card_in_and_takes_it_out(tech_kiosk, touchscreen) -> None:  # noqa: F811
    k = tech_kiosk
    for _ in range(5):
        finger(k, touchscreen, 10, 10)
    enter_pin(k, PIN)
    screen = k.shell.maintenance.technician
    button = screen.cards["id_reader"].sample
    assert button.isVisible() and k.reader.card is None
    k.tap(button)
    assert k.reader.card is not None and button.text() == "取出样卡"
    k.tap(button)
    assert k.reader.card is None and button.text() == "放入样卡"


def test_a_card_is_not_needed_to_start(kiosk_factory: Any) -> None:
    k = kiosk_factory()
    assert k.reader.card is None and k.session.step.value == "attract"


def test_review_masks_id_and_phone_numbers_until_tapped(kiosk: Any) -> None:
    from kiosk.visit.flow import Step

    from .test_visit import fill

    k = kiosk
    k.to_form()
    fill(k)
    k.tap(k.screen.submit)
    k.wait_step(Step.REVIEW)
    text = k.screen.pager.plain_text()
    assert "13904771234" not in text and "139****1234" in text
    assert "150602198503151236" not in text and "1506**********1236" in text
    phone = next(b for b in k.screen.reveal_buttons if b.isVisible() and "电话" in b.text())
    k.tap(phone)
    assert "13904771234" in k.screen.pager.plain_text() and "1506**********1236" in k.screen.pager.plain_text()
    k.tap(phone)
    assert "13904771234" not in k.screen.pager.plain_text()
