"""The canonical "this is not an ads.txt file" case: one valid record, then an article."""

from __future__ import annotations

from pathlib import Path

import pytest

import adstxt
from tests.conftest import DATA, shared_path


def _seed_files() -> list[Path]:
    return [DATA / "prose_after_record.txt"]


@pytest.mark.parametrize("path", _seed_files(), ids=lambda p: p.name)
def test_prose_after_one_record(path: Path) -> None:
    result = adstxt.parse(path.read_bytes(), filename="ads.txt")
    assert [
        (r.line, r.domain, r.account_id, r.certification_authority_id) for r in result.records
    ] == [(1, "mgid.com", "749656", "d4c29acad76ce94f")]
    # The record's certification ID is mgid.com's published one: no field diagnostic on line 1.
    assert [d.code for d in result.diagnostics if d.line == 1] == ["ADS004"]
    file_level = next(d for d in result.diagnostics if d.code == "ADS004")
    assert "prose" in file_level.message
    assert (file_level.line, file_level.column) == (1, 1)
    text_lines = path.read_text(encoding="utf-8").split("\n")
    article = {n for n, text in enumerate(text_lines, start=1) if text.strip("\u00a0 ") and n > 1}
    reported = {d.line for d in result.diagnostics if d.code == "ADS101"}
    assert reported == article
    nbsp = [d for d in result.diagnostics if d.code == "ADS010"]
    assert [(d.line, d.column) for d in nbsp] == [(5, 1)]
    assert not result.ok


def test_the_original_seed_sample() -> None:
    seeds = shared_path("seeds")
    path = next(p for p in sorted(seeds.iterdir()) if p.suffix == ".txt")
    data = path.read_bytes()
    result = adstxt.parse(data)
    assert len(result.records) == 1
    record = result.records[0]
    assert (record.line, record.domain, record.relationship) == (
        1,
        "mgid.com",
        adstxt.Relationship.DIRECT,
    )
    assert record.certification_authority_id == "d4c29acad76ce94f"
    assert [d.code for d in result.diagnostics if d.line == 1] == ["ADS004"]
    lines = data.decode("utf-8").split("\n")
    for diagnostic in result.diagnostics:
        if diagnostic.code == "ADS101":
            # Every unrecognized line really holds text, and the column points at it.
            text = lines[diagnostic.line - 1]
            assert text.strip()
            assert diagnostic.column == len(text) - len(text.lstrip()) + 1
    assert {d.line for d in result.diagnostics if d.code == "ADS101"} == {
        n for n, text in enumerate(lines, start=1) if n > 1 and text.strip(" \u00a0")
    }
