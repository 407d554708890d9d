"""ADS222 compares field 4 with IDs observed in surveyed files: the message gives the
evidence, the severity follows its strength, and a sellers.json TAG-ID (ADS708) settles the
field instead of it."""

from __future__ import annotations

import csv

import pytest

import adstxt
from adstxt import _known
from adstxt._lint import lint
from adstxt._settings import Settings
from adstxt.diagnostics import Severity
from adstxt.sellers import MappingSource
from tests.conftest import ROOT

DATA = ROOT / "src" / "adstxt" / "data"


def _ads222(line: str) -> adstxt.Diagnostic:
    (found,) = [d for d in adstxt.check(line + "\n") if d.code == "ADS222"]
    return found


def test_the_evidence_table_covers_every_ad_system_of_the_id_table() -> None:
    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader((DATA / name).read_text(encoding="utf-8").splitlines()))

    ids = {row["domain"] for row in rows("certification_ids.csv")}
    evidence = rows("certification_evidence.csv")
    assert {row["domain"] for row in evidence} == ids
    for row in evidence:
        files, total = int(row["files_agreeing"]), int(row["files_with_an_id"])
        assert 0 <= files <= total and int(row["repos_agreeing"]) <= files
        assert row["corpus"].startswith("shared/corpus/real")
        if total:
            assert abs(float(row["agreement"]) - files / total) < 0.001
        else:  # a row taken from the spec digest alone, never seen in the survey
            assert row["agreement"] == ""
            assert row["domain"] not in _known.certification_ids().checked
    assert "certification_evidence.csv" in (DATA / "SOURCES.md").read_text(encoding="utf-8")


def test_a_strongly_observed_id_warns_and_says_how_it_was_observed() -> None:
    found = _ads222("openx.com, 1, RESELLER, 6e698e2ec38604c6")
    evidence = _known.certification_ids().evidence["openx.com"]
    assert evidence.strong and found.severity is Severity.WARNING
    assert found.message == (
        f"'6e698e2ec38604c6' is not the certification ID observed for openx.com: "
        f"'6a698e2ec38604c6' in {evidence.files} of the {evidence.files_with_an_id} surveyed "
        f"files that give it one ({evidence.repos} repositories)"
    )
    assert "published" not in found.message
    assert found.fix is not None and found.fix.replacement == "6a698e2ec38604c6"


@pytest.mark.parametrize(
    ("line", "why"),
    [
        # Tier B in the digest, 8 repositories in the survey.
        ("adwmg.com, 2, DIRECT, 0123456789abcdef", "medium"),
        # Tier A in the digest, but 9 repositories in the survey.
        ("adtech.com, 4, DIRECT, 0123456789abcdef", "few repositories"),
        # Tier C, and another ID is as frequent: only 3 of 6 files agree.
        ("brightcom.com, 3, DIRECT, 6a698e2ec38604c6", "tie"),
    ],
)
def test_weaker_evidence_is_information_without_a_rewrite(line: str, why: str) -> None:
    found = _ads222(line)
    assert found.severity is Severity.INFO, why
    assert found.fix is None  # no rewrite to a weakly observed ID that is not one edit away


def test_a_weak_id_one_edit_away_still_offers_the_fix() -> None:
    # Tier C: info, but a one-character slip of the observed ID is worth a suggestion.
    (row,) = [
        r
        for r in csv.DictReader(
            (DATA / "certification_ids.csv").read_text(encoding="utf-8").splitlines()
        )
        if r["domain"] == "adpushup.com"
    ]
    cert = row["certification_id"]
    slip = cert[:-1] + ("0" if cert[-1] != "0" else "1")
    found = _ads222(f"adpushup.com, 5, DIRECT, {slip}")
    assert found.severity is Severity.INFO
    assert found.fix is not None and found.fix.replacement == cert


def test_ambiguous_ad_systems_are_not_checked() -> None:
    assert not [
        d for d in adstxt.check("criteo.com, 1, DIRECT, 0123456789abcdef\n") if d.code == "ADS222"
    ]


SELLERS = (
    b'{"version": "1.0", "identifiers": [{"name": "TAG-ID", "value": "%s"}], '
    b'"sellers": [{"seller_id": "1", "seller_type": "INTERMEDIARY", "name": "X", '
    b'"domain": "x.com"}]}'
)


def test_the_sellers_json_tag_id_stands_in_for_the_observed_ids() -> None:
    line = b"openx.com, 1, RESELLER, 6e698e2ec38604c6\n"
    assert [d.code for d in lint(line)] == ["ADS222"]
    # The ad system's file gives another TAG-ID: one report, from sellers.json.
    differing = MappingSource({"openx.com": SELLERS % b"6a698e2ec38604c6"})
    assert [d.code for d in lint(line, sellers=differing)] == ["ADS708"]
    # The ad system's file agrees with field 4: the observed IDs are out of date, no report.
    agreeing = MappingSource({"openx.com": SELLERS % b"6e698e2ec38604c6"})
    assert lint(line, sellers=agreeing) == []
    # With ADS708 turned off, the differing field is still reported, by ADS222.
    quiet = Settings(ignore=("ADS708",))
    assert [d.code for d in lint(line, sellers=differing, settings=quiet)] == ["ADS222"]
    assert lint(line, sellers=agreeing, settings=quiet) == []
