"""Which checker runs: the compiled engine when it was built from these very sources.

``adstxt._engine`` and the modules it extends are the checker, in Python. Installs that
could build it also carry their compiled twins (``adstxt._engine_native`` and the others
named in :data:`adstxt._engine_source.ENGINE_MODULES`), the same sources compiled together
with mypyc (1.3 to 1.6 times as fast). Each compiled module records the fingerprint of the
sources it was built from (:func:`adstxt._engine_source.engine_crc`, over every module of
the package); it is used only while that matches the installed sources, so an edited
engine in an editable install runs as edited, and a warning says once that the compiled
one is stale and how to rebuild it. ``ADSTXT_PURE_PYTHON=1`` in the environment selects
the interpreted engine.

The compiled engine keeps the sellers of big streams in the C seller table
(``adstxt._engine_sellers_c``) when the build made it from the same sources (it records
the same fingerprint), else in the table written in Python (:data:`SELLER_TABLE` says
which). The interpreted engine always uses the Python one.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from adstxt._engine_source import (
    BUILD_NOTE,
    C_TABLE_MODULE,
    ENGINE_MODULES,
    REBUILD,
    engine_crc,
    native_name,
    pure_python_requested,
)

__all__ = ["ENGINE", "MAX_LINE", "SELLER_TABLE", "Engine", "StaleCheckerWarning"]

#: Said by ``--version`` when the compiled engine runs.
COMPILED = "compiled (mypyc)"


class StaleCheckerWarning(RuntimeWarning):
    """The compiled checker was built from other sources and is not used."""


def _interpreted(why: str) -> tuple[ModuleType, str]:
    return importlib.import_module("adstxt._engine"), f"interpreted ({why})"


def _not_compiled_why(package: Path) -> str:
    """Why the install carries no compiled engine, as its build wrote it down."""
    try:
        note = (package / BUILD_NOTE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        note = ""
    return f"not compiled: {note}" if note else "not compiled"


def _choose() -> tuple[ModuleType, str]:
    """The engine module to use, and how it runs, for ``adstxt-check --version``."""
    if pure_python_requested():
        return _interpreted("ADSTXT_PURE_PYTHON is set")
    package = Path(__file__).parent
    names = [f"adstxt.{native_name(module)}" for module in ENGINE_MODULES]
    present = [name for name in names if importlib.util.find_spec(name) is not None]
    if not present:
        return _interpreted(_not_compiled_why(package))
    try:
        crc: int | None = engine_crc(package)
    except OSError:
        crc = None  # the sources cannot be read: nothing to be stale against
    built_from: set[object] = set()
    natives: list[ModuleType] = []
    if len(present) == len(names):
        try:
            natives = [importlib.import_module(name) for name in names]
        except Exception:  # built against other sources: whatever the error, do not use it
            natives = []
        built_from = {getattr(native, "SOURCE_CRC", None) for native in natives}
    # Some twins missing (left by an older build, say), or built from other sources.
    if not natives or (crc is not None and built_from != {crc}):
        warnings.warn(
            "the compiled adstxt checker was built from other sources than the installed "
            f"ones, so it is not used and the slower interpreted checker runs; run "
            f"'{REBUILD}' in the project directory to rebuild it",
            StaleCheckerWarning,
            stacklevel=2,
        )
        return _interpreted(f"the compiled checker is stale: run '{REBUILD}' to rebuild it")
    global SELLER_TABLE
    SELLER_TABLE = _use_c_table(natives[ENGINE_MODULES.index("_engine_sellers")], crc)
    return natives[-1], COMPILED


def _use_c_table(sellers: ModuleType, crc: int | None) -> str:
    """Have the compiled engine (its module ``sellers``) use the C seller table when it
    was built from these sources; say which table it uses."""
    try:
        table = importlib.import_module(f"adstxt.{C_TABLE_MODULE}")
    except ImportError:
        return "Python (the C table was not built)"
    if crc is not None and getattr(table, "SOURCE_CRC", None) != crc:
        return "Python (the C table was built from other sources)"
    sellers.use_table(table.SellerTable)
    return "C"


#: How the checker runs: "compiled (mypyc)" or "interpreted (why)".
ENGINE: str
#: Which seller table the checker uses: "C", or "Python" and why not the C one.
SELLER_TABLE = "Python (the checker is interpreted)"

if TYPE_CHECKING:
    from adstxt._engine import MAX_LINE, Engine
else:
    _module, ENGINE = _choose()
    Engine = _module.Engine
    MAX_LINE = _module.MAX_LINE
