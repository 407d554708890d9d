"""The cross-check rules' pages show a real run: the command they print, run in a directory
holding the example files, reports exactly the output the page shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from adstxt._rulesdoc import render_rule
from adstxt.rules import RULES
from tests.cli import run

CROSS_CHECKS = [code for code, rule in RULES.items() if rule.sellers_json]


def test_every_cross_check_rule_has_sellers_json_examples() -> None:
    assert [f"ADS7{n:02d}" for n in range(1, 13)] == CROSS_CHECKS


@pytest.mark.parametrize("code", CROSS_CHECKS)
def test_the_page_shows_what_its_command_reports(code: str, tmp_path: Path) -> None:
    rule = RULES[code]
    page = render_rule(rule)
    found = re.search(r"What `adstxt-check ([^`]*)`.*? reports:\n\n```text\n(.*?)\n```", page, re.S)
    assert found is not None, page
    command, shown = shlex.split(found.group(1)), found.group(2)
    assert "--sellers-json" in command
    assert f"[{code}]" in shown  # the example is a real finding of this rule
    (tmp_path / "sellers").mkdir()
    for ad_system, document in rule.sellers_json:
        (tmp_path / "sellers" / f"{ad_system}.json").write_bytes(document)
    (tmp_path / rule.filename).write_bytes(rule.bad)
    result = run(*command, "--isolated", cwd=tmp_path)
    output = result.stdout.rsplit("\n\nChecked ", 1)[0].rstrip()
    assert output == shown


def test_ads504_says_what_a_404_means() -> None:
    text = RULES["ADS504"].explanation
    assert "no declarations exist" in text and "declares no authorized sellers" not in text
