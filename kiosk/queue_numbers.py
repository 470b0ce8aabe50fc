"""Queue numbers a person can hear called: a department letter and three digits ("A023").

While the hall's queue system answers, it issues the numbers. When it does not (the network is down), every
kiosk issues its own, and they must never clash, with no kiosk asking another: the hall config gives each kiosk
its place among the hall's kiosks (``kiosk.position`` of ``kiosk.hall_kiosks``), and kiosk ``p`` of ``k`` issues
only the numbers ``n`` with ``n % k == p % k`` (kiosk 1 of 3: 001, 004, 007 …; kiosk 2: 002, 005 …), counted
per department and day in its own store. Two kiosks can then never hand out the same number on one day. A
kiosk that runs past 999 in a day goes on with four digits (A1002): still unique, still short.

Letters follow the catalog's department order, skipping I and O (heard and read as 1 and 0); a catalog of more
than 24 departments starts the alphabet again, so the count is kept per letter (two departments sharing a
letter share one sequence, and a number stays unique).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_RE = re.compile(r"([A-Z])(\d{3,})")


def department_letters(departments: Iterable[str]) -> dict[str, str]:
    """Department key -> its letter, in the order given (the catalog's), the alphabet again after Z."""
    return {key: LETTERS[i % len(LETTERS)] for i, key in enumerate(departments)}


@dataclass(frozen=True)
class TicketNumbering:
    """The numbers this kiosk (``position`` of the hall's ``kiosks``, from 1) may issue."""

    position: int = 1
    kiosks: int = 1
    digits: int = 3

    def __post_init__(self) -> None:
        if not 1 <= self.position <= self.kiosks:
            raise ValueError(f"kiosk position {self.position} is not between 1 and {self.kiosks}")
        if self.digits < 1:
            raise ValueError("digits must be at least 1")

    def value(self, n: int) -> int:
        """The number of this kiosk's ``n``-th ticket (from 1) of a department on one day."""
        if n < 1:
            raise ValueError(f"ticket count starts at 1, got {n}")
        return (n - 1) * self.kiosks + self.position

    def number(self, letter: str, n: int) -> str:
        """The ``n``-th ticket's number as called: "A023"."""
        if len(letter) != 1 or letter not in LETTERS:
            raise ValueError(f"not a queue letter: {letter!r}")
        return f"{letter}{self.value(n):0{self.digits}d}"

    def issuer(self, number: str) -> int:
        """The position of the kiosk that issues ``number`` (ValueError for anything else)."""
        m = NUMBER_RE.fullmatch(number)
        if m is None:
            raise ValueError(f"not a queue number: {number!r}")
        return (int(m.group(2)) - 1) % self.kiosks + 1
