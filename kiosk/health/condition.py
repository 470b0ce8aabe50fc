"""The condition language of the maintenance rules, parsed without ``eval``::

    device.printer.faults contains paper_out
    device.id_reader.state in [absent, fault]
    disk.free_pct < 10 and not maintenance.on
    outbox.oldest_pending_age_s > 3600

Grammar: ``or``/``and``/``not``, parentheses, and comparisons ``PATH OP LITERAL`` with ``< <= > >= == !=``,
``contains`` (list/string/table membership) and ``in [..]``; a bare ``PATH`` tests truthiness. A literal is a
number, ``true``/``false``, a quoted string, a bare word (a string: ``paper_out``) or a ``[list]``. A path names
a value in the nested metrics dict by dots. A comparison against a missing value is false, so a rule about a
device this kiosk does not have never fires. Ordering comparisons need numbers on both sides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Condition = Callable[[Mapping[str, Any]], bool]


class RuleError(ValueError):
    """A rule's condition cannot be parsed; names the rule and the position."""



_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?\d+(?:\.\d+)?)
      | (?P<str>"[^"]*"|'[^']*')
      | (?P<op><=|>=|==|!=|<|>)
      | (?P<punct>[\[\](),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "contains", "in", "true", "false"})
_MISSING = object()


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleError(f"unexpected character {text[pos:].lstrip()[:1]!r} at {pos}")
        group = m.lastgroup or ""
        value = m.group(group)
        kind = "kw" if group == "word" and value in _KEYWORDS else group
        tokens.append((kind, value, m.start(group)))
        pos = m.end()
    return tokens


def _lookup(metrics: Mapping[str, Any], path: str) -> Any:
    value: Any = metrics
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is _MISSING:
        return False
    if op in ("<", "<=", ">", ">="):
        if not (_is_number(left) and _is_number(right)):
            return False
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "contains":
        try:
            return right in left
        except TypeError:
            return False
    if op == "in":
        return isinstance(right, list) and left in right
    raise AssertionError(op)  # the parser only produces the operators above


class _Parser:
    """Recursive descent over the token list; builds closures so evaluation is a few calls per rule."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def parse(self) -> Condition:
        if not self.tokens:
            raise RuleError("empty condition")
        cond = self._or()
        if self.i != len(self.tokens):
            raise self._error("unexpected")
        return cond

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _error(self, what: str) -> RuleError:
        tok = self._peek()
        if tok is None:
            return RuleError(f"{what} end of condition")
        return RuleError(f"{what} {tok[1]!r} at {tok[2]}")

    def _accept(self, kind: str, value: str | None = None) -> bool:
        tok = self._peek()
        if tok and tok[0] == kind and (value is None or tok[1] == value):
            self.i += 1
            return True
        return False

    def _or(self) -> Condition:
        parts = [self._and()]
        while self._accept("kw", "or"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda m: any(p(m) for p in parts))

    def _and(self) -> Condition:
        parts = [self._not()]
        while self._accept("kw", "and"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else (lambda m: all(p(m) for p in parts))

    def _not(self) -> Condition:
        if self._accept("kw", "not"):
            inner = self._not()
            return lambda m: not inner(m)
        if self._accept("punct", "("):
            inner = self._or()
            if not self._accept("punct", ")"):
                raise self._error("expected ')' before")
            return inner
        return self._comparison()

    def _comparison(self) -> Condition:
        tok = self._peek()
        if tok is None or tok[0] != "word":
            raise self._error("expected a metric name before")
        self.i += 1
        path = tok[1]
        nxt = self._peek()
        if nxt and (nxt[0] == "op" or (nxt[0] == "kw" and nxt[1] in ("contains", "in"))):
            self.i += 1
            op = nxt[1]
            right = self._literal()
            if op == "in" and not isinstance(right, list):
                raise RuleError(f"'in' needs a [list] after it (at {nxt[2]})")
            if op in ("<", "<=", ">", ">=") and not _is_number(right):
                raise RuleError(f"{op!r} needs a number after it (at {nxt[2]})")
            return lambda m: _compare(op, _lookup(m, path), right)
        return lambda m: bool((v := _lookup(m, path)) is not _MISSING and v)

    def _literal(self) -> Any:
        tok = self._peek()
        if tok is None:
            raise self._error("expected a value at")
        kind, value, _ = tok
        if kind == "punct" and value == "[":
            self.i += 1
            items: list[Any] = []
            if self._accept("punct", "]"):
                return items
            while True:
                items.append(self._literal())
                if self._accept("punct", "]"):
                    return items
                if not self._accept("punct", ","):
                    raise self._error("expected ',' or ']' before")
        self.i += 1
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "str":
            return value[1:-1]
        if kind == "kw" and value in ("true", "false"):
            return value == "true"
        if kind == "word":
            return value
        self.i -= 1
        raise self._error("expected a value before")


def compile_condition(text: str) -> Condition:
    """Parse ``text`` into a predicate over a metrics dict; raises :class:`RuleError`."""
    return _Parser(text).parse()

