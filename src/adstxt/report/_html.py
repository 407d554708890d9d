"""The report as one self-contained HTML page.

Everything is inline: the style sheet, the charts (SVG) and one small script that sorts and
filters the tables. Without the script the tables are complete and in a sensible order;
they are only not sortable. Every piece of text that came from an input goes through
:func:`adstxt.report._text.cell`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from adstxt._report import rule_page
from adstxt.diagnostics import Severity
from adstxt.report._model import (
    SEVERITIES,
    VERDICTS,
    AuditSection,
    CheckSection,
    Gap,
    Report,
)
from adstxt.report._page import CSP, SCRIPT, STYLE
from adstxt.report._svg import Bar, Segment, bar_chart
from adstxt.report._text import cell
from adstxt.rules import RULES
from adstxt.store._changes import ChangeType
from adstxt.store._summary import NO_COPY, StoreSummary

__all__ = [
    "CHART_DAYS",
    "CHART_RULES",
    "change_bars",
    "outcome_bars",
    "render",
    "store_verdict_bars",
]

#: The most rules the findings chart draws; the rules table lists all of them.
CHART_RULES = 25
#: The most expected lines the coverage chart draws; the table lists all of them.
CHART_LINES = 60
#: The days the chart of change events draws: the last ones, up to the latest event.
CHART_DAYS = 60

_SEVERITY_NAMES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def _number(value: int) -> str:
    return f"{value:,}"


def _count(value: int, noun: str) -> str:
    """``1 file``, ``2 files``: a count with its noun ("info" has no plural)."""
    plural = noun if value == 1 or noun == "info" else noun + "s"
    return f"{_number(value)} {plural}"


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _num(value: int | float, shown: str | None = None) -> str:
    text = shown if shown is not None else _number(int(value))
    return f'<td class="num" data-v="{value}">{text}</td>'


def _severity(severity: Severity) -> str:
    name = severity.value
    return f'<td data-v="{2 - severity.rank}"><span class="badge sev-{name}">{name}</span></td>'


def _rule_link(code: str, docs: str | None) -> str:
    rule = RULES.get(code)
    summary = cell(rule.summary) if rule else ""
    url = rule_page(code, docs)
    if url is None:
        return f'<span title="{summary}">{cell(code)}</span>'
    return f'<a href="{cell(url)}" title="{summary}">{cell(code)}</a>'


def _table(
    name: str, caption: str, headers: Sequence[tuple[str, bool]], rows: Iterable[str], total: int
) -> str:
    """A sortable, filterable table; ``headers`` are (title, numeric) pairs."""
    head = "".join(
        f'<th scope="col" class="num">{cell(title)}</th>'
        if numeric
        else f'<th scope="col">{cell(title)}</th>'
        for title, numeric in headers
    )
    return (
        f'<div class="tools" id="{name}-tools" hidden>'
        f'<input type="search" class="filter" placeholder="Filter rows: type words to match" '
        f'aria-label="Filter the {cell(caption.lower())} table">'
        f'<span class="count" aria-live="polite">{_number(total)} rows</span></div>'
        f'<div class="scroll"><table class="data" id="{name}"><caption class="skip">'
        f"{cell(caption)}</caption><thead><tr>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _figures(items: Sequence[tuple[str, str]]) -> str:
    body = "".join(
        f"<div><dt>{cell(name)}</dt><dd>{cell(value)}</dd></div>" for name, value in items
    )
    return f'<dl class="figures">{body}</dl>'


def _legend(items: Iterable[tuple[str, str]]) -> str:
    body = "".join(f'<li><span class="{css}"></span>{cell(text)}</li>' for css, text in items)
    return f'<ul class="legend">{body}</ul>'


def _figure(caption: str, chart: str, after: str = "") -> str:
    return f"<figure><figcaption>{cell(caption)}</figcaption>{chart}{after}</figure>"


def _verdict_css(verdict: str) -> str:
    return "v-" + verdict.replace(" ", "-")


# ---- the check ------------------------------------------------------------------------------


def _check_figures(check: CheckSection) -> list[tuple[str, str]]:
    counts = check.severity_counts()
    verdicts = check.verdict_counts()
    figures = [
        ("Files", _number(len(check.files))),
        ("Lines", _number(sum(row.lines for row in check.files))),
        ("Records", _number(sum(row.records for row in check.files))),
        ("Errors", _number(counts[Severity.ERROR])),
        ("Warnings", _number(counts[Severity.WARNING])),
        ("Info", _number(counts[Severity.INFO])),
    ]
    figures += [(f"Files: {verdict}", _number(verdicts[verdict])) for verdict in VERDICTS]
    return figures


def rule_bars(check: CheckSection) -> list[Bar]:
    """One bar per rule fired (most findings first), a segment per severity it fired at."""
    totals: dict[str, int] = {}
    for (code, _), count in check.by_rule.items():
        totals[code] = totals.get(code, 0) + count
    ordered = sorted(totals, key=lambda code: (-totals[code], code))[:CHART_RULES]
    bars = []
    for code in ordered:
        rule = RULES.get(code)
        name = f"{code} {rule.name}" if rule else code
        segments = tuple(
            Segment(
                check.by_rule[code, severity],
                f"sev-{severity.value}",
                f"{code}: {_count(check.by_rule[code, severity], _SEVERITY_NAMES[severity])}",
            )
            for severity in SEVERITIES
            if check.by_rule[code, severity]
        )
        bars.append(Bar(name, segments, _number(totals[code])))
    return bars


def verdict_bars(check: CheckSection) -> list[Bar]:
    """One bar per verdict that some file has."""
    return [
        Bar(
            verdict,
            (Segment(count, _verdict_css(verdict), f"{verdict}: {_count(count, 'file')}"),),
            _number(count),
        )
        for verdict, count in check.verdict_counts().items()
        if count
    ]


def _check_charts(check: CheckSection) -> str:
    rules = rule_bars(check)
    shown_rules = len({code for code, _ in check.by_rule})
    more = ""
    if shown_rules > len(rules):
        more = (
            f'<p class="note">The {len(rules)} rules with the most findings; '
            f"the rules table lists all {shown_rules}.</p>"
        )
    legend = _legend((f"sev-{s.value}", _count(2, _SEVERITY_NAMES[s])[2:]) for s in SEVERITIES)
    parts = []
    if rules:
        parts.append(
            _figure(
                "Findings by rule and severity",
                bar_chart(rules, title="Findings by rule and severity"),
                legend + more,
            )
        )
    else:
        parts.append(_figure("Findings by rule and severity", "<p>No findings.</p>"))
    verdicts = verdict_bars(check)
    parts.append(_figure("Files by verdict", bar_chart(verdicts, title="Files by verdict")))
    return '<div class="charts">' + "".join(parts) + "</div>"


def _files_table(check: CheckSection, limit: int) -> str:
    order = {verdict: index for index, verdict in enumerate(VERDICTS)}
    files = check.files
    note = ""
    if limit and len(files) > limit:
        # Past the limit, the files that need attention most are the ones worth listing.
        files = sorted(files, key=lambda row: order[row.verdict])[:limit]
        note = (
            f'<p class="note" id="files-cut">This table lists {_number(limit)} of '
            f"{_number(len(check.files))} files, those with errors first, then warnings; the "
            f"figures and charts count all of them. Run the report again with "
            f"<code>--max-rows 0</code> to list every file.</p>"
        )
    rows = (
        f"<tr><td>{cell(row.path)}</td>{_num(row.lines)}{_num(row.records)}{_num(row.errors)}"
        f"{_num(row.warnings)}{_num(row.info)}"
        f'<td data-v="{order[row.verdict]}"><span class="badge {_verdict_css(row.verdict)}">'
        f"{cell(row.verdict)}</span>{(' ' + cell(row.problem)) if row.problem else ''}</td></tr>"
        for row in files
    )
    headers = [
        ("File", False),
        ("Lines", True),
        ("Records", True),
        ("Errors", True),
        ("Warnings", True),
        ("Info", True),
        ("Verdict", False),
    ]
    return note + _table("files", "Files", headers, rows, len(files))


def _rules_table(check: CheckSection, docs: str | None) -> str:
    rows = []
    for (code, severity), count in sorted(
        check.by_rule.items(), key=lambda item: (-item[1], item[0][0], item[0][1].rank)
    ):
        rule = RULES.get(code)
        rows.append(
            f"<tr><td>{_rule_link(code, docs)}</td><td>{cell(rule.name if rule else '')}</td>"
            f"{_severity(severity)}{_num(count)}<td>{cell(rule.summary if rule else '')}</td>"
            f'<td><code class="command">adstxt check --explain {cell(code)}</code></td></tr>'
        )
    headers = [
        ("Rule", False),
        ("Name", False),
        ("Severity", False),
        ("Findings", True),
        ("Summary", False),
        ("Explained by", False),
    ]
    return _table("rules", "Rules", headers, rows, len(rows))


def _findings_table(report: Report, check: CheckSection) -> str:
    docs = report.docs
    rows = []
    for row in check.findings:
        rule = RULES.get(row.code)
        rows.append(
            f"<tr><td>{cell(row.path)}</td>{_num(row.line)}{_num(row.column)}"
            f"{_severity(row.severity)}<td>{_rule_link(row.code, docs)} "
            f"{cell(rule.name if rule else '')}</td><td>{cell(row.message)}</td>"
            f"<td><code>{cell(row.text)}</code></td><td>{cell(row.fix)}</td></tr>"
        )
    headers = [
        ("File", False),
        ("Line", True),
        ("Column", True),
        ("Severity", False),
        ("Rule", False),
        ("Message", False),
        ("Line text", False),
        ("Fix", False),
    ]
    note = ""
    if check.total_findings > len(check.findings):
        note = (
            f'<p class="note" id="cut">This table lists the first {_number(len(check.findings))} '
            f"of {_number(check.total_findings)} findings, in file and line order; the figures "
            f"and charts count all of them. To list every finding, run the report again with "
            f"<code>--max-rows 0</code>, or see them all with "
            f"<code>adstxt check --output-format json PATH...</code>.</p>"
        )
    return note + _table("findings", "Findings", headers, rows, len(rows))


def _check_section(report: Report, check: CheckSection) -> str:
    return (
        '<section id="check"><h2>Check of files</h2>'
        + _figures(_check_figures(check))
        + _check_charts(check)
        + "<h3>Files</h3>"
        + _files_table(check, report.row_limit)
        + "<h3>Rules</h3>"
        + _rules_table(check, report.docs)
        + '<h3 id="findings-heading">Findings, line by line</h3>'
        + _findings_table(report, check)
        + "</section>"
    )


# ---- the audit ------------------------------------------------------------------------------


def coverage_bars(audit: AuditSection) -> list[Bar]:
    """One bar per expected line (up to :data:`CHART_LINES`): its share of publishers."""
    return [
        Bar(
            f"{line.number}. {line.text}",
            (Segment(line.coverage, "covered", f"{line.coverage:.1f}% of publishers carry it"),),
            f"{line.coverage:.1f}% ({_number(line.present)})",
        )
        for line in audit.expected[:CHART_LINES]
    ]


def status_bars(audit: AuditSection) -> list[Bar]:
    """One bar per status that some publisher (or seller) has."""
    what = "publisher" if audit.kind == "expect" else "seller"
    return [
        Bar(
            status,
            (Segment(count, _status_css(status), f"{status}: {_count(count, what)}"),),
            _number(count),
        )
        for status, count in audit.statuses.items()
        if count
    ]


_GOOD = frozenset(("complete", "listed", "present"))
_NEUTRAL = frozenset(("confidential", "no-domain", "skipped"))


def _status_css(status: str) -> str:
    if status in _GOOD:
        return "v-clean"
    if status in _NEUTRAL:
        return "v-unreadable"
    if status in ("incomplete", "relationship-differs", "certification-differs"):
        return "v-warnings"
    return "v-errors"


def _status(status: str) -> str:
    return f'<td><span class="badge {_status_css(status)}">{cell(status)}</span></td>'


def _problems_table(audit: AuditSection) -> str:
    if not audit.problems:
        return ""
    rows = (
        f"<tr><td>{cell(p.file)}</td>{_num(p.line)}<td>{cell(p.severity)}</td><td>{cell(p.message)}</td></tr>"
        for p in audit.problems
    )
    headers = [("File", False), ("Line", True), ("Severity", False), ("Problem", False)]
    return "<h3>Problems in the inputs</h3>" + _table(
        "problems", "Problems in the inputs", headers, rows, len(audit.problems)
    )


def _others(statuses: Iterable[tuple[str, int]]) -> str:
    return ", ".join(
        f"{name}: {count:,}" for name, count in statuses if count and name != "present"
    )


def _problem(problem: str) -> str:
    return f"<div>{cell(problem)}</div>" if problem else ""


def _gap(gap: Gap) -> str:
    detail = f" ({cell(gap.message)})" if gap.message else ""
    return f"<div><code>{cell(gap.expected)}</code>: {cell(gap.status)}{detail}</div>"


def _forward_tables(audit: AuditSection) -> str:
    line_rows = (
        f"<tr>{_num(line.number)}<td><code>{cell(line.text)}</code></td><td>{cell(line.type)}</td>"
        f"{_num(line.present)}{_num(line.coverage, f'{line.coverage:.1f}%')}"
        f"<td>{cell(_others(line.statuses))}</td></tr>"
        for line in audit.expected
    )
    publisher_rows = (
        f"<tr><td>{cell(row.publisher)}</td>{_num(row.line)}{_status(row.status)}"
        f"{_num(row.present)}{_num(row.coverage, f'{row.coverage:.1f}%')}"
        f"<td>{_problem(row.problem)}{''.join(_gap(gap) for gap in row.gaps)}</td>"
        f"<td>{cell(row.patch)}</td></tr>"
        for row in audit.publishers
    )
    return (
        "<h3>Expected lines</h3>"
        + _table(
            "expected",
            "Expected lines",
            [
                ("#", True),
                ("Expected line", False),
                ("Type", False),
                ("Publishers carrying it", True),
                ("Coverage", True),
                ("Other statuses", False),
            ],
            line_rows,
            len(audit.expected),
        )
        + "<h3>Publishers</h3>"
        + _table(
            "publishers",
            "Publishers",
            [
                ("Publisher", False),
                ("Line", True),
                ("Status", False),
                ("Lines carried", True),
                ("Coverage", True),
                ("Not carried exactly, or why not compared", False),
                ("Patch", False),
            ],
            publisher_rows,
            len(audit.publishers),
        )
    )


def _reverse_table(audit: AuditSection) -> str:
    rows = (
        f"<tr><td>{cell(row.seller_id)}</td><td>{cell(row.seller_type)}</td><td>{cell(row.name)}</td>"
        f"<td>{cell(row.domain)}</td><td>{cell(row.expected)}</td>{_status(row.status)}"
        f"<td>{'yes' if row.failure else 'no'}</td><td>{cell(row.message)}</td></tr>"
        for row in audit.sellers
    )
    headers = [
        ("Seller ID", False),
        ("Type", False),
        ("Name", False),
        ("Domain", False),
        ("Expected", False),
        ("Status", False),
        ("Failure", False),
        ("Detail", False),
    ]
    return "<h3>Sellers</h3>" + _table("sellers", "Sellers", headers, rows, len(audit.sellers))


def _audit_section(audit: AuditSection) -> str:
    what = "Publishers" if audit.kind == "expect" else "Sellers"
    inputs = "".join(
        f"<div><dt>{cell(name)}</dt><dd>{cell(value)}</dd></div>" for name, value in audit.inputs
    )
    charts = []
    if audit.kind == "expect":
        more = ""
        if len(audit.expected) > CHART_LINES:
            more = (
                f'<p class="note">The first {CHART_LINES} expected lines; '
                f"the table lists all {len(audit.expected)}.</p>"
            )
        charts.append(
            _figure(
                "Coverage per expected line",
                bar_chart(
                    coverage_bars(audit),
                    title="Coverage per expected line",
                    scale=100.0,
                    track=True,
                ),
                more,
            )
        )
    charts.append(
        _figure(f"{what} by status", bar_chart(status_bars(audit), title=f"{what} by status"))
    )
    title = "Audit: expected lines" if audit.kind == "expect" else "Audit: sellers.json"
    tables = _forward_tables(audit) if audit.kind == "expect" else _reverse_table(audit)
    return (
        f'<section id="audit"><h2>{title}</h2>'
        + (f'<dl class="inputs">{inputs}</dl>' if inputs else "")
        + _figures(audit.figures)
        + f'<div class="charts">{"".join(charts)}</div>'
        + _problems_table(audit)
        + tables
        + "</section>"
    )


# ---- the crawl store ------------------------------------------------------------------------

#: The verdicts of a stored file's current copy, in the order the chart lists them.
_STORE_VERDICTS = {
    "valid": "v-clean",
    "errors": "v-errors",
    "not-ads-txt": "v-warnings",
    NO_COPY: "v-unreadable",
}
# Outcomes that are the server's own answer, not a failure to get one.
_ANSWERS = frozenset(("not-found", "restricted", "invalid-domain"))


def _change_css(kind: str) -> str:
    return "ch-" + kind


def store_verdict_bars(summary: StoreSummary) -> list[Bar]:
    """One bar per verdict that some stored ads.txt or app-ads.txt file's copy has."""
    known = list(_STORE_VERDICTS) + sorted(set(summary.verdicts) - set(_STORE_VERDICTS))
    return [
        Bar(
            verdict,
            (
                Segment(
                    summary.verdicts[verdict],
                    _STORE_VERDICTS.get(verdict, "v-unreadable"),
                    f"{verdict}: {_count(summary.verdicts[verdict], 'file')}",
                ),
            ),
            _number(summary.verdicts[verdict]),
        )
        for verdict in known
        if summary.verdicts.get(verdict)
    ]


