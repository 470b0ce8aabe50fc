"""Attachments delivered with their submission (issue 11): chunked, acknowledged, hash-checked, never partial."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kiosk.store import Store
from kiosk.store.attachments import AttachmentRef
from sync import contract, hall_main
from tests import citizen
from tests.sync.conftest import Broker, Loop, make_hall, make_kiosk, mqtt_section
from tests.waiting import wait_until


def with_pages(n: int, pages: list[AttachmentRef]) -> dict[str, Any]:
    """A real submission record (as the session writes it) whose first material came as ``pages``."""
    payload = citizen.submission(n)
    names = payload["materials"]["missing"] or ["居民身份证"]
    payload["materials"] = {"provided": [{"name": names[0], "pages": [p.as_payload() for p in pages]}],
                            "missing": names[1:]}  # fmt: skip
    return payload


def submit(store: Store, n: int, pages: list[AttachmentRef]) -> str:
    payload = with_pages(n, pages)
    return store.record_citizen("submission", lambda _: payload, personal=True, attachments=pages).entry.key


def test_pages_reach_the_hall_whole_and_checked_before_their_submission(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, chunk_kib=64, chunk_window=3))
    data = [os.urandom(600_000), os.urandom(65_536), os.urandom(10)]
    pages = [k.store.stage_attachment(d, "image/jpeg") for d in data]
    key = submit(k.store, 1, pages)
    assert contract.citizen.problem("submission", True, with_pages(1, pages)) is None
    contract.validate("up-submission", {"v": 1, "key": key, "kind": "submission", "kiosk_id": "KSK-0001",
                                        "hall_id": "test-hall", "seq": 1, "created_at": 1.0, "sent_at": 1.0,
                                        "attempt": 1, "personal": True, "payload": with_pages(1, pages)})  # fmt: skip
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: k.store.get(key).state == "confirmed", 20, "the submission confirmed")
    finally:
        for loop in loops:
            loop.stop()
    assert hall.stats.waiting_materials == 0  # the record came only after every page
    assert hall.materials is not None and hall.materials.completed == 3
    for d, ref in zip(data, pages, strict=True):
        assert hall.materials.path("KSK-0001", ref.sha256).read_bytes() == d
    assert all(a.delivered_at is not None for a in k.store.attachments_of(key))
    assert not list((hall.materials.root / ".partial").rglob("*")) or all(
        p.is_dir() for p in (hall.materials.root / ".partial").rglob("*")
    )
    assert hall.db.quarantined() == []


def test_a_big_attachment_does_not_starve_other_citizens_or_control_rows(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port, chunk_kib=16, chunk_window=1))
    big = k.store.stage_attachment(os.urandom(24 * 2**20), "image/jpeg")
    big_key = submit(k.store, 1, [big])
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: hall.stats.chunks >= 20, 10, "the big upload under way")
        small = k.store.stage_attachment(b"one small page", "image/png")
        small_key = submit(k.store, 2, [small])
        plain_key = k.store.enqueue("submission", citizen.submission(3), personal=True).key
        control = k.store.enqueue("command_result", {"msg_id": None, "request_kind": "command", "status": "ok",
                                                     "error": None, "detail": {}}).key  # fmt: skip
        wait_until(lambda: all(k.store.get(x).state == "confirmed" for x in (small_key, plain_key, control)), 10,
                   "the later rows while the big page is still on its way")  # fmt: skip
        assert k.store.get(big_key).state == "pending"
        wait_until(lambda: k.store.get(big_key).state == "confirmed", 60, "the big page and its submission")
    finally:
        for loop in loops:
            loop.stop()
    assert hall.materials is not None
    digest = hashlib.sha256(hall.materials.path("KSK-0001", big.sha256).read_bytes()).hexdigest()
    assert digest == big.sha256


def test_kiosk_hall_lists_and_exports_a_submission_with_its_materials(
    tmp_path: Path, broker: Broker, hall_db: str, capsys
) -> None:
    k = make_kiosk(tmp_path, mqtt_section(broker.port))
    pages = [k.store.stage_attachment(b"page one", "image/jpeg"), k.store.stage_attachment(b"page two", "image/png")]
    key = submit(k.store, 5, pages)
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: k.store.get(key).state == "confirmed", 20, "the submission confirmed")
    finally:
        for loop in loops:
            loop.stop()
    reference = k.store.get(key).payload["reference"]
    assert hall_main.main(["materials", reference, "--db", hall_db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["key"] == key and shown["complete"] is True
    assert [p["sha256"] for p in shown["provided"][0]["pages"]] == [p.sha256 for p in pages]
    out = tmp_path / "export"
    assert hall_main.main(["export", key, "--db", hall_db, "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files[-1] == "submission.json" and len(files) == 3
    assert sorted((out / f).read_bytes() for f in files[:2]) == [b"page one", b"page two"]
    assert hall_main.main(["materials", "nope", "--db", hall_db]) == 1


def test_chunk_frames_and_their_acks_on_the_wire_follow_the_schemas(
    tmp_path: Path, broker: Broker, hall_db: str
) -> None:
    from sync import attachment_wire
    from tests.sync.conftest import RawClient

    sniffer = RawClient(broker.port, "sniffer", subscribe=["gov/v1/+/kiosk/+/up/attachment",
                                                            "gov/v1/+/kiosk/+/down/attachment_ack"])  # fmt: skip
    k = make_kiosk(tmp_path, mqtt_section(broker.port, chunk_kib=32))
    pages = [k.store.stage_attachment(os.urandom(100_000), "image/jpeg"), k.store.stage_attachment(b"x", "image/png")]
    key = submit(k.store, 1, pages)
    hall = make_hall(hall_db, broker.port)
    loops = [Loop(hall, "hall"), Loop(k.agent, "agent")]
    try:
        wait_until(lambda: k.store.get(key).state == "confirmed", 20, "the submission confirmed")
        wait_until(lambda: any(t.endswith("attachment_ack") for t, _, _ in sniffer.received()), 5, "acks")
    finally:
        for loop in loops:
            loop.stop()
        sniffer.close()
    headers, acks = [], []
    for topic, payload, _ in sniffer.received():
        if topic.endswith("/up/attachment"):
            header, _ = attachment_wire.decode_chunk(payload)
            contract.validate("up-attachment", header)
            headers.append(header)
        else:
            msg = json.loads(payload)
            contract.validate("down-attachment-ack", msg)
            attachment_wire.check_ack(msg, "hall", {})
            acks.append(msg)
    assert {h["index"] for h in headers if h["sha256"] == pages[0].sha256} == set(range(4))
    assert any(item["complete"] for msg in acks for item in msg["attachments"])
    # The hand-written check refuses what the schema refuses.
    good = headers[0]
    for broken in ({**good, "extra": 1}, {**good, "sha256": "ABC"}, {**good, "chunk_size": 300_000},
                   {**good, "index": -1}, {**good, "media_type": "jpeg"}, {**good, "kind": "heartbeat"},
                   {k: v for k, v in good.items() if k != "attempt"}):  # fmt: skip
        try:
            contract.validate("up-attachment", broken)
        except contract.ContractError:
            pass
        else:
            raise AssertionError(f"the schema took {broken}")
        try:
            attachment_wire.check_chunk_header(broken)
        except contract.ContractError:
            continue
        raise AssertionError(f"the hand check took {broken}")
