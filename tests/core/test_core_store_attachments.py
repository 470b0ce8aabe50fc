"""Attachments in the store: content-addressed files, linked to their submission in its transaction, a disk
budget that refuses cleanly, and purged (files included) with the submission."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.store import Inspector, Store, StoreError, StoreUnavailable
from kiosk.store.attachments import STAGED_MAX_AGE_S, AttachmentRef


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def submit(store: Store, refs: list[AttachmentRef], n: int = 0) -> str:
    payload = {"n": n, "materials": [r.as_payload() for r in refs]}
    record = store.record_citizen("submission", lambda _: payload, personal=True, counter="ref", attachments=refs)
    return record.entry.key


def test_a_staged_page_is_a_content_addressed_file_and_its_row(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    data = os.urandom(300_000)
    ref = store.stage_attachment(data, "image/jpeg")
    assert ref == AttachmentRef(hashlib.sha256(data).hexdigest(), len(data), "image/jpeg")
    path = tmp_path / "attachments" / ref.sha256[:2] / ref.sha256
    assert path.read_bytes() == data
    assert store.stage_attachment(data, "image/jpeg") == ref  # the same page twice is stored once
    assert files_under(tmp_path / "attachments") == [path]
    assert store.read_attachment(ref.sha256, 1000, 10) == data[1000:1010]
    with pytest.raises(ValueError):
        store.stage_attachment(b"", "image/jpeg")
    with pytest.raises(ValueError):
        store.stage_attachment(b"x", "jpeg")


def test_a_submission_names_its_staged_pages_in_its_own_transaction(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    refs = [store.stage_attachment(os.urandom(1000 + i), "image/jpeg") for i in range(3)]
    key = submit(store, refs)
    assert [a.sha256 for a in store.attachments_of(key)] == [r.sha256 for r in refs]
    assert store.keys_awaiting_attachments() == {key}
    assert [a.sha256 for a in store.undelivered_attachments()] == [r.sha256 for r in refs]
    # A page that was never staged: nothing is written, the reference number is not taken.
    ghost = AttachmentRef("0" * 64, 5, "image/jpeg")
    with pytest.raises(StoreError, match="not staged"):
        submit(store, [refs[0], ghost], 1)
    assert store.outbox_stats().by_kind == {"submission": 1}
    assert store.next_number("ref") == 2
    for ref in refs:
        store.mark_attachment_delivered(ref.sha256)
    assert store.keys_awaiting_attachments() == set()
    with Inspector(tmp_path / "kiosk.db") as db:
        assert [a.delivered_at is not None for a in db.attachments_of(key)] == [True] * 3


def test_the_disk_budget_and_the_reserve_refuse_a_page_cleanly(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db", max_attachment_bytes=250_000)
    store.stage_attachment(os.urandom(200_000), "image/jpeg")
    with pytest.raises(StoreUnavailable, match="attachment budget"):
        store.stage_attachment(os.urandom(100_000), "image/jpeg")
    assert len(files_under(tmp_path / "attachments")) == 1  # nothing half-written left behind
    free = SimpleNamespace(free=150 * 2**20)
    tight = Store(tmp_path / "b" / "kiosk.db", min_free_bytes=100 * 2**20, disk_usage=lambda _p: free)
    tight.stage_attachment(os.urandom(1000), "image/png")
    with pytest.raises(StoreUnavailable, match="disk nearly full"):
        tight.stage_attachment(os.urandom(60 * 2**20), "image/png")


def test_the_purge_removes_the_files_with_the_submission(tmp_path: Path) -> None:
    clock = Clock()
    store = Store(tmp_path / "kiosk.db", clock=clock, retention_s=3600)
    kept = store.stage_attachment(os.urandom(5000), "image/jpeg")
    gone = [store.stage_attachment(os.urandom(5000), "image/jpeg") for _ in range(2)]
    abandoned = store.stage_attachment(os.urandom(5000), "image/jpeg")  # a visit that never submitted
    old_key = submit(store, gone)
    new_key = submit(store, [kept], 1)
    store.confirm(old_key)
    clock.t += 3601
    store.confirm(new_key)
    assert store.purge_personal() == 1
    left = files_under(tmp_path / "attachments")
    assert sorted(p.name for p in left) == sorted([kept.sha256, abandoned.sha256])
    assert store.attachments_of(old_key) == []
    # A staged page no submission took is swept once the visit is surely over (and `kept` has had its time).
    unsent = store.stage_attachment(os.urandom(5000), "image/jpeg")
    submit(store, [unsent], 2)
    clock.t += STAGED_MAX_AGE_S + 1
    store.purge_personal()
    assert [p.name for p in files_under(tmp_path / "attachments")] == [unsent.sha256]
    # The technician's wipe takes every page, unsent ones included.
    store.purge_all_personal()
    assert files_under(tmp_path / "attachments") == []
    assert store.attachment_bytes() == 0


def test_a_file_left_without_its_row_by_a_crash_is_swept(tmp_path: Path) -> None:
    clock = Clock()
    store = Store(tmp_path / "kiosk.db", clock=clock)
    ref = store.stage_attachment(os.urandom(100), "image/jpeg")
    orphan = tmp_path / "attachments" / "ab" / ("ab" + "1" * 62)
    orphan.parent.mkdir()
    orphan.write_bytes(b"x")
    tmp = tmp_path / "attachments" / ref.sha256[:2] / f".{ref.sha256}.tmp-99"
    tmp.write_bytes(b"half")
    clock.t = max(orphan.stat().st_mtime, tmp.stat().st_mtime) + STAGED_MAX_AGE_S + 1
    submit(store, [ref])
    store.purge_personal()
    assert [p.name for p in files_under(tmp_path / "attachments")] == [ref.sha256]


def test_store_discards_pages_of_a_visit_that_ended_unsubmitted(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    linked = store.stage_attachment(b"linked", "image/jpeg")
    loose = store.stage_attachment(b"loose", "image/jpeg")
    submit(store, [linked])
    assert store.discard_staged([linked, loose]) == 1  # a page a submission took stays
    assert [p.name for p in files_under(tmp_path / "attachments")] == [linked.sha256]
