"""Positions inside JSON text: from a JSON path to offsets, and from offsets to line/column.

Decoding a document with :mod:`json` keeps no positions, so the few values that need a
diagnostic are found again afterwards by walking the text with the C scanner: object members
are stepped over one by one and array elements skipped until the wanted index. The text has
already decoded without error, so the walk cannot fail on valid input; anything unexpected
falls back to the start of the enclosing value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from json.decoder import scanstring  # type: ignore[attr-defined]
from json.scanner import make_scanner
from typing import Any, Final

from adstxt.diagnostics import Diagnostic
from adstxt.rules import RULES
from adstxt.sellers._schema import Issue, Path, pointer

__all__ = ["diagnostics_at", "element_starts", "resolve", "scan_value"]

_WS: Final = re.compile(r"[ \t\n\r]*")
_scan: Final[Callable[[str, int], tuple[Any, int]]] = make_scanner(
    json.JSONDecoder()  # type: ignore[arg-type]
)
_KEY_BEFORE: Final = re.compile(r'"seller_id"[ \t\r\n]*:[ \t\r\n]*\Z')
_PROBLEMS: Final = (ValueError, IndexError, KeyError, StopIteration, RecursionError)


def scan_value(text: str, pos: int) -> tuple[object, int]:
    """Decode the JSON value starting exactly at ``pos``; return it and where it ends."""
    return _scan(text, pos)


def _member(text: str, pos: int, key: str) -> tuple[int, int, int] | None:
    """Find ``key`` in the object at ``pos``: its key span and where its value starts."""
    i = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[i] == "}":
        return None
    while True:
        name, after = scanstring(text, i + 1)
        colon = _WS.match(text, after).end()  # type: ignore[union-attr]
        value = _WS.match(text, colon + 1).end()  # type: ignore[union-attr]
        if name == key:
            return i, after, value
        end = _scan(text, value)[1]
        i = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text[i] != ",":
            return None
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]


def element_starts(text: str, pos: int, wanted: Iterable[int]) -> dict[int, int]:
    """Start offsets of the ``wanted`` elements of the array at ``pos``, in one pass."""
    i = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[i] == "]":
        return {}
    return _walk(text, i, 0, set(wanted))


def _walk(text: str, i: int, index: int, targets: set[int]) -> dict[int, int]:
    """Step from element ``index``, which starts at ``i``, to the ``targets`` after it."""
    found: dict[int, int] = {}
    if not targets:
        return found
    last = max(targets)
    while index <= last:
        if index in targets:
            found[index] = i
            if index == last:
                break
        end = _scan(text, i)[1]
        i = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text[i] != ",":
            break
        i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        index += 1
    return found


def seller_starts(
    text: str,
    pos: int,
    wanted: Iterable[int],
    sellers: list[Any],
    unique: Callable[[int], bool],
) -> dict[int, int]:
    """Start offsets of the ``wanted`` entries of the sellers array at ``pos``.

    Walking the array decodes every entry before the last one wanted, which costs about as
    much as decoding the file. Instead each entry is searched by its ``seller_id`` text,
    forward from the previous one, and confirmed by decoding just that entry; an entry
    that cannot be found that way (a repeated ID, a number, an escaped character) is
    reached by walking from the last one found.
    """
    found: dict[int, int] = {}
    index, start = 0, _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[start] == "]":
        return found
    for target in sorted(set(wanted)):
        place = _search(text, start, sellers, target) if unique(target) else None
        if place is None:
            place = _walk(text, start, index, {target}).get(target)
            if place is None:
                break
        found[target] = place
        index, start = target, place
    return found


def _search(text: str, start: int, sellers: list[Any], target: int) -> int | None:
    """Where the entry ``sellers[target]`` starts, found by its seller_id after ``start``.

    The ID's JSON text is searched first (a plain substring search), and each hit is
    accepted only when a ``"seller_id":`` key precedes it and decoding the object around it
    gives back the entry.
    """
    entry = sellers[target]
    seller_id = entry.get("seller_id") if isinstance(entry, dict) else None
    if isinstance(seller_id, str) and len(seller_id) <= 256:
        literal = json.dumps(seller_id, ensure_ascii=False)
    elif type(seller_id) is int:
        literal = str(seller_id)
    else:
        return None
    # The usual layouts first: one search straight to the ID as its key introduces it.
    for layout in ('"seller_id": ', '"seller_id":'):
        at = text.find(layout + literal, start)
        if at != -1:
            place = _confirm(text, start, at, at + len(layout) + len(literal), entry)
            if place is not None:
                return place
    hit = text.find(literal, start)
    while hit != -1:
        key = _KEY_BEFORE.search(text, max(start, hit - 64), hit)
        after = text[hit + len(literal) : hit + len(literal) + 1]
        if key is not None and not (after.isdigit() or after in (".", "e", "E")):
            return _confirm(text, start, key.start(), hit + len(literal), entry)
        hit = text.find(literal, hit + 1)
    return None


def _confirm(text: str, start: int, key: int, end: int, entry: object) -> int | None:
    """The start of the object around a seller_id key at ``key`` whose value ends at ``end``,
    if that object is ``entry``."""
    after = text[end : end + 1]
    if after.isdigit() or after in (".", "e", "E"):
        return None  # only the start of a longer number
    brace = text.rfind("{", start, key)
    if brace == -1:
        return None
    try:
        value, _ = _scan(text, brace)
    except _PROBLEMS:
        return None
    return brace if value == entry else None


def resolve(text: str, pos: int, steps: Path, part: str) -> tuple[int, int]:
    """The span of ``steps`` below the value at ``pos`` (its key, value or opening brace)."""
    try:
        for n, step in enumerate(steps):
            if isinstance(step, int):
                starts = element_starts(text, pos, (step,))
                if step not in starts:
                    return pos, pos + 1
                pos = starts[step]
                continue
            found = _member(text, pos, step)
            if found is None:
                return pos, pos + 1
            if part == "key" and n == len(steps) - 1:
                return found[0], found[1]
            pos = found[2]
        if part == "object":
            return pos, pos + 1
        return pos, _scan(text, pos)[1]
    except _PROBLEMS:
        return pos, pos + 1


def _spans(
    text: str,
    issues: list[Issue],
    root: int,
    elements: dict[int, int] | None,
    sellers: tuple[list[Any], Callable[[int], bool]] | None,
) -> list[tuple[int, int]]:
    """One span per issue; the sellers array is walked once for all seller issues."""
    spans: list[tuple[int, int]] = [(root, root + 1)] * len(issues)
    per_seller = {
        n
        for n, issue in enumerate(issues)
        if len(issue.path) >= 2 and issue.path[0] == "sellers" and isinstance(issue.path[1], int)
    }
    starts: dict[int, int] = elements or {}
    if per_seller and elements is None:
        try:
            found = _member(text, root, "sellers")
            wanted: set[int] = {issues[n].path[1] for n in per_seller}  # type: ignore[misc]
            if found is not None and sellers is not None:
                starts = seller_starts(text, found[2], wanted, *sellers)
            elif found is not None:
                starts = element_starts(text, found[2], wanted)
        except _PROBLEMS:
            starts = {}
    for n, issue in enumerate(issues):
        if n in per_seller and issue.path[1] in starts:
            spans[n] = resolve(text, starts[issue.path[1]], issue.path[2:], issue.part)
        elif len(issue.path) < 2 or issue.path[0] != "sellers":
            spans[n] = resolve(text, root, issue.path, issue.part)
    return spans


def diagnostics_at(
    text: str,
    issues: list[Issue],
    *,
    root: int = 0,
    line: int = 1,
    column: int = 1,
    prefix: Path = (),
    elements: dict[int, int] | None = None,
    sellers: tuple[list[Any], Callable[[int], bool]] | None = None,
) -> list[Diagnostic]:
    """Turn issues about the value at offset ``root`` of ``text`` into diagnostics.

    ``line`` and ``column`` give the position of offset 0 of ``text`` in the whole file, so
    a slice of a larger file can be located; ``prefix`` is the path of that slice.
    ``elements`` gives the offsets of seller entries when the caller already knows them;
    ``sellers`` gives the decoded sellers array and a test of which entries have a seller_id
    of their own, so that entries can be found by searching instead of walking.
    """
    if not issues:
        return []
    spans = _spans(text, issues, root, elements, sellers)
    order = sorted(range(len(issues)), key=lambda n: spans[n][0])
    result: list[Diagnostic] = [None] * len(issues)  # type: ignore[list-item]
    current_line, line_start, done = line, -column + 1, 0
    per_issue_pointer = [pointer((*prefix, *issue.path)) for issue in issues]
    for n in order:
        start, end = spans[n]
        start = min(start, len(text))
        newlines = text.count("\n", done, start)
        if newlines:
            current_line += newlines
            line_start = text.rfind("\n", done, start) + 1
        done = start
        eol = text.find("\n", start, end)
        if eol != -1:
            end = eol
        col = start - line_start + 1
        issue = issues[n]
        result[n] = Diagnostic(
            code=issue.code,
            severity=RULES[issue.code].severity,
            line=current_line,
            column=col,
            end_column=col + max(0, min(end, len(text)) - start),
            message=issue.message,
            hint=issue.hint,
            pointer=per_issue_pointer[n],
        )
    return result
