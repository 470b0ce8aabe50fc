"""The hall's printer test page (command ``print_test_page``), laid out without Qt or a printer.

It names the kiosk, the time, the printer's status and the command, prints a line of Chinese and a QR code, and
holds no personal data. ``ui.hall`` prints it on the printer's thread and answers the hall with
:func:`status_detail`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.appointments import CHINA_TZ
from kiosk.devices import DeviceStatus
from kiosk.layout import Align, KeyValue, PrintJob, QrCode, Rule, TextLine
from kiosk.receipts import qr_payload


def status_detail(status: DeviceStatus | None) -> dict[str, Any]:
    """A printer status for a command result (``{"state": "absent"}`` when none was reported)."""
    if status is None:
        return {"state": "absent", "faults": [], "detail": {}}
    data = status.to_dict()
    return {"state": data["state"], "faults": data["faults"], "detail": data["detail"]}


def printer_test_page(
    kiosk_id: str, hall_name: str, now: float, status: DeviceStatus | None, msg_id: str = ""
) -> PrintJob:
    """The hall's printer test page: kiosk, time, printer status, a Chinese line and a QR (no personal data)."""
    when = datetime.fromtimestamp(now, CHINA_TZ)
    state = status_detail(status)
    faults = ", ".join(state["faults"]) or "-"
    blocks = (
        TextLine(hall_name, Align.CENTER, bold=True),
        TextLine("打印测试页 Test page", Align.CENTER, scale=2, bold=True),
        Rule(),
        KeyValue("终端编号 Kiosk", kiosk_id),
        KeyValue("时间 Time", f"{when:%Y-%m-%d %H:%M:%S}"),
        KeyValue("打印机状态 Printer", f"{state['state']} ({faults})"),
        KeyValue("指令 Command", msg_id[:8] or "-"),
        Rule(),
        TextLine("中文打印正常：政务服务自助终端，欢迎办理。", Align.CENTER),
        QrCode(qr_payload(kiosk_id, f"TEST-{when:%y%m%d%H%M%S}")),
        TextLine("扫码核对终端 Scan to check the kiosk", Align.CENTER),
    )
    return PrintJob(title=f"test page {msg_id[:8]}", blocks=blocks)
