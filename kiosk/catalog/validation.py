"""From bytes to a :class:`~kiosk.catalog.model.Catalog`: decode, check the structure, check the references.

The structure (which fields, of which types, which values) is ``kiosk/data/catalog.schema.json``, checked with
jsonschema; a violation becomes a :class:`CatalogError` whose ``where`` is the path to the bad field, written
the way a catalog author finds it (``services[1] (svc_b).fields[0] (applicant_name).kind``). What a schema cannot
say is checked here in code: ids that must exist (a bundle's services, a service's department) or be unique
across entries, one field key meaning one thing in every service, patterns that compile.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from kiosk.catalog.model import (
    Bundle,
    Catalog,
    CatalogError,
    Choice,
    FieldSpec,
    Material,
    Notice,
    Service,
    Text,
)
from kiosk.patterns import UnsafePattern, check_pattern

MAX_CATALOG_BYTES = 8 * 1024 * 1024  # the shipped catalog is ~0.5 MB; anything far bigger is not a catalog

_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
_TYPE_NAMES = {"boolean": "true or false", "string": "a string", "integer": "an integer", "number": "a number",
               "array": "a list", "object": "an object", "null": "null"}  # fmt: skip
_NOTICE_TEXTS = ("conditions", "time_limit", "fee", "result")


def shipped_catalog_path() -> Path:
    """The catalog shipped inside the package (``kiosk/data/catalog.json``)."""
    return Path(str(resources.files("kiosk").joinpath("data", "catalog.json")))


def schema_path() -> Path:
    """The catalog's JSON Schema (``kiosk/data/catalog.schema.json``)."""
    return Path(str(resources.files("kiosk").joinpath("data", "catalog.schema.json")))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every local ``{"$ref": "#/$defs/x"}`` replaced by the definition (the schema has no cycles).

    jsonschema resolves a reference each time it is used; inlined, checking the shipped catalog takes half as long.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


@functools.cache
def _validator() -> Draft202012Validator:
    # Read on first use, not on import; the schema is part of the firmware, so once per process is enough.
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


# ------------------------------------------------------------------------------------------ schema errors


def _json_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    for kind, python in (("string", str), ("integer", int), ("number", float), ("array", list), ("object", dict)):
        if isinstance(value, python):
            return _TYPE_NAMES[kind]
    return "null"


def _where(doc: Any, error: ValidationError) -> str:
    """The path to the bad value: ``catalog.departments``, ``services[0] (svc_a).notice.fee.zh``..."""
    out, node = "", doc
    for step in error.absolute_path:
        node = node[step]
        if isinstance(step, int):
            label = node.get("id", node.get("key")) if isinstance(node, dict) else None
            out += f"[{step}]" + (f" ({label})" if isinstance(label, str) and _ID.fullmatch(label) else "")
        else:
            out += f".{step}"
    if "propertyNames" in error.absolute_schema_path:  # the bad thing is a key of the object, not a value
        out += f".{error.instance}"
    path = list(error.absolute_path)
    # Entries of the two big lists are named on their own, as an author searching the file would call them.
    if len(path) >= 2 and path[0] in ("services", "bundles") and isinstance(path[1], int):
        return out[1:]
    return "catalog" + out


