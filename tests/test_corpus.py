"""Tests over the corpus of real ads.txt and app-ads.txt files in ``../shared/corpus/real``.

The corpus holds 178 files exactly as they were published (see ``SOURCES.tsv`` beside them).
The first half of this module runs every file through :func:`adstxt.parse`, :func:`adstxt.check`
and :func:`adstxt.iter_parse` and checks the invariants that must hold for any input. The
second half pins specific problems in specific files: every line and column asserted there
was read off the file's bytes by hand, and each test re-checks the flagged text against the
raw bytes, split into lines here without the library's help.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from pathlib import Path

import pytest

import adstxt
from adstxt import Diagnostic, Fix, ParseResult, Record, Relationship, Severity

root = Path(__file__).resolve().parents[1]
CORPUS = root.parent / "shared" / "corpus" / "real"

if not CORPUS.is_dir():
    pytest.skip(f"{CORPUS} is not available", allow_module_level=True)

SOURCES = CORPUS / "SOURCES.tsv"
FILES = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and p.name != SOURCES.name)

# Diagnostics about the file as a whole. They are anchored at line 1, column 1 by
# convention and say nothing about the text of line 1 itself.
FILE_LEVEL = frozenset({"ADS003", "ADS004", "ADS005", "ADS006"})

# Files named in the focused tests.
BOM_PLAIN = "leadswix__ads.txt__ads.txt"
BOM_COMMENT_FIRST = "cyberorca__adstxt__01072022_Short-ads.txt-Adipolo--2---1-.txt"
UTF16 = "EduardofsCruz__app-ads__app-ads.txt"
RTF_FILES = (
    "anil9t5__PhaserDokoGame__ads.txt.rtf.txt",
    "danitrotart-debug__pixiewall.github.io__ads.txt.rtf.txt",
    "Thewongs__ads-txt__ads.txt.rtf.txt",
    "RobertTadevosyan__app-ads.txt__App-ads.txt",
)
HTML_FILES = (
    "Shuai-Xin__Shuai-Xin.github.io__ads.txt_index.html.txt",
    "Kai-codin__MyTransportTimes-Coming-Siin__ads.txt.html.txt",
    "Hop-dot__studentlodge__ads.txt.txt__df8341e.txt",
)
LOYAL = "loyalfoundry__adstxt__ads.txt"
ZENTERTAIN = "Zentertain__AdsTxt__app-ads.txt"
ALLWOMEN = "allwomenstalk__allwomenstalk-adstxt__public_ads.txt"
FUNKE_BMO = "funkeleo__Funke_Digital_ads.txt__FD-intern_bmo_ads.txt"
EMTEK = "cyberorca__adstxt__20072022_Emtek_digital_ads.txt_file.txt"
GOLD = "Gold1981__goldsisters5.github.io__ads.txt"
FREEPDA = "FreePDA__main__app-ads.txt"
GARDENIDEA = "fbcomshare__gardenidea__ads.txt"
PLACEHOLDER = "duaneking__ads.txt__ads.txt"
CIENCIA = "JoaquinAmatRodrigo__cienciadedatos.net__ads.txt"
BILD_APP = "spring-media__adsolutions-ads.txt__MediaImpact_bild.de_app-ads.txt"
GOVTRACK = "govtrack__govtrack.us-web__static_ads.txt"


# -- helpers -----------------------------------------------------------------------------


@functools.cache
def read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@functools.cache
def parsed(name: str) -> ParseResult:
    return adstxt.parse(read(name), filename=name)


@functools.cache
def raw_lines(name: str) -> tuple[str, ...]:
    """The file's lines, decoded and split here without using adstxt."""
    data = read(name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8-sig")
    return tuple(re.split(r"\r\n|\r|\n", text))


def raw_line(name: str, number: int) -> str:
    return raw_lines(name)[number - 1]


def span(name: str, diagnostic: Diagnostic) -> str:
    """The raw text a diagnostic points at."""
    return raw_line(name, diagnostic.line)[diagnostic.column - 1 : diagnostic.end_column - 1]


def found(name: str, code: str, line: int) -> list[Diagnostic]:
    return [d for d in parsed(name).diagnostics if d.code == code and d.line == line]


def one(name: str, code: str, line: int) -> Diagnostic:
    """The single diagnostic ``code`` on ``line``, failing if there is none or several."""
    matches = found(name, code, line)
    assert len(matches) == 1, (code, line, parsed(name).diagnostics)
    return matches[0]


def fix_of(diagnostic: Diagnostic) -> Fix:
    assert diagnostic.fix is not None, diagnostic
    return diagnostic.fix


def hint_of(diagnostic: Diagnostic) -> str:
    assert diagnostic.hint is not None, diagnostic
    return diagnostic.hint


def record_lines(name: str) -> set[int]:
    return {record.line for record in parsed(name).records}


def _order(diagnostic: Diagnostic) -> tuple[tuple[int, int, str], str]:
    return diagnostic.sort_key(), repr(diagnostic)


def _split_stream(
    items: list[Record | adstxt.Variable | Diagnostic],
) -> tuple[list[tuple[Record, int]], list[Diagnostic]]:
    records = [(item, item.line) for item in items if isinstance(item, Record)]
    diagnostics = sorted((item for item in items if isinstance(item, Diagnostic)), key=_order)
    return records, diagnostics


# -- the corpus itself -----------------------------------------------------------------


def test_sources_describe_every_file() -> None:
    with SOURCES.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert sorted(row["filename"] for row in rows) == FILES
    assert len(FILES) == 178
    for row in rows:
        name = row["filename"]
        assert len(read(name)) == int(row["bytes"]), name
        # The line counts in SOURCES.tsv were made by other tools: they check the
        # library's line splitting (CRLF, bare CR, UTF-16, no final newline).
        assert len(list(parsed(name).lines())) == int(row["lines"]), name


# -- invariants over every file ------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_parse_invariants(name: str) -> None:
    result = parsed(name)
    texts = {number: text for number, text, _ in result.lines()}
    last = max(1, len(texts))
    for d in result.diagnostics:
        assert d.code in adstxt.RULES, d
        rule = adstxt.RULES[d.code]
        assert d.severity in (rule.severity, rule.weak_severity), d
        assert d.name == adstxt.RULES[d.code].name
        assert d.message, d
        assert 1 <= d.line <= last, d
        width = len(texts.get(d.line, ""))
        assert 1 <= d.column <= d.end_column <= width + 1, (d, width)
        if d.fix is not None:
            fix = d.fix
            assert 1 <= fix.line <= fix.end_line <= last + 1, d
            assert (fix.line, fix.column) <= (fix.end_line, fix.end_column), d
            assert 1 <= fix.column <= len(texts.get(fix.line, "")) + 1, d
            assert 1 <= fix.end_column <= len(texts.get(fix.end_line, "")) + 1, d
    keys = [d.sort_key() for d in result.diagnostics]
    assert keys == sorted(keys)

    error_lines = {
        d.line
        for d in result.diagnostics
        if d.severity is Severity.ERROR and d.code not in FILE_LEVEL
    }
    for record in result.records:
        assert 1 <= record.line <= len(texts), record
        assert record.line not in error_lines, (record, record.line)
    lines = [record.line for record in result.records]
    assert lines == sorted(set(lines)), "records come in file order, one per line"
    for variable in result.variables:
        assert variable.line not in error_lines, (variable, variable.line)

    has_error = any(d.severity is Severity.ERROR for d in result.diagnostics)
    assert result.ok is (not has_error)
    assert "".join(text + ending for _, text, ending in result.lines()) == result.text


@pytest.mark.parametrize("name", FILES)
def test_check_matches_parse(name: str) -> None:
    assert adstxt.check(read(name), filename=name) == parsed(name).diagnostics


@pytest.mark.parametrize("name", FILES)
def test_iter_parse_matches_parse(name: str) -> None:
    result = parsed(name)
    items = list(adstxt.iter_parse(io.BytesIO(read(name)), filename=name))
    records, diagnostics = _split_stream(items)
    assert records == [(record, record.line) for record in result.records]
    assert diagnostics == sorted(result.diagnostics, key=_order)
    variables = [(v, v.line) for v in items if isinstance(v, adstxt.Variable)]
    assert variables == [(v, v.line) for v in result.variables]


@pytest.mark.parametrize(
    "name",
    [
        BOM_COMMENT_FIRST,
        UTF16,
        EMTEK,
        CIENCIA,
        ALLWOMEN,
        "Keremyardan__app-ads-host__app-ads.txt",
        "asri2639__tres__public_static_ads.txt",
    ],
)
def test_iter_parse_with_tiny_chunks_matches_parse(name: str) -> None:
    # Chunks of 7 bytes split CRLF pairs, multi-byte UTF-8 characters and UTF-16 code units.
    result = parsed(name)
    items = list(adstxt.iter_parse(io.BytesIO(read(name)), filename=name, chunk_size=7))
    records, diagnostics = _split_stream(items)
    assert records == [(record, record.line) for record in result.records]
    assert diagnostics == sorted(result.diagnostics, key=_order)


# -- file and encoding ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [BOM_PLAIN, BOM_COMMENT_FIRST])
def test_utf8_byte_order_mark(name: str) -> None:
    assert read(name).startswith(codecs.BOM_UTF8)
    result = parsed(name)
    d = one(name, "ADS002", 1)
    assert (d.column, d.end_column, d.severity) == (1, 1, Severity.WARNING)
    assert fix_of(d).safe
    assert result.encoding == "utf-8"
    assert not result.text.startswith("\ufeff")
    assert not [d for d in result.diagnostics if d.code in ("ADS008", "ADS201")]


def test_utf8_byte_order_mark_before_a_record() -> None:
    result = parsed(BOM_PLAIN)
    assert [d.code for d in result.diagnostics] == ["ADS002"]
    assert result.ok
    [record] = result.records
    assert (record.line, record.domain) == (1, "google.com")
    assert record.account_id == "pub-4245177330401624"


def test_utf8_byte_order_mark_before_a_comment() -> None:
    result = parsed(BOM_COMMENT_FIRST)
    assert raw_line(BOM_COMMENT_FIRST, 1) == "#APL"
    assert result.comments[0].line == 1
    assert result.comments[0].text == "APL"
    assert result.records[0].line == 2
    assert result.records[0].domain == "adipolo.com"


def test_utf16_file_is_decoded_and_reported() -> None:
    data = read(UTF16)
    assert data.startswith(codecs.BOM_UTF16_LE)
    result = parsed(UTF16)
    assert result.encoding.replace("_", "-").lower().startswith("utf-16")
    assert result.kind == "app-ads.txt"
    d = one(UTF16, "ADS003", 1)
    assert (d.column, d.end_column, d.severity) == (1, 1, Severity.ERROR)
    assert "UTF-16" in d.message
    # Decoding worked: the text is the file's text, not a soup of NUL bytes.
    expected = ["google.com", "pub-3213807706089074", "DIRECT", "f08c47fec0942fa0"]
    assert [text for _, text, _ in result.lines()] == expected
    assert [ending for _, _, ending in result.lines()] == ["\r\n"] * 4
    assert result.text == data.decode("utf-16")
    # The publisher put each field on a line of its own, so no line is a record: every line
    # is reported where it ends.
    for number, text in enumerate(expected, start=1):
        d = one(UTF16, "ADS102", number)
        assert d.column == d.end_column == len(text) + 1
    assert result.records == ()
    assert not result.ok


@pytest.mark.parametrize("name", RTF_FILES)
def test_rtf_file(name: str) -> None:
    assert read(name).startswith(b"{\\rtf1")
    [d] = [d for d in parsed(name).diagnostics if d.code == "ADS004"]
    assert (d.line, d.column, d.end_column) == (1, 1, 1)
    assert "RTF" in d.message
    assert d.severity is Severity.ERROR
    assert not parsed(name).ok


def test_rtf_file_hides_its_only_record_in_markup() -> None:
    name = RTF_FILES[0]
    line = raw_line(name, 8)
    assert line == "\\f0\\fs24 \\cf0 google.com, pub-3363434517820380, DIRECT, f08c47fec0942fa0}"
    d = one(name, "ADS101", 8)
    assert span(name, d) == line
    assert parsed(name).records == ()


def test_rtf_file_lines_are_still_checked() -> None:
    name = "RobertTadevosyan__app-ads.txt__App-ads.txt"
    assert len(parsed(name).records) == 400
    # Line 9 is 'betweendigital.com, 43554, RESELLER\' (RTF's line continuation).
    d = one(name, "ADS210", 9)
    assert span(name, d) == "RESELLER\\"
    assert 9 not in record_lines(name)


@pytest.mark.parametrize("name", HTML_FILES)
def test_html_file(name: str) -> None:
    [d] = [d for d in parsed(name).diagnostics if d.code == "ADS004"]
    assert (d.line, d.column, d.end_column) == (1, 1, 1)
    assert "HTML" in d.message
    assert d.severity is Severity.ERROR


def test_html_export_of_a_record() -> None:
    name = HTML_FILES[0]
    assert raw_line(name, 1).startswith("<!DOCTYPE html")
    line = raw_line(name, 14)
    assert line == '<p class="p1">google.com, pub-1556107858900989, DIRECT, f08c47fec0942fa0</p>'
    assert span(name, one(name, "ADS101", 14)) == line
    assert parsed(name).records == ()


def test_html_after_a_record() -> None:
    name = HTML_FILES[2]
    result = parsed(name)
    assert [(r.line, r.domain) for r in result.records] == [(1, "google.com")]
    assert raw_line(name, 3).startswith("<div style=")
    assert raw_line(name, 5).startswith("<img alt=")
    # Line 3 has '#000' in its CSS, and '#' starts a comment: only the text before it counts.
    d = one(name, "ADS101", 3)
    assert span(name, d) == raw_line(name, 3).split("#")[0].rstrip()
    assert one(name, "ADS101", 5).column == 1


def test_empty_file() -> None:
    name = "FreeUKGen__MyopicVicar__public_site_specific_freebmd_ads.txt"
    assert read(name) == b""
    result = parsed(name)
    assert list(result.lines()) == []
    [d] = result.diagnostics
    assert (d.code, d.line, d.column, d.end_column) == ("ADS005", 1, 1, 1)


def test_bare_carriage_return() -> None:
    name = "Keremyardan__app-ads-host__app-ads.txt"
    assert read(name).endswith(b"f08c47fec0942fa0\r")
    result = parsed(name)
    assert list(result.lines()) == [
        (1, "google.com, pub-1251735056560092, DIRECT, f08c47fec0942fa0", "\r")
    ]
    assert result.diagnostics == ()
    assert [r.domain for r in result.records] == ["google.com"]


@pytest.mark.parametrize(
    ("name", "line", "column"),
    [(ZENTERTAIN, 8410, 24), (ZENTERTAIN, 8532, 30), (EMTEK, 283, 47), (EMTEK, 284, 49)],
)
def test_no_break_space(name: str, line: int, column: int) -> None:
    d = one(name, "ADS010", line)
    assert (d.column, d.end_column) == (column, column + 1)
    assert span(name, d) == "\u00a0"
    assert d.severity is Severity.WARNING
    assert fix_of(d).safe
    assert fix_of(d).replacement == " "
    assert line in record_lines(name)


def test_no_break_space_before_relationship() -> None:
    # The example the spec digest gives: 'tvisionary.co, 4569021,\u00a0RESELLER'.
    assert raw_line(ZENTERTAIN, 8410) == "tvisionary.co, 4569021,\u00a0RESELLER"
    [record] = [r for r in parsed(ZENTERTAIN).records if r.line == 8410]
    assert record.relationship is Relationship.RESELLER


@pytest.mark.parametrize("line", [511, 528])
def test_zero_width_no_break_space_inside_the_file(line: int) -> None:
    d = one(CIENCIA, "ADS008", line)
    assert (d.column, d.end_column) == (1, 2)
    assert span(CIENCIA, d) == "\ufeff"
    assert "U+FEFF" in d.message
    assert line not in record_lines(CIENCIA)


# -- line shape ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "column", "domain"),
    [(LOYAL, 336, 27, "waardex.com"), (ZENTERTAIN, 6310, 56, "adelement.com")],
)
def test_glued_records(name: str, line: int, column: int, domain: str) -> None:
    d = one(name, "ADS107", line)
    assert (d.column, d.end_column) == (column, column + len(domain))
    assert span(name, d) == domain
    assert domain in d.message
    assert d.severity is Severity.ERROR
    assert (fix_of(d).line, fix_of(d).column, fix_of(d).replacement) == (line, column, "\n")
    assert line not in record_lines(name)


