"""Sphinx configuration of the adstxt documentation (built with warnings as errors)."""

from __future__ import annotations

from typing import Any

from adstxt import __version__

project = "adstxt"
author = "The adstxt developers"
copyright = "The adstxt developers"
release = version = __version__

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

myst_enable_extensions = ["colon_fence", "deflist"]
# Headings get anchors so that "cli.md#exit-status" style links resolve.
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_class_signature = "separated"

html_theme = "furo"
html_title = f"adstxt {release}"
html_theme_options = {"navigation_with_keys": True}
html_static_path: list[str] = []

# The rule index is generated Markdown that also reads well on GitHub and in a terminal
# (--explain), so the table of contents of the rule pages is added only when Sphinx reads it.
_RULES_TOCTREE = "\n\n```{toctree}\n:hidden:\n:glob:\n\nADS*\n```\n"


def _add_rule_pages(app: Any, docname: str, source: list[str]) -> None:
    if docname == "rules/index":
        source[0] += _RULES_TOCTREE


def setup(app: Any) -> dict[str, bool]:
    app.connect("source-read", _add_rule_pages)
    return {"parallel_read_safe": True}
