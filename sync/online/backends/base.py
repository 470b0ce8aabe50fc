"""Department backends: the interface an integrator implements for each department's real system.

The reference hall answers ``query`` and ``certificate`` requests by handing them to the backend of the
service's department (人社 human_resources, 医保 medical_insurance, 税务 tax, 司法 justice, ...). A backend is a
small class: it says which services it answers and returns :class:`Records` (a titled table) or raises

- :class:`NoRecord` - the department has nothing for this citizen (or this search),
- :class:`DepartmentDown` - the department's system cannot be reached or failed,
- :class:`BadParams` - the request's parameters cannot be used (a month range the wrong way round...).

Any other exception counts as ``department_down``. Calls run on the department's own worker threads, never on
the hall's network thread, and may block (a slow department only delays its own answers). The hall renders
certificates from the records (``sync/online/pdf.py``); a backend never writes files.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from kiosk.catalog import Text
from kiosk.identity import mask_id_number, mask_name


class NoRecord(Exception):
    """The department holds no record for this request."""


class DepartmentDown(Exception):
    """The department's system is unavailable."""


class BadParams(ValueError):
    """The request's parameters cannot be used; the message says which (never personal data)."""


@dataclass(frozen=True, repr=False)
class Citizen:
    """Who a request is about, as the kiosk established it."""

    name: str
    id_number: str
    assurance: str  # id_card | sscard | typed | phone_code

    def __repr__(self) -> str:
        return f"Citizen({mask_name(self.name)!r}, {mask_id_number(self.id_number)!r}, {self.assurance})"

    @classmethod
    def from_wire(cls, identity: Mapping[str, Any] | None) -> Citizen | None:
        """From a request's ``identity`` object (already schema-checked)."""
        if identity is None:
            return None
        return cls(identity["name"], identity["id_number"], identity["assurance"])


@dataclass(frozen=True)
class Col:
    """A column: key and title in Chinese and English."""

    key: str
    zh: str
    en: str


@dataclass(frozen=True, repr=False)
class Records:
    """What a department returns: a titled table of strings (each row follows ``columns``)."""

    title: Text
    columns: tuple[Col, ...]
    rows: tuple[tuple[str, ...], ...]
    note: Text | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError("every row needs one value per column")

    def __repr__(self) -> str:
        return f"Records({self.title.en!r}, rows={len(self.rows)})"

    def to_wire(self, service: str) -> dict[str, Any]:
        """The ``result`` of a query answer."""
        return {
            "service": service,
            "title": {"zh": self.title.zh, "en": self.title.en},
            "columns": [{"key": c.key, "title": {"zh": c.zh, "en": c.en}} for c in self.columns],
            "rows": [list(r) for r in self.rows],
            "note": None if self.note is None else {"zh": self.note.zh, "en": self.note.en},
        }


class DepartmentBackend(ABC):
    """One department's system. Subclass it, list the services, implement the two calls."""

    department: ClassVar[str]  # a department key of the catalog
    queries: ClassVar[frozenset[str]] = frozenset()  # service ids answered by query()
    certificates: ClassVar[frozenset[str]] = frozenset()  # service ids answered by certificate()

    @abstractmethod
    def query(self, service: str, citizen: Citizen | None, params: Mapping[str, str]) -> Records:
        """The records the department holds for ``citizen`` under ``service``."""

    @abstractmethod
    def certificate(self, service: str, citizen: Citizen, params: Mapping[str, str]) -> Records:
        """The content of the certificate ``service`` for ``citizen`` (the hall renders and signs it)."""


class CitizenDirectory(ABC):
    """Who an ID number belongs to (the phone sign-in answers with a name)."""

    @abstractmethod
    def name_of(self, id_number: str) -> str | None:
        """The registered name, or None for an unknown ID number."""


@dataclass
class Departments:
    """The hall's backends by service id, and the citizen directory."""

    backends: tuple[DepartmentBackend, ...]
    directory: CitizenDirectory

    def __init__(self, backends: Iterable[DepartmentBackend], directory: CitizenDirectory) -> None:
        self.backends = tuple(backends)
        self.directory = directory
        self._by_service: dict[tuple[str, str], DepartmentBackend] = {}
        for backend in self.backends:
            for kind, services in (("query", backend.queries), ("certificate", backend.certificates)):
                for service in services:
                    if (kind, service) in self._by_service:
                        raise ValueError(f"two backends answer {kind} {service}")
                    self._by_service[(kind, service)] = backend

    def backend_for(self, kind: str, service: str) -> DepartmentBackend | None:
        """The backend answering ``kind`` (query or certificate) for ``service``; None when no one does."""
        return self._by_service.get((kind, service))

    def services(self, kind: str) -> set[str]:
        """Every service id answered for ``kind``."""
        return {s for k, s in self._by_service if k == kind}
