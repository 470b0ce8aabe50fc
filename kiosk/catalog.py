"""The service catalog: single services and "one thing" bundles (高效办成一件事), as validated data.

The model below is the contract used by forms, the session, receipts and the shell. A catalog is one JSON
document (``kiosk/data/catalog.json`` ships with the firmware) whose objects carry exactly the fields of these
dataclasses, plus ``"schema": 1`` at the top; a typo in a key is refused, never ignored. Parsing, validation and
the atomic replacement of the installed catalog (:class:`CatalogRepository`) live here too.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from kiosk.atomicfile import write_atomic

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_CATALOG_BYTES = 8 * 1024 * 1024  # the shipped catalog is ~0.5 MB; anything far bigger is not a catalog
# Identity attributes a field may be prefilled from (kiosk/forms.py reads the same names off an Identity).
PREFILL_NAMES = frozenset({"name", "id_number", "sex", "nation", "birth_date", "address", "authority"})


@dataclass(frozen=True)
class Text:
    """A text in Simplified Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh" or "en"); Chinese when the English is missing."""
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Choice:
    """One option of a choice field."""

    value: str
    label: Text


FIELD_KINDS = frozenset({"text", "id_number", "phone", "date", "choice", "number", "address", "name"})


@dataclass(frozen=True)
class FieldSpec:
    """One form field. ``key`` is the deduplication key across a bundle's services (一表申请)."""

    key: str
    label: Text
    kind: str = "text"
    required: bool = True
    prefill: str | None = None  # Identity attribute, one of PREFILL_NAMES
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    pattern: str | None = None  # regex the whole value must match (after strip)
    help: Text | None = None


@dataclass(frozen=True)
class Material:
    """One item of the materials list of a one-time notice (一次告知)."""

    name: Text
    copies: int = 1
    original: bool = True
    note: Text | None = None


@dataclass(frozen=True)
class Notice:
    """The one-time notice (一次告知): what the citizen needs to know before applying."""

    materials: tuple[Material, ...]
    basis: tuple[Text, ...]  # legal basis (设定依据)
    conditions: Text  # 受理条件
    time_limit: Text  # 办结时限
    fee: Text  # 收费标准
    result: Text  # 办理结果


@dataclass(frozen=True)
class Service:
    """A single government service (单件事) offered at the kiosk or as part of a bundle."""

    id: str
    name: Text
    department: str  # key of Catalog.departments
    notice: Notice
    fields: tuple[FieldSpec, ...]
    online_only: bool = False  # can only be done while the hall server is reachable
    standalone: bool = True  # offered on its own in the department lists (False: only inside bundles)
    prints_document: bool = False  # the result is printed at the kiosk (参保证明打印...)


@dataclass(frozen=True)
class Bundle:
    """A "one thing" bundle (一件事): several services applied for with one form and one set of materials."""

    id: str
    number: int  # 序号 in Appendix A of the standard
    name: Text
    services: tuple[str, ...]  # Service ids, in the order they are handled
    materials: tuple[Material, ...]  # the bundle's one set of materials (材料准备), verbatim
    summary: Text = Text("", "")


@dataclass(frozen=True)
class Catalog:
    """A whole validated catalog."""

    version: str
    departments: dict[str, Text]
    services: dict[str, Service]
    bundles: dict[str, Bundle]
    extras: dict[str, str] = field(default_factory=dict)


def bundle_services(catalog: Catalog, bundle_id: str) -> list[Service]:
    """The services of bundle ``bundle_id`` in the order they are handled; KeyError for an unknown id."""
    if bundle_id not in catalog.bundles:
        raise KeyError(f"no bundle {bundle_id!r} in catalog {catalog.version}")
    return [catalog.services[s] for s in catalog.bundles[bundle_id].services]


def standalone_services(catalog: Catalog, department: str | None = None) -> list[Service]:
    """The services offered on their own, in catalog order: ``department``'s, or all when None."""
    return [s for s in catalog.services.values() if s.standalone and department in (None, s.department)]


