"""Render diagnostics for people and machines: concise, full, JSON, GitHub and SARIF.

Text that comes from a checked file (messages quote it, the full format shows its lines)
is escaped before it is written, so a hostile file cannot send control characters, ANSI
sequences or forged line breaks to a terminal, a CI log or a code-scanning report.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from adstxt._text import Text, as_text
from adstxt.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from adstxt.rules import Rule

__all__ = [
    "DOCS_URL",
    "FileReport",
    "Style",
    "escape",
    "render",
    "render_statistics",
    "summary_line",
]


def _unsafe(code: int) -> bool:
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)
        or 0x200B <= code <= 0x200F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
        or 0xD800 <= code <= 0xDFFF
    )


def escape(text: str) -> str:
    """Text made safe to print: control, bidi and invisible characters become escapes."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            # A byte that was not valid UTF-8, kept by the decoder: show the byte itself.
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _unsafe(code):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _width(text: str) -> int:
    """Terminal columns taken by already-escaped text: wide East Asian characters count 2."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


@attrs.frozen
class Style:
    """ANSI colours, or none at all."""

    enabled: bool = False

    def paint(self, text: str, code: str) -> str:
        """``text`` wrapped in the SGR ``code`` when colour is on."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def severity(self, text: str, severity: Severity) -> str:
        """``text`` in the colour of a severity."""
        return self.paint(text, {"error": "1;31", "warning": "1;33", "info": "1;36"}[severity])


@attrs.define
class FileReport:
    """The diagnostics of one checked file, and its bytes for showing source lines."""

    path: str
    diagnostics: Sequence[Diagnostic]
    source: bytes | str | Text = b""

    def line(self, number: int) -> str:
        """The text of line ``number`` (1-based), or ``""`` past the end."""
        if not isinstance(self.source, Text):
            self.source = as_text(self.source)  # decoded once, on first use
        return self.source.line(number)


def _fix_note(diagnostic: Diagnostic) -> str:
    if diagnostic.fix is None:
        return ""
    kind = "fix" if diagnostic.fix.safe else "unsafe fix"
    return f"{kind}: {diagnostic.fix.description}"


def _concise(reports: Iterable[FileReport], style: Style) -> str:
    out = []
    for report in reports:
        path = style.paint(escape(report.path), "1")
        for d in report.diagnostics:
            out.append(
                f"{path}:{d.line}:{d.column}: {style.severity(d.code, d.severity)} "
                f"{escape(d.message)}\n"
            )
    return "".join(out)


def _caret_line(line: str, diagnostic: Diagnostic) -> tuple[str, str]:
    """The escaped source line, and a marker under the span the diagnostic covers."""
    start = min(max(diagnostic.column - 1, 0), len(line))
    end = min(max(diagnostic.end_column - 1, start), len(line))
    limit = 200
    shown_from = max(0, start - 40) if len(line) > limit else 0
    before = escape(line[shown_from:start])
    span = escape(line[start:end][:limit])
    after = escape(line[end : shown_from + limit]) if end < shown_from + limit else ""
    lead = "..." if shown_from else ""
    tail = "..." if len(line) > shown_from + limit else ""
    text = lead + before + span + after + tail
    marker = " " * _width(lead + before) + "^" * max(1, _width(span))
    return text, marker


def _full(reports: Iterable[FileReport], style: Style) -> str:
    out = []
    for report in reports:
        path = escape(report.path)
        for d in report.diagnostics:
            from adstxt.rules import RULES

            rule = RULES[d.code]
            head = (
                f"{style.paint(path, '1')}:{d.line}:{d.column}: "
                f"{style.severity(f'{d.severity.value}[{d.code}]', d.severity)} {rule.name}"
            )
            out.append(head + "\n")
            out.append(f"  {escape(d.message)}\n")
            source, marker = _caret_line(report.line(d.line), d)
            gutter = str(d.line)
            pad = " " * len(gutter)
            out.append(f"  {pad} |\n  {gutter} | {source}\n  {pad} | ")
            out.append(style.severity(marker, d.severity) + "\n")
            if d.pointer is not None:
                out.append(f"  {pad} = at JSON pointer {escape(d.pointer)}\n")
            if d.hint:
                out.append(f"  {pad} = hint: {escape(d.hint)}\n")
            note = _fix_note(d)
            if note:
                out.append(f"  {pad} = {escape(note)}\n")
            out.append("\n")
    return "".join(out)


def _fix_object(diagnostic: Diagnostic) -> dict[str, Any] | None:
    fix = diagnostic.fix
    if fix is None:
        return None
    return {
        "replacement": fix.replacement,
        "safe": fix.safe,
        "description": fix.description,
        "line": fix.line,
        "column": fix.column,
        "end_line": fix.end_line,
        "end_column": fix.end_column,
    }


def _json(reports: Iterable[FileReport]) -> str:
    import json

    items = [
        {
            "path": report.path,
            "line": d.line,
            "column": d.column,
            "end_column": d.end_column,
            "code": d.code,
            "name": d.name,
            "severity": d.severity.value,
            "message": d.message,
            "hint": d.hint,
            "fix": _fix_object(d),
            "pointer": d.pointer,
        }
        for report in reports
        for d in report.diagnostics
    ]
    # ensure_ascii keeps every character from the checked file as an escape sequence.
    return json.dumps(items, indent=2, ensure_ascii=True) + "\n"


