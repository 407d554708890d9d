"""The documentation: generated pages are current, the site builds, and a browser shows it.

The build needs the ``docs`` extra (``pip install -e '.[docs]'``) and the browser check a
Chromium binary; each test skips cleanly when its tool is missing.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adstxt import _clidoc
from adstxt._report import FileReport, Style, render
from adstxt._rulesdoc import render_coverage
from adstxt._speccoverage import CLAUSES, Clause, coverage
from adstxt.diagnostics import Diagnostic, Severity
from adstxt.rules import RULES, Rule
from tests.conftest import ROOT

DOCS = ROOT / "docs"


# ---- generated pages ------------------------------------------------------------------------


def test_cli_reference_is_current() -> None:
    for name, text in _clidoc.render_all().items():
        page = DOCS / "reference" / name
        assert page.read_text(encoding="utf-8") == text, (
            "run: python -m adstxt._clidoc docs/reference"
        )


def test_cli_reference_lists_every_option_of_the_parser() -> None:
    from adstxt.cli import _parser

    page = (DOCS / "reference" / "adstxt-check.md").read_text(encoding="utf-8")
    for action in _parser()._actions:
        for option in action.option_strings:
            assert f"`{option}" in page, option


def _rule(code: str, spec: str) -> Rule:
    return Rule(
        code=code,
        name=f"rule-{code.lower()}",
        severity=Severity.WARNING,
        summary="A test rule.",
        explanation="Why.",
        spec=spec,
        bad=b"",
        good=b"",
    )


def test_a_new_rule_lands_on_its_clause_without_editing_the_clause_list() -> None:
    rules = {
        **RULES,
        "ADS591": _rule("ADS591", "ads.txt 1.1 section 3.1 (redirects)"),
        "ADS592": _rule("ADS592", "sellers.json 1.0 section 9.9"),
        "ADS593": _rule("ADS593", "common mistakes observed in real files"),
    }
    cov = coverage(rules=rules)
    redirects = next(c for c in CLAUSES if "Redirects" in c.requirement)
    assert "ADS591" in cov.codes_for(redirects)
    assert cov.unplaced["sellers.json 1.0"] == ("ADS592",)
    assert all("ADS593" not in codes for _, codes in cov.clauses)


def test_every_hand_placed_code_is_a_rule() -> None:
    for clause in CLAUSES:
        assert set(clause.codes) <= set(RULES), clause.requirement


def test_coverage_is_honest_about_clauses_nobody_enforces() -> None:
    cov = coverage()
    nobody = [c for c, codes in cov.clauses if not codes and not c.note]
    assert nobody, "some clauses are not enforced by any rule yet"
    page = render_coverage()
    for clause in nobody:
        row = next(line for line in page.splitlines() if clause.requirement in line)
        assert "Not enforced yet" in row or "Nothing to check" in row, row
    seller_row = next(line for line in page.splitlines() if "seller_id' and" in line)
    assert "[ADS612](ADS612.md)" in seller_row
    # Every rule appears in the page: on a clause, as unplaced, or beyond the specifications.
    for code in RULES:
        assert f"[{code}]({code}.md)" in page, code


def test_clause_with_codes_renders_links() -> None:
    clause = Clause("ads.txt 1.1", "3.3", "Field 3.", codes=("ADS210",))
    cov = coverage(clauses=(clause,))
    assert cov.codes_for(clause)[0] == "ADS210"


# ---- the built site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    """The site built from docs/ with warnings as errors, in a temporary directory."""
    for module in ("sphinx", "furo", "myst_parser"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: pip install -e '.[docs]'")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "html"
        build = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-W",
                "--keep-going",
                "-q",
                "-b",
                "html",
                "-d",
                str(Path(tmp) / "doctrees"),
                str(DOCS),
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert build.returncode == 0, build.stdout + build.stderr
        yield out


def test_site_has_a_page_per_rule_and_every_guide(site: Path) -> None:
    for code in RULES:
        assert (site / "rules" / f"{code}.html").is_file(), code
    for page in (
        "index",
        "getting-started",
        "cli",
        "configuration",
        "pre-commit",
        "github-actions",
        "examples",
        "api",
        "changelog",
        "releasing",
        "architecture",
        "reference/adstxt-check",
        "rules/index",
        "rules/spec-coverage",
    ):
        assert (site / f"{page}.html").is_file(), page


def test_sarif_help_links_name_pages_of_the_built_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = "https://docs.example.org/adstxt/"
    monkeypatch.setenv("ADSTXT_DOCS_URL", base)
    fired = [
        Diagnostic(code=code, severity=Severity.INFO, line=1, column=1, end_column=1, message="x")
        for code in RULES
    ]
    log = json.loads(render([FileReport("ads.txt", fired)], "sarif", Style()))
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"].startswith(base)
        assert (site / rule["helpUri"].removeprefix(base)).is_file(), rule["helpUri"]


def test_api_reference_is_generated_from_docstrings(site: Path) -> None:
    html = (site / "api.html").read_text(encoding="utf-8")
    assert 'id="adstxt.parse"' in html and 'id="adstxt.Record"' in html
    assert "Never raises on bad content" in html  # from parse()'s docstring


# ---- the site as a reader sees it -----------------------------------------------------------

_CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)


class _Page(HTMLParser):
    """The parts of a rendered page a reader looks at first."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.h1 = ""
        self.pre: list[str] = []
        self.nav: list[str] = []
        self._in: list[str] = []
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("title", "h1", "pre"):
            self._in.append(tag)
            if tag == "pre":
                self.pre.append("")
        if "sidebar-tree" in classes:
            self._nav_depth = 1
        elif self._nav_depth and tag in ("div", "ul", "li"):
            self._nav_depth += 1
        if self._nav_depth and tag == "a":
            self.nav.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if self._nav_depth and tag in ("div", "ul", "li"):
            self._nav_depth -= 1

    def handle_data(self, data: str) -> None:
        if "title" in self._in and not self.title:
            self.title = data.strip()
        elif "h1" in self._in:
            self.h1 += data
        elif "pre" in self._in:
            self.pre[-1] += data


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, as a reader's browser fetches it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _render(url: str) -> _Page:
    """The DOM of ``url`` after headless Chromium loaded it and ran its scripts."""
    if _CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                _CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    page = _Page()
    page.feed(result.stdout)
    return page


def test_home_page_in_a_browser(served: str) -> None:
    page = _render(f"{served}/index.html")
    assert page.title.startswith("adstxt")
    assert page.h1.strip().rstrip("#¶ ") == "adstxt"
    assert any("adstxt-check public/ads.txt" in block for block in page.pre)
    for target in (
        "getting-started.html",
        "reference/adstxt-check.html",
        "rules/index.html",
        "rules/spec-coverage.html",
        "github-actions.html",
        "api.html",
    ):
        assert target in page.nav, (target, page.nav)


def test_rule_page_in_a_browser(served: str) -> None:
    page = _render(f"{served}/rules/ADS210.html")
    assert page.title.startswith("ADS210 invalid-relationship")
    assert page.h1.strip().rstrip("#¶ ") == "ADS210 invalid-relationship"
    failing, output, passing = page.pre[:3]
    assert "DIRCT" in failing
    assert "error[ADS210] invalid-relationship" in output and "^^^^^" in output
    assert "DIRECT" in passing and "DIRCT" not in passing
    # The navigation lists the neighbouring rules and leads back to the guides.
    assert "ADS211.html" in page.nav and "../getting-started.html" in page.nav
