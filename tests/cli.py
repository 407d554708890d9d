"""Run ``adstxt-check`` as a real subprocess, as users, CI and pre-commit run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m adstxt ARGS``; stdout and stderr as text (undecodable bytes escaped)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "adstxt", *args],
        input=stdin, capture_output=True, check=False, cwd=cwd or ROOT, timeout=120,
        env=environment,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode,
        result.stdout.decode("utf-8", "backslashreplace"),
        result.stderr.decode("utf-8", "backslashreplace"),
    )
