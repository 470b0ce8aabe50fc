"""司法 (justice): the sample backend. Replace it with the real system's adapter (the lawyer registry).

Answers the search for law firms, lawyers, notary offices and legal aid centres (法律服务机构和人员查询). This
is a public register: the request needs no identity.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.catalog import Text
from sync.online.backends.base import BadParams, Citizen, Col, NoRecord, Records
from sync.online.backends.sample import SampleDepartment

REGISTER: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("内蒙古示例律师事务所", "律师事务所", "31150000MD0000001X", "—", "0477-8500001", "正常执业"),
    ("张示法", "律师", "11506201810123456", "内蒙古示例律师事务所", "0477-8500001", "正常执业"),
    ("白样例", "律师", "11506202011234567", "内蒙古示例律师事务所", "0477-8500001", "正常执业"),
    ("鄂尔多斯示范律师事务所", "律师事务所", "31150000MD0000002X", "—", "0477-8500002", "正常执业"),
    ("陈演示", "律师", "11506201512345678", "鄂尔多斯示范律师事务所", "0477-8500002", "暂停执业"),
    ("鄂尔多斯市东胜区公证处", "公证机构", "150602001", "—", "0477-8500003", "正常执业"),
    ("刘公证", "公证员", "150602001-007", "鄂尔多斯市东胜区公证处", "0477-8500003", "正常执业"),
    ("东胜区法律援助中心", "法律援助机构", "150602-FY-01", "—", "12348", "正常服务"),
    ("东胜区示例基层法律服务所", "基层法律服务所", "150602-JC-03", "—", "0477-8500004", "正常执业"),
)


class SampleJustice(SampleDepartment):
    """The sample 司法 system."""

    department = "justice"
    queries = frozenset({"legal_service_search"})

    def query(self, service: str, citizen: Citizen | None, params: Mapping[str, str]) -> Records:
        """Entries whose name, office or licence number contains the search text."""
        self._enter()
        needle = params.get("lawyer_search", "").strip()
        if len(needle) < 2:
            raise BadParams("lawyer_search: at least two characters")
        rows = tuple(r for r in REGISTER if needle in r[0] or needle in r[3] or needle == r[2])
        if not rows:
            raise NoRecord("nothing in the register matches")
        columns = (
            Col("name", "名称/姓名", "Name"),
            Col("category", "类别", "Category"),
            Col("licence", "执业证号", "Licence number"),
            Col("office", "执业机构", "Office"),
            Col("phone", "联系电话", "Phone"),
            Col("state", "执业状态", "State"),
        )
        note = Text("信息来源：司法行政机关法律服务名录。", "Source: the justice bureau's register of legal services.")
        return Records(Text("法律服务机构和人员查询结果", "Law firms, lawyers and notaries"), columns, rows, note)

    def certificate(self, service: str, citizen: Citizen, params: Mapping[str, str]) -> Records:
        """The justice sample prints nothing."""
        raise BadParams(f"{service} is not a certificate of this department")
