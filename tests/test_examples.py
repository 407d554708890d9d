"""The programs in examples/ run as real processes on their sample data and do what they say."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import adstxt
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
DATA = EXAMPLES / "data"


def run(script: str, *args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_check_folder_writes_one_row_per_finding(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    result = run("check_folder.py", DATA / "sites", "--output", report)
    assert result.returncode == 1, result.stderr  # exampleshop.com has errors
    assert result.stdout.strip() == (
        f"Checked 3 files: 3 errors, 1 warnings, 1 info; failing files: 1. Report: {report}"
    )
    with report.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["file"], r["line"], r["code"], r["severity"], r["fixable"]) for r in rows] == [
        ("examplegames.com/app-ads.txt", "3", "ADS211", "info", "safe"),
        ("examplegames.com/app-ads.txt", "4", "ADS309", "warning", ""),
        ("exampleshop.com/ads.txt", "2", "ADS201", "error", "safe"),
        ("exampleshop.com/ads.txt", "3", "ADS210", "error", "unsafe"),
        ("exampleshop.com/ads.txt", "4", "ADS210", "error", "unsafe"),
    ]
    assert rows[2]["message"].startswith("'https://google.com/' is a URL")


def test_check_folder_clean_folder_exits_zero(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "ads.txt").write_bytes((DATA / "sites/examplenews.com/ads.txt").read_bytes())
    (site / "notes.txt").write_text("not an ads.txt file, not checked\n")
    report = tmp_path / "report.csv"
    result = run("check_folder.py", site, "--output", report, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checked 1 files: 0 errors, 0 warnings, 0 info" in result.stdout
    assert report.read_text(encoding="utf-8").splitlines() == [
        "file,line,column,code,rule,severity,message,fixable"
    ]


def test_diff_reports_added_removed_and_changed_sellers() -> None:
    result = run("diff_adstxt.py", DATA / "diff/ads-2026-10.txt", DATA / "diff/ads-2026-11.txt")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "+ added    indexexchange.com, 187924, DIRECT, 50b1c356f2c5c8fc  (line 8)",
        "+ added    sharethrough.com, a6a3c0e1, RESELLER, d53b998a7bd4ecd2  (line 9)",
        "- removed  appnexus.com, 1234, RESELLER, f5ab79cb980f11d1  (was line 7)",
        "~ changed  rubiconproject.com, 20744: relationship DIRECT -> RESELLER",
        "+ variable CONTACT=partners@examplenews.com",
        "- variable CONTACT=adops@examplenews.com",
        "2 added, 1 removed, 1 changed; 6 sellers in ads-2026-11.txt.",
    ]
    # 'PubMatic.com, 156439, reseller' is the same seller written differently.
    assert "pubmatic" not in result.stdout.lower()


def test_diff_of_a_file_with_itself_is_empty() -> None:
    path = DATA / "diff/ads-2026-11.txt"
    result = run("diff_adstxt.py", path, path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "No change in sellers or variables."


def test_diff_leaves_out_broken_lines_and_says_so(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("google.com, pub-1234567890123456, DIRECT\n")
    new.write_text("google.com, pub-1234567890123456, DIRECT\nmgid.com, 749656, DIRCT\n")
    result = run("diff_adstxt.py", old, new)
    assert result.returncode == 0
    assert "ADS210" in result.stderr and "line left out" in result.stderr


def test_merge_keeps_the_site_file_and_appends_only_new_records(tmp_path: Path) -> None:
    site = DATA / "merge/site-ads.txt"
    merged = tmp_path / "merged-ads.txt"
    result = run(
        "merge_partner_lines.py", site, DATA / "merge/partner-lines.txt", "--output", merged
    )
    assert result.returncode == 1  # one line rejected, one conflict
    text = merged.read_text(encoding="utf-8")
    original = site.read_text(encoding="utf-8")
    assert text.startswith(original)  # comments, variables and order untouched
    assert text[len(original) :] == (
        "\n# Added from partner-lines.txt\n"
        "openx.com, 537120563, RESELLER, 6a698e2ec38604c6\n"
        "appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n"
        "triplelift.com, 8210, RESELLER, 6c33edb13117fd86\n"
    )
    assert adstxt.lint(text, filename="ads.txt") == []
    report = result.stdout
    assert "rejected  'sovrn.com, 257611, RESELER, fafdf38b16bf6b2b': ADS210" in report
    assert "conflict  rubiconproject.com, 20744 is RESELLER" in report
    assert "duplicate pubmatic.com, 156439, RESELLER is already in site-ads.txt" in report
    assert "skipped   variable CONTACT=support@examplepartner.com" in report
    assert report.splitlines()[-1] == (
        "Added 3 records; 2 partner lines rejected; 0 errors in the merged file."
    )


def test_merge_twice_adds_nothing_more(tmp_path: Path) -> None:
    partner = tmp_path / "partner.txt"
    partner.write_text("openx.com, 537120563, RESELLER, 6a698e2ec38604c6\n")
    site = tmp_path / "ads.txt"
    site.write_text("# our file\ngoogle.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n")
    first = run("merge_partner_lines.py", site, partner, "--output", site)
    assert first.returncode == 0, first.stdout
    once = site.read_text(encoding="utf-8")
    assert once.count("openx.com") == 1
    second = run("merge_partner_lines.py", site, partner)
    assert second.returncode == 0
    assert second.stdout == once  # nothing new: the file comes back unchanged
    assert "Added 0 records" in second.stderr


def test_audit_domains_against_real_local_sites(tmp_path: Path) -> None:
    pytest.importorskip("h11")
    from tests.httpserver import GOOD, LocalServers, closed_port, text

    domains = tmp_path / "domains.txt"
    domains.write_text("# our sites\nexample.com\nexample.org  # the shop\n\nexample.net\n")
    report = tmp_path / "audit.csv"
    with LocalServers() as servers:
        servers.routes["*://example.com/ads.txt"] = text(GOOD + b"mgid.com, 749656, DIRCT\n")
        servers.routes["*://example.org/ads.txt"] = text(b"<html>shop</html>", "text/html")
        result = run(
            "audit_domains.py",
            domains,
            "--output",
            report,
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{servers.http_port}",
        )
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == f"Audited 3 sites: 1 serve a usable file. Report: {report}"
    with report.open(encoding="utf-8", newline="") as f:
        rows = {r["domain"]: r for r in csv.DictReader(f)}
    assert list(rows) == ["example.com", "example.org", "example.net"]
    assert rows["example.com"]["outcome"] == "ok"
    assert rows["example.com"]["final_url"] == "http://example.com/ads.txt"
    assert rows["example.com"]["records"] == "1" and "ADS210" in rows["example.com"]["codes"]
    assert rows["example.org"]["outcome"] != "ok" and "ADS516" in rows["example.org"]["codes"]
    assert rows["example.net"]["outcome"] == "not-found"


def test_site_report_writes_one_page_with_the_check_and_the_audit(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run(
        "site_report.py",
        DATA / "sites",
        "--audit",
        DATA / "audit-result.json",
        "--output",
        page,
    )
    assert result.returncode == 1, result.stderr  # exampleshop.com has errors
    assert result.stdout.strip() == f"3 files, 5 findings, 1 failing. Report: {page}"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Our sites&#x27; ads.txt files" in text
    assert 'id="findings"' in text and 'id="publishers"' in text


def test_site_report_refuses_a_result_that_is_no_audit(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    result = run("site_report.py", DATA / "sites", "--audit", bad, "--output", tmp_path / "r")
    assert result.returncode == 2
    assert result.stderr.strip() == f"site_report: {bad}: expected a JSON object, found an array"


def _console_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the console blocks of a README, with the lines shown after it."""
    found: list[tuple[str, list[str]]] = []
    for block in text.split("```console\n")[1:]:
        for line in block.split("\n```", 1)[0].splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return found


