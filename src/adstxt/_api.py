"""The public entry points: parse, check, stream, load and dump."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Final

from adstxt import _decode, _serialize, model
from adstxt._engine_choice import MAX_LINE, SELLER_TABLE, Engine
from adstxt._text import Text, as_text
from adstxt.diagnostics import REPORT_ORDER, Diagnostic, Fix, Severity
from adstxt.errors import AdsTxtError
from adstxt.model import AdsTxt, FileKind, ParseResult, Record, Variable

__all__ = [
    "check",
    "dumps",
    "iter_parse",
    "kind_for",
    "load",
    "loads",
    "parse",
    "record_from_line",
]


#: How many distinct sellers (with ad systems and variable values) :func:`iter_parse` keeps
#: in string-keyed dicts for the cross-line checks; the sellers and values after that are
#: kept in a compact table (:mod:`adstxt._engine_sellers`), about 20 bytes each instead of
#: about 115, so that a stream's memory stays small and every repeat is still reported.
#: Whole-file checks keep the same bound where the table is the one written in C, which
#: remembers a big file's sellers faster than dicts do.
STREAM_SELLERS: Final = 10_000
#: How many lines a whole-file check feeds the checker at a time (about a stream's batch).
_BATCH_LINES: Final = 16_384


def kind_for(filename: str | os.PathLike[str] | None) -> FileKind:
    """``app-ads.txt`` when the file's name ends in ``app-ads.txt`` (any case), else ``ads.txt``."""
    if filename is not None and os.fspath(filename).lower().endswith("app-ads.txt"):
        return "app-ads.txt"
    return "ads.txt"


def _encoding_diagnostics(encoding: str, bom: bool, damaged: bool = False) -> list[Diagnostic]:
    found = []
    if encoding != "utf-8":
        found.append(
            Diagnostic(
                code="ADS003",
                severity=Severity.ERROR,
                line=1,
                column=1,
                end_column=1,
                message=f"The file is encoded as {encoding.upper()}"
                + (" (with a byte-order mark)" if bom else " (without a byte-order mark)")
                + (", and some of its characters are damaged" if damaged else "")
                + "; crawlers expect UTF-8",
                hint="save the file as UTF-8",
                # Re-encoding damaged text would replace what cannot be decoded: no fix then.
                fix=None
                if damaged
                else Fix(
                    replacement="",
                    safe=True,
                    description="re-encode the file as UTF-8",
                    line=1,
                    column=1,
                    end_line=1,
                    end_column=1,
                ),
            )
        )
    elif bom:
        found.append(
            Diagnostic(
                code="ADS002",
                severity=Severity.WARNING,
                line=1,
                column=1,
                end_column=1,
                message=(
                    "The file starts with a UTF-8 byte-order mark, which strict consumers read as "
                    "part of the first line"
                ),
                fix=Fix(
                    replacement="",
                    safe=True,
                    description="remove the byte-order mark",
                    line=1,
                    column=1,
                    end_line=1,
                    end_column=1,
                ),
            )
        )
    return found


def _mixed_endings(text: Text) -> Diagnostic | None:
    if "\r" not in text.document:
        return None  # only LF: one quick scan instead of three counts
    lf, crlf, cr = _decode.line_ending_counts(text.document)
    if (lf > 0) + (crlf > 0) + (cr > 0) < 2:
        return None
    counts = {"\n": lf, "\r\n": crlf, "\r": cr}
    usual: str | None = None
    for number, ending in enumerate(text.endings, start=1):
        if usual is None:
            usual = ending
        elif ending and ending != usual:
            return _mixed_endings_diagnostic(number, ending, usual, counts)
    return None


def _mixed_endings_diagnostic(
    number: int, ending: str, usual: str, counts: dict[str, int]
) -> Diagnostic:
    names = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
    summary = ", ".join(f"{counts[e]} {names[e]}" for e in names if counts[e])
    return Diagnostic(
        code="ADS013",
        severity=Severity.INFO,
        line=number,
        column=1,
        end_column=1,
        message=(
            f"Line {number} ends with {names[ending]} while the first line ends with "
            f"{names[usual]} ({summary})"
        ),
    )


#: Sources at least this long (characters or bytes) are checked with the young generations
#: emptied first, so that what the check builds can be set aside without a traversal.
_LARGE_SOURCE: Final = 1 << 20


