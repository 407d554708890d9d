"""The linter's pipeline: check a file, then apply settings and suppression comments."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from adstxt._api import check, parse
from adstxt._settings import Settings
from adstxt._suppress import apply_suppressions, find_suppressions, might_suppress
from adstxt._text import Text, as_text
from adstxt.diagnostics import Diagnostic, Fix
from adstxt.model import FileKind

if TYPE_CHECKING:
    from adstxt.sellers import SellersSource

__all__ = ["decoded_lines", "lint", "suppress"]

_DEFAULT = Settings()
_UNUSED_NOQA = "ADS901"


def decoded_lines(source: str | bytes | Text) -> list[str]:
    """The file's lines as the checker numbers them (byte-order mark removed)."""
    return as_text(source).lines


def _replaced_text(lines: Sequence[str], fix: Fix) -> str:
    """The text a fix replaces, with ``\n`` between lines."""
    if fix.line == fix.end_line:
        line = lines[fix.line - 1] if fix.line <= len(lines) else ""
        return line[fix.column - 1 : fix.end_column - 1]
    parts = [lines[fix.line - 1][fix.column - 1 :] if fix.line <= len(lines) else ""]
    parts.extend(lines[n - 1] for n in range(fix.line + 1, min(fix.end_line, len(lines) + 1)))
    if fix.end_line <= len(lines):
        parts.append(lines[fix.end_line - 1][: fix.end_column - 1])
    return "\n".join(parts)


def _protect_comments(text: Text, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A fix that would delete a comment or an extension is not safe: they are someone's
    words, which no consumer needs but their author may."""
    if not any(d.fix is not None and d.fix.safe and d.code != _UNUSED_NOQA for d in diagnostics):
        return diagnostics
    lines = text.lines
    out = []
    for d in diagnostics:
        fix = d.fix
        if (
            fix is not None and fix.safe and d.code != _UNUSED_NOQA
            and any(m in _replaced_text(lines, fix) and m not in fix.replacement for m in "#;")
        ):
            d = attrs.evolve(d, fix=attrs.evolve(fix, safe=False))
        out.append(d)
    return out


def lint(
    source: str | bytes | Text, *, filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None, domain: str | None = None, settings: Settings | None = None,
    sellers: SellersSource | None = None,
) -> list[Diagnostic]:
    """Check a file as ``adstxt-check`` does: selected rules, overridden severities, ``noqa``.

    ``settings`` defaults to every rule at its own severity. ``domain`` falls back to the
    settings' domain. With ``sellers`` (see :mod:`adstxt.sellers`), every record is also
    checked against its ad system's sellers.json. The diagnostics come sorted by position.
    """
    settings = settings or _DEFAULT
    domain = domain or settings.domain
    text = as_text(source)
    tag_checked: dict[int, bool] = {}
    if sellers is None:
        found: Sequence[Diagnostic] = check(text, filename=filename, kind=kind, domain=domain)
    else:
        from adstxt.sellers._crosscheck import check_records

        result = parse(text, filename=filename, kind=kind, domain=domain)
        prefetch = getattr(sellers, "prefetch", None)
        if prefetch is not None:  # an online source fetches every ad system's file at once
            prefetch(sorted({record.domain for record in result.records}))
        crossed, tag_checked = check_records(result, sellers, domain)
        found = [*result.diagnostics, *crossed]
    diagnostics = settings.apply(found)
    if tag_checked:
        # The ad system's own TAG-ID settles field 4 (ADS708, or nothing when they agree):
        # the IDs observed in other files (ADS222) would only repeat or contradict it.
        differs = "ADS708" in settings.enabled_codes()
        diagnostics = [d for d in diagnostics if not (
            d.code == "ADS222" and d.line in tag_checked
            and (tag_checked[d.line] or differs))]
    diagnostics = suppress(text, diagnostics, settings)
    return sorted(_protect_comments(text, diagnostics), key=Diagnostic.sort_key)


def suppress(text: Text, diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Drop what the file's ``noqa`` comments silence; report the unused ones (ADS901)."""
    if might_suppress(text.document):
        suppressions = find_suppressions(text.lines)
        if suppressions:
            diagnostics = settings.apply(
                apply_suppressions(diagnostics, suppressions, settings.enabled_codes())
            )
    return diagnostics