def test_audit_readme_shows_what_the_commands_print(tmp_path: Path) -> None:
    import shlex
    import shutil

    from tests.cli import run_process

    folder = tmp_path / "audit"
    shutil.copytree(EXAMPLES / "audit", folder)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    commands = _console_blocks(readme)
    assert len(commands) == 4
    for command, shown in commands:
        words = shlex.split(command.split(" < ")[0])
        if words[0] == "adstxt":
            done = run_process(*words[1:], cwd=folder)
            assert done.returncode == 1, done.stderr
            assert done.stdout.splitlines() == shown, command
        elif words[0] == "cat":
            assert (folder / words[1]).read_text().splitlines() == shown
        else:  # cd DIR && patch -p1 < PATCH: apply the patch as the README says
            directory = folder / words[1]
            patch = (directory / command.split(" < ")[1]).resolve()
            if shutil.which("patch") is None:
                continue
            applied = subprocess.run(
                ["patch", "-p1", "-i", str(patch)], cwd=directory, capture_output=True, text=True
            )
            assert applied.stdout.splitlines() == shown
    # The standard error of the forward audit, as the README's text block shows it.
    shown_errors = readme.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    again = run_process(
        "audit", "--expect", "expected.txt", "--source", "mirror", "publishers.txt", cwd=folder
    )
    assert again.stderr.splitlines() == shown_errors
    # After the patch, example-shop.com carries every line.
    listing = folder / "shop.txt"
    listing.write_text("example-shop.com\n")
    after = run_process(
        "audit", "--expect", "expected.txt", "--source", "mirror", "shop.txt", cwd=folder
    )
    assert after.returncode == 0, after.stdout
