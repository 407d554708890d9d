"""Bytes to text: BOM and UTF-16/32 detection, lenient UTF-8, and line splitting.

Invalid UTF-8 bytes are decoded with ``surrogateescape``, so each bad byte becomes one lone
surrogate (U+DC80 to U+DCFF) that the line checker can find, report with its byte offset and
then show as U+FFFD. Nothing here raises on any input.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from typing import BinaryIO, Final

import attrs

__all__ = [
    "Decoded",
    "EndingTally",
    "clean_surrogates",
    "decode",
    "is_plain",
    "iter_decoded_lines",
    "sniff_encoding",
    "split_lines",
    "split_lines_keepends",
]

_BOMS: Final = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

SURROGATES: Final = re.compile("[\udc80-\udcff]")
LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_LINE_BREAKS: Final = re.compile(r"\r\n|\r|\n")

#: How much of the start of a stream is read before choosing the decoder.
SNIFF_BYTES: Final = 4096


@attrs.frozen
class Decoded:
    """The result of :func:`decode`.

    ``encoding`` is the codec used (``utf-8``, ``utf-16-le``...); ``bom`` tells whether the
    data started with a byte-order mark; ``invalid`` whether any byte failed to decode.
    """

    text: str
    encoding: str
    bom: bool
    invalid: bool


#: Bytes per distinct seller assumed when sizing a stream's seller memory from its size:
#: a record line takes about 40 to 60 bytes, and not every line is a new seller.
BYTES_PER_SELLER: Final = 48


def expected_sellers(stream: BinaryIO) -> int:
    """About how many distinct sellers a file stream may name, from its size (0: unknown,
    as for a pipe)."""
    try:
        size = os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):  # no file behind it (io.BytesIO, a socket)
        return 0
    return size // BYTES_PER_SELLER


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """Choose a codec from the first bytes of a file; return it and the BOM's length.

    Without a BOM, UTF-16 is recognised by its pattern of NUL bytes: ASCII text saved as
    UTF-16 has a zero in every other byte.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    sample = head[: SNIFF_BYTES - SNIFF_BYTES % 2]
    pairs = len(sample) // 2
    if pairs >= 2 and sample.count(0) * 10 >= len(sample) * 4:
        even_zero = sample[0::2].count(0)
        odd_zero = sample[1::2].count(0)
        if odd_zero * 10 >= pairs * 7 and even_zero * 10 <= pairs:
            return "utf-16-le", 0
        if even_zero * 10 >= pairs * 7 and odd_zero * 10 <= pairs:
            return "utf-16-be", 0
    return "utf-8", 0


def decode(data: bytes) -> Decoded:
    """Decode a whole file. See the module docstring for how bad bytes are kept."""
    encoding, skip = sniff_encoding(data[:SNIFF_BYTES])
    body = data[skip:] if skip else data
    if encoding == "utf-8":
        try:
            return Decoded(body.decode("utf-8"), encoding, bool(skip), invalid=False)
        except UnicodeDecodeError:
            return Decoded(body.decode("utf-8", "surrogateescape"), encoding, bool(skip), True)
    # A UTF-16/32 body cut at an odd length or holding unpaired surrogates still decodes.
    text = body.decode(encoding, "replace")
    return Decoded(text, encoding, bool(skip), invalid="\ufffd" in text)


_PRINTABLE_OR_BREAK: Final = bytes(range(0x20, 0x7F)) + b"\n\r"


def is_plain(text: str) -> bool:
    """True when ``text`` holds nothing but printable ASCII and line breaks (no TAB).

    One pass in C over a whole file or batch, so the line loop need not ask per line.
    """
    return text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_OR_BREAK)


def clean_surrogates(text: str) -> str:
    """Replace the lone surrogates left by invalid bytes with U+FFFD."""
    return SURROGATES.sub("\ufffd", text) if not text.isascii() else text


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR (and nothing else), without the line endings.

    A final line ending does not start another line, so ``"a\\n"`` is one line and ``""``
    is none. Unlike :meth:`str.splitlines`, form feeds, U+2028 and the like stay inside
    their line, where the checker reports them.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def split_lines_keepends(text: str) -> list[tuple[str, str]]:
    """Like :func:`split_lines`, but pair each line with its ending (``""`` for the last)."""
    result: list[tuple[str, str]] = []
    start = 0
    for match in _LINE_BREAKS.finditer(text):
        result.append((text[start : match.start()], match.group()))
        start = match.end()
    if start < len(text):
        result.append((text[start:], ""))
    return result


def line_ending_counts(text: str) -> tuple[int, int, int]:
    """Count (LF, CRLF, CR) line endings."""
    crlf = text.count("\r\n")
    return text.count("\n") - crlf, crlf, text.count("\r") - crlf


