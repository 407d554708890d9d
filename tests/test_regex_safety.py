"""No regular expression in the package can backtrack catastrophically.

Every compiled pattern held at module level anywhere in ``adstxt`` is parsed and its syntax
tree searched for the shapes that make a backtracking engine exponential: an unbounded
repeat that contains another unbounded repeat (``(a+)+``, ``(\\s*x*)*``), unless every pass
through the outer repeat needs a character that the inner ones cannot consume (``(\\.x+)*``
matches one way only). Bounded repeats (``{0,61}``) and single repeats are linear.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest

import adstxt

try:  # the parser module's name since Python 3.11
    from re import _constants as constants  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as constants  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

REPEATS = {constants.MAX_REPEAT, constants.MIN_REPEAT}
OPTIONAL = {"h11"}


def _modules() -> Iterator[Any]:
    yield adstxt
    for info in pkgutil.walk_packages(adstxt.__path__, "adstxt."):
        if info.name == "adstxt.__main__":
            continue  # running it is the command itself
        try:
            yield importlib.import_module(info.name)
        except ImportError as error:  # an optional extra that is not installed
            if error.name not in OPTIONAL:
                raise


def _patterns() -> list[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    found = {}
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__}.{name}"] = value
    return sorted(found.items())


def _unbounded(node: tuple[Any, Any]) -> bool:
    op, args = node
    return op in REPEATS and args[1] == constants.MAXREPEAT


def _children(node: tuple[Any, Any]) -> Iterator[tuple[Any, Any]]:
    op, args = node
    if op in REPEATS:
        yield from args[2]
    elif op == constants.SUBPATTERN:
        yield from args[-1]
    elif op == constants.BRANCH:
        for branch in args[1]:
            yield from branch
    elif op in (constants.ASSERT, constants.ASSERT_NOT):
        yield from args[1]


_ANY = frozenset(range(0x110000))
_CATEGORIES = {
    constants.CATEGORY_SPACE: frozenset(map(ord, " \t\n\r\f\v")),
    constants.CATEGORY_DIGIT: frozenset(range(0x30, 0x3A)),
}


def _first_chars(node: tuple[Any, Any]) -> frozenset[int]:
    """The characters a node's match can start with (everything, when unsure)."""
    op, args = node
    if op == constants.LITERAL:
        return frozenset((args,))
    if op == constants.IN:
        chars: set[int] = set()
        for item_op, item in args:
            if item_op == constants.LITERAL:
                chars.add(item)
            elif item_op == constants.RANGE:
                chars.update(range(item[0], item[1] + 1))
            elif item_op == constants.CATEGORY and item in _CATEGORIES:
                chars.update(_CATEGORIES[item])
            else:
                return _ANY
        return frozenset(chars)
    if op == constants.BRANCH:
        return frozenset().union(*(_first_chars(b[0]) if b else _ANY for b in args[1]))
    if op == constants.SUBPATTERN and args[-1]:
        return _first_chars(next(iter(args[-1])))
    if op in REPEATS and args[0] > 0 and args[2]:
        return _first_chars(next(iter(args[2])))
    return _ANY  # an optional start, an anchor...: anything may come first


def _repeated_chars(nodes: Any) -> frozenset[int]:
    """Every character an unbounded repeat anywhere in ``nodes`` can consume."""
    chars: frozenset[int] = frozenset()
    for node in nodes:
        inner = list(_children(node))
        if _unbounded(node):
            chars |= frozenset().union(*(_first_chars(n) for n in inner)) if inner else _ANY
        chars |= _repeated_chars(inner)
    return chars


def _delimited(body: list[tuple[Any, Any]]) -> bool:
    """Each pass through ``body`` needs a character that none of its inner repeats can eat.

    Such a pass has one way to match only, as in ``(?:\\.[a-z]+)*``: linear.
    """
    inner = _repeated_chars(body)
    return any(node[0] not in REPEATS and not (_first_chars(node) & inner) for node in body)


def _nested_unbounded(nodes: Any, inside: bool = False) -> bool:
    for node in nodes:
        if _unbounded(node) and inside:
            return True
        body = list(_children(node))
        guarded = _unbounded(node) and _delimited(body)
        if _nested_unbounded(body, (inside or _unbounded(node)) and not guarded):
            return True
    return False


PATTERNS = _patterns()


def test_patterns_were_found() -> None:
    assert len(PATTERNS) > 10


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_nested_unbounded_repeat(name: str, pattern: re.Pattern[Any]) -> None:
    source = pattern.pattern
    text = source.decode("latin-1") if isinstance(source, bytes) else source
    flags = pattern.flags & ~re.UNICODE if isinstance(source, bytes) else pattern.flags
    tree = parser.parse(text, flags)
    assert not _nested_unbounded(list(tree)), f"{name}: {text!r} nests unbounded repeats"


def test_the_check_itself_catches_a_catastrophic_pattern() -> None:
    assert _nested_unbounded(list(parser.parse(r"^(a+)+$")))
    assert _nested_unbounded(list(parser.parse(r"(?:\s*,\s*\w+)*x")))
    assert not _nested_unbounded(list(parser.parse(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")))
    assert not _nested_unbounded(list(parser.parse(r"[a-z]+(?:\.[a-z0-9-]+)*")))
    assert _nested_unbounded(list(parser.parse(r"(?:[a-z.]*\.[a-z]+)*")))
