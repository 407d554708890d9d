"""The linter's pipeline: check a file, then apply settings and suppression comments."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

import attrs

from adstxt import _decode
from adstxt._api import check, kind_for, parse
from adstxt._engine_choice import MAX_LINE, Engine
from adstxt._settings import Settings
from adstxt._suppress import (
    Silencer,
    Suppression,
    apply_suppressions,
    find_suppressions,
    might_suppress,
)
from adstxt._text import Text, as_text
from adstxt.diagnostics import REPORT_ORDER, Diagnostic, Fix
from adstxt.model import FileKind, Variable

if TYPE_CHECKING:
    from adstxt.sellers import SellersSource

__all__ = ["decoded_lines", "lint", "lint_stream", "scan_suppressions", "suppress"]

_DEFAULT = Settings()
_UNUSED_NOQA = "ADS901"


def decoded_lines(source: str | bytes | Text) -> list[str]:
    """The file's lines as the checker numbers them (byte-order mark removed)."""
    return as_text(source).lines


def _replaced_text(line: Callable[[int], str], fix: Fix) -> str:
    """The text a fix replaces, with ``\n`` between lines (``line`` gives ``""`` past the
    end of the file)."""
    if fix.line == fix.end_line:
        return line(fix.line)[fix.column - 1 : fix.end_column - 1]
    if fix.column == 1 and fix.end_column == 1 and fix.end_line == fix.line + 1:
        return line(fix.line) + "\n"  # a whole line deleted: the usual fix, made quickly
    parts = [line(fix.line)[fix.column - 1 :]]
    parts.extend(line(n) for n in range(fix.line + 1, fix.end_line))
    parts.append(line(fix.end_line)[: fix.end_column - 1])
    return "\n".join(parts)


def _protect_comments(
    line: Callable[[int], str], diagnostics: list[Diagnostic]
) -> list[Diagnostic]:
    """A fix that would delete a comment or an extension is not safe: they are someone's
    words, which no consumer needs but their author may."""
    out = diagnostics  # copied only when a fix is changed: the usual case changes none
    for index, d in enumerate(diagnostics):
        fix = d.fix
        if fix is None or not fix.safe or d.code == _UNUSED_NOQA:
            continue
        replaced = _replaced_text(line, fix)
        if ("#" in replaced and "#" not in fix.replacement) or (
            ";" in replaced and ";" not in fix.replacement
        ):
            if out is diagnostics:
                out = list(diagnostics)
            out[index] = attrs.evolve(d, fix=attrs.evolve(fix, safe=False))
    return out


