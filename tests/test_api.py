"""The public API: parse, check, loads/load, dumps, Record.from_line and streaming."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import adstxt
from adstxt import AdsTxtError, Record, Relationship, Variable

CLEAN = b"""# partners
OWNERDOMAIN=example.com
google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0
appnexus.com, 1234, RESELLER, f5ab79cb980f11d1 # video
MANAGERDOMAIN=manager.com, FR
example-ssp.com, AbC-9, RESELLER;ext=1
"""


def test_parse_builds_the_record_model() -> None:
    result = adstxt.parse(CLEAN)
    assert result.ok
    assert result.diagnostics == ()
    assert result.records == (
        Record("google.com", "pub-1234567890123456", Relationship.DIRECT, "f08c47fec0942fa0"),
        Record("appnexus.com", "1234", Relationship.RESELLER, "f5ab79cb980f11d1"),
        Record("example-ssp.com", "AbC-9", Relationship.RESELLER, None, "ext=1"),
    )
    assert [r.line for r in result.records] == [3, 4, 6]
    assert result.variables == (
        Variable("OWNERDOMAIN", "example.com"),
        Variable("MANAGERDOMAIN", "manager.com, FR"),
    )
    assert [(c.line, c.column, c.text) for c in result.comments] == [
        (1, 1, " partners"),
        (4, 48, " video"),
    ]
    assert result.kind == "ads.txt"
    assert result.encoding == "utf-8"


def test_lines_are_lossless() -> None:
    text = "a.com, 1, DIRECT\r\n# c\rb.com, 2, RESELLER\nlast line"
    result = adstxt.parse(text)
    assert "".join(body + ending for _, body, ending in result.lines()) == text
    assert [number for number, _, _ in result.lines()] == [1, 2, 3, 4]


def test_line_equality_ignores_position() -> None:
    first = Record("a.com", "1", Relationship.DIRECT, line=1)
    again = Record("a.com", "1", Relationship.DIRECT, line=9)
    assert first == again
    assert hash(first) == hash(again)
    assert len({first, again}) == 1


def test_app_ads_kind_from_file_name() -> None:
    data = b"SUBDOMAIN=shop.example.com\ngoogle.com, pub-1234567890123456, DIRECT\n"
    assert adstxt.parse(data, filename="public/app-ads.txt").kind == "app-ads.txt"
    assert adstxt.parse(data, filename="App-Ads.TXT").kind == "app-ads.txt"
    assert adstxt.parse(data, filename="ads.txt").kind == "ads.txt"
    app_codes = [d.code for d in adstxt.parse(data, filename="app-ads.txt").diagnostics]
    assert app_codes == ["ADS309"]
    assert adstxt.parse(data, filename="ads.txt").diagnostics == ()


def test_check_matches_parse_without_records() -> None:
    data = CLEAN + b"bad line here\nGoogle.com, pub-1234567890123456, direct\n"
    assert adstxt.check(data) == adstxt.parse(data).diagnostics


def test_loads_raises_with_position_of_first_error() -> None:
    with pytest.raises(AdsTxtError) as caught:
        adstxt.loads("a.com, 1, DIRECT\nmgid.com, 749656, DIRCT\n")
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.lineno, error.colno) == (2, 19)
    assert error.diagnostic.code == "ADS210"
    assert "line 2, column 19" in str(error)
    assert "did you mean 'DIRECT'?" in str(error)


def test_loads_accepts_warnings(tmp_path: Path) -> None:
    text = "google.com, pub-1234567890123456, direct\n"
    assert adstxt.loads(text).records[0].relationship is Relationship.DIRECT
    path = tmp_path / "app-ads.txt"
    path.write_bytes(CLEAN)
    with path.open("rb") as file:
        loaded = adstxt.load(file)
    assert loaded.records == adstxt.parse(CLEAN).records


def test_dumps_round_trips() -> None:
    file = adstxt.loads(CLEAN)
    text = adstxt.dumps(file)
    assert text.splitlines()[0] == "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0"
    again = adstxt.parse(text)
    assert again.ok
    assert again.records == file.records
    assert again.variables == file.variables


@pytest.mark.parametrize(
    "item",
    [
        Record("a.com", "1,2", Relationship.DIRECT),
        Record("a.com", "1#2", Relationship.DIRECT),
        Record("a.com", " 1", Relationship.DIRECT),
        Record("a.com", "1", Relationship.DIRECT, extension="x # y"),
        Variable("CONTACT", "a\nb"),
        Variable("contact", "x"),
    ],
)
def test_dumps_refuses_what_cannot_round_trip(item: Record | Variable) -> None:
    with pytest.raises(ValueError, match=r"cannot be written|must be upper case"):
        adstxt.dumps([item])


def test_record_from_line() -> None:
    record = Record.from_line("mgid.com, 749656, DIRECT, d4c29acad76ce94f")
    assert record == Record("mgid.com", "749656", Relationship.DIRECT, "d4c29acad76ce94f")
    assert record.to_line() == "mgid.com, 749656, DIRECT, d4c29acad76ce94f"
    with pytest.raises(AdsTxtError, match="ADS210"):
        Record.from_line("mgid.com, 749656, DIRCT")
    with pytest.raises(AdsTxtError, match="ADS101"):
        Record.from_line("CONTACT=me@example.com")
    with pytest.raises(AdsTxtError, match="ADS101"):
        Record.from_line("a.com, 1, DIRECT\nb.com, 2, DIRECT")


def test_streaming_matches_parse() -> None:
    data = CLEAN * 3 + b"\xff oops, 1, DIRECT\r\nx.com,1,DIRECT\r"
    expected = adstxt.parse(data)
    items = list(adstxt.iter_parse(io.BytesIO(data), chunk_size=7))
    records = [i for i in items if isinstance(i, Record)]
    variables = [i for i in items if isinstance(i, Variable)]
    diagnostics = [i for i in items if isinstance(i, adstxt.Diagnostic)]
    assert records == list(expected.records)
    assert [r.line for r in records] == [r.line for r in expected.records]
    assert variables == list(expected.variables)
    assert sorted(diagnostics, key=adstxt.Diagnostic.sort_key) == list(expected.diagnostics)


def test_streaming_without_records_yields_only_diagnostics() -> None:
    items = list(adstxt.iter_parse(io.BytesIO(CLEAN + b"junk\n"), records=False))
    assert [type(i) for i in items] == [adstxt.Diagnostic]


def test_streaming_keeps_a_huge_line_bounded() -> None:
    data = b"a.com, 1, DIRECT\n" + b"x" * 3_000_000 + b"\nb.com, 2, DIRECT\n"
    items = list(adstxt.iter_parse(io.BytesIO(data), chunk_size=65536))
    codes = [(i.line, i.code) for i in items if isinstance(i, adstxt.Diagnostic)]
    assert codes == [(2, "ADS012")]
    assert [i.line for i in items if isinstance(i, Record)] == [1, 3]


def test_parsing_is_offline_and_writes_nothing(tmp_path: Path) -> None:
    """A fresh interpreter with sockets disabled parses a file and leaves HOME empty."""
    home = tmp_path / "home"
    home.mkdir()
    script = textwrap.dedent(
        """
        import logging, socket
        def refuse(*a, **k):
            raise SystemExit("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        records = []
        logging.basicConfig(level=logging.DEBUG, handlers=[logging.StreamHandler()])
        import adstxt
        result = adstxt.parse(b"www.google.co.uk, 1, DIRECT\\nopenx.net, 2, RESELLER\\n")
        print(sorted(d.code for d in result.diagnostics))
        """
    )
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TLDEXTRACT_CACHE": str(home / "tld"),
        "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "http://192.0.2.1/list.dat",
    }
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['ADS203', 'ADS205']"
    assert "tldextract" not in run.stderr
    assert list(home.rglob("*")) == []


def test_records_with_url_domains_are_a_broken_ads_txt_not_prose() -> None:
    text = "".join(f"https://google.com/, pub-12345678901234{i:02d}, DIRECT\n" for i in range(3))
    assert [d.code for d in adstxt.check(text)] == ["ADS201"] * 3


def test_the_domain_given_is_reduced_to_its_root_for_the_subdomain_checks() -> None:
    text = "SUBDOMAIN=a.example.com\ngoogle.com, pub-1234567890123456, DIRECT\n"
    assert adstxt.check(text, domain="www.example.com") == ()
    (outside,) = adstxt.check(text, domain="example.co.uk")
    assert outside.code == "ADS304" and "'example.co.uk'" in outside.message
    # A subdomain's own file may not refer further: its SUBDOMAIN lines are ignored.
    outside, ignored = adstxt.check(text, domain="shop.example.co.uk")
    assert (outside.code, ignored.code) == ("ADS304", "ADS309")
    assert "'example.co.uk'" in outside.message


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 1 << 20])
def test_streamed_byte_offsets_count_the_byte_order_mark_once(chunk_size: int) -> None:
    data = b"\xef\xbb\xbfmgid.com, 1, DIRECT\n# caf\xe9\n"
    streamed = [
        item.message
        for item in adstxt.iter_parse(io.BytesIO(data), chunk_size=chunk_size)
        if isinstance(item, adstxt.Diagnostic) and item.code == "ADS001"
    ]
    assert streamed == [d.message for d in adstxt.parse(data).diagnostics if d.code == "ADS001"]
    assert "byte offset 28" in streamed[0]


def test_reports_are_ordered_by_the_documented_sort_key() -> None:
    from adstxt.diagnostics import REPORT_ORDER

    data = (Path(__file__).resolve().parents[1] / "examples" / "broken-ads.txt").read_bytes()
    diagnostics = adstxt.check(data)
    assert len(diagnostics) > 5
    assert all(REPORT_ORDER(d) == d.sort_key() for d in diagnostics)
    assert list(diagnostics) == sorted(diagnostics, key=adstxt.Diagnostic.sort_key)


def test_importing_the_package_loads_the_checker_only_when_it_is_used() -> None:
    """``import adstxt`` (and any of its modules, such as the crawler's) does not choose and
    load the checker; its functions are there all the same, and ``Record.from_line``, which
    the model cannot import the checker for, loads it at its first call."""
    script = textwrap.dedent(
        """
        import sys
        import adstxt, adstxt.crawl
        from adstxt.model import Record

        loaded = lambda: sorted(
            m for m in ("adstxt._api", "adstxt._engine_choice", "adstxt._lint") if m in sys.modules
        )
        assert loaded() == [], loaded()
        assert {"parse", "check", "lint", "apply_fixes", "FixResult"} <= set(dir(adstxt))
        assert not {"importlib", "typing", "Any", "annotations"} & set(dir(adstxt))
        record = Record.from_line("mgid.com, 749656, DIRECT, d4c29acad76ce94f")
        assert (record.domain, record.account_id) == ("mgid.com", "749656"), record
        assert loaded() == ["adstxt._api", "adstxt._engine_choice"], loaded()
        from adstxt import lint, parse

        assert parse(b"mgid.com, 749656, DIRECT\\n").ok and lint is adstxt.lint
        try:
            adstxt.no_such_name
        except AttributeError as exc:
            assert "no_such_name" in str(exc)
        else:
            raise AssertionError("no AttributeError")
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"
