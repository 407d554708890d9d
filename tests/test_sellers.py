"""sellers.json validation: every check on small hand-written documents, located exactly."""

from __future__ import annotations

import io
import json

import pytest

import adstxt
from adstxt import Severity
from adstxt.sellers import is_sellers_json, iter_check, parse


def _doc(*sellers: str, top: str = '"version": "1.0"') -> bytes:
    """A document with one seller per line: seller i sits on line i + 3."""
    body = ",\n".join(sellers)
    return f'{{{top},\n"sellers": [\n{body}\n]}}\n'.encode()


PUB = '{"seller_id": "1", "seller_type": "PUBLISHER", "name": "Pub", "domain": "pub.com"}'


def _found(data: bytes) -> list[tuple[str, int, int, str | None]]:
    return [(d.code, d.line, d.column, d.pointer) for d in parse(data).diagnostics]


def test_clean_document_has_no_diagnostics_and_is_indexed() -> None:
    result = parse(
        _doc(
            PUB,
            '{"seller_id": "2", "seller_type": "INTERMEDIARY", '
            '"name": "Int", "domain": "int.co.uk", "is_passthrough": 1}',
            '{"seller_id": "3", "seller_type": "BOTH", "is_confidential": 1}',
        )
    )
    assert result.diagnostics == ()
    assert result.ok and result.usable and len(result) == 3
    seller = result.get("2")
    assert seller is not None
    assert (seller.seller_type, seller.domain, seller.is_passthrough, seller.pointer) == (
        "INTERMEDIARY",
        "int.co.uk",
        True,
        "/sellers/1",
    )
    confidential = result.get(" 3 ")
    assert confidential is not None and confidential.is_confidential
    assert result.get("4") is None
    assert [s.seller_id for s in result] == ["1", "2", "3"]


