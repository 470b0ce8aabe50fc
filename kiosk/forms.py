"""One form for a whole bundle (一表申请): merged fields, prefill from the identity, citizen-friendly checks.

A bundle's services often ask for the same thing (the applicant's name, phone...). Fields with the same
``key`` are asked once; the first service that asks for a key gives its label. Values are plain strings;
dates are ``YYYY-MM-DD``, choices hold the choice's ``value``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from kiosk.catalog import PREFILL_NAMES, FieldSpec, Service, Text
from kiosk.identity import NATIONS, SEXES, Identity, validate_id_number
from kiosk.pattern_words import describe_pattern
from kiosk.patterns import full_match

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}")  # area code + local number, e.g. 0477-8581234
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER_RE = re.compile(r"\d+(\.\d+)?")
MAX_VALUE_LENGTH = 2000  # nobody types more on a kiosk; longer input is refused before it reaches a check

# Identity attributes a field may be prefilled from (the catalog validates against the same set); the
# typed-ID ones are derived from the number itself, so they are locked even without a card.
PREFILL_ATTRIBUTES = PREFILL_NAMES
TYPED_LOCKED_ATTRIBUTES = frozenset({"id_number", "sex", "birth_date"})
# A phone sign-in also fixes the name: the hall vouched for it.
PHONE_LOCKED_ATTRIBUTES = TYPED_LOCKED_ATTRIBUTES | {"name"}


class FormError(ValueError):
    """Services whose fields cannot be merged into one form (a catalog error, not a citizen error)."""


@dataclass(frozen=True)
class MergedForm:
    """The fields of one or more services, deduplicated by key, in first-seen order."""

    fields: tuple[FieldSpec, ...]
    sources: Mapping[str, tuple[str, ...]]  # field key -> ids of the services asking for it

    @property
    def keys(self) -> tuple[str, ...]:
        """The field keys in display order."""
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> FieldSpec:
        """The field with ``key``; KeyError when the form has none."""
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


def _merge_field(first: FieldSpec, other: FieldSpec, service_id: str) -> FieldSpec:
    """One field asked by two services: the strictest rules of both, the first label."""
    if other.kind != first.kind:
        raise FormError(f"field {first.key!r}: kind {first.kind!r} vs {other.kind!r} in service {service_id!r}")
    if first.choices and other.choices and {c.value for c in first.choices} != {c.value for c in other.choices}:
        raise FormError(f"field {first.key!r}: different choices in service {service_id!r}")
    if first.pattern and other.pattern and first.pattern != other.pattern:
        raise FormError(f"field {first.key!r}: different patterns in service {service_id!r}")
    lengths = [n for n in (first.max_length, other.max_length) if n is not None]
    return replace(
        first,
        required=first.required or other.required,
        prefill=first.prefill or other.prefill,
        choices=first.choices or other.choices,
        max_length=min(lengths) if lengths else None,
        pattern=first.pattern or other.pattern,
        help=first.help or other.help,
    )


def merge_forms(services: Iterable[Service]) -> MergedForm:
    """The one form for ``services`` (一表申请). Raises :class:`FormError` when one key has two kinds."""
    merged: dict[str, FieldSpec] = {}
    sources: dict[str, list[str]] = {}
    for service in services:
        for spec in service.fields:
            if spec.key in merged:
                merged[spec.key] = _merge_field(merged[spec.key], spec, service.id)
            else:
                merged[spec.key] = spec
            if service.id not in sources.setdefault(spec.key, []):
                sources[spec.key].append(service.id)
    return MergedForm(fields=tuple(merged.values()), sources={k: tuple(v) for k, v in sources.items()})


def _identity_value(spec: FieldSpec, identity: Identity) -> str:
    """The identity's value for a prefilled field, as the field stores it ("" when the identity has none)."""
    attr = spec.prefill or ""
    if attr not in PREFILL_ATTRIBUTES:
        return ""
    raw = getattr(identity, attr)
    if attr == "birth_date":
        return raw.isoformat()
    if attr in ("sex", "nation"):
        table = SEXES if attr == "sex" else NATIONS
        if attr == "sex" and raw == "0":
            return ""  # "unknown" is no answer; let the citizen choose
        return _coded_value(spec, raw, table)
    return str(raw)


def _coded_value(spec: FieldSpec, code: str, table: Mapping[str, Text]) -> str:
    """A sex/nation code as the field wants it: the matching choice value, else the Chinese name."""
    if not code:
        return ""
    text = table[code]
    if spec.kind != "choice":
        return text.zh
    short = text.zh.removesuffix("族")
    for choice in spec.choices:
        if choice.value == code or choice.label.zh in (text.zh, short) or choice.value in (text.zh, short):
            return choice.value
    return ""


