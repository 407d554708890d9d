"""Patches that append the expected lines a publisher lacks, as unified diffs.

A diff, rather than the bare lines, so that ``git apply`` or ``patch -p1`` applies it in
the directory that holds the file, and refuses when the file changed since the audit. The
diff keeps the publisher's style: its line ending and whether its last line ends with one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from adstxt.audit._forward import PublisherResult
from adstxt.model import FileKind, ParseResult

__all__ = ["appending_diff", "creating_diff", "patch_for"]

#: Lines of the file shown before the added ones, as diff tools do.
_CONTEXT = 3
_NO_NEWLINE = "\\ No newline at end of file\n"


def _ending(parsed: ParseResult) -> str:
    """The file's usual line ending (LF when it has none)."""
    counts = Counter(ending for _, _, ending in parsed.lines() if ending)
    return counts.most_common(1)[0][0] if counts else "\n"


def appending_diff(parsed: ParseResult, kind: FileKind, lines: Sequence[str]) -> str:
    """A unified diff of the file ``parsed`` came from that appends ``lines`` at its end."""
    ending = _ending(parsed)
    existing = list(parsed.lines())
    # The split keeps a last, empty piece after a final line ending: it is no line.
    if existing and existing[-1][1] == "" and existing[-1][2] == "":
        existing.pop()
    count = len(existing)
    if count == 0:
        return creating_diff(kind, lines).replace("--- /dev/null", f"--- a/{kind}", 1)
    context = existing[-_CONTEXT:]
    start = count - len(context) + 1
    out = [f"--- a/{kind}\n", f"+++ b/{kind}\n"]
    old = len(context)
    new = old + len(lines)
    out.append(f"@@ -{start},{old} +{start},{new} @@\n")
    ends_with_newline = not context or context[-1][2] != ""
    for _, text, line_ending in context[:-1] if not ends_with_newline else context:
        out.append(f" {text}{line_ending}")
    if not ends_with_newline:
        last = context[-1][1]
        out.append(f"-{last}\n{_NO_NEWLINE}+{last}{ending}")
    for number, text in enumerate(lines, start=1):
        if number == len(lines) and not ends_with_newline:
            out.append(f"+{text}\n{_NO_NEWLINE}")
        else:
            out.append(f"+{text}{ending}")
    return "".join(out)


def creating_diff(kind: FileKind, lines: Sequence[str]) -> str:
    """A unified diff that creates the file with ``lines`` (LF endings)."""
    out = ["--- /dev/null\n", f"+++ b/{kind}\n", f"@@ -0,0 +1,{len(lines)} @@\n"]
    out.extend(f"+{text}\n" for text in lines)
    return "".join(out)


def patch_for(result: PublisherResult, kind: FileKind) -> str | None:
    """The diff that adds what ``result`` lacks, or None when there is none to write (the
    publisher is complete, or its file must be replaced or read first)."""
    if not result.to_add:
        return None
    if result.status == "no-file":
        return creating_diff(kind, result.to_add)
    file = result.file
    if result.status != "incomplete" or file is None or file.parsed is None:
        return None
    return appending_diff(file.parsed, kind, result.to_add)