def _problem(error: ValidationError) -> str:
    """What was expected, in the words the kiosk always used (the schema's ``x-messages`` first)."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    messages = error.schema.get("x-messages", {}) if isinstance(error.schema, dict) else {}
    if keyword in messages:
        return str(messages[keyword]).format(value=repr(value))
    if keyword == "type":
        return f"expected {_TYPE_NAMES.get(str(expected), str(expected))}, got {_json_name(value)}"
    if keyword == "required":
        missing = next((k for k in expected if k not in value), expected[0])
        return f"missing required field {missing!r}"
    if keyword == "additionalProperties" and expected is False:
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(value) - set(allowed))
        return f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
    if keyword in ("minItems", "minProperties", "minLength") and expected == 1:
        return "must not be empty"
    if keyword == "minimum":
        return f"expected at least {expected}, got {value}"
    if keyword == "const":
        return f"expected {json.dumps(expected)}, got {json.dumps(value, ensure_ascii=False)}"
    if keyword == "enum":
        return f"{value!r} is not one of {', '.join(sorted(str(v) for v in expected))}"
    return error.message


def check_structure(data: Any) -> None:
    """Check ``data`` against the catalog's JSON Schema; the first violation as a :class:`CatalogError`."""
    error = next(_validator().iter_errors(data), None)
    if error is not None:
        raise CatalogError(_where(data, error), _problem(error))


# ------------------------------------------------------------------------------------------ the model


def _text(obj: dict[str, str]) -> Text:
    return Text(obj["zh"], obj["en"], obj.get("mn", ""))


def _optional_text(obj: dict[str, Any], key: str) -> Text | None:
    return _text(obj[key]) if key in obj else None


def _material(obj: dict[str, Any]) -> Material:
    return Material(_text(obj["name"]), obj.get("copies", 1), obj.get("original", True), _optional_text(obj, "note"))


def _field_spec(obj: dict[str, Any]) -> FieldSpec:
    choices = tuple(Choice(c["value"], _text(c["label"])) for c in obj.get("choices", ()))
    return FieldSpec(obj["key"], _text(obj["label"]), obj.get("kind", "text"), obj.get("required", True),
                     obj.get("prefill"), choices, obj.get("max_length"), obj.get("pattern"),
                     _optional_text(obj, "help"))  # fmt: skip


def _service(obj: dict[str, Any]) -> Service:
    n = obj["notice"]
    notice = Notice(tuple(_material(m) for m in n["materials"]), tuple(_text(b) for b in n["basis"]),
                    **{k: _text(n[k]) for k in _NOTICE_TEXTS})  # fmt: skip
    return Service(obj["id"], _text(obj["name"]), obj["department"], notice,
                   tuple(_field_spec(f) for f in obj["fields"]), obj["online_only"], obj["standalone"],
                   obj["prints_document"], obj["assurance"], obj["query"])  # fmt: skip


def _bundle(obj: dict[str, Any]) -> Bundle:
    summary = _text(obj["summary"]) if "summary" in obj else Text("", "")
    return Bundle(obj["id"], obj["number"], _text(obj["name"]), tuple(obj["services"]),
                  tuple(_material(m) for m in obj["materials"]), summary)  # fmt: skip


# ------------------------------------------------------------------------------------------ references


def _unique(items: Iterable[Any], where: str, what: str) -> None:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            raise CatalogError(where, f"{what} {item!r} appears twice")
        seen.add(item)


def _check_service(service: Service, where: str, departments: dict[str, Text]) -> None:
    if service.department not in departments:
        raise CatalogError(f"{where}.department", f"{service.department!r} is not a key of 'departments'")
    _check_request_kind(service, where)
    _unique((f.key for f in service.fields), f"{where}.fields", "field key")
    for i, spec in enumerate(service.fields):
        at = f"{where}.fields[{i}] ({spec.key})"
        _unique((c.value for c in spec.choices), f"{at}.choices", "choice value")
        try:
            check_pattern(spec.pattern or "")
        except UnsafePattern as exc:  # invalid, or one that could stall the screen (ReDoS)
            raise CatalogError(f"{at}.pattern", str(exc)) from None


def _check_request_kind(service: Service, where: str) -> None:
    """A query is answered online and prints nothing; a typed ID number never reaches anyone's personal data."""
    if service.query and (service.prints_document or not service.online_only):
        raise CatalogError(f"{where}.query", "a query is online_only and prints no document")
    if service.assurance == "typed" and (not service.query or any(f.prefill for f in service.fields)):
        raise CatalogError(
            f"{where}.assurance",
            "'typed' is only for a query about no one in particular (no field prefilled from the identity): a typed "
            "ID number may not query, print or submit a personal application",
        )


