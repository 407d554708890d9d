"""Build hook: compile the checker's line loop, ``src/adstxt/_engine.py``, with mypyc.

The compiled module is ``adstxt._engine_native``, built from a copy of ``_engine.py`` that
records the fingerprint of the sources it came from (``adstxt._engine_source``: the engine
and the package modules it imports). ``adstxt._engine_choice`` uses it only while that
matches the installed sources, so in an editable install an edited engine is never shadowed
by an older build: it runs interpreted until the next install.

The compiled engine is an optimisation, not a requirement. With ``ADSTXT_PURE_PYTHON=1``
set, or where it cannot be built (no C compiler, say), the wheel is pure Python and
works the same, only slower; ``adstxt-check --version`` tells which engine runs.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The module name the compiled engine is imported as.
NATIVE = "_engine_native"


class EngineBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled engine to wheels and editable installs when it can be built."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        # Only what the compilation needs, and only when it is wanted: a pure-Python build
        # (offline, say) must not have to fetch mypy. mypy is pinned so that every build
        # compiles the engine the same way.
        if _pure_python_requested(Path(self.root)):
            return []
        return ["mypy==2.4.1", "setuptools>=69", "attrs>=23.1", "tldextract>=5.3"]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        package = Path(self.root, "src", "adstxt")
        editable = version == "editable"
        if _pure_python_requested(Path(self.root)):
            self.app.display_info("adstxt: ADSTXT_PURE_PYTHON is set: pure-Python engine")
            if editable:
                _remove_native(package)
            return
        try:
            built = compile_engine(package, Path(self.root, "build", "engine"))
            if editable:
                # An editable install imports the package from src/: the modules go there
                # (ignored by git, left out of the sdist), each replaced in one step so that
                # a running program never sees a half-written file.
                for path in built:
                    staged = package / f".{path.name}.new"
                    shutil.copy2(path, staged)
                    os.replace(staged, package / path.name)
        except (OSError, subprocess.CalledProcessError) as error:
            output = getattr(error, "stdout", None) or ""
            self.app.display_warning(
                f"adstxt: the compiled engine could not be built ({error}); "
                f"the pure-Python engine is installed instead.\n{output[-2000:]}"
            )
            if editable:
                _remove_native(package)
            return
        if not editable:
            for path in built:
                build_data["force_include"][str(path)] = f"adstxt/{path.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True


def _pure_python_requested(root: Path) -> bool:
    """``adstxt._engine_source.pure_python_requested``."""
    requested: bool = _engine_source(root / "src" / "adstxt").pure_python_requested()
    return requested


def _remove_native(package: Path) -> None:
    """Drop a compiled engine left in the source tree by an earlier editable install."""
    for path in package.glob(f"{NATIVE}*"):
        if path.suffix in (".so", ".pyd"):
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


def compile_engine(package: Path, cache: Path) -> list[Path]:
    """The extension modules of the compiled engine, built once per source, mypy and Python."""
    source = (package / "_engine.py").read_bytes()
    crc: int = _engine_source(package).engine_crc(package)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    mypy = importlib.metadata.version("mypy")
    target = cache / f"{crc:08x}-mypy{mypy}{suffix.replace('.', '-')}"
    built = sorted(target.glob(f"{NATIVE}*{suffix}"))
    if built:
        return built
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work, "adstxt")
        ignore = shutil.ignore_patterns("*.so", "*.pyd", "__pycache__")
        shutil.copytree(package, tree, ignore=ignore)
        (tree / f"{NATIVE}.py").write_bytes(
            source + "\n#: adstxt._engine_source.engine_crc of the source this was compiled from.\n"
            f"SOURCE_CRC: Final = {crc}\n".encode()
        )
        # No configuration file (not even the user's own), and the optional extras' modules
        # (h11 for adstxt.fetch) need not be installed: the engine never imports them.
        subprocess.run(
            [sys.executable, "-m", "mypyc", "--config-file=", "--ignore-missing-imports",
             f"adstxt/{NATIVE}.py"],
            cwd=work, check=True, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        modules = sorted(tree.glob(f"{NATIVE}*{suffix}"))
        if not modules:
            raise OSError(f"mypyc produced no {NATIVE}*{suffix}")
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
    return sorted(target.glob(f"{NATIVE}*{suffix}"))


def _prune(cache: Path, keep: Path, entries: int = 4) -> None:
    """Drop all but the newest few builds: each edit of the engine adds one of about 1 MB."""
    builds = sorted((p for p in cache.iterdir()
                     if p.is_dir() and p != keep and not p.name.startswith(".staging-")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[entries - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
