"""What a visit records: outbox payloads and the checks on the citizen's rating and report input.

Pure functions, so every record the hall receives can be tested without a session. Times in payloads are
float UNIX seconds (like the store) plus an ISO local time for people reading the hall's logs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kiosk.appointments import KeptBooking, Slot
from kiosk.capture.page import Page
from kiosk.catalog import Text
from kiosk.forms import LANDLINE_RE, MOBILE_RE
from kiosk.identity import Identity
from kiosk.receipts import Receipt
from kiosk.store.attachments import AttachmentRef
from kiosk.visit.flow import (
    BAD_LEVELS,
    RATING_LEVELS,
    RATING_REASONS,
    REPORT_CATEGORIES,
    REPORT_MAX_CHARS,
    SessionError,
)
from kiosk.visit.materials import provided, still_to_bring
from kiosk.visit.view import Chosen

PAYLOAD_VERSION = 1


def identity_payload(identity: Identity) -> dict[str, Any]:
    """The identity fields the hall needs (the photo stays on the kiosk: it is never sent)."""
    return {
        "name": identity.name,
        "sex": identity.sex,
        "nation": identity.nation,
        "birth_date": identity.birth_date.isoformat(),
        "address": identity.address,
        "id_number": identity.id_number,
        "authority": identity.authority,
        "valid_from": identity.valid_from.isoformat() if identity.valid_from else None,
        "valid_to": identity.valid_to.isoformat() if identity.valid_to else None,
        "long_term": identity.long_term,
        "source": identity.source,
    }


def _base(kiosk_id: str, reference: str, now: datetime, lang: str) -> dict[str, Any]:
    return {
        "v": PAYLOAD_VERSION,
        "kiosk_id": kiosk_id,
        "reference": reference,
        "created_at": now.timestamp(),
        "created_local": now.isoformat(timespec="seconds"),
        "lang": lang,
    }


def materials_payload(chosen: Chosen, pages: Mapping[int, Sequence[AttachmentRef]]) -> dict[str, Any]:
    """Which materials of the notice came with the application (photographed here: their pages, by index,
    0-based, in the notice's list) and which are missing (容缺: to be supplied later or brought to the window)."""
    came, missing = [], []
    for index, material in enumerate(chosen.notice.materials):
        refs = pages.get(index, ())
        if refs:
            came.append({"name": material.name.zh, "pages": [ref.as_payload() for ref in refs]})
        else:
            missing.append(material.name.zh)
    return {"provided": came, "missing": missing}


def submission_payload(
    *, kiosk_id: str, reference: str, chosen: Chosen, values: dict[str, str], identity: Identity,
    catalog_version: str, now: datetime, lang: str, pages: Mapping[int, Sequence[AttachmentRef]] | None = None,
) -> dict[str, Any]:
    """The "submission" record: what was applied for, the form, who applied, which materials came."""
    return {
        **_base(kiosk_id, reference, now, lang),
        "item_kind": chosen.kind,
        "item_id": chosen.id,
        "bundle_id": chosen.id if chosen.kind == "bundle" else None,
        "service_ids": list(chosen.service_ids),
        "form": {k: v.strip() for k, v in values.items()},
        "identity": identity_payload(identity),
        "catalog_version": catalog_version,
        "materials": materials_payload(chosen, pages or {}),
    }


def build_receipt(
    *, reference: str, kiosk_id: str, hall_name: Text, chosen: Chosen, now: datetime, qr: str,
    queued_offline: bool, hotline: str, pages: Mapping[str, Sequence[Page]] | None = None,
) -> Receipt:
    """The receipt of a submission: the materials photographed here (``pages``, material id -> pages), and
    exactly those not photographed, still to be brought to the window (all of them without a camera)."""
    materials, pages = chosen.notice.materials, pages or {}
    return Receipt(
        reference=reference, kiosk_id=kiosk_id, hall_name=hall_name, title=chosen.name, submitted_at=now,
        materials=still_to_bring(materials, pages), qr=qr, queued_offline=queued_offline, hotline=hotline,
        provided=provided(materials, pages),
    )


def check_rating(level: int, reasons: list[str]) -> tuple[str, ...]:
    """Validate a rating; the reasons, deduplicated. Bad ratings need a reason, good ones take none."""
    if isinstance(level, bool) or level not in RATING_LEVELS:
        raise SessionError("bad_rating", Text("请选择一个评价等级", f"rating level must be 1..5, got {level!r}"))
    unknown = [r for r in reasons if r not in RATING_REASONS]
    if unknown:
        raise SessionError("bad_rating", Text("请从列表中选择原因", f"unknown rating reasons {unknown}"))
    if level in BAD_LEVELS and not reasons:
        raise SessionError("reason_needed", Text("请选择不满意的原因，帮助我们改进", "Please tell us what went wrong"))
    if level >= 4 and reasons:
        raise SessionError("bad_rating", Text("满意时无需选择原因", "reasons are only for lower ratings"))
    return tuple(dict.fromkeys(reasons))


def rating_payload(
    *, kiosk_id: str, reference: str, chosen: Chosen | None, level: int, reasons: tuple[str, ...], now: datetime,
    lang: str,
) -> dict[str, Any]:
    """The "rating" record (好差评): anonymous, linked to the visit only by its reference."""
    return {
        **_base(kiosk_id, reference, now, lang),
        "item_id": chosen.id if chosen else None,
        "service_ids": list(chosen.service_ids) if chosen else [],
        "level": level,
        "level_text": RATING_LEVELS[level].zh,
        "bad": level in BAD_LEVELS,
        "reasons": list(reasons),
    }


def check_report(category: str, text: str, phone: str) -> tuple[str, str]:
    """Validate a 办不成事 report; (text, phone) stripped."""
    if category not in REPORT_CATEGORIES:
        raise SessionError("bad_report", Text("请选择问题类型", f"unknown report category {category!r}"))
    text, phone = text.strip(), phone.strip()
    if len(text) > REPORT_MAX_CHARS:
        raise SessionError(
            "bad_report", Text(f"描述请不要超过{REPORT_MAX_CHARS}字", f"at most {REPORT_MAX_CHARS} characters")
        )
    if category == "other" and not text:
        raise SessionError("bad_report", Text("请简单描述遇到的问题", "Please describe the problem"))
    if phone and not (MOBILE_RE.fullmatch(phone) or LANDLINE_RE.fullmatch(phone)):
        raise SessionError(
            "bad_report", Text("联系电话请填写11位手机号或带区号的固定电话", "Enter a mobile or landline number")
        )
    return text, phone


def report_payload(
    *, kiosk_id: str, reference: str, category: str, text: str, phone: str, identity: Identity | None,
    chosen: Chosen | None, now: datetime, lang: str,
) -> dict[str, Any]:
    """The "report" record (办不成事 反映); names the citizen only if they identified themselves."""
    return {
        **_base(kiosk_id, reference, now, lang),
        "category": category,
        "category_text": REPORT_CATEGORIES[category].zh,
        "text": text,
        "phone": phone,
        "item_id": chosen.id if chosen else None,
        "name": identity.name if identity else "",
        "id_number": identity.id_number if identity else "",
    }


def appointment_payload(
    *, kiosk_id: str, reference: str, department: str, slot: Slot, identity: Identity, now: datetime, lang: str
) -> dict[str, Any]:
    """The "appointment" record (预约): slot, department and the person (real-name booking)."""
    return {
        **_base(kiosk_id, reference, now, lang),
        "department": department,
        "slot_start": slot.start.isoformat(),
        "slot_end": slot.end.isoformat(),
        "name": identity.name,
        "id_number": identity.id_number,
    }


def ticket_payload(
    *, kiosk_id: str, number: str, department: str, offline: bool, waiting_ahead: int | None, now: datetime,
    lang: str,
) -> dict[str, Any]:
    """The "ticket" record (取号): anonymous; the hall learns which numbers the kiosk handed out."""
    return {
        **_base(kiosk_id, number, now, lang),
        "number": number,
        "department": department,
        "offline": offline,
        "waiting_ahead": waiting_ahead,
    }


def cancellation_payload(
    *, kiosk_id: str, booking: KeptBooking, identity: Identity, now: datetime, lang: str
) -> dict[str, Any]:
    """An "appointment" record with ``"action": "cancel"``: the booking ``reference`` is withdrawn by its holder."""
    return {
        **_base(kiosk_id, booking.reference, now, lang),
        "action": "cancel",
        "department": booking.department,
        "slot_start": booking.start.isoformat(),
        "slot_end": booking.end.isoformat(),
        "name": identity.name,
        "id_number": identity.id_number,
    }
