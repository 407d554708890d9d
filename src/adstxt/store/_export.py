"""Write a store's tables as CSV, JSON Lines or Parquet, streaming and atomically.

Each table has an explicit schema (:class:`Table`, :class:`Column`): the docs list it and
Parquet gets real types from it. Rows arrive as an iterator of mappings from column name to
value and are written as they come (Parquet in row groups), so an export of millions of rows
never holds them all. A file is replaced whole or not at all (see
:func:`adstxt._atomic.open_atomically`); ``-`` writes CSV, JSON Lines or JSON to standard output.

Value conventions, the same in every format:

- ``timestamp`` columns are UTC instants: ISO 8601 text ending in ``Z`` with microseconds
  in CSV and JSON Lines (``2026-12-06T22:49:50.000000Z``), ``timestamp[us, UTC]`` in
  Parquet, so DuckDB and pandas read them as timestamps without being told.
- ``text-list`` columns are JSON arrays of strings in CSV, arrays in JSON Lines and
  ``list<string>`` in Parquet.
- A null is an empty field in CSV (which cannot tell it from an empty string), ``null`` in
  JSON Lines and a null in Parquet.
- Text that holds a lone surrogate (an undecodable byte of a crawled file) cannot be
  written as UTF-8: each such character becomes U+FFFD. Every other character, newlines,
  quotes, NUL and bidirectional controls included, is written as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, Final, Literal, TextIO

import attrs

from adstxt._atomic import WriteError, open_atomically
from adstxt._decode import LONE_SURROGATE
from adstxt.store._changes import ChangeEvent

__all__ = [
    "CHANGES",
    "FETCHES",
    "FORMATS",
    "RECORDS",
    "TABLES",
    "Column",
    "ColumnType",
    "ExportError",
    "Table",
    "change_fields",
    "export",
]

ColumnType = Literal["text", "integer", "boolean", "timestamp", "text-list"]
ExportFormat = Literal["csv", "jsonl", "json", "parquet"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "jsonl", "json", "parquet")

#: Rows per Parquet row group: big enough for good compression and fast scans, small
#: enough that one group's columns stay a few tens of megabytes.
ROW_GROUP_SIZE: Final = 65_536


class ExportError(Exception):
    """An export could not be written; the message says why in one line."""


@attrs.frozen
class Column:
    """One column of an exported table."""

    name: str
    type: ColumnType
    nullable: bool
    description: str


@attrs.frozen
class Table:
    """An exported table: its name, what one row is, and its columns in order."""

    name: str
    row: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _c(name: str, type: ColumnType, nullable: bool, description: str) -> Column:
    return Column(name, type, nullable, description)


_VERSION = (
    "The file's version number, as `adstxt history` lists it and `adstxt diff --from/--to` take it"
)

_FILE_COLUMNS = (
    _c("domain", "text", False, "The domain whose file this is, as crawled."),
    _c("kind", "text", False, "`ads.txt`, `app-ads.txt` or `sellers.json`."),
)

RECORDS: Final = Table(
    "records",
    "one record line of one stored version of a file; files whose verdict is "
    "`not-ads-txt` are included",
    (
        *_FILE_COLUMNS,
        _c(
            "version",
            "integer",
            True,
            f"{_VERSION} (the latest with this body); null for a body that never became "
            "the file's copy, such as an HTML page.",
        ),
        _c("body_id", "integer", False, "The body's number in the store (one distinct body)."),
        _c("current", "boolean", False, "Whether this version is the file's current copy."),
        _c("fetched_at", "timestamp", False, "When this version was last fetched."),
        _c("url", "text", False, "The final URL this version was fetched from."),
        _c("sha256", "text", False, "SHA-256 of the body, lower-case hex."),
        _c("verdict", "text", False, "The file's verdict: `valid`, `errors` or `not-ads-txt`."),
        _c("line", "integer", False, "The record's line number in the file (1-based)."),
        _c("ad_system", "text", False, "Field 1, the ad system's domain, lower-cased."),
        _c("seller_id", "text", False, "Field 2, the seller (publisher) account ID, as written."),
        _c("relationship", "text", False, "Field 3, `DIRECT` or `RESELLER`."),
        _c("certification_id", "text", True, "Field 4, the certification authority ID."),
        _c("extension", "text", True, "Text after a `;` on the record line."),
    ),
)

FETCHES: Final = Table(
    "fetches",
    "one fetch of one file",
    (
        _c("fetch_id", "integer", False, "The fetch's ID in the store."),
        *_FILE_COLUMNS,
        _c("requested_url", "text", False, "The URL first requested."),
        _c("final_url", "text", True, "The URL that answered last, after redirects."),
        _c("redirects", "text-list", False, "Each URL redirected to, in order."),
        _c("status", "integer", True, "The final HTTP status; null when no response came."),
        _c("etag", "text", True, "The `ETag` response header."),
        _c("last_modified", "text", True, "The `Last-Modified` response header."),
        _c("cache_control", "text", True, "The `Cache-Control` response header."),
        _c("expires", "text", True, "The `Expires` response header."),
        _c("content_type", "text", True, "The `Content-Type` response header."),
        _c("started_at", "timestamp", False, "When the fetch started."),
        _c("duration_ms", "integer", False, "How long it took, in milliseconds."),
        _c("outcome", "text", False, "The outcome class (found, not found, error, ...)."),
        _c("error", "text", True, "What went wrong, when something did."),
        _c("unchanged", "boolean", False, "True for a 304 answer to a conditional request."),
        _c("sha256", "text", True, "SHA-256 of the body received, lower-case hex."),
        _c("body_size", "integer", True, "The body's size in bytes."),
        _c(
            "version",
            "integer",
            True,
            f"{_VERSION}: the one this fetch delivered (for a 304, the copy held); null when "
            "it delivered none.",
        ),
        _c("body_id", "integer", True, "The body's number in the store, when one came."),
    ),
)

CHANGES: Final = Table(
    "changes",
    "one change event between two consecutive good copies of a file",
    (
        _c("change_id", "integer", False, "The event's ID in the store."),
        _c(
            "domain",
            "text",
            False,
            "The domain whose file this is, as crawled; for an app's event, the app as "
            "`store:app_id`.",
        ),
        _c(
            "kind",
            "text",
            False,
            "`ads.txt`, `app-ads.txt` or `sellers.json`; `app` for an app's event.",
        ),
        _c(
            "at",
            "timestamp",
            False,
            "When the change was seen: the new copy's fetch time (for an app, when its "
            "store was asked).",
        ),
        _c("old_fetch_id", "integer", True, "The fetch that delivered the old copy."),
        _c(
            "new_fetch_id",
            "integer",
            True,
            "The fetch that delivered the new copy; null for an app's event.",
        ),
        _c(
            "old_version",
            "integer",
            True,
            f"{_VERSION}, before; null when there was none, and for an app's event.",
        ),
        _c("new_version", "integer", True, f"{_VERSION}, after; null for an app's event."),
        _c("old_body_id", "integer", True, "The old copy's body number; null if none."),
        _c("new_body_id", "integer", True, "The new copy's body number; null if none."),
        _c("type", "text", False, "The event type, such as `record-removed` or `seller-added`."),
        _c(
            "ad_system",
            "text",
            True,
            "Record events: the ad system, lower-cased; seller events: the sellers.json's domain.",
        ),
        _c("seller_id", "text", True, "Record and seller events: the seller ID."),
        _c(
            "variable",
            "text",
            True,
            "Variable events: the variable's upper-cased name; `seller-changed`: the field.",
        ),
        _c("old", "text", True, "The value before: relationships, IDs, value or verdict."),
        _c("new", "text", True, "The value after."),
        _c("old_line", "integer", True, "The line in the old copy."),
        _c("new_line", "integer", True, "The line in the new copy."),
    ),
)

TABLES: Final = {table.name: table for table in (RECORDS, FETCHES, CHANGES)}


def change_fields(event: ChangeEvent) -> dict[str, object]:
    """The columns of a ``changes`` row that come from the event itself."""
    return {
        "type": event.type.value,
        "ad_system": event.ad_system,
        "seller_id": event.seller_id,
        "variable": event.variable,
        "old": event.old,
        "new": event.new,
        "old_line": event.old_line,
        "new_line": event.new_line,
    }


# -- values ---------------------------------------------------------------------------------


def _text(value: str) -> str:
    if value.isascii():
        return value
    return LONE_SURROGATE.sub("\ufffd", value)


def _instant(value: object) -> dt.datetime:
    """A timestamp column's value as an aware UTC datetime.

    Accepted: an aware datetime (a naive one is taken as UTC), Unix seconds, or ISO 8601
    text (``Z`` or an offset; none means UTC).
    """
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise TypeError(f"{value!r} is not an ISO 8601 time") from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    raise TypeError(f"expected a time, got {type(value).__name__}")


def _instant_text(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check(column: Column, value: object) -> object:
    """The value to write for ``column``, or TypeError naming what is wrong with it."""
    if value is None:
        if not column.nullable:
            raise TypeError("is null but the column is not nullable")
        return None
    kind = column.type
    if kind == "text":
        if not isinstance(value, str):
            raise TypeError(f"expected text, got {type(value).__name__}")
        return _text(value)
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected an integer, got {type(value).__name__}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise TypeError(f"expected a boolean, got {type(value).__name__}")
        return value
    if kind == "timestamp":
        return _instant(value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"expected a list of text, got {type(value).__name__}")
    items = []
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"expected a list of text, found {type(item).__name__} in it")
        items.append(_text(item))
    return items


#: The Python type that a column's usual value has exactly, for the quick path.
_PLAIN_TYPES: Final[dict[str, type]] = {"text": str, "integer": int, "boolean": bool}


def _checked_rows(table: Table, rows: Iterable[Mapping[str, object]]) -> Iterator[list[object]]:
    """Each row as a list of checked values in column order; ExportError on a bad row."""
    names = frozenset(table.names)
    plan = [(column.name, _PLAIN_TYPES.get(column.type), column) for column in table.columns]
    for number, row in enumerate(rows, start=1):
        if not row.keys() <= names:
            unknown = ", ".join(sorted(row.keys() - names))
            raise ExportError(f"{table.name} row {number}: no column named {unknown}")
        values: list[object] = []
        get = row.get
        for name, plain, column in plan:
            value = get(name)
            # Most values are ASCII text, ints and bools of exactly their type: no more to do.
            if type(value) is plain and (not isinstance(value, str) or value.isascii()):
                values.append(value)
                continue
            try:
                checked = _check(column, value)
            except TypeError as error:
                raise ExportError(f"{table.name} row {number}, {name}: {error}") from None
            values.append(checked)
        yield values


# -- formats --------------------------------------------------------------------------------

# JSON allows these raw, but readers that split lines on them (str.splitlines does) would
# cut a row in two.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _write_jsonl(
    table: Table, rows: Iterable[Mapping[str, object]], out: TextIO, *, array: bool = False
) -> int:
    """One JSON object per row, a row a line; with ``array``, the same lines as one JSON
    array (the ``json`` format, as ``adstxt diff`` and ``changes`` write), still streamed."""
    count = 0
    separator = ",\n" if array else "\n"
    names = table.names
    times = [i for i, column in enumerate(table.columns) if column.type == "timestamp"]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for values in _checked_rows(table, rows):
        for i in times:
            if isinstance(instant := values[i], dt.datetime):
                values[i] = _instant_text(instant)
        text = encode(dict(zip(names, values, strict=True)))
        if array:
            out.write(separator if count else "[\n")
        out.write(text.translate(_LINE_BREAKS) if not text.isascii() else text)
        if not array:
            out.write(separator)
        count += 1
    if array:
        out.write("\n]\n" if count else "[]\n")
    return count


def _write_json(table: Table, rows: Iterable[Mapping[str, object]], out: TextIO) -> int:
    return _write_jsonl(table, rows, out, array=True)


def _csv_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return _instant_text(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(table: Table, rows: Iterable[Mapping[str, object]], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(table.names)
    count = 0
    # Only times, lists and booleans need writing out as text; the csv module does the rest.
    special = [
        i for i, column in enumerate(table.columns) if column.type not in ("text", "integer")
    ]
    for values in _checked_rows(table, rows):
        for i in special:
            values[i] = _csv_value(values[i])
        writer.writerow(values)
        count += 1
    return count


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(
            "Parquet output needs pyarrow: install it with pip install 'adstxt[parquet]'"
        ) from None
    return pyarrow, pyarrow.parquet


def _arrow_schema(pa: Any, table: Table) -> Any:
    types = {
        "text": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "text-list": pa.list_(pa.string()),
    }
    return pa.schema(
        [
            pa.field(
                column.name,
                types[column.type],
                nullable=column.nullable,
                metadata={"description": column.description},
            )
            for column in table.columns
        ],
        metadata={"table": table.name, "row": table.row},
    )


def _write_parquet(
    table: Table, rows: Iterable[Mapping[str, object]], out: BinaryIO, row_group_size: int
) -> int:
    pa, pq = _pyarrow()
    schema = _arrow_schema(pa, table)
    count = 0
    columns: list[list[object]] = [[] for _ in table.columns]
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:

        def flush() -> None:
            batch = pa.Table.from_arrays(
                [
                    pa.array(values, type=field.type)
                    for values, field in zip(columns, schema, strict=True)
                ],
                schema=schema,
            )
            writer.write_table(batch, row_group_size=row_group_size)
            for values in columns:
                values.clear()

        for values in _checked_rows(table, rows):
            for column, value in zip(columns, values, strict=True):
                column.append(value)
            count += 1
            if len(columns[0]) >= row_group_size:
                flush()
        if columns[0] or count == 0:
            flush()
    return count


# -- the entry point -------------------------------------------------------------------------


def _text_writer(
    write: Callable[[Table, Iterable[Mapping[str, object]], TextIO], int],
) -> Callable[[Table, Iterable[Mapping[str, object]], BinaryIO], int]:
    def to_bytes(table: Table, rows: Iterable[Mapping[str, object]], out: BinaryIO) -> int:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
        try:
            return write(table, rows, text)
        finally:
            text.flush()
            text.detach()

    return to_bytes


def export(
    table: Table | str,
    rows: Iterable[Mapping[str, object]],
    output_format: str,
    destination: str | os.PathLike[str],
    *,
    stdout: TextIO | None = None,
    row_group_size: int = ROW_GROUP_SIZE,
) -> int:
    """Write ``rows`` of ``table`` to ``destination`` in ``output_format``; return the count.

    ``destination`` ``"-"`` writes CSV or JSON Lines to ``stdout`` (standard output by
    default). A file is replaced whole when every row has been written, and left as it was
    when anything fails (a bad row, a full disk, a kill). Raises :class:`ExportError` with a
    one-line reason.
    """
    if isinstance(table, str):
        if table not in TABLES:
            raise ExportError(f"no table named {table!r}; choose from {', '.join(TABLES)}")
        table = TABLES[table]
    if output_format not in FORMATS:
        raise ExportError(f"no format {output_format!r}; choose from {', '.join(FORMATS)}")
    to_stdout = os.fspath(destination) == "-"
    if output_format == "parquet":
        if to_stdout:
            raise ExportError("Parquet cannot go to standard output; name a file with -o")
        _pyarrow()  # before anything is written, so a missing extra leaves no file behind
    text_format: Callable[[Table, Iterable[Mapping[str, object]], TextIO], int] = {
        "csv": _write_csv,
        "json": _write_json,
    }.get(output_format, _write_jsonl)
    if to_stdout:
        out = sys.stdout if stdout is None else stdout
        count = text_format(table, rows, out)
        out.flush()
        return count
    write_binary: Callable[[Table, Iterable[Mapping[str, object]], BinaryIO], int]
    if output_format == "parquet":
        write_binary = functools.partial(_write_parquet, row_group_size=row_group_size)
    else:
        write_binary = _text_writer(text_format)
    try:
        with open_atomically(destination) as stream:
            return write_binary(table, rows, stream)
    except WriteError as error:
        raise ExportError(str(error)) from None
