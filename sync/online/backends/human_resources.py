"""人社 (human resources and social security): the sample backend. Replace it with the real system's adapter.

Answers the social security card's service columns (人社, 交通, 文旅: the card and its functions are run by the
card service platform of 人社) and prints the social insurance contribution certificate (社会保险参保缴费证明).
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
    person_for,
    ym_text,
    yuan,
)

# Rates of the sample (employer, personal); flexible workers pay pension 20 % alone.
RATES = {"pension": (0.16, 0.08), "unemployment": (0.005, 0.005), "work_injury": (0.004, 0.0)}
INSURANCE = {
    "pension": ("企业职工基本养老保险", "Basic pension (employees)"),
    "unemployment": ("失业保险", "Unemployment insurance"),
    "work_injury": ("工伤保险", "Work injury insurance"),
}
ITEM = (Col("item", "项目", "Item"), Col("value", "内容", "Details"))


class SampleHumanResources(SampleDepartment):
    """The sample 人社 system."""

    department = "human_resources"
    queries = frozenset({"sscard_hr_column", "sscard_transport_column", "sscard_culture_column"})
    certificates = frozenset({"si_certificate_print"})

    def query(self, service: str, citizen: Citizen | None, params: Mapping[str, str]) -> Records:
        """The card's service columns."""
        self._enter()
        person = person_for(citizen)
        if service == "sscard_hr_column":
            return self._hr_column(person)
        age = self.today().year - int(person.id_number[6:10])
        if service == "sscard_transport_column":
            senior = age >= 65
            rows = (
                ("公交乘车功能", "已开通（鄂尔多斯市公交、东胜区城市公交）"),
                ("乘车优惠", "65周岁以上老年人免费乘车" if senior else "普通卡，刷卡乘车九折优惠"),
                ("交通联合", "支持全国交通一卡通互联互通城市"),
                ("最近一次乘车", f"{ym_text((self.today().year, self.today().month))} 东胜区 2路"),
            )
            return Records(Text("交通服务专栏", "Transport services"), ITEM, rows)
        rows = (
            ("公园入园", "鄂尔多斯市各市属公园持卡入园已开通"),
            ("图书借阅", "鄂尔多斯市图书馆持卡借阅已开通，可借 10 册"),
            ("博物馆", "鄂尔多斯博物院持卡免费预约参观"),
            ("景区优惠", "60周岁以上持卡享受市内A级景区门票减免" if age >= 60 else "暂无适用的景区优惠"),
        )
        return Records(Text("文旅服务专栏", "Culture and tourism services"), ITEM, rows)

    def _hr_column(self, person: SamplePerson) -> Records:
        today = self.today()
        if person.work == "retired":
            rows: tuple[tuple[str, str], ...] = (
                ("社会保障卡", "正常（第三代社会保障卡）"),
                ("养老保险", "企业职工基本养老保险，待遇领取中"),
                ("养老金", f"{yuan(person.pension_monthly)} 元/月，{ym_text((today.year, today.month))} 已发放"),
                ("资格认证", f"{today.year} 年度已认证"),
            )
        else:
            y, m = month(person.since)
            paid = (today.year - y) * 12 + today.month - m
            kind = "灵活就业人员" if person.work == "flexible" else f"在职职工（{person.employer}）"
            rows = (
                ("社会保障卡", "正常（第三代社会保障卡）"),
                ("参保身份", kind),
                ("养老保险", f"参保缴费中，累计缴费 {paid} 个月"),
                ("失业保险", "参保缴费中" if person.work == "employee" else "未参保"),
                ("就业登记", "已就业" if person.work == "employee" else "灵活就业"),
            )
        return Records(Text("人社服务专栏", "Human resources services"), ITEM, rows)

    def certificate(self, service: str, citizen: Citizen, params: Mapping[str, str]) -> Records:
        """社会保险参保缴费证明: one row per month and insurance."""
        self._enter()
        person = person_for(citizen)
        wanted = params.get("si_certificate_type") or "all"
        kinds = list(RATES) if wanted == "all" else [wanted]
        if any(k not in RATES for k in kinds):
            kinds = list(RATES)
        if person.work == "flexible":
            kinds = [k for k in kinds if k == "pension"]
        rows = []
        for ym in month_range(params, self.today()):
            if not contributing(person, ym):
                continue
            base = base_in(person, ym[0], self.today())
            for kind in kinds:
                employer_rate, personal_rate = RATES[kind]
                if person.work == "flexible":
                    employer_rate, personal_rate = 0.0, 0.20
                rows.append(
                    (
                        ym_text(ym),
                        INSURANCE[kind][0],
                        yuan(base),
                        yuan(base * employer_rate),
                        yuan(base * personal_rate),
                        person.employer or "个人缴费（灵活就业）",
                    )
                )
        if not rows:
            raise NoRecord("no contributions in the months asked for")
        columns = (
            Col("month", "费款所属期", "Month"),
            Col("insurance", "险种", "Insurance"),
            Col("base", "缴费基数（元）", "Base (yuan)"),
            Col("employer_paid", "单位缴费（元）", "Employer (yuan)"),
            Col("personal_paid", "个人缴费（元）", "Personal (yuan)"),
            Col("payer", "缴费单位", "Paid by"),
        )
        note = Text(
            f"参保地：{person.district}。以上为已到账的缴费记录。",
            f"Insured in {person.district}. Only contributions received are listed.",
        )
        return Records(
            Text("社会保险参保缴费证明", "Certificate of social insurance contributions"), columns, tuple(rows), note
        )
