"""Voice guidance (语音播报): what the kiosk says on each screen and after each action, in the visit's language.

Qt-free: the shell's speaker (``ui/speaker.py``) turns an :class:`Utterance` into sound with espeak-ng. Every
text spoken is shipped with the kiosk: the prompts below, catalog names, and numbers the kiosk made itself
(reference and queue numbers). Never free text from the hall, never a citizen's personal data (a screen may
greet by name; the voice does not, as bystanders can hear it).

espeak-ng (1.51 on Debian 12) has voices for Mandarin (``cmn``) and English, but none for Mongolian: a visit
in ``mn`` hears the Chinese prompts in the Mandarin voice (:attr:`Utterance.fallback` says so), which Inner
Mongolia's bilingual halls serve anyway. A Mongolian voice would be added to VOICES and PROMPTS together.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.catalog import Text
from kiosk.visit.flow import Step
from kiosk.visit.view import SessionView

# The espeak-ng voice of each language that has one; a language missing here speaks its SPOKEN_FALLBACK.
VOICES = {"zh": "cmn", "en": "en"}
SPOKEN_FALLBACK = {"mn": "zh"}

SCREEN_PROMPTS: dict[Step, Text] = {
    Step.ATTRACT: Text("欢迎使用24小时自助服务。请点击屏幕开始办理，或将身份证放在读卡区。",
                       "Welcome to 24-hour self-service. Tap the screen to start, "
                       "or place your ID card on the reader."),
    Step.IDENTIFY: Text("请核验身份：将身份证平放在屏幕下方的读卡区，或输入18位身份证号码。",
                        "Please identify yourself: place your ID card on the reader below the screen, "
                        "or type your 18-character ID number."),
    Step.CHOOSE: Text("请选择要办理的事项。", "Please choose what you would like to do."),
    Step.NOTICE: Text("请阅读一次性告知：{0}。阅读后，请填写申请表。",
                      "Please read the one-time notice: {0}. Then fill in the form."),
    Step.FORM: Text("请填写申请表，带星号的为必填项。",
                    "Please fill in the form. Items marked with a star are required."),
    Step.REVIEW: Text("请核对申请信息，无误后提交。", "Please check your application, then send it."),
    Step.CAPTURE: Text("请拍照提交材料：将材料平放在灯光下，四个角都在画面里，然后点击拍照。",
                       "Photograph your materials: lay each one flat in the light, all four corners in view, "
                       "then tap Take photo."),
    Step.SUBMITTED: Text("申请已提交。受理编号：{0}。", "Your application has been sent. Reference number: {0}."),
    Step.RECEIPT: Text("这是您的办件回执，受理编号：{0}。", "Here is your receipt. Reference number: {0}."),
    Step.RATE: Text("请评价本次服务，也可以跳过。", "Please rate this service, or skip."),
    Step.END: Text("感谢使用，再见。", "Thank you, goodbye."),
    Step.APPOINTMENT: Text("预约窗口办理：请选择日期和时段。", "Book a window appointment: choose a day and a time."),
    Step.APPOINTMENT_DONE: Text("预约成功。", "Your appointment is booked."),
    Step.BOOKINGS: Text("请选择要取消的预约。", "Choose the appointment to cancel."),
    Step.BOOKING_CANCELLED: Text("预约已取消。", "Your appointment is cancelled."),
    Step.TICKET: Text("取号：请选择办理部门。", "Take a queue number: choose a department."),
    Step.TICKET_DONE: Text("您的号码是{0}，请留意叫号。", "Your number is {0}. Please wait until it is called."),
    Step.REPORT: Text("办不成事反映：请告诉我们是什么原因。", "Could not get it done? Tell us why."),
    Step.REPORT_DONE: Text("感谢您的反映，已记录。", "Thank you. Your report has been recorded."),
    Step.TAKE_CARD: Text("请取走您的证件和回执。", "Please take your card and your receipt."),
    Step.OUT_OF_SERVICE: Text("本机暂停服务，请使用其他自助终端。",
                              "This kiosk is out of service. Please use another kiosk."),
    Step.ANSWER: Text("正在查询，请稍候。", "Asking the department, please wait."),
    Step.PROGRESS: Text("办件进度查询：请扫描回执上的二维码，或输入受理编号。",
                        "Application progress: scan the QR code of your receipt, or type its reference number."),
}  # fmt: skip

ACTION_PROMPTS: dict[str, Text] = {
    "start": Text("开始办理。", "Starting."),
    "card": Text("已读取证件。", "Card read."),
    "typed": Text("身份证号码已确认。", "ID number confirmed."),
    "service": Text("已选择事项。", "Service chosen."),
    "bundle": Text("已选择事项。", "Service chosen."),
    "accept": Text("已阅读告知。", "Notice read."),
    "submit": Text("已填写完毕。", "Form filled in."),
    "confirm": Text("正在提交。", "Sending."),
    "receipt": Text("正在打印回执。", "Printing your receipt."),
    "print": Text("正在打印。", "Printing."),
    "rate": Text("感谢您的评价。", "Thank you for your rating."),
    "skip": Text("已跳过。", "Skipped."),
    "back": Text("返回上一步。", "Going back."),
    "cancel": Text("结束办理。", "Visit ended."),
    "set_lang": Text("已切换语言。", "Language changed."),
    "book": Text("正在预约。", "Booking."),
    "take": Text("正在取号。", "Taking a number."),
    "send": Text("正在提交。", "Sending."),
    "withdraw": Text("正在取消预约。", "Cancelling the appointment."),
    "finish": Text("办理完毕。", "Finished."),
    "photograph": Text("请拍照提交材料。", "Now the photos of your materials."),
    "photo": Text("正在拍照，请不要移动材料。", "Taking the photo, please do not move the material."),
    "to_window": Text("这一项到窗口补交。", "This one goes to the window."),
    "next_material": Text("下一项材料。", "Next material."),
    "mute": Text("语音已关闭。", "Voice off."),
    "unmute": Text("语音已开启。", "Voice on."),
}


# The session's action names (ui.navigator) and the confirmation each one says (the card's is the shell's).
SPOKEN_ACTIONS = {
    "start": "start", "identify_typed": "typed", "choose_service": "service", "choose_bundle": "bundle",
    "accept_notice": "accept", "submit_form": "submit", "confirm": "confirm", "receipt": "receipt", "rate": "rate",
    "skip_rating": "skip", "back": "back", "cancel": "cancel", "book": "book", "take_ticket": "take",
    "report_unresolved": "send", "withdraw_booking": "withdraw", "finish": "finish", "set_lang": "set_lang",
    "photograph_materials": "photograph", "capture_page": "photo", "skip_material": "to_window",
    "next_material": "next_material",
}  # fmt: skip


@dataclass(frozen=True)
class Utterance:
    """One thing to say: ``key`` names where it comes from (``screen:notice``, ``action:submit``)."""

    key: str
    text: str
    lang: str  # the language of ``text`` (the visit's, or its spoken fallback)
    voice: str  # the espeak-ng voice
    fallback: bool = False  # said in another language because the visit's has no voice


def spoken_lang(lang: str) -> str:
    """The language a visit in ``lang`` is spoken in (its own where espeak-ng has a voice)."""
    return lang if lang in VOICES else SPOKEN_FALLBACK.get(lang, "zh")


def _utterance(key: str, text: Text, lang: str, arg: str = "") -> Utterance:
    said = spoken_lang(lang)
    words = text.get(said)
    if "{0}" in words:
        words = words.replace("{0}", arg)
    return Utterance(key, words, said, VOICES[said], fallback=said != lang)


def _screen_arg(view: SessionView, lang: str) -> str:
    """The shipped or kiosk-made text a screen's prompt names: a catalog name, a reference or queue number."""
    if view.step is Step.NOTICE and view.chosen is not None:
        return view.chosen.name.get(lang)
    if view.step in (Step.SUBMITTED, Step.RECEIPT) and view.reference:
        return " ".join(view.reference)  # spelled out character by character, as a clerk reads it
    if view.step is Step.TICKET_DONE and view.ticket is not None:
        return " ".join(view.ticket.number)
    return ""