def lint(
    source: str | bytes | Text,
    *,
    filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None,
    domain: str | None = None,
    settings: Settings | None = None,
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
        diagnostics = [
            d
            for d in diagnostics
            if not (
                d.code == "ADS222" and d.line in tag_checked and (tag_checked[d.line] or differs)
            )
        ]
    diagnostics = suppress(text, diagnostics, settings)
    return sorted(_protect_comments(text.line, diagnostics), key=REPORT_ORDER)


def suppress(text: Text, diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Drop what the file's ``noqa`` comments silence; report the unused ones (ADS901)."""
    if might_suppress(text.document):
        suppressions = find_suppressions(text.lines)
        if suppressions:
            diagnostics = settings.apply(
                apply_suppressions(diagnostics, suppressions, settings.enabled_codes())
            )
    return diagnostics


def scan_suppressions(stream: BinaryIO, chunk_size: int = 1 << 20) -> list[Suppression]:
    """The suppression comments of a file read from ``stream``, from its start.

    The bytes are searched first; a file without the word (nearly every file) is not
    decoded at all.
    """
    start = stream.tell()
    tail = b""
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            return []
        if might_suppress(tail + chunk):
            break
        tail = chunk[-3:]
    stream.seek(start)
    head = stream.read(_decode.SNIFF_BYTES)
    encoding, skip = _decode.sniff_encoding(head)
    found: list[Suppression] = []
    number = 1
    for lines, _, _ in _decode.iter_decoded_lines(
        stream, head[skip:], encoding, MAX_LINE, chunk_size, skip
    ):
        if might_suppress("\n".join(lines)):
            found.extend(find_suppressions(lines, number))
        number += len(lines)
    return found


Item = tuple[Diagnostic, str]


def lint_stream(
    stream: BinaryIO,
    *,
    filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None,
    domain: str | None = None,
    settings: Settings | None = None,
    suppressions: Sequence[Suppression] = (),
    lines: bool = True,
    reread: Callable[[], BinaryIO] | None = None,
    chunk_size: int = 1 << 20,
) -> Iterator[tuple[bool, list[Item]]]:
    """:func:`lint` for a file of any size, read from ``stream`` in chunks.

    Yields batches of (diagnostic, its line) in report order, each flagged False; then,
    flagged True, the findings only the whole file tells (whole-file findings, mixed line
    endings, unused suppressions), also in report order, to be merged with the others by
    position. With ``lines=False`` every line is given as ``""``; else a late finding's
    line is read again through ``reread`` (a new stream of the same file) when it was not
    kept, and is ``""`` without it. ``suppressions`` are the file's
    suppression comments (see :func:`scan_suppressions`): a comment at the end of a file
    can silence findings at its start. Memory is bounded as for :func:`adstxt.iter_parse`.
    """
    from adstxt._api import (
        STREAM_SELLERS,
        _collector_paused,
        _encoding_diagnostics,
        _mixed_endings_diagnostic,
    )

    settings = settings or _DEFAULT
    domain = domain or settings.domain
    silencer = Silencer(suppressions)
    head = stream.read(_decode.SNIFF_BYTES)
    encoding, skip = _decode.sniff_encoding(head)
    utf8 = encoding == "utf-8"
    engine = Engine(
        kind=kind or kind_for(filename),
        root_domain=domain,
        keep_records=False,
        max_sellers=STREAM_SELLERS,
    )
    engine.expect_sellers(_decode.expected_sellers(stream))
    endings = _decode.EndingTally()
    damaged = False
    kept: dict[int, str] = {}  # the lines the late findings may need
    previous: tuple[int, list[str]] = (0, [])
    base = 0
    lengths: dict[int, int] = {}  # of the lines too long to be kept whole
    for batch_lines, offsets, line_endings in _decode.iter_decoded_lines(
        stream, head[skip:], encoding, MAX_LINE, chunk_size, skip, lengths
    ):
        # The checker makes no reference cycles: the collector, paused while a batch is
        # checked, would only traverse what it builds (a tenth of the time of a big file),
        # and what it leaves is freed when its last reference goes.
        with _collector_paused():
            # The offsets already count from the start of the file, byte-order mark included.
            engine.feed(batch_lines, offsets if utf8 else None)
            if not base:
                kept[1] = batch_lines[0]
            if not utf8 and not damaged:
                damaged = any("\ufffd" in line for line in batch_lines)
            if endings.add(line_endings, base):
                assert endings.odd is not None
                odd = endings.odd[0]
                kept[odd] = batch_lines[odd - base - 1]  # its finding comes late
            found = engine.diagnostics[:]
            _forget(engine)
            if lengths:
                found = [_true_length(d, lengths) for d in found]
                lengths.clear()
            batch = _lines_of(base, batch_lines, previous)
            items = _settle(found, settings, silencer, batch)
            found_items = [(d, batch(d.line) if lines else "") for d in items]
        yield False, found_items
        previous = (base, batch_lines)
        base += len(batch_lines)
    engine.finish()
    late = _encoding_diagnostics(encoding, bool(skip), damaged) + engine.diagnostics
    if endings.odd is not None and endings.usual is not None:
        late.append(_mixed_endings_diagnostic(*endings.odd, endings.usual, endings.counts))
    batch = _lines_of(base, [], previous)
    items = _settle(late, settings, silencer, lambda n: kept.get(n) or batch(n))
    items += settings.apply(silencer.unused(settings.enabled_codes()))
    items.sort(key=REPORT_ORDER)
    if not lines:
        yield True, [(d, "") for d in items]
        return
    for suppression in suppressions:
        kept[suppression.line] = suppression.text
    for d in items:
        if d.line not in kept and previous[0] < d.line <= base:
            kept[d.line] = batch(d.line)
    missing = {d.line for d in items if d.line not in kept and 0 < d.line <= base}
    if missing and reread is not None:
        with reread() as again:
            kept.update(_read_lines(again, missing, chunk_size))
    yield True, [(d, kept.get(d.line, "")) for d in items]


def _read_lines(stream: BinaryIO, numbers: set[int], chunk_size: int) -> dict[int, str]:
    """The text of some lines of a file, read again from its start."""
    head = stream.read(_decode.SNIFF_BYTES)
    encoding, skip = _decode.sniff_encoding(head)
    found = {}
    base = 0
    for lines, _, _ in _decode.iter_decoded_lines(
        stream, head[skip:], encoding, MAX_LINE, chunk_size, skip
    ):
        for number in numbers:
            if base < number <= base + len(lines):
                found[number] = lines[number - base - 1]
        base += len(lines)
    return found


def _true_length(d: Diagnostic, lengths: dict[int, int]) -> Diagnostic:
    """ADS012 of a line cut while it was read gives the length of the whole line, as a
    check of the whole file does."""
    length = lengths.get(d.line)
    if d.code != "ADS012" or length is None:
        return d
    cut = f" is {MAX_LINE + 1:,} characters"
    return attrs.evolve(d, message=d.message.replace(cut, f" is {length:,} characters", 1))


def _forget(engine: Engine) -> None:
    """Drop what a streamed check has no use for once a batch is checked.

    Only the first inventory partners are kept: the end of the check names up to five.
    """
    engine.diagnostics.clear()
    engine.comments.clear()
    partners: dict[str, Variable] = {}
    for variable in engine.variables:
        if variable.name == "INVENTORYPARTNERDOMAIN" and len(partners) < 6:
            partners.setdefault(variable.value.lower(), variable)
    engine.variables[:] = partners.values()


def _lines_of(base: int, lines: list[str], previous: tuple[int, list[str]]) -> Callable[[int], str]:
    """The text of a line of this batch or the one before (``""`` for any other)."""
    before, earlier = previous

    def line(number: int) -> str:
        if base < number <= base + len(lines):
            return lines[number - base - 1]
        if before < number <= before + len(earlier):
            return earlier[number - before - 1]
        return ""

    return line


def _settle(
    found: list[Diagnostic], settings: Settings, silencer: Silencer, line: Callable[[int], str]
) -> list[Diagnostic]:
    """What :func:`lint` does to a batch of the checker's findings, in report order."""
    kept = silencer.keep(settings.apply(found))
    return sorted(_protect_comments(line, kept), key=REPORT_ORDER)
