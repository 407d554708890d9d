"""The forward audit (``adstxt audit --expect``): statuses, inputs, outputs and patches, from
the example mirror, directories the tests write, and real local web servers for --fetch."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from adstxt.audit import (
    ExpectedLine,
    PublisherLine,
    appending_diff,
    audit_publishers,
    read_publishers,
)
from adstxt.authorization import MemorySource
from tests.cli import adstxt as run
from tests.cli import run_process
from tests.conftest import ROOT
from tests.httpserver import LocalServers, Reply, closed_port, text

EXAMPLE = ROOT / "examples" / "audit"
MIRROR = EXAMPLE / "mirror"
EXPECTED = EXAMPLE / "expected.txt"
PUBLISHERS = EXAMPLE / "publishers.txt"


def _record(number: int, text: str) -> ExpectedLine:
    fields = [f.strip() for f in text.split(",")]
    return ExpectedLine(
        number,
        number,
        text,
        fields[0],
        fields[1],
        fields[2],
        fields[3] if len(fields) > 3 else None,
    )


def _audit(ads: str, *expected: ExpectedLine) -> dict[int, str]:
    source = MemorySource({("example.com", "ads.txt"): ads})
    [result] = audit_publishers([PublisherLine(1, "example.com", "example.com")], expected, source)
    statuses = dict.fromkeys(result.present, "present")
    statuses.update({f.expected.number: f.status for f in result.findings})
    return statuses


# ---- the comparison ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ads", "status"),
    [
        ("exchange.com, 1, DIRECT, abc\n", "present"),
        ("EXCHANGE.com, 1, direct, ABC\n", "present"),
        ("exchange.com, 1, RESELLER, abc\n", "relationship-differs"),
        ("exchange.com, 1, DIRECT, def\n", "certification-differs"),
        ("exchange.com, 1, DIRECT\n", "certification-differs"),
        ("exchange.com, 2, DIRECT, abc\n", "seller-id-differs"),
        ("other.com, 1, DIRECT, abc\n", "missing"),
    ],
)
def test_each_record_status(ads: str, status: str) -> None:
    assert _audit(ads, _record(1, "exchange.com, 1, DIRECT, abc")) == {1: status}


def test_an_expected_line_without_certification_id_accepts_any() -> None:
    assert _audit("exchange.com, 1, DIRECT, abc\n", _record(1, "exchange.com, 1, DIRECT")) == {
        1: "present"
    }


def test_seller_id_differs_names_the_ids_and_a_case_only_difference() -> None:
    source = MemorySource({("example.com", "ads.txt"): "exchange.com, AbC, DIRECT\n"})
    wanted = _record(1, "exchange.com, abc, DIRECT")
    [result] = audit_publishers([PublisherLine(1, "example.com", "example.com")], [wanted], source)
    [finding] = result.findings
    assert finding.status == "seller-id-differs"
    assert finding.found == ("AbC",) and finding.lines == (1,)
    assert "differs only in letter case" in finding.message


def test_variables_present_differing_and_missing() -> None:
    ads = "OWNERDOMAIN=example.com\nOWNERDOMAIN=group.com\nMANAGERDOMAIN=Group.com\nx.com, 1, DIRECT\n"
    wanted = [
        ExpectedLine(1, 1, "MANAGERDOMAIN=group.com", name="MANAGERDOMAIN", value="group.com"),
        # Only the first OWNERDOMAIN counts (ads.txt 1.1 section 3.5.1).
        ExpectedLine(2, 2, "OWNERDOMAIN=group.com", name="OWNERDOMAIN", value="group.com"),
        ExpectedLine(3, 3, "CONTACT=ads@group.com", name="CONTACT", value="ads@group.com"),
    ]
    assert _audit(ads, *wanted) == {1: "present", 2: "value-differs", 3: "missing"}


def test_publishers_file_reports_every_line_it_does_not_audit_as_written() -> None:
    lines = [
        "example.com",
        "https://www.Example.org/path?x=1",
        "",
        "EXAMPLE.com.",
        "# a comment",
        "two words",
        "localhost",
        "example.org  # same as line 2? no: www.example.org is another host",
    ]
    items = list(read_publishers(lines, "p.txt"))
    kept = [(e.line, e.host) for e, _ in items if e is not None]
    problems = [str(p) for _, p in items if p is not None]
    assert kept == [
        (1, "example.com"),
        (2, "www.example.org"),
        (6, None),
        (7, None),
        (8, "example.org"),
    ]
    assert problems == [
        "p.txt:2: warning: 'https://www.Example.org/path?x=1' is a URL: audited as www.example.org",
        "p.txt:3: info: blank line skipped",
        "p.txt:4: warning: example.com repeats line 1: audited once",
        "p.txt:6: error: 'two words' is not one domain",
        "p.txt:7: error: 'localhost' is no domain under a public suffix",
    ]


# ---- the command on the example --------------------------------------------------------


def test_example_text_output_statuses_and_exit_status() -> None:
    done = run("audit", "--expect", str(EXPECTED), "--source", str(MIRROR), str(PUBLISHERS))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "example-news.com: complete (4 of 4 expected lines, 100.00%)"
    assert "www.example-blog.com: incomplete (0 of 4 expected lines, 0.00%)" in lines
    assert any(
        "relationship-differs: line 2 lists exchange-one.com, 1001 as RESELLER" in x for x in lines
    )
    assert any(
        "seller-id-differs: reseller-hub.com is listed with seller ID 78, not 77" in x
        for x in lines
    )
    assert any("certification-differs" in x and "without a certification ID" in x for x in lines)
    assert any(x.startswith("example-video.com: invalid-file: ") for x in lines)
    assert any(x.startswith("example-radio.com: no-file: ") for x in lines)
    assert "not a domain: unusable: 'not a domain' is no domain to audit" in lines
    assert lines[-1] == (
        "Audited 6 publishers for 4 expected lines: 1 complete, 2 incomplete, 1 no-file, "
        "1 invalid-file, 1 unusable; coverage 25.00% (6 of 24 pairs)."
    )
    publishers = str(PUBLISHERS)
    assert f"{publishers}:3: warning: 'https://www.example-blog.com/about' is a URL" in done.stderr
    assert f"{publishers}:5: warning: example-news.com repeats line 2: audited once" in done.stderr
    assert f"{publishers}:6: info: blank line skipped" in done.stderr
    assert f"{publishers}:9: error: 'not a domain' is not one domain" in done.stderr


def test_example_json_document() -> None:
    done = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(MIRROR),
        str(PUBLISHERS),
        "--output-format",
        "json",
    )
    assert done.returncode == 1
    document = json.loads(done.stdout)
    assert document["adstxt_audit"] == 1 and document["kind"] == "expect"
    assert [p["publisher"] for p in document["publishers"]] == [
        "example-news.com",
        "www.example-blog.com",
        "example-shop.com",
        "example-video.com",
        "example-radio.com",
        "not a domain",
    ]
    assert [p["status"] for p in document["publishers"]] == [
        "complete",
        "incomplete",
        "incomplete",
        "invalid-file",
        "no-file",
        "unusable",
    ]
    shop = document["publishers"][2]
    assert shop["present"] == [1, 3] and shop["coverage"] == 50.0
    assert [f["status"] for f in shop["findings"]] == ["certification-differs", "missing"]
    assert shop["to_add"] == [
        "exchange-one.com, 1001, DIRECT, abc123def4567890",
        "video-ssp.com, v-42, DIRECT",
    ]
    assert shop["file"]["state"] == "ok" and shop["patch"] is None
    assert [(e["line"], e["present"], e["coverage"]) for e in document["expected"]] == [
        (2, 2, 33.33),
        (3, 1, 16.67),
        (4, 2, 33.33),
        (5, 1, 16.67),
    ]
    for entry in document["expected"]:
        assert sum(entry["statuses"].values()) == 6
    summary = document["summary"]
    assert (summary["publishers"], summary["pairs"], summary["pairs_present"]) == (6, 24, 6)
    assert summary["unreadable"] == 3 and summary["exit_status"] == 1
    assert [p["line"] for p in document["input_problems"]] == [3, 5, 6, 9]


def test_example_csv_has_a_row_per_publisher_and_expected_line() -> None:
    done = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(MIRROR),
        str(PUBLISHERS),
        "--output-format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 6 * 4
    blog = [r for r in rows if r["publisher"] == "www.example-blog.com"]
    assert [r["status"] for r in blog] == [
        "missing",
        "relationship-differs",
        "seller-id-differs",
        "missing",
    ]
    assert blog[2]["found"] == "78" and blog[1]["lines"] == "2"
    assert {r["status"] for r in rows if r["publisher"] == "example-radio.com"} == {"no-file"}


def test_every_publisher_complete_exits_zero(tmp_path: Path) -> None:
    listing = tmp_path / "publishers.txt"
    listing.write_text("example-news.com\n")
    done = run("audit", "--expect", str(EXPECTED), "--source", str(MIRROR), str(listing))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "coverage 100.00% (4 of 4 pairs)" in done.stdout


def test_output_file_is_written_and_standard_output_stays_empty(tmp_path: Path) -> None:
    target = tmp_path / "audit.json"
    done = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(MIRROR),
        str(PUBLISHERS),
        "--output-format",
        "json",
        "-o",
        str(target),
    )
    assert done.returncode == 1 and done.stdout == ""
    assert json.loads(target.read_text())["summary"]["publishers"] == 6


def test_publishers_from_standard_input() -> None:
    done = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(MIRROR),
        "-",
        stdin=b"example-news.com\nexample-shop.com\n",
    )
    assert done.returncode == 1
    assert [x.split(":")[0] for x in done.stdout.splitlines()[:3]] == [
        "example-news.com",
        "example-shop.com",
        "  expected line 3 (exchange-one.com, 1001, DIRECT, abc123def4567890)",
    ]


def test_progress_bar_when_asked() -> None:
    done = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(MIRROR),
        str(PUBLISHERS),
        "--progress",
        "always",
    )
    assert "] 6/6 " in done.stderr


def test_app_ads_txt_audit(tmp_path: Path) -> None:
    (tmp_path / "mirror" / "games.example").mkdir(parents=True)
    (tmp_path / "mirror" / "games.example" / "app-ads.txt").write_text(
        "exchange.com, 1, RESELLER\n"
    )
    (tmp_path / "mirror" / "dev.com").mkdir()
    (tmp_path / "mirror" / "dev.com" / "app-ads.txt").write_text("exchange.com, 1, DIRECT\n")
    (tmp_path / "expected.txt").write_text("exchange.com, 1, DIRECT\n")
    (tmp_path / "developers.txt").write_text("https://dev.com/apps\n")
    done = run(
        "audit",
        "--app",
        "--expect",
        str(tmp_path / "expected.txt"),
        "--source",
        str(tmp_path / "mirror"),
        str(tmp_path / "developers.txt"),
        "--output-format",
        "json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [publisher] = json.loads(done.stdout)["publishers"]
    assert publisher["file"]["where"].endswith("dev.com/app-ads.txt")


# ---- bad input -----------------------------------------------------------------------------


def test_an_unusable_expected_line_stops_the_audit_with_its_line(tmp_path: Path) -> None:
    expected = tmp_path / "expected.txt"
    expected.write_text("exchange.com, 1, DIRECT\nexchange.com, 2, DIRCT\n# fine\n")
    done = run("audit", "--expect", str(expected), "--source", str(MIRROR), str(PUBLISHERS))
    assert done.returncode == 2 and done.stdout == ""
    assert f"{expected}:2:" in done.stderr and "ADS210" in done.stderr
    assert "expected line(s) 2 cannot be used" in done.stderr
    assert "Traceback" not in done.stderr


def test_expected_warnings_are_shown_and_the_audit_goes_on(tmp_path: Path) -> None:
    expected = tmp_path / "expected.txt"
    expected.write_text("exchange-one.com, 1001, DIRECT\nexchange-one.com, 1001, DIRECT\n")
    done = run(
        "audit",
        "--expect",
        str(expected),
        "--source",
        str(MIRROR),
        "-",
        stdin=b"example-news.com\n",
    )
    assert done.returncode == 0, done.stderr
    assert f"{expected}:2:" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--expect", "{tmp}/none.txt", "--source", "{mirror}", "{publishers}"], "cannot read"),
        (["--expect", "{expected}", "--source", "{mirror}", "{tmp}/none.txt"], "cannot read"),
        (
            ["--expect", "{tmp}/empty.txt", "--source", "{mirror}", "{publishers}"],
            "holds no record",
        ),
        (
            ["--expect", "{expected}", "--source", "{mirror}", "{tmp}/empty.txt"],
            "names no publisher",
        ),
        (["--expect", "{expected}", "{publishers}"], "--source DIR, --store S or --fetch"),
        (["--expect", "{expected}", "--source", "{mirror}"], "needs PUBLISHERS"),
        (["--expect", "{expected}", "--source", "{tmp}/none", "{publishers}"], "not a directory"),
        (["--sellers", "x.com", "--source", "{mirror}", "{publishers}"], "forward audit"),
        (
            ["--expect", "{expected}", "--source", "{mirror}", "{publishers}", "--processes", "0"],
            "1 or more",
        ),
        (["--source", "{mirror}"], "one of the arguments --expect --sellers is required"),
    ],
)
def test_usage_and_input_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty.txt").write_text("# nothing\n")
    values = {"tmp": tmp_path, "mirror": MIRROR, "publishers": PUBLISHERS, "expected": EXPECTED}
    done = run("audit", *(a.format(**values) for a in args))
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


# ---- patches -------------------------------------------------------------------------------


def _patched_mirror(tmp_path: Path) -> tuple[Path, Path]:
    mirror = tmp_path / "mirror"
    shutil.copytree(MIRROR, mirror)
    patches = tmp_path / "patches"
    done = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(mirror),
        str(PUBLISHERS),
        "--patches",
        str(patches),
    )
    assert done.returncode == 1, done.stderr
    assert "Wrote 3 patches." in done.stdout
    return mirror, patches


@pytest.mark.parametrize("tool", ["patch", "git"])
def test_patches_apply_and_make_publishers_complete(tmp_path: Path, tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    mirror, patches = _patched_mirror(tmp_path)
    assert sorted(p.name for p in patches.iterdir()) == [
        "example-radio.com.patch",
        "example-shop.com.patch",
        "www.example-blog.com.patch",
    ]
    # The publisher applies its patch in the directory that holds its file.
    targets = {
        "example-shop.com.patch": mirror / "example-shop.com",
        "www.example-blog.com.patch": mirror / "example-blog.com",
        "example-radio.com.patch": mirror / "example-radio.com",
    }
    for name, directory in targets.items():
        directory.mkdir(exist_ok=True)
        command = ["patch", "-p1", "-i"] if tool == "patch" else ["git", "apply"]
        subprocess.run(
            [*command, str(patches / name)], cwd=directory, check=True, capture_output=True
        )
    # The publisher's style is kept: CRLF stays CRLF, no final newline stays none.
    blog = (mirror / "example-blog.com" / "ads.txt").read_bytes()
    assert blog.count(b"\r\n") == blog.count(b"\n") == 8
    assert blog.endswith(b"video-ssp.com, v-42, DIRECT\r\n")
    shop = (mirror / "example-shop.com" / "ads.txt").read_bytes()
    assert shop.endswith(
        b"reseller-hub.com, 77, RESELLER\nexchange-one.com, 1001, DIRECT, abc123def4567890\nvideo-ssp.com, v-42, DIRECT"
    )
    radio = (mirror / "example-radio.com" / "ads.txt").read_text()
    assert radio.splitlines() == [
        "MANAGERDOMAIN=example-group.com",
        "exchange-one.com, 1001, DIRECT, abc123def4567890",
        "reseller-hub.com, 77, RESELLER",
        "video-ssp.com, v-42, DIRECT",
    ]
    listing = tmp_path / "patched.txt"
    listing.write_text("example-shop.com\nexample-blog.com\nexample-radio.com\n")
    again = run(
        "audit",
        "--expect",
        str(EXPECTED),
        "--source",
        str(mirror),
        str(listing),
        "--patches",
        str(patches),
    )
    assert again.returncode == 0, again.stdout
    # Nothing to add any more: the patches of the earlier run are gone.
    assert not (patches / "example-shop.com.patch").exists()
    assert not (patches / "example-radio.com.patch").exists()


def test_a_patch_refuses_a_file_changed_since_the_audit(tmp_path: Path) -> None:
    mirror, patches = _patched_mirror(tmp_path)
    shop = mirror / "example-shop.com" / "ads.txt"
    shop.write_text("something.com, 1, DIRECT\n")
    done = subprocess.run(
        ["patch", "-p1", "--dry-run", "-i", str(patches / "example-shop.com.patch")],
        cwd=shop.parent,
        capture_output=True,
        check=False,
    )
    assert done.returncode != 0


def test_appending_diff_of_a_file_shorter_than_the_context() -> None:
    diff = appending_diff(b"a.com, 1, DIRECT", "ads.txt", ["b.com, 2, DIRECT"])
    assert diff == (
        b"--- a/ads.txt\n+++ b/ads.txt\n@@ -1,1 +1,2 @@\n-a.com, 1, DIRECT\n"
        b"\\ No newline at end of file\n+a.com, 1, DIRECT\n+b.com, 2, DIRECT\n"
        b"\\ No newline at end of file\n"
    )


# ---- processes, and a real subprocess ------------------------------------------------------


def _many(tmp_path: Path, count: int) -> Path:
    mirror = tmp_path / "mirror"
    for number in range(count):
        folder = mirror / f"site-{number}.com"
        folder.mkdir(parents=True)
        rows = ["exchange.com, 1, DIRECT"] if number % 3 else ["exchange.com, 2, DIRECT"]
        (folder / "ads.txt").write_text("\n".join(rows) + "\n")
    (tmp_path / "expected.txt").write_text("exchange.com, 1, DIRECT\n")
    (tmp_path / "publishers.txt").write_text("".join(f"site-{n}.com\n" for n in range(count)))
    return tmp_path


def test_a_real_process_in_several_processes_gives_what_one_gives(tmp_path: Path) -> None:
    base = _many(tmp_path, 450)
    args = [
        "audit",
        "--expect",
        str(base / "expected.txt"),
        "--source",
        str(base / "mirror"),
        str(base / "publishers.txt"),
        "--output-format",
        "json",
    ]
    one = run_process(*args, "--processes", "1")
    two = run_process(*args, "--processes", "2")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert one.stdout == two.stdout
    summary = json.loads(two.stdout)["summary"]
    assert (summary["complete"], summary["incomplete"]) == (300, 150)


# ---- live sites (--fetch) ------------------------------------------------------------------


def test_fetch_reads_each_publishers_site(live: LocalServers, tmp_path: Path) -> None:
    live.routes["*://good.com/ads.txt"] = text(b"exchange.com, 1, DIRECT\n")
    live.routes["*://other.com/ads.txt"] = text(b"exchange.com, 1, RESELLER\n")
    live.routes["*://html.com/ads.txt"] = text(b"<html><body>Welcome</body></html>", "text/html")
    live.routes["*://locked.com/ads.txt"] = Reply(401, b"", {})
    (tmp_path / "expected.txt").write_text("exchange.com, 1, DIRECT\n")
    (tmp_path / "publishers.txt").write_text(
        "good.com\nother.com\nhtml.com\nlocked.com\nnone.com\n"
    )
    done = run(
        "audit",
        "--expect",
        str(tmp_path / "expected.txt"),
        str(tmp_path / "publishers.txt"),
        "--fetch",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{live.http_port}",
        "--timeout",
        "3",
        "--output-format",
        "json",
    )
    assert done.returncode == 1, done.stderr
    statuses = [p["status"] for p in json.loads(done.stdout)["publishers"]]
    assert statuses == ["complete", "incomplete", "invalid-file", "restricted", "no-file"]


def test_a_mirror_that_keeps_nothing_reads_each_file_afresh(tmp_path: Path) -> None:
    from adstxt.authorization import MirrorSource

    (tmp_path / "example.com").mkdir()
    path = tmp_path / "example.com" / "ads.txt"
    path.write_text("exchange.com, 1, DIRECT\n")
    keeping, fresh = MirrorSource(tmp_path), MirrorSource(tmp_path, keep=False)
    assert keeping.ads_file("example.com", "ads.txt") is keeping.ads_file("example.com", "ads.txt")
    first = fresh.ads_file("example.com", "ads.txt")
    path.write_text("exchange.com, 2, DIRECT\n")
    second = fresh.ads_file("example.com", "ads.txt")
    assert first.parsed is not None and second.parsed is not None
    assert [r.account_id for r in first.parsed.records] == ["1"]
    assert [r.account_id for r in second.parsed.records] == ["2"]
