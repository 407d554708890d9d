"""A chain's result as text, as ``adstxt schain`` prints it and the rule pages show it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adstxt.schain._verify import ChainResult

__all__ = ["render_text"]


def render_text(result: ChainResult, name: str = "chain") -> str:
    """A chain's result as ``adstxt schain`` prints it: the verdict and its reasons, each
    node's verdict and reasons, then every diagnostic at its place (line and column of a
    JSON text, column of the string form, and the JSON pointer)."""
    lines = [f"{name}: {result.verdict}"]
    # A reason that only repeats a diagnostic is shown once, as the located diagnostic.
    told = {d.code + " " + d.message for d in result.diagnostics}
    lines.extend(
        f"  {reason}" for reason in result.reasons if reason.split(" (at /", 1)[0] not in told
    )
    for node in result.nodes:
        lines.append(f"  node {node.number} {node.asi} {node.sid}: {node.verdict}")
        lines.extend(f"    {reason}" for reason in node.reasons)
    for d in result.diagnostics:
        where = f" (at {d.pointer})" if d.pointer else ""
        lines.append(
            f"  {name}:{d.line}:{d.column}: {d.code} [{d.severity.value}] {d.message}{where}"
        )
    return "\n".join(lines)
