"""Render diagnostics for people and machines: concise, full, JSON, GitHub and SARIF.

Text that comes from a checked file (messages quote it, the full format shows its lines)
is escaped before it is written, so a hostile file cannot send control characters, ANSI
sequences or forged line breaks to a terminal, a CI log or a code-scanning report.
"""

from __future__ import annotations

import bisect
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring_ascii as _encode_string
from typing import IO, Any, TextIO

import attrs

from adstxt._text import Text, as_text
from adstxt.diagnostics import (
    Diagnostic,
    Severity,
    fast_positional_diagnostic,
    fast_positional_fix,
)
from adstxt.rules import RULES, Rule

__all__ = [
    "FileReport",
    "Style",
    "docs_base",
    "escape",
    "render",
    "render_statistics",
    "rule_page",
    "summary_line",
]


def _unsafe(code: int) -> bool:
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029, 0xFEFF)
        or 0x200B <= code <= 0x200F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
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
        return self.paint(text, _SEVERITY_COLOURS[severity])


_SEVERITY_COLOURS = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}


@attrs.define
class FileReport:
    """The diagnostics of one checked file, and its bytes for showing source lines."""

    path: str
    diagnostics: Sequence[Diagnostic] | Spooled
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


def _concise(path: str, d: Diagnostic, style: Style) -> str:
    message = d.message
    if not (message.isascii() and message.isprintable()):  # escape()'s own test, inlined
        message = escape(message)
    code = style.severity(d.code, d.severity) if style.enabled else d.code
    return f"{path}:{d.line}:{d.column}: {code} {message}\n"


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


def _full(path: str, d: Diagnostic, line: str, style: Style) -> str:
    rule = RULES[d.code]
    out = [
        f"{style.paint(path, '1')}:{d.line}:{d.column}: "
        f"{style.severity(f'{d.severity.value}[{d.code}]', d.severity)} {rule.name}\n",
        f"  {escape(d.message)}\n",
    ]
    source, marker = _caret_line(line, d)
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


def _value(value: str | int | bool | None) -> str:
    """A JSON scalar as ``json.dumps`` writes it (ASCII, so every character from the checked
    file is an escape sequence)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    return _encode_string(value)


def _json(path: str, d: Diagnostic) -> str:
    """One diagnostic as the JSON output's list shows it (indented as a list item).

    Written field by field, exactly as ``json.dumps(..., indent=2)`` lays it out: with an
    indent, the standard library encodes in Python, several times slower on a large report.
    """
    fix = d.fix
    if fix is None:
        fix_text = "null"
    else:
        fix_text = (
            "{\n"
            f'      "replacement": {_encode_string(fix.replacement)},\n'
            f'      "safe": {_value(fix.safe)},\n'
            f'      "description": {_encode_string(fix.description)},\n'
            f'      "line": {fix.line},\n'
            f'      "column": {fix.column},\n'
            f'      "end_line": {fix.end_line},\n'
            f'      "end_column": {fix.end_column}\n'
            "    }"
        )
    return (
        "  {\n"
        f'    "path": {_encode_string(path)},\n'
        f'    "line": {d.line},\n'
        f'    "column": {d.column},\n'
        f'    "end_column": {d.end_column},\n'
        f'    "code": {_encode_string(d.code)},\n'
        f'    "name": {_encode_string(d.name)},\n'
        f'    "severity": {_encode_string(d.severity.value)},\n'
        f'    "message": {_encode_string(d.message)},\n'
        f'    "hint": {_value(d.hint)},\n'
        f'    "fix": {fix_text},\n'
        f'    "pointer": {_value(d.pointer)}\n'
        "  }"
    )


def _github_data(text: str) -> str:
    return escape(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github(path: str, d: Diagnostic) -> str:
    end = f",endColumn={d.end_column}" if d.end_column > d.column else ""
    title = _github_property(f"{d.code} {d.name}")
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return (
        f"::{_GITHUB_LEVELS[d.severity]} file={path},line={d.line},col={d.column}{end},"
        f"title={title}::{_github_data(message)}\n"
    )


# What RFC 3986 allows in a URI (percent-escapes included); anything else is not a URI.
_URI_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)


def docs_base() -> str | None:
    """The documentation base URL from ``ADSTXT_DOCS_URL``, ending in ``/``; else ``None``.

    No documentation site is known to be published, so there is no default: a link to a site
    that may not exist would be a dead link in every code-scanning alert.
    """
    import logging
    import os
    from urllib.parse import urlsplit

    base = os.environ.get("ADSTXT_DOCS_URL", "").strip()
    if not base:
        return None
    parts = urlsplit(base)
    absolute = (parts.scheme in ("http", "https") and parts.netloc) or (
        parts.scheme == "file" and parts.path.startswith("/")
    )
    if not absolute or not set(base) <= _URI_CHARACTERS or "?" in base or "#" in base:
        # A relative or malformed helpUri would make the whole log invalid SARIF, and page
        # paths cannot be appended after a query or a fragment.
        logging.getLogger("adstxt").warning(
            "ADSTXT_DOCS_URL must be an absolute http, https or file URL without a query or "
            "fragment; found %r, so rules are described without links",
            escape(base),
        )
        return None
    return base if base.endswith("/") else base + "/"


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_page(code: str, base: str | None) -> str | None:
    """The URL of rule ``code``'s page under the documentation ``base`` (see
    :func:`docs_base`), or ``None`` when no site is known."""
    return None if base is None else f"{base}rules/{code}.html"


def _sarif_rule(rule: Rule, base: str | None) -> dict[str, Any]:
    """A rule's SARIF descriptor: its one-line summary and where its page is, nothing run."""
    # The installed command always has the page, so the help names it; a site is linked
    # only when ADSTXT_DOCS_URL says where one is published.
    explain = f"`adstxt-check --explain {rule.code}`"
    what = "why it matters, examples, the fix and how to silence it"
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": rule.summary, "markdown": f"{rule.summary}\n\n{explain}: {what}."},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"tags": [rule.category], "fix": rule.fix},
    }
    uri = rule_page(rule.code, base)
    if uri is not None:
        # Code scanning shows help but not helpUri, so the link is in the help as well.
        descriptor["help"]["markdown"] = (
            f"{rule.summary}\n\n[{rule.code} {rule.name}]({uri}) or {explain}: {what}."
        )
        descriptor["helpUri"] = uri
    return descriptor


