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

from adstxt import _decode
from adstxt._lint import lint
from adstxt._settings import Settings
from adstxt.diagnostics import Diagnostic, Fix
from adstxt.model import FileKind

__all__ = ["FixResult", "apply_fixes"]

# Fixes that change the file's encoding rather than its text.
_DROP_BOM = "ADS002"
_TO_UTF8 = "ADS003"
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


@attrs.define
class _FileText:
    """The file being fixed: its text, and how it is written back."""

    text: str
    encoding: str
    bom: bool

    def encode(self) -> bytes:
        errors = "surrogateescape" if self.encoding == "utf-8" else "strict"
        body = self.text.encode(self.encoding, errors)
        if not self.bom:
            return body
        return "\ufeff".encode(self.encoding) + body


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for body, ending in _decode.split_lines_keepends(text):
        starts.append(starts[-1] + len(body) + len(ending))
    return starts


def _offset(starts: list[int], line: int, column: int, size: int) -> int:
    if line - 1 >= len(starts):
        return size
    return min(starts[line - 1] + column - 1, size)


def _ending_for(text: str, line: int) -> str:
    """The line ending to use in a fix on ``line``: that line's own, else the file's first."""
    pairs = _decode.split_lines_keepends(text)
    if 0 < line <= len(pairs) and pairs[line - 1][1]:
        return pairs[line - 1][1]
    return next((ending for _, ending in pairs if ending), "\n")


def _apply_edits(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping edits; overlapping ones wait for the next pass."""
    starts = _line_starts(text)
    size = len(text)
    spans = []
    for fix in fixes:
        start = _offset(starts, fix.line, fix.column, size)
        end = _offset(starts, fix.end_line, fix.end_column, size)
        replacement = fix.replacement
        if "\n" in replacement:
            replacement = replacement.replace("\n", _ending_for(text, fix.line))
        spans.append((start, end, replacement, fix))
    spans.sort(key=lambda span: (span[0], span[1]))
    pieces = []
    applied = []
    position = 0
    last: tuple[int, int] | None = None
    for start, end, replacement, fix in spans:
        if start < position or (last is not None and start == end == last[0] == last[1]):
            continue
        if text[start:end] == replacement:
            continue
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
        last = (start, end)
        applied.append(fix)
    pieces.append(text[position:])
    return "".join(pieces), applied


def _extend_to_copies(text: str, fixes: list[Fix], edits: Sequence[Diagnostic]) -> list[Fix]:
    """Character fixes extended to every identical character of the same line.

    The checker reports at most a few characters of one kind per line; the fix for one
    (a no-break space made a space, an invisible character removed) applies to each.
    """
    wanted: dict[tuple[int, str], Fix] = {}
    lines: list[str] | None = None
    for diagnostic, fix in zip(edits, fixes, strict=True):
        if diagnostic.code not in _CHARACTER_CODES or fix.line != fix.end_line:
            continue
        if fix.end_column != fix.column + 1:
            continue
        if lines is None:
            lines = _decode.split_lines(text)
        if fix.line <= len(lines):
            wanted.setdefault((fix.line, lines[fix.line - 1][fix.column - 1]), fix)
    if not wanted or lines is None:
        return fixes
    seen = {(f.line, f.column) for f in fixes}
    extra = []
    for (number, char), model in wanted.items():
        line = lines[number - 1]
        at = line.find(char)
        while at >= 0:
            if (number, at + 1) not in seen:
                extra.append(attrs.evolve(model, column=at + 1, end_column=at + 2))
            at = line.find(char, at + 1)
    return fixes + extra


def apply_fixes(
    data: bytes, *, filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None, domain: str | None = None, settings: Settings | None = None,
    unsafe: bool = False,
) -> FixResult:
    """Apply every safe fix (and unsafe ones too with ``unsafe=True``) to a file's bytes.

    Only findings that the settings enable and no ``noqa`` comment silences are fixed.
    """
    applied: list[Diagnostic] = []
    current = data
    for _ in range(_MAX_PASSES):
        # Decode afresh each pass, exactly as the checker will, so that positions agree.
        decoded = _decode.decode(current)
        if decoded.invalid and decoded.encoding != "utf-8":
            return FixResult(data, (), False, f"the file is not valid {decoded.encoding.upper()}")
        state = _FileText(decoded.text, decoded.encoding, decoded.bom)
        diagnostics = lint(current, filename=filename, kind=kind, domain=domain,
                           settings=settings)
        chosen = [d for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]
        # A suppression can look unused only because another fix has yet to run (a case
        # fix that turns a near-duplicate into an exact one): remove suppressions last.
        others = [d for d in chosen if d.code != _UNUSED_NOQA]
        chosen = others or chosen
        progress = False
        edits = []
        for diagnostic in chosen:
            if diagnostic.code == _DROP_BOM and state.bom and state.encoding == "utf-8":
                state.bom = False
            elif diagnostic.code == _TO_UTF8 and state.encoding != "utf-8":
                state.encoding, state.bom = "utf-8", False
            else:
                edits.append(diagnostic)
                continue
            applied.append(diagnostic)
            progress = True
        if edits:
            fixes = [d.fix for d in edits if d.fix is not None]
            fixes = _extend_to_copies(state.text, fixes, edits)
            state.text, done = _apply_edits(state.text, fixes)
            done_ids = {id(f) for f in done}
            applied.extend(d for d in edits if id(d.fix) in done_ids)
            progress = progress or bool(done)
        if not progress:
            break
        current = state.encode()
    return FixResult(current, tuple(applied), current != data)