@contextlib.contextmanager
def _collector_paused(size: int = 0) -> Iterator[None]:
    """Pause the cyclic garbage collector, if it runs, while a whole file of ``size`` is
    checked.

    Records and diagnostics form no reference cycles, so while a big file's worth of them is
    built the collector would only traverse the growing lists again and again (a third of
    the time of parsing a large file). It is paused, never left off.

    Switched back on, its next young collection would still traverse every object built
    meanwhile once (a tenth of the time of parsing a large file), and move them on to be
    traversed again. For a large source, the young generations are collected first (what
    the calling program left there is collected or moved to the oldest generation, as
    soon as it survives a collection anyway) so that afterwards they hold only what the
    check built, which then joins the oldest generation directly (``gc.freeze()`` then
    ``gc.unfreeze()``: two list merges). Not when the program keeps frozen objects of its
    own (``gc.freeze()``), which ``gc.unfreeze()`` would release.
    """
    paused = gc.isenabled()
    set_aside = paused and size >= _LARGE_SOURCE and gc.get_freeze_count() == 0
    if set_aside:
        gc.collect(1)
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if set_aside and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if paused:
            gc.enable()


def _size(source: str | bytes | Text) -> int:
    """How large a source is, in characters or bytes: enough to tell a large file."""
    return len(source.document) if isinstance(source, Text) else len(source)


def _run(
    source: str | bytes | Text,
    filename: str | os.PathLike[str] | None,
    kind: FileKind | None,
    domain: str | None,
    keep_records: bool,
    engine_class: type[Engine] = Engine,
) -> tuple[Engine, Text]:
    """Check a whole file; ``engine_class`` lets the tests compare the two engines."""
    text = as_text(source)
    engine = engine_class(
        kind=kind or kind_for(filename),
        root_domain=domain,
        keep_records=keep_records,
        # Past the bound, the C table remembers sellers faster than dicts do (a new seller
        # rarely reads the table's index); the table written in Python is slower than dicts.
        max_sellers=STREAM_SELLERS if SELLER_TABLE == "C" else None,
    )
    engine.diagnostics.extend(_encoding_diagnostics(text.encoding, text.bom, text.invalid))
    lines = text.lines
    offsets = text.byte_offsets()
    plain = _decode.is_plain(text.body)
    # Fed in batches, as a stream is: the engine applies its bound on the sellers kept in
    # dicts between batches, past which the compact table remembers them, and a batch's
    # lines and what the checker builds for them stay in the processor's caches.
    for start in range(0, len(lines), _BATCH_LINES):
        end = start + _BATCH_LINES
        engine.feed(lines[start:end], offsets[start:end] if offsets else None, plain=plain)
    engine.finish()
    mixed = _mixed_endings(text)
    if mixed is not None:
        engine.diagnostics.append(mixed)
    return engine, text


def parse(
    source: str | bytes | Text,
    *,
    filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None,
    domain: str | None = None,
) -> ParseResult:
    """Parse and check a whole ads.txt or app-ads.txt file. Never raises on bad content.

    ``source`` is the file's bytes (any encoding is detected and reported) or its text.
    ``filename`` ending in ``app-ads.txt`` selects the app-ads.txt rules, as does
    ``kind="app-ads.txt"``. ``domain`` is the domain the file is served from, when known;
    it enables the checks that compare SUBDOMAIN entries with it.

    >>> result = parse("mgid.com, 749656, DIRECT, d4c29acad76ce94f\\n")
    >>> result.ok, result.records[0].domain
    (True, 'mgid.com')
    """
    with _collector_paused(_size(source)):
        engine, text = _run(source, filename, kind, domain, keep_records=True)
        return ParseResult(
            records=tuple(engine.records),
            variables=tuple(engine.variables),
            comments=tuple(engine.comments),
            diagnostics=tuple(sorted(engine.diagnostics, key=REPORT_ORDER)),
            kind=engine.kind,
            encoding=text.encoding,
            text=_decode.clean_surrogates(text.body) if text.invalid else text.body,
        )


def check(
    source: str | bytes | Text,
    *,
    filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None,
    domain: str | None = None,
) -> tuple[Diagnostic, ...]:
    """Only the diagnostics of :func:`parse`, without building record objects (faster)."""
    with _collector_paused(_size(source)):
        engine, _ = _run(source, filename, kind, domain, keep_records=False)
        return tuple(sorted(engine.diagnostics, key=REPORT_ORDER))


