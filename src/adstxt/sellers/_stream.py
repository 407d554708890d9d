"""Validating a sellers.json file of any size from a binary stream, in bounded memory.

The stream is decoded chunk by chunk into a text buffer. The parent object is walked member
by member; the ``sellers`` array is decoded one entry at a time with the C scanner of
:mod:`json`, in batches that go through the same fast and precise checks as a whole file.
Memory holds one batch, the text not yet consumed, the small parent members, and 8 bytes per
seller for duplicate detection (64-bit hashes of the seller IDs in 65,536 buckets).
"""

from __future__ import annotations

import codecs
import json
from array import array
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, BinaryIO, Final

from adstxt import _decode
from adstxt.diagnostics import Diagnostic
from adstxt.rules import RULES
from adstxt.sellers._bulk import suspects
from adstxt.sellers._document import not_json
from adstxt.sellers._fields import check_seller, check_top, seller_key
from adstxt.sellers._locate import diagnostics_at, scan_value
from adstxt.sellers._schema import Issue, Path, json_type

__all__ = ["iter_check"]

_WS: Final = " \t\r\n"
_BUCKET_BITS: Final = 16


class _StopError(Exception):
    """The rest of the stream cannot be checked; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Fingerprints:
    """Seen seller IDs as 64-bit hashes, 8 bytes each (a false repeat is vanishingly rare)."""

    def __init__(self) -> None:
        self._buckets: dict[int, array[int]] = {}

    def seen(self, key: str) -> bool:
        """Record ``key``; True when it was recorded before."""
        value = hash(key) & 0xFFFFFFFFFFFFFFFF
        slot = value & ((1 << _BUCKET_BITS) - 1)
        bucket = self._buckets.get(slot)
        if bucket is None:
            bucket = self._buckets[slot] = array("Q")
        if value in bucket:
            return True
        bucket.append(value)
        return False


class _Reader:
    """A text buffer over the decoded stream, with the file position of its first character."""

    def __init__(
        self, stream: BinaryIO, head: bytes, encoding: str, chunk_size: int, max_value: int
    ) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        self.max_value = max_value
        self.decoder = codecs.getincrementaldecoder(encoding)("strict")
        self.encoding = encoding
        self.buf = ""
        self.pos = 0
        self.base = 0  # file offset (in characters) of buf[0]
        self.keep: int | None = None  # file offset of text that must stay in the buffer
        self.eof = False
        self.line = 1  # line of buf[0]
        self.column = 1  # column of buf[0]
        self.bytes_read = 0
        self.invalid: Diagnostic | None = None
        self._feed(head, final=False)

    def _feed(self, data: bytes, final: bool) -> None:
        state = self.decoder.getstate()
        try:
            text = self.decoder.decode(data, final)
        except UnicodeDecodeError as error:
            pending = state[0] + data
            at = max(0, error.start)
            before = pending[:at].decode(self.encoding, "replace")
            self.decoder = codecs.getincrementaldecoder(self.encoding)("replace")
            text = self.decoder.decode(pending, final)
            offset = self.bytes_read - len(state[0]) + at
            if self.invalid is None:
                line, column = self.where(len(self.buf) + len(before), extra=before)
                self.invalid = _diagnostic(
                    "ADS602",
                    f"invalid UTF-8 byte 0x{pending[at]:02X} at offset {offset}",
                    line,
                    column,
                    1,
                    "save the file as UTF-8",
                )
        self.bytes_read += len(data)
        self.buf += text

    def fill(self) -> bool:
        """Read another chunk; False at the end of the stream."""
        if self.eof:
            return False
        if len(self.buf) - self.pos > self.max_value or len(self.buf) > 2 * self.max_value:
            line, column = self.where(self.pos)
            raise _StopError(
                _diagnostic(
                    "ADS622",
                    f"a value longer than {self.max_value:,} characters; the rest of "
                    "the file is not checked",
                    line,
                    column,
                )
            )
        self.compact()
        data = self.stream.read(self.chunk_size)
        if not data:
            self.eof = True
            self._feed(b"", final=True)
            return bool(self.buf)
        self._feed(data, final=False)
        return True

    def compact(self) -> None:
        """Drop the consumed text, except what :attr:`keep` protects."""
        cut = self.pos if self.keep is None else min(self.pos, self.keep - self.base)
        if cut <= 0:
            return
        self.line, self.column = self.where(cut)
        self.buf = self.buf[cut:]
        self.pos -= cut
        self.base += cut

    def where(self, offset: int, extra: str = "") -> tuple[int, int]:
        """Line and column of ``buf[offset]`` (``extra`` is text appended after ``buf``)."""
        text = self.buf + extra if extra else self.buf
        newlines = text.count("\n", 0, offset)
        if not newlines:
            return self.line, self.column + offset
        return self.line + newlines, offset - text.rfind("\n", 0, offset)

    def skip_ws(self) -> str:
        """Move past whitespace; the next character, or "" at the end of the stream."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WS:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.fill():
                return ""

    def value(self) -> tuple[Any, int]:
        """Decode the complete JSON value at the position; return it and its start."""
        while True:
            start = self.pos
            try:
                value, end = scan_value(self.buf, start)
            except StopIteration:
                end = -1
            except json.JSONDecodeError as error:
                if not self._incomplete(error) or not self.fill():
                    raise _StopError(self.syntax(error.msg, error.pos)) from None
                continue
            except RecursionError:
                raise _StopError(self.syntax("nested too deeply", start)) from None
            if end == -1 or (end >= len(self.buf) and not self.eof):
                if self.fill():
                    continue
                if end == -1:
                    raise _StopError(self.syntax("expecting value", start))
            self.pos = end
            return value, start

    def key(self) -> tuple[str, int, int]:
        """Decode the object key at the position; return it and its span."""
        while True:
            start = self.pos
            try:
                key, end = scanstring(self.buf, start + 1)
            except json.JSONDecodeError as error:
                if not self._incomplete(error) or not self.fill():
                    raise _StopError(self.syntax(error.msg, error.pos)) from None
                continue
            self.pos = end
            return key, start, end

    def _incomplete(self, error: json.JSONDecodeError) -> bool:
        return not self.eof and (
            error.msg.startswith("Unterminated") or error.pos >= len(self.buf) - 12
        )

    def syntax(self, message: str, offset: int) -> Diagnostic:
        """ADS601 at ``buf[offset]``."""
        line, column = self.where(min(offset, len(self.buf)))
        at_end = self.eof and offset >= len(self.buf.rstrip())
        text = (
            f"the JSON ends early ({message.lower()}): the file looks truncated"
            if at_end
            else f"not valid JSON: {message.lower()}"
        )
        return _diagnostic("ADS601", text, line, column, 1)

    def expect(self, chars: str, what: str) -> str:
        char = self.skip_ws()
        if not char or char not in chars:
            raise _StopError(self.syntax(f"expecting {what}", self.pos))
        self.pos += 1
        return char


