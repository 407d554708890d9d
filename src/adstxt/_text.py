"""A file decoded once: its text, lines, line endings and encoding, for every later stage.

The checker, the suppression comments, the fixer and the renderers all read a file through
one :class:`Text`, built once from its bytes (or from text given by a caller). Lines and
their positions are worked out on first use and then shared, so nothing downstream decodes
or splits the file again.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import Final

import attrs

from adstxt import _decode

__all__ = ["BOM", "Edit", "Text", "as_text"]

#: The byte-order mark as a character: what any Unicode encoding's BOM decodes to.
BOM: Final = "\ufeff"


@attrs.frozen
class Edit:
    """Replace ``document[start:end]`` with ``replacement`` (offsets in :attr:`Text.document`)."""

    start: int
    end: int
    replacement: str


class Text:
    """One file's decoded text and what is known about it.

    ``document`` is every decoded character of the file, a byte-order mark included (as
    U+FEFF at offset 0); the lines are those of the text after it, as the checker numbers
    them. Bytes that were not valid UTF-8 are lone surrogates (see :mod:`adstxt._decode`).
    """

    __slots__ = ("_endings", "_lines", "_starts", "bom", "document", "encoding", "invalid")

    def __init__(self, document: str, encoding: str, *, bom: bool, invalid: bool) -> None:
        self.document = document
        self.encoding = encoding
        #: Whether the file starts with a byte-order mark (``document[0]`` is U+FEFF).
        self.bom = bom
        #: Whether any byte could not be decoded.
        self.invalid = invalid
        self._lines: list[str] | None = None
        self._endings: list[str] | None = None
        self._starts: list[int] | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> Text:
        """Decode a file's bytes (see :func:`adstxt._decode.decode`)."""
        encoding, skip = _decode.sniff_encoding(data[: _decode.SNIFF_BYTES])
        if encoding == "utf-8":
            try:
                document = data.decode("utf-8")
                invalid = False
            except UnicodeDecodeError:
                document = data.decode("utf-8", "surrogateescape")
                invalid = True
        else:
            # Decoding the BOM too gives U+FEFF; a body cut at an odd length or holding
            # unpaired surrogates still decodes.
            document = data.decode(encoding, "replace")
            invalid = "\ufffd" in document
        return cls(document, encoding, bom=bool(skip), invalid=invalid)

    @classmethod
    def from_str(cls, text: str) -> Text:
        """Text given by a caller, as if read from a UTF-8 file."""
        if not text.isascii() and _decode.LONE_SURROGATE.search(text):
            # Text holding lone surrogates cannot exist in a file: check its UTF-8 bytes
            # instead, where they show up (and are reported) as invalid byte sequences.
            return cls.from_bytes(text.encode("utf-8", "surrogatepass"))
        return cls(text, "utf-8", bom=text.startswith(BOM), invalid=False)

    def edited(self, document: str, encoding: str | None = None) -> Text:
        """The file after edits made to :attr:`document` (and perhaps a new encoding)."""
        encoding = encoding or self.encoding
        invalid = (
            encoding == "utf-8"
            and not document.isascii()
            and _decode.SURROGATES.search(document) is not None
        )
        edited = Text(document, encoding, bom=document.startswith(BOM), invalid=invalid)
        if invalid:
            # Undecodable bytes that an edit brought together can now form a character, or
            # a byte-order mark: the file is what its bytes say, so read them again.
            return Text.from_bytes(edited.encode())
        return edited

    def encode(self) -> bytes:
        """The file's bytes: bytes that were not valid UTF-8 come back unchanged."""
        errors = "surrogateescape" if self.encoding == "utf-8" else "strict"
        return self.document.encode(self.encoding, errors)

    @property
    def body_start(self) -> int:
        """Offset in :attr:`document` of line 1: after the byte-order mark, if any."""
        return 1 if self.bom else 0

    @property
    def body(self) -> str:
        """The text after the byte-order mark."""
        return self.document[1:] if self.bom else self.document

    @property
    def lines(self) -> list[str]:
        """The lines as the checker numbers them, without their endings."""
        if self._lines is None:
            if self.bom:
                lines = _decode.split_lines(self.document)
                if self.document == BOM:
                    lines = []
                else:
                    lines[0] = lines[0][1:]
                self._lines = lines
            else:
                self._lines = _decode.split_lines(self.document)
        return self._lines

    @property
    def endings(self) -> list[str]:
        """Each line's ending (``""`` for a last line without one)."""
        if self._endings is None:
            self._split()
        assert self._endings is not None
        return self._endings

    @property
    def starts(self) -> list[int]:
        """Offset in :attr:`document` of each line's start, then the document's length."""
        if self._starts is None:
            self._split()
        assert self._starts is not None
        return self._starts

    def _split(self) -> None:
        lines = self.lines
        document = self.document
        if "\r" not in document:
            # Every line but perhaps the last ends in LF: the starts are running sums,
            # computed in C.
            starts = list(
                itertools.accumulate(map((1).__add__, map(len, lines)), initial=self.body_start)
            )
            endings = ["\n"] * len(lines)
            if lines and not document.endswith("\n"):
                endings[-1] = ""
            starts[-1] = len(document)
        else:
            position = self.body_start
            starts = []
            endings = []
            for line in lines:
                starts.append(position)
                position += len(line)
                ending = document[position : position + 2]
                ending = "\r\n" if ending == "\r\n" else ending[:1]
                endings.append(ending)
                position += len(ending)
            starts.append(len(document))
        self._starts = starts
        self._endings = endings

    def line(self, number: int) -> str:
        """The text of line ``number`` (1-based), or ``""`` past the end."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def offset(self, line: int, column: int) -> int:
        """The document offset of a 1-based line and column (clamped to the document)."""
        starts = self.starts
        if line - 1 >= len(starts) - 1:
            return len(self.document)
        return min(starts[line - 1] + column - 1, len(self.document))

    def line_of(self, offset: int) -> int:
        """The 0-based index of the line holding a document offset (``len(lines)`` at EOF)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def ending_for(self, line: int) -> str:
        """The line ending a fix on ``line`` writes: that line's own, else the file's first."""
        endings = self.endings
        if 0 < line <= len(endings) and endings[line - 1]:
            return endings[line - 1]
        return next((ending for ending in endings if ending), "\n")

    def byte_offsets(self) -> list[int] | None:
        """Each line's byte offset in the file, when bytes were invalid UTF-8 (else None)."""
        if not (self.invalid and self.encoding == "utf-8"):
            return None
        offsets = []
        position = len("\ufeff".encode()) if self.bom else 0
        for line, ending in zip(self.lines, self.endings, strict=True):
            offsets.append(position)
            position += len(line.encode("utf-8", "surrogateescape")) + len(ending)
        return offsets

    def apply(self, edits: Sequence[Edit]) -> str:
        """The document with non-overlapping, sorted ``edits`` made."""
        pieces = []
        position = 0
        document = self.document
        for edit in edits:
            pieces.append(document[position : edit.start])
            pieces.append(edit.replacement)
            position = edit.end
        pieces.append(document[position:])
        return "".join(pieces)


def as_text(source: str | bytes | Text) -> Text:
    """``source`` as a :class:`Text`, decoding bytes (or taking text) once."""
    if isinstance(source, Text):
        return source
    if isinstance(source, str):
        return Text.from_str(source)
    return Text.from_bytes(bytes(source))