def _github_data(text: str) -> str:
    return escape(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(reports: Iterable[FileReport]) -> str:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for report in reports:
        path = _github_property(report.path)
        for d in report.diagnostics:
            end = f",endColumn={d.end_column}" if d.end_column > d.column else ""
            title = _github_property(f"{d.code} {d.name}")
            message = d.message + (f" (hint: {d.hint})" if d.hint else "")
            out.append(
                f"::{levels[d.severity]} file={path},line={d.line},col={d.column}{end},"
                f"title={title}::{_github_data(message)}\n"
            )
    return "".join(out)


#: Where the documentation site is published; rule pages are ``rules/ADSnnn.html`` under it.
#: SARIF's ``helpUri`` must be absolute, so this is a full URL. ``ADSTXT_DOCS_URL`` overrides
#: it, for a mirror or for documentation built and hosted alongside a pinned version.
DOCS_URL = "https://adstxt.readthedocs.io/en/stable/"


# What RFC 3986 allows in a URI (percent-escapes included); anything else is not a URI.
_URI_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)


def _docs_base() -> str:
    """The documentation base URL, ending in ``/``: ``ADSTXT_DOCS_URL`` when it is usable."""
    import logging
    import os
    from urllib.parse import urlsplit

    base = os.environ.get("ADSTXT_DOCS_URL", "").strip()
    if not base:
        return DOCS_URL
    parts = urlsplit(base)
    absolute = (parts.scheme in ("http", "https") and parts.netloc) or (
        parts.scheme == "file" and parts.path.startswith("/")
    )
    if not absolute or not set(base) <= _URI_CHARACTERS or "?" in base or "#" in base:
        # A relative or malformed helpUri would make the whole log invalid SARIF, and page
        # paths cannot be appended after a query or a fragment.
        logging.getLogger("adstxt").warning(
            "ADSTXT_DOCS_URL must be an absolute http, https or file URL without a query or "
            "fragment; found %r, "
            "so rule links use %s", escape(base), DOCS_URL,
        )
        return DOCS_URL
    return base if base.endswith("/") else base + "/"


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_rule(rule: Rule, base: str) -> dict[str, Any]:
    """A rule's SARIF descriptor: its one-line summary and a link to its page, nothing run."""
    uri = f"{base}rules/{rule.code}.html"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {
            "text": rule.summary,
            # Code scanning shows help but not helpUri, so the link is in the help as well.
            "markdown": f"{rule.summary}\n\n[{rule.code} {rule.name}]({uri}): why it matters, "
            "examples, the fix and how to silence it.",
        },
        "helpUri": uri,
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"tags": [rule.category], "fix": rule.fix},
    }


def _sarif(reports: Sequence[FileReport]) -> str:
    import json
    from pathlib import Path
    from urllib.parse import quote

    from adstxt import __version__
    from adstxt.rules import RULES

    # Only the rules that fired are described (SARIF does not require the rest), in
    # registry order so the log is the same whatever order the files were checked in.
    fired = {d.code for report in reports for d in report.diagnostics}
    codes = [code for code in RULES if code in fired]
    index = {code: number for number, code in enumerate(codes)}
    base = _docs_base() if codes else ""  # read (and warned about) only when a rule links
    rules = [_sarif_rule(RULES[code], base) for code in codes]
    results = []
    for report in reports:
        path = Path(report.path)
        # Relative paths stay relative to the checkout, as code scanning expects.
        uri = path.as_uri() if path.is_absolute() else quote(path.as_posix(), safe="/")
        for d in report.diagnostics:
            region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
            if d.end_column > d.column:
                region["endColumn"] = d.end_column
            text = escape(d.message) + (f" (hint: {escape(d.hint)})" if d.hint else "")
            results.append(
                {
                    "ruleId": d.code,
                    "ruleIndex": index[d.code],
                    "level": _SARIF_LEVELS[d.severity],
                    "message": {"text": text},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": region,
                            }
                        }
                    ],
                }
            )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "adstxt-check",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def render(reports: Sequence[FileReport], output_format: str, style: Style) -> str:
    """All diagnostics of all files in one output format."""
    if output_format == "concise":
        return _concise(reports, style)
    if output_format == "full":
        return _full(reports, style)
    if output_format == "json":
        return _json(reports)
    if output_format == "github":
        return _github(reports)
    if output_format == "sarif":
        return _sarif(reports)
    raise ValueError(f"unknown output format {output_format!r}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary_line(reports: Sequence[FileReport], *, fixed: int = 0) -> str:
    """``Checked 3 files: 1 error, 2 warnings, 0 info; 2 fixable with --fix.``"""
    counts = Counter(d.severity for r in reports for d in r.diagnostics)
    fixable = sum(1 for r in reports for d in r.diagnostics if d.fix is not None and d.fix.safe)
    text = (
        f"Checked {_plural(len(reports), 'file')}: {_plural(counts[Severity.ERROR], 'error')}, "
        f"{_plural(counts[Severity.WARNING], 'warning')}, {_plural(counts[Severity.INFO], 'info')}"
    )
    if fixed:
        text += f"; fixed {_plural(fixed, 'problem')}"
    if fixable:
        text += f"; {fixable} fixable with --fix"
    return text + "."


def render_statistics(reports: Sequence[FileReport]) -> str:
    """One line per code: how often it was reported, its name, and ``[*]`` when fixable."""
    from adstxt.rules import RULES

    counts = Counter(d.code for r in reports for d in r.diagnostics)
    fixable = {
        d.code for r in reports for d in r.diagnostics if d.fix is not None and d.fix.safe
    }
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if code in fixable else "   "
        lines.append(f"{count:>{width}}  {code}  {mark} {RULES[code].name}\n")
    return "".join(lines)
