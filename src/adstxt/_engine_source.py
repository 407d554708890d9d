"""The fingerprint of the checker's sources, which a compiled checker must match.

Standard library only: the build hook (``hatch_build.py``) loads this file by path, before
the package is installed.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path


def engine_crc(package: Path) -> int:
    """CRC-32 of every Python module of the package, with its path.

    mypyc builds facts about the modules the engine uses into the compiled engine (the
    fields of a named tuple, constants), and those can come from any module, imported at
    the top, inside a function or through another one. So an edit to any module of the
    package makes a compiled engine stale.
    """
    crc = 0
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        crc = zlib.crc32(path.relative_to(package).as_posix().encode(), crc)
        crc = zlib.crc32(path.read_bytes(), crc)
    return crc


def pure_python_requested() -> bool:
    """Whether ``ADSTXT_PURE_PYTHON`` asks for the interpreted checker (any value but 0)."""
    return os.environ.get("ADSTXT_PURE_PYTHON", "") not in ("", "0")