def _check_field_keys_agree(services: dict[str, Service]) -> None:
    """One key is one datum everywhere, so any bundle's forms merge (kiosk/forms.py refuses conflicts)."""
    first: dict[str, tuple[str, FieldSpec]] = {}
    for service in services.values():
        for spec in service.fields:
            other_id, other = first.setdefault(spec.key, (service.id, spec))
            where = f"service {service.id!r} field {spec.key!r}"
            for attr in ("kind", "prefill", "pattern"):
                a, b = getattr(other, attr), getattr(spec, attr)
                if a != b and (attr == "kind" or None not in (a, b)):
                    raise CatalogError(where, f"{attr} {b!r} differs from {a!r} in service {other_id!r}")
            if {c.value for c in other.choices} != {c.value for c in spec.choices}:
                raise CatalogError(where, f"choices differ from those in service {other_id!r}")


def _check_bundle(bundle: Bundle, where: str, services: dict[str, Service]) -> None:
    for i, sid in enumerate(bundle.services):
        if sid not in services:
            raise CatalogError(f"{where}.services[{i}]", f"no service with id {sid!r}")
    _unique(bundle.services, f"{where}.services", "service")


def check_references(catalog: Catalog, service_list: list[Service], bundle_list: list[Bundle]) -> None:
    """The checks across entries; ``*_list`` are the entries in document order (duplicates included)."""
    for i, service in enumerate(service_list):
        _check_service(service, f"services[{i}] ({service.id})", catalog.departments)
    _unique((s.id for s in service_list), "catalog.services", "service id")
    _check_field_keys_agree(catalog.services)
    for i, bundle in enumerate(bundle_list):
        _check_bundle(bundle, f"bundles[{i}] ({bundle.id})", catalog.services)
    # needs_hall() and the session look an id up in both tables, so one id must name one thing.
    _unique([*catalog.services, *(b.id for b in bundle_list)], "catalog.bundles", "id (services and bundles share ids)")
    _unique((b.number for b in bundle_list), "catalog.bundles", "bundle number")


# ------------------------------------------------------------------------------------------ entry points


def parse_catalog(data: Any) -> Catalog:
    """Validate a decoded catalog document and build the :class:`Catalog`; :class:`CatalogError` says what's wrong."""
    check_structure(data)
    service_list = [_service(s) for s in data["services"]]
    bundle_list = [_bundle(b) for b in data["bundles"]]
    catalog = Catalog(
        data["version"],
        {k: _text(v) for k, v in data["departments"].items()},
        {s.id: s for s in service_list},
        {b.id: b for b in bundle_list},
        dict(data.get("extras", {})),
    )
    check_references(catalog, service_list, bundle_list)
    return catalog


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    # json keeps the last of two equal keys without a word, which would hide a copy-paste mistake.
    out = dict(pairs)
    if len(out) != len(pairs):
        _unique((k for k, _ in pairs), "catalog", "JSON object key")
    return out


def _reject_constant(name: str) -> Any:
    raise CatalogError("catalog", f"{name} is not valid JSON")


def parse_catalog_bytes(raw: bytes) -> Catalog:
    """Decode (UTF-8 JSON), validate and build a catalog; every problem is a :class:`CatalogError`."""
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError("catalog", f"{len(raw)} bytes is more than the limit of {MAX_CATALOG_BYTES}")
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise CatalogError("catalog", f"not UTF-8 text (bad byte at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CatalogError("catalog", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise CatalogError("catalog", "JSON nested too deeply") from None
    return parse_catalog(data)


def load_catalog(path: Path) -> Catalog:
    """Read and validate the catalog file at ``path``; unreadable or invalid files raise :class:`CatalogError`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    return parse_catalog_bytes(raw)
