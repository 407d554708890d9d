"""Apply the fixes that diagnostics offer, without losing anything else in the file.

Edits are made on the decoded text, so comments, blank lines, lines the checker could not
use and every line ending stay exactly as they were. Bytes that were not valid UTF-8 are
carried through unchanged. Fixing runs in passes (a fix can reveal another finding) until
nothing is left to fix, so fixing a file twice changes nothing the second time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import attrs

from adstxt._lint import lint
from adstxt._settings import Settings
from adstxt._text import Edit, Text
from adstxt.diagnostics import Diagnostic, Fix
from adstxt.model import FileKind

__all__ = ["FixResult", "apply_fixes"]

# The fixes that remove a byte-order mark; ADS003 also changes the file's encoding.
_DROP_BOM = "ADS002"
_TO_UTF8 = "ADS003"
_REMOVES_BOM = frozenset((_DROP_BOM, _TO_UTF8))
_UNUSED_NOQA = "ADS901"
# Control, invisible, look-alike and unusual-whitespace characters: one-character fixes.
_CHARACTER_CODES = frozenset(("ADS007", "ADS008", "ADS009", "ADS010"))
_MAX_PASSES = 16


@attrs.frozen
class FixResult:
    """What :func:`apply_fixes` did: the new bytes and the findings whose fixes were applied."""

    data: bytes
    applied: tuple[Diagnostic, ...]
    changed: bool
    #: Why nothing could be fixed, when the file cannot be rewritten without loss.
    refused: str | None = None
    #: The file as given and as fixed, decoded (the same when nothing changed).
    before: Text | None = attrs.field(default=None, eq=False, repr=False)
    after: Text | None = attrs.field(default=None, eq=False, repr=False)
    #: The findings :func:`adstxt.lint` reports on the file as given (None if not checked).
    first: tuple[Diagnostic, ...] | None = attrs.field(default=None, eq=False, repr=False)
    #: The findings :func:`adstxt.lint` reports on the fixed file, when the last pass
    #: checked it (None when the passes ran out first or nothing was checked).
    remaining: tuple[Diagnostic, ...] | None = attrs.field(default=None, eq=False, repr=False)
    #: Each pass's edits as ``(start, end, new_start, new_end)`` offsets in the document
    #: before and after that pass, for showing the changes.
    passes: tuple[tuple[tuple[int, int, int, int], ...], ...] = attrs.field(
        default=(), eq=False, repr=False
    )


def _edit_for(text: Text, diagnostic: Diagnostic, fix: Fix) -> Edit:
    """Where in the document a fix applies, and what it writes there."""
    if diagnostic.code in _REMOVES_BOM and text.bom:
        # The byte-order mark is the document's first character: removing it is an edit
        # like any other (and so it shows in no line of a diff).
        return Edit(0, 1, "")
    replacement = fix.replacement
    if "\n" in replacement:
        replacement = replacement.replace("\n", text.ending_for(fix.line))
    return Edit(
        text.offset(fix.line, fix.column), text.offset(fix.end_line, fix.end_column), replacement
    )


def _choose_edits(
    text: Text, chosen: Sequence[tuple[Diagnostic, Fix]]
) -> tuple[list[Edit], list[Diagnostic]]:
    """Non-overlapping edits that change something; overlapping ones wait for the next pass."""
    spans = sorted(
        ((_edit_for(text, d, fix), d) for d, fix in chosen),
        key=lambda pair: (pair[0].start, pair[0].end),
    )
    document = text.document
    edits: list[Edit] = []
    applied: list[Diagnostic] = []
    position = 0
    last: Edit | None = None
    for edit, diagnostic in spans:
        if edit.start < position or (
            last is not None and edit.start == edit.end == last.start == last.end
        ):
            continue
        if document[edit.start : edit.end] == edit.replacement:
            continue
        edits.append(edit)
        position = edit.end
        last = edit
        applied.append(diagnostic)
    return edits, applied


def _extend_to_copies(
    text: Text, chosen: list[tuple[Diagnostic, Fix]]
) -> list[tuple[Diagnostic, Fix]]:
    """Character fixes extended to every identical character of the same line.

    The checker reports at most a few characters of one kind per line; the fix for one
    (a no-break space made a space, an invisible character removed) applies to each.
    """
    wanted: dict[tuple[int, str], tuple[Diagnostic, Fix]] = {}
    lines = text.lines
    for diagnostic, fix in chosen:
        if diagnostic.code not in _CHARACTER_CODES or fix.line != fix.end_line:
            continue
        if fix.end_column != fix.column + 1:
            continue
        if fix.line <= len(lines):
            wanted.setdefault((fix.line, lines[fix.line - 1][fix.column - 1]), (diagnostic, fix))
    if not wanted:
        return chosen
    seen = {(f.line, f.column) for _, f in chosen}
    extra = []
    for (number, char), (diagnostic, model) in wanted.items():
        line = lines[number - 1]
        at = line.find(char)
        while at >= 0:
            if (number, at + 1) not in seen:
                extra.append((diagnostic, attrs.evolve(model, column=at + 1, end_column=at + 2)))
            at = line.find(char, at + 1)
    return chosen + extra


def _shifts(edits: Sequence[Edit]) -> tuple[tuple[int, int, int, int], ...]:
    """Each edit's span before and after it is made."""
    out = []
    shift = 0
    for edit in edits:
        start = edit.start + shift
        shift += len(edit.replacement) - (edit.end - edit.start)
        out.append((edit.start, edit.end, start, start + len(edit.replacement)))
    return tuple(out)


