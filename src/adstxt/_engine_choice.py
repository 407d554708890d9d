"""Which checker runs: the compiled engine when it was built from these very sources.

``adstxt._engine`` is the checker, in Python. Installs that could build it also carry
``adstxt._engine_native``, the same source compiled with mypyc (1.3 to 1.6 times as fast).
The compiled module records the fingerprint of the sources it was built from
(:func:`adstxt._engine_source.engine_crc`: ``_engine.py`` and the package modules it
imports); it is used only while that matches the installed sources, so an edited engine in
an editable install runs as edited. ``ADSTXT_PURE_PYTHON=1`` in the environment selects the
interpreted engine.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from adstxt._engine_source import engine_crc

__all__ = ["ENGINE", "MAX_LINE", "Engine"]


def _choose() -> tuple[ModuleType, str]:
    """The engine module to use, and how it runs, for ``adstxt-check --version``."""
    if os.environ.get("ADSTXT_PURE_PYTHON"):
        return importlib.import_module("adstxt._engine"), "interpreted (ADSTXT_PURE_PYTHON is set)"
    try:
        native = importlib.import_module("adstxt._engine_native")
    except ImportError:
        return importlib.import_module("adstxt._engine"), "interpreted (not compiled)"
    try:
        crc = engine_crc(Path(__file__).parent)
    except OSError:
        crc = native.SOURCE_CRC  # installed without its source: nothing to be stale against
    if crc != native.SOURCE_CRC:
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
