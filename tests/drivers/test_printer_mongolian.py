"""A Mongolian receipt and queue ticket on the real ESC/POS bytes: Mongolian lines go as GS v 0 raster images
(thermal printers have no Mongolian font), the reference number and the QR code stay exactly as in Chinese."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PIL import Image

from drivers.printer.protocol.encoder import EscposEncoder
from drivers.printer.simulator import PrinterSimulator
from kiosk.catalog import Material, Text
from kiosk.languages import has_mongolian
from kiosk.receipts import QueueTicket, Receipt, qr_payload, receipt_job, ticket_job

GS_V0 = b"\x1dv0\x00"
REFERENCE = "KSK-DEMO-01-20261124-0007"
RECEIPT = Receipt(
    reference=REFERENCE,
    kiosk_id="KSK-DEMO-01",
    hall_name=Text("鄂尔多斯市政务服务中心", "Ordos Service Center", ""),  # no mn: the hall's name prints in Chinese
    title=Text("新生儿出生一件事", "Newborn bundle", "ᠰᠢᠨ᠎ᠡ ᠲᠥᠷᠥᠭᠰᠡᠨ"),
    submitted_at=datetime(2026, 11, 24, 22, 40),
    materials=(Material(Text("出生医学证明", "Birth certificate"), original=True, copies=1),),
    qr=qr_payload("KSK-DEMO-01", REFERENCE),
    queued_offline=False,
    hotline="0477-12345",
)


def images(data: bytes) -> list[tuple[int, int]]:
    """(width in dots, height) of every GS v 0 image in ``data``."""
    out, pos = [], data.find(GS_V0)
    while pos >= 0:
        xl, xh, yl, yh = data[pos + 4 : pos + 8]
        out.append(((xl + 256 * xh) * 8, yl + 256 * yh))
        pos = data.find(GS_V0, pos + 8 + (xl + 256 * xh) * (yl + 256 * yh))
    return out


def test_mongolian_receipt_prints_images_with_the_reference_and_qr_unchanged(tmp_path: Path) -> None:
    zh = EscposEncoder().encode(receipt_job(RECEIPT, "zh"))
    mn_job = receipt_job(RECEIPT, "mn")
    mn = EscposEncoder().encode(mn_job)
    assert not images(zh) and GS_V0 not in zh  # Chinese prints as printer text, as before
    pictures = images(mn)
    mongolian_blocks = [b for b in mn_job.blocks if has_mongolian(getattr(b, "text", "") + getattr(b, "key", ""))]
    assert len(pictures) == len(mongolian_blocks) >= 6
    assert all(w == 576 and 20 <= h <= 400 for w, h in pictures), pictures
    # The reference number is printer text, big, exactly as on the Chinese receipt; the QR is the same command.
    assert REFERENCE.encode() in mn and zh.count(REFERENCE.encode()) == mn.count(REFERENCE.encode())
    size = len(RECEIPT.qr) + 3
    qr_store = b"\x1d(k" + bytes([size & 0xFF, size >> 8]) + b"1P0" + RECEIPT.qr.encode()
    assert qr_store in zh and qr_store in mn
    # No Mongolian goes to the printer as text: its UTF-8 bytes (E1 A0..A2 ..) never appear outside the images.
    text_only = mn
    for pos in reversed([i for i in range(len(mn)) if mn.startswith(GS_V0, i)]):
        xl, xh, yl, yh = mn[pos + 4 : pos + 8]
        text_only = text_only[:pos] + text_only[pos + 8 + (xl + 256 * xh) * (yl + 256 * yh) :]
    assert b"\xe1\xa0" not in text_only and b"\xe1\xa1" not in text_only
    # The printer simulator parses the images and renders the receipt with ink in them.
    sim = PrinterSimulator(png_dir=tmp_path)
    sim.feed(mn)
    assert sim.wait_rendered(20)
    lines = sim.pages[0].lines
    assert sum(1 for ln in lines if ln.image) == len(pictures)
    assert any(ln.qr == RECEIPT.qr for ln in lines) and any(REFERENCE in ln.text for ln in lines)
    png = Image.open(tmp_path / "receipt-0001.png").convert("L")
    assert png.height > sum(h for _, h in pictures)


def test_mongolian_ticket_keeps_its_number_as_printer_text() -> None:
    ticket = QueueTicket(
        number="A023", department=Text("人社", "HR", "ᠬᠦᠮᠦᠨ"), issued_at=datetime(2026, 11, 25, 9, 10),
        kiosk_id="KSK-DEMO-01", hall_name=Text("鄂尔多斯市政务服务中心", ""), qr="T|A023", offline=True,
        waiting_ahead=3,
    )  # fmt: skip
    data = EscposEncoder().encode(ticket_job(ticket, "mn"))
    assert b"A023" in data and len(images(data)) >= 5