def outcome_bars(summary: StoreSummary) -> list[Bar]:
    """One bar per outcome of the files' latest fetches, the most common first."""
    bars = []
    for outcome, count in summary.outcomes.items():
        css = (
            "v-clean" if outcome == "ok" else "v-unreadable" if outcome in _ANSWERS else "v-errors"
        )
        bars.append(
            Bar(
                outcome,
                (Segment(count, css, f"{outcome}: {_count(count, 'file')}"),),
                _number(count),
            )
        )
    return bars


def _days(summary: StoreSummary) -> list[str]:
    """Every calendar day of the chart: the last :data:`CHART_DAYS` up to the latest event's."""
    import datetime as dt

    if not summary.daily:
        return []
    first = dt.date.fromisoformat(summary.daily[0][0])
    last = dt.date.fromisoformat(summary.daily[-1][0])
    start = max(first, last - dt.timedelta(days=CHART_DAYS - 1))
    return [(start + dt.timedelta(days=n)).isoformat() for n in range((last - start).days + 1)]


def change_bars(summary: StoreSummary) -> list[Bar]:
    """One bar per day of the chart (days without events included, as empty rows), a
    segment per type of event seen that day, in the order of the types."""
    by_day = dict(summary.daily)
    bars = []
    for day in _days(summary):
        counts = by_day.get(day, {})
        segments = tuple(
            Segment(
                counts[kind.value],
                _change_css(kind.value),
                f"{day}: {kind.value}: {_count(counts[kind.value], 'event')}",
            )
            for kind in ChangeType
            if counts.get(kind.value)
        )
        bars.append(Bar(day, segments, _number(sum(counts.values()))))
    return bars


