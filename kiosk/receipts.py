"""What the kiosk prints: application receipt, queue ticket, appointment slip, one-time notice.

Each document is first plain data (a dataclass the screen can show too), then a printer-independent
:class:`~kiosk.layout.PrintJob` built from ``kiosk.layout`` blocks; the printer driver renders it.

QR payload (no personal data, ever)::

    KSK1|<kiosk_id>|<reference>|<outbox-key-prefix>

``KSK1`` is the format version; ``reference`` is the number printed on the document; the last part is the
first 8 characters of the outbox entry key, so the hall can find the record the kiosk sent even when two
kiosks were misconfigured with one id. Queue tickets without an outbox entry use an empty last part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.catalog import Material, Notice, Text
from kiosk.identity import mask_id_number, mask_name
from kiosk.layout import Align, Block, Feed, KeyValue, PrintJob, QrCode, Rule, TextLine
from kiosk.receipts_mn import mn

__all__ = [
    "AppointmentSlip",
    "QrRef",
    "QueueTicket",
    "Receipt",
    "appointment_job",
    "mask_id_number",
    "mask_name",
    "notice_job",
    "parse_qr_payload",
    "qr_payload",
    "receipt_job",
    "ticket_job",
]

QR_VERSION = "KSK1"
KEY_PREFIX_LENGTH = 8


@dataclass(frozen=True)
class QrRef:
    """The parts of a QR payload."""

    kiosk_id: str
    reference: str
    key_prefix: str


def qr_payload(kiosk_id: str, reference: str, outbox_key: str = "") -> str:
    """The QR text for a document: ``KSK1|kiosk|reference|key-prefix`` (see the module docstring)."""
    for part in (kiosk_id, reference, outbox_key):
        if "|" in part:
            raise ValueError(f"'|' is not allowed in a QR part: {part!r}")
    if not kiosk_id or not reference:
        raise ValueError("a QR payload needs a kiosk id and a reference")
    return f"{QR_VERSION}|{kiosk_id}|{reference}|{outbox_key[:KEY_PREFIX_LENGTH]}"


def parse_qr_payload(data: str) -> QrRef:
    """Inverse of :func:`qr_payload`; ValueError for anything that is not a KSK1 payload."""
    parts = data.strip().split("|")
    if len(parts) != 4 or parts[0] != QR_VERSION or not parts[1] or not parts[2]:
        raise ValueError(f"not a {QR_VERSION} kiosk QR code")
    return QrRef(kiosk_id=parts[1], reference=parts[2], key_prefix=parts[3])


@dataclass(frozen=True)
class Receipt:
    """The application receipt (办件回执) handed out after a submission."""

    reference: str
    kiosk_id: str
    hall_name: Text
    title: Text  # service or bundle name
    submitted_at: datetime
    materials: tuple[Material, ...]  # still to bring to the window
    qr: str
    queued_offline: bool  # True: saved on the kiosk, sent when the hall is reachable again
    hotline: str
    provided: tuple[tuple[Material, int], ...] = ()  # photographed at the kiosk: (material, pages)


@dataclass(frozen=True)
class QueueTicket:
    """A queue ticket (取号): "A023", from the hall or, offline, from this kiosk's share (kiosk.queue_numbers)."""

    number: str
    department: Text
    issued_at: datetime
    kiosk_id: str
    hall_name: Text
    qr: str
    offline: bool
    waiting_ahead: int | None = None


@dataclass(frozen=True)
class AppointmentSlip:
    """An appointment voucher (预约凭证); name and ID number are stored masked only."""

    reference: str
    start: datetime
    end: datetime
    department: Text
    name_masked: str
    id_masked: str
    kiosk_id: str
    hall_name: Text
    qr: str


def _t(zh: str, en: str, lang: str) -> str:
    if lang == "mn":  # kiosk/receipts_mn.py, falling back to the Chinese
        return mn(zh)
    return en if lang == "en" else zh


def _when(dt: datetime) -> str:
    return f"{dt:%Y-%m-%d %H:%M}"


def material_line(m: Material, lang: str) -> str:
    """One material as a printed line: 出生医学证明（原件1份）/ Birth certificate (original, 1 copy)."""
    name = m.name.get(lang)
    if lang == "en":
        kind = "original" if m.original else "photocopy"
        detail = f"{kind}, {m.copies} {'copy' if m.copies == 1 else 'copies'}"
    else:
        detail = f"{'原件' if m.original else '复印件'}{m.copies}份"
    note = f" {m.note.get(lang)}" if m.note else ""
    if lang == "en":  # English text takes ASCII brackets; full-width ones belong to Chinese
        return f"{name} ({detail}){note}"
    return f"{name}（{detail}）{note}"


