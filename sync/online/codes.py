"""Codes the hall signs: certificate verification codes and phone sign-in codes (HMAC-SHA256, hall secret).

Verification code (printed on a certificate, with the QR ``KSV1|<hall>|<code>``): 5 random bytes and the first 5
bytes of their MAC, in base32, as ``XXXX-XXXX-XXXX-XXXX``. A code the hall did not make fails the MAC; a made one
is then looked up in the hall's register of issued certificates.

Sign-in code (what the citizen's phone shows, usually as a QR code): ``KSP1-`` and the base32 of 6 random bytes, a
4-byte expiry time and the first 8 bytes of their MAC. Forged codes fail the MAC, expired ones the clock; the
hall's store makes each one single-use. The random part names the issued code in the store (which holds whom it
was issued for), so a code carries no personal data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

SIGNIN_PREFIX = "KSP1"
VERIFY_QR_PREFIX = "KSV1"
_TYPO = str.maketrans({"0": "O", "1": "I", "8": "B"})  # base32 has no 0, 1, 8: read them as the letters


class CodeRefused(ValueError):
    """A sign-in code that cannot be accepted; ``reason`` is ``invalid`` (forged, mistyped) or ``expired``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignInToken:
    """A checked sign-in code: its random part (hex) and when it expires."""

    nonce: str
    expires_at: float


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


class Codes:
    """Makes and checks the hall's codes with its secret."""

    def __init__(self, secret: bytes, *, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the hall secret must have at least 16 bytes")
        self._secret = secret
        self._clock = clock

    def _mac(self, label: bytes, data: bytes, n: int) -> bytes:
        return hmac.new(self._secret, label + data, hashlib.sha256).digest()[:n]

    # --------------------------------------------------------------------------------- verification codes
    def new_verification_code(self) -> str:
        """A fresh verification code ``XXXX-XXXX-XXXX-XXXX``."""
        nonce = os.urandom(5)
        text = _b32(nonce + self._mac(b"KSV1", nonce, 5))
        return "-".join(text[i : i + 4] for i in range(0, 16, 4))

    def verification_code(self, code: str) -> str | None:
        """The canonical form of ``code`` (also from a ``KSV1|hall|code`` QR) if the hall made it, else None."""
        if code.startswith(VERIFY_QR_PREFIX + "|"):
            code = code.rsplit("|", 1)[-1]
        text = _clean(code).translate(_TYPO)
        if len(text) != 16:
            return None
        try:
            raw = _unb32(text)
        except ValueError:
            return None
        if not hmac.compare_digest(raw[5:], self._mac(b"KSV1", raw[:5], 5)):
            return None
        return "-".join(text[i : i + 4] for i in range(0, 16, 4))

    # ------------------------------------------------------------------------------------- sign-in codes
    def new_signin_code(self, ttl_s: float = 120.0) -> tuple[str, SignInToken]:
        """A fresh sign-in code valid for ``ttl_s`` seconds, and its token (for the store)."""
        nonce = os.urandom(6)
        expires = int(self._clock() + ttl_s)
        payload = nonce + struct.pack(">I", expires)
        code = f"{SIGNIN_PREFIX}-{_b32(payload + self._mac(b'KSP1', payload, 8))}"
        return code, SignInToken(nonce.hex(), float(expires))

    def check_signin_code(self, code: str) -> SignInToken:
        """The token of a genuine, unexpired code; :class:`CodeRefused` otherwise (single use is the store's)."""
        text = _clean(code)
        if not text.startswith(SIGNIN_PREFIX):
            raise CodeRefused("invalid")
        try:
            raw = _unb32(text[len(SIGNIN_PREFIX) :].translate(_TYPO))
        except ValueError:
            raise CodeRefused("invalid") from None
        if len(raw) != 18 or not hmac.compare_digest(raw[10:], self._mac(b"KSP1", raw[:10], 8)):
            raise CodeRefused("invalid")
        (expires,) = struct.unpack(">I", raw[6:10])
        if self._clock() > expires:
            raise CodeRefused("expired")
        return SignInToken(raw[:6].hex(), float(expires))
