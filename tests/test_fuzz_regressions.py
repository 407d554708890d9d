"""Inputs the fuzzer (fuzz/run.py) or the property tests once broke, replayed on every target."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "fuzz"))
from fuzz_targets import TARGETS

CASES = sorted((Path(__file__).parent / "fuzz_regressions").iterdir())


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_regression(case: Path, target: str) -> None:
    TARGETS[target](case.read_bytes())