def test_trailing_comma() -> None:
    assert raw_line(ALLWOMEN, 92) == "contextweb.com, 558511, RESELLER,"
    d = one(ALLWOMEN, "ADS108", 92)
    assert (d.column, d.end_column) == (33, 34)
    assert span(ALLWOMEN, d) == ","
    assert fix_of(d).safe
    assert fix_of(d).replacement == ""
    [record] = [r for r in parsed(ALLWOMEN).records if r.line == 92]
    assert record == Record(
        domain="contextweb.com", account_id="558511", relationship=Relationship.RESELLER
    )


def test_empty_field_in_a_five_field_line() -> None:
    assert raw_line(ZENTERTAIN, 6838) == "pubnative.net, , 1007501, RESELLER, d641df8625486a7b"
    assert found(ZENTERTAIN, "ADS104", 6838)


# -- record fields -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [ALLWOMEN, LOYAL])
def test_direct_slash_reseller(name: str) -> None:
    # Both files have it on a conversantmedia.com record, at lines 266 and 14.
    line = 266 if name == ALLWOMEN else 14
    assert raw_line(name, line).startswith("conversantmedia.com, 100141, DIRECT/RESELLER, ")
    d = one(name, "ADS210", line)
    assert (d.column, d.end_column) == (30, 45)
    assert span(name, d) == "DIRECT/RESELLER"
    assert "DIRECT" in hint_of(d)
    assert "RESELLER" in hint_of(d)
    assert line not in record_lines(name)


