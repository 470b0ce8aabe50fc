"""Pages photographed for an application (the capture screen's API), and what the citizen is told about delivery:
"received by the hall" only once the hall acknowledged it (issue 12 point 18), never because the link is up."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.store import Store
from kiosk.visit.session import SessionError, Step
from tests.core.test_core_session import THU_NIGHT, card, fill, make, store  # noqa: F401  (fixtures)


def to_review(s) -> None:
    s.identify_card(card())
    s.choose_bundle("newborn")
    s.accept_notice()
    fill(s)
    assert s.submit_form() is None and s.step == Step.REVIEW


def test_pages_are_listed_and_delivery_is_told_only_after_the_hall_acknowledged(make, store: Store) -> None:  # noqa: F811
    s, _, _ = make(t=THU_NIGHT)
    to_review(s)
    first = s.add_page(0, b"page 1 of the birth certificate")
    second = s.add_page(0, b"page 2 of the birth certificate", "image/png")
    with pytest.raises(SessionError):
        s.add_page(9, b"no such material")
    s.confirm()
    view = s.view()
    assert view.delivered_to_hall is False  # the link is up, but the hall has not acknowledged it yet
    assert "申请已提交至政务服务中心" not in s.document().plain_text()
    [entry] = store.pending(kinds=["submission"])
    materials = entry.payload["materials"]
    assert materials["provided"] == [{"name": "出生医学证明", "pages": [first.as_payload(), second.as_payload()]}]
    assert materials["missing"] == []  # the test bundle asks for one material only
    assert [a.sha256 for a in store.attachments_of(entry.key)] == [first.sha256, second.sha256]
    store.confirm(entry.key)  # the hall's ack, as the agent records it
    assert s.view().delivered_to_hall is True
    assert "申请已提交至政务服务中心" in s.document().plain_text()


def test_pages_of_an_application_never_sent_leave_the_disk(make, store: Store, tmp_path: Path) -> None:  # noqa: F811
    s, _, _ = make(t=THU_NIGHT)
    to_review(s)
    page = s.add_page(0, b"a page the citizen photographed, then walked away")
    assert store.attachment_file(page.sha256).is_file()
    s.clear()
    assert not store.attachment_file(page.sha256).exists()
    assert s.view().delivered_to_hall is None
