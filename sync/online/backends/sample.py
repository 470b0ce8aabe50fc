"""The sample departments' shared data: the demo's fictional citizens and what the departments know of them.

The citizens are the ones the demo and the simulators use (``kiosk/demo.py``, ``drivers/id_reader/simulator.py``,
``drivers/sscard_reader/simulator.py``; a test checks they agree). Names, numbers, employers and amounts are made up.
Figures are computed from a few facts per citizen (contribution base, employer, start month), so every service
tells the same story about a person. An unknown ID number, or a name that does not match the ID number, has no
record.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sync.online.backends.base import BadParams, Citizen, CitizenDirectory, DepartmentBackend, DepartmentDown, NoRecord


@dataclass(frozen=True)
class SamplePerson:
    """What the sample departments know about one fictional citizen."""

    name: str
    id_number: str
    work: str  # employee | flexible | retired
    employer: str  # "" when none
    since: str  # YYYY-MM: first month of contributions
    base: int  # monthly contribution base (yuan) this year; earlier years 4 % less per year
    district: str = "鄂尔多斯市东胜区"
    pension_monthly: int = 0  # retired only
    child: str = ""  # a newborn whose residents' medical insurance premium was paid
    service_income: int = 0  # flexible workers: monthly labour remuneration (劳务报酬) taxed at source


PEOPLE: tuple[SamplePerson, ...] = (
    SamplePerson(
        "王晓丽", "150602199003071226", "employee", "鄂尔多斯市示例科技有限公司", "2013-07", 6800, child="王小禾"
    ),
    SamplePerson("李示例", "150602198503151236", "employee", "内蒙古示范能源集团有限公司", "2008-09", 9200),
    SamplePerson(
        "乌云其其格", "150621195809200024", "retired", "", "1978-03", 0, "鄂尔多斯市达拉特旗", pension_monthly=3860
    ),
    SamplePerson("赵测试", "15060219790228447X", "flexible", "", "2016-01", 4500, service_income=6000),
    SamplePerson(
        "高示范",
        "150627200111110811",
        "employee",
        "鄂尔多斯市示例物流有限公司",
        "2023-07",
        7200,
        "鄂尔多斯市伊金霍洛旗",
    ),
    SamplePerson("李示范", "150602198805121315", "employee", "鄂尔多斯市东胜区示范小学", "2011-09", 8100),
)
_BY_ID = {p.id_number: p for p in PEOPLE}


class SampleDirectory(CitizenDirectory):
    """The sample citizens by ID number."""

    def name_of(self, id_number: str) -> str | None:
        """The sample citizen's name."""
        person = _BY_ID.get(id_number)
        return person.name if person else None


def person_for(citizen: Citizen | None) -> SamplePerson:
    """The sample person a request is about; NoRecord for an unknown number or a name that does not match."""
    if citizen is None:
        raise BadParams("identity: this service needs the citizen's identity")
    person = _BY_ID.get(citizen.id_number)
    if person is None or (citizen.name and citizen.name != person.name):
        raise NoRecord("no record for this name and ID number")
    return person


class SampleDepartment(DepartmentBackend):
    """Base of the sample backends: a clock, an on/off switch, an artificial delay (for tests and demos)."""

    def __init__(self, *, clock: Callable[[], float] = time.time, latency_s: float = 0.0) -> None:
        self._clock = clock
        self.latency_s = latency_s
        self._down = threading.Event()

    def set_down(self, down: bool) -> None:
        """Simulate an outage of this department's system (every call raises DepartmentDown)."""
        if down:
            self._down.set()
        else:
            self._down.clear()

    def today(self) -> date:
        """The department's date."""
        return datetime.fromtimestamp(self._clock()).date()

    def _enter(self) -> None:
        if self.latency_s:
            time.sleep(self.latency_s)
        if self._down.is_set():
            raise DepartmentDown(f"the {self.department} system is down (simulated)")


# ------------------------------------------------------------------------------------------------- months


def month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month); BadParams otherwise."""
    try:
        y, m = (int(p) for p in text.split("-"))
    except ValueError:
        raise BadParams("expected a month like 2025-01") from None
    if not (1990 <= y <= 2100 and 1 <= m <= 12):
        raise BadParams("expected a month like 2025-01")
    return y, m


def months_between(start: tuple[int, int], end: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """Every month from ``start`` to ``end`` inclusive."""
    y, m = start
    while (y, m) <= end:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def month_range(params: Mapping[str, str], today: date, *, max_months: int = 60) -> list[tuple[int, int]]:
    """The months of ``record_start_month``..``record_end_month`` (default: the last 12 complete months)."""
    last = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    end = month(params["record_end_month"]) if params.get("record_end_month") else last
    if params.get("record_start_month"):
        start = month(params["record_start_month"])
    else:  # the twelve months up to the end
        start = (end[0] - 1, end[1] + 1) if end[1] < 12 else (end[0], 1)
    if start > end:
        raise BadParams("record_start_month is after record_end_month")
    months = list(months_between(start, min(end, last)))
    if len(months) > max_months:
        raise BadParams(f"at most {max_months} months at a time")
    return months


def year_param(params: Mapping[str, str], key: str, today: date) -> int:
    """A year parameter (default: last year)."""
    raw = params.get(key, "").strip()
    if not raw:
        return today.year - 1
    if not raw.isdigit() or not 1990 <= int(raw) <= today.year:
        raise BadParams(f"{key}: expected a year from 1990 to {today.year}")
    return int(raw)


def base_in(person: SamplePerson, year: int, today: date) -> int:
    """The contribution base in ``year`` (4 % lower for each year before this one, rounded to 10 yuan)."""
    return int(round(person.base * 0.96 ** max(0, today.year - year), -1))


def contributing(person: SamplePerson, ym: tuple[int, int]) -> bool:
    """Whether the person paid contributions in month ``ym``."""
    return person.work != "retired" and ym >= month(person.since)


def yuan(amount: float) -> str:
    """An amount in yuan with two decimals."""
    return f"{amount:,.2f}"


def ym_text(ym: tuple[int, int]) -> str:
    """``YYYY-MM``."""
    return f"{ym[0]:04d}-{ym[1]:02d}"
