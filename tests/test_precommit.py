"""The pre-commit hooks, run by the real pre-commit against this repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

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
        for name in ("ads.txt", "app-ads.txt", "site/public/ads.txt", "a/b/app-ads.txt",
                     "Ads.txt"):
            assert pattern.search(name), name
        for name in ("bads.txt", "ads.txt.bak", "app-ads.txt~", "my-ads.txt", "ads.txt/x",
                     "ads_txt", "sellers.json", "docs/ads.txt.md"):
            assert not pattern.search(name), name


def _git(repository: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)


def _pre_commit() -> str:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("pre-commit is in the test extra")
    return found


def _example_config(repository: Path) -> Path:
    """examples/pre-commit-config.yaml, pointed at this checkout's commit."""
    yaml = pytest.importorskip("yaml")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    config = yaml.safe_load((ROOT / "examples" / "pre-commit-config.yaml").read_text())
    (entry,) = config["repos"]
    entry["repo"] = str(ROOT)
    entry["rev"] = head.stdout.strip()
    # The fixer hook, runnable on request only, beside the example's check hook.
    entry["hooks"].append({"id": "adstxt-fix", "stages": ["manual"]})
    path = repository / ".pre-commit-config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_real_pre_commit_run(tmp_path: Path) -> None:
    pre_commit = _pre_commit()
    repository = tmp_path / "site"
    repository.mkdir()
    _git(repository, "init", "-q")
    _example_config(repository)
    (repository / "public").mkdir()
    (repository / "public" / "ads.txt").write_bytes(BROKEN)
    (repository / "app-ads.txt").write_bytes(FIXABLE)
    (repository / "bads.txt").write_bytes(BROKEN)
    (repository / "ads.txt.bak").write_bytes(BROKEN)
    _git(repository, "add", ".")
    environment = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"),
                       PRE_COMMIT_COLOR="never", GIT_CONFIG_NOSYSTEM="1")

    def hook(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "run", *args, "--all-files", "--verbose"],
            cwd=repository, env=environment, capture_output=True, text=True, timeout=600,
            check=False,
        )

    failed = hook("adstxt-check")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "public/ads.txt:1:19: error[ADS210] invalid-relationship" in failed.stdout
    assert "Checked 2 files" in failed.stdout
    assert "bads.txt" not in failed.stdout and "ads.txt.bak" not in failed.stdout

    fixing = hook("adstxt-fix", "--hook-stage", "manual")
    assert fixing.returncode == 1, fixing.stdout + fixing.stderr
    assert (repository / "app-ads.txt").read_bytes() == b"mgid.com, 749656, DIRECT\n"
    assert (repository / "public" / "ads.txt").read_bytes() == BROKEN  # no safe fix

    (repository / "public" / "ads.txt").write_bytes(CLEAN)
    _git(repository, "add", ".")
    passed = hook("adstxt-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Checked 2 files: 0 errors" in passed.stdout
    assert (repository / "bads.txt").read_bytes() == BROKEN
