"""The reverse audit (``adstxt audit --sellers``): every seller type and status, sellers.json
from a file, a mirror or a real local web server, and what happens with a broken one."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from adstxt.audit import audit_seller
from adstxt.authorization import MemorySource
from tests.cli import adstxt as run
from tests.cli import run_process
from tests.conftest import ROOT
from tests.httpserver import LocalServers, closed_port, text

MIRROR = ROOT / "examples" / "audit" / "mirror"

SOURCE = MemorySource(
    {
        ("pub.com", "ads.txt"): "exchange.com, 1, DIRECT\nexchange.com, 2, RESELLER\n",
        ("mixed.com", "ads.txt"): "exchange.com, 3, RESELLER\nexchange.com, AbC, DIRECT\n",
        ("apps.com", "ads.txt"): "other.com, 9, DIRECT\n",
        ("apps.com", "app-ads.txt"): "exchange.com, 4, DIRECT\n",
        ("html.com", "ads.txt"): "<html><body>hello</body></html>\n",
    }
)


def _status(entry: object, **options: object) -> str:
    return audit_seller(entry, "/sellers/0", "exchange.com", SOURCE, **options).status  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entry", "status"),
    [
        ({"seller_id": "1", "seller_type": "PUBLISHER", "domain": "pub.com"}, "listed"),
        ({"seller_id": "1", "seller_type": "publisher", "domain": "www.pub.com"}, "listed"),
        (
            {"seller_id": "2", "seller_type": "PUBLISHER", "domain": "pub.com"},
            "relationship-differs",
        ),
        ({"seller_id": "2", "seller_type": "INTERMEDIARY", "domain": "pub.com"}, "listed"),
        (
            {"seller_id": "1", "seller_type": "INTERMEDIARY", "domain": "pub.com"},
            "relationship-differs",
        ),
        ({"seller_id": "3", "seller_type": "BOTH", "domain": "mixed.com"}, "listed"),
        ({"seller_id": "1", "seller_type": "BOTH", "domain": "pub.com"}, "listed"),
        ({"seller_id": "abc", "seller_type": "PUBLISHER", "domain": "mixed.com"}, "not-listed"),
        ({"seller_id": "4", "seller_type": "PUBLISHER", "domain": "apps.com"}, "listed"),
        ({"seller_id": "5", "seller_type": "PUBLISHER", "domain": "none.com"}, "no-file"),
        ({"seller_id": "5", "seller_type": "PUBLISHER", "domain": "html.com"}, "invalid-file"),
        (
            {"seller_id": "5", "seller_type": "PUBLISHER", "domain": "not a domain"},
            "invalid-domain",
        ),
        ({"seller_id": "6", "seller_type": "PUBLISHER", "is_confidential": 1}, "confidential"),
        ({"seller_id": "7", "seller_type": "PUBLISHER"}, "no-domain"),
        ({"seller_id": "8", "seller_type": "AGENCY", "domain": "pub.com"}, "other-type"),
        ({"seller_type": "PUBLISHER", "domain": "pub.com"}, "invalid-entry"),
        (["not", "an", "object"], "invalid-entry"),
        ({"seller_id": 1, "seller_type": "PUBLISHER", "domain": "pub.com"}, "listed"),
    ],
)
def test_each_seller_status(entry: object, status: str) -> None:
    assert _status(entry) == status


def test_the_file_kind_can_be_chosen_and_intermediaries_skipped() -> None:
    apps = {"seller_id": "4", "seller_type": "PUBLISHER", "domain": "apps.com"}
    assert _status(apps, files="ads.txt") == "not-listed"
    assert _status(apps, files="app-ads.txt") == "listed"
    result = audit_seller(apps, "/sellers/0", "exchange.com", SOURCE)
    assert result.file_kind == "app-ads.txt" and result.lines == (1,)
    reseller = {"seller_id": "2", "seller_type": "INTERMEDIARY", "domain": "pub.com"}
    assert _status(reseller, intermediaries=False) == "skipped"


def test_case_only_seller_id_is_named() -> None:
    entry = {"seller_id": "abc", "seller_type": "PUBLISHER", "domain": "mixed.com"}
    result = audit_seller(entry, "/sellers/3", "exchange.com", SOURCE)
    assert "differs from 'abc' only in letter case" in result.message
    assert result.failure and result.pointer == "/sellers/3"


# ---- the command ---------------------------------------------------------------------------


def test_example_by_ad_system_domain_from_the_mirror() -> None:
    done = run("audit", "--sellers", "exchange-one.com", "--source", str(MIRROR))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(": ")[0:2] for line in lines[:5]] == [
        ["seller 1001 (example-news.com)", "listed"],
        ["seller 1002 (example-blog.com)", "not-listed"],
        ["seller 2001 (reseller-hub.com)", "no-file"],
        ["seller 3001", "confidential"],
        ["seller 3002", "no-domain"],
    ]
    assert lines[-1] == (
        "Audited 5 sellers: 1 listed, 1 not-listed, 1 no-file, 1 confidential, 1 no-domain; "
        "2 failures."
    )


def test_example_json_and_csv_from_a_file() -> None:
    path = str(MIRROR / "exchange-one.com" / "sellers.json")
    done = run(
        "audit",
        "--sellers",
        path,
        "--ad-system",
        "Exchange-One.com",
        "--source",
        str(MIRROR),
        "--output-format",
        "json",
    )
    document = json.loads(done.stdout)
    assert document["adstxt_audit"] == 1 and document["kind"] == "sellers"
    assert document["ad_system"] == "exchange-one.com" and document["sellers_file"] == path
    first = document["sellers"][0]
    assert (first["status"], first["expected"], first["lines"], first["failure"]) == (
        "listed",
        "DIRECT",
        [3],
        False,
    )
    assert document["summary"]["failures"] == 2 and document["summary"]["checked"] == 3
    assert document["summary"]["exit_status"] == done.returncode == 1
    table = run(
        "audit",
        "--sellers",
        path,
        "--ad-system",
        "exchange-one.com",
        "--source",
        str(MIRROR),
        "--output-format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [(r["seller_id"], r["status"], r["failure"]) for r in rows] == [
        ("1001", "listed", "false"),
        ("1002", "not-listed", "true"),
        ("2001", "no-file", "true"),
        ("3001", "confidential", "false"),
        ("3002", "no-domain", "false"),
    ]


def test_every_seller_listed_exits_zero(tmp_path: Path) -> None:
    sellers = tmp_path / "sellers.json"
    sellers.write_text(
        json.dumps(
            {
                "sellers": [
                    {"seller_id": "1001", "seller_type": "PUBLISHER", "domain": "example-news.com"},
                    {"seller_id": "9", "seller_type": "PUBLISHER", "is_confidential": 1},
                ]
            }
        )
    )
    done = run_process(
        "audit",
        "--sellers",
        str(sellers),
        "--ad-system",
        "exchange-one.com",
        "--source",
        str(MIRROR),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 listed, 1 confidential; 0 failures." in done.stdout


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"sellers": [ {"seller_id": "1",, } ]}', ":1:"),
        (b'{"version": "1.0"}', "is not a usable sellers.json"),
        (b"[1, 2]", "is not a usable sellers.json"),
    ],
)
def test_a_broken_sellers_json_is_reported_with_its_place(
    tmp_path: Path, body: bytes, message: str
) -> None:
    sellers = tmp_path / "sellers.json"
    sellers.write_bytes(body)
    done = run(
        "audit",
        "--sellers",
        str(sellers),
        "--ad-system",
        "x.com",
        "--source",
        str(MIRROR),
    )
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sellers", "{path}"], "--ad-system DOMAIN"),
        (["--sellers", "nosuch.com"], "no sellers.json for nosuch.com"),
        (["--sellers", "dir/none.json"], "no such file"),
        (["--sellers", "exchange-one.com", "--patches", "x"], "forward audit"),
        (["--sellers", "exchange-one.com", "--processes", "2"], "forward audit"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    path = str(MIRROR / "exchange-one.com" / "sellers.json")
    done = run("audit", *(a.format(path=path) for a in args), "--source", str(MIRROR))
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr


def test_sellers_json_fetched_from_the_ad_systems_domain(live: LocalServers) -> None:
    live.routes["*://exchange.com/sellers.json"] = text(
        json.dumps(
            {
                "version": "1.0",
                "sellers": [
                    {"seller_id": "1", "seller_type": "PUBLISHER", "domain": "pub.com"},
                    {"seller_id": "2", "seller_type": "INTERMEDIARY", "domain": "hub.com"},
                ],
            }
        ).encode(),
        "application/json",
    )
    live.routes["*://pub.com/ads.txt"] = text(b"exchange.com, 1, DIRECT\n")
    live.routes["*://hub.com/ads.txt"] = text(b"exchange.com, 2, DIRECT\n")
    done = run(
        "audit",
        "--sellers",
        "exchange.com",
        "--fetch",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{live.http_port}",
        "--timeout",
        "3",
        "--output-format",
        "json",
        "--file-kind",
        "ads.txt",
    )
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert document["sellers_file"].endswith("exchange.com/sellers.json")
    assert [s["status"] for s in document["sellers"]] == ["listed", "relationship-differs"]
    assert any(seen.host == "exchange.com" and seen.path == "/sellers.json" for seen in live.seen)


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ({"seller_id": "26", "domain": "pub.com"}, "seller_type is missing, not PUBLISHER"),
        (
            {"seller_id": "26", "seller_type": None, "domain": "pub.com"},
            "seller_type is missing, not PUBLISHER",
        ),
        (
            {"seller_id": "26", "seller_type": " ", "domain": "pub.com"},
            "seller_type is empty, not PUBLISHER",
        ),
        (
            {"seller_id": "26", "seller_type": 3, "domain": "pub.com"},
            "seller_type is 3 (not a string), not PUBLISHER",
        ),
        (
            {"seller_id": "26", "seller_type": "AGENCY", "domain": "pub.com"},
            "seller_type is 'AGENCY', not PUBLISHER",
        ),
    ],
)
def test_a_missing_or_odd_seller_type_is_named_in_words(entry: object, shown: str) -> None:
    result = audit_seller(entry, "/sellers/0", "exchange.com", SOURCE)
    assert result.status == "other-type"
    assert result.message.startswith(shown), result.message
    assert "None" not in result.message


def test_a_seller_neither_file_lists_is_said_to_be_in_neither() -> None:
    entry = {"seller_id": "22", "seller_type": "BOTH", "domain": "apps.com"}
    result = audit_seller(entry, "/sellers/0", "exchange.com", SOURCE)
    assert result.status == "not-listed"
    assert result.message == (
        "neither apps.com/ads.txt nor apps.com/app-ads.txt lists exchange.com seller '22'"
    )
    # Reading one file only, the message names that file alone.
    one = audit_seller(entry, "/sellers/0", "exchange.com", SOURCE, files="ads.txt")
    assert "neither" not in one.message and "apps.com/ads.txt" in one.message
    assert "app-ads.txt" not in one.message


def test_both_files_read_with_different_outcomes_give_both_reasons() -> None:
    source = MemorySource(
        {
            ("two.com", "ads.txt"): "exchange.com, 2, RESELLER\n",
            ("two.com", "app-ads.txt"): "other.com, 2, DIRECT\n",
        }
    )
    entry = {"seller_id": "2", "seller_type": "PUBLISHER", "domain": "two.com"}
    result = audit_seller(entry, "/sellers/0", "exchange.com", source)
    assert result.status == "relationship-differs"
    first, _, second = result.message.partition("; ")
    assert "two.com/ads.txt" in first and "RESELLER" in first, result.message
    assert "two.com/app-ads.txt" in second, result.message
    # A file that is not there is not named: pub.com has no app-ads.txt.
    alone = {"seller_id": "2", "seller_type": "PUBLISHER", "domain": "pub.com"}
    message = audit_seller(alone, "/sellers/0", "exchange.com", SOURCE).message
    assert "app-ads.txt" not in message and "pub.com/ads.txt" in message
