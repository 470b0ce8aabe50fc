"""Receipt, queue ticket, appointment slip and one-time notice as printer-independent jobs."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.appointments import CHINA_TZ
from kiosk.catalog import Material, Notice, Text
from kiosk.layout import Align, KeyValue, QrCode, TextLine
from kiosk.receipts import (
    QueueTicket,
    Receipt,
    appointment_job,
    make_slip,
    mask_id_number,
    mask_name,
    notice_job,
    parse_qr_payload,
    qr_payload,
    receipt_job,
    ticket_job,
)

HALL = Text("鄂尔多斯市政务服务中心", "Ordos Government Service Center")
AT = datetime(2026, 3, 5, 21, 14, tzinfo=CHINA_TZ)
MATERIALS = (
    Material(Text("出生医学证明", "Birth medical certificate")),
    Material(Text("户口簿", "Household register"), copies=2, original=False, note=Text("首页及本人页", "main page")),
)


def receipt(queued: bool = False) -> Receipt:
    return Receipt(
        reference="K01-260305-0007", kiosk_id="K01", hall_name=HALL, title=Text("新生儿出生一件事", "Newborn"),
        submitted_at=AT, materials=MATERIALS, qr=qr_payload("K01", "K01-260305-0007", "abcdef12-3456"),
        queued_offline=queued, hotline="12345",
    )


def texts(job) -> list[str]:
    return [b.text for b in job.blocks if isinstance(b, TextLine)]


def test_qr_payload_format_and_roundtrip() -> None:
    data = qr_payload("K01", "K01-260305-0007", "abcdef12-3456-7890")
    assert data == "KSK1|K01|K01-260305-0007|abcdef12"
    ref = parse_qr_payload(data)
    assert (ref.kiosk_id, ref.reference, ref.key_prefix) == ("K01", "K01-260305-0007", "abcdef12")
    assert qr_payload("K01", "A023") == "KSK1|K01|A023|"


@pytest.mark.parametrize("bad", ["", "KSK2|K01|R|k", "KSK1|K01|R", "KSK1||R|k", "KSK1|K01||k", "hello"])
def test_qr_parse_rejects_other_codes(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_qr_payload(bad)


def test_qr_payload_refuses_separator_and_empty_parts() -> None:
    with pytest.raises(ValueError):
        qr_payload("K|01", "R")
    with pytest.raises(ValueError):
        qr_payload("", "R")


def test_receipt_job_zh() -> None:
    job = receipt_job(receipt(), "zh")
    big = [b for b in job.blocks if isinstance(b, TextLine) and b.scale >= 2]
    assert any(b.text == "K01-260305-0007" and b.align == Align.CENTER for b in big)
    kv = {b.key: b.value for b in job.blocks if isinstance(b, KeyValue)}
    assert kv["办理事项"] == "新生儿出生一件事"
    assert kv["提交时间"] == "2026-03-05 21:14"
    assert kv["终端编号"] == "K01" and kv["咨询电话"] == "12345"
    qrs = [b for b in job.blocks if isinstance(b, QrCode)]
    assert [q.data for q in qrs] == ["KSK1|K01|K01-260305-0007|abcdef12"]
    lines = texts(job)
    assert "1. 出生医学证明（原件1份）" in lines
    assert "2. 户口簿（复印件2份） 首页及本人页" in lines
    assert any("已提交" in t for t in lines) and not any("网络暂时中断" in t for t in lines)
    assert job.cut


def test_receipt_job_offline_note_and_english() -> None:
    assert any("网络暂时中断" in t for t in texts(receipt_job(receipt(queued=True), "zh")))
    en = receipt_job(receipt(queued=True), "en").plain_text()
    assert "Application receipt" in en and "Newborn" in en and "Do not apply again" in en
    assert "Birth medical certificate（original, 1 copy）" not in en  # full-width brackets are Chinese punctuation
    assert "Birth medical certificate (original, 1 copy)" in en
    assert "Household register (photocopy, 2 copies)" in en  # ASCII brackets in English


def test_big_numbers_shrink_to_fit_the_paper() -> None:
    long_ref = Receipt(**{**receipt().__dict__, "reference": "KSK-DEMO-HALL-0001-260305-0001"})
    [big] = [b for b in receipt_job(long_ref, "zh").blocks if isinstance(b, TextLine) and b.text == long_ref.reference]
    assert big.scale == 1 and big.bold
    ticket = QueueTicket(number="KSK-DEMO-01-001", department=Text("公安", "Police"), issued_at=AT, kiosk_id="K",
                         hall_name=HALL, qr="KSK1|K|KSK-DEMO-01-001|", offline=True)
    [number] = [b for b in ticket_job(ticket, "zh").blocks if isinstance(b, TextLine) and b.text == ticket.number]
    assert number.scale == 2  # the dispenser's 58 mm paper: 32 columns, 15 characters at double width fit


def test_ticket_job_big_number_and_offline_note() -> None:
    ticket = QueueTicket(number="K01-023", department=Text("公安", "Police"), issued_at=AT, kiosk_id="K01",
                         hall_name=HALL, qr=qr_payload("K01", "K01-023"), offline=True)
    job = ticket_job(ticket, "zh")
    number = [b for b in job.blocks if isinstance(b, TextLine) and b.text == "K01-023"]
    assert number and number[0].scale == 4
    assert any("离线" in t for t in texts(job))
    assert "前面等候" not in job.plain_text()
    online = QueueTicket(number="A023", department=Text("公安", "Police"), issued_at=AT, kiosk_id="K01",
                         hall_name=HALL, qr="KSK1|K01|A023|", offline=False, waiting_ahead=7)
    text = ticket_job(online, "en").plain_text()
    assert "Waiting ahead：7" in text and "offline" not in text


def test_appointment_slip_holds_only_masked_personal_data() -> None:
    slip = make_slip(
        reference="K01-260305-0008", start=datetime(2026, 3, 9, 9, tzinfo=CHINA_TZ),
        end=datetime(2026, 3, 9, 10, tzinfo=CHINA_TZ), department=Text("民政", "Civil affairs"), name="张某三",
        id_number="150102199003071234", kiosk_id="K01", hall_name=HALL, qr="KSK1|K01|K01-260305-0008|x",
    )
    assert slip.name_masked == "张*三" and slip.id_masked == "1501**********1234"
    assert "张某三" not in repr(slip) and "150102199003071234" not in repr(slip)
    text = appointment_job(slip, "zh").plain_text()
    assert "2026-03-09 09:00–10:00" in text and "民政" in text and "张*三" in text
    assert "150102199003071234" not in text and "1501**********1234" in text
    assert mask_name("张某三") == slip.name_masked and mask_id_number("150102199003071234") == slip.id_masked


NOTICE = Notice(
    materials=MATERIALS, basis=(Text("《母婴保健法》", "Maternal and Infant Health Care Law"),),
    conditions=Text("新生儿父母", "Parents of the newborn"), time_limit=Text("即办", "Immediately"),
    fee=Text("不收费", "Free"), result=Text("出生医学证明", "Certificate"),
)


def test_notice_job_for_service_and_for_bundle_materials() -> None:
    full = notice_job(Text("出生医学证明签发", "Birth certificate"), NOTICE, "zh", HALL).plain_text()
    expected = ("一次性告知单", "出生医学证明签发", "出生医学证明（原件1份）", "受理条件：新生儿父母", "不收费")
    for part in (*expected, "《母婴保健法》"):
        assert part in full
    materials_only = notice_job(Text("新生儿出生一件事", "Newborn"), MATERIALS, "en").plain_text()
    assert "Materials to prepare" in materials_only and "Household register" in materials_only
    assert "Fee" not in materials_only
