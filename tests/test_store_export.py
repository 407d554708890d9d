"""Exports of the store's tables: round trips, types, hostile text, atomicity under SIGKILL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import adstxt
from adstxt.store._changes import derive_changes
from adstxt.store._export import (
    CHANGES,
    FETCHES,
    TABLES,
    Column,
    ExportError,
    Table,
    change_fields,
    export,
)
from adstxt.store._snapshot import FileSnapshot

ROOT = Path(__file__).resolve().parents[1]
AT = dt.datetime(2026, 12, 6, 22, 49, 50, 123456, tzinfo=dt.UTC)
HOSTILE = [
    'quote " and comma , and "" twice',
    "new\nline and\r\nCRLF and lone\rCR",
    "NUL\x00here",
    "bidi \u202eevil\u202c and \u2066isolate\u2069",
    "separators \u2028 \u2029 \x85 end",
    "tab\tand =formula() and emoji \U0001f600",
    "",
]


def fetch_row(fetch_id: int, error: str | None = None) -> dict[str, object]:
    return {
        "fetch_id": fetch_id,
        "domain": "example.com",
        "kind": "ads.txt",
        "requested_url": "http://example.com/ads.txt",
        "final_url": "https://www.example.com/ads.txt",
        "redirects": ["https://example.com/ads.txt", "https://www.example.com/ads.txt"],
        "status": 200,
        "etag": '"abc"',
        "last_modified": "Sun, 06 Dec 2026 10:00:00 GMT",
        "cache_control": "max-age=86400",
        "expires": None,
        "content_type": "text/plain; charset=utf-8",
        "started_at": AT,
        "duration_ms": 42,
        "outcome": "found",
        "error": error,
        "unchanged": False,
        "sha256": "0" * 64,
        "body_size": 1234,
        "version": 3,
        "body_id": 7,
    }


def record_rows() -> Iterator[dict[str, object]]:
    text = "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\nx.com, 1, RESELLER;ext\n"
    for record in adstxt.parse(text).records:
        yield {
            "domain": "example.com",
            "kind": "ads.txt",
            "version": 3,
            "body_id": 7,
            "current": True,
            "fetched_at": AT,
            "url": "https://example.com/ads.txt",
            "sha256": "f" * 64,
            "verdict": "valid",
            "line": record.line,
            "ad_system": record.domain,
            "seller_id": record.account_id,
            "relationship": record.relationship.value,
            "certification_id": record.certification_authority_id,
            "extension": record.extension,
        }


def change_rows() -> Iterator[dict[str, object]]:
    old = FileSnapshot.from_parse_result(adstxt.parse("a.com, 1, DIRECT\nOWNERDOMAIN=x.com\n"))
    new = FileSnapshot.from_parse_result(adstxt.parse("a.com, 1, RESELLER\n"))
    for number, event in enumerate(derive_changes(old, new), start=1):
        yield {
            "change_id": number,
            "domain": "example.com",
            "kind": "ads.txt",
            "at": AT,
            "old_fetch_id": 1,
            "new_fetch_id": 2,
            "old_version": 1,
            "new_version": 2,
            "old_body_id": 1,
            "new_body_id": 2,
            **change_fields(event),
        }


# -- round trips -----------------------------------------------------------------------------


def test_csv_round_trip_of_hostile_text(tmp_path: Path) -> None:
    target = tmp_path / "fetches.csv"
    rows = [fetch_row(i, text) for i, text in enumerate(HOSTILE)]
    assert export("fetches", iter(rows), "csv", target) == len(HOSTILE)
    with target.open(newline="", encoding="utf-8") as handle:
        back = list(csv.DictReader(handle))
    assert [row["error"] for row in back] == HOSTILE
    assert list(back[0]) == list(FETCHES.names)
    assert back[0]["started_at"] == "2026-12-06T22:49:50.123456Z"
    assert json.loads(back[0]["redirects"]) == rows[0]["redirects"]
    assert back[0]["unchanged"] == "false" and back[0]["expires"] == ""
    assert back[0]["status"] == "200"


def test_jsonl_round_trip_keeps_nulls_types_and_one_row_per_line(tmp_path: Path) -> None:
    target = tmp_path / "fetches.jsonl"
    rows = [fetch_row(i, text) for i, text in enumerate(HOSTILE)]
    export(FETCHES, iter(rows), "jsonl", target)
    data = target.read_bytes()
    # Split as strictly as the strictest reader: no row may span two lines.
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == len(HOSTILE)
    back = [json.loads(line) for line in lines]
    assert [row["error"] for row in back] == HOSTILE
    assert back[0]["expires"] is None and back[0]["unchanged"] is False
    assert back[0]["status"] == 200 and back[0]["redirects"] == rows[0]["redirects"]
    assert back[0]["started_at"] == "2026-12-06T22:49:50.123456Z"


def test_parquet_round_trip_has_real_types_and_descriptions(tmp_path: Path) -> None:
    target = tmp_path / "fetches.parquet"
    rows = [fetch_row(i, text) for i, text in enumerate(HOSTILE)]
    export("fetches", iter(rows), "parquet", target)
    table = pq.read_table(target)
    schema = table.schema
    assert schema.field("fetch_id").type == pa.int64()
    assert not schema.field("fetch_id").nullable
    assert schema.field("started_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("unchanged").type == pa.bool_()
    assert schema.field("redirects").type == pa.list_(pa.string())
    assert schema.field("error").nullable
    assert schema.field("etag").metadata[b"description"] == b"The `ETag` response header."
    assert table.column("error").to_pylist() == HOSTILE
    assert table.column("started_at").to_pylist()[0] == AT
    assert table.column("expires").to_pylist()[0] is None


@pytest.mark.parametrize("output_format", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("name", ["records", "changes"])
def test_records_and_changes_export_in_every_format(
    tmp_path: Path, output_format: str, name: str
) -> None:
    rows = list(record_rows() if name == "records" else change_rows())
    target = tmp_path / f"{name}.{output_format}"
    assert export(name, iter(rows), output_format, target) == len(rows) > 0
    if output_format == "parquet":
        back = pq.read_table(target).to_pylist()
    elif output_format == "jsonl":
        back = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    else:
        with target.open(newline="", encoding="utf-8") as handle:
            back = list(csv.DictReader(handle))
    assert [list(row) for row in back] == [list(TABLES[name].names)] * len(rows)
    if name == "records":
        assert [row["seller_id"] for row in back] == ["pub-1234567890123456", "1"]
        assert back[1]["extension"] == "ext"
    else:
        assert [row["type"] for row in back] == ["relationship-changed", "variable-removed"]
        assert back[0]["old"] == "DIRECT" and back[0]["new"] == "RESELLER"


def test_parquet_is_written_in_row_groups(tmp_path: Path) -> None:
    target = tmp_path / "fetches.parquet"
    consumed = []

    def rows() -> Iterator[dict[str, object]]:
        for number in range(2500):
            consumed.append(number)
            yield fetch_row(number)

    assert export("fetches", rows(), "parquet", target, row_group_size=1000) == 2500
    metadata = pq.ParquetFile(target).metadata
    assert metadata.num_row_groups == 3 and metadata.num_rows == 2500


def test_an_empty_export_still_has_its_header_or_schema(tmp_path: Path) -> None:
    for output_format in ("csv", "jsonl", "parquet"):
        target = tmp_path / f"empty.{output_format}"
        assert export(CHANGES, iter(()), output_format, target) == 0
    assert (tmp_path / "empty.csv").read_text().splitlines() == [",".join(CHANGES.names)]
    assert (tmp_path / "empty.jsonl").read_bytes() == b""
    assert pq.read_table(tmp_path / "empty.parquet").schema.names == list(CHANGES.names)


def test_times_come_as_datetimes_unix_seconds_or_iso_text(tmp_path: Path) -> None:
    rows = [
        fetch_row(1) | {"started_at": AT},
        fetch_row(2) | {"started_at": AT.timestamp()},
        fetch_row(3) | {"started_at": "2026-12-06T23:49:50.123456+01:00"},
        fetch_row(4) | {"started_at": AT.replace(tzinfo=None)},
    ]
    target = tmp_path / "t.jsonl"
    export("fetches", iter(rows), "jsonl", target)
    times = {json.loads(line)["started_at"] for line in target.read_text().splitlines()}
    assert times == {"2026-12-06T22:49:50.123456Z"}


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    rows = [fetch_row(1, "bad byte \udcff here") | {"redirects": ["x\udc80"]}]
    for output_format in ("csv", "jsonl", "parquet"):
        target = tmp_path / f"s.{output_format}"
        export("fetches", iter(rows), output_format, target)
        assert "bad byte \ufffd here" in target.read_bytes().decode("utf-8", "replace")


# -- standard output -------------------------------------------------------------------------


def test_csv_and_jsonl_go_to_standard_output_with_a_dash() -> None:
    out = io.StringIO()
    assert export("records", record_rows(), "jsonl", "-", stdout=out) == 2
    assert json.loads(out.getvalue().splitlines()[0])["ad_system"] == "google.com"
    out = io.StringIO()
    export("records", record_rows(), "csv", "-", stdout=out)
    assert out.getvalue().startswith("domain,kind,version,body_id,")


def test_standard_output_of_a_real_process() -> None:
    script = textwrap.dedent(
        """
        from adstxt.store._export import export
        rows = [{"change_id": 1, "domain": "a\\u202e.com", "kind": "ads.txt",
                 "at": 0, "new_version": 1, "type": "file-appeared", "new": "valid"}]
        export("changes", iter(rows), "csv", "-")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"},
    )
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[1].startswith("1,a\u202e.com,ads.txt,1970-01-01T00:00:00.000000Z,")


