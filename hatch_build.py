"""Build hook: compile the checker's line loop, ``src/adstxt/_engine.py``, with mypyc.

The compiled module is ``adstxt._engine_native``, built from a copy of ``_engine.py`` that
records the CRC-32 of the source it came from. ``adstxt._engine_choice`` uses it only while
that matches the ``_engine.py`` installed beside it, so in an editable install an edited
engine is never shadowed by an older build: it runs interpreted until the next install.

The compiled engine is an optimisation, not a requirement. With ``ADSTXT_PURE_PYTHON=1``
set, or where it cannot be built (no C compiler, say), the wheel is pure Python and
works the same, only slower; ``adstxt-check --version`` tells which engine runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zlib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The module name the compiled engine is imported as.
NATIVE = "_engine_native"


class EngineBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled engine to wheels and editable installs when it can be built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("ADSTXT_PURE_PYTHON"):
            self.app.display_info("adstxt: ADSTXT_PURE_PYTHON is set: pure-Python engine")
            return
        package = Path(self.root, "src", "adstxt")
        try:
            built = compile_engine(package, Path(self.root, "build", "engine"))
        except (OSError, subprocess.CalledProcessError) as error:
            output = getattr(error, "stdout", None) or ""
            self.app.display_warning(
                f"adstxt: the compiled engine could not be built ({error}); "
                f"the pure-Python engine is installed instead.\n{output[-2000:]}"
            )
            return
        for path in built:
            if version == "editable":
                # An editable install imports the package from src/: the modules go there
                # (they are ignored by git and left out of the sdist).
                shutil.copy2(path, package / path.name)
            else:
                build_data["force_include"][str(path)] = f"adstxt/{path.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True


def compile_engine(package: Path, cache: Path) -> list[Path]:
    """The extension modules of the compiled engine, built once per source and interpreter."""
    source = (package / "_engine.py").read_bytes()
    crc = zlib.crc32(source)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = cache / f"{crc:08x}{suffix.replace('.', '-')}"
    built = sorted(target.glob(f"{NATIVE}*{suffix}"))
    if built:
        return built
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work, "adstxt")
        shutil.copytree(package, tree, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
        (tree / f"{NATIVE}.py").write_bytes(
            source + f"\n#: CRC-32 of the _engine.py this module was compiled from.\n"
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
        staging = Path(tempfile.mkdtemp(dir=cache))
        for module in modules:
            shutil.copy2(module, staging / module.name)
        try:
            staging.rename(target)
        except OSError:
            shutil.rmtree(staging)  # another build filled the entry first
    return sorted(target.glob(f"{NATIVE}*{suffix}"))