def needs_hall(catalog: Catalog, service_or_bundle_id: str) -> bool:
    """Whether the service or bundle can only be done while the hall server is reachable.

    A bundle needs the hall when any of its services does. KeyError for an unknown id.
    """
    if service_or_bundle_id in catalog.services:
        return catalog.services[service_or_bundle_id].online_only
    return any(s.online_only for s in bundle_services(catalog, service_or_bundle_id))


class CatalogError(Exception):
    """A catalog that cannot be used. ``where`` names the entry and field, ``problem`` says what was expected."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


# ---------------------------------------------------------------------------------------------- parsing

_SLUG = re.compile(r"[a-z][a-z0-9_]{0,63}")
_MISSING: Any = object()
_JSON_NAMES = {bool: "true or false", str: "a string", int: "an integer", float: "a number", list: "a list",
               dict: "an object"}
_NOTICE_TEXTS = ("conditions", "time_limit", "fee", "result")


def _expect(value: Any, expected: type, where: str) -> Any:
    # bool is an int in Python but never a valid integer here ("copies": true is a mistake, not 1).
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise CatalogError(where, f"expected {_JSON_NAMES[expected]}, got {_JSON_NAMES.get(type(value), 'null')}")
    return value


def _take(obj: dict, key: str, expected: type, where: str, default: Any = _MISSING) -> Any:
    if key in obj:
        return _expect(obj[key], expected, f"{where}.{key}")
    if default is _MISSING:
        raise CatalogError(where, f"missing required field {key!r}")
    return default


@functools.cache
def _allowed_keys(model: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(model)) | ({"schema"} if model is Catalog else set())


def _object(value: Any, where: str, model: type) -> dict:
    """``value`` as a JSON object whose keys are fields of the dataclass ``model`` (a typo is an error)."""
    allowed = _allowed_keys(model)
    unknown = sorted(_expect(value, dict, where).keys() - allowed)
    if unknown:
        raise CatalogError(where, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
    return value


def _slug(value: Any, where: str) -> str:
    if not _SLUG.fullmatch(_expect(value, str, where)):
        raise CatalogError(where, f"{value!r} is not an id (lowercase ascii letters, digits and _)")
    return value


def _positive(obj: dict, key: str, where: str, default: Any = _MISSING) -> Any:
    value = _take(obj, key, int, where, default)
    if value is not None and value < 1:
        raise CatalogError(f"{where}.{key}", f"expected at least 1, got {value}")
    return value


def _unique(items: list, where: str, what: str) -> None:
    seen = set()
    for item in items:
        if item in seen:
            raise CatalogError(where, f"{what} {item!r} appears twice")
        seen.add(item)


def _text(value: Any, where: str, *, allow_empty: bool = False) -> Text:
    obj = _object(value, where, Text)
    zh, en = _take(obj, "zh", str, where), _take(obj, "en", str, where)
    if not allow_empty and not zh.strip():
        raise CatalogError(f"{where}.zh", "must not be empty")
    return Text(zh, en)


def _optional_text(obj: dict, key: str, where: str) -> Text | None:
    return _text(obj[key], f"{where}.{key}") if key in obj else None


def _list(obj: dict, key: str, where: str, item: Callable[[Any, str], Any], *, non_empty: bool) -> tuple:
    values = _take(obj, key, list, where)
    if non_empty and not values:
        raise CatalogError(f"{where}.{key}", "must not be empty")
    return tuple(item(v, f"{where}.{key}[{i}]") for i, v in enumerate(values))


def _material(value: Any, where: str) -> Material:
    obj = _object(value, where, Material)
    name = _text(_take(obj, "name", dict, where), f"{where}.name")
    return Material(name, _positive(obj, "copies", where, 1), _take(obj, "original", bool, where, True),
                    _optional_text(obj, "note", where))


def _notice(value: Any, where: str) -> Notice:
    obj = _object(value, where, Notice)
    texts = {k: _text(_take(obj, k, dict, where), f"{where}.{k}") for k in _NOTICE_TEXTS}
    return Notice(_list(obj, "materials", where, _material, non_empty=True),
                  _list(obj, "basis", where, _text, non_empty=True), **texts)


def _choice(value: Any, where: str) -> Choice:
    obj = _object(value, where, Choice)
    if not _take(obj, "value", str, where):
        raise CatalogError(f"{where}.value", "must not be empty")
    return Choice(obj["value"], _text(_take(obj, "label", dict, where), f"{where}.label"))


def _field_spec(value: Any, where: str) -> FieldSpec:
    obj = _object(value, where, FieldSpec)
    key = _slug(_take(obj, "key", str, where), f"{where}.key")
    where = f"{where} ({key})"
    kind = _take(obj, "kind", str, where, "text")
    if kind not in FIELD_KINDS:
        raise CatalogError(f"{where}.kind", f"{kind!r} is not one of {', '.join(sorted(FIELD_KINDS))}")
    prefill = _take(obj, "prefill", str, where, None)
    if prefill is not None and prefill not in PREFILL_NAMES:
        raise CatalogError(f"{where}.prefill", f"{prefill!r} is not one of {', '.join(sorted(PREFILL_NAMES))}")
    choices = _list(obj, "choices", where, _choice, non_empty=True) if "choices" in obj else ()
    if (kind == "choice") != bool(choices):
        raise CatalogError(where, "only choice fields have choices" if choices else "a choice field needs 'choices'")
    _unique([c.value for c in choices], f"{where}.choices", "choice value")
    pattern = _take(obj, "pattern", str, where, None)
    try:
        re.compile(pattern or "")
    except re.error as exc:
        raise CatalogError(f"{where}.pattern", f"not a valid regular expression: {exc}") from None
    label = _text(_take(obj, "label", dict, where), f"{where}.label")
    return FieldSpec(key, label, kind, _take(obj, "required", bool, where, True), prefill, choices,
                     _positive(obj, "max_length", where, None), pattern, _optional_text(obj, "help", where))


def _service(value: Any, where: str, departments: dict[str, Text]) -> Service:
    obj = _object(value, where, Service)
    sid = _slug(_take(obj, "id", str, where), f"{where}.id")
    where = f"{where} ({sid})"
    department = _take(obj, "department", str, where)
    if department not in departments:
        raise CatalogError(f"{where}.department", f"{department!r} is not a key of 'departments'")
    specs = _list(obj, "fields", where, _field_spec, non_empty=False)
    _unique([f.key for f in specs], f"{where}.fields", "field key")
    flags = [_take(obj, k, bool, where) for k in ("online_only", "standalone", "prints_document")]
    return Service(sid, _text(_take(obj, "name", dict, where), f"{where}.name"), department,
                   _notice(_take(obj, "notice", dict, where), f"{where}.notice"), specs, *flags)


def _bundle(value: Any, where: str, services: dict[str, Service]) -> Bundle:
    obj = _object(value, where, Bundle)
    bid = _slug(_take(obj, "id", str, where), f"{where}.id")
    where = f"{where} ({bid})"
    ids = _list(obj, "services", where, lambda v, w: _expect(v, str, w), non_empty=True)
    for i, sid in enumerate(ids):
        if sid not in services:
            raise CatalogError(f"{where}.services[{i}]", f"no service with id {sid!r}")
    _unique(list(ids), f"{where}.services", "service")
    summary = _text(obj["summary"], f"{where}.summary", allow_empty=True) if "summary" in obj else Text("", "")
    return Bundle(bid, _positive(obj, "number", where), _text(_take(obj, "name", dict, where), f"{where}.name"),
                  ids, _list(obj, "materials", where, _material, non_empty=False), summary)


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


def _departments(obj: dict) -> dict[str, Text]:
    raw = _take(obj, "departments", dict, "catalog")
    if not raw:
        raise CatalogError("catalog.departments", "must not be empty")
    return {_slug(k, f"catalog.departments.{k}"): _text(v, f"catalog.departments.{k}") for k, v in raw.items()}


def parse_catalog(data: dict) -> Catalog:
    """Validate a decoded catalog document and build the :class:`Catalog`; :class:`CatalogError` says what's wrong."""
    obj = _object(data, "catalog", Catalog)
    schema = _take(obj, "schema", int, "catalog")
    if schema != SCHEMA_VERSION:
        raise CatalogError("catalog.schema", f"expected {SCHEMA_VERSION}, got {schema}")
    version = _take(obj, "version", str, "catalog")
    if not version.strip():
        raise CatalogError("catalog.version", "must not be empty")
    departments = _departments(obj)
    raw_services, raw_bundles = _take(obj, "services", list, "catalog"), _take(obj, "bundles", list, "catalog")
    service_list = [_service(v, f"services[{i}]", departments) for i, v in enumerate(raw_services)]
    _unique([s.id for s in service_list], "catalog.services", "service id")
    services = {s.id: s for s in service_list}
    _check_field_keys_agree(services)
    bundle_list = [_bundle(v, f"bundles[{i}]", services) for i, v in enumerate(raw_bundles)]
    # needs_hall() and the session look an id up in both tables, so one id must name one thing.
    _unique([*services, *(b.id for b in bundle_list)], "catalog.bundles", "id (services and bundles share ids)")
    _unique([b.number for b in bundle_list], "catalog.bundles", "bundle number")
    extras = _take(obj, "extras", dict, "catalog", {})
    for key, value in extras.items():
        _expect(value, str, f"catalog.extras.{key}")
    return Catalog(version, departments, services, {b.id: b for b in bundle_list}, dict(extras))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    # json keeps the last of two equal keys without a word, which would hide a copy-paste mistake.
    out = dict(pairs)
    if len(out) != len(pairs):
        _unique([k for k, _ in pairs], "catalog", "JSON object key")
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