def _diagnostic(
    code: str,
    message: str,
    line: int = 1,
    column: int = 1,
    width: int = 0,
    hint: str | None = None,
    where: str | None = None,
) -> Diagnostic:
    return Diagnostic(
        code=code,
        severity=RULES[code].severity,
        line=line,
        column=column,
        end_column=column + width,
        message=message,
        hint=hint,
        pointer=where,
    )


class _Walk:
    """The state of one streaming check."""

    def __init__(self, reader: _Reader, batch_size: int) -> None:
        self.reader = reader
        self.batch_size = batch_size
        self.seen = _Fingerprints()
        self.count = 0
        self.top: dict[str, Any] = {}
        #: Per parent member: the key's position, the value's text and its position.
        self.places: dict[str, tuple[int, int, int, str, int, int]] = {}
        self.root = (1, 1)

    def sellers(self) -> Iterator[Diagnostic]:
        """Check the sellers array, whose '[' has just been read."""
        reader = self.reader
        batch: list[Any] = []
        starts: list[int] = []  # file offsets
        if reader.skip_ws() == "]":
            reader.pos += 1
            return
        try:
            while True:
                reader.skip_ws()
                entry, start = reader.value()
                if not batch:
                    reader.keep = reader.base + start
                batch.append(entry)
                starts.append(reader.base + start)
                if reader.expect(",]", "',' or ']' after a seller") == "]":
                    break
                if len(batch) >= self.batch_size or (
                    reader.base + reader.pos - starts[0] > reader.chunk_size * 4
                ):
                    yield from self.flush(batch, starts)
        except _StopError:
            yield from self.flush(batch, starts)
            raise
        yield from self.flush(batch, starts)

    def flush(self, batch: list[Any], starts: list[int]) -> Iterator[Diagnostic]:
        """Check a batch of sellers and forget it."""
        if not batch:
            return
        base = self.count
        issues: list[Issue] = []
        for position in suspects(batch).suspects:
            issues.extend(check_seller(batch[position], base + position))
        for position, entry in enumerate(batch):
            key = seller_key(entry.get("seller_id")) if isinstance(entry, dict) else None
            if key and self.seen.seen(key):
                issues.append(
                    Issue(
                        code="ADS615",
                        message=f"seller_id '{key[:60]}' is listed again; an earlier entry has it",
                        path=("sellers", base + position, "seller_id"),
                    )
                )
        self.count += len(batch)
        reader = self.reader
        if issues:
            elements = {base + n: start - reader.base for n, start in enumerate(starts)}
            found = diagnostics_at(
                reader.buf, issues, line=reader.line, column=reader.column, elements=elements
            )
            yield from sorted(found, key=Diagnostic.sort_key)
        batch.clear()
        starts.clear()
        reader.keep = None

    def members(self) -> Iterator[Diagnostic]:
        """Walk the parent object, whose '{' has just been read."""
        reader = self.reader
        if reader.skip_ws() == "}":
            reader.pos += 1
            return
        while True:
            if reader.skip_ws() != '"':
                raise _StopError(
                    reader.syntax("expecting property name enclosed in double quotes", reader.pos)
                )
            key, key_start, key_end = reader.key()
            key_line, key_column = reader.where(key_start)
            reader.expect(":", "':' delimiter")
            char = reader.skip_ws()
            if key == "sellers" and char == "[":
                line, column = reader.where(reader.pos)
                self.places[key] = (key_line, key_column, key_end - key_start, "[", line, column)
                reader.pos += 1
                before = self.count
                yield from self.sellers()
                self.top["sellers"] = [] if self.count == before else [None]
                if self.count == before:
                    self.places[key] = (*self.places[key][:3], "[]", line, column)
            else:
                value, start = reader.value()
                line, column = reader.where(start)
                self.top[key] = value
                self.places[key] = (
                    key_line,
                    key_column,
                    key_end - key_start,
                    reader.buf[start : reader.pos],
                    line,
                    column,
                )
            if reader.expect(",}", "',' or '}'") == "}":
                return

    def parent_issues(self) -> list[Diagnostic]:
        """Diagnostics about the parent object, located with the remembered members."""
        found: list[Diagnostic] = []
        for issue in check_top(self.top):
            found.extend(self._place(issue))
        return found

    def _place(self, issue: Issue) -> list[Diagnostic]:
        if not issue.path:
            return [_diagnostic(issue.code, issue.message, *self.root, 1, issue.hint, "")]
        key = str(issue.path[0])
        place = self.places.get(key)
        if place is None:  # the sellers array itself: point at the parent object
            return [_diagnostic(issue.code, issue.message, *self.root, 1, issue.hint, "/" + key)]
        key_line, key_column, key_width, text, line, column = place
        if issue.part == "key" and len(issue.path) == 1:
            return [
                _diagnostic(
                    issue.code,
                    issue.message,
                    key_line,
                    key_column,
                    key_width,
                    issue.hint,
                    "/" + key.replace("~", "~0").replace("/", "~1"),
                )
            ]
        rest: Path = issue.path[1:]
        return diagnostics_at(
            text, [issue._replace(path=rest)], line=line, column=column, prefix=(issue.path[0],)
        )


