"""Queue numbers: a letter and three digits, unique per day across the hall's kiosks with no kiosk asking another."""

from __future__ import annotations

from datetime import datetime

import pytest

from drivers.printer.protocol.encoder import PAPER_58MM, EscposEncoder
from kiosk.appointments import CHINA_TZ
from kiosk.catalog import Text
from kiosk.layout import TextLine
from kiosk.queue_numbers import LETTERS, TicketNumbering, department_letters
from kiosk.receipts import QueueTicket, ticket_job


def test_each_kiosk_issues_its_own_residue_class() -> None:
    hall = [TicketNumbering(position, 3) for position in (1, 2, 3)]
    issued = [k.number("A", n) for k in hall for n in range(1, 400)]
    assert len(issued) == len(set(issued))  # 3 kiosks, 399 tickets each, offline all day: no number twice
    assert [hall[0].number("A", n) for n in (1, 2, 3)] == ["A001", "A004", "A007"]
    assert [hall[1].number("A", n) for n in (1, 2, 3)] == ["A002", "A005", "A008"]
    assert all(hall[k].issuer(hall[k].number("B", n)) == k + 1 for k in range(3) for n in (1, 50, 333, 334))


def test_a_kiosk_alone_counts_up_and_goes_on_past_999() -> None:
    only = TicketNumbering()
    assert [only.number("C", n) for n in (1, 23, 999, 1000)] == ["C001", "C023", "C999", "C1000"]


@pytest.mark.parametrize(("position", "kiosks"), [(0, 1), (2, 1), (4, 3)])
def test_a_position_outside_the_hall_is_refused(position: int, kiosks: int) -> None:
    with pytest.raises(ValueError):
        TicketNumbering(position, kiosks)


def test_letters_follow_the_catalog_without_i_or_o() -> None:
    letters = department_letters(f"d{i}" for i in range(26))
    assert "I" not in LETTERS and "O" not in LETTERS
    assert letters["d0"] == "A" and letters["d7"] == "H" and letters["d8"] == "J"
    assert letters["d24"] == "A"  # past Z the alphabet starts again; the count is kept per letter


@pytest.mark.parametrize("number", ["A023", "Z999", "H1234", "KSK-DEMO-01-001"])
def test_the_number_never_wraps_on_the_58_mm_dispenser(number: str) -> None:
    ticket = QueueTicket(number=number, department=Text("人社", "Human resources"),
                         issued_at=datetime(2026, 11, 25, 9, 10, tzinfo=CHINA_TZ),
                         kiosk_id="K", hall_name=Text("大厅", "Hall"), qr="KSK1|K|X|", offline=True)
    job = ticket_job(ticket, "zh")
    [big] = [b for b in job.blocks if isinstance(b, TextLine) and b.text == number]
    lines = EscposEncoder(PAPER_58MM).plain_lines(type(job)(job.title, (big,)))
    assert lines == [number], lines
