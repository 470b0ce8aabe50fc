"""医保 (medical insurance): the sample backend. Replace it with the real system's adapter.

Answers the enrolment query (医保参保信息查询), the personal account (医保个人账户查询), the card's medical
insurance column, and prints the enrolment voucher (医保参保凭证).
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.catalog import Text
from sync.online.backends.base import Citizen, Col, NoRecord, Records
from sync.online.backends.sample import (
    SampleDepartment,
    SamplePerson,
    base_in,
    contributing,
    month,
    month_range,
    months_between,
    person_for,
    ym_text,
    yuan,
)

EMPLOYEE_MI = "职工基本医疗保险"
RETIREE_CREDIT = 89.5  # yuan a month into a retiree's personal account (sample figure)
PHARMACY = ("鄂尔多斯市示例大药房", "东胜区示例社区卫生服务中心", "鄂尔多斯市中心医院")


def _scheme(person: SamplePerson) -> str:
    return EMPLOYEE_MI + ("（退休）" if person.work == "retired" else "")


class SampleMedicalInsurance(SampleDepartment):
    """The sample 医保 system."""

    department = "medical_insurance"
    queries = frozenset({"mi_enrollment_query", "mi_account_query", "sscard_mi_column"})
    certificates = frozenset({"mi_enrollment_certificate_print"})

    def _credit(self, person: SamplePerson, ym: tuple[int, int]) -> float:
        if person.work == "retired":
            return RETIREE_CREDIT
        return base_in(person, ym[0], self.today()) * 0.02 if contributing(person, ym) else 0.0

    def _account(self, person: SamplePerson, months: int = 6) -> tuple[list[tuple[str, ...]], float]:
        """The last ``months`` months of account movements and the balance after them."""
        today = self.today()
        end = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        start = (end[0] - 1, end[1] + 1) if end[1] < 12 else (end[0], 1)
        balance = 1200.0 + int(person.id_number[14:17]) % 7 * 100  # opening balance of the sample
        rows: list[tuple[str, ...]] = []
        for i, ym in enumerate(months_between(start, end)):
            credit = self._credit(person, ym)
            balance += credit
            rows.append((f"{ym_text(ym)}-05", "个人账户划入", yuan(credit), yuan(balance)))
            if i % 3 == 1:
                spent = 36.8 + i * 11.5
                balance -= spent
                rows.append((f"{ym_text(ym)}-18", f"购药支出（{PHARMACY[i % 3]}）", yuan(-spent), yuan(balance)))
        return rows[-months * 2 :], balance

    def query(self, service: str, citizen: Citizen | None, params: Mapping[str, str]) -> Records:
        """Enrolment, account, or the card's column."""
        self._enter()
        person = person_for(citizen)
        if service == "mi_account_query":
            rows, balance = self._account(person)
            columns = (
                Col("date", "日期", "Date"),
                Col("summary", "摘要", "Summary"),
                Col("amount", "金额（元）", "Amount (yuan)"),
                Col("balance", "余额（元）", "Balance (yuan)"),
            )
            note = Text(f"当前余额 {yuan(balance)} 元。", f"Balance now: {yuan(balance)} yuan.")
            return Records(Text("医保个人账户明细", "Medical insurance personal account"), columns, tuple(rows), note)
        since = person.since if person.work != "retired" else "1998-12"
        if service == "sscard_mi_column":
            _, balance = self._account(person)
            rows2 = (
                ("参保状态", f"{_scheme(person)}，正常参保"),
                ("个人账户余额", f"{yuan(balance)} 元"),
                ("医保电子凭证", "已激活，可在定点医药机构扫码结算"),
                ("异地就医备案", "无"),
            )
            return Records(
                Text("医保服务专栏", "Medical insurance services"),
                (Col("item", "项目", "Item"), Col("value", "内容", "Details")),
                rows2,
            )
        y, m = month(since)
        rows3 = (
            (
                _scheme(person),
                "参保缴费" if person.work != "retired" else "退休人员（免缴费）",
                person.district,
                f"{y:04d}-{m:02d}-01",
                person.employer or "个人参保",
            ),
        )
        columns = (
            Col("scheme", "险种", "Scheme"),
            Col("status", "参保状态", "Status"),
            Col("region", "参保地", "Insured in"),
            Col("since", "参保日期", "Insured since"),
            Col("unit", "参保单位", "Insured through"),
        )
        return Records(Text("医保参保信息", "Medical insurance enrolment"), columns, rows3)

    def certificate(self, service: str, citizen: Citizen, params: Mapping[str, str]) -> Records:
        """基本医疗保险参保凭证: one row per month."""
        self._enter()
        person = person_for(citizen)
        rows = []
        for ym in month_range(params, self.today()):
            if person.work == "retired":
                rows.append((ym_text(ym), _scheme(person), "正常参保（退休免缴）", person.district, "—"))
            elif contributing(person, ym):
                base = base_in(person, ym[0], self.today())
                rows.append((ym_text(ym), EMPLOYEE_MI, "正常参保，已缴费", person.district, yuan(base)))
        if not rows:
            raise NoRecord("not insured in the months asked for")
        columns = (
            Col("month", "月份", "Month"),
            Col("scheme", "险种", "Scheme"),
            Col("status", "参保状态", "Status"),
            Col("region", "参保地", "Insured in"),
            Col("base", "缴费基数（元）", "Base (yuan)"),
        )
        note = Text("本凭证仅证明所列月份的参保状态。", "This voucher covers the months listed only.")
        return Records(
            Text("基本医疗保险参保凭证", "Basic medical insurance enrolment voucher"), columns, tuple(rows), note
        )
