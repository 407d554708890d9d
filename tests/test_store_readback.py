"""Re-crawls read a held copy back from the store: a damaged store has the copy parsed
again (never a traceback), a 304's line says what the first crawl's said, and a charset
Python cannot read text with is a finding, never a crash. Real crawls of loopback sites
into a real SQLite file."""

from __future__ import annotations

import codecs
import json
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("h11")

from adstxt.diagnostics import Diagnostic
from adstxt.fetch._checks import check_body
from tests.cli import adstxt
from tests.httpserver import GOOD, LocalServers, etagged

TEXT = "text/plain; charset=utf-8"


def _crawls(tmp_path: Path, body: bytes, content_type: str, damage: str | None) -> list[dict]:
    """A first crawl, then (after ``damage``) a --refresh one (304) and a plain one (fresh)."""
    lines = []
    with LocalServers() as servers:
        servers.routes["*://site.com/ads.txt"] = etagged(body, content_type=content_type)
        (tmp_path / "d.txt").write_text("site.com\n")
        for name, extra in (("1", ()), ("2", ("--refresh",)), ("3", ())):
            if name == "2" and damage:
                with sqlite3.connect(tmp_path / "adstxt.sqlite") as db:
                    db.execute(damage)
            done = adstxt(
                "crawl", "d.txt", "-o", f"{name}.jsonl", *extra, *servers.crawl_options(),
                cwd=tmp_path,
            )  # fmt: skip
            assert "Traceback" not in done.stderr, done.stderr[-2000:]
            assert done.returncode == 0, done.stderr
            lines.append(json.loads((tmp_path / f"{name}.jsonl").read_text()))
    return lines


def test_a_variable_whose_line_is_not_a_number_has_the_copy_parsed_again(tmp_path: Path) -> None:
    body = b"CONTACT=ops@site.com\n" + GOOD
    first, again, fresh = _crawls(
        tmp_path, body, TEXT, "UPDATE body_variables SET line = 'x' || line"
    )
    assert again["variables"] == fresh["variables"] == first["variables"] == 1


def test_a_variable_value_stored_as_a_blob_does_not_stop_the_crawl(tmp_path: Path) -> None:
    # SQLite's json_array() refuses a BLOB: the query that reads the held copy must not.
    body = b"CONTACT=ops@site.com\n" + GOOD
    first, again, fresh = _crawls(tmp_path, body, TEXT, "UPDATE body_variables SET value = X'41'")
    assert again["records"] == fresh["records"] == first["records"] == 1


def test_a_304_line_keeps_the_content_type_findings_a_fresh_line_has(tmp_path: Path) -> None:
    first, again, fresh = _crawls(tmp_path, GOOD, "text/plain", None)
    assert "ADS517" in first["diagnostics"] and "ADS517" in fresh["diagnostics"]
    assert again["status"] == 304
    assert again["diagnostics"] == first["diagnostics"]


@pytest.mark.parametrize("charset", ["undefined", "idna"])
def test_a_charset_whose_codec_cannot_decode_is_a_finding_not_a_crash(charset: str) -> None:
    # Known names whose codecs fail on arbitrary bytes: read as UTF-8, with ADS519.
    found: list[Diagnostic] = []
    parsed = check_body(
        "http://a.com/ads.txt", 200, GOOD, f"text/plain; charset={charset}", "ads.txt", found
    )
    assert len(parsed.records) == 1
    assert [d.code for d in found] == ["ADS519"]


def test_a_charset_that_is_no_text_encoding_is_not_called_a_known_one() -> None:
    # charset=base64 names a codec from bytes to bytes, not a text encoding.
    found: list[Diagnostic] = []
    check_body("http://a.com/ads.txt", 200, GOOD, "text/plain; charset=base64", "ads.txt", found)
    assert [d.code for d in found] == ["ADS519"]


@pytest.mark.parametrize("charset", ["utf_8", "U8", "cp65001", "646"])
def test_another_name_of_utf8_or_ascii_is_no_finding(charset: str) -> None:
    found: list[Diagnostic] = []
    parsed = check_body(
        "http://a.com/ads.txt", 200, GOOD, f"text/plain; charset={charset}", "ads.txt", found
    )
    assert found == [] and len(parsed.records) == 1


def _flaky_search(name: str) -> codecs.CodecInfo | None:
    """A text codec that reads any bytes (as Latin-1) but fails on one word."""
    if name != "adstxt_flaky":
        return None

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        if b"boom" in data:
            raise UnicodeError("this codec fails on 'boom'")
        return bytes(data).decode("latin-1"), len(data)

    return codecs.CodecInfo(
        encode=lambda text, errors="strict": (text.encode("latin-1"), len(text)),
        decode=decode,
        name="adstxt_flaky",
    )


def test_a_codec_that_fails_on_the_body_has_it_read_as_utf8() -> None:
    codecs.register(_flaky_search)
    try:
        found: list[Diagnostic] = []
        body = GOOD + b"# boom\n"
        parsed = check_body(
            "http://a.com/ads.txt", 200, body, "text/plain; charset=adstxt_flaky", "ads.txt", found
        )
    finally:
        codecs.unregister(_flaky_search)
    assert [d.code for d in found] == ["ADS518"]  # a known encoding, which this body defeats
    assert len(parsed.records) == 1 and parsed.text == body.decode()