def _sarif_uri(name: str) -> str:
    from pathlib import Path
    from urllib.parse import quote

    path = Path(name)
    # Relative paths stay relative to the checkout, as code scanning expects.
    return path.as_uri() if path.is_absolute() else quote(path.as_posix(), safe="/")


def _sarif_result(uri: str, d: Diagnostic, index: dict[str, int]) -> str:
    """One result, indented as an item of the run's results (laid out as ``json.dumps``
    with an indent does, written directly for speed: see :func:`_json`). ``uri`` is the
    file's URI encoded as a JSON string already: the same in every result."""
    end = (
        f',\n{_SARIF_INDENT}          "endColumn": {d.end_column}'
        if (d.end_column > d.column)
        else ""
    )
    text = escape(d.message) + (f" (hint: {escape(d.hint)})" if d.hint else "")
    # The indent (_SARIF_INDENT) is part of the text: only the values are formatted.
    return (
        f"        {{\n"
        f'          "ruleId": {_encode_string(d.code)},\n'
        f'          "ruleIndex": {index[d.code]},\n'
        f'          "level": "{_SARIF_LEVELS[d.severity]}",\n'
        f'          "message": {{\n'
        f'            "text": {_encode_string(text)}\n'
        f"          }},\n"
        f'          "locations": [\n'
        f"            {{\n"
        f'              "physicalLocation": {{\n'
        f'                "artifactLocation": {{\n'
        f'                  "uri": {uri}\n'
        f"                }},\n"
        f'                "region": {{\n'
        f'                  "startLine": {d.line},\n'
        f'                  "startColumn": {d.column}{end}\n'
        f"                }}\n"
        f"              }}\n"
        f"            }}\n"
        f"          ]\n"
        f"        }}"
    )


#: How deep a result sits in the SARIF log: top object, runs, one run, results.
_SARIF_INDENT = " " * 8
_SARIF_RESULTS = '"results": []'


