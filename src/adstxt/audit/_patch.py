"""Patches that give a publisher the expected lines it lacks, as unified diffs.

A diff, rather than the bare lines, so that ``git apply`` or ``patch -p1`` applies it in
the directory that holds the file, and refuses when the file changed since the audit. The
diff is built from the file's bytes, as those tools read it (lines end at LF): a
byte-order mark, bytes that are no UTF-8, CR LF endings and a last line without an ending
are kept exactly. Added lines take the file's usual line ending. Most lines are appended;
a variable the file may declare once (OWNERDOMAIN) is changed where it stands.
"""

from __future__ import annotations

import codecs
import difflib
from collections import Counter
from collections.abc import Sequence

from adstxt.audit._forward import PublisherResult
from adstxt.authorization import AdsFile
from adstxt.model import FileKind

__all__ = ["appending_diff", "creating_diff", "patch_for", "unpatchable"]

#: Lines of the file shown around the changed ones, as diff tools do.
_CONTEXT = 3
_NO_NEWLINE = b"\\ No newline at end of file\n"
_BOM = codecs.BOM_UTF8


def _split(data: bytes) -> list[bytes]:
    """The file's lines with their endings, split at LF as git and patch split them."""
    lines = data.split(b"\n")
    out = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def _ending(lines: Sequence[bytes]) -> bytes:
    """The file's usual line ending (LF when it has none)."""
    counts = Counter(
        b"\r\n" if line.endswith(b"\r\n") else b"\n" for line in lines if line.endswith(b"\n")
    )
    return counts.most_common(1)[0][0] if counts else b"\n"


def _hunk_lines(prefix: bytes, lines: Sequence[bytes]) -> list[bytes]:
    out = []
    for line in lines:
        out.append(prefix + line)
        if not line.endswith(b"\n"):
            out.append(b"\n" + _NO_NEWLINE)
    return out


def appending_diff(
    data: bytes,
    kind: FileKind,
    lines: Sequence[str],
    replace: Sequence[tuple[int, str]] = (),
) -> bytes:
    """A unified diff of the file whose bytes are ``data`` that appends ``lines`` at its
    end and changes each (line number, text) of ``replace`` (the first change of a line
    counts)."""
    old = _split(data)
    if not old:
        diff = creating_diff(kind, lines)
        return diff.replace(b"--- /dev/null", f"--- a/{kind}".encode(), 1)
    ending = _ending(old)
    new = list(old)
    changed: set[int] = set()
    for number, text in replace:
        if 1 <= number <= len(old) and number not in changed:
            changed.add(number)
            keep = old[number - 1][len(old[number - 1].rstrip(b"\r\n")) :]
            # A byte-order mark belongs to the file, not to its first line: it stays.
            bom = _BOM if number == 1 and old[0].startswith(_BOM) else b""
            new[number - 1] = bom + text.encode("utf-8") + keep
    if lines:
        if not new[-1].endswith(b"\n"):
            new[-1] += ending
        new.extend(text.encode("utf-8") + ending for text in lines)
        if not old[-1].endswith(b"\n"):
            # Keep the publisher's style: the last line had no ending, nor has the new one.
            new[-1] = new[-1][: -len(ending)]
    out = [f"--- a/{kind}\n".encode(), f"+++ b/{kind}\n".encode()]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(_CONTEXT):
        first, last = group[0], group[-1]
        old_start, old_end = first[1], last[2]
        new_start, new_end = first[3], last[4]
        out.append(f"@@ -{_range(old_start, old_end)} +{_range(new_start, new_end)} @@\n".encode())
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_hunk_lines(b" ", old[i1:i2]))
                continue
            out.extend(_hunk_lines(b"-", old[i1:i2]))
            out.extend(_hunk_lines(b"+", new[j1:j2]))
    return b"".join(out)


def _range(start: int, end: int) -> str:
    """A hunk's range as unified diffs write it: first line (1-based) and count."""
    count = end - start
    if count == 0:
        return f"{start},0"
    return f"{start + 1},{count}"


def creating_diff(kind: FileKind, lines: Sequence[str]) -> bytes:
    """A unified diff that creates the file with ``lines`` (LF endings)."""
    out = ["--- /dev/null\n", f"+++ b/{kind}\n", f"@@ -0,0 +1,{len(lines)} @@\n"]
    out.extend(f"+{text}\n" for text in lines)
    return "".join(out).encode("utf-8")


def unpatchable(file: AdsFile | None) -> str | None:
    """Why no patch can be written for a readable file, or None when one can."""
    if file is None or file.parsed is None:
        return None
    encoding = file.parsed.encoding
    if encoding != "utf-8":
        return (
            f"the file is encoded as {encoding.upper()}, which git apply and patch treat as "
            "binary: no patch is written; save it as UTF-8 and audit again"
        )
    return None


def patch_for(result: PublisherResult, kind: FileKind) -> bytes | None:
    """The diff that adds what ``result`` lacks, or None when there is none to write (the
    publisher is complete, its file must be replaced or read first, or it is not UTF-8)."""
    if not result.to_add and not result.to_replace:
        return None
    if result.status == "no-file":
        return creating_diff(kind, result.to_add)
    file = result.file
    if result.status != "incomplete" or file is None or file.parsed is None:
        return None
    if unpatchable(file) is not None:
        return None
    data = file.raw if file.raw is not None else file.parsed.text.encode("utf-8")
    return appending_diff(data, kind, result.to_add, result.to_replace)
