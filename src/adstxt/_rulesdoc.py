"""Render the rule registry as Markdown: one page per rule, an index and the spec coverage.

``python -m adstxt._rulesdoc docs/rules`` rewrites the pages; a test keeps them current.
"""

from __future__ import annotations

import functools
import sys
from itertools import groupby
from pathlib import Path

from adstxt._lint import lint
from adstxt._report import FileReport, Style, render
from adstxt._speccoverage import SPECS, Clause, Coverage, coverage
from adstxt.rules import HTTP_EXCHANGE, RULES, Rule
from adstxt.rules.supply_chains import SCHAIN_INPUT
from adstxt.sellers import MappingSource

__all__ = ["render_coverage", "render_index", "render_output", "render_rule", "write_pages"]

_FIXES = {
    "safe": "Yes, a safe fix: applying it never changes what consumers understand. "
    "`adstxt-check --fix` applies it; `--diff` shows it first.",
    "unsafe": "An unsafe fix is offered: it is a best guess that a person should review. "
    "`adstxt-check --diff --unsafe-fixes` shows it; `--fix --unsafe-fixes` applies it.",
    "none": "No automatic fix: the right value is something only the file's owner knows.",
}


def _show(example: bytes, limit: int = 400) -> str:
    """Example bytes as readable text; invisible and undecodable characters are escaped."""
    if example.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = "(UTF-16 with a byte-order mark) " + example.decode("utf-16")
    else:
        text = example.decode("utf-8", "backslashreplace")
    out = []
    for char in text:
        code = ord(char)
        if (
            char == "\n"
            or char == "\t"
            or (0x20 <= code < 0x7F)
            or (code > 0xA0 and not (0x2000 <= code <= 0x206F or code == 0xFEFF or code >= 0xFF00))
        ):
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")
    shown = "".join(out)
    if len(shown) > limit:
        shown = shown[:200] + f"... ({len(shown) - 200:,} more characters)\n"
    return shown


@functools.cache
def _coverage() -> Coverage:
    return coverage()


def _clauses(rule: Rule) -> str:
    """The clauses of the specifications that ``rule`` enforces, as a paragraph."""
    found = [c for c, codes in _coverage().clauses if rule.code in codes]
    if not found:
        return f"Source: {rule.spec}. No clause of the specifications covers it directly."
    items = "\n".join(f"- {c.spec}, section {c.section}: {c.requirement}" for c in found)
    return (
        f"Source: {rule.spec}. The clauses it enforces, from the "
        f"[spec coverage](spec-coverage.md) table:\n\n{items}"
    )


def render_output(rule: Rule) -> str:
    """What ``adstxt-check --output-format full`` reports on the rule's failing example."""
    sellers = None
    if rule.sellers_json:
        # The example's sellers.json files, as --sellers-json gives them to the check.
        sellers = MappingSource(dict(rule.sellers_json))
    found = lint(rule.bad, filename=rule.filename, domain=rule.domain, sellers=sellers)
    report = FileReport(rule.filename, found, rule.bad)
    return render([report], "full", Style()).rstrip()


def render_rule(rule: Rule) -> str:
    """The Markdown page of one rule."""
    context = []
    if rule.filename == HTTP_EXCHANGE:
        context.append("an HTTP exchange as a crawler sees it")
    elif rule.filename == SCHAIN_INPUT:
        context.append("a supply chain, as given to `adstxt schain`")
    elif rule.filename != "ads.txt":
        context.append(f"checked as `{rule.filename}`")
    if rule.domain:
        context.append(f"served from `{rule.domain}`")
    where = f" ({', '.join(context)})" if context else ""
    also = ""
    if rule.also:
        also = (
            "\n\nThis example also triggers "
            + ", ".join(f"[{code}]({code}.md)" for code in rule.also)
            + (
                ", as such an exchange would."
                if rule.filename == HTTP_EXCHANGE
                else ", as such a line would."
            )
        )
    against = "".join(
        f"\n\nChecked against this `sellers.json` of `{ad_system}`:\n\n```json\n"
        f"{_show(document, limit=4000).rstrip()}\n```"
        for ad_system, document in rule.sellers_json
    )
    return f"""# {rule.code} {rule.name}

| Severity | Category | Fix | Spec |
|---|---|---|---|
| {_severity(rule)} | {rule.category} | {rule.fix} | {rule.spec} |

{rule.summary}

## Why it matters

{rule.explanation}

{_clauses(rule)}

## Example that fails{where}

```text
{_show(rule.bad).rstrip()}
```{also}{against}

{_output_section(rule)}## Example that passes

```text
{_show(rule.good).rstrip()}
```

## Fix

{_FIXES[rule.fix]}

## Silencing it

{_silencing(rule)}
"""


def _severity(rule: Rule) -> str:
    weak = rule.weak_severity
    return rule.severity.value + (f" ({weak.value} on weak evidence)" if weak else "")