def _sarif_frame(fired: Iterable[str]) -> tuple[str, str, dict[str, int]]:
    """The SARIF log around its results: what comes before them, after them, and each
    rule's index in the rules described."""
    import json

    from adstxt import __version__

    # Only the rules that fired are described (SARIF does not require the rest), in
    # registry order so the log is the same whatever order the files were checked in.
    fired = set(fired)
    codes = [code for code in RULES if code in fired]
    index = {code: number for number, code in enumerate(codes)}
    base = docs_base() if codes else None  # read (and warned about) only when a rule links
    rules = [_sarif_rule(RULES[code], base) for code in codes]
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
                "results": [],
            }
        ],
    }
    text = json.dumps(document, indent=2, ensure_ascii=True) + "\n"
    # The results are the last member, so the one empty list is theirs; it is written
    # out item by item in between.
    cut = text.rindex(_SARIF_RESULTS) + len(_SARIF_RESULTS) - 1
    return text[:cut], text[cut:], index


Item = tuple[Diagnostic, str]


class Writer:
    """Writes the findings of file after file in one output format, as they come.

    ``fired`` is every code that will be written (the SARIF log describes those rules
    before its results). Each file's items are (diagnostic, its source line) pairs; the
    line is only read by the full format.
    """

    def __init__(
        self, out: TextIO, output_format: str, style: Style, fired: Iterable[str] = ()
    ) -> None:
        if output_format not in ("concise", "full", "json", "github", "sarif"):
            raise ValueError(f"unknown output format {output_format!r}")
        self.out = out
        self.format = output_format
        self.style = style
        self._count = 0
        self._tail = ""
        self._index: dict[str, int] = {}
        if output_format == "json":
            self._tail = "\n]\n"
        elif output_format == "sarif":
            head, self._tail, self._index = _sarif_frame(fired)
            out.write(head)

    def file(self, name: str, items: Iterable[Item]) -> None:
        """Write one file's findings (in the order given)."""
        render = renderer(self.format, self.style, name, self._index)
        assert render is not None  # a writer always has the SARIF rule index
        batch: list[Item] = []
        for item in items:
            batch.append(item)
            if len(batch) == _WRITTEN_AT_ONCE:
                self.rendered(render(batch))
                batch = []
        self.rendered(render(batch))

    def rendered(self, texts: list[str]) -> None:
        """Write findings already rendered by this format's :func:`renderer`, in order."""
        if not texts:
            return
        if self.format in ("json", "sarif"):  # items of a JSON list
            lead = ",\n" if self._count else ("[\n" if self.format == "json" else "\n")
            self.out.write(lead + ",\n".join(texts))
        else:
            self.out.write("".join(texts))
        self._count += len(texts)

    def close(self) -> None:
        """Write what follows the last finding."""
        if self.format == "json":
            self.out.write(self._tail if self._count else "[]\n")
        elif self.format == "sarif":
            self.out.write(("\n      " if self._count else "") + self._tail)


#: Findings rendered and written in one piece: one write per finding would make a system
#: call each when the output is unbuffered (``PYTHONUNBUFFERED``, a pipe to a pager).
_WRITTEN_AT_ONCE = 1000


def renderer(
    output_format: str, style: Style, name: str, index: dict[str, int] | None = None
) -> Callable[[Sequence[Item]], list[str]] | None:
    """What renders a batch of one file's findings in ``output_format``, one text per
    finding, to be written by :meth:`Writer.rendered`; None for a SARIF log without its
    rule ``index`` (a result names its rule by position in the log's list of rules)."""
    if output_format == "concise":
        path = style.paint(escape(name), "1")
        return lambda items: [_concise(path, d, style) for d, _ in items]
    if output_format == "full":
        shown = escape(name)
        return lambda items: [_full(shown, d, line, style) for d, line in items]
    if output_format == "github":
        prop = _github_property(name)
        return lambda items: [_github(prop, d) for d, _ in items]
    if output_format == "json":
        return lambda items: [_json(name, d) for d, _ in items]
    if index is None:
        return None
    uri = _encode_string(_sarif_uri(name))
    return lambda items: [_sarif_result(uri, d, index) for d, _ in items]


def _items(report: FileReport) -> Iterator[Item]:
    for d in report.diagnostics:
        yield d, report.line(d.line)


