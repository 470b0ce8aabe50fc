"""A scripted visit through the core without a screen (``kiosk demo --headless``).

A fictional citizen taps a sample ID card, applies for the 新生儿出生 bundle (notice, one form, review,
submit), gets the receipt and rates the visit; then books a window appointment and takes a queue ticket.
Every step and every printout is written to ``out`` as text. The records land in a real store in
``data_dir``; nothing leaves the machine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from kiosk.appointments import StoreBookingLedger, next_opening
from kiosk.catalog import Catalog, FieldSpec
from kiosk.config import Config, demo_config
from kiosk.forms import check_value, display_value
from kiosk.identity import Identity, check_digit, identity_from_card
from kiosk.layout import PrintJob
from kiosk.store import Store, StoreError
from kiosk.visit.session import Session, SessionError, SessionSettings

log = logging.getLogger(__name__)

DEMO_BUNDLE_NAME = "新生儿出生"
DEMO_LEDGER = "demo.appointments.ledger"


def sample_identity() -> Identity:
    """The demo card of a fictional citizen of Dongsheng District, Ordos (valid ID number, long-term card)."""
    id_number = "15060219900307122"
    return identity_from_card({
        "name": "王晓丽", "sex": "2", "nation": "02", "birth_date": "19900307",
        "address": "内蒙古自治区鄂尔多斯市东胜区示例路1号", "id_number": id_number + check_digit(id_number),
        "authority": "鄂尔多斯市公安局东胜分局", "valid_from": "20100601", "valid_to": "长期",
    })


def _spouse_id() -> str:
    first17 = "15060219880512131"
    return first17 + check_digit(first17)


def _candidates(spec: FieldSpec, today: date) -> list[str]:
    """Sample values for a field, most specific first; the first acceptable one is used."""
    by_key = {
        "child_name": "王小禾", "spouse_name": "李示范", "household_head_name": "李示范",
        "spouse_id_number": _spouse_id(), "child_nation": "蒙古族", "birth_institution": "鄂尔多斯市中心医院",
        "birth_certificate_number": "O150123456", "marriage_certificate_number": "J150602-2015-001234",
    }
    by_kind = {
        "name": ["王示例"], "id_number": [_spouse_id()], "phone": ["13900000000"],
        "date": [(today - timedelta(days=7)).isoformat()], "address": ["内蒙古自治区鄂尔多斯市东胜区示例路1号"],
        "number": [str(today.year), "1"], "text": ["示例", "A123456789", str(today.year)],
    }
    values = [by_key[spec.key]] if spec.key in by_key else []
    values += [c.value for c in spec.choices] + by_kind.get(spec.kind, ["示例"])
    return values


def _sample_value(spec: FieldSpec, today: date) -> str | None:
    for value in _candidates(spec, today):
        if check_value(spec, value, today) is None:
            return value
    return None


def _find_bundle(catalog: Catalog, name: str) -> str | None:
    exact = [b.id for b in catalog.bundles.values() if b.name.zh == name]
    return (exact or [b.id for b in catalog.bundles.values() if name in b.name.zh] or [None])[0]


class _Printer:
    """Writes the demo narrative."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.n = 0

    def step(self, session: Session, what: str) -> None:
        self.n += 1
        print(f"\n== {self.n}. [{session.step.name}] {what}", file=self.out)

    def line(self, text: str) -> None:
        print(f"   {text}", file=self.out)

    def job(self, job: PrintJob | None) -> None:
        if job is not None:
            print("\n" + job.plain_text(width=40) + "\n" + "✂" * 20, file=self.out)


def run_headless_demo(
    out: TextIO,
    data_dir: Path,
    catalog: Catalog,
    clock: Callable[[], float],
    settings: SessionSettings | None = None,
) -> int:
    """Run the scripted visit, writing each step and printout to ``out``. 0 on success, 1 on failure."""
    settings = settings or SessionSettings.from_config(Config())
    try:
        store = Store.from_config(demo_config(Path(data_dir)), clock=clock)
    except StoreError as exc:
        print(f"demo: cannot open the store in {data_dir}: {exc}", file=out)
        return 1
    try:
        p = _Printer(out)
        today = datetime.fromtimestamp(clock(), settings.hall_hours.tz).date()
        # A ledger of its own, empty at each run: the sample citizen's demo appointments must not fill up a real
        # kiosk's calendar, nor a previous demo's.
        bookings = StoreBookingLedger(store, setting_key=DEMO_LEDGER, secret_key="demo.appointments.secret")
        store.set_setting(DEMO_LEDGER, {})
        session = Session(catalog=catalog, store=store, clock=clock, settings=settings, hall_online=lambda: True,
                          bookings=bookings)
        department = _visit(session, catalog, p, today)
        _ticket(catalog, store, clock, settings, p, department)
        kinds = [e.kind for e in store.pending(limit=1000)]
    except (SessionError, _DemoError) as exc:
        text = exc.text.zh if isinstance(exc, SessionError) else str(exc)
        print(f"\ndemo stopped: {text}", file=out)
        return 1
    finally:
        store.close()
    print(f"\n== 演示结束：{len(kinds)} 条记录待上传（{', '.join(kinds)}），见 {data_dir}/kiosk.db", file=out)
    return 0