def iter_parse(
    stream: BinaryIO,
    *,
    filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None,
    domain: str | None = None,
    records: bool = True,
    chunk_size: int = 1 << 20,
) -> Iterator[Record | Variable | Diagnostic]:
    """Check a binary stream of any size, yielding records, variables and diagnostics.

    Memory is bounded by the chunk size and the longest line (capped at 64 KiB), and
    grows with the number of distinct sellers remembered for duplicate detection by about
    20 bytes each (see :data:`STREAM_SELLERS`), not with the rest of the file: about
    45 MB for 2 million distinct sellers. The diagnostics are those of :func:`parse`.
    Items come in line order; whole-file diagnostics come last. With ``records=False``
    only diagnostics are yielded.
    """
    head = stream.read(_decode.SNIFF_BYTES)
    encoding, skip = _decode.sniff_encoding(head)
    engine = Engine(
        kind=kind or kind_for(filename),
        root_domain=domain,
        keep_records=records,
        max_sellers=STREAM_SELLERS,
    )
    engine.expect_sellers(_decode.expected_sellers(stream))
    pending: list[Diagnostic] = _encoding_diagnostics(encoding, bool(skip))
    endings = _decode.EndingTally()
    base = 0
    for lines, offsets, line_endings in _decode.iter_decoded_lines(
        stream, head[skip:], encoding, MAX_LINE, chunk_size, skip
    ):
        # The offsets already count from the start of the file, byte-order mark included.
        engine.feed(lines, offsets if encoding == "utf-8" else None)
        endings.add(line_endings, base)
        base += len(line_endings)
        produced: list[Record | Variable | Diagnostic] = [*pending]
        pending = []
        produced.extend(engine.records)
        if records:
            produced.extend(engine.variables)
        produced.extend(engine.diagnostics)
        engine.records.clear()
        engine.variables.clear()
        engine.diagnostics.clear()
        engine.comments.clear()
        produced.sort(key=lambda item: item.line)
        yield from produced
    engine.finish()
    yield from pending
    if endings.odd is not None and endings.usual is not None:
        yield _mixed_endings_diagnostic(*endings.odd, endings.usual, endings.counts)
    yield from sorted(engine.diagnostics, key=REPORT_ORDER)


#: Whole-file findings: they sit at line 1 but say less than a line's own error.
_FILE_LEVEL = frozenset({"ADS003", "ADS004", "ADS005", "ADS006"})


def _first_error(diagnostics: Iterable[Diagnostic]) -> Diagnostic | None:
    """The first error on a line, or failing that the first whole-file error."""
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    return next((d for d in errors if d.code not in _FILE_LEVEL), errors[0] if errors else None)


def loads(text: str | bytes, *, kind: FileKind | None = None) -> AdsTxt:
    """Parse a file and return its records and variables; raise on the first error.

    Raises :class:`~adstxt.AdsTxtError` naming the line and column of the first
    error-severity diagnostic. Warnings do not raise.
    """
    result = parse(text, kind=kind)
    error = _first_error(result.diagnostics)
    if error is not None:
        raise AdsTxtError(error)
    return result.file


def load(file: BinaryIO, *, kind: FileKind | None = None) -> AdsTxt:
    """:func:`loads` for a binary file object, such as ``open("ads.txt", "rb")``."""
    name = getattr(file, "name", None)
    return loads(file.read(), kind=kind or kind_for(name if isinstance(name, str) else None))


def dumps(items: AdsTxt | ParseResult | Iterable[Record | Variable]) -> str:
    """Canonical ads.txt text for records and variables; ``parse(dumps(x))`` gives them back.

    Records and variables are written in the order given (an :class:`~adstxt.AdsTxt` or
    :class:`~adstxt.ParseResult` writes its records first). Raises :class:`ValueError` for
    a value that cannot be written without changing its meaning, such as an account ID
    containing ','.
    """
    if isinstance(items, ParseResult):
        items = items.file
    return _serialize.dumps(items)


def record_from_line(text: str) -> Record:
    """Implementation of :meth:`adstxt.Record.from_line`."""
    if "\n" in text.rstrip("\r\n") or "\r" in text.rstrip("\r\n"):
        raise AdsTxtError(
            Diagnostic(
                code="ADS101",
                severity=Severity.ERROR,
                line=1,
                column=1,
                end_column=1,
                message="Expected one line, got several",
            )
        )
    result = parse(text.rstrip("\r\n"))
    error = _first_error(d for d in result.diagnostics if d.code not in _FILE_LEVEL)
    if error is not None:
        raise AdsTxtError(error)
    if len(result.records) != 1:
        raise AdsTxtError(
            Diagnostic(
                code="ADS101",
                severity=Severity.ERROR,
                line=1,
                column=1,
                end_column=1,
                message="Expected a record line (domain, account ID, relationship), found "
                + ("a variable" if result.variables else "no record"),
            )
        )
    return result.records[0]


model.parse_record_line = record_from_line
