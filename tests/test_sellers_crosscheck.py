"""Cross-checks of ads.txt records against sellers.json, and where the documents come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import adstxt
from adstxt.sellers import (
    DirectorySource,
    SellersResult,
    as_source,
    cross_check,
    open_source,
    parse,
)


def _sellers(*sellers: dict[str, object], tag_id: str | None = "0123456789abcdef") -> bytes:
    document: dict[str, object] = {"version": "1.0", "sellers": list(sellers)}
    if tag_id:
        document["identifiers"] = [{"name": "TAG-ID", "value": tag_id}]
    return json.dumps(document, indent=1).encode()


def _seller(
    seller_id: str, kind: str, domain: str | None = None, **extra: object
) -> dict[str, object]:
    entry: dict[str, object] = {"seller_id": seller_id, "seller_type": kind}
    if domain:
        entry.update(name=f"{domain} Inc", domain=domain)
    entry.update(extra)
    return entry


SSP = _sellers(
    _seller("100", "PUBLISHER", "example.com"),
    _seller("200", "INTERMEDIARY", "reseller.net"),
    _seller("300", "BOTH", "hybrid.com"),
    _seller("400", "PUBLISHER", is_confidential=1),
    _seller("500", "PUBLISHER", "someone-else.com"),
    _seller("Ab6", "PUBLISHER", "example.com"),
    _seller("700", "PUBLISHER", "example.com"),
    _seller("700", "INTERMEDIARY", "reseller.net"),
    _seller("800", "PUBLISHER", "www.example.com"),
)


def _check(
    text: str,
    documents: dict[str, object] | None = None,
    domain: str | None = "example.com",
) -> list[tuple[str, int, int, int]]:
    result = adstxt.parse(text)
    found = cross_check(
        result, documents if documents is not None else {"ssp.com": SSP}, domain=domain
    )
    return [(d.code, d.line, d.column, d.end_column) for d in found]


def test_consistent_records_pass() -> None:
    text = (
        "ssp.com, 100, DIRECT, 0123456789abcdef\nssp.com, 200, RESELLER\n"
        "ssp.com, 300, DIRECT\nssp.com, 300, RESELLER\nssp.com, 800, DIRECT\n"
    )
    assert _check(text) == []


def test_each_finding_points_at_its_field() -> None:
    text = (
        "other.com, 100, DIRECT\n"  # 1: no sellers.json
        "ssp.com, 999, DIRECT\n"  # 2: not found
        "ssp.com,  ab6 , RESELLER\n"  # 3: found only in another case
        "ssp.com, 200, DIRECT\n"  # 4: DIRECT -> INTERMEDIARY
        "ssp.com, 100, RESELLER\n"  # 5: RESELLER -> PUBLISHER
        "ssp.com, 500, DIRECT\n"  # 6: publisher of another domain
        "ssp.com, 400, DIRECT\n"  # 7: confidential
        "ssp.com, 100, DIRECT, 1111222233334444  # c\n"  # 8: TAG-ID differs
        "ssp.com, 700, DIRECT\n"  # 9: listed twice
    )
    assert _check(text) == [
        ("ADS701", 1, 1, 10),
        ("ADS702", 2, 10, 13),
        ("ADS703", 3, 11, 14),
        ("ADS704", 4, 15, 21),
        ("ADS705", 5, 15, 23),
        ("ADS706", 6, 10, 13),
        ("ADS707", 7, 10, 13),
        ("ADS708", 8, 23, 39),
        ("ADS709", 9, 10, 13),
    ]


def test_messages_name_the_sellers_json_entry() -> None:
    result = adstxt.parse("ssp.com, 200, DIRECT\nssp.com, ab6, DIRECT\n")
    first, second = cross_check(result, {"ssp.com": SSP}, domain="example.com")
    assert "/sellers/1" in first.message and "INTERMEDIARY" in first.message
    assert first.severity is adstxt.Severity.WARNING
    assert second.hint == "write 'Ab6'"


def test_owner_domain_decides_whose_publisher_accounts_are_direct() -> None:
    # The site's root domain is the owner when OWNERDOMAIN is absent.
    assert _check("ssp.com, 100, DIRECT\n", domain="www.example.com") == []
    assert [c[0] for c in _check("ssp.com, 100, DIRECT\n", domain="other.org")] == ["ADS706"]
    # OWNERDOMAIN wins over the site's domain (spec 8.3 rule 4).
    text = "OWNERDOMAIN=someone-else.com\nssp.com, 500, DIRECT\nssp.com, 100, DIRECT\n"
    assert [c[:2] for c in _check(text)] == [("ADS706", 3)]
    # A MANAGERDOMAIN is an accepted seller domain too.
    text = "MANAGERDOMAIN=someone-else.com\nssp.com, 500, DIRECT\n"
    assert [c[0] for c in _check(text)] == ["ADS710"]
    # Without OWNERDOMAIN or a site domain there is nothing to compare with.
    assert _check("ssp.com, 500, DIRECT\n", domain=None) == []


def test_intermediaries_and_resellers_are_not_compared_by_domain() -> None:
    assert _check("ssp.com, 500, RESELLER\n") == [("ADS705", 1, 15, 23)]
    assert _check("ssp.com, 300, DIRECT\n", domain="other.org") == []


def test_certification_id_compares_case_insensitively_and_needs_a_tag_id() -> None:
    assert _check("ssp.com, 100, DIRECT, 0123456789ABCDEF\n") == []
    untagged = {"ssp.com": _sellers(_seller("100", "PUBLISHER", "example.com"), tag_id=None)}
    assert _check("ssp.com, 100, DIRECT, 1111222233334444\n", untagged) == []


def test_manager_domain_checks() -> None:
    manager = _sellers(
        _seller("1", "PUBLISHER", "example.com"),
        _seller("2", "INTERMEDIARY", "manager.com"),
        _seller("3", "PUBLISHER", "other.com"),
        _seller("4", "BOTH", "example.com"),
    )
    documents = {"ssp.com": SSP, "manager.com": manager}
    head = "OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com, US\n"
    assert _check(head + "manager.com, 1, DIRECT\nmanager.com, 4, RESELLER\n", documents) == []
    assert _check(head + "manager.com, 2, DIRECT\n", documents) == [("ADS711", 3, 14, 15)]
    assert _check(head + "manager.com, 3, DIRECT\n", documents) == [("ADS712", 3, 14, 15)]
    # A manager with no sellers.json: reported once, at the variable's value.
    assert _check(head + "ssp.com, 100, DIRECT\n") == [("ADS710", 2, 15, 30)]


def test_unusable_documents_cannot_cross_check() -> None:
    broken = {"ssp.com": b'{"version": "1.0", "sellers": [', "dsp.com": b'{"version": "1.0"}'}
    found = cross_check(adstxt.parse("ssp.com, 1, DIRECT\ndsp.com, 1, DIRECT\n"), broken)
    assert [d.code for d in found] == ["ADS701", "ADS701"]
    assert "truncated" in found[0].message
    assert "not usable" in found[1].message


def test_aliases_and_subdomains_find_the_canonical_sellers_json() -> None:
    openx = _sellers(_seller("537", "INTERMEDIARY", "openx.com"))
    documents = {"openx.com": openx, "rubiconproject.com": openx}
    text = "openx.net, 537, RESELLER\nfastlane.rubiconproject.com, 537, RESELLER\n"
    assert _check(text, documents) == []
    found = cross_check(adstxt.parse("openx.net, 999, RESELLER\n"), documents)
    assert found[0].code == "ADS702" and "openx.com sellers.json" in found[0].message
    missing = cross_check(adstxt.parse("openx.net, 1, RESELLER\n"), {})
    assert "looked under openx.net, openx.com" in missing[0].message
    # A subdomain of an alias reaches the canonical file through the alias.
    assert _check("ads.openx.net, 537, RESELLER\n", documents) == []


def test_directory_source(tmp_path: Path) -> None:
    (tmp_path / "ssp.com.json").write_bytes(SSP)
    (tmp_path / "Other.COM").mkdir()
    (tmp_path / "Other.COM" / "sellers.json").write_bytes(
        _sellers(_seller("1", "INTERMEDIARY", "o.com"))
    )
    (tmp_path / "dsp.com.sellers.json").write_bytes(b"not json")
    (tmp_path / "notes.txt").write_text("ignored")
    source = open_source(tmp_path)
    assert isinstance(source, DirectorySource)
    assert source.ad_systems == {"ssp.com", "other.com", "dsp.com"}
    found = _check(
        "ssp.com, 100, DIRECT\nother.com, 1, RESELLER\ndsp.com, 1, DIRECT\nnone.com, 1, DIRECT\n",
        source,
    )  # type: ignore[arg-type]
    assert [c[:2] for c in found] == [("ADS701", 3), ("ADS701", 4)]
    first = source.lookup("SSP.com")
    assert first is not None and first is source.lookup("ssp.com")  # parsed once
    assert first.filename == str(tmp_path / "ssp.com.json")


def test_single_file_sources(tmp_path: Path) -> None:
    named = tmp_path / "ssp.com.json"
    named.write_bytes(SSP)
    assert _check("ssp.com, 999, DIRECT\n", open_source(named)) == [  # type: ignore[arg-type]
        ("ADS702", 1, 10, 13)
    ]
    plain = tmp_path / "sellers.json"
    plain.write_bytes(SSP)
    with pytest.raises(ValueError, match="cannot tell which ad system"):
        open_source(plain)
    source = open_source(plain, ad_system="SSP.com")
    assert source.lookup("ssp.com") is not None
    folder = tmp_path / "dsp.com"
    folder.mkdir()
    (folder / "sellers.json").write_bytes(SSP)
    assert open_source(folder / "sellers.json").lookup("dsp.com") is not None
    with pytest.raises(FileNotFoundError):
        open_source(tmp_path / "missing.json")


def test_mapping_and_callable_sources(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(SSP)
    documents = {
        "a.com": SSP,
        "b.com": SSP.decode(),
        "c.com": path,
        "d.com": parse(SSP),
        "e.com": None,
    }
    source = as_source(documents)
    for name in "abcd":
        result = source.lookup(f"{name}.com")
        assert isinstance(result, SellersResult) and result.get("100") is not None
    assert source.lookup("e.com") is None and source.lookup("f.com") is None
    asked: list[str] = []

    def fetch(ad_system: str) -> bytes | None:
        asked.append(ad_system)
        return SSP if ad_system == "ssp.com" else None

    text = "ssp.com, 100, DIRECT\nssp.com, 999, DIRECT\nzzz.com, 1, DIRECT\nzzz.com, 2, DIRECT\n"
    found = cross_check(adstxt.parse(text), fetch, domain="example.com")
    assert [(d.line, d.code) for d in found] == [(2, "ADS702"), (3, "ADS701")]
    assert found[1].message.endswith("2 records are not checked (this one and the one on line 4)")
    assert asked == ["ssp.com", "zzz.com"]  # each ad system fetched once
    with pytest.raises(TypeError):
        as_source(42)  # type: ignore[arg-type]


def test_records_with_errors_are_not_cross_checked() -> None:
    # Unusable lines yield no record, so only the parser reports them.
    assert _check("ssp.com, 999\nssp.com; 999; DIRECT\n") == []


def test_site_given_as_a_url_and_a_byte_order_mark() -> None:
    assert _check("ssp.com, 100, DIRECT\n", domain="https://www.example.com/ads.txt") == []
    assert _check("ssp.com, 500, DIRECT\n", domain="https://www.example.com/") == [
        ("ADS706", 1, 10, 13)
    ]
    result = adstxt.parse(b"\xef\xbb\xbfssp.com, 999, DIRECT\n")
    found = cross_check(result, {"ssp.com": SSP})
    assert [(d.code, d.column) for d in found] == [("ADS702", 10)]
    empty = parse(_sellers())
    assert empty and len(empty) == 0 and empty.usable