def provided_line(m: Material, pages: int, lang: str) -> str:
    """One material handed in as photographs: 结婚证（已拍照2页）/ Marriage certificate (2 pages photographed)."""
    if lang == "en":
        return f"{m.name.get(lang)} ({pages} {'page' if pages == 1 else 'pages'} photographed)"
    return f"{m.name.get(lang)}（已拍照{pages}页）"


PAPER_COLUMNS = 48  # ASCII columns of the 80 mm kiosk printers at scale 1
TICKET_COLUMNS = 32  # the queue-ticket dispenser's 58 mm paper


def _big(text: str, max_scale: int, columns: int = PAPER_COLUMNS) -> TextLine:
    """A number printed as big as fits on one line of ``columns`` (up to ``max_scale``): never wrapped."""
    width = sum(1 if ord(c) < 0x80 else 2 for c in text)
    scale = max_scale
    while scale > 1 and width * scale > columns:
        scale -= 1
    return TextLine(text, Align.CENTER, scale=scale, bold=True)


def _header(hall_name: Text, title_zh: str, title_en: str, lang: str) -> list[Block]:
    return [
        TextLine(hall_name.get(lang), Align.CENTER, bold=True),
        TextLine(_t(title_zh, title_en, lang), Align.CENTER, scale=2, bold=True),
        Rule(),
    ]


def _materials(materials: Sequence[Material], lang: str, heading_zh: str, heading_en: str) -> list[Block]:
    if not materials:
        return []
    blocks: list[Block] = [TextLine(_t(heading_zh, heading_en, lang), bold=True)]
    blocks += [TextLine(f"{i}. {material_line(m, lang)}") for i, m in enumerate(materials, 1)]
    return blocks


def receipt_job(receipt: Receipt, lang: str) -> PrintJob:
    """The printable application receipt: big reference number, what was applied for, what to bring, QR."""
    r = receipt
    blocks = _header(r.hall_name, "办件回执", "Application receipt", lang)
    blocks += [
        TextLine(_t("受理编号", "Reference number", lang), Align.CENTER),
        _big(r.reference, 2),
        KeyValue(_t("办理事项", "Applied for", lang), r.title.get(lang)),
        KeyValue(_t("提交时间", "Submitted", lang), _when(r.submitted_at)),
        KeyValue(_t("终端编号", "Kiosk", lang), r.kiosk_id),
        Rule(),
    ]
    if r.provided:
        blocks.append(TextLine(_t("已拍照提交的材料：", "Handed in here (photographed):", lang), bold=True))
        blocks += [TextLine(f"{i}. {provided_line(m, n, lang)}") for i, (m, n) in enumerate(r.provided, 1)]
        if not r.materials:
            done = _t("材料已齐全，无需再到窗口递交。", "All materials handed in: nothing to bring.", lang)
            blocks.append(TextLine(done))
    blocks += _materials(r.materials, lang, "请携带以下材料到窗口：", "Please bring these to the window:")
    if r.queued_offline:
        note = _t(
            "网络暂时中断，申请已保存在本机，恢复后自动提交，无需重复申请。",
            "The network is down: your application is saved here and will be sent automatically. "
            "Do not apply again.",
            lang,
        )
    else:
        note = _t("申请已提交至政务服务中心。", "Your application has been sent to the service center.", lang)
    blocks += [
        TextLine(note),
        QrCode(r.qr),
        TextLine(_t("凭此码查询办理进度", "Scan to track progress", lang), Align.CENTER),
        KeyValue(_t("咨询电话", "Hotline", lang), r.hotline),
        Feed(2),
    ]
    return PrintJob(title=f"receipt {r.reference}", blocks=tuple(blocks))