def test_certification_id_glued_to_relationship() -> None:
    assert raw_line(LOYAL, 1716) == "yahoo.com, 58905, RESELLER e1a5b5b6e3255540"
    d = one(LOYAL, "ADS210", 1716)
    assert span(LOYAL, d) == "RESELLER e1a5b5b6e3255540"
    assert "comma" in hint_of(d)
    assert fix_of(d).replacement == "RESELLER, e1a5b5b6e3255540"


@pytest.mark.parametrize(("name", "line"), [(FREEPDA, 561), (FREEPDA, 575), (ZENTERTAIN, 4228)])
def test_lower_case_relationship(name: str, line: int) -> None:
    d = one(name, "ADS211", line)
    written = span(name, d)
    assert written in ("direct", "reseller")
    assert raw_line(name, line).endswith(written)
    assert d.severity is Severity.INFO
    assert fix_of(d).safe
    assert fix_of(d).replacement == written.upper()


def test_lower_case_relationship_records_are_kept() -> None:
    records = {r.line: r for r in parsed(FREEPDA).records}
    assert records[561] == Record(
        domain="yandex.com", account_id="302446435", relationship=Relationship.DIRECT
    )
    assert records[575] == Record(
        domain="bigo.sg", account_id="1112518", relationship=Relationship.RESELLER
    )


