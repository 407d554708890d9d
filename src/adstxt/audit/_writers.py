"""The output of an audit as it streams: text, CSV, or the versioned JSON document.

Each writer is given the document's header first, then one result at a time, then the
tally; it writes every result as it comes, so nothing per publisher is kept. The JSON
document (``docs/audits.md`` describes version 1) puts ``publishers`` (or ``sellers``)
before ``expected`` and ``summary``, which need every result.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, TextIO

from adstxt.audit._expected import ExpectedLine
from adstxt.audit._forward import PublisherResult
from adstxt.audit._reverse import SellerResult
from adstxt.audit._tally import ForwardTally, SellersTally

__all__ = ["VERSION", "ForwardWriter", "SellersWriter", "render_publisher"]

#: The version of the JSON document, its ``adstxt_audit`` key.
VERSION = 1


class _JsonStream:
    """A JSON object written key by key, with one array whose items stream."""

    def __init__(self, out: TextIO, header: dict[str, object], array: str) -> None:
        self.out = out
        self.first = True
        body = json.dumps(header, indent=2, ensure_ascii=False)
        out.write(body[:-2] + f',\n  "{array}": [')

    def item(self, value: dict[str, object]) -> None:
        self.raw_item(json.dumps(value, ensure_ascii=False))

    def raw_item(self, text: str) -> None:
        self.out.write(("\n    " if self.first else ",\n    ") + text)
        self.first = False

    def finish(self, tail: dict[str, object]) -> None:
        self.out.write("\n  ]" if not self.first else "]")
        for key, value in tail.items():
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            self.out.write(f',\n  "{key}": {text}')
        self.out.write("\n}\n")


class ForwardWriter:
    """Writes a forward audit in ``text``, ``csv`` or ``json``."""

    def __init__(
        self,
        out: TextIO,
        form: str,
        header: dict[str, object],
        expected: Sequence[ExpectedLine],
    ) -> None:
        self.out, self.form, self.lines = out, form, tuple(expected)
        self.expected = len(self.lines)
        self._json: _JsonStream | None = None
        self._csv: Any = None
        if form == "json":
            self._json = _JsonStream(
                out, {"adstxt_audit": VERSION, "kind": "expect", **header}, "publishers"
            )
        elif form == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(
                [
                    "publisher",
                    "publisher_status",
                    "expected_number",
                    "expected_line",
                    "expected",
                    "status",
                    "lines",
                    "found",
                ]
            )

    def publisher(self, result: PublisherResult) -> None:
        """Write one publisher."""
        self.rendered(render_publisher(result, self.form, self.lines))

    def rendered(self, text: str) -> None:
        """Write one publisher that :func:`render_publisher` rendered (perhaps elsewhere)."""
        if self._json is not None:
            self._json.raw_item(text)
        else:
            self.out.write(text)

    def finish(self, tally: ForwardTally) -> None:
        """Write the coverage per expected line and the summary."""
        if self._json is not None:
            self._json.finish({"expected": tally.expected_json(), "summary": tally.summary_json()})
        elif self._csv is None:
            self.out.write(_text_summary(tally))


def render_publisher(result: PublisherResult, form: str, expected: Sequence[ExpectedLine]) -> str:
    """One publisher in an output format: a JSON object, CSV rows or text lines.

    A pure function of the result, so that worker processes can render what they audit.
    """
    if form == "json":
        return json.dumps(result.to_json(len(expected)), ensure_ascii=False)
    if form == "csv":
        return _csv_rows(result, expected)
    return _text(result, len(expected))


def _csv_rows(result: PublisherResult, expected: Sequence[ExpectedLine]) -> str:
    out = io.StringIO()
    readable = result.file is not None and result.file.state == "ok"
    by_number = {f.expected.number: f for f in result.findings}
    rows: list[list[object]] = []
    for line in expected:
        head = [result.publisher, result.status, line.number, line.line, line.text]
        finding = by_number.get(line.number)
        if not readable:
            rows.append([*head, result.status, "", result.problem or ""])
        elif finding is None:
            rows.append([*head, "present", "", ""])
        else:
            lines = ";".join(map(str, finding.lines))
            rows.append([*head, finding.status, lines, ";".join(finding.found)])
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _text(result: PublisherResult, expected: int) -> str:
    if result.file is None or result.file.state != "ok":
        return f"{result.publisher}: {result.status}: {result.problem}\n"
    head = (
        f"{result.publisher}: {result.status} ({len(result.present)} of {expected} expected "
        f"lines, {result.coverage(expected):.2f}%)"
    )
    lines = [head]
    for finding in result.findings:
        lines.append(
            f"  expected line {finding.expected.line} ({finding.expected.text}): "
            f"{finding.status}: {finding.message}"
        )
    for number, text in result.to_replace:
        lines.append(f"  change line {number} to: {text}")
    if result.patch is not None:
        lines.append(f"  patch: {result.patch}")
    elif result.problem is not None:
        lines.append(f"  patch: none: {result.problem}")
    return "\n".join(lines) + "\n"


def _text_summary(tally: ForwardTally) -> str:
    summary = tally.summary_json()
    lines = ["", "Coverage per expected line:"]
    for item in tally.expected_json():
        lines.append(
            f"  line {item['line']} ({item['text']}): {item['present']} of "
            f"{summary['publishers']} publishers, {item['coverage']:.2f}%"
        )
    statuses = summary["statuses"]
    assert isinstance(statuses, dict)
    counted = ", ".join(f"{count} {status}" for status, count in statuses.items() if count)
    lines.append(
        f"Audited {summary['publishers']} publishers for {summary['expected_lines']} expected "
        f"lines: {counted or 'none'}; coverage {summary['coverage']:.2f}% "
        f"({summary['pairs_present']} of {summary['pairs']} pairs)."
    )
    if summary["patches_written"]:
        lines.append(f"Wrote {summary['patches_written']} patches.")
    return "\n".join(lines) + "\n"


class SellersWriter:
    """Writes a reverse audit in ``text``, ``csv`` or ``json``."""

    def __init__(self, out: TextIO, form: str, header: dict[str, object]) -> None:
        self.out, self.form = out, form
        self._json: _JsonStream | None = None
        self._csv: Any = None
        if form == "json":
            self._json = _JsonStream(
                out, {"adstxt_audit": VERSION, "kind": "sellers", **header}, "sellers"
            )
        elif form == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(
                [
                    "seller_id",
                    "seller_type",
                    "name",
                    "domain",
                    "expected",
                    "status",
                    "failure",
                    "file",
                    "lines",
                    "message",
                ]
            )

    def seller(self, result: SellerResult) -> None:
        """Write one seller."""
        if self._json is not None:
            self._json.item(result.to_json())
        elif self._csv is not None:
            self._csv.writerow(
                [
                    result.seller_id or "",
                    result.seller_type or "",
                    result.name or "",
                    result.domain or "",
                    result.expected or "",
                    result.status,
                    "true" if result.failure else "false",
                    result.file or "",
                    ";".join(map(str, result.lines)),
                    result.message,
                ]
            )
        else:
            who = result.seller_id if result.seller_id is not None else result.pointer
            domain = f" ({result.domain})" if result.domain else ""
            self.out.write(f"seller {who}{domain}: {result.status}: {result.message}\n")

    def finish(self, tally: SellersTally) -> None:
        """Write the summary."""
        summary = tally.summary_json()
        if self._json is not None:
            self._json.finish({"summary": summary})
        elif self._csv is None:
            statuses = summary["statuses"]
            assert isinstance(statuses, dict)
            counted = ", ".join(f"{count} {status}" for status, count in statuses.items() if count)
            self.out.write(
                f"\nAudited {summary['sellers']} sellers: {counted or 'none'}; "
                f"{summary['failures']} failures.\n"
            )
