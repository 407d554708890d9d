"""Read the JSON document that ``adstxt audit --output-format json`` writes (version 1).

The document is read defensively: it is an input like any other. Whatever is not the
documented shape (not JSON, not an object, no ``adstxt_audit`` version, a member of the
wrong type) is an :class:`AuditFormatError` that names the place (a JSON pointer); members
this reader does not know are ignored, as the format asks of readers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from adstxt.report._model import (
    AuditSection,
    ExpectedLine,
    Gap,
    InputProblem,
    PublisherRow,
    SellerRow,
)

__all__ = ["AuditFormatError", "parse_audit", "read_audit"]


class AuditFormatError(ValueError):
    """The document is not an audit result this reader understands."""


def _get(
    where: Mapping[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    at: str,
    default: Any = ...,
) -> Any:
    """Member ``key`` of the object at JSON pointer ``at``, checked to be of ``kind``.

    Without ``default`` the member is required; with a default it may be absent, and with
    ``None`` as default it may also be null.
    """
    value = where.get(key, default)
    if value is ...:
        raise AuditFormatError(f"{at}/{key} is missing")
    if value is None and default is None:
        return None
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise AuditFormatError(f"{at}/{key}: expected {_name(kind)}, found a boolean")
    if not isinstance(value, kind):
        raise AuditFormatError(f"{at}/{key}: expected {_name(kind)}, found {_json_type(value)}")
    return value


def _name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true or false",
        list: "an array",
        dict: "an object",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "an object",
    }.get(type(value), "a value")


_NUMBER = (int, float)


def _items(where: Mapping[str, Any], key: str, at: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of an array member, each with its pointer."""
    values = _get(where, key, list, at, [])
    out = []
    for index, value in enumerate(values):
        pointer = f"{at}/{key}/{index}"
        if not isinstance(value, dict):
            raise AuditFormatError(f"{pointer}: expected an object, found {_json_type(value)}")
        out.append((pointer, value))
    return out


def _counts(where: Mapping[str, Any], key: str, at: str) -> dict[str, int]:
    values = _get(where, key, dict, at, {})
    out = {}
    for name, count in values.items():
        if isinstance(count, bool) or not isinstance(count, int):
            raise AuditFormatError(
                f"{at}/{key}/{name}: expected a number, found {_json_type(count)}"
            )
        out[str(name)] = count
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _problems(document: Mapping[str, Any]) -> list[InputProblem]:
    return [
        InputProblem(
            _text(_get(item, "file", str, at, None)),
            int(_get(item, "line", _NUMBER, at, 0) or 0),
            _text(_get(item, "severity", str, at, "")),
            _text(_get(item, "message", str, at, "")),
        )
        for at, item in _items(document, "input_problems", "")
    ]


def _forward(document: Mapping[str, Any], audit: AuditSection) -> None:
    publishers = _text(_get(document, "publishers_file", str, "", None))
    texts: dict[int, str] = {}
    for at, item in _items(document, "expected", ""):
        expected = ExpectedLine(
            number=int(_get(item, "number", int, at)),
            text=_get(item, "text", str, at),
            type=_text(_get(item, "type", str, at, "")),
            present=int(_get(item, "present", int, at)),
            coverage=float(_get(item, "coverage", _NUMBER, at)),
            statuses=tuple(_counts(item, "statuses", at).items()),
        )
        texts[expected.number] = expected.text
        audit.expected.append(expected)
    for at, item in _items(document, "publishers", ""):
        gaps = []
        for where, finding in _items(item, "findings", at):
            number = _get(finding, "expected", int, where)
            gaps.append(
                Gap(
                    texts.get(number, f"expected line {number}"),
                    _get(finding, "status", str, where),
                    _text(_get(finding, "message", str, where, "")),
                )
            )
        present = _get(item, "present", list, at, [])
        line = int(_get(item, "line", int, at, 0))
        file = _get(item, "file", dict, at, None) or {}
        problem = _text(_get(file, "problem", str, f"{at}/file", None))
        if not problem:
            # A line that names no domain is told of among the problems of the inputs.
            problem = next(
                (
                    p.message
                    for p in audit.problems
                    if p.line == line and p.file == publishers and p.severity == "error"
                ),
                "",
            )
        audit.publishers.append(
            PublisherRow(
                publisher=_get(item, "publisher", str, at),
                line=line,
                status=_get(item, "status", str, at),
                coverage=float(_get(item, "coverage", _NUMBER, at, 0)),
                present=len(present),
                gaps=tuple(gaps),
                patch=_text(_get(item, "patch", str, at, None)),
                problem=problem,
            )
        )
    audit.inputs += [
        (name, _text(_get(document, key, str, "", None)))
        for name, key in (("Expected lines", "expect_file"), ("Publishers", "publishers_file"))
    ]


