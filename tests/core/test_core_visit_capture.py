"""The capture step of a visit on a real store and the shipped catalog: the bundle's materials photographed one
at a time (more pages, retakes, 容缺 skips), the receipt naming exactly what is still to bring, the camera
failing or absent, and the photographs gone when the visit ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from kiosk.appointments import CHINA_TZ
from kiosk.capture.page import BLURRED, HINTS, Page
from kiosk.catalog import CatalogRepository, Text
from kiosk.demo import sample_identity
from kiosk.receipts import receipt_job
from kiosk.store import Store
from kiosk.visit.capture_step import NO_CAMERA, PHOTOGRAPH_OR_SKIP
from kiosk.visit.materials import MAX_PAGES_PER_MATERIAL, MAX_PAGES_PER_VISIT, material_ids
from kiosk.visit.session import Session, SessionError, SessionSettings, Step

NIGHT = datetime(2026, 11, 24, 22, 30, tzinfo=CHINA_TZ).timestamp()
SETTINGS = SessionSettings(kiosk_id="K01", hall_name=Text("测试大厅", "Test hall"), idle_timeout_s=90)
VALUES = {
    "child_name": "王小禾", "child_sex": "female", "child_birth_date": "2026-11-20", "phone": "13904771234",
    "child_birth_place": "内蒙古自治区鄂尔多斯市东胜区", "birth_institution": "鄂尔多斯市中心医院",
    "spouse_name": "李示范", "spouse_id_number": "150602198805121315", "household_head_name": "李示范",
    "contact_address": "内蒙古自治区鄂尔多斯市东胜区示例路8号", "child_nation": "蒙古族",
    "birth_certificate_number": "O150123456", "relation_to_head": "daughter",
    "marriage_certificate_number": "J150602-2015-001234", "payment_year": "2026",
    "child_id_number": "150602201905121317",
}  # fmt: skip


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def page(n: int = 0) -> Page:
    """A small real JPEG page, different for every ``n``."""
    image = np.full((120, 90, 3), 200, np.uint8)
    cv2.putText(image, str(n), (10, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, (0, 0, 0), 3)
    return Page.from_jpeg(cv2.imencode(".jpg", image)[1].tobytes(), 90, 120)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "kiosk.db", clock=lambda: NIGHT)
    yield s
    s.close()


@pytest.fixture
def make(store: Store, tmp_path: Path) -> Callable[..., tuple[Session, Clock, SimpleNamespace]]:
    catalog = CatalogRepository(tmp_path).active()

    def build(camera: bool | None = True) -> tuple[Session, Clock, SimpleNamespace]:
        clock, kiosk = Clock(NIGHT), SimpleNamespace(camera=camera)
        ready = None if camera is None else (lambda: kiosk.camera)
        session = Session(catalog=catalog, store=store, clock=clock, settings=SETTINGS, hall_online=lambda: True,
                          camera_ready=ready)  # fmt: skip
        return session, clock, kiosk

    return build


def to_review(s: Session) -> None:
    s.identify_card(sample_identity())
    s.choose_bundle("newborn")
    s.accept_notice()
    for f in s.view().fields:
        if not f.locked:
            s.set_field(f.key, VALUES.get(f.key, f.choices[0].value if f.choices else "示例"))
    assert s.submit_form() is None and s.step == Step.REVIEW


def test_the_bundle_materials_one_at_a_time_and_the_receipt_lists_exactly_what_is_missing(make, store) -> None:
    s, _, _ = make()
    to_review(s)
    assert s.view().photograph_next
    s.photograph_materials()
    view = s.view()
    assert view.step == Step.CAPTURE and view.capture is not None
    materials = view.notice.materials
    names = [m.name.zh for m in materials]
    assert names == ["夫妻双方身份证", "夫妻双方户口簿", "夫妻双方结婚证", "出生医学证明", "民族成份确认书"]
    assert [m.id for m in view.capture.materials] == list(material_ids(materials)) == ["m1", "m2", "m3", "m4", "m5"]
    assert view.capture.current == "m1" and view.capture.camera_ready is True
    # m1 (ID cards): 容缺, brought to the window.
    s.skip_material("m1")
    assert s.view().capture.current == "m2" and s.view().capture.materials[0].skipped
    # m2 (户口簿): two pages, the second retaken.
    assert s.add_page("m2", page(1)) == 1
    assert s.add_page("m2", page(2)) == 2
    assert s.retake_page("m2") == 1
    assert s.add_page("m2", page(3)) == 2
    s.next_material()
    # m3 (结婚证): a blurred try first, then a page.
    s.capture_problem(BLURRED)
    assert s.view().message == HINTS[BLURRED]
    s.add_page("m3", page(4))
    assert s.view().message is None  # a kept page clears the hint
    s.next_material()
    assert s.view().capture.current == "m4"
    mv = {m.id: m for m in s.view().capture.materials}
    assert [p.sha256 for p in mv["m2"].pages] == [page(1).sha256, page(3).sha256] and len(mv["m3"].pages) == 1
    assert s.view().capture.materials[1].photographed and not s.view().capture.materials[3].photographed
    # The pages the lead hands to the store at submission: plain, in order.
    assert {k: [p.size for p in v] for k, v in s._visit.materials.items()} == {
        "m2": [page(1).size, page(3).size], "m3": [page(4).size]}  # fmt: skip
    reference = s.confirm()
    receipt = s.view().receipt
    assert s.step == Step.SUBMITTED and reference
    assert [m.name.zh for m in receipt.materials] == ["夫妻双方身份证", "出生医学证明", "民族成份确认书"]
    assert [(m.name.zh, n) for m, n in receipt.provided] == [("夫妻双方户口簿", 2), ("夫妻双方结婚证", 1)]
    assert s.view().materials_to_bring == receipt.materials
    text = "\n".join(str(getattr(b, "text", "")) for b in receipt_job(receipt, "zh").blocks)
    brought = text[text.index("请携带以下材料到窗口") :]
    assert "夫妻双方户口簿（已拍照2页）" in text and "夫妻双方结婚证（已拍照1页）" in text
    assert "出生医学证明" in brought and "夫妻双方户口簿" not in brought and "结婚证" not in brought
    english = "\n".join(str(getattr(b, "text", "")) for b in receipt_job(receipt, "en").blocks)
    assert "2 pages photographed" in english and "Please bring these to the window" in english


def test_everything_photographed_means_nothing_to_bring(make) -> None:
    s, _, _ = make()
    to_review(s)
    s.photograph_materials()
    for i, m in enumerate(s.view().capture.materials):
        s.add_page(m.id, page(i))
        if not s.view().capture.is_last:
            s.next_material()
    s.confirm()
    receipt = s.view().receipt
    assert receipt.materials == () and len(receipt.provided) == 5
    text = "\n".join(str(getattr(b, "text", "")) for b in receipt_job(receipt, "zh").blocks)
    assert "材料已齐全" in text and "请携带以下材料到窗口" not in text


@pytest.mark.parametrize("camera", [None, False])
def test_no_camera_the_receipt_says_bring_them_all_as_before(make, camera) -> None:
    s, _, _ = make(camera=camera)
    to_review(s)
    assert not s.view().photograph_next
    with pytest.raises(SessionError) as refused:
        s.photograph_materials()
    assert refused.value.text == NO_CAMERA and s.step == Step.REVIEW
    s.confirm()
    receipt = s.view().receipt
    assert receipt.materials == s.view().notice.materials and receipt.provided == ()


def test_an_item_without_materials_has_nothing_to_photograph(make) -> None:
    s, _, _ = make()
    s.identify_card(sample_identity())
    s.choose_bundle("school_enrollment")  # a bundle whose notice lists no materials (and is not answered online)
    s.accept_notice()
    for f in s.view().fields:
        if not f.locked:
            s.set_field(f.key, VALUES.get(f.key, f.choices[0].value if f.choices else "示例"))
    assert s.submit_form() is None and s.step == Step.REVIEW
    assert not s.view().photograph_next
    with pytest.raises(SessionError, match="no_materials"):
        s.photograph_materials()


def test_the_camera_failing_mid_capture_leaves_the_rest_for_the_window(make) -> None:
    s, _, kiosk = make()
    to_review(s)
    s.photograph_materials()
    s.add_page("m1", page(1))
    kiosk.camera = False  # unplugged
    assert s.view().capture.camera_ready is False
    s.confirm()
    assert [m.name.zh for m, _ in s.view().receipt.provided] == ["夫妻双方身份证"]
    assert len(s.view().receipt.materials) == 4


def test_a_camera_whose_state_cannot_be_read_is_no_camera(make) -> None:
    s, _, _ = make()

    def broken() -> bool:
        raise RuntimeError("bridge gone")

    s._camera_ready = broken
    to_review(s)
    assert not s.view().photograph_next


def test_refusals_change_nothing(make) -> None:
    s, _, _ = make()
    to_review(s)
    with pytest.raises(SessionError, match="invalid_action"):
        s.add_page("m1", page())  # not in the capture step
    s.photograph_materials()
    with pytest.raises(SessionError, match="unknown_material"):
        s.add_page("m9", page())
    with pytest.raises(SessionError, match="bad_value"):
        s.add_page("m1", b"\xff\xd8 raw bytes")  # type: ignore[arg-type]
    with pytest.raises(SessionError, match="bad_value"):
        s.capture_problem("too_pretty")
    with pytest.raises(SessionError, match="no_such_page"):
        s.retake_page("m1")
    with pytest.raises(SessionError, match="photograph_or_skip"):
        s.next_material()
    assert s.view().message == PHOTOGRAPH_OR_SKIP
    for event in ("submit", "receipt", "accept"):
        assert event not in s.available_events()
    assert s._visit.materials.get("m1", []) == [] and s.view().capture.current == "m1"


def test_page_limits(make) -> None:
    s, _, _ = make()
    to_review(s)
    s.photograph_materials()
    for i in range(MAX_PAGES_PER_MATERIAL):
        s.add_page("m1", page(i))
    with pytest.raises(SessionError, match="too_many_pages"):
        s.add_page("m1", page(99))
    ids = [m.id for m in s.view().capture.materials]
    taken = MAX_PAGES_PER_MATERIAL
    for mid in ids[1:]:
        while taken < MAX_PAGES_PER_VISIT and len(s._visit.materials.get(mid, [])) < MAX_PAGES_PER_MATERIAL:
            s.add_page(mid, page(taken))
            taken += 1
    with pytest.raises(SessionError, match="too_many_pages"):
        s.add_page(ids[-1], page(100))
    assert sum(len(p) for p in s._visit.materials.values()) == MAX_PAGES_PER_VISIT


def test_back_to_the_review_keeps_the_pages_back_to_choosing_drops_them(make) -> None:
    s, _, _ = make()
    to_review(s)
    s.photograph_materials()
    s.add_page("m2", page(1))
    s.select_material("m4")
    s.back()
    assert s.step == Step.REVIEW
    s.photograph_materials()
    assert s.view().capture.current == "m4" and len(s.view().capture.materials[1].pages) == 1
    s.back()  # review
    s.back()  # form
    s.back()  # notice
    s.back()  # choose: another item may be chosen, its materials are other ones
    assert s.step == Step.CHOOSE and s._visit.materials == {}


def pages_reachable(root: object) -> list[object]:
    """Every Page, and every bytes object starting like a JPEG, reachable from ``root``."""
    found, seen, todo = [], set(), [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, Page) or (isinstance(obj, bytes) and obj.startswith(b"\xff\xd8")):
            found.append(obj)
        elif isinstance(obj, dict):
            todo += [*obj.keys(), *obj.values()]
        elif isinstance(obj, list | tuple | set | frozenset):
            todo += list(obj)
        elif not isinstance(obj, str | bytes | int | float):
            todo += list(getattr(obj, "__dict__", {}).values())
            if hasattr(obj, "__self__"):
                todo.append(obj.__self__)
            if getattr(obj, "__closure__", None):
                todo += [c.cell_contents for c in obj.__closure__]
    return found


@pytest.mark.parametrize("ending", ["timeout", "sent", "cancel", "failure"])
def test_the_photographs_are_gone_when_the_visit_ends(make, ending: str) -> None:
    s, clock, _ = make()
    to_review(s)
    s.photograph_materials()
    s.add_page("m3", page(1))
    assert pages_reachable(s)  # the walk does find them while the visit runs
    if ending == "timeout":
        s.tick(clock.t + 200)
    elif ending == "sent":
        s.confirm()
        s.receipt()
        s.proceed()
        s.skip_rating()
        s.card_removed()
    elif ending == "cancel":
        s.cancel()
        s.card_removed()
    else:
        s.out_of_service("disk gone")
    assert s.step in (Step.END, Step.OUT_OF_SERVICE)
    assert pages_reachable(s) == []
