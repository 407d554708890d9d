"""Which checker runs: the compiled engine when it was built from these very sources.

``adstxt._engine`` is the checker, in Python. Installs that could build it also carry
``adstxt._engine_native``, the same source compiled with mypyc (1.3 to 1.6 times as fast).
The compiled module records the fingerprint of the sources it was built from
(:func:`adstxt._engine_source.engine_crc`, over every module of the package); it is used
only while that matches the installed sources, so an edited engine in an editable install
runs as edited. ``ADSTXT_PURE_PYTHON=1`` in the environment selects the
interpreted engine.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from adstxt._engine_source import engine_crc, pure_python_requested

__all__ = ["ENGINE", "MAX_LINE", "Engine"]


def _choose() -> tuple[ModuleType, str]:
    """The engine module to use, and how it runs, for ``adstxt-check --version``."""
    if pure_python_requested():
        return importlib.import_module("adstxt._engine"), "interpreted (ADSTXT_PURE_PYTHON is set)"
    try:
        native = importlib.import_module("adstxt._engine_native")
    except ImportError:
        return importlib.import_module("adstxt._engine"), "interpreted (not compiled)"
    built_from: int | None = getattr(native, "SOURCE_CRC", None)
    crc: int | None
    try:
        crc = engine_crc(Path(__file__).parent)
    except OSError:
        crc = built_from  # the sources cannot be read: nothing to be stale against
    if built_from is None or crc != built_from:
        return (
            importlib.import_module("adstxt._engine"),
            "interpreted (the compiled engine was built from other sources: reinstall)",
        )
    return native, "compiled (mypyc)"


#: How the checker runs: "compiled (mypyc)" or "interpreted (why)".
ENGINE: str

if TYPE_CHECKING:
    from adstxt._engine import MAX_LINE, Engine
else:
    _module, ENGINE = _choose()
    Engine = _module.Engine
    MAX_LINE = _module.MAX_LINE
