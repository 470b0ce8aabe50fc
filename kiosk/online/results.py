"""Answers to online requests as plain data for the screens, and the visit's holder that forgets them.

Every answer except a progress status holds personal data. None of these classes shows it in ``repr`` (so it
cannot reach a log line or a traceback), none is ever written to disk, and a visit keeps them only in a
:class:`VisitAnswers`, which the screen process clears when the visit ends (the PDF bytes are overwritten).
The ``from_wire`` parsers raise ``ValueError`` (or ``KeyError``/``TypeError``) for an answer that does not fit;
the client turns that into ``bad_answer``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from kiosk.catalog import Text
from kiosk.identity import mask_id_number, mask_name
from kiosk.online.outcomes import Problem, Status, problem

T = TypeVar("T")

PROGRESS_STATUSES: dict[str, Text] = {
    "received": Text("已受理", "Received"),
    "in_review": Text("审核中", "In review"),
    "needs_materials": Text("需补充材料", "More documents needed"),
    "done": Text("已办结", "Done"),
}
ASSURANCES = ("id_card", "sscard", "typed", "phone_code")


def _text(value: Any) -> Text:
    if not isinstance(value, dict) or not isinstance(value.get("zh"), str) or not isinstance(value.get("en"), str):
        raise ValueError("expected a {zh, en} text")
    return Text(value["zh"], value["en"])


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: expected a string")
    return value


@dataclass(frozen=True)
class Column:
    """One column of a result table: its key and its title in both languages."""

    key: str
    title: Text


@dataclass(frozen=True, repr=False)
class Table:
    """A department record query's answer: a titled table of strings (rows follow ``columns``)."""

    service: str
    title: Text
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    note: Text | None = None

    def __repr__(self) -> str:
        return f"Table(service={self.service!r}, columns={len(self.columns)}, rows={len(self.rows)})"

    @classmethod
    def from_wire(cls, result: dict[str, Any]) -> Table:
        """Parse the ``result`` of an ``ok`` query answer."""
        columns = tuple(Column(_str(c["key"], "column key"), _text(c["title"])) for c in result["columns"])
        rows = []
        for row in result["rows"]:
            if not isinstance(row, list) or len(row) != len(columns):
                raise ValueError("every row must have one string per column")
            rows.append(tuple(_str(v, "cell") for v in row))
        note = _text(result["note"]) if result.get("note") is not None else None
        return cls(_str(result["service"], "service"), _text(result["title"]), columns, tuple(rows), note)


@dataclass(frozen=True, repr=False)
class Certificate:
    """A certificate rendered by the hall: an A4 PDF, its title and the code that verifies it.

    ``pdf`` is a bytearray so that :meth:`wipe` can overwrite it when the visit ends.
    """

    service: str
    title: Text
    pdf: bytearray
    verification_code: str
    issued_at: float
    pages: int

    def __repr__(self) -> str:
        return f"Certificate(service={self.service!r}, pages={self.pages}, bytes={len(self.pdf)})"

    def wipe(self) -> None:
        """Overwrite the PDF bytes in memory (the visit is over)."""
        self.pdf[:] = bytes(len(self.pdf))
        del self.pdf[:]

    @classmethod
    def from_wire(cls, result: dict[str, Any]) -> Certificate:
        """Parse the ``result`` of an ``ok`` certificate answer; the PDF must match its SHA-256."""
        try:
            pdf = bytearray(base64.b64decode(_str(result["pdf_base64"], "pdf_base64"), validate=True))
        except binascii.Error:
            raise ValueError("pdf_base64 is not base64") from None
        if not pdf.startswith(b"%PDF-"):
            raise ValueError("the document is not a PDF")
        if hashlib.sha256(pdf).hexdigest() != result["sha256"]:
            raise ValueError("the PDF does not match its sha256")
        pages = result["pages"]
        if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
            raise ValueError("pages: expected an integer >= 1")
        issued = result["issued_at"]
        if not isinstance(issued, int | float) or isinstance(issued, bool):
            raise ValueError("issued_at: expected a number")
        return cls(
            _str(result["service"], "service"),
            _text(result["title"]),
            pdf,
            _str(result["verification_code"], "verification_code"),
            float(issued),
            pages,
        )


@dataclass(frozen=True)
class Progress:
    """Where a submission stands (no personal data: the reference and the status only)."""

    reference: str
    status: str  # a key of PROGRESS_STATUSES
    updated_at: float
    service: Text | None = None
    note: Text | None = None

    @property
    def status_text(self) -> Text:
        """The status in plain words."""
        return PROGRESS_STATUSES[self.status]

    @property
    def date(self) -> date:
        """The local date of the last change."""
        return datetime.fromtimestamp(self.updated_at).date()

    @classmethod
    def from_wire(cls, result: dict[str, Any]) -> Progress:
        """Parse the ``result`` of an ``ok`` progress answer."""
        status = _str(result["status"], "status")
        if status not in PROGRESS_STATUSES:
            raise ValueError("unknown progress status")
        updated = result["updated_at"]
        if not isinstance(updated, int | float) or isinstance(updated, bool):
            raise ValueError("updated_at: expected a number")
        service = _text(result["service"]) if result.get("service") is not None else None
        note = _text(result["note"]) if result.get("note") is not None else None
        return cls(_str(result["reference"], "reference"), status, float(updated), service, note)


@dataclass(frozen=True, repr=False)
class SignIn:
    """Who signed in with a phone code, as the hall vouches: name, ID number, and how sure we are."""

    name: str
    id_number: str
    assurance: str = "phone_code"

    def __repr__(self) -> str:
        return f"SignIn(name={mask_name(self.name)!r}, id_number={mask_id_number(self.id_number)!r})"

    @classmethod
    def from_wire(cls, result: dict[str, Any]) -> SignIn:
        """Parse the ``result`` of an ``ok`` signin answer."""
        if result["assurance"] != "phone_code":
            raise ValueError("a phone sign-in must have the assurance level phone_code")
        return cls(_str(result["name"], "name"), _str(result["id_number"], "id_number"), "phone_code")


@dataclass(frozen=True, repr=False)
class Result(Generic[T]):
    """What a request came to: ``value`` when ``ok``, else ``problem`` (what happened, what to do)."""

    status: Status
    value: T | None = None
    problem: Problem | None = None
    error: str = ""  # technical detail for the maintenance log (never personal data)

    @property
    def ok(self) -> bool:
        """Whether the request succeeded."""
        return self.status is Status.OK

    def __repr__(self) -> str:
        return f"Result(status={self.status.value!r}, value={self.value!r})"

    @classmethod
    def failed(cls, status: Status | str, reason: str = "", error: str = "") -> Result[Any]:
        """A result for a non-ok outcome, with its plain-words problem."""
        p = problem(status, reason)
        return cls(p.status, None, p, error)


@dataclass(repr=False)
class VisitAnswers:
    """The answers a visit received, kept only until :meth:`clear` (call it when the visit ends)."""

    _items: list[Any] = field(default_factory=list)

    def keep(self, value: T) -> T:
        """Remember ``value`` for this visit and return it."""
        self._items.append(value)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"VisitAnswers({len(self._items)} answers)"

    def clear(self) -> None:
        """Forget every answer; certificates' PDF bytes are overwritten first."""
        for item in self._items:
            if isinstance(item, Certificate):
                item.wipe()
        self._items.clear()
