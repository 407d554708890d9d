"""``adstxt report``: the page written from a check and from an audit's result, its figures,
charts, tables and row limit, hostile file content, and every way its input can be wrong.

The page in a browser (scripts, sorting, filtering, printing) is tested in
``test_report_browser.py``.
"""

from __future__ import annotations

import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from adstxt._lint import lint
from adstxt.report._audit import AuditFormatError, parse_audit
from tests.cli import adstxt, run_process
from tests.conftest import ROOT, SHARED

SITES = ROOT / "examples" / "data" / "sites"
AUDIT = ROOT / "examples" / "data" / "audit-result.json"


class Page(HTMLParser):
    """What a test counts in a report: marks per chart, rows and cells per table, scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: dict[str, int] = {}
        self.rows: dict[str, list[list[str]]] = {}
        self.tags: list[str] = []
        self.figures: dict[str, str] = {}
        self._chart = ""
        self._table = ""
        self._cell: list[str] | None = None
        self._dt = ""
        self._in: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self.tags.append(tag)
        self._in.append(tag)
        if tag == "svg":
            self._chart = attributes.get("aria-label") or ""
            self.marks.setdefault(self._chart, 0)
        elif tag == "rect" and "mark" in classes:
            self.marks[self._chart] += 1
        elif tag == "table":
            self._table = attributes.get("id") or ""
            self.rows[self._table] = []
        elif tag == "tr" and self._table and "tbody" in self._in:
            self.rows[self._table].append([])
        elif (tag == "td" and self._table and "tbody" in self._in) or tag in ("dt", "dd"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass
        if tag == "td" and self._cell is not None:
            self.rows[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "dt" and self._cell is not None:
            self._dt = "".join(self._cell)
            self._cell = None
        elif tag == "dd" and self._cell is not None:
            self.figures[self._dt] = "".join(self._cell)
            self._cell = None
        elif tag == "table":
            self._table = ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def report(*args: str | Path, cwd: Path = ROOT) -> tuple[Page, str]:
    out = Path(args[-1])
    done = adstxt("report", *map(str, args[:-1]), "-o", str(out), cwd=cwd)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    return Page(text), text


def test_a_check_of_folders_has_figures_charts_and_every_finding(tmp_path: Path) -> None:
    page, text = report("examples/data/sites", tmp_path / "report.html")
    assert page.figures["Files"] == "3"
    assert page.figures["Records"] == "9"
    assert (page.figures["Errors"], page.figures["Warnings"], page.figures["Info"]) == (
        "3",
        "1",
        "1",
    )
    assert page.figures["Files: errors"] == "1" and page.figures["Files: clean"] == "1"
    # One mark per (rule, severity) fired: ADS201, ADS210, ADS211 and ADS309, once each.
    assert page.marks["Findings by rule and severity"] == 4
    assert page.marks["Files by verdict"] == 3  # errors, warnings and clean
    assert len(page.rows["files"]) == 3
    assert len(page.rows["rules"]) == 4
    findings = page.rows["findings"]
    assert [(row[0].rsplit("/", 2)[-2], row[1], row[4].split()[0]) for row in findings] == [
        ("examplegames.com", "3", "ADS211"),
        ("examplegames.com", "4", "ADS309"),
        ("exampleshop.com", "2", "ADS201"),
        ("exampleshop.com", "3", "ADS210"),
        ("exampleshop.com", "4", "ADS210"),
    ]
    assert findings[3][6] == "mgid.com, 749656, DIRCT, d4c29acad76ce94f"
    # Self-contained: one inline script, no link, image, frame or source fetched from anywhere.
    assert page.tags.count("script") == 1
    assert not {"link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert "src=" not in text and "Content-Security-Policy" in text


def test_rule_codes_link_to_their_pages_when_the_docs_site_is_known(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    base = "https://docs.example.org/adstxt/"
    done = adstxt("report", str(SITES), "-o", str(out), env={"ADSTXT_DOCS_URL": base})
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert f'<a href="{base}rules/ADS210.html"' in text
    without = tmp_path / "plain.html"
    assert adstxt("report", str(SITES), "-o", str(without)).returncode == 0
    assert "<a href" not in without.read_text(encoding="utf-8")


HOSTILE = (
    b"<script>window.pwned = 1; document.title = 'pwned'</script>\n"
    b"example.com, </td></tr></table><b>bold, DIRECT\n"
    b'google.com, pub-1"><img src=x onerror="window.pwned=2">, DIRECT\n'
    b"google.com, pub-1, DIRECT # \xe2\x80\xae\xe2\x81\xa6reversed\n"
    b"openx.com, 1, RESELLER\x00, <!-- -->\n"
    b"bad\xff\xfebytes.com, 1, DIRECT\n"
)


def hostile_site(tmp_path: Path) -> Path:
    # The folder's name is shown too: it is as hostile as the file.
    folder = tmp_path / 'hostile"><img src=x onerror="window.pwned=3">'
    folder.mkdir()
    (folder / "ads.txt").write_bytes(HOSTILE)
    return folder / "ads.txt"


def test_hostile_file_content_is_text_on_the_page(tmp_path: Path) -> None:
    path = hostile_site(tmp_path)
    page, text = report(path, tmp_path / "report.html")
    assert page.tags.count("script") == 1
    assert "img" not in page.tags and "b" not in page.tags
    assert "\u202e" not in text and "\u2066" not in text and "\x00" not in text
    # Every finding row has its eight cells: no file text closed a cell, row or table.
    findings = page.rows["findings"]
    assert findings and all(len(row) == 8 for row in findings)
    assert all(row[0] == str(path) for row in findings)
    shown = {row[6] for row in findings}
    assert "<script>window.pwned = 1; document.title = 'pwned'</script>" in shown
    assert "example.com, </td></tr></table><b>bold, DIRECT" in shown
    assert any("\\u202e\\u2066reversed" in line for line in shown)
    assert any("\\xff\\xfe" in line for line in shown)


def test_the_seed_file_makes_a_well_formed_page(tmp_path: Path) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("the shared seed files are not here")
    seed = next(p for p in sorted(seeds.iterdir()) if p.suffix == ".txt")
    page, _ = report(seed, tmp_path / "report.html")
    assert page.figures["Files"] == "1"
    assert page.tags.count("script") == 1
    assert all(len(row) == 8 for row in page.rows["findings"])


def _many_findings(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    lines = [f"example{n}.com, {n}, DIRCT\n" for n in range(count)]
    (folder / "ads.txt").write_text("".join(lines), encoding="utf-8")
    return folder


def test_the_finding_table_is_cut_at_the_row_limit_and_says_so(tmp_path: Path) -> None:
    folder = _many_findings(tmp_path, 40)
    page, text = report(folder, "--max-rows", "10", tmp_path / "cut.html")
    assert len(page.rows["findings"]) == 10
    total = len(lint((folder / "ads.txt").read_bytes(), filename="ads.txt"))
    assert total > 40  # each line, and the file as a whole
    assert page.figures["Errors"] == str(total)  # the figures count every finding
    assert f"lists the first 10 of {total} findings" in text and "--max-rows 0" in text
    page, text = report(folder, "--max-rows", "0", tmp_path / "all.html")
    assert len(page.rows["findings"]) == total and 'id="cut"' not in text


def test_the_files_table_lists_the_worst_files_past_the_row_limit(tmp_path: Path) -> None:
    for n in range(6):
        site = tmp_path / "sites" / f"site{n}.example"
        site.mkdir(parents=True)
        line = "example.com, 1, DIRCT\n" if n in (2, 4) else "example.com, 1, DIRECT\n"
        (site / "ads.txt").write_text(line, encoding="utf-8")
    page, text = report(tmp_path / "sites", "--max-rows", "3", tmp_path / "report.html")
    assert page.figures["Files"] == "6"
    assert [row[0].split("/")[-2] for row in page.rows["files"]] == [
        "site2.example",
        "site4.example",
        "site0.example",
    ]
    assert "This table lists 3 of 6 files, those with errors first" in text
    page, text = report(tmp_path / "sites", tmp_path / "all.html")
    assert len(page.rows["files"]) == 6 and 'id="files-cut"' not in text


def test_a_large_file_makes_a_page_of_bounded_size(tmp_path: Path) -> None:
    folder = _many_findings(tmp_path, 20_000)
    page, text = report(folder, tmp_path / "report.html")
    assert len(page.rows["findings"]) == 2000
    assert page.figures["Lines"] == "20,000"
    assert len(text.encode()) < 1_500_000


def test_an_unreadable_file_is_listed_not_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "ads.txt").symlink_to(folder / "gone")
    out = tmp_path / "report.html"
    done = adstxt("report", str(folder), "-o", str(out))
    assert done.returncode == 0
    assert "ads.txt: cannot read it (No such file or directory); listed as unreadable" in (
        done.stderr
    )
    page = Page(out.read_text(encoding="utf-8"))
    assert page.figures["Files: unreadable"] == "1"
    assert page.rows["files"][0][-1] == "unreadable No such file or directory"


def test_sellers_json_files_are_checked_too(tmp_path: Path) -> None:
    folder = tmp_path / "exchange.example"
    folder.mkdir()
    (folder / "sellers.json").write_text('{"sellers": [{"seller_id": "1"}]}', encoding="utf-8")
    page, _ = report(folder, tmp_path / "report.html")
    assert page.figures["Records"] == "1"
    assert any(row[4].startswith("ADS6") for row in page.rows["findings"])


@pytest.mark.parametrize(
    "body",
    [
        b'\xef\xbb\xbf{"version": "1.0", "sellers": [{"seller_id": "1", "seller_type": "PUBLISHER"}]}',
        '{"version": "1.0", "sellers": []}'.encode("utf-16"),
    ],
    ids=["utf-8-bom", "utf-16"],
)
def test_files_are_told_apart_as_adstxt_check_tells_them(tmp_path: Path, body: bytes) -> None:
    # A sellers.json under another name, with a byte order mark or in UTF-16: the report
    # checks it as sellers.json, with the very findings that adstxt check gives.
    path = tmp_path / "sellers-export"
    path.write_bytes(body)
    checked = adstxt("check", "--output-format", "json", str(path))
    expected = sorted({d["code"] for d in json.loads(checked.stdout)})
    assert expected and all(code.startswith("ADS6") for code in expected), expected
    page, _ = report(path, tmp_path / "report.html")
    assert sorted({row[4].split()[0] for row in page.rows["findings"]}) == expected


def test_folders_are_walked_as_adstxt_check_walks_them(tmp_path: Path) -> None:
    for folder in ("site.example", ".hidden", "node_modules/x", "deep/er"):
        (tmp_path / folder).mkdir(parents=True)
        # A finding in every file, so that check's JSON names every file it checked.
        (tmp_path / folder / "ads.txt").write_text("example.com, 1, DIRCT\n", encoding="utf-8")
    (tmp_path / "deep" / "notes.txt").write_text("not looked at\n", encoding="utf-8")
    checked = adstxt("check", "--output-format", "json", str(tmp_path))
    files = sorted({finding["path"] for finding in json.loads(checked.stdout)})
    page, _ = report(tmp_path, tmp_path / "report.html")
    assert sorted(row[0] for row in page.rows["files"]) == files
    assert len(files) == 2


def test_chart_titles_say_one_file_and_one_error(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_text("example..com, 1, DIRECT\n", encoding="utf-8")
    _, text = report(path, tmp_path / "report.html")
    titles = set(re.findall(r"<title>([^<]*)</title>", text))
    assert any(t.endswith(": 1 error") for t in titles), titles
    assert "errors: 1 file" in titles, titles
    assert not any(t.endswith((" 1 errors", " 1 files", " 1 warnings")) for t in titles)


def test_the_report_replaces_its_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    report(SITES, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_command_runs_as_a_process(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = run_process("report", str(SITES), "--audit", str(AUDIT), "-o", str(out))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert Page(out.read_text(encoding="utf-8")).figures["Publishers"] == "4"
    done = run_process("report", str(tmp_path / "nowhere"), "-o", str(out))
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_the_report_can_go_to_standard_output() -> None:
    done = adstxt("report", str(SITES), "-o", "-")
    assert done.returncode == 0 and done.stdout.startswith("<!DOCTYPE html>")


# ---- audits -----------------------------------------------------------------------------------


def test_a_forward_audit_has_coverage_per_line_and_per_publisher(tmp_path: Path) -> None:
    page, _ = report("--audit", AUDIT, tmp_path / "report.html")
    assert page.figures["Publishers"] == "4" and page.figures["Coverage"] == "41.7%"
    assert page.marks["Coverage per expected line"] == 3
    assert page.marks["Publishers by status"] == 3  # complete, incomplete, no-file
    assert [row[4] for row in page.rows["expected"]] == ["25.0%", "50.0%", "50.0%"]
    publishers = {row[0]: row for row in page.rows["publishers"]}
    assert publishers["examplenews.com"][2] == "complete"
    assert publishers["exampleshop.com"][2] == "incomplete"
    assert (
        "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0: missing"
        in (publishers["exampleshop.com"][5])
    )
    # examplegames.com has an app-ads.txt only: this ads.txt audit finds no file.
    assert publishers["examplegames.com"][2] == "no-file"
    assert publishers["www.exampleblog.com"][2] == "no-file"
    assert page.rows["problems"][0][1] == "4"
    assert "Files" not in page.figures  # no check without paths


def test_a_check_and_an_audit_share_one_page(tmp_path: Path) -> None:
    page, _ = report(SITES, "--audit", AUDIT, tmp_path / "report.html")
    assert {"files", "findings", "expected", "publishers"} <= set(page.rows)


REVERSE = {
    "adstxt_audit": 1,
    "kind": "sellers",
    "tool": "adstxt 1.4.0",
    "ad_system": "exchange-one.com",
    "sellers_file": "sellers.json",
    "source": "mirror m",
    "sellers": [
        {"seller_id": "1001", "seller_type": "PUBLISHER", "name": "<b>News</b>",
         "domain": "news.example", "expected": "DIRECT", "status": "listed",
         "failure": False, "message": "line 4 lists it"},
        {"seller_id": "1002", "seller_type": "PUBLISHER", "name": None, "domain": None,
         "expected": None, "status": "confidential", "failure": False, "message": ""},
        {"seller_id": 1003, "seller_type": "INTERMEDIARY", "name": "Mid",
         "domain": "mid.example", "expected": "RESELLER", "status": "not-listed",
         "failure": True, "message": "not listed"},
    ],
    "summary": {"sellers": 3, "checked": 2, "listed": 1, "failures": 1,
                "statuses": {"listed": 1, "not-listed": 1, "confidential": 1, "no-file": 0}},
}  # fmt: skip


def test_a_reverse_audit_lists_every_seller(tmp_path: Path) -> None:
    result = tmp_path / "sellers-audit.json"
    result.write_text(json.dumps(REVERSE), encoding="utf-8")
    page, _ = report("--audit", result, tmp_path / "report.html")
    assert [row[0] for row in page.rows["sellers"]] == ["1001", "1002", "1003"]
    assert page.rows["sellers"][0][2] == "<b>News</b>" and "b" not in page.tags
    assert page.marks["Sellers by status"] == 3
    assert page.figures["Failures"] == "1"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not JSON (line 1, column 2)"),
        (b"\xff\xfe\x00", "not JSON"),
        (b"[1, 2]", "expected a JSON object, found an array"),
        (b'{"kind": "expect"}', "not an 'adstxt audit --output-format json' result"),
        (
            b'{"adstxt_audit": true, "kind": "expect"}',
            "not an 'adstxt audit --output-format json' result",
        ),
        (b'{"adstxt_audit": 1, "kind": "other"}', "/kind: expected 'expect' or 'sellers'"),
        (b'{"adstxt_audit": 1, "kind": "expect", "publishers": {}}', "/publishers: expected"),
        (b'{"adstxt_audit": 1, "kind": "expect", "publishers": [3]}', "/publishers/0: expected"),
        (
            b'{"adstxt_audit": 1, "kind": "expect", "expected": [{"number": "1"}]}',
            "/expected/0/number: expected a number, found a string",
        ),
        (
            b'{"adstxt_audit": 1, "kind": "sellers", "sellers": [{"seller_id": "1"}]}',
            "/sellers/0/status is missing",
        ),
        (
            b'{"adstxt_audit": 1, "kind": "sellers", "summary": {"statuses": {"x": "1"}}}',
            "/summary/statuses/x: expected a number",
        ),
    ],
)
def test_an_audit_result_that_is_not_one_is_refused_with_its_place(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    with pytest.raises(AuditFormatError) as refused:
        parse_audit(data)
    assert str(refused.value).startswith(reason)
    bad = tmp_path / "bad.json"
    bad.write_bytes(data)
    done = adstxt("report", "--audit", str(bad), "-o", str(tmp_path / "r.html"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"adstxt report: --audit: {bad}: {reason}")
    assert "Traceback" not in done.stderr and not (tmp_path / "r.html").exists()


def test_more_keys_are_read_but_a_later_version_is_refused() -> None:
    document = {**REVERSE, "adstxt_audit": 1, "new_key": {"anything": [1]}}
    assert len(parse_audit(json.dumps(document).encode()).sellers) == 3
    for version in (2, 999):
        # Without a kind too: the version is what is wrong, not the kind.
        for later in ({**REVERSE, "adstxt_audit": version}, {"adstxt_audit": version}):
            with pytest.raises(AuditFormatError, match=f"version {version}: .* version 1 only"):
                parse_audit(json.dumps(later).encode())


def test_deeply_nested_json_is_not_called_invalid() -> None:
    with pytest.raises(AuditFormatError, match="nested too deeply"):
        parse_audit(b"[" * 5000 + b"]" * 5000)


# ---- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give files or folders to check, --audit RESULT.json, --store S"),
        (["nowhere/ads.txt"], "nowhere/ads.txt: no such file or folder"),
        (["docs/reference"], "no ads.txt, app-ads.txt or sellers.json file found under"),
        (["--audit", "nowhere.json"], "--audit: cannot read nowhere.json: No such file"),
        ([str(SITES), "--max-rows", "-1"], "expected 0 (no limit) or more, not -1"),
        ([str(SITES), "--max-rows", "many"], "expected a whole number, not 'many'"),
    ],
)
def test_usage_and_input_errors_are_one_line_and_status_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = adstxt("report", *args, "-o", str(tmp_path / "r.html"))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "r.html").exists()


def test_an_output_that_cannot_be_written_is_status_2(tmp_path: Path) -> None:
    done = adstxt("report", str(SITES), "-o", str(tmp_path / "no" / "such" / "r.html"))
    assert done.returncode == 2
    assert done.stderr.startswith("adstxt report: cannot write ") and "Traceback" not in done.stderr


def test_the_output_option_is_required() -> None:
    done = adstxt("report", str(SITES))
    assert done.returncode == 2 and "-o/--output" in done.stderr


def test_a_bad_configuration_file_is_status_2(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "ads.txt").write_text("google.com, pub-1, DIRECT\n", encoding="utf-8")
    (folder / ".adstxt.toml").write_text("select = [", encoding="utf-8")
    done = adstxt("report", str(folder), "-o", str(tmp_path / "r.html"))
    assert done.returncode == 2 and ".adstxt.toml" in done.stderr
    assert os.listdir(tmp_path) == ["site"]


# Written by 'adstxt audit --output-format json' from the audit guide's example (a forward
# audit of examples/audit and the reverse audit of exchange-one.com), version 1.
WRITTEN = ROOT / "tests" / "data" / "report"


@pytest.mark.parametrize("name", ["audit-expect.json", "audit-sellers.json"])
def test_results_written_by_adstxt_audit_are_drawn_whole(tmp_path: Path, name: str) -> None:
    document = json.loads((WRITTEN / name).read_text(encoding="utf-8"))
    page, _ = report("--audit", WRITTEN / name, tmp_path / "report.html")
    statuses = document["summary"]["statuses"]
    what = "Publishers" if document["kind"] == "expect" else "Sellers"
    assert page.marks[f"{what} by status"] == sum(1 for n in statuses.values() if n)
    assert len(page.rows["problems"] if document["input_problems"] else []) == len(
        document["input_problems"]
    )
    if document["kind"] == "expect":
        assert page.marks["Coverage per expected line"] == sum(
            1 for line in document["expected"] if line["coverage"] > 0
        )
        assert len(page.rows["expected"]) == len(document["expected"])
        rows = {row[0]: row for row in page.rows["publishers"]}
        assert len(rows) == len(document["publishers"])
        # A publisher whose file was not compared says why.
        for publisher in document["publishers"]:
            if publisher["status"] in ("no-file", "invalid-file", "unusable"):
                assert rows[publisher["publisher"]][5], publisher["publisher"]
    else:
        assert [row[0] for row in page.rows["sellers"]] == [
            seller["seller_id"] for seller in document["sellers"]
        ]