def screen_prompt(view: SessionView) -> Utterance:
    """What the kiosk says when the screen of ``view`` appears."""
    lang = spoken_lang(view.lang)
    return _utterance(f"screen:{view.step.value}", SCREEN_PROMPTS[view.step], view.lang, _screen_arg(view, lang))


def action_prompt(action: str, lang: str) -> Utterance | None:
    """The short confirmation of ``action`` (an event name), or None when it has none."""
    text = ACTION_PROMPTS.get(action)
    return _utterance(f"action:{action}", text, lang) if text else None


def control_prompt(label: Text | str, lang: str) -> Utterance:
    """A focused control, read out: ``label`` is a catalog Text or a shell string already translated."""
    said = spoken_lang(lang)
    words = label.get(said) if isinstance(label, Text) else label
    return Utterance("control", words, said, VOICES[said], fallback=said != lang)


def after_action(view: SessionView, action: str) -> Utterance:
    """The new screen's prompt, led by the short confirmation of the ``action`` (a session action) that led there."""
    screen = screen_prompt(view)
    done = action_prompt(SPOKEN_ACTIONS.get(action, ""), view.lang)
    if done is None:
        return screen
    sep = " " if screen.lang == "en" else ""  # Chinese runs its sentences on
    return Utterance(screen.key, f"{done.text}{sep}{screen.text}", screen.lang, screen.voice, screen.fallback)
