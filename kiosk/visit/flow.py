"""The citizen visit as data: steps, the events that move between them, and the words the visit uses.

``TRANSITIONS[step][event]`` is the step an event leads to. ``back`` is not in the table: it returns to the
step the citizen came from (a history stack, like a wizard), and only from the steps in ``BACK_STEPS``; the
diagrams draw those back edges dashed, derived from the table. ``to_mermaid()``/``to_dot()`` print it.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.catalog import Text


class Step(StrEnum):
    """One screen of the visit."""

    ATTRACT = "attract"  # idle screen, waiting for a citizen
    IDENTIFY = "identify"  # tap a card or type an ID number
    CHOOSE = "choose"  # pick a service or bundle, or appointment / ticket / report
    NOTICE = "notice"  # one-time notice (一次告知)
    FORM = "form"
    CAPTURE = "capture"  # the materials photographed one by one with the document camera (高拍仪)
    REVIEW = "review"
    SUBMITTED = "submitted"
    RECEIPT = "receipt"
    RATE = "rate"  # 好差评
    END = "end"  # goodbye; personal data already dropped
    APPOINTMENT = "appointment"  # 预约
    APPOINTMENT_DONE = "appointment_done"
    BOOKINGS = "bookings"  # the citizen's bookings made at this kiosk, to cancel one
    BOOKING_CANCELLED = "booking_cancelled"
    TICKET = "ticket"  # 取号
    TICKET_DONE = "ticket_done"
    REPORT = "report"  # 办不成事 反映
    REPORT_DONE = "report_done"
    TAKE_CARD = "take_card"  # reminder to take the ID / social security card
    OUT_OF_SERVICE = "out_of_service"
    ANSWER = "answer"  # a department's answer while the citizen waits: a query's table, a certificate on A4
    PROGRESS = "progress"  # 进度查询: where an application stands, from its receipt's QR code or number


# Steps in which a citizen is being served: idle timeout applies, "cancel" and "timeout" lead out.
ACTIVE_STEPS = frozenset(Step) - {Step.ATTRACT, Step.END, Step.OUT_OF_SERVICE, Step.TAKE_CARD}
# Steps whose screen may show personal data (identity, form values).
PERSONAL_STEPS = frozenset(
    {
        Step.CHOOSE, Step.NOTICE, Step.FORM, Step.CAPTURE, Step.REVIEW, Step.APPOINTMENT, Step.REPORT, Step.BOOKINGS,
        Step.ANSWER,
    }
)
# Steps with a "back" button: back pops the history. Not after something was sent (no un-submitting).
BACK_STEPS = frozenset(
    {
        Step.IDENTIFY, Step.CHOOSE, Step.NOTICE, Step.FORM, Step.CAPTURE, Step.REVIEW, Step.APPOINTMENT, Step.TICKET,
        Step.REPORT, Step.BOOKINGS, Step.ANSWER, Step.PROGRESS,
    }
)  # fmt: skip
# Steps reached after the visit finished: no cancel (they are already on the way out).
_NO_CANCEL = frozenset(
    {Step.RATE, Step.APPOINTMENT_DONE, Step.TICKET_DONE, Step.REPORT_DONE, Step.BOOKING_CANCELLED}
)


def _forward() -> dict[Step, dict[str, Step]]:
    return {
        Step.ATTRACT: {"start": Step.IDENTIFY, "ticket": Step.TICKET, "report": Step.REPORT},
        Step.IDENTIFY: {"card": Step.CHOOSE, "typed": Step.CHOOSE},
        Step.CHOOSE: {
            "service": Step.NOTICE,
            "bundle": Step.NOTICE,
            "appointment": Step.APPOINTMENT,
            "bookings": Step.BOOKINGS,
            "ticket": Step.TICKET,
            "report": Step.REPORT,
        },
        Step.NOTICE: {"accept": Step.FORM},
        Step.FORM: {"submit": Step.REVIEW},
        # With a working camera the materials are photographed before sending; without one (or for those the
        # citizen does not photograph) they are brought to the window (容缺受理).
        Step.REVIEW: {"confirm": Step.SUBMITTED, "photograph": Step.CAPTURE},
        Step.CAPTURE: {"confirm": Step.SUBMITTED},
        Step.SUBMITTED: {"receipt": Step.RECEIPT},
        Step.RECEIPT: {"next": Step.RATE},
        Step.RATE: {"rate": Step.TAKE_CARD, "skip": Step.TAKE_CARD},
        Step.APPOINTMENT: {"book": Step.APPOINTMENT_DONE},
        Step.APPOINTMENT_DONE: {"more": Step.CHOOSE, "finish": Step.TAKE_CARD},
        Step.BOOKINGS: {"withdraw": Step.BOOKING_CANCELLED},
        Step.BOOKING_CANCELLED: {"more": Step.CHOOSE, "finish": Step.TAKE_CARD},
        Step.TICKET: {"take": Step.TICKET_DONE},
        Step.TICKET_DONE: {"finish": Step.TAKE_CARD},
        Step.REPORT: {"send": Step.REPORT_DONE},
        Step.REPORT_DONE: {"finish": Step.TAKE_CARD},
        Step.TAKE_CARD: {"card_removed": Step.END, "timeout": Step.END},
        Step.END: {"reset": Step.ATTRACT},
        Step.OUT_OF_SERVICE: {"recover": Step.ATTRACT},
    }


def _online() -> dict[Step, dict[str, Step]]:
    """Online requests (kiosk/visit/online.py), merged into the forward table: a query or certificate service's
    form is answered at once instead of being submitted; progress lookup from attract (a receipt's QR code
    scanned there leads here too); sign-in with a phone code on the identify screen (or on attract)."""
    return {
        Step.ATTRACT: {"progress": Step.PROGRESS},
        Step.IDENTIFY: {"phone_code": Step.CHOOSE},
        Step.FORM: {"ask": Step.ANSWER},
        Step.ANSWER: {"more": Step.CHOOSE, "finish": Step.TAKE_CARD},
        Step.PROGRESS: {"finish": Step.TAKE_CARD},
    }


def _build() -> dict[Step, dict[str, Step]]:
    table = _forward()
    for step, events in _online().items():
        table.setdefault(step, {}).update(events)
    for step in Step:
        events = table.setdefault(step, {})
        if step in ACTIVE_STEPS:
            events["timeout"] = Step.END
            if step not in _NO_CANCEL:
                events["cancel"] = Step.TAKE_CARD
        if step != Step.OUT_OF_SERVICE:
            events["fail"] = Step.OUT_OF_SERVICE  # the store failed: nothing can be recorded
    return table


TRANSITIONS: dict[Step, dict[str, Step]] = _build()


def back_targets(step: Step) -> frozenset[Step]:
    """The steps ``back`` may return to from ``step``: those with a forward edge into it."""
    if step not in BACK_STEPS:
        return frozenset()
    return frozenset(
        src for src, events in TRANSITIONS.items() for ev, dst in events.items()
        # no way back into a finished part; "more" re-enters a step, cutting the history there (never a way back)
        if dst == step and src != step and src not in _NO_CANCEL and ev != "more"
    )


def _edges() -> list[tuple[Step, str, Step, bool]]:
    """(source, event, target, is_back) for every edge, forward first, in a stable order."""
    edges = [(src, ev, dst, False) for src, events in TRANSITIONS.items() for ev, dst in events.items()]
    for step in Step:
        edges += [(step, "back", dst, True) for dst in sorted(back_targets(step))]
    return edges


def to_mermaid(*, include_fail: bool = False) -> str:
    """The visit as a Mermaid state diagram (back edges dashed); ``fail`` edges only when asked."""
    lines = ["stateDiagram-v2", f"    [*] --> {Step.ATTRACT.name}"]
    for src, ev, dst, is_back in _edges():
        if ev == "fail" and not include_fail:
            continue
        label = f"{ev} (history)" if is_back else ev
        lines.append(f"    {src.name} --> {dst.name}: {label}")
    return "\n".join(lines) + "\n"


def to_dot(*, include_fail: bool = False) -> str:
    """The visit as a Graphviz digraph (back edges dashed); ``fail`` edges only when asked."""
    lines = ["digraph session {", "    rankdir=LR;", "    node [shape=box, style=rounded];"]
    for src, ev, dst, is_back in _edges():
        if ev == "fail" and not include_fail:
            continue
        style = ", style=dashed" if is_back else ""
        lines.append(f'    {src.name} -> {dst.name} [label="{ev}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


class SessionError(Exception):
    """An action the citizen cannot take now; ``text`` says why in plain words, ``code`` for the UI."""

    def __init__(self, code: str, text: Text) -> None:
        super().__init__(f"{code}: {text.en}")
        self.code = code
        self.text = text


# 好差评: five levels; 4-5 good, 3 neutral, 1-2 bad (bad ones need at least one reason).
RATING_LEVELS: dict[int, Text] = {
    5: Text("非常满意", "Very satisfied"),
    4: Text("满意", "Satisfied"),
    3: Text("基本满意", "Fairly satisfied"),
    2: Text("不满意", "Dissatisfied"),
    1: Text("非常不满意", "Very dissatisfied"),
}
BAD_LEVELS = frozenset({1, 2})
RATING_REASONS: dict[str, Text] = {
    "too_many_steps": Text("操作步骤太多", "Too many steps"),
    "unclear": Text("说明看不懂", "Instructions unclear"),
    "materials": Text("要求的材料太多", "Too many documents required"),
    "slow": Text("机器反应慢", "The kiosk is slow"),
    "device": Text("设备故障（打印、读卡）", "Device fault (printer, card reader)"),
    "not_done": Text("事情没有办成", "My matter was not resolved"),
    "other": Text("其他", "Other"),
}

# 办不成事 反映: what kept the citizen from getting their matter done.
REPORT_CATEGORIES: dict[str, Text] = {
    "not_found": Text("找不到要办的事项", "I cannot find the service I need"),
    "refused": Text("条件不符被拒绝，但我认为应当能办", "Refused, but I think I qualify"),
    "materials": Text("材料无法提供", "I cannot provide a required document"),
    "device": Text("设备无法使用", "The kiosk or a device does not work"),
    "unclear": Text("政策或流程看不懂", "The rules or steps are unclear"),
    "other": Text("其他问题", "Something else"),
}
REPORT_MAX_CHARS = 500