def _store_figures(summary: StoreSummary) -> list[tuple[str, str]]:
    return [
        ("Domains", _number(summary.domains)),
        ("Files", _number(summary.files)),
        ("Fetches", _number(summary.fetches)),
        ("Distinct bodies", _number(summary.bodies)),
        ("Versions", _number(summary.versions)),
        ("Change events", _number(summary.events)),
        ("Stale copies", _number(summary.stale)),
        ("sellers.json files", _number(summary.sellers)),
        ("Apps resolved", _number(summary.apps)),
        ("Crawls", _number(len(summary.crawls))),
    ]


def _store_charts(summary: StoreSummary) -> str:
    verdicts = store_verdict_bars(summary)
    outcomes = outcome_bars(summary)
    days = change_bars(summary)
    parts = [
        _figure(
            "Files by verdict of their current copy",
            bar_chart(verdicts, title="Files by verdict of their current copy")
            if verdicts
            else "<p>No ads.txt or app-ads.txt file.</p>",
        ),
        _figure(
            "Files by outcome of their latest fetch",
            bar_chart(outcomes, title="Files by outcome of their latest fetch")
            if outcomes
            else "<p>No file.</p>",
        ),
    ]
    if days:
        seen = {kind for _, counts in summary.daily for kind in counts}
        legend = _legend((_change_css(k.value), k.value) for k in ChangeType if k.value in seen)
        more = ""
        if summary.daily[0][0] < _days(summary)[0]:  # events older than the chart's days
            more = (
                f'<p class="note">The last {CHART_DAYS} days up to the latest event; the '
                "table of changes and <code>adstxt changes</code> go further back.</p>"
            )
        parts.append(
            _figure(
                "Change events per day, by type",
                bar_chart(days, title="Change events per day, by type"),
                legend + more,
            )
        )
    else:
        parts.append(_figure("Change events per day, by type", "<p>No change events.</p>"))
    return '<div class="charts">' + "".join(parts) + "</div>"


