"""Supply chains: the three input forms, validation, verification verdicts, bad input and
the ``adstxt schain`` command (a real subprocess; real local servers for --fetch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adstxt import schain
from adstxt.authorization import AuthorizationIndex, MemorySource
from adstxt.schain import Verifier
from tests.cli import adstxt as run
from tests.httpserver import LocalServers, closed_port, text

SELLERS = {
    "exchange.com": json.dumps(
        {
            "version": "1.0",
            "sellers": [
                {
                    "seller_id": "1234",
                    "seller_type": "PUBLISHER",
                    "name": "Example",
                    "domain": "example.com",
                },
                {
                    "seller_id": "55",
                    "seller_type": "INTERMEDIARY",
                    "name": "Mid",
                    "domain": "mid.com",
                },
                {"seller_id": "66", "seller_type": "PUBLISHER", "is_confidential": 1},
                {
                    "seller_id": "88",
                    "seller_type": "PUBLISHER",
                    "name": "Else",
                    "domain": "else.com",
                },
                {"seller_id": "mID", "seller_type": "INTERMEDIARY", "name": "M", "domain": "m.com"},
            ],
        }
    ),
    "reseller.com": json.dumps(
        {
            "version": "1.0",
            "sellers": [
                {
                    "seller_id": "77",
                    "seller_type": "INTERMEDIARY",
                    "name": "R",
                    "domain": "reseller.com",
                },
            ],
        }
    ),
    "broken.com": "<html>not json</html>",
}
ADS = {
    ("example.com", "ads.txt"): "exchange.com, 1234, DIRECT\nexchange.com, 55, DIRECT\n"
    "exchange.com, 66, DIRECT\nexchange.com, 88, DIRECT\n"
    "reseller.com, 77, RESELLER\n",
    ("dev.com", "app-ads.txt"): "exchange.com, 1234, DIRECT\n",
}


@pytest.fixture
def verifier() -> Verifier:
    return Verifier(AuthorizationIndex(MemorySource(ADS, SELLERS)))


# ---- reading -------------------------------------------------------------------------------------


def test_string_form_vectors() -> None:
    full = schain.check("1.0,1!exchange1.com,1234,1,bid-request-1,publisher,publisher.com")
    assert full.ok and full.chain is not None
    assert full.chain.nodes[0] == schain.Node(
        "exchange1.com", "1234", 1, "bid-request-1", "publisher", "publisher.com"
    )
    short = schain.check("1.0,1!exchange1.com,1234,1").chain
    assert short == schain.check("1.0,1!exchange1.com,1234,1,,,").chain
    assert schain.check("1.0,0!exchange2.com,abcd,1,,,").chain.complete == 0  # type: ignore[union-attr]
    encoded = schain.check(
        "1.0,1!exchange1.com,1234%21abcd,1,bid-request-1,publisher%2c%20Inc.,publisher.com"
    ).chain
    assert encoded is not None
    assert (encoded.nodes[0].sid, encoded.nodes[0].name) == ("1234!abcd", "publisher, Inc.")
    twice = schain.check("1.0%2C1%21exchange.com%2C12%252C3%2C1").chain
    assert twice is not None and twice.nodes[0].sid == "12,3"


def test_serialize_round_trips_and_keeps_hp_zero() -> None:
    chain = schain.check("1.0,1!a.com,1%2C2,0,,Name%21,b.com").chain
    assert chain is not None
    text_form = schain.serialize(chain)
    assert ",0," in text_form and "%2C" in text_form and "%21" in text_form
    assert schain.check(text_form).chain == chain


def test_bid_request_locations_and_conflict() -> None:
    node = {"asi": "exchange.com", "sid": "1", "hp": 1}
    chain = {"ver": "1.0", "complete": 1, "nodes": [node]}
    for request, path in (
        ({"source": {"schain": chain}}, ("source", "schain")),
        ({"source": {"ext": {"schain": chain}}}, ("source", "ext", "schain")),
        ({"ext": {"schain": chain}}, ("ext", "schain")),
    ):
        found = schain.check(json.dumps({"id": "r", **request}))
        assert found.form == "bid-request" and found.ok and found.path == path
    other = {**chain, "complete": 0}
    both = schain.check(json.dumps({"source": {"schain": chain, "ext": {"schain": other}}}))
    assert [d.code for d in both.diagnostics] == ["ADS816"]
    assert both.chain is not None and both.chain.complete == 1


def test_diagnostics_are_located() -> None:
    text_json = (
        '{\n  "ver": "1.0",\n  "complete": 1,\n  "nodes": [\n'
        '    {"asi": "exchange.com", "sid": "1", "hp": 1},\n'
        '    {"asi": "other.com", "sid": 12345, "hp": 1}\n  ]\n}\n'
    )
    (found,) = schain.check(text_json).diagnostics
    assert (found.code, found.pointer, found.line, found.column) == (
        "ADS803",
        "/nodes/1/sid",
        6,
        33,
    )
    assert "found a number 12345" in found.message
    (stray,) = schain.check("1.0,1!a.com,1,1,,,,x,y").diagnostics
    assert stray.code == "ADS814" and stray.column == 7 and stray.pointer == "/nodes/0"
    (hp,) = schain.check("1.0,1!a.com,1,x").diagnostics
    assert (hp.code, hp.column, hp.end_column, hp.pointer) == ("ADS805", 15, 16, "/nodes/0/hp")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'\xff\xfe{"ver": 1}', "ADS801"),
        (b'{"ver": "1.0", "complete": 1, "nodes": [', "ADS801"),
        (b"[1, 2]", "ADS801"),
        (b"1.0,1!a.com,1,1!!b.com,2,1", "ADS814"),
        (b"1.0,1!a.com,1,1,,,,,", "ADS814"),
        (b"1.0!a.com,1,1", "ADS814"),
        (b"1.0,1!a.com,1%G1,1", "ADS814"),
        (b"1.0,1", "ADS811"),
        (b'{"ver": "1.0", "complete": 1, "nodes": [{"asi": 7, "sid": "1", "hp": 1}]}', "ADS803"),
        (
            b'{"ver": "1.0", "complete": "1", "nodes": [{"asi": "a.com", "sid": "1", "hp": 1}]}',
            "ADS803",
        ),
        (b'{"id": "r"}', "ADS817"),
        (
            b'{"ver": "1.0", "complete": 1, "nodes": [{"asi": "localhost", "sid": "1", "hp": 1}]}',
            "ADS809",
        ),
        (b'{"ver": "1.0", "complete": 1, "nodes": [7]}', "ADS803"),
    ],
)
def test_bad_input_gives_a_diagnostic_never_an_exception(data: bytes, code: str) -> None:
    result = schain.check(data)
    assert code in {d.code for d in result.diagnostics}
    assert not result.ok


def test_absurd_chains_are_refused_cheaply() -> None:
    node = '{"asi": "a.com", "sid": "1", "hp": 1}'
    huge = '{"ver": "1.0", "complete": 1, "nodes": [' + ",".join([node] * 10_000) + "]}"
    result = schain.check(huge)
    assert [d.code for d in result.diagnostics] == ["ADS812"] and result.chain is None
    string_form = "1.0,1!" + "!".join(["a.com,1,1"] * 10_000)
    assert [d.code for d in schain.check(string_form).diagnostics] == ["ADS812"]
    deep = "[" * 100_000 + "]" * 100_000
    assert [d.code for d in schain.check(deep).diagnostics] == ["ADS801"]


# ---- verification ----------------------------------------------------------------------------------


def _verdicts(result: schain.ChainResult) -> list[str]:
    return [node.verdict for node in result.nodes]


def test_valid_chain(verifier: Verifier) -> None:
    result = verifier.verify("1.0,1!exchange.com,1234,1!reseller.com,77,1", "example.com")
    assert result.verdict == "valid" and _verdicts(result) == ["verified", "verified"]
    assert result.nodes[0].authorization is not None
    assert result.nodes[0].authorization.verdict.value == "authorized-direct"
    assert result.nodes[0].seller is not None and result.nodes[0].seller.seller_type == "PUBLISHER"


def test_incomplete_chains(verifier: Verifier) -> None:
    said = verifier.verify("1.0,0!exchange.com,1234,1", "example.com")
    assert said.verdict == "incomplete" and "complete is 0" in said.reasons[0]
    intermediary = verifier.verify("1.0,1!reseller.com,77,1", "example.com")
    assert intermediary.verdict == "incomplete"
    assert "INTERMEDIARY" in intermediary.reasons[0]
    no_sellers_json = verifier.verify("1.0,1!exchange.com,1234,1!broken.com,9,1", "example.com")
    assert no_sellers_json.verdict == "incomplete"
    assert _verdicts(no_sellers_json) == ["verified", "no-sellers-json"]
    no_publisher = verifier.verify("1.0,1!exchange.com,1234,1")
    assert no_publisher.verdict == "incomplete" and _verdicts(no_publisher) == ["unverifiable"]
    no_file = verifier.verify("1.0,1!exchange.com,1234,1", "nofile.com")
    assert (
        no_file.verdict == "incomplete"
        and "no seller is unauthorized" in no_file.nodes[0].reasons[-1]
    )


def test_invalid_chains(verifier: Verifier) -> None:
    missing = verifier.verify("1.0,1!exchange.com,1234,1!reseller.com,78,1", "example.com")
    assert missing.verdict == "invalid" and _verdicts(missing) == ["verified", "seller-not-listed"]
    case = verifier.verify(
        "1.0,1!exchange.com,1234,1!reseller.com,077,1!exchange.com,Mid,1", "example.com"
    )
    assert _verdicts(case) == ["verified", "seller-not-listed", "seller-not-listed"]
    assert "only in letter case" not in case.nodes[1].reasons[0]
    assert (
        "it lists 'mID' (/sellers/4), which differs only in letter case" in case.nodes[2].reasons[0]
    )
    unlisted = verifier.verify("1.0,1!reseller.com,77,1", "other.com")
    assert unlisted.verdict == "incomplete"  # other.com has no ads.txt: unverifiable
    unauthorized = verifier.verify("1.0,1!exchange.com,1234,1", "dev.com")
    assert unauthorized.verdict == "incomplete"  # dev.com has only app-ads.txt
    not_listed = verifier.verify(
        '{"ver": "1.0", "complete": 1, "nodes": [{"asi": "reseller.com", "sid": "77", "hp": 1}]}',
        schain.Publisher("dev.com", "app-ads.txt"),
    )
    assert not_listed.verdict == "invalid" and _verdicts(not_listed) == ["unauthorized"]
    mismatch = verifier.verify("1.0,0!exchange.com,55,1", "example.com")
    assert mismatch.verdict == "invalid" and _verdicts(mismatch) == ["relationship-mismatch"]
    assert "INTERMEDIARY, which is RESELLER" in mismatch.nodes[0].reasons[-1]
    shape = verifier.verify("1.0,1!https://exchange.com,1234,1", "example.com")
    assert shape.verdict == "invalid" and _verdicts(shape) == ["invalid"]


def test_confidential_hp_zero_and_owner_domain(verifier: Verifier) -> None:
    confidential = verifier.verify("1.0,1!exchange.com,66,1", "example.com")
    assert confidential.verdict == "valid" and "confidential" in confidential.nodes[0].reasons[0]
    skipped = verifier.verify("1.0,1!exchange.com,1234,1!unknown.com,1,0", "example.com")
    assert skipped.verdict == "valid" and _verdicts(skipped) == ["verified", "not-paid"]
    owner = verifier.verify("1.0,1!exchange.com,88,1", "example.com")
    assert owner.verdict == "valid"
    assert "neither the OWNERDOMAIN example.com" in owner.nodes[0].reasons[-1]


def test_publisher_from_the_bid_request(verifier: Verifier) -> None:
    chain = {
        "ver": "1.0",
        "complete": 1,
        "nodes": [{"asi": "exchange.com", "sid": "1234", "hp": 1}],
    }
    site = verifier.verify_request(
        {"site": {"domain": "www.example.com"}, "source": {"schain": chain}}
    )
    assert site.verdict == "valid" and site.publisher is not None
    assert site.publisher.origin == "site.domain"
    page = verifier.verify_request(
        {"site": {"page": "https://example.com/x"}, "source": {"schain": chain}}
    )
    assert page.verdict == "valid"
    app = Verifier(verifier.index, app_developers={"com.dev.game": "https://dev.com"})
    answer = app.verify_request({"app": {"bundle": "com.dev.game"}, "source": {"schain": chain}})
    assert answer.verdict == "valid" and answer.publisher.kind == "app-ads.txt"  # type: ignore[union-attr]


def test_jsonl_stream_reports_bad_lines_and_goes_on(verifier: Verifier) -> None:
    good = json.dumps(
        {
            "site": {"domain": "example.com"},
            "source": {
                "schain": {
                    "ver": "1.0",
                    "complete": 1,
                    "nodes": [{"asi": "exchange.com", "sid": "1234", "hp": 1}],
                }
            },
        }
    )
    lines = [good.encode(), b"{broken", b"", b"\xff\xfe", good.encode()]
    results = list(verifier.verify_lines(iter(lines)))
    assert [(n, r.verdict) for n, r in results] == [
        (1, "valid"),
        (2, "invalid"),
        (4, "invalid"),
        (5, "valid"),
    ]
    assert results[1][1].diagnostics[0].code == "ADS801"


def test_validation_only_without_a_source() -> None:
    result = Verifier().verify("1.0,1!exchange.com,1234,1")
    assert result.verdict == "valid" and not result.verified
    assert _verdicts(result) == ["unchecked"]


# ---- the command line --------------------------------------------------------------------------


def _mirror(root: Path) -> Path:
    for (host, kind), body in ADS.items():
        (root / host).mkdir(parents=True, exist_ok=True)
        (root / host / kind).write_text(body)
    for system, body in SELLERS.items():
        (root / system).mkdir(parents=True, exist_ok=True)
        (root / system / "sellers.json").write_text(body)
    return root


def test_cli_string_file_and_exit_status(tmp_path: Path) -> None:
    mirror = str(_mirror(tmp_path / "mirror"))
    ok = run(
        "schain",
        "--source",
        mirror,
        "--publisher",
        "example.com",
        "1.0,1!exchange.com,1234,1!reseller.com,77,1",
        "--output-format",
        "json",
    )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["verdict"] == "valid" and [n["verdict"] for n in data["nodes"]] == [
        "verified",
        "verified",
    ]
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps(
            {
                "site": {"domain": "example.com"},
                "source": {
                    "ext": {
                        "schain": {
                            "ver": "1.0",
                            "complete": 1,
                            "nodes": [{"asi": "exchange.com", "sid": "9", "hp": 1}],
                        }
                    }
                },
            }
        )
    )
    bad = run("schain", "--source", mirror, str(request))
    assert bad.returncode == 1
    assert bad.stdout.startswith(f"{request}: invalid")
    assert "node 0 exchange.com 9: seller-not-listed" in bad.stdout
    shape = run("schain", "1.0,1!exchange.com,1234,1!!x.com,1,1")
    assert shape.returncode == 1 and "ADS814" in shape.stdout
    assert run("schain", "1.0,1!exchange.com,1234,1").returncode == 0  # validation only


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--app", "1.0,1!a.com,1,1"],
        ["--app-developer", "nonsense", "1.0,1!a.com,1,1"],
        ["--source", "/nonexistent", "1.0,1!a.com,1,1"],
        ["--cache-dir", "/tmp", "1.0,1!a.com,1,1"],
        ["."],
    ],
)
def test_cli_usage_errors(args: list[str]) -> None:
    done = run("schain", *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_cli_stream_with_line_numbers(tmp_path: Path) -> None:
    mirror = str(_mirror(tmp_path))
    good = json.dumps(
        {
            "site": {"domain": "example.com"},
            "source": {
                "schain": {
                    "ver": "1.0",
                    "complete": 1,
                    "nodes": [{"asi": "exchange.com", "sid": "1234", "hp": 1}],
                }
            },
        }
    )
    stream = "\n".join([good, "{not json", '{"id": 1}', good]).encode() + b"\n\xff\n"
    done = run("schain", "--source", mirror, "-", "--output-format", "json", stdin=stream)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["line"], r["verdict"]) for r in rows] == [
        (1, "valid"),
        (2, "invalid"),
        (3, "invalid"),
        (4, "valid"),
        (5, "invalid"),
    ]
    assert rows[2]["diagnostics"][0]["code"] == "ADS817"
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_cli_fetch_verifies_against_live_sites(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = text(b"exchange.com, 1234, DIRECT\n")
    live.routes["*://exchange.com/sellers.json"] = text(
        SELLERS["exchange.com"].encode(), "application/json"
    )
    done = run(
        "schain",
        "--fetch",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{live.http_port}",
        "--timeout",
        "3",
        "--publisher",
        "example.com",
        "--output-format",
        "json",
        "1.0,1!exchange.com,1234,1",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["verdict"] == "valid"
    missing = run(
        "schain",
        "--fetch",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{live.http_port}",
        "--timeout",
        "3",
        "--publisher",
        "example.com",
        "1.0,1!exchange.com,1234,1!nosellers.com,1,1",
    )
    assert missing.returncode == 1
    assert "node 1 nosellers.com 1: no-sellers-json" in missing.stdout


def test_cli_prints_values_it_cannot_encode_escaped() -> None:
    done = run(
        "schain",
        '{"ver": "1.0", "complete": 1, "nodes": [{"asi": "a.com", "sid": "\\ud800", "hp": 1}]}',
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "node 0 a.com \\ud800: unchecked" in done.stdout


def test_cli_jsonl_file_is_a_stream() -> None:
    done = run(
        "schain",
        "--source",
        "examples/mirror",
        "examples/bid-requests.jsonl",
        "--output-format",
        "json",
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["line"], r["verdict"]) for r in rows] == [
        (1, "valid"),
        (2, "incomplete"),
        (3, "invalid"),
        (4, "invalid"),
    ]
    assert done.returncode == 1


@pytest.mark.parametrize("name", ["missing.json", "missing.jsonl", "requests/missing"])
def test_cli_missing_file_is_a_usage_error(name: str) -> None:
    # Not read as a malformed string form: a string form always has 'ver,complete'.
    done = run("schain", name)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"cannot read {name}" in done.stderr and done.stdout == ""


@pytest.mark.parametrize(
    "request_",
    [
        {"source": {"schain": {"ver": "1.0", "complete": 1, "nodes": []}}},
        {"site": {"domain": 5}},
    ],
)
def test_no_publisher_reason_is_true_for_chains_and_mistyped_domains(
    verifier: Verifier, request_: dict[str, object]
) -> None:
    node = {"asi": "exchange.com", "sid": "1234", "hp": 1}
    chain = {"ver": "1.0", "complete": 1, "nodes": [node]}
    bare = verifier.verify(json.dumps(chain))
    typed = verifier.verify_request({**request_, "source": {"schain": chain}})
    for result in (bare, typed):
        assert result.verdict == "incomplete"
        reason = result.nodes[0].reasons[-1]
        assert reason.startswith("no publisher: none was given (--publisher)")
        assert "as a string in site.domain" in reason
