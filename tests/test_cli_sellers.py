"""``adstxt-check`` with sellers.json: validating one, and cross-checking ads.txt against them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import run

SELLERS = {
    "version": "1.0",
    "sellers": [
        {
            "seller_id": "1001",
            "seller_type": "PUBLISHER",
            "name": "Example Media",
            "domain": "example.com",
        },
        {
            "seller_id": "2002",
            "seller_type": "INTERMEDIARY",
            "name": "Resale Co",
            "domain": "resaleco.com",
        },
    ],
}
ADS_TXT = (
    b"OWNERDOMAIN=example.com\n"
    b"examplessp.com, 1001, DIRECT\n"
    b"examplessp.com, 2002, DIRECT\n"
    b"examplessp.com, 9999, RESELLER\n"
)


def _site(tmp_path: Path) -> tuple[Path, Path]:
    sellers = tmp_path / "sellers"
    sellers.mkdir()
    (sellers / "examplessp.com.json").write_text(json.dumps(SELLERS, indent=1))
    ads = tmp_path / "ads.txt"
    ads.write_bytes(ADS_TXT)
    return sellers, ads


def test_records_are_checked_against_a_directory_of_sellers_json(tmp_path: Path) -> None:
    sellers, ads = _site(tmp_path)
    result = run("--sellers-json", str(sellers), str(ads), "--domain", "example.com")
    assert result.returncode == 0, result.stderr  # warnings only
    assert result.stdout.splitlines() == [
        f"{ads}:3:23: ADS704 DIRECT, but the examplessp.com sellers.json lists seller '2002' "
        "(/sellers/1) as an INTERMEDIARY",
        f"{ads}:4:17: ADS702 seller_id '9999' is not in the examplessp.com sellers.json "
        "(2 sellers)",
        "Checked 1 file: 0 errors, 2 warnings, 0 info.",
    ]
    strict = run("--strict", "--sellers-json", str(sellers), str(ads), "--domain", "example.com")
    assert strict.returncode == 1
    plain = run(str(ads), "--domain", "example.com")
    assert plain.returncode == 0 and "ADS7" not in plain.stdout
    suppressed = tmp_path / "quiet" / "ads.txt"
    suppressed.parent.mkdir()
    suppressed.write_bytes(ADS_TXT.replace(b"2002, DIRECT", b"2002, DIRECT # noqa: ADS704"))
    quiet = run("--sellers-json", str(sellers), str(suppressed), "--domain", "example.com")
    assert "ADS704" not in quiet.stdout and "ADS702" in quiet.stdout


def test_a_single_sellers_json_file_named_after_its_ad_system(tmp_path: Path) -> None:
    sellers, ads = _site(tmp_path)
    result = run(
        "--sellers-json", str(sellers / "examplessp.com.json"), str(ads), "--output-format", "json"
    )
    codes = {item["code"] for item in json.loads(result.stdout)}
    assert {"ADS702", "ADS704"} <= codes
    unnamed = tmp_path / "sellers.json"
    unnamed.write_text(json.dumps(SELLERS))
    refused = run("--sellers-json", str(unnamed), str(ads))
    assert (
        refused.returncode == 2 and "--sellers-json: cannot tell which ad system" in refused.stderr
    )
    missing = run("--sellers-json", str(tmp_path / "nowhere"), str(ads))
    assert missing.returncode == 2 and "--sellers-json" in missing.stderr


def test_a_sellers_json_file_is_validated(tmp_path: Path) -> None:
    document = dict(SELLERS)
    document["sellers"] = [
        *SELLERS["sellers"],  # type: ignore[list-item]
        {
            "seller_id": "1001",
            "seller_type": "publisher",
            "name": "Again",
            "domain": "https://example.org/",
        },
    ]
    path = tmp_path / "sellers.json"
    path.write_text(json.dumps(document, indent=2))
    result = run(str(path))
    assert result.returncode == 1
    codes = {line.split()[1] for line in result.stdout.splitlines()[:-1]}
    assert {"ADS615", "ADS613"} <= codes
    assert all(line.startswith(f"{path}:") for line in result.stdout.splitlines()[:-1])
    items = json.loads(run(str(path), "--output-format", "json").stdout)
    assert {item["pointer"] for item in items if item["code"] == "ADS613"} == {
        "/sellers/2/seller_type"
    }
    assert (
        "= at JSON pointer /sellers/2/seller_type"
        in run(str(path), "--output-format", "full").stdout
    )
    clean = tmp_path / "clean" / "sellers.json"
    clean.parent.mkdir()
    clean.write_text(json.dumps(SELLERS))
    assert run(str(clean)).returncode == 0
    found = run(str(tmp_path / "clean"))
    assert found.returncode == 0 and found.stdout.startswith("Checked 1 file:")


def test_fetch_sellers_end_to_end_with_a_disk_cache(tmp_path: Path) -> None:
    pytest.importorskip("h11")
    from tests.httpserver import LocalServers, closed_port, text

    _, ads = _site(tmp_path)
    cache = tmp_path / "cache"
    with LocalServers() as servers:
        servers.routes["*://examplessp.com/sellers.json"] = text(
            json.dumps(SELLERS).encode(), "application/json"
        )
        arguments = [
            "--fetch-sellers",
            "--sellers-cache",
            str(cache),
            str(ads),
            "--domain",
            "example.com",
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{servers.http_port}",
        ]
        first = run(*arguments)
        requests = len(servers.seen)
        second = run(*arguments)
        assert len(servers.seen) == requests  # the cached copy is fresh: no request
    assert first.returncode == 0, first.stderr
    codes = [line.split()[1] for line in first.stdout.splitlines()[:-1]]
    assert codes == ["ADS704", "ADS702"]
    assert second.stdout == first.stdout
    assert list(cache.iterdir())


def test_an_unwritable_sellers_cache_is_a_prefixed_warning(tmp_path: Path) -> None:
    pytest.importorskip("h11")
    from tests.httpserver import LocalServers, closed_port, text

    _, ads = _site(tmp_path)
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    with LocalServers() as servers:
        servers.routes["*://examplessp.com/sellers.json"] = text(
            json.dumps(SELLERS).encode(), "application/json"
        )
        result = run(
            "--fetch-sellers",
            "--sellers-cache",
            str(blocker / "cache"),
            str(ads),
            "--domain",
            "example.com",
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{servers.http_port}",
        )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "cache" in line]
    assert warnings and all(
        line.startswith("adstxt-check: warning: cannot write the sellers.json cache ")
        for line in warnings
    ), result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["ADS704", "ADS702"]