def prefill(form: MergedForm, identity: Identity | None) -> dict[str, str]:
    """The values the identity gives for ``form``'s prefilled fields (only non-empty ones)."""
    if identity is None:
        return {}
    values = {spec.key: _identity_value(spec, identity) for spec in form.fields if spec.prefill}
    return {k: v for k, v in values.items() if v}


def locked_keys(form: MergedForm, identity: Identity | None) -> frozenset[str]:
    """Keys the citizen may not edit: everything a card filled in; for a typed ID, what the number fixes; for a
    phone sign-in, that and the name."""
    if identity is None:
        return frozenset()
    filled = prefill(form, identity)
    fixed = PHONE_LOCKED_ATTRIBUTES if identity.source == "phone_code" else TYPED_LOCKED_ATTRIBUTES
    locked = {spec.key for spec in form.fields if spec.key in filled and (identity.from_card or spec.prefill in fixed)}
    return frozenset(locked)


def _label(spec: FieldSpec) -> Text:
    return Text(spec.label.zh, spec.label.en or spec.label.zh)


def _msg(zh: str, en: str, spec: FieldSpec) -> Text:
    label = _label(spec)
    return Text(zh.format(label=label.zh), en.format(label=label.en))


def _is_birth_date(spec: FieldSpec) -> bool:
    # Birth dates (the applicant's, a newborn's) can never be in the future; other dates may be.
    return spec.prefill == "birth_date" or "birth" in spec.key


def _check_kind(spec: FieldSpec, value: str, today: date) -> Text | None:
    """The message for a value of the wrong shape for its field kind, or None."""
    kind = spec.kind
    if kind == "id_number":
        check = validate_id_number(value, today)
        return None if check.ok else check.message
    if kind == "phone" and not (MOBILE_RE.fullmatch(value) or LANDLINE_RE.fullmatch(value)):
        return _msg(
            "{label}请填写11位手机号，或带区号的固定电话（如0477-8581234）",
            "{label}: enter an 11-digit mobile number or a landline with area code (e.g. 0477-8581234)",
            spec,
        )
    if kind == "date":
        return _check_date(spec, value, today)
    if kind == "choice" and value not in {c.value for c in spec.choices}:
        return _msg("请从列表中选择{label}", "Please choose {label} from the list", spec)
    if kind == "number" and not NUMBER_RE.fullmatch(value):
        return _msg("{label}只能填写数字", "{label}: please enter digits only", spec)
    if kind == "name" and any(ch.isdigit() for ch in value):
        return _msg("{label}中不能有数字", "{label} cannot contain digits", spec)
    return None


def _check_date(spec: FieldSpec, value: str, today: date) -> Text | None:
    if not DATE_RE.fullmatch(value):
        return _msg("{label}请按“年-月-日”填写，如2024-05-01", "{label}: use year-month-day, e.g. 2024-05-01", spec)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return _msg("{label}不是一个真实的日期", "{label} is not a real date", spec)
    if _is_birth_date(spec) and day > today:
        return _msg("{label}不能晚于今天", "{label} cannot be after today", spec)
    return None


def check_value(spec: FieldSpec, value: str, today: date) -> Text | None:
    """The message for one field's value, or None when it is acceptable."""
    v = value.strip()
    if not v:
        return _msg("请填写{label}", "Please fill in {label}", spec) if spec.required else None
    if len(v) > MAX_VALUE_LENGTH or (spec.max_length is not None and len(v) > spec.max_length):
        limit = min(MAX_VALUE_LENGTH, spec.max_length or MAX_VALUE_LENGTH)
        return _msg(f"{{label}}最多填写{limit}个字", f"{{label}}: at most {limit} characters", spec)
    message = _check_kind(spec, v, today)
    if message is None and spec.pattern and not full_match(spec.pattern, v):
        hint = spec.help or describe_pattern(spec.pattern)  # the expected format, in words
        message = _msg(
            "{label}格式不正确" + (f"：{hint.zh}" if hint else ""),
            "{label} is not in the expected format" + (f": {hint.en or hint.zh}" if hint else ""),
            spec,
        )
    return message


def validate(form: MergedForm, values: Mapping[str, str], today: date | None = None) -> dict[str, Text]:
    """Messages for the fields of ``form`` whose value in ``values`` is not acceptable (empty: all good).

    ``today`` (default: the system date) is the limit for birth dates.
    """
    today = today or date.today()
    errors: dict[str, Text] = {}
    for spec in form.fields:
        message = check_value(spec, values.get(spec.key, ""), today)
        if message is not None:
            errors[spec.key] = message
    return errors


def display_value(spec: FieldSpec, value: str) -> Text:
    """How a stored value reads on the review screen: a choice's label, otherwise the value itself."""
    for choice in spec.choices:
        if choice.value == value:
            return choice.label
    return Text(value, value)
