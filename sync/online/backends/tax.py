"""税务 (taxation): the sample backend. Replace it with the real system's adapter.

Answers the social insurance premium query (社会保险费缴费信息查询: premiums are collected by the tax bureau) and
prints the individual income tax record (个人所得税纳税记录), the tax payment certificate (税收完税证明) and the
payment voucher of a newborn's residents' medical insurance premium.
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
    month_range,
    months_between,
    person_for,
    year_param,
    ym_text,
    yuan,
)

BUREAU = "国家税务总局鄂尔多斯市东胜区税务局"
RESIDENT_MI_PREMIUM = 400.0  # the sample's yearly individual premium of residents' medical insurance


def _income(person: SamplePerson, base: int) -> tuple[str, str, float, float]:
    """(income item, withholding agent, income, tax) for one month."""
    if person.work == "employee":
        taxable = base - 5000 - base * 0.105  # standard deduction and the personal social insurance share
        return "工资薪金所得", person.employer, base, max(0.0, taxable) * 0.03
    if person.work == "flexible" and person.service_income:
        income = person.service_income
        return "劳务报酬所得", "鄂尔多斯市示例文化传媒有限公司", income, (income * 0.8) * 0.2
    return "", "", 0.0, 0.0


class SampleTax(SampleDepartment):
    """The sample 税务 system."""

    department = "tax"
    queries = frozenset({"si_payment_query"})
    certificates = frozenset({"iit_record_print", "tax_payment_certificate", "newborn_resident_mi_payment"})

    def query(self, service: str, citizen: Citizen | None, params: Mapping[str, str]) -> Records:
        """Social insurance premiums paid in a year, per month and insurance."""
        self._enter()
        person = person_for(citizen)
        today = self.today()
        year = year_param(params, "payment_year", today)
        rows = []
        end = (year, 12) if year < today.year else (today.year, max(1, today.month - 1))
        for ym in months_between((year, 1), end):
            if not contributing(person, ym):
                continue
            base = base_in(person, year, today)
            shares = [("基本养老保险费", 0.20 if person.work == "flexible" else 0.08)]
            shares.append(("基本医疗保险费", 0.07 if person.work == "flexible" else 0.02))
            if person.work == "employee":
                shares.append(("失业保险费", 0.005))
            for name, rate in shares:
                rows.append((ym_text(ym), name, yuan(base), yuan(base * rate), "已缴费", f"{ym_text(ym)}-15"))
        if not rows:
            raise NoRecord("no premiums in that year")
        columns = (
            Col("month", "费款所属期", "Month"),
            Col("item", "征收品目", "Premium"),
            Col("base", "缴费基数（元）", "Base (yuan)"),
            Col("personal_paid", "个人缴费（元）", "Personal share (yuan)"),
            Col("state", "状态", "State"),
            Col("paid_on", "缴费日期", "Paid on"),
        )
        return Records(
            Text(f"{year}年度社会保险费缴费信息", f"Social insurance premiums, {year}"), columns, tuple(rows)
        )

    def certificate(self, service: str, citizen: Citizen, params: Mapping[str, str]) -> Records:
        """The tax record, the tax payment certificate, or the newborn premium voucher."""
        self._enter()
        person = person_for(citizen)
        if service == "newborn_resident_mi_payment":
            return self._newborn_voucher(person, params)
        today = self.today()
        if service == "tax_payment_certificate":
            year = year_param(params, "tax_certificate_year", today)
            months = list(months_between((year, 1), (year, 12) if year < today.year else (year, today.month - 1)))
        else:
            months = month_range(params, today)
        rows = []
        for ym in months:
            if not contributing(person, ym):
                continue
            item, agent, income, tax = _income(person, base_in(person, ym[0], today))
            if tax <= 0:
                continue
            paid = f"{ym[0] + (ym[1] == 12):04d}-{ym[1] % 12 + 1:02d}-15"
            if service == "tax_payment_certificate":
                voucher = f"3{person.id_number[4:6]}{ym[0] % 100:02d}{ym[1]:02d}0{int(person.id_number[14:17]):05d}"
                rows.append((voucher, "个人所得税", item, f"{ym_text(ym)}-01 至 {ym_text(ym)}-末", paid, yuan(tax)))
            else:
                rows.append((ym_text(ym), paid, item, agent, yuan(income), yuan(tax), BUREAU))
        if not rows:
            raise NoRecord("no tax paid in the period asked for")
        if service == "tax_payment_certificate":
            columns = (
                Col("voucher", "原凭证号", "Original voucher"),
                Col("tax", "税种", "Tax"),
                Col("item", "品目名称", "Item"),
                Col("period", "税款所属时期", "Tax period"),
                Col("paid_on", "入（退）库日期", "Paid on"),
                Col("amount", "实缴（退）金额（元）", "Amount (yuan)"),
            )
            title = Text("中华人民共和国税收完税证明", "PRC tax payment certificate")
            note = Text(f"税务机关：{BUREAU}", f"Tax office: {BUREAU}")
            return Records(title, columns, tuple(rows), note)
        columns = (
            Col("period", "税款所属期", "Tax period"),
            Col("paid_on", "入库日期", "Paid on"),
            Col("item", "所得项目", "Income item"),
            Col("agent", "扣缴义务人", "Withholding agent"),
            Col("income", "收入（元）", "Income (yuan)"),
            Col("tax", "实缴（退）税额（元）", "Tax paid (yuan)"),
            Col("bureau", "入库税务机关", "Tax office"),
        )
        note = Text("本记录仅列示已入库的税款。", "Only tax received by the treasury is listed.")
        return Records(
            Text("中华人民共和国个人所得税纳税记录", "PRC individual income tax record"), columns, tuple(rows), note
        )

    def _newborn_voucher(self, person: SamplePerson, params: Mapping[str, str]) -> Records:
        child = params.get("child_name", "").strip()
        if not person.child or (child and child != person.child):
            raise NoRecord("no premium paid for this child")
        year = year_param(params, "payment_year", self.today()) if params.get("payment_year") else self.today().year
        columns = (
            Col("year", "缴费年度", "Year"),
            Col("insured", "参保人", "Insured person"),
            Col("scheme", "险种", "Scheme"),
            Col("amount", "缴费金额（元）", "Amount (yuan)"),
            Col("channel", "缴费渠道", "Paid through"),
            Col("payer", "缴费人", "Paid by"),
        )
        rows = ((str(year), person.child, "城乡居民基本医疗保险", yuan(RESIDENT_MI_PREMIUM), "自助终端", person.name),)
        return Records(
            Text("城乡居民基本医疗保险缴费凭证", "Residents' medical insurance payment voucher"), columns, rows
        )