def _when(stamp: str | None) -> str:
    """A store time as people read it: ``2026-12-01 08:00:00`` (UTC, to the second)."""
    return cell(stamp[:19].replace("T", " ")) if stamp else ""


def _outcome_text(counts: dict[str, int] | None) -> str:
    if not counts:
        return ""
    return ", ".join(
        f"{name}: {count:,}" for name, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    )


def _crawls_table(summary: StoreSummary) -> str:
    # Shared crawls are known by the name --status takes: shown when a crawl has one.
    named = bool(summary.crawl_names)
    rows = (
        f"<tr>{_num(crawl.id)}"
        + (f"<td>{cell(summary.crawl_names.get(crawl.id, ''))}</td>" if named else "")
        + f"<td>{_when(crawl.started_at)}</td>"
        f"<td>{_when(crawl.finished_at)}</td><td>{cell(crawl.state)}</td>"
        f"<td>{cell(crawl.kind)}</td>{_num(crawl.domains)}{_num(crawl.done)}"
        f"<td>{cell(_outcome_text(dict(summary.crawl_outcomes.get(crawl.id, {}))))}</td></tr>"
        for crawl in summary.crawls
    )
    headers = [
        ("Crawl", True),
        *([("Name", False)] if named else []),
        ("Started (UTC)", False),
        ("Finished (UTC)", False),
        ("State", False),
        ("Kind", False),
        ("Domains", True),
        ("Done", True),
        ("Fetches by outcome", False),
    ]
    return _table("crawls", "Crawls", headers, rows, len(summary.crawls))