def _output_section(rule: Rule) -> str:
    if rule.filename == SCHAIN_INPUT:
        # A real run of 'adstxt schain' on the example, validation only (no source).
        from adstxt.schain import render_text
        from adstxt.schain._verify import Verifier

        shown = render_text(Verifier().verify(rule.bad), "chain.txt")
        return (
            f"What `adstxt schain chain.txt`, with the example saved as `chain.txt`, "
            f"reports:\n\n```text\n{shown}\n```\n\n"
        )
    if rule.filename == HTTP_EXCHANGE:
        # An exchange needs a server to replay it; the test suite does, the docs do not.
        return ""
    domain = " --domain " + rule.domain if rule.domain else ""
    saved = ""
    if rule.sellers_json:
        names = ", ".join(f"`sellers/{ad_system}.json`" for ad_system, _ in rule.sellers_json)
        domain += f" --sellers-json sellers/ {rule.filename}"
        saved = f", with the sellers.json above saved as {names},"
    return (
        f"What `adstxt-check --output-format full{domain}`{saved} reports:\n\n"
        f"```text\n{render_output(rule)}\n```\n\n"
    )


def _silencing(rule: Rule) -> str:
    everywhere = (
        f'add `"{rule.code}"` to `ignore` in `[tool.adstxt]` (pyproject.toml) or '
        f"`.adstxt.toml`, or pass `--ignore {rule.code}`."
    )
    if rule.filename == SCHAIN_INPUT:
        return (
            "A supply chain carries no comments, and `adstxt schain` reports every "
            "finding: correct the system that builds the chain."
        )
    if rule.filename == HTTP_EXCHANGE:
        return (
            "The finding is about how the file is served, not about a line of it, so a "
            f"comment in the file cannot silence it: {everywhere}"
        )
    return (
        f"On one line, end it with a comment: `# noqa: {rule.code}`. For the whole file, add "
        f"the\ncomment line `# adstxt: noqa: {rule.code}`. For every file, {everywhere}"
    )


def render_index() -> str:
    """The Markdown tables of every rule, one per category."""
    parts = [
        "# Rules\n\nEvery diagnostic code `adstxt` reports, by family. Codes are stable: "
        "they are never renumbered or reused. *Fix* says whether `--fix` repairs the finding "
        "(`safe`), `--fix --unsafe-fixes` offers a best guess (`unsafe`), or the file's owner "
        "must decide (`none`). Which rules enforce which clause of the specifications is in "
        "[spec coverage](spec-coverage.md).\n"
    ]
    for category, rules in groupby(RULES.values(), key=lambda r: r.category):
        rows = [
            f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {r.fix} | {r.summary} |"
            for r in rules
        ]
        parts.append(
            f"\n## {category}\n\n| Code | Name | Severity | Fix | What it checks |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
        )
    return "".join(parts)


def _links(codes: tuple[str, ...]) -> str:
    return ", ".join(f"[{code}]({code}.md)" for code in codes)


_NOBODY = {
    "file": "**Not enforced yet**",
    "serving": "**Not enforced yet**: needs the served file (HTTP status, headers, "
    "redirects), which a file check cannot see",
    "consumer": "Nothing to check: it describes what consumers do",
}


def _enforced_by(clause: Clause, codes: tuple[str, ...]) -> str:
    if codes:
        return _links(codes) + (f" ({clause.note})" if clause.note else "")
    return clause.note or _NOBODY[clause.scope]


def render_coverage() -> str:
    """The table mapping each clause of the specifications to the rules that enforce it."""
    cov = coverage()
    parts = [
        "# Spec coverage\n\nEach clause of the specifications, in our own words, with the "
        "rules that enforce it. The table is generated from the rule registry and the "
        "clause list in `adstxt/_speccoverage.py`, so it cannot drift from the code. A "
        "clause that no rule enforces says so. Clauses about how a file is served (HTTP "
        "status, Content-Type, redirects) need the file as fetched from the web, which "
        "checking a file's contents cannot see.\n"
    ]
    for spec in SPECS:
        rows = []
        for clause, codes in cov.clauses:
            if clause.spec == spec:
                section = clause.section.replace("|", "\\|")
                rows.append(f"| {section} | {clause.requirement} | {_enforced_by(clause, codes)} |")
        mine = [(c, codes) for c, codes in cov.clauses if c.spec == spec]
        enforced = sum(1 for c, codes in mine if codes or c.note)
        consumer = sum(1 for c, codes in mine if not codes and c.scope == "consumer")
        parts.append(
            f"\n## {spec}\n\n{enforced} of {len(mine)} clauses are enforced by at least one "
            f"rule; {consumer} {'describes' if consumer == 1 else 'describe'} only what "
            f"consumers do; {len(mine) - enforced - consumer} not enforced yet.\n\n"
            "| Section | Requirement | Enforced by |\n|---|---|---|\n" + "\n".join(rows) + "\n"
        )
        if cov.unplaced[spec]:
            parts.append(
                f"\nAlso citing {spec}, not yet placed on a clause: {_links(cov.unplaced[spec])}.\n"
            )
    placed = {code for _, codes in cov.clauses for code in codes}
    placed.update(code for codes in cov.unplaced.values() for code in codes)
    beyond = tuple(code for code in RULES if code not in placed)
    parts.append(
        "\n## Beyond the specifications\n\nThese rules catch mistakes seen in real files "
        "that no clause forbids outright, or serve the checker itself: " + _links(beyond) + ".\n"
    )
    return "".join(parts)


def write_pages(directory: Path) -> list[Path]:
    """Write every rule page and the index into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in RULES.values():
        path = directory / f"{rule.code}.md"
        path.write_text(render_rule(rule), encoding="utf-8")
        written.append(path)
    for name, text in (("index.md", render_index()), ("spec-coverage.md", render_coverage())):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")):
        print(written_path)