# (seller object text, expected (code, column, pointer) on its line)
SELLER_CASES = [
    (
        '{"seller_type": "PUBLISHER", "name": "Pub", "domain": "pub.com"}',
        [("ADS605", 1, "/sellers/0")],
    ),
    ('{"seller_id": "1", "name": "Pub", "domain": "pub.com"}', [("ADS605", 1, "/sellers/0")]),
    (
        '{"seller_id": "1", "seller_type": "PUBLISHER", "name": 7, "domain": "pub.com"}',
        [("ADS606", 56, "/sellers/0/name")],
    ),
    (
        '{"seller_id": 1, "seller_type": "PUBLISHER", "name": "Pub", "domain": "pub.com"}',
        [("ADS608", 15, "/sellers/0/seller_id")],
    ),
    (
        '{"seller_id": "", "seller_type": "PUBLISHER", "name": "Pub", "domain": "pub.com"}',
        [("ADS609", 15, "/sellers/0/seller_id")],
    ),
    (
        '{"seller_id": "1", "seller_type": "PUBLISHER", "domain": "pub.com"}',
        [("ADS610", 1, "/sellers/0")],
    ),
    (
        '{"seller_id": "1", "seller_type": "PUBLISHER", "name": " ", "domain": "pub.com"}',
        [("ADS610", 56, "/sellers/0/name")],
    ),
    (
        '{"seller_id": "1", "seller_type": "PUBLISHER", "name": "Pub"}',
        [("ADS611", 1, "/sellers/0")],
    ),
    (
        '{"seller_id": "1", "seller_type": "RESELLER", "name": "Pub", "domain": "pub.com"}',
        [("ADS612", 35, "/sellers/0/seller_type")],
    ),
    (
        '{"seller_id": "1", "seller_type": "both", "name": "Pub", "domain": "pub.com"}',
        [("ADS613", 35, "/sellers/0/seller_type")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "Pub", "domain": "pub.com", '
        '"is_confidential": true}',
        [("ADS614", 98, "/sellers/0/is_confidential")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "is_passthrough": 2, "is_confidential": 1}',
        [("ADS614", 61, "/sellers/0/is_passthrough")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "Pub", "domain": "http://pub.com/x"}',
        [("ADS616", 68, "/sellers/0/domain")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "Pub", "domain": "pub"}',
        [("ADS616", 68, "/sellers/0/domain")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "Pub", "domain": "ads@pub.com"}',
        [("ADS616", 68, "/sellers/0/domain")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "Pub", "domain": "-pub.com"}',
        [("ADS616", 68, "/sellers/0/domain")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "Pub", "domain": "www.pub.com"}',
        [("ADS617", 68, "/sellers/0/domain")],
    ),
    (
        '{"seller_id": "1 ", "seller_type": "BOTH", "name": "Pub", "domain": "pub.com"}',
        [("ADS618", 15, "/sellers/0/seller_id")],
    ),
    (
        '{"seller_id": "1", "seller_type": "PUBLISHER", "directness": "DIRECT", "name": "P", '
        '"domain": "pub.com"}',
        [("ADS620", 48, "/sellers/0/directness")],
    ),
    (
        '{"seller_id": "1", "seller_type": "PUBLISHER", "seller_domain": "pub.com", "name": "P"}',
        [("ADS611", 1, "/sellers/0"), ("ADS621", 48, "/sellers/0/seller_domain")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "' + "x" * 5000 + '", '
        '"domain": "pub.com"}',
        [("ADS622", 51, "/sellers/0/name")],
    ),
    (
        '{"seller_id": "1", "seller_type": "BOTH", "name": "P", "domain": "pub.com", "ext": 1}',
        [("ADS606", 84, "/sellers/0/ext")],
    ),
    ('"1"', [("ADS606", 1, "/sellers/0")]),
]


@pytest.mark.parametrize(("seller", "expected"), SELLER_CASES)
def test_seller_checks(seller: str, expected: list[tuple[str, int, str]]) -> None:
    found = _found(_doc(seller))
    assert found == [(code, 3, column, pointer) for code, column, pointer in expected]


def test_checks_of_the_parent_object() -> None:
    assert _found(b'{"sellers": []}') == [("ADS605", 1, 1, ""), ("ADS623", 1, 13, "/sellers")]
    assert _found(b'{"version": "1.0"}') == [("ADS605", 1, 1, "")]
    assert _found(b'{"version": "1.0", "sellers": {}}') == [("ADS606", 1, 31, "/sellers")]
    assert _found(b'{"version": 1, "sellers": []}')[0] == ("ADS607", 1, 13, "/version")
    assert _found(b'{"version": "1.1", "sellers": []}')[0] == ("ADS607", 1, 13, "/version")
    assert _found(b'{"version": "1.0", "sellers": [], "contact_email": 5}') == [
        ("ADS623", 1, 31, "/sellers"),
        ("ADS606", 1, 52, "/contact_email"),
    ]
    assert _found(b'{"version": "1.0", "sellers": [], "seller": []}') == [
        ("ADS623", 1, 31, "/sellers"),
        ("ADS621", 1, 35, "/seller"),
    ]


def test_identifiers() -> None:
    def top(tag: str, duns: str) -> str:
        return (
            '"version": "1.0", "identifiers": [{"name": "TAG-ID", "value": "' + tag + '"}, '
            '{"name": "DUNS", "value": "' + duns + '"}, {"value": "x"}, 4]'
        )

    found = _found(_doc(PUB, top=top("0123456789ABCDEF", "12-345-6789")))
    assert [f[0] for f in found] == ["ADS605", "ADS606"]
    assert [f[3] for f in found] == ["/identifiers/2", "/identifiers/3"]
    found = _found(_doc(PUB, top=top("f08c47fec0942fa", "12345")))
    assert [(f[0], f[3]) for f in found][:2] == [
        ("ADS619", "/identifiers/0/value"),
        ("ADS619", "/identifiers/1/value"),
    ]
    assert parse(_doc(PUB, top=top("0123456789ABCDEF", "1"))).tag_ids == {"0123456789abcdef"}


def test_duplicate_seller_ids_compare_trimmed_text_and_numbers_as_text() -> None:
    result = parse(
        _doc(
            PUB,
            '{"seller_id": 1, "seller_type": "BOTH", "is_confidential": 1}',
            PUB.replace('"1"', '"1 "'),
        )
    )
    duplicates = [d for d in result.diagnostics if d.code == "ADS615"]
    assert [(d.line, d.pointer) for d in duplicates] == [
        (4, "/sellers/1/seller_id"),
        (5, "/sellers/2/seller_id"),
    ]
    assert "first entry is /sellers/0" in duplicates[0].message
    assert result.is_duplicated("1") and not result.is_duplicated("2")
    first = result.get("1")
    assert first is not None and first.index == 0


def test_case_variants_are_found_in_one_pass() -> None:
    result = parse(
        _doc(PUB.replace('"1"', '"AbC"'), PUB.replace('"1"', '"abc"').replace("Pub", "Other"))
    )
    variants = result.case_variants(["ABC", "zzz"])
    assert sorted(s.seller_id for s in variants["ABC"]) == ["AbC", "abc"]
    assert "zzz" not in variants


def test_severities_come_from_the_registry() -> None:
    data = _doc(*(seller for seller, _ in SELLER_CASES))
    for diagnostic in parse(data).diagnostics:
        assert diagnostic.severity is adstxt.RULES[diagnostic.code].severity


BAD_INPUTS = [
    (b"", "ADS601", "empty"),
    (b"   \n", "ADS601", "empty"),
    (b'{"version": "1.0", "sellers": [{"seller_id": "1",', "ADS601", "truncated"),
    (b'{"version": "1.0" "sellers": []}', "ADS601", "not valid JSON"),
    (b"<!DOCTYPE html><html><body>404</body></html>", "ADS601", "HTML"),
    (b"\x00\x01\x02\x03binary\xff\xfe", "ADS601", None),
    (b"[" * 100_000 + b"]" * 100_000, "ADS601", "nested too deeply"),
    (b'"just a string"', "ADS604", "a string"),
    (b"[]", "ADS604", "an array"),
    (b"null", "ADS604", "null"),
    (b'{"a": 1} {"b": 2}', "ADS601", "extra data"),
]


@pytest.mark.parametrize(("data", "code", "words"), BAD_INPUTS)
def test_bad_input_gives_diagnostics(data: bytes, code: str, words: str | None) -> None:
    result = parse(data)
    codes = [d.code for d in result.diagnostics]
    assert code in codes
    assert not result.ok and not result.usable
    if words:
        assert words in next(d.message for d in result.diagnostics if d.code == code)
    streamed = [d.code for d in iter_check(io.BytesIO(data), chunk_size=64)]
    assert code in streamed


def test_truncation_and_syntax_errors_are_located() -> None:
    found = parse(b'{\n  "version": "1.0",\n  "sellers": [\n    {"seller_id": "1",,}\n]}')
    assert [(d.code, d.line, d.column) for d in found.diagnostics] == [("ADS601", 4, 23)]


def test_encodings() -> None:
    good = _doc(PUB)
    utf16 = parse(good.decode().encode("utf-16"))
    assert [d.code for d in utf16.diagnostics] == ["ADS602"]
    assert utf16.encoding == "utf-16-le" and utf16.get("1") is not None
    utf16_no_bom = parse(good.decode().encode("utf-16-be"))
    assert [d.code for d in utf16_no_bom.diagnostics] == ["ADS602"]
    assert [d.code for d in parse(good.decode().encode("utf-32")).diagnostics] == ["ADS602"]
    bom = parse(b"\xef\xbb\xbf" + good)
    assert [d.code for d in bom.diagnostics] == ["ADS603"] and bom.usable
    latin1 = parse(
        _doc(PUB.replace("Pub", "Caf\xe9").encode("latin-1").decode("latin-1")).replace(
            b"Caf\xc3\xa9", b"Caf\xe9"
        )
    )
    invalid = latin1.diagnostics[0]
    assert (invalid.code, invalid.line, invalid.column) == ("ADS602", 3, 60)
    assert "0xE9" in invalid.message and latin1.usable
    assert [d.code for d in parse("\ufeff" + good.decode()).diagnostics] == ["ADS603"]


def test_huge_strings_do_not_crash_and_are_reported() -> None:
    huge = "x" * 3_000_000
    seller = (
        '{"seller_id": "' + huge + '", "seller_type": "BOTH", "name": "n", '
        '"domain": "' + huge + '.com"}'
    )
    codes = {d.code for d in parse(_doc(seller)).diagnostics}
    assert codes == {"ADS622"}


def test_diagnostics_render_as_json_with_their_pointer() -> None:
    diagnostic = parse(_doc(PUB.replace('"PUBLISHER"', '"publisher"'))).diagnostics[0]
    assert diagnostic.pointer == "/sellers/0/seller_type"
    assert diagnostic.severity is Severity.INFO and diagnostic.name == "seller-type-case"
    assert (diagnostic.column, diagnostic.end_column) == (35, 46)


def test_pointer_escapes_special_characters() -> None:
    found = _found(_doc(PUB.replace('"name"', '"a/b~c": 1, "name"')))
    assert ("ADS621", 3, 48, "/sellers/0/a~1b~0c") in found


@pytest.mark.parametrize(
    ("filename", "head", "expected"),
    [
        ("sellers.json", None, True),
        ("openx.com.json", None, True),
        ("SELLERS.JSON", b"garbage", True),
        ("ads.txt", b'{"sellers": []}', False),
        ("app-ads.txt", None, False),
        (None, b'  {\n  "sellers": [', True),
        (None, b'\xef\xbb\xbf{"version": "1.0", "seller_id": 1', True),
        (None, '{"sellers": []}'.encode("utf-16"), True),
        (None, b"google.com, pub-1, DIRECT\n", False),
        (None, b'{"name": "x"}', False),
        ("download", b'{"version":"1.0","sellers":[]}', True),
        (None, None, False),
    ],
)
def test_is_sellers_json(filename: str | None, head: bytes | None, expected: bool) -> None:
    assert is_sellers_json(filename, head) is expected


def test_document_is_the_decoded_json() -> None:
    data = _doc(PUB)
    assert parse(data).document == json.loads(data)
    assert parse(data.decode()).document == json.loads(data)


def test_streaming_finds_repeats_across_batches_and_locates_them() -> None:
    data = _doc(*(PUB.replace('"1"', f'"{n % 7}"') for n in range(20)))
    found = [
        (d.code, d.line, d.pointer)
        for d in iter_check(io.BytesIO(data), chunk_size=50, batch_size=3)
    ]
    assert len(found) == 13
    assert found[0] == ("ADS615", 10, "/sellers/7/seller_id")
    assert {code for code, _, _ in found} == {"ADS615"}


def test_streaming_stops_at_a_value_larger_than_its_limit() -> None:
    data = _doc(PUB, PUB.replace('"Pub"', '"' + "x" * 5000 + '"'), PUB)
    found = list(iter_check(io.BytesIO(data), chunk_size=64, max_value=1000))
    assert [d.code for d in found] == ["ADS622"]
    assert "not checked" in found[0].message and found[0].line == 4


def test_streaming_reports_the_parent_object_last() -> None:
    data = b'{"sellers": [' + PUB.encode() + b'], "version": 1, "extra": true}'
    found = [(d.code, d.pointer) for d in iter_check(io.BytesIO(data), chunk_size=8)]
    assert found == [("ADS607", "/version"), ("ADS621", "/extra")]