def iter_check(
    stream: BinaryIO,
    *,
    chunk_size: int = 1 << 20,
    batch_size: int = 20_000,
    max_value: int = 16 << 20,
) -> Iterator[Diagnostic]:
    """Validate a sellers.json file read from a binary stream, yielding diagnostics.

    Memory stays bounded by ``chunk_size``, ``batch_size`` sellers, the longest single value
    (at most ``max_value`` characters) and 8 bytes per seller for duplicate detection.
    Sellers' diagnostics come in file order, the parent object's at the end.
    """
    head = stream.read(_decode.SNIFF_BYTES)
    encoding, skip = _decode.sniff_encoding(head)
    if encoding == "utf-8" and not skip:
        encoding = json.detect_encoding(head[:4])
    if encoding != "utf-8":
        yield _diagnostic(
            "ADS602",
            f"the file is encoded as {encoding.upper()}; sellers.json is UTF-8",
            hint="save the file as UTF-8",
        )
    elif skip:
        yield _diagnostic(
            "ADS603",
            "the file starts with a UTF-8 byte-order mark, which JSON forbids",
            hint="remove the first three bytes",
        )
    reader = _Reader(stream, head[skip:], encoding, chunk_size, max_value)
    walk = _Walk(reader, batch_size)
    stopped: Diagnostic | None = None
    try:
        char = reader.skip_ws()
        if not char:
            stopped = not_json("", None)
        elif char != "{":
            stopped = _not_object(reader)
        else:
            walk.root = reader.where(reader.pos)
            reader.pos += 1
            yield from walk.members()
            if reader.skip_ws():
                stopped = reader.syntax("extra data", reader.pos)
    except _StopError as stop:
        stopped = stop.diagnostic
    if reader.invalid is not None:
        yield reader.invalid
    if stopped is not None:
        yield stopped
        return
    yield from sorted(walk.parent_issues(), key=Diagnostic.sort_key)


def _not_object(reader: _Reader) -> Diagnostic:
    """ADS604 for a parent value that is not an object (or ADS601 if it is not JSON)."""
    line, column = reader.where(reader.pos)
    try:
        value, _ = reader.value()
    except _StopError as stop:
        if stop.diagnostic.code == "ADS622":
            return _diagnostic(
                "ADS604",
                "the file does not hold a JSON object; sellers.json is a JSON object",
                line,
                column,
                1,
                None,
                "",
            )
        return stop.diagnostic
    if reader.skip_ws():
        return reader.syntax("extra data", reader.pos)
    return _diagnostic(
        "ADS604",
        f"the file holds {json_type(value)}; sellers.json is a JSON object",
        line,
        column,
        1,
        None,
        "",
    )