@pytest.mark.parametrize(
    ("name", "line", "template"),
    [
        ("Gautam9818__flappy__ads.txt", 1, "pub-<your-publisher-id>"),
        (FREEPDA, 15, "Publisher_ID"),
        (ZENTERTAIN, 6081, "[yourVunglePublisherAccountID]"),
        (ZENTERTAIN, 6191, "INSERT PUBLISHER ID"),
        (ZENTERTAIN, 6626, "[yourironSourcePublisherAccountID]"),
        (ZENTERTAIN, 6684, "Account ID"),
    ],
)
def test_template_account_id(name: str, line: int, template: str) -> None:
    d = one(name, "ADS216", line)
    assert span(name, d) == template
    assert template in d.message
    assert d.severity is Severity.ERROR
    assert line not in record_lines(name)


@pytest.mark.parametrize(
    ("name", "line", "account", "hint"),
    [
        (FUNKE_BMO, 42, "pup-7439041255533808", "'pub-7439041255533808'"),
        (
            "spring-media__adsolutions-ads.txt__MediaImpact_finanzen.net_app-ads.txt",
            19,
            "ca-mb-app-pub-9740810436663331",
            "prefix: 'pub-9740810436663331'",
        ),
        ("cyberorca__adstxt__19082022_AdCrew.txt--2---1-.txt", 38, "71721677", "8 digits"),
        ("cyberorca__adstxt__19082022_AdCrew.txt--2---1-.txt", 42, "27367402", "8 digits"),
    ],
)
def test_google_publisher_id(name: str, line: int, account: str, hint: str) -> None:
    assert raw_line(name, line).startswith(f"google.com, {account}, ")
    d = one(name, "ADS217", line)
    assert (d.column, d.end_column) == (13, 13 + len(account))
    assert span(name, d) == account
    assert hint in hint_of(d)
    assert line not in record_lines(name)


