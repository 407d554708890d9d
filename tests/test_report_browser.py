"""``adstxt report`` pages in a real headless Chromium: no console errors, the charts' marks,
sorting and filtering by click and typing, the page with JavaScript off, printing, hostile
file content, and the screenshot kept in the docs.

Each test skips when Chromium is not installed. To renew ``docs/_static/report.png`` after
a change to the page, run this module with ``ADSTXT_UPDATE_SCREENSHOT=1``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import zlib
from pathlib import Path

import pytest

from adstxt.report import Report, check_paths, find_files, render
from adstxt.report._audit import read_audit
from tests.chromium import Browser, require_chromium
from tests.cli import adstxt
from tests.conftest import ROOT
from tests.test_report import hostile_site

SCREENSHOT = ROOT / "docs" / "_static" / "report.png"
_KEY = b"adstxt-report-sha256"

pytestmark = pytest.mark.usefixtures("chromium")


@pytest.fixture
def chromium() -> str:
    return require_chromium()


def _write(tmp_path: Path, *args: str | Path) -> str:
    out = tmp_path / "report.html"
    done = adstxt("report", *map(str, args), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out.as_uri()


def _example_page(tmp_path: Path) -> str:
    return _write(tmp_path, "examples/data/sites", "--audit", "examples/data/audit-result.json")


def _marks(browser: Browser, label: str) -> int:
    count: int = browser.evaluate(
        f"document.querySelector('svg[aria-label=\"{label}\"]').querySelectorAll('rect.mark')"
        ".length"
    )
    return count


def _column(browser: Browser, table: str, index: int) -> list[str]:
    values: list[str] = browser.evaluate(
        f"Array.from(document.querySelectorAll('#{table} tbody tr'))"
        f".filter(r => !r.hidden).map(r => r.cells[{index}].textContent.trim())"
    )
    return values


def test_the_report_renders_without_errors_and_draws_its_marks(tmp_path: Path) -> None:
    url = _example_page(tmp_path)
    with Browser() as browser:
        browser.open(url)
        assert browser.evaluate("document.title") == "ads.txt report"
        assert _marks(browser, "Findings by rule and severity") == 4
        assert _marks(browser, "Files by verdict") == 3
        assert _marks(browser, "Coverage per expected line") == 3
        assert _marks(browser, "Publishers by status") == 3
        # The marks are drawn: each has a width, and the longest bar is the largest count.
        widths = browser.evaluate(
            "Array.from(document.querySelectorAll("
            "'svg[aria-label=\"Findings by rule and severity\"] rect.mark'))"
            ".map(r => r.getBoundingClientRect().width)"
        )
        assert all(width > 0 for width in widths) and widths[0] == max(widths)
        # The filter boxes are shown once the script runs.
        assert browser.evaluate("document.getElementById('findings-tools').hidden") is False
        assert browser.errors == []


def test_a_click_on_a_header_sorts_and_typing_filters(tmp_path: Path) -> None:
    url = _example_page(tmp_path)
    with Browser() as browser:
        browser.open(url)
        assert _column(browser, "findings", 1) == ["3", "4", "2", "3", "4"]
        browser.click("#findings thead th:nth-child(2) button")
        assert _column(browser, "findings", 1) == ["2", "3", "3", "4", "4"]
        assert (
            browser.evaluate(
                "document.querySelector('#findings thead th:nth-child(2)').getAttribute('aria-sort')"
            )
            == "ascending"
        )
        browser.click("#findings thead th:nth-child(2) button")
        assert _column(browser, "findings", 1) == ["4", "4", "3", "3", "2"]
        # Numbers sort as numbers, text as text.
        browser.click("#files thead th:nth-child(3) button")
        assert _column(browser, "files", 2) == ["2", "3", "4"]
        browser.type("#findings-tools input", "DIRCT")
        assert _column(browser, "findings", 4) == ["ADS210 invalid-relationship"] * 2
        assert (
            browser.evaluate("document.querySelector('#findings-tools .count').textContent")
            == "2 of 5 rows"
        )
        browser.type("#publishers-tools input", "no-file")
        assert _column(browser, "publishers", 0) == ["examplegames.com", "www.exampleblog.com"]
        assert browser.errors == []


def test_with_javascript_off_every_table_is_complete(tmp_path: Path) -> None:
    url = _example_page(tmp_path)
    with Browser(javascript=False) as browser:
        browser.open(url)
        rows = browser.evaluate(
            "Object.fromEntries(Array.from(document.querySelectorAll('table.data'))"
            ".map(t => [t.id, t.tBodies[0].rows.length]))"
        )
        assert rows == {
            "files": 3,
            "rules": 4,
            "findings": 5,
            "problems": 1,
            "expected": 3,
            "publishers": 4,
        }
        # No sort buttons and no filter box that would do nothing; the charts are still there.
        assert browser.evaluate("document.querySelectorAll('th button').length") == 0
        assert (
            browser.evaluate("getComputedStyle(document.getElementById('findings-tools')).display")
            == "none"
        )
        assert _marks(browser, "Findings by rule and severity") == 4


def test_the_report_prints_without_its_controls(tmp_path: Path) -> None:
    url = _example_page(tmp_path)
    with Browser() as browser:
        browser.open(url)
        browser.call("Emulation.setEmulatedMedia", {"media": "print"})
        assert (
            browser.evaluate("getComputedStyle(document.getElementById('findings-tools')).display")
            == "none"
        )
        pdf = base64.b64decode(browser.call("Page.printToPDF", {})["data"])
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        assert browser.errors == []


def test_hostile_file_content_runs_nothing_and_breaks_nothing(tmp_path: Path) -> None:
    url = _write(tmp_path, hostile_site(tmp_path).parent)
    with Browser() as browser:
        browser.open(url)
        assert browser.evaluate("document.title") == "ads.txt report"
        assert browser.evaluate("typeof window.pwned") == "undefined"
        assert browser.evaluate("document.querySelectorAll('img, b').length") == 0
        assert browser.evaluate(
            "Array.from(document.querySelectorAll('#findings tbody tr'))"
            ".every(r => r.cells.length === 8)"
        )
        text = browser.evaluate("document.body.innerText")
        assert "\u202e" not in text and "<script>window.pwned = 1;" in text
        # A blocked script would be a console error (the page's policy refuses it).
        assert browser.errors == []


# ---- the screenshot in the docs ------------------------------------------------------------


def example_html() -> str:
    """The page the docs' screenshot shows, as this version of adstxt writes it."""
    cwd = os.getcwd()
    os.chdir(ROOT)  # the page names the files by the relative paths given
    try:
        report = Report(title="ads.txt report", row_limit=5000)
        report.check = check_paths(find_files(["examples/data/sites"]), row_limit=5000)
        report.audit = read_audit("examples/data/audit-result.json")
        return render(report)
    finally:
        os.chdir(cwd)


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    chunks = []
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        chunks.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _with_text(png: bytes, key: bytes, value: bytes) -> bytes:
    """``png`` with a tEXt chunk ``key``: ``value`` after its header chunk."""
    body = key + b"\0" + value
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body))
    header_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    return png[:header_end] + chunk + png[header_end:]


def test_the_docs_screenshot_shows_the_current_page(tmp_path: Path) -> None:
    page = example_html()
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest().encode()
    if os.environ.get("ADSTXT_UPDATE_SCREENSHOT") == "1":
        html = tmp_path / "report.html"
        html.write_text(page, encoding="utf-8")
        with Browser(width=1280, height=2700) as browser:
            browser.open(html.as_uri())
            png = browser.screenshot(tmp_path / "shot.png")
            assert browser.errors == []
        SCREENSHOT.write_bytes(_with_text(png, _KEY, digest))
    png = SCREENSHOT.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    texts = dict(
        body.split(b"\0", 1) for kind, body in _chunks(png) if kind == b"tEXt" and b"\0" in body
    )
    assert texts.get(_KEY) == digest, (
        "the report page changed: renew the screenshot with "
        "ADSTXT_UPDATE_SCREENSHOT=1 pytest tests/test_report_browser.py -k screenshot"
    )
    width, height = struct.unpack(">II", _chunks(png)[0][1][:8])
    assert (width, height) == (1280, 2700)
