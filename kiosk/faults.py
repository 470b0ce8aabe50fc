"""Fault codes shared by the drivers, the store, the health rules and the hall.

The wire value of a code is its string. Each code carries a default severity and the maintenance action a
technician is sent to do; the hall's maintenance rules (``kiosk/health/``) may override the severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How urgently the hall must act."""

    INFO = "info"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


SEVERITY_ORDER = {Severity.INFO: 0, Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class FaultCode(StrEnum):
    """What is wrong. The device it is wrong with is stored beside the code."""

    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    CUTTER_ERROR = "cutter_error"
    DEVICE_ERROR = "device_error"  # unrecoverable: power-cycle needed
    DEVICE_OFFLINE = "device_offline"  # unplugged, silent, or the daemon behind it is gone
    JAM = "jam"
    SAM_ERROR = "sam_error"
    DISK_LOW = "disk_low"
    BACKLOG_OLD = "backlog_old"
    UI_STALE = "ui_stale"
    STORE_UNAVAILABLE = "store_unavailable"
    # the A4 document printer (drivers/document_printer: IPP printer-state-reasons, followed jobs)
    A4_PAPER_OUT = "a4_paper_out"
    A4_PAPER_LOW = "a4_paper_low"
    A4_JAM = "a4_jam"
    TONER_LOW = "toner_low"
    TONER_EMPTY = "toner_empty"
    DOOR_OPEN = "door_open"
    PRINT_FAILED = "print_failed"  # a document job failed or stalled (cleared by the next job that completes)
    CAMERA_NO_IMAGE = "camera_no_image"  # the document camera sends frames, but blank ones (lamp, lens)
    # The accessibility keypad is unplugged or silent: sighted citizens are still served, blind ones cannot be.
    KEYPAD_OFFLINE = "keypad_offline"


@dataclass(frozen=True)
class FaultInfo:
    """Default severity and the action for a fault code."""

    severity: Severity
    action_zh: str
    action_en: str


FAULT_INFO: dict[FaultCode, FaultInfo] = {
    FaultCode.PAPER_NEAR_END: FaultInfo(Severity.MINOR, "补充打印纸", "Refill the paper roll soon"),
    FaultCode.PAPER_OUT: FaultInfo(Severity.MAJOR, "立即更换打印纸", "Replace the paper roll now"),
    FaultCode.COVER_OPEN: FaultInfo(Severity.MAJOR, "关闭打印机上盖", "Close the printer cover"),
    FaultCode.CUTTER_ERROR: FaultInfo(Severity.MAJOR, "检查切刀并清除卡纸", "Check the cutter, clear the paper"),
    FaultCode.DEVICE_ERROR: FaultInfo(Severity.CRITICAL, "断电重启设备，仍不行则报修", "Power-cycle; call the vendor"),
    FaultCode.DEVICE_OFFLINE: FaultInfo(Severity.MAJOR, "检查设备电源与连线", "Check the device's power and cable"),
    FaultCode.JAM: FaultInfo(Severity.MAJOR, "清除出票口卡纸", "Clear the jam at the ticket outlet"),
    FaultCode.SAM_ERROR: FaultInfo(Severity.MAJOR, "读卡器安全模块故障，联系厂家", "Reader SAM failed: call vendor"),
    FaultCode.DISK_LOW: FaultInfo(Severity.MAJOR, "清理磁盘或导出积压数据", "Free disk space or export the backlog"),
    FaultCode.BACKLOG_OLD: FaultInfo(Severity.MAJOR, "检查网络与大厅服务器连接", "Check the network and hall server"),
    FaultCode.UI_STALE: FaultInfo(Severity.CRITICAL, "界面无响应，重启终端", "The screen hangs: restart the kiosk"),
    FaultCode.STORE_UNAVAILABLE: FaultInfo(Severity.CRITICAL, "数据库不可写，检查磁盘", "Database not writable"),
    FaultCode.A4_PAPER_OUT: FaultInfo(Severity.MAJOR, "A4打印机缺纸，立即补纸", "Load A4 paper into the A4 printer"),
    FaultCode.A4_PAPER_LOW: FaultInfo(Severity.MINOR, "A4纸将用完，尽快补充", "A4 paper is low: refill it soon"),
    FaultCode.A4_JAM: FaultInfo(Severity.MAJOR, "打开A4打印机清除卡纸", "Open the A4 printer and clear the jam"),
    FaultCode.TONER_LOW: FaultInfo(Severity.MINOR, "墨粉不足，准备更换硒鼓", "Toner low: have a cartridge ready"),
    FaultCode.TONER_EMPTY: FaultInfo(Severity.MAJOR, "墨粉用尽，立即更换硒鼓", "Toner empty: replace the cartridge"),
    FaultCode.DOOR_OPEN: FaultInfo(Severity.MAJOR, "关好A4打印机的机门", "Close the A4 printer's door"),
    FaultCode.PRINT_FAILED: FaultInfo(
        Severity.MAJOR, "证明打印失败：检查A4打印机和队列", "A document failed to print: check the A4 printer and queue"
    ),
    FaultCode.CAMERA_NO_IMAGE: FaultInfo(
        Severity.MAJOR, "高拍仪无图像：检查镜头和补光灯", "Document camera image blank: check the lens and lamp"
    ),
    # Major, not critical: the kiosk keeps serving on the touchscreen, but a technician must come, as a blind
    # citizen cannot use it at all meanwhile.
    FaultCode.KEYPAD_OFFLINE: FaultInfo(
        Severity.MAJOR,
        "无障碍导航键盘离线（视障群众无法使用本机）：检查键盘的USB连线",
        "Accessibility keypad offline (blind citizens cannot use the kiosk): check its USB cable",
    ),
}


def default_severity(code: str) -> Severity:
    """The default severity of a code; unknown codes (from newer hall rules) are minor."""
    try:
        return FAULT_INFO[FaultCode(code)].severity
    except ValueError:
        return Severity.MINOR