def _changes_table(summary: StoreSummary) -> str:
    def text(value: object) -> str:
        return "" if value is None else cell(str(value))

    rows = []
    for event in summary.latest:
        lines = ""
        if event["old_line"] is not None or event["new_line"] is not None:
            lines = f"{text(event['old_line']) or '-'} \u2192 {text(event['new_line']) or '-'}"
        rows.append(
            f"<tr><td>{_when(str(event['at']))}</td><td>{text(event['domain'])}</td><td>{text(event['kind'])}</td>"
            f'<td><span class="badge {_change_css(str(event["type"]))}">'
            f"{text(event['type'])}</span></td>"
            f"<td>{text(event['ad_system'])}</td><td>{text(event['seller_id'])}</td>"
            f"<td>{text(event['variable'])}</td><td>{text(event['old'])}</td><td>{text(event['new'])}</td>"
            f"<td>{lines}</td></tr>"
        )
    headers = [
        ("At (UTC)", False),
        ("Domain", False),
        ("Kind", False),
        ("Type", False),
        ("Ad system", False),
        ("Seller ID", False),
        ("Variable", False),
        ("Old", False),
        ("New", False),
        ("Lines", False),
    ]
    note = ""
    if summary.events > len(summary.latest):
        note = (
            '<p class="note" id="changes-cut">This table lists the latest '
            f"{_number(len(summary.latest))} of {_number(summary.events)} change events; "
            "the figures and charts count all of them. Run the report again with "
            "<code>--max-rows 0</code> to list every one, or see them with "
            "<code>adstxt changes --since DATE</code>.</p>"
        )
    return note + _table("changes", "Latest changes", headers, rows, len(rows))


