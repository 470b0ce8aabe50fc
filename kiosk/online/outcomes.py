"""What can come of an online request, and what the citizen is told about each outcome, in plain words.

The hall answers ``ok``, ``no_record``, ``department_down``, ``bad_request`` or ``refused`` (a phone code that was
forged, used or expired: ``reason`` says which). The kiosk itself adds ``no_link`` (the agent is not running or has
no connection to the hall), ``timeout`` (no answer in time) and ``bad_answer`` (an answer that does not follow the
contract). Every outcome but ``ok`` has a :class:`Problem`: what happened and what to do, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.catalog import Text


class Status(StrEnum):
    """The outcome of an online request (the wire value is the string)."""

    OK = "ok"
    NO_RECORD = "no_record"
    DEPARTMENT_DOWN = "department_down"
    BAD_REQUEST = "bad_request"
    REFUSED = "refused"
    NO_LINK = "no_link"
    TIMEOUT = "timeout"
    BAD_ANSWER = "bad_answer"


HALL_STATUSES = frozenset({Status.OK, Status.NO_RECORD, Status.DEPARTMENT_DOWN, Status.BAD_REQUEST, Status.REFUSED})
KIOSK_STATUSES = frozenset({Status.NO_LINK, Status.TIMEOUT, Status.BAD_ANSWER})
REFUSED_REASONS = ("used", "expired", "invalid")


@dataclass(frozen=True)
class Problem:
    """Why a request did not succeed: ``message`` says what happened, ``advice`` what the citizen can do."""

    status: Status
    reason: str  # "" or, for ``refused``, one of REFUSED_REASONS
    message: Text
    advice: Text


_WINDOW = Text(
    "工作时间可到大厅窗口办理，或拨打服务热线咨询。",
    "A service window can help during opening hours, or call the hotline.",
)

_TEXTS: dict[tuple[Status, str], tuple[Text, Text]] = {
    (Status.NO_RECORD, ""): (
        Text("没有查到您的记录。", "No record was found for you."),
        Text(
            "请核对所选事项和证件信息是否正确。如您确信有记录，" + _WINDOW.zh,
            "Check that the service and your details are right. If you are sure there is a record, a service window "
            "can help during opening hours, or call the hotline.",
        ),
    ),
    (Status.DEPARTMENT_DOWN, ""): (
        Text("业务部门的系统暂时无法使用。", "The department's system is not available right now."),
        Text(
            "这不是您的问题。请稍后再试，" + _WINDOW.zh, "This is not your fault. Please try again later. " + _WINDOW.en
        ),
    ),
    (Status.BAD_REQUEST, ""): (
        Text("本机发出的请求不完整，无法办理。", "This kiosk sent an incomplete request, so it cannot be handled."),
        Text(
            "请返回重新选择事项后再试；仍不行请告知工作人员或拨打服务热线。",
            "Go back, choose the service again and retry; if it still fails, tell the staff or call the hotline.",
        ),
    ),
    (Status.REFUSED, "used"): (
        Text("这个手机码已经使用过了。", "This phone code has already been used."),
        Text("请在手机上刷新，出示新的码后再扫一次。", "Refresh the code on your phone and scan the new one."),
    ),
    (Status.REFUSED, "expired"): (
        Text("这个手机码已经过期。", "This phone code has expired."),
        Text("请在手机上刷新，出示新的码后再扫一次。", "Refresh the code on your phone and scan the new one."),
    ),
    (Status.REFUSED, "invalid"): (
        Text("无法识别这个手机码。", "This phone code is not valid."),
        Text(
            "请打开手机上的政务服务应用，出示“扫码登录”的最新码；也可以刷身份证。",
            "Open the government services app on your phone and show its latest sign-in code, or use your ID card.",
        ),
    ),
    (Status.NO_LINK, ""): (
        Text("本机暂时连不上大厅服务器。", "This kiosk cannot reach the hall's server right now."),
        Text(
            "需要联网的事项暂时办不了，其他事项可以照常办理。请稍后再试，" + _WINDOW.zh,
            "Services that need the hall cannot be done now; other services still work. Try again later. " + _WINDOW.en,
        ),
    ),
    (Status.TIMEOUT, ""): (
        Text("大厅服务器没有及时回复。", "The hall's server did not answer in time."),
        Text(
            "请稍后再试一次；多次失败，" + _WINDOW.zh,
            "Please try once more in a moment. If it keeps failing, a service window can help during opening hours, "
            "or call the hotline.",
        ),
    ),
    (Status.BAD_ANSWER, ""): (
        Text("收到的答复无法识别。", "The answer that came back could not be read."),
        Text("请稍后再试；多次失败请告知工作人员。", "Please try again later; if it keeps failing, tell the staff."),
    ),
}


def problem(status: Status | str, reason: str = "") -> Problem:
    """The problem for a non-ok ``status`` (an unknown refused ``reason`` is treated as ``invalid``)."""
    st = Status(status)
    if st is Status.OK:
        raise ValueError("ok is not a problem")
    reason = (reason if reason in REFUSED_REASONS else "invalid") if st is Status.REFUSED else ""
    message, advice = _TEXTS[(st, reason)]
    return Problem(st, reason, message, advice)