def apply_fixes(
    data: bytes | Text,
    *,
    filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None,
    domain: str | None = None,
    settings: Settings | None = None,
    unsafe: bool = False,
) -> FixResult:
    """Apply every safe fix (and unsafe ones too with ``unsafe=True``) to a file's bytes.

    Only findings that the settings enable and no ``noqa`` comment silences are fixed.
    """
    original = data if isinstance(data, Text) else Text.from_bytes(bytes(data))
    raw = original.encode() if isinstance(data, Text) else bytes(data)
    if original.invalid and original.encoding != "utf-8":
        return FixResult(
            raw,
            (),
            False,
            f"the file is not valid {original.encoding.upper()}",
            before=original,
            after=original,
        )
    applied: list[Diagnostic] = []
    passes = []
    text = original
    remaining: tuple[Diagnostic, ...] | None = None
    first: tuple[Diagnostic, ...] | None = None
    for _ in range(_MAX_PASSES):
        # Each pass checks the text the previous one wrote, so that positions agree.
        diagnostics = lint(text, filename=filename, kind=kind, domain=domain, settings=settings)
        if first is None:
            first = tuple(diagnostics)
        chosen = [d for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]
        # A suppression can look unused only because another fix has yet to run (a case
        # fix that turns a near-duplicate into an exact one): remove suppressions last.
        others = [d for d in chosen if d.code != _UNUSED_NOQA]
        chosen = others or chosen
        encoding = text.encoding
        recoded = []
        if text.encoding != "utf-8" and any(d.code == _TO_UTF8 for d in chosen):
            encoding = "utf-8"
            recoded = [d for d in chosen if d.code == _TO_UTF8][:1]
        # ADS003 on a file with a byte-order mark drops it too, as an ordinary edit.
        pairs = [
            (d, d.fix)
            for d in chosen
            if d.fix is not None
            and (
                d.code not in _REMOVES_BOM
                or (
                    text.bom
                    and (d.code == _TO_UTF8 if text.encoding != "utf-8" else d.code == _DROP_BOM)
                )
            )
        ]
        edits, done = _choose_edits(text, _extend_to_copies(text, pairs))
        done_ids = {id(d) for d in done}
        applied.extend(recoded)
        applied.extend(d for d in chosen if id(d) in done_ids and d not in recoded)
        if not edits and encoding == text.encoding:
            remaining = tuple(diagnostics)
            break
        passes.append(_shifts(edits))
        text = text.edited(text.apply(edits), encoding)
    data_out = text.encode() if passes else raw
    return FixResult(
        data_out,
        tuple(applied),
        data_out != raw,
        before=original,
        after=text,
        first=first,
        remaining=remaining,
        passes=tuple(passes),
    )
