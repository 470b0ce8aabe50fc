"""The printed receipt's and queue ticket's fixed texts in traditional Mongolian, keyed by their Chinese.

Machine-made like the shell's drafts (``ui/i18n/mn_drafts.py``): a native speaker must review them. Typed in the
transliteration of :mod:`kiosk.mn_script`. A text missing here prints in Chinese (never empty); the printer
driver draws Mongolian lines as raster images, since thermal printers have no Mongolian font.
"""

from __future__ import annotations

from kiosk.mn_script import to_script

_LATIN = {
    "办件回执": "UrgUdUl-Un tasulbur",
    "受理编号": "UrgUdUl-Un dugar",
    "办理事项": "UrgUdUl-Un kereg",
    "提交时间": "ilegegsen caG",
    "终端编号": "masin-u dugar",
    "请携带以下材料到窗口：": "egUn-i congqu-dU abcu iregerei:",
    "网络暂时中断，申请已保存在本机，恢复后自动提交，无需重复申请。":
        "sUljiye tasuraba: UrgUdUl ene masin-dU qadaGalaGdaju Oberiyen ilegegden_e. dakin bU OgUgerei.",
    "申请已提交至政务服务中心。": "tan-u UrgUdUl Uilecilgen-U tOb-tU ilegegdebe.",
    "凭此码查询办理进度": "ene kod-iyar yabuGdal-i asaGuqu",
    "咨询电话": "tusalamji-yin utasu",
    "排队号": "daraGalal-un dugar",
    "办理部门": "salbur",
    "前面等候": "Omne kUliyejU bui",
    "取号时间": "dugar abuGsan caG",
    "本号码由自助终端离线发放，请留意窗口叫号并出示此票。":
        "sUljiye tasuraGsan Ued OgUgsen dugar: duudaGdaqu-du congqu-dU UjegUlUgerei.",
    "过号请重新取号": "duudalGa-aca qocorobal sin_e dugar abuGarai",
}
MN = {zh: to_script(latin) for zh, latin in _LATIN.items()}


def mn(zh: str) -> str:
    """The Mongolian of a printed fixed text, by its Chinese; the Chinese itself when there is none."""
    return MN.get(zh, zh)
