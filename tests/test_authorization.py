"""Authorization lookups: every verdict, from files the tests write (memory, a mirror
directory, and real local web servers for --fetch), through the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adstxt.authorization import (
    AuthorizationIndex,
    MemorySource,
    MirrorSource,
    Question,
    Verdict,
)
from tests.cli import adstxt as run
from tests.httpserver import LocalServers, Reply, closed_port, text

ADS = (
    "# example.com\n"
    "OWNERDOMAIN=example.com\n"
    "MANAGERDOMAIN=manager.com\n"
    "exchange.com, 1234, DIRECT\n"
    "Exchange.COM, 1234, reseller\n"
    "reseller.com, 77, RESELLER\n"
    "other.com, AbC, DIRECT\n"
    "SUBDOMAIN=shop.example.com\n"
    "SUBDOMAIN=blog.example.com\n"
    "INVENTORYPARTNERDOMAIN=partner.tv\n"
)
FILES = {
    ("example.com", "ads.txt"): ADS,
    ("shop.example.com", "ads.txt"): "shopads.com, 5, DIRECT\n",
    ("partner.tv", "ads.txt"): "tvexchange.com, 9, RESELLER\nINVENTORYPARTNERDOMAIN=other.tv\n",
    ("other.tv", "ads.txt"): "deep.com, 1, DIRECT\n",
    ("placeholder.com", "ads.txt"): "placeholder.example.com, placeholder, DIRECT, placeholder\n",
    ("vars-only.com", "ads.txt"): "CONTACT=ads@vars-only.com\n",
    ("empty.com", "ads.txt"): "",
    ("html.com", "ads.txt"): "<!DOCTYPE html>\n<html><body>Not here</body></html>\n",
    ("prose.com", "ads.txt"): "just some words about ads\nand more of them\n",
    ("dev.com", "app-ads.txt"): "appexchange.com, 42, DIRECT\n",
    ("games.dev.com", "app-ads.txt"): "appexchange.com, 43, DIRECT\n",
}


@pytest.fixture
def index() -> AuthorizationIndex:
    return AuthorizationIndex(MemorySource(FILES))


def test_authorized_direct_and_reseller_with_evidence(index: AuthorizationIndex) -> None:
    answer = index.lookup("example.com", "EXCHANGE.com", " 1234 ")
    assert answer.verdict is Verdict.AUTHORIZED_DIRECT and answer.authorized
    assert answer.evidence.lines == (4, 5)
    assert answer.evidence.relationships == ("DIRECT", "RESELLER")
    assert answer.evidence.owner_domain == "example.com"
    assert answer.evidence.manager_domains == ("manager.com",)
    assert "line 4" in answer.reason
    reseller = index.lookup("example.com", "exchange.com", "1234", "reseller")
    assert reseller.verdict is Verdict.AUTHORIZED_RESELLER and "line 5" in reseller.reason
    assert index.lookup("example.com", "reseller.com", "77").verdict is Verdict.AUTHORIZED_RESELLER


def test_relationship_mismatch(index: AuthorizationIndex) -> None:
    answer = index.lookup("example.com", "reseller.com", "77", "DIRECT")
    assert answer.verdict is Verdict.RELATIONSHIP_MISMATCH and not answer.authorized
    assert answer.evidence.lines == (6,) and "only as RESELLER" in answer.reason


def test_unauthorized_and_case_only_match(index: AuthorizationIndex) -> None:
    assert index.lookup("example.com", "exchange.com", "12345").verdict is Verdict.UNAUTHORIZED
    case = index.lookup("example.com", "other.com", "abc")
    assert case.verdict is Verdict.UNAUTHORIZED
    assert case.evidence.case_only and case.evidence.lines == (7,)
    assert "'AbC'" in case.reason and "only in letter case" in case.reason
    assert index.lookup("example.com", "other.com", "AbC").verdict is Verdict.AUTHORIZED_DIRECT


@pytest.mark.parametrize("publisher", ["placeholder.com", "vars-only.com"])
def test_no_sellers(index: AuthorizationIndex, publisher: str) -> None:
    answer = index.lookup(publisher, "exchange.com", "1234")
    assert answer.verdict is Verdict.NO_SELLERS
    assert "authorizes no seller" in answer.reason


def test_no_file_says_nobody_is_unauthorized(index: AuthorizationIndex) -> None:
    answer = index.lookup("nothing-here.com", "exchange.com", "1234")
    assert answer.verdict is Verdict.NO_FILE
    assert "no seller is unauthorized" in answer.reason


@pytest.mark.parametrize("publisher", ["empty.com", "html.com", "prose.com"])
def test_invalid_file(index: AuthorizationIndex, publisher: str) -> None:
    answer = index.lookup(publisher, "exchange.com", "1234")
    assert answer.verdict is Verdict.INVALID_FILE
    assert "consumers ignore it" in answer.reason


def test_subdomain_declared_with_a_file_governs_itself(index: AuthorizationIndex) -> None:
    own = index.lookup("shop.example.com", "shopads.com", "5")
    assert own.verdict is Verdict.AUTHORIZED_DIRECT and own.evidence.via == "subdomain"
    assert index.lookup("shop.example.com", "exchange.com", "1234").verdict is Verdict.UNAUTHORIZED
    # Declared without a file of its own, or not declared: the root file governs.
    assert index.lookup("blog.example.com", "exchange.com", "1234").evidence.via == "root"
    assert (
        index.lookup("www.example.com", "exchange.com", "1234").verdict is Verdict.AUTHORIZED_DIRECT
    )


def test_inventory_partner_one_hop_ads_txt_only(index: AuthorizationIndex) -> None:
    without = index.lookup("example.com", "tvexchange.com", "9")
    assert without.verdict is Verdict.UNAUTHORIZED
    partner = index.lookup("example.com", "tvexchange.com", "9", inventory_partner="Partner.TV")
    assert partner.verdict is Verdict.AUTHORIZED_RESELLER
    assert partner.evidence.via == "inventorypartnerdomain"
    assert partner.evidence.file == "partner.tv/ads.txt"
    # The partner's own INVENTORYPARTNERDOMAIN is not followed (one hop).
    assert (
        index.lookup("example.com", "deep.com", "1", inventory_partner="partner.tv").verdict
        is Verdict.UNAUTHORIZED
    )
    # A partner the publisher's file does not declare authorizes nothing.
    undeclared = index.lookup("example.com", "deep.com", "1", inventory_partner="other.tv")
    assert undeclared.verdict is Verdict.UNAUTHORIZED
    assert "not an INVENTORYPARTNERDOMAIN" in undeclared.reason


def test_app_ads_txt_subdomain_first_then_root(index: AuthorizationIndex) -> None:
    games = index.lookup("https://games.dev.com/about", "appexchange.com", "43", kind="app-ads.txt")
    assert games.verdict is Verdict.AUTHORIZED_DIRECT
    assert (
        index.lookup("https://games.dev.com", "appexchange.com", "42", kind="app-ads.txt").verdict
        is Verdict.UNAUTHORIZED
    )
    assert (
        index.lookup("https://store.dev.com", "appexchange.com", "42", kind="app-ads.txt").verdict
        is Verdict.AUTHORIZED_DIRECT
    )
    # An ads.txt question does not read app-ads.txt.
    assert index.lookup("dev.com", "appexchange.com", "42").verdict is Verdict.NO_FILE


def test_bad_questions_raise_value_error(index: AuthorizationIndex) -> None:
    with pytest.raises(ValueError, match="not a domain"):
        index.lookup("localhost", "exchange.com", "1")
    with pytest.raises(ValueError, match="DIRECT or RESELLER"):
        index.lookup("example.com", "exchange.com", "1", "OTHER")


def test_answers_stream_and_serialize(index: AuthorizationIndex) -> None:
    answers = list(
        index.answers(
            [
                Question("example.com", "exchange.com", "1234"),
                Question("example.com", "exchange.com", "1234", "RESELLER"),
            ]
        )
    )
    assert [a.verdict.value for a in answers] == ["authorized-direct", "authorized-reseller"]
    data = json.loads(json.dumps(answers[0].to_json()))
    assert data["verdict"] == "authorized-direct" and data["evidence"]["lines"] == [4, 5]


# ---- a mirror directory ----------------------------------------------------------------------


def _mirror(root: Path) -> Path:
    for (host, kind), body in FILES.items():
        (root / host).mkdir(exist_ok=True)
        (root / host / kind).write_text(body, encoding="utf-8")
    # What a crawl records for failed fetches.
    for host, outcome in (
        ("locked.com", "restricted"),
        ("down.com", "server-error"),
        ("gone.com", "not-found"),
        ("typed.com", "wrong-content-type"),
    ):
        (root / host).mkdir()
        (root / host / "ads.txt.fetch.json").write_text(json.dumps({"outcome": outcome}))
    (root / "kept.com").mkdir()
    (root / "kept.com" / "ads.txt").write_text("exchange.com, 1, DIRECT\n")
    (root / "kept.com" / "ads.txt.fetch.json").write_text(json.dumps({"outcome": "timeout"}))
    (root / "Upper.COM").mkdir()
    (root / "Upper.COM" / "ads.txt").write_text("exchange.com, 1, DIRECT\n")
    return root


def test_mirror_source_gives_every_verdict(tmp_path: Path) -> None:
    index = AuthorizationIndex(MirrorSource(_mirror(tmp_path)))
    assert index.load() == len([h for h in FILES if h[1] == "ads.txt"]) + 6 + 2
    expected = {
        ("example.com", "exchange.com", "1234", None): "authorized-direct",
        ("example.com", "reseller.com", "77", None): "authorized-reseller",
        ("example.com", "reseller.com", "77", "DIRECT"): "relationship-mismatch",
        ("example.com", "reseller.com", "78", None): "unauthorized",
        ("placeholder.com", "exchange.com", "1", None): "no-sellers",
        ("missing.com", "exchange.com", "1", None): "no-file",
        ("gone.com", "exchange.com", "1", None): "no-file",
        ("locked.com", "exchange.com", "1", None): "restricted",
        ("html.com", "exchange.com", "1", None): "invalid-file",
        ("typed.com", "exchange.com", "1", None): "invalid-file",
        ("down.com", "exchange.com", "1", None): "unavailable",
        ("upper.com", "exchange.com", "1", None): "authorized-direct",
    }
    for (publisher, system, seller, relationship), verdict in expected.items():
        answer = index.lookup(publisher, system, seller, relationship)
        assert answer.verdict.value == verdict, (publisher, answer.reason)
    kept = index.lookup("kept.com", "exchange.com", "1")
    assert kept.verdict is Verdict.AUTHORIZED_DIRECT and kept.evidence.stale


# ---- the command line ------------------------------------------------------------------------


def test_cli_single_answers_and_exit_status(tmp_path: Path) -> None:
    mirror = str(_mirror(tmp_path))
    yes = run("authorized", "--source", mirror, "example.com", "exchange.com", "1234")
    assert yes.returncode == 0, yes.stderr
    assert yes.stdout.startswith("authorized-direct: ")
    no = run(
        "authorized",
        "--source",
        mirror,
        "example.com",
        "exchange.com",
        "1234",
        "--relationship",
        "reseller",
        "--output-format",
        "json",
    )
    assert no.returncode == 0
    assert json.loads(no.stdout)["verdict"] == "authorized-reseller"
    mismatch = run(
        "authorized",
        "--source",
        mirror,
        "example.com",
        "reseller.com",
        "77",
        "--relationship",
        "DIRECT",
        "--output-format",
        "json",
    )
    assert mismatch.returncode == 1
    assert json.loads(mismatch.stdout)["verdict"] == "relationship-mismatch"
    nofile = run("authorized", "--source", mirror, "missing.com", "exchange.com", "1")
    assert nofile.returncode == 1 and nofile.stdout.startswith("no-file: ")
    assert (
        run(
            "authorized", "--source", mirror, "missing.com", "exchange.com", "1", "--no-file-ok"
        ).returncode
        == 0
    )


@pytest.mark.parametrize(
    "args",
    [
        ["example.com", "exchange.com", "1"],  # no source
        ["--source", "/nonexistent-dir", "example.com", "a.com", "1"],
        ["--source", ".", "example.com", "a.com"],  # a missing argument
        ["--source", ".", "localhost", "a.com", "1"],  # no domain
        ["--source", ".", "--relationship", "OTHER", "example.com", "a.com", "1"],
        ["--source", ".", "--fetch", "example.com", "a.com", "1"],
    ],
)
def test_cli_usage_errors(args: list[str]) -> None:
    done = run("authorized", *args)
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr and done.stderr.strip()


def test_cli_batch_csv_and_jsonl_stream_with_bad_lines(tmp_path: Path) -> None:
    mirror = str(_mirror(tmp_path))
    csv_input = (
        b"publisher,ad_system,seller_id,relationship\n"
        b"example.com,exchange.com,1234,\n"
        b"only,two\n"
        b"example.com,reseller.com,77,DIRECT\n"
    )
    done = run(
        "authorized", "--source", mirror, "--batch", "-", "--output-format", "json", stdin=csv_input
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.get("verdict", r.get("error", "")[:8]) for r in rows] == [
        "authorized-direct",
        "expected",
        "relationship-mismatch",
    ]
    assert [r["line"] for r in rows] == [2, 3, 4]
    assert done.returncode == 1
    jsonl = (
        b'{"publisher": "example.com", "ad_system": "exchange.com", "seller_id": "1234"}\n'
        b"{not json\n"
        b'{"publisher": "dev.com", "ad_system": "appexchange.com", "seller_id": "42", '
        b'"kind": "app-ads.txt"}\n'
        b'{"publisher": "localhost", "ad_system": "a.com", "seller_id": "1"}\n'
    )
    done = run("authorized", "--source", mirror, "--batch", "-", stdin=jsonl)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("line 1: example.com exchange.com 1234: authorized-direct")
    assert lines[1].startswith("line 2: error: not valid JSON")
    assert "authorized-direct" in lines[2]
    assert lines[3].startswith("line 4: error:") and "not a domain" in lines[3]
    assert done.returncode == 1 and "Traceback" not in done.stderr
    good = run(
        "authorized", "--source", mirror, "--batch", "-", stdin=b"example.com,exchange.com,1234\n"
    )
    assert good.returncode == 0


# ---- live sites (--fetch), real local servers --------------------------------------------------


def _fetch_args(servers: LocalServers) -> list[str]:
    return [
        "--fetch",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{servers.http_port}",
        "--timeout",
        "3",
    ]


@pytest.mark.parametrize(
    ("reply", "verdict", "status"),
    [
        (text(b"exchange.com, 1234, DIRECT\n"), "authorized-direct", 0),
        (text(b"exchange.com, 999, DIRECT\n"), "unauthorized", 1),
        (Reply(404, b"nope", {"Content-Type": "text/html"}), "no-file", 1),
        (Reply(401, b"", {}), "restricted", 1),
        (text(b"<html><body>Welcome</body></html>", "text/html"), "invalid-file", 1),
        (Reply(503, b"", {}), "unavailable", 1),
    ],
)
def test_fetch_gives_the_verdict_of_what_the_site_serves(
    live: LocalServers,
    reply: Reply,
    verdict: str,
    status: int,
) -> None:
    live.routes["*://example.com/ads.txt"] = reply
    done = run(
        "authorized",
        *_fetch_args(live),
        "--output-format",
        "json",
        "example.com",
        "exchange.com",
        "1234",
    )
    assert done.returncode == status, done.stderr
    assert json.loads(done.stdout)["verdict"] == verdict


def test_fetch_cache_dir_keeps_copies_and_the_last_good_one(
    live: LocalServers,
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    live.routes["*://example.com/ads.txt"] = Reply(
        200,
        b"exchange.com, 1234, DIRECT\n",
        {"Content-Type": "text/plain", "Cache-Control": "max-age=0"},
    )
    first = run(
        "authorized",
        *_fetch_args(live),
        "--cache-dir",
        str(cache),
        "example.com",
        "exchange.com",
        "1234",
    )
    assert first.returncode == 0, first.stderr
    asked = len(live.seen)
    # Stale at once (max-age=0): fetched again; the server now fails, so the last good
    # copy answers, marked stale.
    live.routes["*://example.com/ads.txt"] = Reply(503, b"", {})
    second = run(
        "authorized",
        *_fetch_args(live),
        "--cache-dir",
        str(cache),
        "--output-format",
        "json",
        "example.com",
        "exchange.com",
        "1234",
    )
    assert len(live.seen) > asked
    data = json.loads(second.stdout)
    assert data["verdict"] == "authorized-direct" and data["evidence"]["stale"] is True
    # A fresh copy (7 days by default without caching headers) needs no request at all.
    live.routes["*://other.com/ads.txt"] = text(b"exchange.com, 5, RESELLER\n")
    run(
        "authorized",
        *_fetch_args(live),
        "--cache-dir",
        str(cache),
        "other.com",
        "exchange.com",
        "5",
    )
    live.seen.clear()
    live.routes.clear()
    third = run(
        "authorized",
        *_fetch_args(live),
        "--cache-dir",
        str(cache),
        "other.com",
        "exchange.com",
        "5",
    )
    assert third.returncode == 0 and third.stdout.startswith("authorized-reseller")
    assert live.seen == []


def test_fetch_follows_subdomain_referrals(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = text(
        b"exchange.com, 1, DIRECT\nSUBDOMAIN=shop.example.com\n"
    )
    live.routes["*://shop.example.com/ads.txt"] = text(b"shopads.com, 5, DIRECT\n")
    done = run(
        "authorized",
        *_fetch_args(live),
        "--output-format",
        "json",
        "shop.example.com",
        "shopads.com",
        "5",
    )
    data = json.loads(done.stdout)
    assert data["verdict"] == "authorized-direct" and data["evidence"]["via"] == "subdomain"


def test_fetch_app_ads_txt_from_the_developer_domain(live: LocalServers) -> None:
    live.routes["*://example.net/app-ads.txt"] = text(b"appexchange.com, 42, DIRECT\n")
    done = run(
        "authorized",
        *_fetch_args(live),
        "--app",
        "--output-format",
        "json",
        "https://games.example.net/support",
        "appexchange.com",
        "42",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["verdict"] == "authorized-direct"
    assert data["evidence"]["file"] == "http://example.net/app-ads.txt"


def test_fetch_sellers_json_at_a_given_location(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = text(b"example.org, 1234, DIRECT\n")
    live.routes["*://files.example.net/sellers.json"] = text(
        b'{"version": "1.0", "sellers": [{"seller_id": "1234", "seller_type": "PUBLISHER", '
        b'"name": "Example", "domain": "example.com"}]}',
        "application/json",
    )
    done = run(
        "schain",
        *_fetch_args(live),
        "--publisher",
        "example.com",
        "--sellers-location",
        "example.org=http://files.example.net/sellers.json",
        "--output-format",
        "json",
        "1.0,1!example.org,1234,1",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["nodes"][0]["verdict"] == "verified"
    assert not any(
        seen.path == "/sellers.json" and seen.host == "example.org" for seen in live.seen
    )


def test_mirror_finds_sellers_json_under_the_known_locations_domain(tmp_path: Path) -> None:
    (tmp_path / "google.com").mkdir()
    (tmp_path / "google.com" / "sellers.json").write_text(
        '{"version": "1.0", "sellers": [{"seller_id": "pub-1", "seller_type": "PUBLISHER", '
        '"is_confidential": 1}]}'
    )
    index = AuthorizationIndex(MirrorSource(tmp_path))
    facts = index.seller("google.com", "pub-1")
    assert facts is not None and facts.found and facts.is_confidential
    assert index.seller("example.com", "1") is None
