"""The pre-commit hooks, run by the real pre-commit against this repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"
BROKEN = b"mgid.com, 749656, DIRCT\n"
FIXABLE = b"mgid.com, 749656, direct\n"
CLEAN = b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"


def _hooks() -> list[dict[str, object]]:
    yaml = pytest.importorskip("yaml")
    hooks: list[dict[str, object]] = yaml.safe_load(HOOKS.read_text())
    return hooks


def test_hooks_match_ads_txt_and_app_ads_txt_and_nothing_else() -> None:
    hooks = {hook["id"]: hook for hook in _hooks()}
    assert set(hooks) == {"adstxt-check", "adstxt-fix"}
    assert hooks["adstxt-fix"]["entry"] == "adstxt-check --fix"
    for hook in hooks.values():
        pattern = re.compile(str(hook["files"]))
        for name in ("ads.txt", "app-ads.txt", "site/public/ads.txt", "a/b/app-ads.txt", "Ads.txt"):
            assert pattern.search(name), name
        for name in (
            "bads.txt",
            "ads.txt.bak",
            "app-ads.txt~",
            "my-ads.txt",
            "ads.txt/x",
            "ads_txt",
            "sellers.json",
            "docs/ads.txt.md",
        ):
            assert not pattern.search(name), name


def _git(repository: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)


def _pre_commit() -> str:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("pre-commit is in the test extra")
    return found


def _documented() -> list[str]:
    """The configurations docs/pre-commit.md shows, as written there."""
    page = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```$", page, re.DOTALL | re.MULTILINE)
    configurations = [block for block in blocks if block.startswith("repos:")]
    assert len(configurations) == 2, "expected the local and the clone configuration"
    return configurations


def test_documented_local_hooks_are_the_example_and_the_hook_definitions() -> None:
    yaml = pytest.importorskip("yaml")
    local = yaml.safe_load(_documented()[0])
    assert local == yaml.safe_load((ROOT / "examples" / "pre-commit-config.yaml").read_text())
    (entry,) = local["repos"]
    assert entry["repo"] == "local"
    hooks = {hook["id"]: hook for hook in _hooks()}
    assert {hook["id"] for hook in entry["hooks"]} == set(hooks)
    for hook in entry["hooks"]:
        for key in ("name", "entry", "files", "types"):
            assert hook[key] == hooks[hook["id"]][key], (hook["id"], key)


def _site(tmp_path: Path, configuration: str) -> Path:
    """A throwaway git repository with ads.txt files, configured for pre-commit."""
    repository = tmp_path / "site"
    repository.mkdir()
    _git(repository, "init", "-q")
    (repository / ".pre-commit-config.yaml").write_text(configuration)
    (repository / "public").mkdir()
    (repository / "public" / "ads.txt").write_bytes(BROKEN)
    (repository / "app-ads.txt").write_bytes(FIXABLE)
    (repository / "bads.txt").write_bytes(BROKEN)
    (repository / "ads.txt.bak").write_bytes(BROKEN)
    _git(repository, "add", ".")
    return repository


def _run(
    repository: Path,
    tmp_path: Path,
    *args: str,
    **environment: str,
) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        PRE_COMMIT_HOME=str(tmp_path / "cache"),
        PRE_COMMIT_COLOR="never",
        GIT_CONFIG_NOSYSTEM="1",
        **environment,
    )
    return subprocess.run(
        [_pre_commit(), "run", *args, "--all-files", "--verbose"],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _check_hook_finds_the_error_then_passes(repository: Path, run: Callable[..., Any]) -> None:
    failed = run("adstxt-check")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "public/ads.txt:1:19: error[ADS210] invalid-relationship" in failed.stdout
    assert "Checked 2 files" in failed.stdout
    assert "bads.txt" not in failed.stdout and "ads.txt.bak" not in failed.stdout

    (repository / "public" / "ads.txt").write_bytes(CLEAN)
    _git(repository, "add", ".")
    passed = run("adstxt-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Checked 2 files: 0 errors" in passed.stdout
    assert (repository / "bads.txt").read_bytes() == BROKEN
    (repository / "public" / "ads.txt").write_bytes(BROKEN)
    _git(repository, "add", ".")


def _fix_hook_fixes_what_is_safe(repository: Path, run: Callable[..., Any]) -> None:
    fixing = run("adstxt-fix", "--hook-stage", "manual")
    assert fixing.returncode == 1, fixing.stdout + fixing.stderr
    assert (repository / "app-ads.txt").read_bytes() == b"mgid.com, 749656, DIRECT\n"
    assert (repository / "public" / "ads.txt").read_bytes() == BROKEN  # no safe fix
    assert (repository / "bads.txt").read_bytes() == BROKEN


def test_documented_local_hooks_in_a_real_pre_commit_run(tmp_path: Path) -> None:
    """docs/pre-commit.md's repo: local configuration, verbatim, with adstxt-check on PATH."""
    scripts = Path(sys.executable).parent
    if shutil.which("adstxt-check", path=str(scripts)) is None:
        pytest.skip("adstxt is not installed beside this Python")
    repository = _site(tmp_path, _documented()[0])
    path = os.pathsep.join([str(scripts), os.environ.get("PATH", "")])

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return _run(repository, tmp_path, *args, PATH=path)

    _check_hook_finds_the_error_then_passes(repository, run)
    _fix_hook_fixes_what_is_safe(repository, run)


def test_documented_clone_hooks_in_a_real_pre_commit_run(tmp_path: Path) -> None:
    """docs/pre-commit.md's clone configuration, this checkout's path and commit put in."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    configuration = _documented()[1]
    for placeholder in (
        "repo: /path/to/adstxt\n",
        "rev: 0123456789abcdef0123456789abcdef01234567\n",
    ):
        assert configuration.count(placeholder) == 1, placeholder
    configuration = configuration.replace("/path/to/adstxt", str(ROOT)).replace(
        "0123456789abcdef0123456789abcdef01234567", head.stdout.strip()
    )
    repository = _site(tmp_path, configuration)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # The compiled checker is built and tested elsewhere; here it would only add a minute.
        return _run(repository, tmp_path, *args, ADSTXT_PURE_PYTHON="1")

    _check_hook_finds_the_error_then_passes(repository, run)
    # The repository's fixer hook as well, on request only, beside the documented one.
    (repository / ".pre-commit-config.yaml").write_text(
        configuration + "      - id: adstxt-fix\n        stages: [manual]\n"
    )
    _fix_hook_fixes_what_is_safe(repository, run)
