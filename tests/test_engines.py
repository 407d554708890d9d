"""The compiled checker and the interpreted one give the same results.

Installs that can build it run ``adstxt._engine_native``, ``adstxt._engine`` and the modules
it extends compiled with mypyc. Both are shipped and either may run (``ADSTXT_PURE_PYTHON=1`` selects the interpreted
one), so every outcome must be the same from both, and a compiled module must never run in
place of a source it was not built from.
"""

from __future__ import annotations

import http.server
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt import _api, _engine, _engine_choice, _engine_source
from adstxt._engine_source import (
    BUILD_NOTE,
    C_BUILDERS_MODULE,
    C_TABLE_MODULE,
    ENGINE_MODULES,
    engine_crc,
    native_name,
    native_source,
)
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
        source,
        None,
        kind,
        None,
        keep_records=True,
        engine_class=engine_class,  # type: ignore[arg-type]
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
        [sys.executable, "-m", "adstxt.cli", "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^checker: (compiled \(mypyc\)|interpreted \(.+\))$", default, re.M)
    pure = subprocess.run(
        [sys.executable, "-m", "adstxt.cli", "--version"],
        env={**env, "ADSTXT_PURE_PYTHON": "1"},
        capture_output=True,
        text=True,
        check=True,
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
        outcomes.append(
            (
                [(record, record.line) for record in engine.records],
                engine.variables,
                sorted(engine.diagnostics, key=adstxt.Diagnostic.sort_key),
            )
        )
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


STALE = "interpreted (the compiled checker is stale: run 'pip install -e .' to rebuild it)"


def _copy_package(tmp_path: Path) -> Path:
    """A copy of the installed package, without its compiled modules or build note."""
    package = tmp_path / "adstxt"
    shutil.copytree(
        Path(adstxt.__file__).parent,
        package,
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", BUILD_NOTE),
    )
    return package


def _run_copy(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run Python on the package copied into ``tmp_path``, as an install would."""
    env = {k: v for k, v in os.environ.items() if k != "ADSTXT_PURE_PYTHON"}
    return subprocess.run(
        [sys.executable, *argv],
        env={**env, "PYTHONPATH": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )


def _engine_of_copy(tmp_path: Path) -> str:
    return _run_copy(
        tmp_path, "-c", "from adstxt._engine_choice import ENGINE; print(ENGINE)"
    ).stdout.strip()


@needs_compiled
@pytest.mark.parametrize(
    ("edited", "stale"),
    [
        ("_engine.py", True),
        ("_engine_lines.py", True),
        ("_domains.py", True),
        ("sellers/_fields.py", True),
        ("_engine_sellers.c", True),  # the C seller table is built with the checker
        ("_engine_builders.c", True),  # and so are the C builders
        ("data/SOURCES.md", False),
    ],
)
def test_a_compiled_engine_never_stands_in_for_other_sources(
    tmp_path: Path, edited: str, stale: bool
) -> None:
    # mypyc builds facts about other modules into the engine (the fields of _finding.Finding,
    # say), so an edit to any module of the package makes it stale; other files do not.
    package = tmp_path / "adstxt"
    shutil.copytree(
        Path(adstxt.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    assert _engine_of_copy(tmp_path) == "compiled (mypyc)"
    with (package / edited).open("a") as source:
        source.write("\n# an edit made after the build\n")
    assert _engine_of_copy(tmp_path) == (STALE if stale else "compiled (mypyc)")


def _add_twins(package: Path, crc: int) -> None:
    """Stand-ins for the compiled twins: their Python text, recording ``crc``.

    The choice of engine treats them as it treats compiled modules (it imports them and
    reads what they record), so the rule can be tested where nothing is compiled.
    """
    for module in ENGINE_MODULES:
        text = (package / f"{module}.py").read_text(encoding="utf-8")
        (package / f"{native_name(module)}.py").write_text(native_source(text, crc))


def test_compiled_twins_are_used_only_while_current(tmp_path: Path) -> None:
    package = _copy_package(tmp_path)
    _add_twins(package, engine_crc(package))
    probe = (
        "import adstxt, adstxt._engine_choice as c; print(c.ENGINE); print(c.Engine.__module__);"
        "print(len(adstxt.check('a.com, 1, DIRECT\\na.com, 1, DIRECT\\n')))"
    )
    fresh = _run_copy(tmp_path, "-c", probe)
    assert fresh.stdout.split("\n")[:3] == ["compiled (mypyc)", "adstxt._engine_native", "1"]
    assert fresh.stderr == ""
    # Any edit of a module of the package, a comment even, makes every twin stale.
    with (package / "_fields.py").open("a") as source:
        source.write("\n# an edit made after the build\n")
    stale = _run_copy(tmp_path, "-c", probe)
    assert stale.stdout.split("\n")[:3] == [STALE, "adstxt._engine", "1"]


def test_the_c_seller_table_is_used_only_while_current(tmp_path: Path) -> None:
    package = _copy_package(tmp_path)
    crc = engine_crc(package)
    _add_twins(package, crc)
    probe = (
        "import adstxt._engine_choice as c; print(c.SELLER_TABLE);"
        "print(type(c.Engine(max_sellers=0)._table).__module__)"
    )
    # Not built (no C compiler, say): the compiled checker keeps the Python table.
    without = _run_copy(tmp_path, "-c", probe)
    assert without.stdout.split("\n")[:2] == [
        "Python (the C table was not built)",
        "adstxt._engine_sellers_native",
    ]
    # A stand-in for the built module, recording the fingerprint it was built from.
    stand_in = package / f"{C_TABLE_MODULE}.py"
    stand_in.write_text(
        "from adstxt._engine_sellers import SellerTable as _Table\n"
        f"class SellerTable(_Table): pass\nSOURCE_CRC = {crc}\n"
    )
    assert _run_copy(tmp_path, "-c", probe).stdout.split("\n")[:2] == [
        "C",
        f"adstxt.{C_TABLE_MODULE}",
    ]
    stand_in.write_text(stand_in.read_text().replace(str(crc), str(crc ^ 1)))
    assert _run_copy(tmp_path, "-c", probe).stdout.split("\n")[:2] == [
        "Python (the C table was built from other sources)",
        "adstxt._engine_sellers_native",
    ]
    # The interpreted checker never uses it.
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "ADSTXT_PURE_PYTHON": "1"}
    pure = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert pure.stdout.split("\n")[:2] == [
        "Python (the checker is interpreted)",
        "adstxt._engine_sellers",
    ]


def test_the_c_builders_are_used_only_while_current(tmp_path: Path) -> None:
    package = _copy_package(tmp_path)
    crc = engine_crc(package)
    _add_twins(package, crc)
    # What builds a record of a plain line, a comment and a diagnostic with its fix.
    probe = (
        "import adstxt, adstxt._engine_choice as c; print(c.BUILDERS);"
        "r = adstxt.parse('a.com, 1, DIRECT # x\\na.com, 1, DIRECT\\n');"
        "print(r.records[0], r.comments[0], r.diagnostics[0].fix.description)"
    )
    built = (
        "Record(domain='a.com', account_id='1', relationship=<Relationship.DIRECT: 'DIRECT'>, "
        "certification_authority_id=None, extension=None) Comment(line=1, column=18, text=' x') "
        "delete this repeat of line 1"
    )
    # Not built: the compiled checker builds them in Python.
    without = _run_copy(tmp_path, "-c", probe)
    assert without.stdout.split("\n")[:2] == ["Python (the C builders were not built)", built]
    # A stand-in for the built module that counts what it builds, recording a fingerprint.
    stand_in = package / f"{C_BUILDERS_MODULE}.py"
    stand_in.write_text(
        "import collections\n"
        "BUILT = collections.Counter()\n"
        "class SlotBuilder:\n"
        "    def __init__(self, cls, names, required=None):\n"
        "        self.cls, self.names = cls, names\n"
        "    def __call__(self, *args):\n"
        "        BUILT[self.cls.__name__] += 1\n"
        "        made = object.__new__(self.cls)\n"
        "        for name, value in zip(self.names, args + (None,) * len(self.names)):\n"
        "            object.__setattr__(made, name, value)\n"
        "        return made\n"
        f"SOURCE_CRC = {crc}\n"
    )
    counted = probe + f";import adstxt.{C_BUILDERS_MODULE} as b; print(sorted(b.BUILT.items()))"
    used = _run_copy(tmp_path, "-c", counted).stdout.split("\n")[:3]
    assert used[:2] == ["C", built]
    assert used[2] == "[('Comment', 1), ('Diagnostic', 1), ('Fix', 1), ('Record', 2)]"
    stand_in.write_text(stand_in.read_text().replace(str(crc), str(crc ^ 1)))
    assert _run_copy(tmp_path, "-c", probe).stdout.split("\n")[:2] == [
        "Python (the C builders were built from other sources)",
        built,
    ]


@needs_compiled
def test_this_compiled_install_uses_the_c_builders() -> None:
    assert _engine_choice.BUILDERS == "C"


@needs_compiled
def test_this_compiled_install_uses_the_c_seller_table() -> None:
    # Built with the compiled checker; only a build without a C compiler for it lacks it
    # (and then the compiled checker could not have been built either).
    assert _engine_choice.SELLER_TABLE == "C"
    engine = _engine_choice.Engine(max_sellers=0)
    assert type(engine._table).__module__ == f"adstxt.{C_TABLE_MODULE}"


def test_a_stale_compiled_checker_says_so_once(tmp_path: Path) -> None:
    package = _copy_package(tmp_path)
    _add_twins(package, engine_crc(package) ^ 1)
    version = _run_copy(tmp_path, "-m", "adstxt.cli", "--version")
    assert f"checker: {STALE}" in version.stdout.splitlines()
    assert version.stderr.count("StaleCheckerWarning") == 1
    assert "run 'pip install -e .' in the project directory to rebuild it" in version.stderr
    # Once per process, however often the checker runs.
    twice = _run_copy(
        tmp_path,
        "-c",
        "import adstxt, importlib; adstxt.check('a.com, 1, DIRECT\\n');"
        "import adstxt._engine_choice; adstxt.check('b.com, 2, DIRECT\\n')",
    )
    assert twice.stderr.count("StaleCheckerWarning") == 1
    # Asking for the interpreted checker asks for no warning.
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "ADSTXT_PURE_PYTHON": "1"}
    pure = subprocess.run(
        [sys.executable, "-m", "adstxt.cli", "--version"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "checker: interpreted (ADSTXT_PURE_PYTHON is set)" in pure.stdout
    assert pure.stderr == ""


def test_a_partial_compiled_checker_is_stale(tmp_path: Path) -> None:
    # An older build compiled only the line loop: its twin alone is no compiled checker.
    package = _copy_package(tmp_path)
    _add_twins(package, engine_crc(package))
    (package / f"{native_name('_engine_lines')}.py").unlink()
    version = _run_copy(tmp_path, "-m", "adstxt.cli", "--version")
    assert f"checker: {STALE}" in version.stdout.splitlines()
    assert version.stderr.count("StaleCheckerWarning") == 1


@pytest.mark.parametrize("command", ["adstxt.cli", "adstxt"])
def test_version_says_why_the_checker_is_not_compiled(tmp_path: Path, command: str) -> None:
    package = _copy_package(tmp_path)
    plain = _run_copy(tmp_path, "-m", command, "--version")
    assert "checker: interpreted (not compiled)" in plain.stdout.splitlines()
    (package / BUILD_NOTE).write_text("mypy is not installed (PIP_NO_INDEX is set)\n")
    noted = _run_copy(tmp_path, "-m", command, "--version")
    assert (
        "checker: interpreted (not compiled: mypy is not installed (PIP_NO_INDEX is set))"
        in noted.stdout.splitlines()
    )
    assert noted.stderr == ""


class _Index(http.server.BaseHTTPRequestHandler):
    """A package index that has mypy and nothing else."""

    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/simple/mypy/" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def index() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_build_asks_for_mypy_only_when_it_can_be_had(
    monkeypatch: pytest.MonkeyPatch, index: str
) -> None:
    for name in ("ADSTXT_PURE_PYTHON", "ADSTXT_COMPILE", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_INDEX_URL", index)
    assert _engine_source.why_mypy_unavailable(installed=False) is None
    assert _engine_source.why_mypy_unavailable(installed=True) == "mypy is installed already"
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{closed.getsockname()[1]}/simple")
        why = _engine_source.why_mypy_unavailable(installed=False, timeout=2)
    assert why is not None and why.startswith("the package index http://127.0.0.1:")
    monkeypatch.setenv("PIP_INDEX_URL", index)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    assert _engine_source.why_mypy_unavailable(installed=False) == (
        "PIP_NO_INDEX is set (an offline install)"
    )
    # A release build compiles or fails, offline or not.
    monkeypatch.setenv("ADSTXT_COMPILE", "1")
    assert _engine_source.why_mypy_unavailable(installed=False) is None
    monkeypatch.setenv("ADSTXT_PURE_PYTHON", "1")
    assert _engine_source.why_mypy_unavailable(installed=False) == "ADSTXT_PURE_PYTHON is set"


def test_the_twins_import_each_other() -> None:
    # The build rewrites the imports among the engine modules so that the compiled ones
    # import one another: each such import must be one the rewriting sees.
    package = Path(_engine.__file__).parent
    for module in ENGINE_MODULES:
        text = (package / f"{module}.py").read_text(encoding="utf-8")
        twin = native_source(text, 7)
        assert twin.endswith("SOURCE_CRC = 7\n")
        imports = [
            line
            for line in twin.splitlines()
            if re.match(r"\s*(from|import)\s", line) and "_engine" in line
        ]
        earlier = ENGINE_MODULES[: ENGINE_MODULES.index(module)]
        for line in imports:
            # ... and the layers read bottom-up: each imports only the ones before it.
            found = re.match(r"from adstxt\.(\w+)_native import ", line)
            assert found and found.group(1) in earlier, line


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
