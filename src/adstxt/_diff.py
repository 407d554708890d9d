"""The unified diff of what ``--fix`` changed, built from the edits it made.

Comparing the whole file before and after with :mod:`difflib` takes time that grows with
the square of the file's length; the fixer knows where it edited, so only the lines around
each edit are compared, and the rest of the file is known to be unchanged.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence

from adstxt._report import escape
from adstxt._text import Text

__all__ = ["unified_diff"]

#: Lines of unchanged context around each change, as ``diff -u`` shows.
CONTEXT = 3
#: Unchanged lines compared before and after an edit. Where an edit leaves a run of equal
#: lines (a repeated record deleted), which of them changed is a matter of alignment: the
#: longer margin before makes the comparison keep the first and show the later one
#: removed, which is what the fixes do.
_BEFORE = 2 * CONTEXT + 2
_AFTER = CONTEXT + 1

Span = tuple[int, int, int, int]
Opcode = tuple[str, int, int, int, int]


def _visible(text: str) -> str:
    text = escape(text)
    if text.isascii():
        return text
    return "".join(
        f"\\u{ord(c):04x}" if (c.isspace() and c != " ") or 0xD800 <= ord(c) <= 0xDFFF else c
        for c in text
    )


def _shown(body: str, ending: str) -> str:
    """A line made safe to print, ending in a newline."""
    # TABs and CRLF/LF endings stay as they are, so the diff can be applied as a patch;
    # other control characters, lone CRs and unusual spaces are shown as escapes.
    shown = "\t".join(_visible(part) for part in body.split("\t"))
    if ending in ("\n", "\r\n"):
        return shown + ending
    if ending:
        return shown + _visible(ending) + "\n"
    return shown + "\n\\ No newline at end of file\n"


def _label(text: Text) -> str:
    return text.encoding.upper() + (" with a byte-order mark" if text.bom else "")


def _back(position: int, spans: Sequence[Span], end: bool) -> int:
    """Where a position after one pass was before it; inside an edit, that edit's start
    (or end, for the end of a span)."""
    index = bisect.bisect_right([span[2] for span in spans], position) - 1
    if index < 0:
        return position
    start, stop, new_start, new_end = spans[index]
    if position < new_end or (position == new_end and not end and new_start < new_end):
        return stop if end else start
    return position - new_end + stop


def _forward(position: int, spans: Sequence[Span]) -> int:
    """Where a position outside every edit of one pass is after it (insertions at the
    position itself go before it)."""
    index = bisect.bisect_right([span[1] for span in spans], position) - 1
    if index < 0:
        return position
    return position - spans[index][1] + spans[index][3]


def _regions(before: Text, passes: Sequence[Sequence[Span]]) -> list[tuple[int, int]]:
    """Line ranges of the original file (first, last + 1) that hold every edit, with a
    margin of unchanged lines on each side, merged where they touch."""
    count = len(before.lines)
    lines: list[tuple[int, int]] = []
    for number, spans in enumerate(passes):
        earlier = passes[:number]
        for start, stop, _, _ in spans:
            for back in reversed(earlier):
                start, stop = _back(start, back, False), _back(stop, back, True)
            first = before.line_of(start) - _BEFORE
            # An edit that ends at the start of a line (a line deleted) ends in the line
            # before.
            last = before.line_of(max(start, stop - 1)) + 1 + _AFTER
            lines.append((max(0, first), min(count, last)))
    lines.sort()
    merged: list[tuple[int, int]] = []
    for first, last in lines:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _pairs(text: Text, start: int, end: int) -> list[str]:
    """The shown lines of ``text.document[start:end]``, which starts at a line start."""
    from adstxt._decode import split_lines_keepends

    return [_shown(body, ending) for body, ending in split_lines_keepends(text.document[start:end])]


def _opcodes(before: Text, after: Text, passes: Sequence[Sequence[Span]]) -> list[Opcode]:
    old_count = len(before.lines)
    codes: list[Opcode] = []
    i = j = 0
    for first, last in _regions(before, passes):
        start, end = before.starts[first], before.starts[last]
        if first == 0:
            new_start = after.body_start
        else:
            new_start = start
            for spans in passes:
                new_start = _forward(new_start, spans)
        new_end = end
        for spans in passes:
            new_end = _forward(new_end, spans)
        old = [
            _shown(body, ending)
            for body, ending in zip(
                before.lines[first:last], before.endings[first:last], strict=True
            )
        ]
        new = _pairs(after, new_start, new_end)
        j += first - i
        i = first
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        codes.extend(
            (str(op[0]), i + op[1], i + op[2], j + op[3], j + op[4]) for op in matcher.get_opcodes()
        )
        i, j = last, j + len(new)
    if i < old_count:
        codes.append(("equal", i, old_count, j, j + old_count - i))
    # Fill the unchanged stretches between regions, and join neighbouring ones.
    full: list[Opcode] = []
    a = b = 0
    for tag, a0, a1, b0, b1 in codes:
        if a0 > a:
            full.append(("equal", a, a0, b, b0))
        full.append((tag, a0, a1, b0, b1))
        a, b = a1, b1
    joined: list[Opcode] = []
    for code in full:
        if joined and code[0] == joined[-1][0] == "equal":
            joined[-1] = ("equal", joined[-1][1], code[2], joined[-1][3], code[4])
        elif code[1] != code[2] or code[3] != code[4]:
            joined.append(code)
    return joined or [("equal", 0, 0, 0, 0)]


def _range(start: int, stop: int) -> str:
    """A hunk header's range, as ``diff -u`` writes it."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def _groups(opcodes: list[Opcode], context: int) -> Iterator[list[Opcode]]:
    """The changes in hunks: each with up to ``context`` unchanged lines around it, and a
    new hunk wherever more than twice that many unchanged lines separate two changes."""
    codes = list(opcodes)
    tag, a0, a1, b0, b1 = codes[0]
    if tag == "equal":
        codes[0] = (tag, max(a0, a1 - context), a1, max(b0, b1 - context), b1)
    tag, a0, a1, b0, b1 = codes[-1]
    if tag == "equal":
        codes[-1] = (tag, a0, min(a1, a0 + context), b0, min(b1, b0 + context))
    group: list[Opcode] = []
    for tag, a0, a1, b0, b1 in codes:
        if tag == "equal" and a1 - a0 > 2 * context:
            group.append((tag, a0, a0 + context, b0, b0 + context))
            yield group
            group = []
            a0, b0 = a1 - context, b1 - context
        group.append((tag, a0, a1, b0, b1))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _hunks(before: Text, after: Text, opcodes: list[Opcode]) -> Iterator[str]:
    def old_line(index: int) -> str:
        return _shown(before.lines[index], before.endings[index])

    def new_line(index: int) -> str:
        return _shown(after.lines[index], after.endings[index])

    for group in _groups(opcodes, CONTEXT):
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, a0, a1, b0, b1 in group:
            if tag == "equal":
                for index in range(a0, a1):
                    yield " " + old_line(index)
                continue
            if tag in ("replace", "delete"):
                for index in range(a0, a1):
                    yield "-" + old_line(index)
            if tag in ("replace", "insert"):
                for index in range(b0, b1):
                    yield "+" + new_line(index)


def unified_diff(name: str, before: Text, after: Text, passes: Sequence[Sequence[Span]]) -> str:
    """The changes between two versions of a file, for the edits that made one the other."""
    header = f"--- {escape(name)}\t({_label(before)})\n+++ {escape(name)}\t({_label(after)})\n"
    return header + "".join(_hunks(before, after, _opcodes(before, after, passes)))