def ticket_job(ticket: QueueTicket, lang: str, columns: int = TICKET_COLUMNS) -> PrintJob:
    """The printable queue ticket for paper of ``columns``: a very big number, the department, people waiting, QR."""
    t = ticket
    blocks = _header(t.hall_name, "排队号", "Queue number", lang)
    blocks += [
        _big(t.number, 4, columns),
        KeyValue(_t("办理部门", "Department", lang), t.department.get(lang)),
    ]
    if t.waiting_ahead is not None:
        blocks.append(KeyValue(_t("前面等候", "Waiting ahead", lang), str(t.waiting_ahead)))
    blocks += [
        KeyValue(_t("取号时间", "Issued", lang), _when(t.issued_at)),
        KeyValue(_t("终端编号", "Kiosk", lang), t.kiosk_id),
    ]
    if t.offline:
        blocks.append(
            TextLine(_t("本号码由自助终端离线发放，请留意窗口叫号并出示此票。",
                        "Issued by the kiosk while offline: show this ticket at the window when called.", lang))
        )
    blocks += [QrCode(t.qr), TextLine(_t("过号请重新取号", "If you miss your call, take a new number", lang)), Feed(2)]
    return PrintJob(title=f"ticket {t.number}", blocks=tuple(blocks))


def appointment_job(slip: AppointmentSlip, lang: str) -> PrintJob:
    """The printable appointment voucher: reference, time slot, department, masked name and ID, QR."""
    s = slip
    slot = f"{s.start:%Y-%m-%d %H:%M}–{s.end:%H:%M}"
    blocks = _header(s.hall_name, "预约凭证", "Appointment", lang)
    blocks += [
        TextLine(_t("预约编号", "Reference number", lang), Align.CENTER),
        _big(s.reference, 2),
        KeyValue(_t("预约时段", "Time", lang), slot),
        KeyValue(_t("办理部门", "Department", lang), s.department.get(lang)),
        KeyValue(_t("预约人", "Name", lang), s.name_masked),
        KeyValue(_t("证件号码", "ID number", lang), s.id_masked),
        Rule(),
        TextLine(_t("请按时到达，凭此凭证换取优先号。如需取消，请至少提前2小时。",
                    "Arrive on time and exchange this slip for a priority number. "
                    "Cancel at least 2 hours before if you cannot come.", lang)),
        QrCode(s.qr),
        Feed(2),
    ]
    return PrintJob(title=f"appointment {s.reference}", blocks=tuple(blocks))


def _term(key: str, value: str) -> list[Block]:
    """One notice term: on one line, or (a bundle's per-service lines) as a heading and its lines."""
    lines = [line for line in value.splitlines() if line.strip()]
    if len(lines) <= 1:
        return [KeyValue(key, value.strip())]
    return [TextLine(key + ("：" if not key.isascii() else ":"), bold=True), *(TextLine(line) for line in lines)]


def notice_job(name: Text, notice: Notice | Sequence[Material], lang: str, hall_name: Text | None = None) -> PrintJob:
    """The printable one-time notice (一次告知): materials, and for a service its conditions, time limit and fee."""
    blocks: list[Block] = []
    if hall_name is not None:
        blocks.append(TextLine(hall_name.get(lang), Align.CENTER, bold=True))
    blocks += [
        TextLine(_t("一次性告知单", "What you need to know", lang), Align.CENTER, scale=2, bold=True),
        TextLine(name.get(lang), Align.CENTER, bold=True),
        Rule(),
    ]
    materials = notice.materials if isinstance(notice, Notice) else tuple(notice)
    blocks += _materials(materials, lang, "需要准备的材料：", "Materials to prepare:")
    if isinstance(notice, Notice):
        blocks.append(Rule())
        for key_zh, key_en, text in (("受理条件", "Who can apply", notice.conditions),
                                     ("办结时限", "Time limit", notice.time_limit), ("收费标准", "Fee", notice.fee),
                                     ("办理结果", "Result", notice.result)):
            blocks += _term(_t(key_zh, key_en, lang), text.get(lang))
        if notice.basis:
            blocks.append(TextLine(_t("设定依据：", "Legal basis:", lang), bold=True))
            blocks += [TextLine(b.get(lang)) for b in notice.basis]
    blocks.append(Feed(2))
    return PrintJob(title=f"notice {name.zh}", blocks=tuple(blocks))


def make_slip(
    *, reference: str, start: datetime, end: datetime, department: Text, name: str, id_number: str,
    kiosk_id: str, hall_name: Text, qr: str,
) -> AppointmentSlip:
    """An appointment slip holding only the masked name and ID number."""
    return AppointmentSlip(
        reference=reference, start=start, end=end, department=department, name_masked=mask_name(name),
        id_masked=mask_id_number(id_number), kiosk_id=kiosk_id, hall_name=hall_name, qr=qr,
    )
