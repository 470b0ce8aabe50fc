"""Catalog field patterns that cannot stall the screen.

A catalog comes from the hall, and a pattern such as ``(a+)+$`` makes a backtracking matcher take exponential
time: 26 typed characters took 2.3 s on the GUI thread. Two bounds, each enough on its own for the patterns a
form needs:

- :func:`check_pattern` refuses, when the catalog is validated, any pattern outside a safe subset: no repetition
  (other than ``?``) of a part that itself repeats or has alternatives, no backreferences, no lookaround. Every
  pattern of the shipped catalog (ID-like codes, amounts, dates) is inside it.
- :func:`full_match` matches with the ``regex`` module's timeout, so even a pattern that slipped through costs at
  most :data:`MATCH_TIMEOUT_S` per check; a timeout counts as "does not match" and is logged.
"""

from __future__ import annotations

import logging
import re
import re._constants as sre_constants  # the parse tree's node types (stable since 3.11)
import re._parser as sre_parse

import regex

log = logging.getLogger(__name__)

MATCH_TIMEOUT_S = 0.05  # a form check runs on the GUI thread: a frame or three at most

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
_REFUSED = {
    sre_constants.GROUPREF: "backreferences",
    sre_constants.GROUPREF_EXISTS: "conditional groups",
    sre_constants.ASSERT: "lookahead/lookbehind",
    sre_constants.ASSERT_NOT: "lookahead/lookbehind",
}


class UnsafePattern(ValueError):
    """A pattern outside the safe subset (or not a valid regular expression); the message says why."""


def check_pattern(pattern: str) -> None:
    """Raise :class:`UnsafePattern` unless ``pattern`` is a valid regex inside the safe subset."""
    try:
        tree = sre_parse.parse(pattern)
        regex.compile(pattern)
    except (re.error, regex.error) as exc:
        raise UnsafePattern(f"not a valid regular expression: {exc}") from None
    _check(tree, repeated=False)


def _check(items: sre_parse.SubPattern | list, *, repeated: bool) -> None:
    """Walk the parse tree; ``repeated``: we are inside a part that repeats more than once."""
    for op, arg in items:
        if op in _REFUSED:
            raise UnsafePattern(f"{_REFUSED[op]} are not allowed in a field pattern")
        if op in _REPEATS:
            _low, high, body = arg
            many = high > 1  # MAXREPEAT (unbounded) is a large int
            if many and repeated:
                raise UnsafePattern("a repeated part may not itself repeat (nested quantifiers)")
            if many and _has_repeat_or_branch(body):
                raise UnsafePattern("a repeated part may not contain quantifiers or alternatives")
            _check(body, repeated=repeated or many)
        elif op is sre_constants.SUBPATTERN:
            _check(arg[-1], repeated=repeated)
        elif op is sre_constants.BRANCH:
            if repeated:
                raise UnsafePattern("alternatives may not repeat")
            for branch in arg[1]:
                _check(branch, repeated=repeated)


def _has_repeat_or_branch(items: sre_parse.SubPattern | list) -> bool:
    for op, arg in items:
        if op in _REPEATS or op is sre_constants.BRANCH:
            return True
        if op is sre_constants.SUBPATTERN and _has_repeat_or_branch(arg[-1]):
            return True
    return False


def full_match(pattern: str, value: str, *, timeout_s: float = MATCH_TIMEOUT_S) -> bool:
    """Whether the whole of ``value`` matches ``pattern``; a match that runs past ``timeout_s`` counts as no."""
    try:
        return regex.fullmatch(pattern, value, timeout=timeout_s) is not None
    except TimeoutError:
        log.warning("field pattern timed out after %.3f s; value refused (pattern %r)", timeout_s, pattern)
        return False