def _store_section(summary: StoreSummary) -> str:
    return (
        '<section id="store"><h2>Crawl store</h2>'
        + f'<dl class="inputs"><div><dt>Store</dt><dd>{cell(summary.where)}</dd></div></dl>'
        + _figures(_store_figures(summary))
        + _store_charts(summary)
        + "<h3>Crawls</h3>"
        + _crawls_table(summary)
        + "<h3>Latest changes</h3>"
        + _changes_table(summary)
        + "</section>"
    )


# ---- the page -------------------------------------------------------------------------------


def render(report: Report) -> str:
    """The whole page."""
    sections = []
    if report.check is not None:
        sections.append(_check_section(report, report.check))
    if report.audit is not None:
        sections.append(_audit_section(report.audit))
    if report.store is not None:
        sections.append(_store_section(report.store))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="generator" content="adstxt report">'
        f"<title>{cell(report.title)}</title><style>{STYLE}</style></head>\n<body>"
        f'<header><h1>{cell(report.title)}</h1><p class="meta">Made by <code>adstxt report</code>. '
        "With JavaScript on, click a column header to sort its table and type in a filter "
        "box to narrow the rows.</p></header>\n"
        + "\n".join(sections)
        + f"\n<script>{SCRIPT}</script></body></html>\n"
    )
