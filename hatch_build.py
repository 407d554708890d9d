"""Build hook: compile the checker, ``src/adstxt/_engine*.py``, with mypyc when it can.

The modules named in ``adstxt._engine_source.ENGINE_MODULES`` are compiled together, each
as its ``<name>_native`` twin (``adstxt._engine_native`` and so on), from copies that
record the fingerprint of the sources they came from. The modules written in C
(``adstxt._engine_source.C_MODULES``: the seller table, ``src/adstxt/_engine_sellers.c``,
and the record builders, ``src/adstxt/_engine_builders.c``) are built with them, each
recording the same fingerprint; when one cannot be built, the compiled checker is
installed without it (it then uses the Python code that module stands in for) and the
build says so. ``adstxt._engine_choice`` uses them
only while that matches the installed sources, so an edited engine in an editable install
is never shadowed by an older build: it runs interpreted, with a warning, until the next
install.

The compiled engine is an optimisation, not a requirement, and the build says which one it
installs (``pip install -v`` shows it; ``adstxt-check --version`` tells it later):

- ``ADSTXT_PURE_PYTHON=1``: a pure-Python build; mypy is not needed.
- ``ADSTXT_COMPILE=1``: compile or fail (release builds: see docs/releasing.md).
- neither: compile when mypy can be had, else install the pure-Python engine and say why.
  mypy is a build requirement only when it is importable already or the package index
  answers: pip resolves build requirements before this hook runs, so requiring mypy
  offline would make the whole install fail. A C compiler missing, or any other failure
  to compile, also ends in the pure-Python engine, with the reason.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: mypy is pinned so that every build compiles the engine the same way.
MYPY = "mypy==2.4.1"
#: What compiling needs besides mypy: setuptools drives the C build, and mypy must see the
#: types of the packages the engine imports.
COMPILE_REQUIRES = [MYPY, "setuptools>=69", "attrs>=23.1", "tldextract>=5.3"]
#: How long to wait for the package index before deciding that the build is offline.
INDEX_TIMEOUT = 5.0


class EngineBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled engine to wheels and editable installs when it can be built."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        why_not = _why_not_fetch_mypy(Path(self.root))
        if why_not is None:
            return COMPILE_REQUIRES
        self.app.display_info(f"adstxt: not asking for mypy: {why_not}")
        return []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        package = Path(self.root, "src", "adstxt")
        editable = version == "editable"
        source = _engine_source(package)
        why_not = _why_not_compile(Path(self.root))
        built: list[Path] = []
        if why_not is None:
            try:
                built = compile_engine(package, Path(self.root, "build", "engine"))
            except (OSError, subprocess.CalledProcessError) as error:
                output = getattr(error, "stdout", None) or ""
                if source.compile_required():
                    raise RuntimeError(
                        f"adstxt: ADSTXT_COMPILE is set but the checker could not be "
                        f"compiled: {error}\n{output[-4000:]}"
                    ) from error
                why_not = _failure(error)
                self.app.display_warning(f"adstxt: {why_not}\n{output[-2000:]}")
        if why_not is not None:
            self.app.display_warning(
                f"adstxt: installing the interpreted checker (correct, only slower): {why_not}"
            )
            note = _note(package, Path(self.root, "build"), why_not, editable)
            if editable:
                _remove_native(package)
            else:
                build_data["force_include"][str(note)] = f"adstxt/{source.BUILD_NOTE}"
            return
        self.app.display_info(f"adstxt: compiled checker built: {', '.join(p.name for p in built)}")
        for module, c_source in source.C_MODULES:
            if any(p.name.startswith(f"{module}.") for p in built):
                continue
            self.app.display_warning(
                f"adstxt: {c_source} was not built (pip install -v shows why): the compiled "
                "checker uses the slower Python code it stands in for"
            )
            if editable:  # one left by an earlier install is stale
                for path in package.glob(f"{module}.*"):
                    if path.suffix in (".so", ".pyd"):
                        with contextlib.suppress(OSError):
                            path.unlink()
        if editable:
            # An editable install imports the package from src/: the modules go there
            # (ignored by git, left out of the sdist), each replaced in one step so that a
            # running program never sees a half-written file.
            for path in built:
                staged = package / f".{path.name}.new"
                shutil.copy2(path, staged)
                os.replace(staged, package / path.name)
            with contextlib.suppress(FileNotFoundError):
                (package / source.BUILD_NOTE).unlink()
        else:
            for path in built:
                build_data["force_include"][str(path)] = f"adstxt/{path.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True


def _why_not_fetch_mypy(root: Path) -> str | None:
    """Why this build does not ask pip for mypy, or None to ask for it."""
    installed = importlib.util.find_spec("mypyc") is not None
    why: str | None = _engine_source(root / "src" / "adstxt").why_mypy_unavailable(
        installed, INDEX_TIMEOUT
    )
    return why


def _why_not_compile(root: Path) -> str | None:
    """Why this build installs the interpreted checker, or None to compile it."""
    source = _engine_source(root / "src" / "adstxt")
    if source.pure_python_requested():
        return "built with ADSTXT_PURE_PYTHON set"
    if importlib.util.find_spec("mypyc") is None:
        if source.compile_required():
            raise RuntimeError(f"adstxt: ADSTXT_COMPILE is set but mypyc is not installed ({MYPY})")
        offline = source.index_unreachable(INDEX_TIMEOUT)
        return f"mypy is not installed ({offline or 'pip did not install it'})"
    return None


def _failure(error: OSError | subprocess.CalledProcessError) -> str:
    """What went wrong in compiling, in a few words (``pip install -v`` shows the output)."""
    if isinstance(error, subprocess.CalledProcessError):
        # mypyc type-checks and writes C first, then setuptools builds it.
        stage = "the C compiler" if "building '" in (error.stdout or "") else "mypyc"
        return f"{stage} failed (exit status {error.returncode}; pip install -v shows why)"
    return f"compiling failed ({_first_line(error)})"


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _note(package: Path, build: Path, why_not: str, editable: bool) -> Path:
    """Write down why the checker is interpreted, for ``--version``; return the file.

    An editable install reads it from the package in src/; a wheel takes it from build/.
    """
    name: str = _engine_source(package).BUILD_NOTE
    target = package / name if editable else build / "engine-note" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(why_not + "\n", encoding="utf-8")
    return target


def _native_pattern(package: Path) -> re.Pattern[str]:
    """The file names of the compiled modules: the mypyc twins, their library, the C ones."""
    source = _engine_source(package)
    names = [source.native_name(m) for m in source.ENGINE_MODULES]
    names += [module for module, _ in source.C_MODULES]
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?:{alternatives})(?:__mypyc)?\..*(?:\.so|\.pyd)\Z")


def _remove_native(package: Path) -> None:
    """Drop a compiled engine left in the source tree by an earlier editable install."""
    pattern = _native_pattern(package)
    for path in package.iterdir():
        if pattern.match(path.name):
            with contextlib.suppress(OSError):  # in use on Windows: it is stale, so unused
                path.unlink()


@functools.cache
def _engine_source(package: Path) -> Any:
    """``adstxt._engine_source``, loaded by path once: the package is not installed yet."""
    spec = importlib.util.spec_from_file_location("_engine_source", package / "_engine_source.py")
    if spec is None or spec.loader is None:
        raise OSError(f"cannot load {package / '_engine_source.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The C build of the compiled modules: mypyc's own driver, with the group named so that
#: the shared library lands inside the package (``adstxt/_engine_native__mypyc...``).
_SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="adstxt-engine",
    ext_modules=mypycify(sys.argv[1:], group_name="adstxt._engine_native"),
    script_args=["build_ext", "--inplace"],
)
"""

