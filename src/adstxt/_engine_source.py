"""The fingerprint of the checker's source, which a compiled checker must match.

Standard library only: the build hook (``hatch_build.py``) loads this file by path, before
the package is installed.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

# "from adstxt import a, b", "from adstxt.model import X, Y" and their parenthesized forms.
_IMPORTS = re.compile(
    r"^from adstxt(?:\.(\w+))? import (?:\(([^)]*)\)|([\w, ]+))$", re.MULTILINE
)


def engine_crc(package: Path) -> int:
    """CRC-32 of ``_engine.py`` and of each module of the package that it imports.

    mypyc may build constants of the modules the engine imports (``Final`` literals) into
    the compiled engine, so an edit to any of them makes a compiled engine stale too.
    """
    source = (package / "_engine.py").read_bytes()
    modules: set[str] = set()
    for module, listed, inline in _IMPORTS.findall(source.decode("utf-8")):
        if module:
            modules.add(module)
        else:
            modules.update(name.strip() for name in (listed or inline).split(","))
    crc = zlib.crc32(source)
    for name in sorted(modules):
        path = package / f"{name}.py"
        if path.is_file():  # not a subpackage, nor a name defined in __init__
            crc = zlib.crc32(path.read_bytes(), crc)
    return crc