def shipped_catalog_path() -> Path:
    """The catalog shipped inside the package (``kiosk/data/catalog.json``)."""
    return Path(str(resources.files("kiosk").joinpath("data", "catalog.json")))


# ---------------------------------------------------------------------------------------------- repository


def _file_identity(path: Path) -> tuple[int, int, int]:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    # os.replace gives a new inode, so even a same-size rewrite within one mtime tick is noticed.
    return st.st_ino, st.st_size, st.st_mtime_ns


class CatalogRepository:
    """This kiosk's catalog: the installed one (``<data_dir>/catalog/active.json``), else the shipped one.

    :meth:`install` replaces it atomically and only with a valid catalog, keeping the replaced one as
    ``previous.json``. Parsed catalogs are cached by file identity, so :meth:`active` normally costs one stat.
    """

    def __init__(self, data_dir: Path, shipped: Path | None = None) -> None:
        self.directory = Path(data_dir) / "catalog"
        self.active_path = self.directory / "active.json"
        self.previous_path = self.directory / "previous.json"
        self._shipped = shipped if shipped is not None else shipped_catalog_path()
        self._cache: dict[Path, tuple[tuple[int, int, int], Catalog]] = {}

    def active(self) -> Catalog:
        """The catalog in force. A damaged installed file falls back to ``previous.json``, then the shipped one."""
        if self.active_path.exists():
            for path in (self.active_path, self.previous_path):
                try:
                    return self._load(path)
                except CatalogError as exc:
                    log.error("installed catalog unusable, falling back: %s", exc)
        return self._load(self._shipped)

    def install(self, raw: bytes) -> Catalog:
        """Validate ``raw`` and make it the active catalog. On :class:`CatalogError` nothing on disk changes."""
        catalog = parse_catalog_bytes(raw)
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock():
            for leftover in self.directory.glob(".*.tmp"):  # from a write a crash or power cut interrupted
                log.warning("removing unfinished catalog write %s", leftover)
                leftover.unlink(missing_ok=True)
            with contextlib.suppress(CatalogError):  # a damaged old catalog is not worth keeping
                self._load(self.active_path)
                self._write_atomically(self.previous_path, self.active_path.read_bytes())
            self._write_atomically(self.active_path, raw)
            self._cache[self.active_path] = (_file_identity(self.active_path), catalog)
        log.info("catalog %s installed at %s", catalog.version, self.active_path)
        return catalog

    def _load(self, path: Path) -> Catalog:
        identity = _file_identity(path)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == identity:
            return cached[1]
        catalog = load_catalog(path)
        self._cache[path] = (identity, catalog)
        return catalog

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        # The UI and the sync agent may both install; one at a time, so neither removes the other's temp file.
        fd = os.open(self.directory / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write_atomically(self, target: Path, data: bytes) -> None:
        # After a crash the target is the old file or the new one, never a part of either.
        write_atomic(target, data)
