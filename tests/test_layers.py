"""The package's modules form layers that import only downwards, with no import cycle.

docs/architecture.md describes the layers; LAYERS below is their definition. Every import
counts, at module level, inside a function or under ``if TYPE_CHECKING:``, because a
function-level import is still a dependency (and has often been a cycle in disguise).
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "adstxt"

#: The layers, bottom first. A module may import from its own layer or any layer below.
#: Patterns are matched against the dotted module name; a sub-package's pattern covers its
#: modules. A new module must be placed here (and in docs/architecture.md).
LAYERS: dict[str, tuple[str, ...]] = {
    "text": (
        "adstxt._version",
        "adstxt._atomic",
        "adstxt._guard",
        "adstxt._progress",
        "adstxt._crawl_collector",
        "adstxt._process_exit",
        "adstxt._chars",
        "adstxt._decode",
        "adstxt._engine_source",
        "adstxt._known",
        "adstxt._linetext",
        "adstxt._lookalikes",
        "adstxt._sniff",
        "adstxt._text",
    ),
    "model": (
        "adstxt.diagnostics",
        "adstxt.errors",
        "adstxt._finding",
        "adstxt.model",
        "adstxt._serialize",
    ),
    "rules": ("adstxt.rules", "adstxt.rules.*"),
    "engine": (
        "adstxt._domains",
        "adstxt._fields",
        "adstxt._variables",
        "adstxt._engine",
        "adstxt._engine_*",
        "adstxt._settings",
        "adstxt._suppress",
    ),
    "api": (
        "adstxt",
        "adstxt._api",
        "adstxt._lint",
        "adstxt._fixer",
        "adstxt._config",
        "adstxt._diskcache",
        "adstxt._files",
        "adstxt.fetch",
        "adstxt.fetch.*",
        "adstxt.sellers",
        "adstxt.sellers.*",
    ),
    "renderers": (
        "adstxt._report",
        "adstxt._diff",
        "adstxt._speccoverage",
    ),
    "lookups": (
        "adstxt.authorization",
        "adstxt.authorization.*",
        "adstxt.schain",
        "adstxt.schain.*",
        "adstxt.apps",
        "adstxt.apps.*",
        "adstxt._lookup_options",
    ),
    # The crawl store: fetches, file versions, change events, exports and the work queue.
    "store": ("adstxt.store", "adstxt.store.*"),
    "audits": ("adstxt.audit", "adstxt.audit.*"),
    "reports": ("adstxt.report", "adstxt.report.*"),
    # The rule pages run each rule's examples, supply chains included.
    "docs": ("adstxt._rulesdoc",),
    "cli": (
        "adstxt.cli",
        "adstxt.crawl",
        "adstxt._crawl_shared",
        "adstxt._store_lookups",
        "adstxt._commands",
        "adstxt._clidoc",
        "adstxt.__main__",
    ),
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["adstxt", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imported(module: str, path: Path) -> set[str]:
    """The package modules that ``module`` imports anywhere in its source.

    ``from adstxt import _decode`` imports the module ``adstxt._decode``, while ``from
    adstxt import parse`` imports the package ``adstxt``. The parent packages Python
    initialises on the way to a module are not counted: they are where a module lives,
    not what it uses.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


GRAPH = {module: _imported(module, path) for module, path in MODULES.items()}


def _layer_of(module: str) -> int:
    for rank, patterns in enumerate(LAYERS.values()):
        if any(fnmatch.fnmatchcase(module, pattern) for pattern in patterns):
            return rank
    raise LookupError(module)


def _cycle() -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_graph_sees_imports_of_every_kind() -> None:
    # ``from package import module``, ``from module import name``, an import inside a
    # function, one under ``if TYPE_CHECKING:``, and a package's own modules.
    assert "adstxt._decode" in GRAPH["adstxt._api"]
    assert "adstxt.rules" in GRAPH["adstxt._engine_lines"]
    assert "adstxt._rulesdoc" in GRAPH["adstxt.cli"]
    assert "adstxt.sellers" in GRAPH["adstxt._lint"]
    assert "adstxt.rules.fetching" in GRAPH["adstxt.rules"]


def test_no_import_cycle() -> None:
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    GRAPH["adstxt._decode"].add("adstxt.model")
    try:
        assert _cycle() == ["adstxt._decode", "adstxt.model", "adstxt._decode"]
    finally:
        GRAPH["adstxt._decode"].discard("adstxt.model")


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in MODULES:
        try:
            _layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert not unplaced, f"add these to LAYERS in {__file__} and to docs/architecture.md"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_layers(module: str) -> None:
    names = list(LAYERS)
    upward = {
        target: names[_layer_of(target)]
        for target in GRAPH[module]
        if _layer_of(target) > _layer_of(module)
    }
    assert not upward, f"{module} ({names[_layer_of(module)]}) imports from above: {upward}"


def test_every_pattern_names_a_module() -> None:
    for patterns in LAYERS.values():
        for pattern in patterns:
            assert any(fnmatch.fnmatchcase(module, pattern) for module in MODULES), pattern


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    top_level = {".".join(module.split(".")[:2]) for module in MODULES if module != "adstxt"}
    missing = sorted(m for m in top_level if f"`{m.removeprefix('adstxt.')}`" not in page)
    assert not missing, f"docs/architecture.md does not describe {missing}"


#: The modules that may import a command's module (``_cli``): the registry of commands.
_COMMAND_REGISTRY = frozenset(("adstxt._commands", "adstxt._clidoc", "adstxt.__main__"))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_uses_another_package_s_command_module(module: str) -> None:
    # A command module is the edge of the program: what two commands share lives in a
    # shared module (adstxt._guard, adstxt._lookup_options), not in one of the commands.
    package = module.rpartition(".")[0] if module.count(".") > 1 else module
    borrowed = sorted(
        target
        for target in GRAPH[module]
        if target.endswith("._cli")
        and not target.startswith(package + ".")
        and module not in _COMMAND_REGISTRY
    )
    assert not borrowed, f"{module} imports {borrowed}"
