"""Suppression comments written in the checked file itself.

``# noqa`` at the end of a line silences every finding on that line, ``# noqa: ADS220,
ADS221`` only those codes. ``# adstxt: noqa`` anywhere silences the whole file and
``# adstxt: noqa: ADS401`` silences those codes everywhere in it. Both are ordinary
comments, so consumers of the file ignore them. A suppression that silences nothing is
reported as ADS901, with a safe fix that removes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from adstxt.diagnostics import Diagnostic, Fix, Severity
from adstxt.rules import RULES

__all__ = [
    "Silencer",
    "Suppression",
    "apply_suppressions",
    "find_suppressions",
    "might_suppress",
]

_ANY_NOQA_TEXT = re.compile("noqa", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"#[ \t]*(?P<file>adstxt:[ \t]*)?noqa\b(?P<colon>[ \t]*:[ \t]*)?", re.IGNORECASE
)
# One code of the list after "noqa:", with the separator before it. The list is read one
# code at a time, so no pattern repeats a repeat (see tests/test_regex_safety.py).
_NEXT_CODE = re.compile(r"[ \t]*,?[ \t]*([A-Za-z]+[0-9]+)")


@attrs.frozen
class Suppression:
    """One ``noqa`` comment: where it is, and which codes it names (empty for all codes)."""

    line: int
    start: int
    end: int
    codes: tuple[str, ...]
    whole_file: bool
    text: str

    def covers(self, code: str) -> bool:
        """Whether this comment silences ``code``."""
        return not self.codes or code in self.codes


def might_suppress(data: bytes | str) -> bool:
    """Cheap pre-check: False when the file cannot hold a suppression comment at all.

    Substring tests cost a few milliseconds on a large file where a case-insensitive
    search costs ten times as much, so the usual answers come from them: a comment is
    needed, the word is usually written "noqa", and without a ``q`` there is no word.
    A single byte is found fastest (``memchr``, about 2 ms for 40 MB, where "noqa" takes
    20-30 ms), so bytes without a ``q`` or ``Q`` are answered first.
    """
    if isinstance(data, str):
        if "#" not in data:
            return False
        if "noqa" in data or "NOQA" in data:
            return True
        if "q" not in data and "Q" not in data:
            return False
        return _ANY_NOQA_TEXT.search(data) is not None
    # A NUL byte means UTF-16 or UTF-32, where the ASCII searches would miss the word.
    if b"\x00" in data:
        return True
    if b"q" not in data and b"Q" not in data:
        return False
    if b"noqa" in data or b"NOQA" in data:
        return True
    return b"#" in data and b"noqa" in data.lower()


def find_suppressions(lines: Sequence[str], first: int = 1) -> list[Suppression]:
    """Every suppression comment in the file's lines; ``first`` is the first one's number."""
    found = []
    for number, line in enumerate(lines, start=first):
        hash_at = line.find("#")
        if hash_at < 0 or "noqa" not in line[hash_at:].lower():
            continue
        for match in _DIRECTIVE.finditer(line, hash_at):
            codes, end = _codes_after(line, match)
            found.append(
                Suppression(number, match.start(), end, codes, bool(match.group("file")), line)
            )
    return found


def _codes_after(line: str, directive: re.Match[str]) -> tuple[tuple[str, ...], int]:
    """The codes listed after ``noqa:`` and where the list ends (the directive's end if none)."""
    if not directive.group("colon"):
        return (), directive.end()
    codes: list[str] = []
    end = position = directive.end()
    while (code := _NEXT_CODE.match(line, position)) is not None and (
        codes or code.start(1) == position
    ):
        codes.append(code.group(1).upper())
        end = position = code.end()
    return tuple(codes), end if codes else directive.end()


def _unused(suppression: Suppression, used: set[str], known: Iterable[str]) -> Diagnostic:
    known_codes = set(known)
    if suppression.codes:
        stale = [code for code in suppression.codes if code not in used]
        reasons = []
        for code in stale:
            reasons.append(f"{code} (not a rule code)" if code not in known_codes else code)
        what = "names " + ", ".join(reasons) + ", which "
        what += "is" if len(stale) == 1 else "are"
        what += " not reported " + ("in this file" if suppression.whole_file else "on this line")
    else:
        what = "silences nothing: no finding is reported " + (
            "in this file" if suppression.whole_file else "on this line"
        )
    keep = [code for code in suppression.codes if code in used]
    line = suppression.text
    start, end = suppression.start, suppression.end
    end_line, end_column = suppression.line, end + 1
    if not keep and not line[:start].strip() and not line[end:].strip():
        # The comment is the whole line: delete the line rather than leave it blank.
        start, end_line, end_column = 0, suppression.line + 1, 1
        replacement, description = "", "remove the suppression comment line"
    elif keep:
        prefix = "# adstxt: noqa: " if suppression.whole_file else "# noqa: "
        replacement = prefix + ", ".join(keep)
        description = "keep only " + ", ".join(keep)
    else:
        replacement = ""
        description = "remove the suppression comment"
        # Take the blank space before the comment too, unless the line is only the comment.
        stripped = line[:start].rstrip(" \t")
        if stripped and not stripped.endswith("#"):
            start = len(stripped)
    return Diagnostic(
        code="ADS901",
        severity=Severity.WARNING,
        line=suppression.line,
        column=suppression.start + 1,
        end_column=suppression.end + 1,
        message=f"This suppression comment {what}",
        hint="remove it, or name only the codes it must silence",
        fix=Fix(
            replacement=replacement,
            safe=True,
            description=description,
            line=suppression.line,
            column=start + 1,
            end_line=end_line,
            end_column=end_column,
        ),
    )


class Silencer:
    """Drops the diagnostics that suppression comments silence, noting which ones each
    comment silenced, so that the unused comments can be reported once all are seen."""

    def __init__(self, suppressions: Sequence[Suppression]) -> None:
        self.suppressions = suppressions
        self._whole_file = [s for s in suppressions if s.whole_file]
        self._by_line: dict[int, list[Suppression]] = {}
        for suppression in suppressions:
            if not suppression.whole_file:
                self._by_line.setdefault(suppression.line, []).append(suppression)
        self._used: dict[int, set[str]] = {id(s): set() for s in suppressions}

    def keep(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics that no suppression comment silences."""
        if not self.suppressions:
            return list(diagnostics)
        kept = []
        by_line = self._by_line
        whole_file = self._whole_file
        used = self._used
        for diagnostic in diagnostics:
            silenced = False
            for suppression in (*by_line.get(diagnostic.line, ()), *whole_file):
                if suppression.covers(diagnostic.code):
                    used[id(suppression)].add(diagnostic.code)
                    silenced = True
            if not silenced:
                kept.append(diagnostic)
        return kept

    def unused(self, enabled: Iterable[str]) -> list[Diagnostic]:
        """An ADS901 for each suppression comment that silenced less than it names."""
        if "ADS901" not in set(enabled):
            return []
        found = []
        for suppression in self.suppressions:
            hits = self._used[id(suppression)]
            stale = (
                not hits if not suppression.codes else any(c not in hits for c in suppression.codes)
            )
            if stale:
                found.append(_unused(suppression, hits, RULES))
        return found


def apply_suppressions(
    diagnostics: Iterable[Diagnostic],
    suppressions: Sequence[Suppression],
    enabled: Iterable[str],
) -> list[Diagnostic]:
    """Drop the silenced diagnostics and add an ADS901 for each suppression left unused."""
    silencer = Silencer(suppressions)
    return silencer.keep(diagnostics) + silencer.unused(enabled)