def test_certification_id_one_character_short() -> None:
    # OpenX's TAG-ID is 6a698e2ec38604c6; line 51 lost the leading '6'.
    assert raw_line(FUNKE_BMO, 51) == "openx.com, 537149888, RESELLER, a698e2ec38604c6"
    d = one(FUNKE_BMO, "ADS222", 51)
    assert (d.column, d.end_column) == (33, 48)
    assert span(FUNKE_BMO, d) == "a698e2ec38604c6"
    assert "one character short of '6a698e2ec38604c6'" in hint_of(d)
    assert fix_of(d).replacement == "6a698e2ec38604c6"
    malformed = one(FUNKE_BMO, "ADS220", 51)
    assert (malformed.column, malformed.end_column) == (33, 48)
    # Both are warnings: the record is still usable.
    assert 51 in record_lines(FUNKE_BMO)


def test_certification_id_of_another_ad_system() -> None:
    name = "LivePagesgio__supervivencia_zombie.io__app-ads.txt"
    assert raw_line(name, 100) == "rubiconproject.com, 18364, RESELLER, 5d62403b186f2ace"
    d = one(name, "ADS222", 100)
    assert span(name, d) == "5d62403b186f2ace"
    assert "0bfd66d529a55807" in d.message
    assert "pubmatic.com" in hint_of(d)


