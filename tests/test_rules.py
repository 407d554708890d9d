"""The rule registry and its documentation: every example does what its page says."""

from __future__ import annotations

import re

import pytest

import adstxt
import adstxt.schain
import adstxt.sellers
from adstxt._rulesdoc import render_coverage, render_index, render_rule
from adstxt.rules import FAMILIES, HTTP_EXCHANGE, RULES, Rule
from adstxt.rules._rule import CATEGORIES
from adstxt.rules.supply_chains import SCHAIN_INPUT
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "rules"


def _diagnose(example: bytes, rule: Rule) -> list[adstxt.Diagnostic]:
    """What checking one of a rule's examples reports, by the kind of file it is."""
    if rule.filename == HTTP_EXCHANGE:
        from tests.fetch_replay import replay  # fetch rules: served by real local servers

        return replay(example)
    if rule.filename == SCHAIN_INPUT:
        return list(adstxt.schain.check(example).diagnostics)
    if rule.filename == "sellers.json":
        return list(adstxt.sellers.parse(example, filename=rule.filename).diagnostics)
    found = adstxt.lint(example, filename=rule.filename, domain=rule.domain)
    if rule.sellers_json:
        result = adstxt.parse(example, filename=rule.filename, domain=rule.domain)
        found += adstxt.sellers.cross_check(result, dict(rule.sellers_json), domain=rule.domain)
    return found


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_failing_example_yields_exactly_its_code(rule: Rule) -> None:
    codes = {d.code for d in _diagnose(rule.bad, rule)}
    assert codes == {rule.code, *rule.also}


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_passing_example_is_clean(rule: Rule) -> None:
    diagnostics = _diagnose(rule.good, rule)
    assert [d for d in diagnostics if d.code == rule.code] == []
    assert [d for d in diagnostics if d.severity is not adstxt.Severity.INFO] == []


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_fix_kind_matches_what_is_offered(rule: Rule) -> None:
    fixes = [d.fix for d in _diagnose(rule.bad, rule) if d.code == rule.code]
    offered = [f for f in fixes if f is not None]
    if rule.fix == "none":
        assert offered == []
    else:
        assert offered, f"{rule.code} promises a {rule.fix} fix but its example has none"
        assert any(f.safe == (rule.fix == "safe") for f in offered)


def test_codes_and_names_are_well_formed_and_unique() -> None:
    names = [r.name for r in RULES.values()]
    assert len(set(names)) == len(names)
    for code, rule in RULES.items():
        assert code == rule.code
        assert re.fullmatch(r"ADS[0-9]{3}", code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert rule.summary.endswith(".")


def test_each_rule_lives_in_the_module_of_its_family() -> None:
    # The first digit of a code names the module: ADS215 is in adstxt.rules.record_fields.
    placed = [rule for family in FAMILIES.values() for rule in family.RULES]
    assert sorted(rule.code for rule in placed) == list(RULES)
    for digit, family in FAMILIES.items():
        codes = [rule.code for rule in family.RULES]
        assert codes == sorted(codes), family.__name__
        assert all(code[3] == digit for code in codes), family.__name__
        assert family.RULES[0].category == CATEGORIES[digit]


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.code)
def test_rule_page_is_current(rule: Rule) -> None:
    page = DOCS / f"{rule.code}.md"
    assert page.exists(), "run: python -m adstxt._rulesdoc docs/rules"
    assert page.read_text(encoding="utf-8") == render_rule(rule)


def test_rule_index_is_current() -> None:
    assert (DOCS / "index.md").read_text(encoding="utf-8") == render_index()
    assert sorted(p.stem for p in DOCS.glob("ADS*.md")) == sorted(RULES)


def test_spec_coverage_page_is_current() -> None:
    page = DOCS / "spec-coverage.md"
    assert page.read_text(encoding="utf-8") == render_coverage(), (
        "run: python -m adstxt._rulesdoc docs/rules"
    )
