"""The headless demo: a scripted visit through the core on a real store."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from kiosk.appointments import CHINA_TZ
from kiosk.catalog import (
    Bundle,
    Catalog,
    Choice,
    FieldSpec,
    Material,
    Notice,
    Service,
    Text,
    load_catalog,
    shipped_catalog_path,
)
from kiosk.demo import run_headless_demo, sample_identity
from kiosk.identity import validate_id_number
from kiosk.store import Store

NIGHT = datetime(2026, 3, 5, 21, 30, tzinfo=CHINA_TZ).timestamp()  # Thursday night
MORNING = datetime(2026, 3, 5, 10, 0, tzinfo=CHINA_TZ).timestamp()
NOTICE = Notice(materials=(), basis=(), conditions=Text("父母", "Parents"), time_limit=Text("即办", "Now"),
                fee=Text("免费", "Free"), result=Text("证", "Card"))


def small_catalog(bundle_name: str = "新生儿出生", pattern: str = r"[A-Z]\d{9}") -> Catalog:
    fields = (
        FieldSpec("applicant_name", Text("姓名", "Name"), kind="name", prefill="name"),
        FieldSpec("applicant_id_number", Text("身份证号", "ID"), kind="id_number", prefill="id_number"),
        FieldSpec("phone", Text("电话", "Phone"), kind="phone"),
        FieldSpec("child_name", Text("子女姓名", "Baby"), kind="name"),
        FieldSpec("child_birth_date", Text("出生日期", "Born"), kind="date"),
        FieldSpec("child_sex", Text("子女性别", "Sex"), kind="choice",
                  choices=(Choice("male", Text("男", "Boy")), Choice("female", Text("女", "Girl")))),
        FieldSpec("birth_certificate_number", Text("出生证编号", "Certificate"), pattern=pattern),
        FieldSpec("remark", Text("备注", "Remark"), required=False),
    )
    service = Service(id="birth", name=Text("出生登记", "Birth"), department="police", notice=NOTICE, fields=fields)
    bundle = Bundle(id="newborn", number=1, name=Text(bundle_name, "Newborn"), services=("birth",),
                    materials=(Material(Text("出生医学证明", "Birth certificate")),))
    return Catalog(version="demo-test", departments={"police": Text("公安", "Police")}, services={"birth": service},
                   bundles={"newborn": bundle})


def run(tmp_path: Path, catalog: Catalog, t: float = NIGHT) -> tuple[int, str]:
    out = io.StringIO()
    rc = run_headless_demo(out, tmp_path, catalog, lambda: t)
    return rc, out.getvalue()


def test_sample_identity_is_valid() -> None:
    ident = sample_identity()
    assert validate_id_number(ident.id_number).ok and ident.from_card and ident.long_term


def test_night_visit_prints_every_step_and_document(tmp_path: Path) -> None:
    rc, text = run(tmp_path, small_catalog())
    assert rc == 0, text
    for step in ("[ATTRACT]", "[CHOOSE]", "[NOTICE]", "[FORM]", "[REVIEW]", "[SUBMITTED]", "[RECEIPT]", "[RATE]",
                 "[APPOINTMENT]", "[TICKET_DONE]"):
        assert step in text
    assert "一次性告知单" in text and "办件回执" in text and "预约凭证" in text and "排队号" in text
    assert "KSK-DEMO-01-260305-0001" in text and "[QR KSK1|KSK-DEMO-01|KSK-DEMO-01-260305-0001|" in text
    assert "子女性别：男" in text and "备注" not in text  # optional fields are left empty
    assert "大厅窗口未开放" in text and "2026-03-06 09:05" in text  # the ticket waits for the morning
    assert "王*丽" in text and sample_identity().id_number in text  # the full number only on screen (form)
    with Store(tmp_path / "kiosk.db") as store:
        kinds = [e.kind for e in store.pending(limit=100)]
    assert kinds == ["submission", "rating", "appointment", "ticket"]


def test_demo_can_run_again_in_the_same_directory(tmp_path: Path) -> None:
    for run_no in range(1, 8):  # more runs than there are bookable days: demo bookings are not kept
        rc, text = run(tmp_path, small_catalog())
        assert rc == 0, text
        assert f"KSK-DEMO-01-260305-{2 * run_no - 1:04d}" in text


def test_daytime_ticket_is_taken_at_once(tmp_path: Path) -> None:
    rc, text = run(tmp_path, small_catalog(), MORNING)
    assert rc == 0, text
    assert "大厅窗口未开放" not in text and "取号时间：2026-03-05 10:00" in text


def test_demo_runs_on_the_shipped_catalog(tmp_path: Path) -> None:
    rc, text = run(tmp_path, load_catalog(shipped_catalog_path()))
    assert rc == 0, text
    assert "新生儿出生" in text and "办件回执" in text


def test_demo_fails_clearly(tmp_path: Path) -> None:
    rc, text = run(tmp_path / "a", small_catalog(bundle_name="结婚登记"))
    assert rc == 1 and "新生儿出生" in text
    rc, text = run(tmp_path / "b", small_catalog(pattern=r"\d{3}[a-z]{40}"))
    assert rc == 1 and "birth_certificate_number" in text
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rc, text = run(blocker, small_catalog())
    assert rc == 1 and "cannot open the store" in text
