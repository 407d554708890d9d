"""The compiled checker and the interpreted one give the same results.

Installs that can build it run ``adstxt._engine_native``, ``adstxt._engine`` compiled with
mypyc. Both are shipped and either may run (``ADSTXT_PURE_PYTHON=1`` selects the interpreted
one), so every outcome must be the same from both, and a compiled module must never run in
place of a source it was not built from.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt import _api, _engine, _engine_choice
from tests.conftest import shared_path
from tests.property.strategies import SETTINGS, adstxt_like_text
from tests.property.test_paths import _LINES

ROOT = Path(__file__).resolve().parents[1]
COMPILED = _engine_choice.ENGINE.startswith("compiled")
needs_compiled = pytest.mark.skipif(
    not COMPILED, reason=f"the checker runs {_engine_choice.ENGINE} in this install"
)


def _outcome(engine_class: type[_engine.Engine], source: str | bytes, kind: str) -> tuple:
    engine, text = _api._run(
        source, None, kind, None, keep_records=True, engine_class=engine_class  # type: ignore[arg-type]
    )
    return (
        [(record, record.line) for record in engine.records],
        engine.variables,
        engine.comments,
        sorted(engine.diagnostics, key=adstxt.Diagnostic.sort_key),
        engine.line_count,
        engine.record_count,
        engine.not_ads_txt,
        text.document,
        text.encoding,
    )


def _assert_same(source: str | bytes, kind: str = "ads.txt") -> None:
    interpreted = _outcome(_engine.Engine, source, kind)
    compiled = _outcome(_engine_choice.Engine, source, kind)
    assert compiled == interpreted


def test_the_interpreted_engine_is_the_source() -> None:
    assert _engine.Engine.__module__ == "adstxt._engine"
    if COMPILED:
        assert _engine_choice.Engine.__module__ == "adstxt._engine_native"
    else:
        assert _engine_choice.Engine is _engine.Engine


def test_version_says_how_the_checker_runs() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ADSTXT_PURE_PYTHON"}
    default = subprocess.run(
        [sys.executable, "-m", "adstxt.cli", "--version"], env=env,
        capture_output=True, text=True, check=True,
    ).stdout
    assert re.search(r"^checker: (compiled \(mypyc\)|interpreted \(.+\))$", default, re.M)
    pure = subprocess.run(
        [sys.executable, "-m", "adstxt.cli", "--version"], env={**env, "ADSTXT_PURE_PYTHON": "1"},
        capture_output=True, text=True, check=True,
    ).stdout
    assert "checker: interpreted (ADSTXT_PURE_PYTHON is set)" in pure


@needs_compiled
@SETTINGS
@given(st.lists(st.one_of(_LINES, adstxt_like_text), max_size=40), st.sampled_from(["\n", "\r\n"]))
def test_engines_agree_on_any_text(lines: list[str], ending: str) -> None:
    text = ending.join(lines)
    _assert_same(text)
    _assert_same(text.encode("utf-8", "surrogatepass"), "app-ads.txt")


@needs_compiled
@pytest.mark.parametrize("dirty", [False, True], ids=["clean", "dirty"])
def test_engines_agree_on_a_generated_file(dirty: bool) -> None:
    _assert_same(_generated(20_000, dirty))


def _generated(lines: int, dirty: bool) -> bytes:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    data: bytes = generate.generate(lines, dirty=dirty, pool=2_000)  # many repeats, conflicts
    return data


@needs_compiled
@pytest.mark.parametrize("keep_records", [True, False])
def test_engines_agree_with_bounded_seller_memory(keep_records: bool) -> None:
    # As adstxt.iter_parse runs them: batches, and fewer sellers remembered than there are.
    lines = _generated(20_000, dirty=True).decode().splitlines()
    outcomes = []
    for engine_class in (_engine.Engine, _engine_choice.Engine):
        engine = engine_class(keep_records=keep_records, max_sellers=300)
        for start in range(0, len(lines), 997):
            engine.feed(lines[start : start + 997])
        engine.finish()
        outcomes.append((
            [(record, record.line) for record in engine.records], engine.variables,
            sorted(engine.diagnostics, key=adstxt.Diagnostic.sort_key),
        ))
    assert outcomes[0] == outcomes[1]
    assert any(d.code == "ADS401" for d in outcomes[0][2])


@needs_compiled
def test_engines_agree_on_the_examples_and_the_corpus() -> None:
    files = sorted((ROOT / "examples").rglob("*.txt"))
    corpus = shared_path("corpus", "real")
    if corpus.is_dir():
        files += sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix != ".tsv")
    assert files
    for path in files:
        _assert_same(path.read_bytes(), "app-ads.txt" if "app-ads" in path.name else "ads.txt")


@needs_compiled
@pytest.mark.parametrize(
    ("edited", "stale"),
    [("_engine.py", True), ("_domains.py", True), ("sellers/_fields.py", True),
     ("data/SOURCES.md", False)],
)
def test_a_compiled_engine_never_stands_in_for_other_sources(
    tmp_path: Path, edited: str, stale: bool
) -> None:
    # mypyc builds facts about other modules into the engine (the fields of _domains.Finding,
    # say), so an edit to any module of the package makes it stale; other files do not.
    package = tmp_path / "adstxt"
    shutil.copytree(Path(adstxt.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))

    def engine_of_copy() -> str:
        env = {k: v for k, v in os.environ.items() if k != "ADSTXT_PURE_PYTHON"}
        return subprocess.run(
            [sys.executable, "-c", "from adstxt._engine_choice import ENGINE; print(ENGINE)"],
            env={**env, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path,
            capture_output=True, text=True, check=True,
        ).stdout.strip()

    assert engine_of_copy() == "compiled (mypyc)"
    with (package / edited).open("a") as source:
        source.write("\n# an edit made after the build\n")
    assert engine_of_copy() == (
        "interpreted (the compiled engine was built from other sources: reinstall)" if stale
        else "compiled (mypyc)"
    )


def test_template_words_all_hold_what_the_line_loop_looks_for() -> None:
    # The line loop runs the template-word regex only on account IDs holding "r" or "xxxx".
    words = _engine._TEMPLATE_WORDS.pattern.split("|")
    assert words and all(word == "xxxx" or "r" in word for word in words)
    for account in ["insert-id-here", "XXXX1", "YourID", "replaceme", "placeholder7"]:
        codes = [d.code for d in adstxt.check(f"openx.com, {account}, DIRECT\n")]
        assert codes == ["ADS216"], account
    assert adstxt.check("openx.com, 0x12r, DIRECT\n") == ()
    # The regex also finds words inside words; the careful path then accepts such IDs.
    for account in ["yourmedia123", "inserted-1", "replaced"]:
        assert adstxt.check(f"openx.com, {account}, DIRECT\n" * 2)[0].code == "ADS401"