def _reverse(document: Mapping[str, Any], audit: AuditSection) -> None:
    for at, item in _items(document, "sellers", ""):
        seller_id = _get(item, "seller_id", (str, int), at, None)
        audit.sellers.append(
            SellerRow(
                seller_id=_text(seller_id),
                seller_type=_text(_get(item, "seller_type", str, at, None)),
                name=_text(_get(item, "name", str, at, None)),
                domain=_text(_get(item, "domain", str, at, None)),
                expected=_text(_get(item, "expected", str, at, None)),
                status=_get(item, "status", str, at),
                failure=bool(_get(item, "failure", bool, at, False)),
                message=_text(_get(item, "message", str, at, "")),
            )
        )
    audit.inputs += [
        (name, _text(_get(document, key, str, "", None)))
        for name, key in (("Ad system", "ad_system"), ("sellers.json", "sellers_file"))
    ]


_FIGURES = {
    "expect": (
        ("Publishers", "publishers"),
        ("Expected lines", "expected_lines"),
        ("Complete", "complete"),
        ("Incomplete", "incomplete"),
        ("Unreadable", "unreadable"),
    ),
    "sellers": (
        ("Sellers", "sellers"),
        ("Checked", "checked"),
        ("Listed", "listed"),
        ("Failures", "failures"),
    ),
}


def parse_audit(data: bytes) -> AuditSection:
    """An audit's JSON document as the report shows it."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        where = ""
        if isinstance(error, json.JSONDecodeError):
            where = f" (line {error.lineno}, column {error.colno})"
        raise AuditFormatError(f"not JSON{where}") from None
    if not isinstance(document, dict):
        raise AuditFormatError(f"expected a JSON object, found {_json_type(document)}")
    version = document.get("adstxt_audit")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise AuditFormatError(
            "not an 'adstxt audit --output-format json' result (no adstxt_audit version)"
        )
    kind = document.get("kind")
    if kind not in _FIGURES:
        raise AuditFormatError(f"/kind: expected 'expect' or 'sellers', found {json.dumps(kind)}")
    audit = AuditSection(kind=kind, tool=_text(_get(document, "tool", str, "", None)))
    audit.inputs.append(("Source", _text(_get(document, "source", str, "", None))))
    audit.problems = _problems(document)
    if kind == "expect":
        _forward(document, audit)
    else:
        _reverse(document, audit)
    summary = _get(document, "summary", dict, "", {})
    audit.statuses = _counts(summary, "statuses", "/summary")
    for name, key in _FIGURES[kind]:
        value = _get(summary, key, int, "/summary", None)
        if value is not None:
            audit.figures.append((name, f"{value:,}"))
    coverage = _get(summary, "coverage", _NUMBER, "/summary", None)
    if coverage is not None:
        audit.figures.append(("Coverage", f"{coverage:.1f}%"))
    audit.inputs = [(name, value) for name, value in audit.inputs if value]
    return audit


def read_audit(path: str | os.PathLike[str]) -> AuditSection:
    """Read an audit's JSON file; OSError when it cannot be read, AuditFormatError when it
    is not an audit result."""
    with open(path, "rb") as file:
        return parse_audit(file.read())
