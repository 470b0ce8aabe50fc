"""The hall's signature on config and catalog downlinks: Ed25519 over the RFC 8785 canonical JSON of the message.

The broker ACL decides who may *publish* on a kiosk's down topics, but ``from`` and the ``sender`` property are
whatever the publisher writes. A config or catalog changes how the kiosk behaves for days, so it must come from
the hall itself: the hall signs it with its own Ed25519 key (``kiosk-hall pki``, ``signing.key``), and the kiosk,
given the public half at enrolment (``kiosk-provision enroll --hall-key``), verifies it before acting on it.

What is signed: the bytes ``DOMAIN`` followed by the JSON Canonicalization Scheme (RFC 8785) form of the whole
message without its ``sig`` field. JCS is what a hall written in any language can reproduce: object keys sorted
by their UTF-16 code units, no whitespace, strings escaped minimally, numbers as ECMAScript prints them (so
``150.0`` and ``150`` are the same number, ``1e-7`` not ``1e-07``). Integers must stay within ±2**53.

``sig`` is ``{"alg": "Ed25519", "key_id": <first 16 hex digits of SHA-256 of the raw public key>,
"value": <base64 of the 64-byte signature>}``. The message also names the kiosk it is for (``to``), so a
message signed for one kiosk cannot be replayed to another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG = "Ed25519"
DOMAIN = b"selfservice-kiosk downlink v1\n"  # a signature made for something else never verifies here
MAX_SAFE_INTEGER = 2**53 - 1


class SignatureError(ValueError):
    """A message that is not signed by the key this kiosk trusts; ``str()`` says why."""


# ------------------------------------------------------------------------------------------ canonical JSON


def canonical(value: Any) -> bytes:
    """The RFC 8785 (JCS) form of a JSON value as UTF-8 bytes; ``ValueError`` for what JSON cannot hold."""
    out: list[str] = []
    _emit(value, out)
    return "".join(out).encode("utf-8")


def _emit(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"integer {value} is beyond ±2**53: JSON numbers are IEEE doubles")
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16)):
            if not isinstance(key, str):
                raise ValueError(f"object key {key!r} is not a string")
            out.append("," if i else "")
            out.append(_string(key))
            out.append(":")
            _emit(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            out.append("," if i else "")
            _emit(item, out)
        out.append("]")
    else:
        raise ValueError(f"a {type(value).__name__} is not a JSON value")


def _utf16(key: Any) -> bytes:
    return str(key).encode("utf-16-be")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text: str) -> str:
    parts = ['"']
    for c in text:
        if c in _ESCAPES:
            parts.append(_ESCAPES[c])
        elif ord(c) < 0x20:
            parts.append(f"\\u{ord(c):04x}")
        else:
            parts.append(c)
    parts.append('"')
    return "".join(parts)


def _number(x: float) -> str:
    """ECMAScript's Number.prototype.toString for a finite double (what RFC 8785 prescribes)."""
    if not math.isfinite(x):
        raise ValueError(f"{x!r} is not a JSON number")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest round-trip digits; ``point`` is where the decimal point sits relative to them.
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    if whole == "0":
        lead = len(frac) - len(frac.lstrip("0"))
        digits, point = frac[lead:], -lead
    else:
        digits, point = whole + frac, len(whole)
    point += int(exp) if exp else 0
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))
    return sign + text


# ---------------------------------------------------------------------------------------------------- keys


def key_id(public: Ed25519PublicKey) -> str:
    """A short name for a public key: the first 16 hex digits of SHA-256 of its 32 raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def new_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 key."""
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM of a private key (unencrypted: the file's mode protects it)."""
    pkcs8, none = serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, pkcs8, none)


def public_pem(key: Ed25519PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM of a public key (what a kiosk is given)."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The hall's signing key from a PEM file; ``ValueError`` naming the file if it is not one."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: not a PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: the hall's signing key must be an Ed25519 key")
    return key


def load_public_key(data: bytes, source: str = "<key>") -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes; ``ValueError`` naming ``source`` if it is not one."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{source}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{source}: the hall's signing key must be an Ed25519 public key")
    return key


# ------------------------------------------------------------------------------------------ sign, verify


def signed_bytes(message: Mapping[str, Any]) -> bytes:
    """What the signature covers: ``DOMAIN`` + the canonical JSON of ``message`` without ``sig``."""
    return DOMAIN + canonical({k: v for k, v in message.items() if k != "sig"})


def sign(message: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """``message`` with its ``sig`` (replacing any earlier one)."""
    body = {k: v for k, v in message.items() if k != "sig"}
    value = key.sign(signed_bytes(body))
    return {**body, "sig": {"alg": ALG, "key_id": key_id(key.public_key()), "value": base64.b64encode(value).decode()}}


def verify(message: Mapping[str, Any], public: Ed25519PublicKey) -> None:
    """Raise :class:`SignatureError` unless ``message`` carries a valid signature by ``public``."""
    sig = message.get("sig")
    if not isinstance(sig, Mapping):
        raise SignatureError("sig: missing: config and catalog updates must be signed by the hall")
    if sig.get("alg") != ALG:
        raise SignatureError(f"sig/alg: expected {ALG!r}, got {sig.get('alg')!r}")
    trusted = key_id(public)
    if sig.get("key_id") != trusted:
        raise SignatureError(
            f"sig/key_id: signed with key {sig.get('key_id')!r}, this kiosk trusts the hall key {trusted!r} "
            "(a new hall key is installed with kiosk-provision enroll --hall-key)"
        )
    try:
        value = base64.b64decode(str(sig.get("value", "")), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("sig/value: not base64") from None
    try:
        public.verify(value, signed_bytes(message))
    except InvalidSignature:
        raise SignatureError("sig: the signature does not match the message (altered, or not the hall's)") from None
    except ValueError as exc:  # a value canonical JSON cannot hold
        raise SignatureError(f"sig: the message cannot be checked ({exc})") from None