def test_swapped_fields() -> None:
    assert raw_line(ZENTERTAIN, 8910) == "gitberry.com, RESELLER, 816110171"
    d = one(ZENTERTAIN, "ADS218", 8910)
    assert span(ZENTERTAIN, d) == "RESELLER, 816110171"
    assert fix_of(d).replacement == "816110171, RESELLER"
    assert 8910 not in record_lines(ZENTERTAIN)


@pytest.mark.parametrize("line", [221, 231, 232])
def test_certification_id_glued_to_the_next_domain(line: int) -> None:
    # Lines 220-232 lost their line breaks in the wrong place: each record's TAG-ID starts
    # the next line ('0bfd66d529a55807' is Rubicon's, '7842df1d2fe2db34' is SpotX's).
    assert re.match(r"[0-9a-f]{16}[a-z]", raw_line(LOYAL, line))
    assert [
        d
        for d in parsed(LOYAL).diagnostics
        if d.line == line and d.code != "ADS108" and d.severity is not Severity.INFO
    ]


# -- variables -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "written"),
    [
        (GARDENIDEA, 3, "ownerdomain"),
        (GARDENIDEA, 4, "contact"),
        (GARDENIDEA, 5, "managerdomain"),
        (GOLD, 3, "subdomain"),
    ],
)
def test_lower_case_variable_name(name: str, line: int, written: str) -> None:
    d = one(name, "ADS302", line)
    assert (d.column, d.end_column) == (1, 1 + len(written))
    assert span(name, d) == written
    assert d.severity is Severity.INFO
    assert fix_of(d).safe
    assert fix_of(d).replacement == written.upper()
    [variable] = [v for v in parsed(name).variables if v.line == line]
    assert variable.name == written.upper()