#: The C build of one module written in C: its name, its source and the fingerprint it records.
_SETUP_C_MODULE = """\
import sys
from setuptools import Extension, setup

module, source, crc = sys.argv[1:]
setup(
    name="adstxt-c-module",
    ext_modules=[Extension(module, [source], define_macros=[("SOURCE_CRC", crc + "UL")])],
    script_args=["build_ext", "--inplace"],
)
"""


def compile_engine(package: Path, cache: Path) -> list[Path]:
    """The extension modules of the compiled engine, built once per source, mypy and Python."""
    source = _engine_source(package)
    crc: int = source.engine_crc(package)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    mypy = importlib.metadata.version("mypy")
    target = cache / f"{crc:08x}-mypy{mypy}{suffix.replace('.', '-')}"
    pattern = _native_pattern(package)
    built = sorted(p for p in target.glob(f"*{suffix}") if pattern.match(p.name))
    if built:
        return built
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work, "adstxt")
        ignore = shutil.ignore_patterns("*.so", "*.pyd", "__pycache__")
        shutil.copytree(package, tree, ignore=ignore)
        natives = []
        for module in source.ENGINE_MODULES:
            text = (package / f"{module}.py").read_text(encoding="utf-8")
            native = f"adstxt/{source.native_name(module)}.py"
            Path(work, native).write_text(source.native_source(text, crc), encoding="utf-8")
            natives.append(native)
        (Path(work) / "setup.py").write_text(_SETUP, encoding="utf-8")
        # No configuration file (not even the user's own), and the optional extras' modules
        # (h11 for adstxt.fetch) need not be installed: the engine never imports them.
        subprocess.run(
            [sys.executable, "setup.py", "--config-file=", "--ignore-missing-imports", *natives],
            cwd=work,
            check=True,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        modules = sorted(p for p in tree.glob(f"*{suffix}") if pattern.match(p.name))
        if len(modules) <= len(natives):
            raise OSError(f"mypyc produced {[p.name for p in modules]}, not every module")
        for module, c_source in _engine_source(package).C_MODULES:
            modules += _build_c_module(package, Path(work), crc, suffix, module, c_source)
        # Filled beside the cache, then renamed: a build that stops half-way leaves no
        # partial entry.
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=cache, prefix=".staging-"))
        for module in modules:
            shutil.copy2(module, staging / module.name)
        try:
            staging.rename(target)
        except OSError:
            shutil.rmtree(staging)  # another build filled the entry first
    _prune(cache, keep=target)
    return sorted(p for p in target.glob(f"*{suffix}") if pattern.match(p.name))


