"""Check the release artifacts: an sdist, its pure-Python wheel and, optionally, a compiled one.

    python tools/check_dist.py --sdist dist/adstxt-0.1.0.tar.gz \\
        --wheel dist/adstxt-0.1.0-py3-none-any.whl [--compiled-wheel dist/c/adstxt-...whl]

Each artifact must carry this checkout's name and version (``pyproject.toml``,
``src/adstxt/_version.py``), the README as a description that renders as PyPI renders it
(``readme_renderer[md]``), the console scripts of ``[project.scripts]``, and every file of
the package (``py.typed``, ``data/``). Each wheel is then installed into an empty virtual
environment and run. ``twine check`` does not render Markdown, hence this script;
docs/releasing.md says how the artifacts are built and published.
"""

from __future__ import annotations

import argparse
import email.message
import email.parser
import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import venv
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "adstxt"
NATIVE = re.compile(
    r"adstxt/(_engine\w*_native(?:__mypyc)?|_engine_sellers_c|_engine_builders_c)"
    r"(?:\.[^/]*)?\.(so|pyd)$"
)


def _twins() -> set[str]:
    """The compiled modules a compiled wheel carries (see adstxt._engine_source): the
    twins, their shared library and the modules written in C."""
    spec = importlib.util.spec_from_file_location("_engine_source", PACKAGE / "_engine_source.py")
    assert spec is not None and spec.loader is not None
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    twins = {source.native_name(module) for module in source.ENGINE_MODULES}
    return twins | {"_engine_native__mypyc"} | {module for module, _ in source.C_MODULES}


class DistError(Exception):
    """An artifact that would not make a correct release."""


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise DistError(message)


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    return project


def _version() -> str:
    found = re.search(
        r'^__version__ = "([^"]+)"$',
        (PACKAGE / "_version.py").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    _expect(found is not None, "no __version__ in src/adstxt/_version.py")
    assert found is not None
    return found.group(1)


def _package_files() -> set[str]:
    """The package's files as a wheel names them: what an install must carry."""
    names = set()
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE)
        # Left by an editable install or by running the code, never part of the source.
        if (
            path.is_dir()
            or "__pycache__" in relative.parts
            or path.suffix in (".so", ".pyd")
            or path.name.startswith(".")
        ):
            continue
        names.add(f"adstxt/{relative.as_posix()}")
    return names


def _check_metadata(metadata: email.message.Message, where: str) -> None:
    project = _project()
    _expect(metadata["Name"] == project["name"], f"{where}: Name is {metadata['Name']!r}")
    _expect(metadata["Version"] == _version(), f"{where}: Version is {metadata['Version']!r}")
    _expect(
        metadata["Requires-Python"] == project["requires-python"],
        f"{where}: Requires-Python is {metadata['Requires-Python']!r}",
    )
    requires = metadata.get_all("Requires-Dist") or []
    for dependency in project["dependencies"]:
        _expect(dependency in requires, f"{where}: {dependency!r} is not in Requires-Dist")
    extras = set(metadata.get_all("Provides-Extra") or [])
    wanted = set(project["optional-dependencies"])
    _expect(extras == wanted, f"{where}: Provides-Extra is {sorted(extras)}, not {sorted(wanted)}")
    _expect(
        metadata["Description-Content-Type"] == "text/markdown",
        f"{where}: Description-Content-Type is {metadata['Description-Content-Type']!r}",
    )
    description = metadata.get_payload()
    _expect(
        isinstance(description, str)
        and description.strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip(),
        f"{where}: the description is not README.md",
    )
    from readme_renderer.markdown import render  # PyPI's renderer; None when it cannot render

    html = render(str(description))
    _expect(
        html is not None and '<h1 id="user-content-adstxt">adstxt' in html,
        f"{where}: the README does not render (is readme_renderer[md] installed?)",
    )


def check_sdist(path: Path) -> None:
    """An sdist that builds the same package: metadata, build files and the whole package."""
    version = _version()
    top = f"adstxt-{version}"
    _expect(path.name == f"{top}.tar.gz", f"{path.name}: expected {top}.tar.gz")
    with tarfile.open(path) as sdist:
        names = {name.removeprefix(f"{top}/") for name in sdist.getnames()}
        info = sdist.extractfile(f"{top}/PKG-INFO")
        _expect(info is not None, f"{path.name}: no PKG-INFO")
        assert info is not None
        metadata = email.parser.BytesParser().parsebytes(info.read())
    _check_metadata(metadata, path.name)
    for needed in ("pyproject.toml", "hatch_build.py", "README.md"):
        _expect(needed in names, f"{path.name}: {needed} is missing")
    missing = {f"src/{name}" for name in _package_files()} - names
    _expect(not missing, f"{path.name}: missing {sorted(missing)}")
    built = [name for name in names if name.endswith((".so", ".pyd"))]
    _expect(not built, f"{path.name}: holds built modules {built}")


