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
which). Likewise it builds records, comments, diagnostics and fixes with the C builders
(``adstxt._engine_builders_c``) when they are current, else with the Python ones of
:mod:`adstxt.model` (:data:`BUILDERS` says which); the same module's row writer then
writes the records and findings the store keeps as JSON (:func:`row_writer`). The
interpreted engine always uses the Python code.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from adstxt._engine_source import (
    BUILD_NOTE,
    C_BUILDERS_MODULE,
    C_TABLE_MODULE,
    ENGINE_MODULES,
    REBUILD,
    engine_crc,
    native_name,
    pure_python_requested,
)

__all__ = [
    "BUILDERS",
    "ENGINE",
    "MAX_LINE",
    "SELLER_TABLE",
    "Engine",
    "StaleCheckerWarning",
    "row_writer",
]

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
    global SELLER_TABLE, BUILDERS
    SELLER_TABLE = _use_c_table(natives[ENGINE_MODULES.index("_engine_sellers")], crc)
    BUILDERS = _use_c_builders(natives[-1], crc)
    return natives[-1], COMPILED


def _current_c_module(name: str, crc: int | None) -> ModuleType | str:
    """The C module ``adstxt.<name>`` when it was built from these sources, else why not."""
    try:
        module = importlib.import_module(f"adstxt.{name}")
    except ImportError:
        return "not built"
    if crc is not None and getattr(module, "SOURCE_CRC", None) != crc:
        return "built from other sources"
    return module


def _use_c_table(sellers: ModuleType, crc: int | None) -> str:
    """Have the compiled engine (its module ``sellers``) use the C seller table when it
    was built from these sources; say which table it uses."""
    table = _current_c_module(C_TABLE_MODULE, crc)
    if isinstance(table, str):
        return f"Python (the C table was {table})"
    sellers.use_table(table.SellerTable)
    return "C"


def _use_c_builders(engine: ModuleType, crc: int | None) -> str:
    """Have the compiled engine build records, comments, diagnostics and fixes in C when
    the builders were built from these sources; say which builders it uses."""
    builders = _current_c_module(C_BUILDERS_MODULE, crc)
    if isinstance(builders, str):
        return f"Python (the C builders were {builders})"
    from adstxt.diagnostics import (
        _DIAGNOSTIC_ARGUMENTS,
        _DIAGNOSTIC_REQUIRED,
        _FIX_ARGUMENTS,
        Diagnostic,
        Fix,
    )
    from adstxt.model import _COMMENT_ARGUMENTS, _RECORD_ARGUMENTS, Comment, Record

    global _C_BUILDERS
    _C_BUILDERS = builders
    make = builders.SlotBuilder
    engine.use_builders(
        make(Record, _RECORD_ARGUMENTS),
        make(Comment, _COMMENT_ARGUMENTS),
        make(Diagnostic, _DIAGNOSTIC_ARGUMENTS, _DIAGNOSTIC_REQUIRED),
        make(Fix, _FIX_ARGUMENTS),
    )
    return "C"


def row_writer(cls: type, names: tuple[str, ...]) -> Callable[[Sequence[Any]], str] | None:
    """A function that writes a sequence of ``cls`` instances as the JSON text of
    ``[[<name 1>, <name 2>, ...], ...]`` (what ``json.dumps(..., ensure_ascii=False,
    separators=(",", ":"))`` writes) with the C builders' module, when the checker uses
    it; ``None`` otherwise. The function raises on a value it does not write (anything but
    an int, a str or None), so that the caller writes those rows with :mod:`json`."""
    if _C_BUILDERS is None:
        return None
    writer: Callable[[Sequence[Any]], str] = _C_BUILDERS.SlotRows(cls, names)
    return writer


#: The C builders' module when the checker uses it (see :func:`row_writer`).
_C_BUILDERS: ModuleType | None = None

#: How the checker runs: "compiled (mypyc)" or "interpreted (why)".
ENGINE: str
#: Which seller table the checker uses: "C", or "Python" and why not the C one.
SELLER_TABLE = "Python (the checker is interpreted)"
#: What builds records, comments, diagnostics and fixes: "C", or "Python" and why not
#: the C builders.
BUILDERS = "Python (the checker is interpreted)"

if TYPE_CHECKING:
    from adstxt._engine import MAX_LINE, Engine
else:
    _module, ENGINE = _choose()
    Engine = _module.Engine
    MAX_LINE = _module.MAX_LINE