def _byte_length(text: str, errors: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", errors))


class EndingTally:
    """How the lines of a file read in batches end: how many end with each line break, the
    first break met (the file's usual one) and the first line ending with another."""

    __slots__ = ("counts", "odd", "usual")

    def __init__(self) -> None:
        self.counts = {"\n": 0, "\r\n": 0, "\r": 0}
        self.usual: str | None = None
        #: The number and the break of the first line that ends otherwise than the usual.
        self.odd: tuple[int, str] | None = None

    def add(self, line_endings: list[str], base: int) -> bool:
        """Count a batch whose first line is line ``base + 1``; True when the first line
        that ends otherwise is in it."""
        counts = self.counts
        usual = self.usual
        if usual == "\n" and "\r\n" not in line_endings and "\r" not in line_endings:
            # The usual batch: only LF, and perhaps the file's last line with none.
            counts["\n"] += len(line_endings) - (line_endings[-1] == "")
            return False
        found = False
        for number, ending in enumerate(line_endings, start=base + 1):
            if ending:
                counts[ending] += 1
                if usual is None:
                    usual = self.usual = ending
                elif ending != usual and self.odd is None:
                    self.odd = (number, ending)
                    found = True
        return found


def iter_decoded_lines(
    stream: BinaryIO,
    head: bytes,
    encoding: str,
    max_line: int,
    chunk_size: int = 1 << 20,
    start: int = 0,
    lengths: dict[int, int] | None = None,
) -> Iterator[tuple[list[str], list[int], list[str]]]:
    """Decode ``stream`` incrementally and yield batches of complete lines.

    ``head`` is what was already read from the stream, BOM removed, and ``start`` the byte
    offset in the file at which it begins (the BOM's length). Each batch is three parallel
    lists: the lines, the byte offset of each line's start in the file (only tracked for
    UTF-8, and left empty for a batch with no invalid byte, where none is needed), and each
    line's ending. A line longer than
    ``max_line`` characters is cut to ``max_line + 1`` characters while it is read, so memory
    stays bounded however long it is; the checker reports such lines as too long. When
    ``lengths`` is given, it receives the true length in characters of each line that was
    cut, by line number (1-based).
    """
    errors = "surrogateescape" if encoding == "utf-8" else "replace"
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    utf8 = encoding == "utf-8"
    limit = max_line + 1
    pending = ""  # the start of a line whose end has not been read yet
    dropped = 0  # bytes cut from ``pending`` because the line is overlong
    dropped_chars = 0  # and how many characters they were
    emitted = 0  # lines yielded so far
    offset = start  # byte offset of the start of ``pending``
    chunk = head
    final = not head
    while True:
        if final and not chunk:
            text = decoder.decode(b"", final=True)
        else:
            text = decoder.decode(chunk, final=final)
        text = pending + text
        lines: list[str] = []
        offsets: list[int] = []
        endings: list[str] = []
        start = 0
        if "\r" not in text and not (utf8 and not text.isascii() and SURROGATES.search(text)):
            # The usual case, split in C: LF endings only and no invalid byte, so no line
            # needs its byte offset (only the running total is kept, for later chunks).
            start = len(text) if final else text.rfind("\n") + 1
            if start:
                lines = text[:start].split("\n")
                if lines[-1]:
                    endings = ["\n"] * (len(lines) - 1) + [""]
                else:
                    lines.pop()
                    endings = ["\n"] * len(lines)
                if dropped_chars and lengths is not None:
                    lengths[emitted + 1] = len(lines[0]) + dropped_chars
                if max(map(len, lines)) > limit:
                    if lengths is not None:
                        for index, line in enumerate(lines):
                            if len(line) > limit:
                                lengths.setdefault(
                                    emitted + index + 1,
                                    len(line) + (dropped_chars if not index else 0),
                                )
                    lines = [line[:limit] for line in lines]
                dropped_chars = 0
                if utf8:
                    offset += _byte_length(text[:start], errors) + dropped
                    dropped = 0
        for match in _LINE_BREAKS.finditer(text, start):
            ending = match.group()
            if ending == "\r" and match.end() == len(text) and not final:
                break  # possibly the first half of a CRLF split across two chunks
            line = text[start : match.start()]
            if lengths is not None and (dropped_chars or len(line) > limit):
                lengths[emitted + len(lines) + 1] = len(line) + dropped_chars
            dropped_chars = 0
            lines.append(line[:limit])
            offsets.append(offset)
            endings.append(ending)
            if utf8:
                offset += _byte_length(line, errors) + dropped + len(ending)
                dropped = 0
            start = match.end()
        pending = text[start:]
        if final:
            if pending:
                if lengths is not None and (dropped_chars or len(pending) > limit):
                    lengths[emitted + len(lines) + 1] = len(pending) + dropped_chars
                lines.append(pending[:limit])
                offsets.append(offset)
                endings.append("")
        elif len(pending) > limit:
            if utf8:
                dropped += _byte_length(pending[limit:], errors)
            dropped_chars += len(pending) - limit
            pending = pending[:limit]
        if lines:
            emitted += len(lines)
            yield lines, offsets, endings
        if final:
            return
        chunk = stream.read(chunk_size)
        if not chunk:
            final = True