def _build_c_module(
    package: Path, work: Path, crc: int, suffix: str, module: str, c_source: str
) -> list[Path]:
    """The C module ``module`` built from ``c_source`` in ``work`` (a copy of the package in
    ``work/adstxt``), or nothing when it cannot be built: the compiled checker works without
    it. With ``ADSTXT_COMPILE`` set a failure fails the build, as a failure of mypyc does."""
    source = _engine_source(package)
    (work / "setup_c_module.py").write_text(_SETUP_C_MODULE, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "setup_c_module.py", f"adstxt.{module}", f"adstxt/{c_source}", str(crc)],
        cwd=work,
        check=False,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    built = sorted((work / "adstxt").glob(f"{module}{suffix}"))
    if run.returncode == 0 and built:
        return built
    if source.compile_required():
        raise subprocess.CalledProcessError(run.returncode or 1, run.args, run.stdout)
    # Shown by pip install -v; the hook warns that the module is missing.
    print(f"adstxt: {c_source} was not built:\n{run.stdout[-2000:]}")
    return []


def _prune(cache: Path, keep: Path, entries: int = 4) -> None:
    """Drop all but the newest few builds: each edit of the engine adds one of about 1 MB."""
    builds = sorted(
        (
            p
            for p in cache.iterdir()
            if p.is_dir() and p != keep and not p.name.startswith(".staging-")
        ),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[entries - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