def test_subdomain_in_app_ads_txt() -> None:
    result = parsed(BILD_APP)
    assert result.kind == "app-ads.txt"
    for line in (5, 6, 7, 8):
        d = one(BILD_APP, "ADS309", line)
        assert raw_line(BILD_APP, line) == "subdomain=" + span(BILD_APP, d)
        assert d.severity is Severity.WARNING


# -- whole file ----------------------------------------------------------------------------


def test_duplicate_record() -> None:
    assert raw_line(GOLD, 1) == raw_line(GOLD, 2)
    assert raw_line(GOLD, 1) == "google.com, pub-8188836774159251, DIRECT, f08c47fec0942fa0"
    d = one(GOLD, "ADS401", 2)
    assert (d.column, d.end_column) == (1, 11)
    assert "line 1" in d.message
    fix = fix_of(d)
    assert fix.safe
    assert (fix.line, fix.column, fix.end_line, fix.end_column) == (2, 1, 3, 1)
    assert [d.code for d in parsed(GOLD).diagnostics if d.code.startswith("ADS4")] == ["ADS401"]
    assert [r.line for r in parsed(GOLD).records] == [1, 2]


def test_conflicting_relationship() -> None:
    assert raw_line(ALLWOMEN, 299) == "google.com, pub-4586415728471297, DIRECT, f08c47fec0942fa0"
    assert raw_line(ALLWOMEN, 300) == "google.com, pub-4586415728471297, RESELLER, f08c47fec0942fa0"
    d = one(ALLWOMEN, "ADS403", 300)
    assert (d.column, d.end_column) == (1, 11)
    assert "line 299" in d.message
    assert "pub-4586415728471297" in d.message
    assert not found(ALLWOMEN, "ADS401", 300)
    assert not found(ALLWOMEN, "ADS403", 299)


def test_annotated_certification_id_is_not_a_conflict() -> None:
    assert raw_line(GOVTRACK, 28) == "sharethrough.com, 6d5ff31a, RESELLER, d53b998a7bd4ecd2"
    assert raw_line(GOVTRACK, 29).endswith(", d53b998a7bd4ecd2 (Google Ob)")
    assert span(GOVTRACK, one(GOVTRACK, "ADS220", 29)) == "d53b998a7bd4ecd2 (Google Ob)"
    assert not found(GOVTRACK, "ADS404", 29)


def test_placeholder_record_only() -> None:
    assert read(PLACEHOLDER) == b"placeholder.example.com, placeholder, DIRECT, placeholder\r\n"
    result = parsed(PLACEHOLDER)
    [d] = result.diagnostics
    assert (d.code, d.line, d.column, d.end_column) == ("ADS406", 1, 1, 24)
    assert span(PLACEHOLDER, d) == "placeholder.example.com"
    assert d.severity is Severity.INFO
    assert result.ok
    [record] = result.records
    assert (record.domain, record.account_id) == ("placeholder.example.com", "placeholder")