def write(out: TextIO, reports: Sequence[FileReport], output_format: str, style: Style) -> None:
    """Write all diagnostics of all files in one output format."""
    fired: set[str] = set()
    if output_format == "sarif":
        for report in reports:
            fired.update(tally(report).codes)
    writer = Writer(out, output_format, style, fired)
    for report in reports:
        if isinstance(report.diagnostics, Spooled):
            report.diagnostics.write_to(writer, report.path)
        else:
            writer.file(report.path, _items(report))
    writer.close()


def render(reports: Sequence[FileReport], output_format: str, style: Style) -> str:
    """All diagnostics of all files in one output format."""
    import io

    out = io.StringIO()
    write(out, reports, output_format, style)
    return out.getvalue()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


@attrs.define
class Tally:
    """How many findings of each severity and code a file has, and which are fixable."""

    severities: Counter[Severity] = attrs.field(factory=Counter)
    codes: Counter[str] = attrs.field(factory=Counter)
    fixable: int = 0
    fixable_codes: set[str] = attrs.field(factory=set)

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Count more findings."""
        found = list(diagnostics)
        # Counted by Counter.update, which counts a list in C.
        self.severities.update([d.severity for d in found])
        self.codes.update([d.code for d in found])
        fixable = [d.code for d in found if d.fix is not None and d.fix.safe]
        self.fixable += len(fixable)
        self.fixable_codes.update(fixable)

    def worst(self) -> int:
        """The highest severity rank counted (-1 when there is none)."""
        return max((severity.rank for severity in self.severities), default=-1)


def tally(report: FileReport) -> Tally:
    """The counts of a report's findings."""
    if isinstance(report.diagnostics, Spooled):
        return report.diagnostics.tally
    counts = Tally()
    counts.add(report.diagnostics)
    return counts


def summary_line(reports: Sequence[FileReport], *, fixed: int = 0) -> str:
    """``Checked 3 files: 1 error, 2 warnings, 0 info; 2 fixable with --fix.``"""
    counts: Counter[Severity] = Counter()
    fixable = 0
    for report in reports:
        each = tally(report)
        counts.update(each.severities)
        fixable += each.fixable
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
    counts: Counter[str] = Counter()
    fixable: set[str] = set()
    for report in reports:
        each = tally(report)
        counts.update(each.codes)
        fixable |= each.fixable_codes
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if code in fixable else "   "
        lines.append(f"{count:>{width}}  {code}  {mark} {RULES[code].name}\n")
    return "".join(lines)


