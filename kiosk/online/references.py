"""Reference numbers as citizens bring them back: typed from a receipt, or scanned from its QR code.

A receipt's QR payload is ``KSK1|<kiosk_id>|<reference>|<key prefix>`` (``kiosk.receipts``); the number printed
big on the receipt is ``<kiosk>-YYMMDD-nnnn``. Both lead to the same submission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.receipts import parse_qr_payload

RECEIPT_QR_PREFIX = "KSK1|"  # what a receipt's QR code starts with (kiosk.receipts.qr_payload)
SIGNIN_CODE_PREFIX = "KSP1"  # what the hall's phone sign-in codes start with (sync/online/codes.py SIGNIN_PREFIX)
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}-\d{6}-\d{4,}$")


@dataclass(frozen=True)
class ReferenceQuery:
    """What a citizen's reference text names: the reference, and from a QR also the kiosk and key prefix."""

    reference: str
    kiosk_id: str = ""
    key_prefix: str = ""


def is_reference(text: str) -> bool:
    """Whether ``text`` names an application (a typed reference or a receipt QR payload)."""
    try:
        parse_reference(text)
    except ValueError:
        return False
    return True


def parse_reference(text: str) -> ReferenceQuery:
    """A typed reference or a receipt QR payload; ValueError when it is neither."""
    raw = text.strip()
    if raw.startswith(RECEIPT_QR_PREFIX):
        ref = parse_qr_payload(raw)
        if not REFERENCE.fullmatch(ref.reference):
            raise ValueError("the QR code holds no reference number")
        return ReferenceQuery(ref.reference, ref.kiosk_id, ref.key_prefix)
    typed = raw.replace(" ", "")
    if not REFERENCE.fullmatch(typed):
        raise ValueError("not a reference number (like KSK-0001-270101-0007) nor a receipt QR code")
    return ReferenceQuery(typed)