def check_wheel(path: Path, compiled: bool) -> None:
    """A wheel with the metadata, the scripts and every package file, compiled or pure."""
    version = _version()
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        info = f"adstxt-{version}.dist-info"
        _expect(f"{info}/METADATA" in names, f"{path.name}: no {info}/METADATA")
        metadata = email.parser.BytesParser().parsebytes(wheel.read(f"{info}/METADATA"))
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        tags = email.parser.BytesParser().parsebytes(wheel.read(f"{info}/WHEEL"))
    _check_metadata(metadata, path.name)
    scripts = _project()["scripts"]
    for name, target in scripts.items():
        _expect(
            f"{name} = {target}" in entry_points.splitlines(),
            f"{path.name}: no console script {name} = {target}",
        )
    missing = _package_files() - names
    _expect(not missing, f"{path.name}: missing {sorted(missing)}")
    extra = {
        name
        for name in names
        if not name.startswith((f"{info}/", "adstxt/")) or "__pycache__" in name
    }
    _expect(not extra, f"{path.name}: unexpected files {sorted(extra)}")
    native = sorted(name for name in names if NATIVE.search(name))
    if compiled:
        found = {match.group(1) for name in native if (match := NATIVE.search(name))}
        _expect(
            found == _twins(),
            f"{path.name}: compiled modules {sorted(found)}, not {sorted(_twins())}",
        )
        _expect(
            tags["Root-Is-Purelib"] == "false" and "none-any" not in tags["Tag"],
            f"{path.name}: a compiled wheel tagged {tags['Tag']!r}",
        )
    else:
        _expect(not native, f"{path.name}: a pure wheel holding {native}")
        _expect(
            tags["Tag"] == "py3-none-any" and path.name.endswith("-py3-none-any.whl"),
            f"{path.name}: a pure wheel tagged {tags['Tag']!r}",
        )
    _check_install(path, compiled)


def _check_install(path: Path, compiled: bool) -> None:
    """Install the wheel alone into an empty environment and check a file with it."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "ADSTXT_PURE_PYTHON", "VIRTUAL_ENV")
    }
    with tempfile.TemporaryDirectory() as work:
        # No pip of its own (ensurepip is the slow part): this interpreter's pip installs
        # into it, as it would into any environment.
        venv.create(work)
        scripts = Path(work, "Scripts" if os.name == "nt" else "bin")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(scripts / "python"),
                "install",
                "-q",
                str(path.resolve()),
            ],
            check=True,
            env=environment,
            cwd=work,
        )
        check = subprocess.run(
            [scripts / "adstxt-check", ROOT / "examples" / "ads.txt"],
            capture_output=True,
            text=True,
            env=environment,
            cwd=work,
            check=False,
        )
        _expect(
            check.returncode == 0 and "Checked 1 file: 0 errors" in check.stdout,
            f"{path.name}: installed, adstxt-check failed:\n{check.stdout}{check.stderr}",
        )
        shown = subprocess.run(
            [scripts / "adstxt-check", "--version"],
            capture_output=True,
            text=True,
            env=environment,
            cwd=work,
            check=True,
        ).stdout
        # A pure wheel says why it is: "interpreted (not compiled: built with ...)".
        engine = "compiled (mypyc)" if compiled else "interpreted (not compiled"
        _expect(
            any(line.startswith(f"checker: {engine}") for line in shown.splitlines()),
            f"{path.name}: installed, --version says:\n{shown}",
        )
        probe = "import adstxt._engine_choice as c; print(c.SELLER_TABLE); print(c.BUILDERS)"
        table, builders = subprocess.run(
            [scripts / "python", "-c", probe],
            capture_output=True,
            text=True,
            env=environment,
            cwd=work,
            check=True,
        ).stdout.splitlines()
        _expect(
            (table == "C") == compiled,
            f"{path.name}: installed, the checker's seller table is {table}",
        )
        _expect(
            (builders == "C") == compiled,
            f"{path.name}: installed, the checker's builders are {builders}",
        )
        crawl = subprocess.run(
            [scripts / "adstxt-crawl", "--help"],
            capture_output=True,
            env=environment,
            cwd=work,
            check=False,
        )
        _expect(crawl.returncode == 0, f"{path.name}: installed, adstxt-crawl --help failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", type=Path, required=True)
    parser.add_argument("--wheel", type=Path, required=True, help="the pure-Python wheel")
    parser.add_argument("--compiled-wheel", type=Path, help="a wheel with the compiled engine")
    args = parser.parse_args(argv)
    try:
        check_sdist(args.sdist)
        check_wheel(args.wheel, compiled=False)
        if args.compiled_wheel is not None:
            check_wheel(args.compiled_wheel, compiled=True)
    except (DistError, OSError, KeyError, subprocess.CalledProcessError) as error:
        print(f"check_dist: {error}", file=sys.stderr)
        return 1
    checked = [args.sdist, args.wheel, args.compiled_wheel]
    print("check_dist: OK:", ", ".join(path.name for path in checked if path is not None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
