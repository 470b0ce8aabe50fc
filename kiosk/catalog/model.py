"""The catalog's model: single services and "one thing" bundles (高效办成一件事), as frozen dataclasses.

The model is the contract used by forms, the session, receipts and the shell. A catalog document carries exactly
the fields of these dataclasses (``kiosk/data/catalog.schema.json`` says so to jsonschema); turning a document
into a :class:`Catalog` is :mod:`kiosk.catalog.validation`'s work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.languages import pick

SCHEMA_VERSION = 1
# Identity attributes a field may be prefilled from (kiosk/forms.py reads the same names off an Identity).
PREFILL_NAMES = frozenset({"name", "id_number", "sex", "nation", "birth_date", "address", "authority"})
FIELD_KINDS = frozenset({"text", "id_number", "phone", "date", "choice", "number", "address", "name"})
# How sure the kiosk must be of who the citizen is before a service may go on past its notice, weakest first:
# "typed" (an ID number typed on the keypad: anyone could know it), "phone_code" (signed in with the code of the
# regional government app or the electronic social security card), "card" (an ID card or a social security card
# on the reader). A typed number may book, take a ticket, read notices and report a problem, never query, print
# or submit a personal application: only a service about no one in particular (a public directory search) may
# ask for "typed" (kiosk.catalog.validation enforces it).
ASSURANCES = ("typed", "phone_code", "card")


class CatalogError(Exception):
    """A catalog that cannot be used. ``where`` names the entry and field, ``problem`` says what was expected."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class Text:
    """A text in Simplified Chinese and English, and optionally traditional Mongolian (``mn``)."""

    zh: str
    en: str
    mn: str = ""

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh", "en" or "mn"); Chinese when that language's version is missing."""
        return pick(lang, self.zh, self.en, self.mn)


@dataclass(frozen=True)
class Choice:
    """One option of a choice field."""

    value: str
    label: Text




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
    assurance: str = "card"  # the weakest identity accepted (ASSURANCES); bundles ask the strictest of theirs
    query: bool = False  # a department record query: the answer is shown at once, nothing is submitted


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


def strictest_assurance(services: Iterable[Service]) -> str:
    """The assurance a set of services asks for together (a bundle's, derived): the strictest of theirs."""
    return max((s.assurance for s in services), key=ASSURANCES.index, default=ASSURANCES[0])


def bundle_assurance(catalog: Catalog, bundle_id: str) -> str:
    """The assurance bundle ``bundle_id`` asks for (derived from its services); KeyError for an unknown id."""
    return strictest_assurance(bundle_services(catalog, bundle_id))


def needs_hall(catalog: Catalog, service_or_bundle_id: str) -> bool:
    """Whether the service or bundle can only be done while the hall server is reachable.

    A bundle needs the hall when any of its services does. KeyError for an unknown id.
    """
    if service_or_bundle_id in catalog.services:
        return catalog.services[service_or_bundle_id].online_only
    return any(s.online_only for s in bundle_services(catalog, service_or_bundle_id))
