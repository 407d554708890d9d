"""What the compiled checker is built from, and how to tell that it is still current.

Standard library only: the build hook (``hatch_build.py``) loads this file by path, before
the package is installed, and :mod:`adstxt._engine_choice` imports it at run time.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from pathlib import Path

#: The modules of the checker, compiled together with mypyc, each as ``<name>_native``
#: (``_engine`` as ``_engine_native``). Each imports the ones before it.
ENGINE_MODULES = (
    "_engine_domains",
    "_engine_sellers",
    "_engine_memo",
    "_engine_lines",
    "_engine_crossline",
    "_engine",
)
#: The seller table in C (:mod:`adstxt._engine_sellers`), built with the compiled checker
#: from this file of the package as the extension module :data:`C_TABLE_MODULE`; the
#: compiled checker runs without it (with the table in Python) when it could not be built.
C_TABLE_SOURCE = "_engine_sellers.c"
C_TABLE_MODULE = "_engine_sellers_c"
#: The builders of records and comments in C (see :func:`adstxt._engine.use_builders`),
#: built the same way as :data:`C_BUILDERS_MODULE`; without them the line loop builds
#: records with the Python builders of :mod:`adstxt.model`.
C_BUILDERS_SOURCE = "_engine_builders.c"
C_BUILDERS_MODULE = "_engine_builders_c"
#: Every extension module written in C, with its source: each is optional.
C_MODULES = ((C_TABLE_MODULE, C_TABLE_SOURCE), (C_BUILDERS_MODULE, C_BUILDERS_SOURCE))
#: The suffix of the compiled twin of each module of :data:`ENGINE_MODULES`.
NATIVE_SUFFIX = "_native"
#: A file the build leaves in the package when it installed no compiled checker: why not.
BUILD_NOTE = "_engine_build.txt"
#: What to run to rebuild the compiled checker of an editable install.
REBUILD = "pip install -e ."


def native_name(module: str) -> str:
    """The name of the compiled twin of an engine module."""
    return module + NATIVE_SUFFIX


def engine_crc(package: Path) -> int:
    """CRC-32 of every Python module of the package and of the C sources, with their paths.

    mypyc builds facts about the modules the engine uses into the compiled engine (the
    fields of a named tuple, constants), and those can come from any module, imported at
    the top, inside a function or through another one. So an edit to any module of the
    package (or to the C table, built with them) makes a compiled engine stale.
    """
    crc = 0
    # The Python text of a compiled twin (or of a C module) is never installed; were it
    # there, it would not be a source of the checker.
    twins = {f"{native_name(module)}.py" for module in ENGINE_MODULES}
    twins.update(f"{module}.py" for module, _ in C_MODULES)
    sources = [*package.rglob("*.py"), *(package / source for _, source in C_MODULES)]
    for path in sorted(p for p in sources if p.exists()):
        if "__pycache__" in path.parts or path.name in twins:
            continue
        crc = zlib.crc32(path.relative_to(package).as_posix().encode(), crc)
        crc = zlib.crc32(path.read_bytes(), crc)
    return crc


def pure_python_requested() -> bool:
    """Whether ``ADSTXT_PURE_PYTHON`` asks for the interpreted checker (any value but 0)."""
    return os.environ.get("ADSTXT_PURE_PYTHON", "") not in ("", "0")


def compile_required() -> bool:
    """Whether ``ADSTXT_COMPILE`` asks a build to compile the checker or fail (any value
    but 0): release builds set it, so that a wheel is never pure Python by accident."""
    return os.environ.get("ADSTXT_COMPILE", "") not in ("", "0")


def native_source(text: str, crc: int) -> str:
    """The source of the compiled twin of an engine module whose source is ``text``.

    The twins import each other where the modules do: ``from adstxt._engine_lines import``
    and the like, at the start of a line, are the only imports among the engine modules.
    The twin records the fingerprint ``crc`` of the sources it is compiled from.
    """
    for module in ENGINE_MODULES:
        text = re.sub(
            rf"^from adstxt\.{module} import",
            f"from adstxt.{native_name(module)} import",
            text,
            flags=re.M,
        )
    return (
        f"{text}\n#: adstxt._engine_source.engine_crc of the sources this was compiled from."
        f"\nSOURCE_CRC = {crc}\n"
    )


def why_mypy_unavailable(installed: bool, timeout: float = 5.0) -> str | None:
    """Why a build should not ask pip for mypy, or None when it should.

    pip resolves a build's requirements before the build runs, so a requirement that
    cannot be had (offline) makes the whole install fail: mypy is asked for only when it
    is needed (``installed``: it is not importable already) and the package index answers.
    """
    if pure_python_requested():
        return "ADSTXT_PURE_PYTHON is set"
    if compile_required():
        return None
    if installed:
        return "mypy is installed already"
    return index_unreachable(timeout)


def index_unreachable(timeout: float = 5.0) -> str | None:
    """Why mypy cannot be fetched from the package index pip uses, or None when it can."""
    # Here, not at the top: only a build asks, and urllib.request (with ssl) takes
    # milliseconds and megabytes that every run of the checker would pay.
    import urllib.request

    if os.environ.get("PIP_NO_INDEX", "").lower() not in ("", "0", "false", "no", "off"):
        return "PIP_NO_INDEX is set (an offline install)"
    if _pip_runs_without_index():
        return "pip runs with --no-index (an offline install)"
    index = (os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple/").rstrip("/")
    try:
        request = urllib.request.Request(f"{index}/mypy/", method="HEAD")
        with urllib.request.urlopen(request, timeout=timeout):
            return None
    except Exception as error:  # whatever the reason, there is no mypy to be had
        text = str(error).strip().splitlines()
        return f"the package index {index}/ cannot be reached ({text[0] if text else error!r})"


def _pip_runs_without_index() -> bool:
    """Whether the pip that runs this build was given ``--no-index`` (where that shows).

    pip does not pass its options on to the build backend, but runs it as a child
    process, whose parent's command line Linux shows.
    """
    arguments: list[bytes] = []
    with contextlib.suppress(OSError):
        arguments = Path(f"/proc/{os.getppid()}/cmdline").read_bytes().split(b"\0")
    return b"--no-index" in arguments