class Spooled:
    """A file's findings, in report order, kept on disk once they are many.

    A large file's findings can take more memory than the rest of its check: past
    :data:`HOLD` of them, they are written batch by batch to a temporary file, and read
    back one batch at a time when they are reported. Given the ``render`` of the output
    format (see :func:`renderer`), a batch is written to disk as its rendered text, with
    only the positions and codes needed to place other findings among it: each finding is
    then rendered once and never rebuilt. Without it (a SARIF log, whose results depend on
    every rule that fired), the findings themselves are written and rebuilt.

    Findings found only at the end of the file (whole-file findings, unused suppressions)
    are few; they are kept in memory and merged in by position.
    """

    #: How many findings are kept in memory before they go to disk.
    HOLD = 5_000

    def __init__(self, render: Callable[[Sequence[Item]], list[str]] | None = None) -> None:
        self._render = render
        self._file: IO[bytes] | None = None
        #: Each batch, or None for one written to the file; and its last sort key, for
        #: placing the late findings.
        self._batches: list[list[Item] | None] = []
        self._ends: list[tuple[int, int, str]] = []
        self._held = 0
        self._late: list[Item] = []
        self.tally = Tally()

    def add(self, items: list[Item]) -> None:
        """Store a batch of findings, which follow every earlier batch in report order."""
        if not items:
            return
        self.tally.add(d for d, _ in items)
        last = items[-1][0]
        self._ends.append((last.line, last.column, last.code))
        self._batches.append(items)
        self._held += len(items)
        if self._held > self.HOLD:
            self._spill()

    def _spill(self) -> None:
        import pickle
        import tempfile

        from adstxt._api import _collector_paused

        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by close()
        for number, batch in enumerate(self._batches):
            if batch is None:
                continue
            # What is built here forms no cycles: the collector would only traverse it.
            with _collector_paused():
                spilled: object
                if self._render is None:
                    spilled = [(*_row(d), line) for d, line in batch]
                else:
                    spilled = (
                        array("q", [d.line for d, _ in batch]),
                        array("q", [d.column for d, _ in batch]),
                        [d.code for d, _ in batch],
                        self._render(batch),
                    )
            pickle.dump(spilled, self._file, pickle.HIGHEST_PROTOCOL)
            self._batches[number] = None
        self._held = 0

    def finish(self, late: Sequence[Item]) -> None:
        """Add the findings that could only be known at the end, in report order."""
        self.tally.add(d for d, _ in late)
        self._late = list(late)

    def __len__(self) -> int:
        return sum(self.tally.codes.values())

    def __iter__(self) -> Iterator[Diagnostic]:
        return (d for d, _ in self.items())

    def items(self) -> Iterator[Item]:
        """Every finding with its line, in report order (only without ``render``)."""
        import heapq

        if self._render is not None:
            raise TypeError("a spool of rendered findings cannot give them back")
        late = self._late
        for held, end in zip(self._read_back(), self._ends, strict=True):
            batch: list[Item] = held
            if late and _key(late[0]) <= end:
                here = [item for item in late if _key(item) <= end]
                late = late[len(here) :]
                yield from heapq.merge(batch, here, key=_key)
            else:
                yield from batch
        yield from late

    def write_to(self, writer: Writer, name: str) -> None:
        """Write every finding, in report order, through ``writer`` (whose format is the
        one ``render`` renders)."""
        render = self._render
        if render is None:
            writer.file(name, self.items())
            return
        late = self._late
        for held, end in zip(self._read_back(), self._ends, strict=True):
            if isinstance(held, list):
                texts = render(held)
            else:
                lines, columns, codes, texts = held
            if late and _key(late[0]) <= end:
                keys = (
                    [_key(item) for item in held]
                    if isinstance(held, list)
                    else list(zip(lines, columns, codes, strict=True))
                )
                here = [item for item in late if _key(item) <= end]
                late = late[len(here) :]
                texts = _merged(keys, texts, [_key(item) for item in here], render(here))
            writer.rendered(texts)
        writer.rendered(render(late))

    def _read_back(self) -> Iterator[Any]:
        """Each batch: held in memory as it came, or read back from the file (rows without
        ``render``, else positions, codes and texts)."""
        import pickle

        from adstxt._api import _collector_paused

        if self._file is not None:
            self._file.seek(0)
        for held in self._batches:
            if held is not None:
                yield held
                continue
            assert self._file is not None
            # Findings form no cycles: the collector would only traverse the batch as it
            # is built.
            with _collector_paused():
                spilled = pickle.load(self._file)  # written by this process
                if self._render is None:
                    spilled = [(_diagnostic(row), row[-1]) for row in spilled]
            yield spilled

    def close(self) -> None:
        """Delete the temporary file, if there is one."""
        if self._file is not None:
            self._file.close()


def _merged(
    keys: list[tuple[int, int, str]],
    texts: list[str],
    late_keys: list[tuple[int, int, str]],
    late_texts: list[str],
) -> list[str]:
    """Two runs of rendered findings, each in report order, as one in report order (a late
    finding goes after the batch's findings at the same position, as in :func:`heapq.merge`)."""
    merged: list[str] = []
    start = 0
    for key, text in zip(late_keys, late_texts, strict=True):
        cut = bisect.bisect_right(keys, key, start)
        merged += texts[start:cut]
        merged.append(text)
        start = cut
    merged += texts[start:]
    return merged


def _key(item: Item) -> tuple[int, int, str]:
    d = item[0]
    return (d.line, d.column, d.code)


Row = tuple[Any, ...]


def _row(d: Diagnostic) -> Row:
    fix = d.fix
    return (
        d.code,
        d.severity.value,
        d.line,
        d.column,
        d.end_column,
        d.message,
        d.hint,
        None
        if fix is None
        else (
            fix.replacement,
            fix.safe,
            fix.description,
            fix.line,
            fix.column,
            fix.end_line,
            fix.end_column,
        ),
    )


_SEVERITIES = {severity.value: severity for severity in Severity}


def _diagnostic(row: Row) -> Diagnostic:
    fix = row[7]
    # Positional fast constructors: every spooled finding is read back through here.
    return fast_positional_diagnostic(
        row[0],
        _SEVERITIES[row[1]],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        None if fix is None else fast_positional_fix(*fix),
    )