def test_parquet_cannot_go_to_standard_output() -> None:
    with pytest.raises(ExportError, match="standard output"):
        export("records", record_rows(), "parquet", "-")


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nonsense": 1}, "no column named nonsense"),
        ({"fetch_id": "1"}, "fetch_id: expected an integer, got str"),
        ({"fetch_id": True}, "fetch_id: expected an integer"),
        ({"domain": None}, "domain: is null but the column is not nullable"),
        ({"domain": 5}, "domain: expected text"),
        ({"unchanged": 1}, "unchanged: expected a boolean"),
        ({"started_at": "yesterday"}, "started_at: 'yesterday' is not an ISO 8601 time"),
        ({"started_at": [1]}, "started_at: expected a time, got list"),
        ({"redirects": "https://x"}, "redirects: expected a list of text, got str"),
        ({"redirects": [1]}, "redirects: expected a list of text, found int"),
    ],
)
def test_a_bad_row_is_refused_and_the_old_file_stays(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    for output_format in ("csv", "parquet"):
        target = tmp_path / f"out.{output_format}"
        target.write_bytes(b"old contents")
        rows = [fetch_row(1), fetch_row(2) | change]
        with pytest.raises(ExportError, match="fetches row 2") as caught:
            export("fetches", iter(rows), output_format, target)
        assert message in str(caught.value)
        assert target.read_bytes() == b"old contents"
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_unknown_table_and_format_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no table named 'sellers'"):
        export("sellers", iter(()), "csv", tmp_path / "x")
    with pytest.raises(ExportError, match="no format 'xlsx'"):
        export("records", iter(()), "xlsx", tmp_path / "x")


def test_a_missing_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ExportError, match=r"adstxt\[parquet\]"):
        export("records", record_rows(), "parquet", tmp_path / "r.parquet")
    assert not list(tmp_path.iterdir())


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot create a temporary file"):
        export("records", record_rows(), "csv", tmp_path / "missing" / "r.csv")
    directory = tmp_path / "dir.csv"
    directory.mkdir()
    with pytest.raises(ExportError, match="is not a regular file"):
        export("records", record_rows(), "csv", directory)


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "records.csv"
    target.write_text("old")
    target.chmod(0o640)
    export("records", record_rows(), "csv", target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_text(encoding="utf-8").startswith("domain,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.csv"]


@pytest.mark.skipif(os.name != "posix", reason="hard links")
def test_a_hard_linked_file_is_rewritten_in_place(tmp_path: Path) -> None:
    target = tmp_path / "records.jsonl"
    target.write_text("old")
    twin = tmp_path / "twin.jsonl"
    os.link(target, twin)
    export("records", record_rows(), "jsonl", target)
    assert twin.read_text(encoding="utf-8") == target.read_text(encoding="utf-8") != "old"
    assert os.path.samefile(target, twin)


# -- a kill part-way -------------------------------------------------------------------------

_ENDLESS_EXPORT = """
import sys, time
from adstxt.store._export import export
output_format, target = sys.argv[1], sys.argv[2]

def rows():
    number = 0
    while True:
        number += 1
        if number == 50_000:
            print("half way", flush=True)
            time.sleep(120)
        yield {"change_id": number, "domain": f"site{number}.com", "kind": "ads.txt",
               "at": 1765000000 + number, "new_version": 1, "type": "record-added",
               "ad_system": "google.com", "seller_id": f"pub-{number:016d}",
               "new": "DIRECT", "new_line": number}

export("changes", rows(), output_format, target, row_group_size=10_000)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("output_format", ["csv", "jsonl", "parquet"])
def test_a_kill_during_a_big_export_leaves_the_old_file_whole(
    tmp_path: Path, output_format: str
) -> None:
    target = tmp_path / f"changes.{output_format}"
    export("changes", change_rows(), output_format, target)
    before = target.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", _ENDLESS_EXPORT, output_format, str(target)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == b"half way\n"
        # The rows so far are on disk, in the temporary file beside the target.
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
        assert len(leftovers) == 1 and leftovers[0].stat().st_size > 100_000
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()
    assert target.read_bytes() == before
    # The next export removes what the killed one left behind.
    export("changes", change_rows(), output_format, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_refusals_of_the_streamed_write_leave_files_alone(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("old")
    with pytest.raises(ExportError, match="cannot be examined"):
        export("records", record_rows(), "csv", plain / "below.csv")
    if os.name == "posix":
        plain.chmod(0o444)
        with pytest.raises(ExportError, match="is read-only"):
            export("records", record_rows(), "csv", plain)
        assert plain.read_text() == "old"


def test_a_read_error_mid_export_is_a_write_error_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "records.csv"
    target.write_text("old")

    def rows() -> Iterator[dict[str, object]]:
        yield from record_rows()
        raise OSError(5, "Input/output error")

    with pytest.raises(ExportError, match="cannot be written: Input/output error"):
        export("records", rows(), "csv", target)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.csv"]


def test_a_nullable_time_may_be_null_in_every_format(tmp_path: Path) -> None:
    table = Table("times", "one time", (Column("at", "timestamp", True, "When."),))
    rows = [{"at": None}, {"at": AT}]
    export(table, iter(rows), "jsonl", tmp_path / "t.jsonl")
    lines = (tmp_path / "t.jsonl").read_text().splitlines()
    assert [json.loads(line)["at"] for line in lines] == [None, "2026-12-06T22:49:50.123456Z"]
    export(table, iter(rows), "csv", tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines()[1:] == [
        '""',
        "2026-12-06T22:49:50.123456Z",
    ]
    export(table, iter(rows), "parquet", tmp_path / "t.parquet")
    assert pq.read_table(tmp_path / "t.parquet").column("at").to_pylist() == [None, AT]
