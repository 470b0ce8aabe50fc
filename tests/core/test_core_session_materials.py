"""Pages photographed for an application reach the store durably before the submission names them, and the
citizen is told "received by the hall" only once the hall acknowledged it (issue 12 point 18), never because the
link is up."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import pytest

from kiosk.store import Store
from kiosk.visit.session import Session, SessionError, Step
from tests.core.test_core_session import SETTINGS, THU_NIGHT, Clock, card, catalog, fill

PAGES = {0: [(b"page 1 of the birth certificate", "image/jpeg"), (b"page 2", "image/png")]}


class PhotographingSession(Session):
    """A session whose capture step photographed ``PAGES`` (the document camera's part, given here)."""

    pages: Mapping[int, Sequence[tuple[bytes, str]]] = PAGES

    def _photographed_pages(self) -> Mapping[int, Sequence[tuple[bytes, str]]]:
        return self.pages


def session(store: Store, pages: Mapping[int, Sequence[tuple[bytes, str]]] = PAGES) -> PhotographingSession:
    s = PhotographingSession(catalog=catalog(), store=store, clock=Clock(THU_NIGHT), settings=SETTINGS,
                             hall_online=lambda: True)  # fmt: skip
    s.pages = pages
    s.identify_card(card())
    s.choose_bundle("newborn")
    s.accept_notice()
    fill(s)
    assert s.submit_form() is None and s.step == Step.REVIEW
    return s


def test_pages_are_listed_linked_and_delivery_is_told_only_after_the_hall_acknowledged(tmp_path) -> None:
    store = Store(tmp_path / "kiosk.db", clock=lambda: THU_NIGHT)
    s = session(store)
    assert s.view().delivered_to_hall is None
    s.confirm()
    assert s.view().delivered_to_hall is False  # the link is up, but the hall has not acknowledged it yet
    assert "申请已提交至政务服务中心" not in s.document().plain_text()
    [entry] = store.pending(kinds=["submission"])
    shas = [hashlib.sha256(data).hexdigest() for data, _ in PAGES[0]]
    pages = entry.payload["materials"]["provided"][0]["pages"]
    assert entry.payload["materials"] == {"provided": [{"name": "出生医学证明", "pages": pages}], "missing": []}
    assert [p["sha256"] for p in pages] == shas and [p["media_type"] for p in pages] == ["image/jpeg", "image/png"]
    assert [a.sha256 for a in store.attachments_of(entry.key)] == shas
    assert all(store.attachment_file(sha).is_file() for sha in shas)
    store.confirm(entry.key)  # the hall's ack, as the agent records it
    assert s.view().delivered_to_hall is True
    assert "申请已提交至政务服务中心" in s.document().plain_text()


def test_without_pages_every_material_is_missing(tmp_path) -> None:
    store = Store(tmp_path / "kiosk.db", clock=lambda: THU_NIGHT)
    session(store, {}).confirm()
    [entry] = store.pending(kinds=["submission"])
    assert entry.payload["materials"] == {"provided": [], "missing": ["出生医学证明"]}
    assert store.attachments_of(entry.key) == []


def test_a_full_attachment_budget_takes_the_kiosk_out_of_service_and_leaves_nothing(tmp_path) -> None:
    store = Store(tmp_path / "kiosk.db", clock=lambda: THU_NIGHT, max_attachment_bytes=40)
    s = session(store, {0: [(b"x" * 30, "image/jpeg"), (b"y" * 30, "image/jpeg")]})
    with pytest.raises(SessionError):
        s.confirm()
    assert s.step == Step.OUT_OF_SERVICE and "budget" in s.view().out_of_service_reason
    assert store.outbox_stats().depth == 0 and store.attachment_bytes() == 0
    assert not [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]
