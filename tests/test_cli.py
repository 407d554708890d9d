"""``adstxt-check``: formats, exit codes, selection and output safety.

The command runs in this process (``adstxt.cli.main``, as its console script calls it); the
exit codes, standard input and the README's example also run in a real subprocess.

Golden files in ``tests/golden`` hold the exact output for ``examples/broken-ads.txt``;
after a deliberate change, rewrite them with ``ADSTXT_UPDATE_GOLDEN=1 pytest tests/test_cli.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli import run, run_process
from tests.conftest import ROOT, shared_path

Runner = Callable[..., subprocess.CompletedProcess[str]]

EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden"
BROKEN = "examples/broken-ads.txt"
CLEAN_RECORD = b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ADSTXT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"


@pytest.mark.parametrize("output_format", ["concise", "full", "json", "github"])
def test_golden_output_of_the_broken_example(output_format: str) -> None:
    result = run(BROKEN, "--output-format", output_format)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    _golden(f"broken-ads.{output_format}", result.stdout)


def test_golden_sarif_results_of_the_broken_example() -> None:
    result = run(BROKEN, "--output-format", "sarif")
    assert result.returncode == 1
    results = json.loads(result.stdout)["runs"][0]["results"]
    _golden("broken-ads.sarif-results.json", json.dumps(results, indent=2) + "\n")


def test_concise_lines_are_path_line_column_code_message() -> None:
    lines = run(BROKEN).stdout.splitlines()
    assert (
        f"{BROKEN}:3:19: ADS210 The relationship must be DIRECT or RESELLER; found 'DIRCT'" in lines
    )
    assert lines[-1] == "Checked 1 file: 3 errors, 4 warnings, 1 info; 3 fixable with --fix."
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines[:-1]]
    assert positions == sorted(positions)


def test_json_is_the_documented_contract() -> None:
    items = json.loads(run(BROKEN, "--output-format", "json").stdout)
    keys = {
        "path",
        "line",
        "column",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "hint",
        "fix",
        "pointer",
    }
    assert all(set(item) == keys for item in items)
    fixes = [item["fix"] for item in items if item["fix"] is not None]
    assert fixes and all({"replacement", "safe"} <= set(fix) for fix in fixes)
    assert any(item["fix"] is None for item in items)


def test_clean_example_passes_in_every_format() -> None:
    assert run("examples/ads.txt").stdout == "Checked 1 file: 0 errors, 0 warnings, 0 info.\n"
    for output_format in ("full", "github"):
        result = run("examples/ads.txt", "--output-format", output_format)
        assert result.returncode == 0
        assert "ADS" not in result.stdout
    assert json.loads(run("examples/ads.txt", "--output-format", "json").stdout) == []
    sarif = json.loads(run("examples/ads.txt", "--output-format", "sarif").stdout)
    assert sarif["runs"][0]["results"] == []


def test_seed_sample_is_rejected_in_every_format() -> None:
    seed = str(shared_path("seeds", "000_993765986a61e5d8.txt"))
    concise = run(seed)
    assert concise.returncode == 1
    assert f"{seed}:1:1: ADS004 " in concise.stdout
    items = json.loads(run(seed, "--output-format", "json").stdout)
    assert {item["code"] for item in items} >= {"ADS004", "ADS101"}
    github = run(seed, "--output-format", "github").stdout.splitlines()
    assert github and all(line.startswith("::") for line in github)
    sarif = json.loads(run(seed, "--output-format", "sarif").stdout)
    assert len(sarif["runs"][0]["results"]) == len(items)


def test_the_real_corpus_never_crashes_the_command() -> None:
    corpus = shared_path("corpus", "real")
    files = sorted(str(p) for p in corpus.iterdir() if p.name != "SOURCES.tsv")
    result = run("--output-format", "json", "--exit-zero", *files)
    assert result.returncode == 0, result.stderr[-2000:]
    items = json.loads(result.stdout)
    assert {item["path"] for item in items} <= set(files)
    assert len({item["path"] for item in items}) > len(files) // 2
    concise = run(*files)
    assert concise.returncode == 1
    assert concise.stdout.splitlines()[-1].startswith(f"Checked {len(files)} files: ")
    assert "Traceback" not in concise.stderr


def test_directories_are_searched_for_ads_txt_and_app_ads_txt(tmp_path: Path) -> None:
    (tmp_path / "site" / ".git").mkdir(parents=True)
    shutil.copy(EXAMPLES / "ads.txt", tmp_path / "site" / "ads.txt")
    (tmp_path / "site" / "app-ads.txt").write_text("SUBDOMAIN=a.example.com\n")
    (tmp_path / "site" / "bads.txt").write_text("not checked\n")
    (tmp_path / "site" / "ads.txt.bak").write_text("not checked\n")
    (tmp_path / "site" / ".git" / "ads.txt").write_text("not checked\n")
    result = run(str(tmp_path))
    assert result.returncode == 0
    assert "ADS309" in result.stdout and "ADS006" in result.stdout
    assert "not checked" not in result.stdout and ".git" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 2 files:")
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run(str(empty))
    assert nothing.returncode == 0
    assert "warning: no ads.txt or app-ads.txt files found" in nothing.stderr
    assert nothing.stdout == "Checked 0 files: 0 errors, 0 warnings, 0 info.\n"


@pytest.mark.parametrize("runner", [run, run_process], ids=["in-process", "process"])
def test_standard_input(runner: Runner) -> None:
    piped = runner("-", stdin=b"mgid.com, 749656, DIRCT\n")
    assert piped.returncode == 1
    assert piped.stdout.startswith("<stdin>:1:19: ADS210 ")


@pytest.mark.parametrize("runner", [run, run_process], ids=["in-process", "process"])
def test_exit_codes(runner: Runner, tmp_path: Path) -> None:
    warned = tmp_path / "ads.txt"
    warned.write_bytes(CLEAN_RECORD * 2)
    assert runner(str(warned)).returncode == 0
    assert runner("--strict", str(warned)).returncode == 1
    assert runner("--exit-zero", BROKEN).returncode == 0
    missing = runner(str(tmp_path / "missing" / "ads.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    both = runner(str(tmp_path / "missing.txt"), "examples/ads.txt")
    assert both.returncode == 2 and "Checked 1 file" in both.stdout
    assert runner("--no-such-option").returncode == 2
    bad = runner("--select", "XYZ1", BROKEN)
    assert bad.returncode == 2 and "--select: 'XYZ1' is not a rule code" in bad.stderr
    assert runner("--fix", "--diff", BROKEN).returncode == 2
    nothing = runner("--select", "", BROKEN)
    assert nothing.returncode == 2 and "--select: give at least one code" in nothing.stderr
    table = runner("--statistics", "--output-format", "sarif", BROKEN)
    assert table.returncode == 2 and "--statistics prints a text table" in table.stderr
    assert table.stdout == ""


def test_domain_option_is_normalized_or_refused() -> None:
    subdomain = b"SUBDOMAIN=shop.example.com\n" + CLEAN_RECORD
    for given in ("example.com", "https://Example.COM/", "EXAMPLE.com."):
        result = run("--domain", given, "-", stdin=subdomain)
        assert result.returncode == 0, (given, result.stdout)
    outside = run("--domain", "example.org", "-", stdin=subdomain)
    assert "ADS304" in outside.stdout and "'example.org'" in outside.stdout
    for bad in ("not a domain", "https://", "-x-.com", ""):
        refused = run(f"--domain={bad}", "-", stdin=subdomain)
        assert refused.returncode == 2, bad
        assert "--domain: expected a domain name such as 'example.com'" in refused.stderr


def test_select_ignore_and_extend_select() -> None:
    only_fields = run("--select", "ADS2", BROKEN).stdout
    codes = {line.split()[1] for line in only_fields.splitlines()[:-1]}
    assert codes == {"ADS201", "ADS210", "ADS211", "ADS220", "ADS222"}
    ignored = run("--ignore", "ADS22,ADS107", BROKEN).stdout
    assert "ADS220" not in ignored and "ADS107" not in ignored and "ADS210" in ignored
    extended = run("--select", "ADS201", "--extend-select", "invalid-relationship", BROKEN)
    assert {line.split()[1] for line in extended.stdout.splitlines()[:-1]} == {"ADS201", "ADS210"}


def test_statistics() -> None:
    result = run("--statistics", BROKEN)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "1  ADS201  [*] invalid-domain" in lines
    assert "1  ADS210      invalid-relationship" in lines
    assert lines[-1].startswith("Checked 1 file:")


def test_show_rules_explain_and_version() -> None:
    from adstxt.rules import RULES

    listing = run("--show-rules")
    assert listing.returncode == 0
    assert len(listing.stdout.splitlines()) == len(RULES) + 1
    explained = run("--explain", "ADS210")
    assert explained.returncode == 0
    assert explained.stdout.startswith("# ADS210 invalid-relationship")
    assert run("--explain", "relationship-case").stdout.startswith("# ADS211 ")
    unknown = run("--explain", "ADS999")
    assert unknown.returncode == 2 and "--show-rules" in unknown.stderr
    version = run("--version").stdout
    assert version.startswith("adstxt-check ")
    assert "tldextract " in version and "Public Suffix List snapshot " in version


def test_colour_only_when_asked_and_never_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(b"\x1b[31mevil.com\x1b[0m, 1, DIRECT\n")
    plain = run(str(path))
    assert "\x1b" not in plain.stdout
    coloured = run("--color", "always", str(path), "--output-format", "full")
    assert "\x1b[1;31merror[ADS007]" in coloured.stdout
    assert "| \\x1b[31mevil.com\\x1b[0m, 1, DIRECT\n" in coloured.stdout
    forced_off = run("--color", "auto", str(path), env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert "\x1b" not in forced_off.stdout


HOSTILE = (
    b"\x1b]0;owned\x07evil.com, 1, DIRECT\n"
    b"\xe2\x80\xaeabc.com, 1, DIRECT\n"
    b"x.com, 1, DIRECT\rforged.com:9:9: ADS000 fake\n"
    b"%0A::error::injected\n"
)


@pytest.mark.parametrize("output_format", ["concise", "full", "json", "github", "sarif"])
def test_hostile_bytes_never_reach_the_output_raw(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(HOSTILE)
    result = run(str(path), "--output-format", output_format, "--color", "always")
    assert result.returncode == 1
    text = result.stdout.replace("\x1b[0m", "").replace("\x1b[1m", "")
    for colour in ("1;31", "1;33", "1;36"):
        text = text.replace(f"\x1b[{colour}m", "")
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\u202e" not in text
    assert not any(line.startswith("forged.com") for line in text.splitlines())
    if output_format == "github":
        assert all(line.startswith("::") for line in text.splitlines())
        assert "::error::injected" not in text


def test_unused_and_working_suppressions(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(
        b"mgid.com, 749656, DIRCT # noqa: ADS210\n"
        b"openx.com, 537120563, reseller  # noqa\n"
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0 # noqa: ADS220, ADS999\n"
    )
    result = run(str(path))
    lines = result.stdout.splitlines()
    assert not any(" ADS210 " in line or " ADS211 " in line for line in lines)
    assert any(line.startswith(f"{path}:3:") and " ADS901 " in line for line in lines)
    assert "ADS999 (not a rule code)" in result.stdout
    whole = tmp_path / "whole" / "ads.txt"
    whole.parent.mkdir()
    whole.write_bytes(b"# adstxt: noqa: ADS210\nmgid.com, 749656, DIRCT\n")
    assert run(str(whole)).returncode == 0


def test_readme_shows_a_real_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ adstxt-check examples/broken-ads.txt\n", 1)[1].split("```", 1)[0]
    assert block == run_process(BROKEN).stdout
    full = readme.split("$ adstxt-check --output-format full examples/broken-ads.txt\n", 1)[1]
    shown = full.split("\n...\n", 1)[0] + "\n"
    assert run_process(BROKEN, "--output-format", "full").stdout.startswith(shown)