class _DemoError(Exception):
    """The catalog does not allow the scripted visit."""


def _visit(session: Session, catalog: Catalog, p: _Printer, today: date) -> str:
    """Card tap, the newborn bundle through to the receipt and rating, then an appointment with the department
    of the bundle's first service; that department."""
    p.step(session, "等待办事群众（吸引页）")
    session.identify_card(sample_identity())
    p.step(session, f"读取身份证：您好，{session.view().greeting_name}")
    bundle_id = _find_bundle(catalog, DEMO_BUNDLE_NAME)
    if bundle_id is None:
        raise _DemoError(f"catalog {catalog.version} has no bundle named {DEMO_BUNDLE_NAME}")
    session.choose_bundle(bundle_id)
    p.step(session, f"一次告知：{catalog.bundles[bundle_id].name.zh}")
    p.job(session.document())
    session.accept_notice()
    view = session.view()
    p.step(session, f"一表申请：{len(view.fields)} 项，{sum(f.locked for f in view.fields)} 项由身份证自动填写")
    _fill_form(session, p, today)
    if session.submit_form() is not None:
        raise _DemoError("the sample values did not pass the form checks")
    p.step(session, "核对信息")
    for label, value in session.view().review:
        p.line(f"{label.zh}：{value.zh}")
    reference = session.confirm()
    p.step(session, f"提交成功，受理编号 {reference}")
    session.receipt()
    p.step(session, "打印回执")
    p.job(session.document())
    session.proceed()
    p.step(session, "评价（好差评）")
    session.rate(5)
    p.line("非常满意")
    department = catalog.services[catalog.bundles[bundle_id].services[0]].department
    _appointment(session, p, department)
    return department


def _fill_form(session: Session, p: _Printer, today: date) -> None:
    for f in session.view().fields:
        if f.locked or f.value:
            p.line(f"{f.label.zh}：{f.value}（证件读取）" if f.locked else f"{f.label.zh}：{f.value}")
            continue
        if not f.required:  # a citizen in a hurry leaves optional fields empty
            continue
        spec = FieldSpec(f.key, f.label, kind=f.kind, required=f.required, choices=f.choices,
                         max_length=f.max_length, pattern=f.pattern)
        value = _sample_value(spec, today)
        if value is None:
            raise _DemoError(f"no sample value fits field {f.key!r}")
        session.set_field(f.key, value)
        p.line(f"{f.label.zh}：{display_value(spec, value).zh}")


def _appointment(session: Session, p: _Printer, department: str) -> None:
    """After the rating the card is taken; a second visit books a window appointment."""
    session.card_removed()
    session.reset()
    session.identify_card(sample_identity())
    session.start_appointment(department)
    slots = [s for s in session.view().slots if s.remaining > 0]
    if not slots:
        raise _DemoError("no appointment slot is free")
    p.step(session, f"预约：{len(slots)} 个可选时段，选择第一个")
    session.book(slots[0])
    p.job(session.document())
    session.finish()
    session.card_removed()
    session.reset()


def _ticket(
    catalog: Catalog, store: Store, clock: Callable[[], float], settings: SessionSettings, p: _Printer, department: str
) -> None:
    """A queue ticket; at night the hall is closed, so the demo shows the refusal and comes back at opening."""
    session = Session(catalog=catalog, store=store, clock=clock, settings=settings, hall_online=lambda: False)
    try:
        session.start_ticket()
    except SessionError as exc:
        p.step(session, f"取号：{exc.text.zh}")
        now = datetime.fromtimestamp(clock(), settings.hall_hours.tz)
        opening = next_opening(now, settings.hall_hours)
        if opening is None:
            raise
        offset = (opening - now).total_seconds() + 300

        def later() -> float:
            return clock() + offset

        p.line(f"（次日开门后：{opening + timedelta(minutes=5):%Y-%m-%d %H:%M}）")
        session = Session(catalog=catalog, store=store, clock=later, settings=settings, hall_online=lambda: False)
        session.start_ticket()
    session.take_ticket(department)
    p.step(session, "取号（网络中断时由本机编号）")
    p.job(session.document())
    session.finish()
