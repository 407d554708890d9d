"""Render the rule registry as Markdown: one page per rule plus an index.

``python -m adstxt._rulesdoc docs/rules`` rewrites the pages; a test keeps them current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from adstxt.rules import RULES, Rule

__all__ = ["render_index", "render_rule", "write_pages"]

_FIXES = {
    "safe": "Yes, a safe fix: applying it never changes what consumers understand.",
    "unsafe": "An unsafe fix is offered: it is a best guess that a person should review.",
    "none": "No automatic fix: the right value is something only the file's owner knows.",
}


def _show(example: bytes, limit: int = 400) -> str:
    """Example bytes as readable text; invisible and undecodable characters are escaped."""
    if example.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = "(UTF-16 with a byte-order mark) " + example.decode("utf-16")
    else:
        text = example.decode("utf-8", "backslashreplace")
    out = []
    for char in text:
        code = ord(char)
        if char == "\n" or char == "\t" or (0x20 <= code < 0x7F) or (
            code > 0xA0 and not (0x2000 <= code <= 0x206F or code == 0xFEFF or code >= 0xFF00)
        ):
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")
    shown = "".join(out)
    if len(shown) > limit:
        shown = shown[:200] + f"... ({len(shown) - 200:,} more characters)\n"
    return shown


def render_rule(rule: Rule) -> str:
    """The Markdown page of one rule."""
    context = []
    if rule.filename != "ads.txt":
        context.append(f"checked as `{rule.filename}`")
    if rule.domain:
        context.append(f"served from `{rule.domain}`")
    where = f" ({', '.join(context)})" if context else ""
    also = ""
    if rule.also:
        also = (
            "\n\nThis example also triggers "
            + ", ".join(f"[{code}]({code}.md)" for code in rule.also)
            + ", as such a line would."
        )
    against = "".join(
        f"\n\nChecked against this `sellers.json` of `{ad_system}`:\n\n```json\n"
        f"{_show(document, limit=4000).rstrip()}\n```"
        for ad_system, document in rule.sellers_json
    )
    return f"""# {rule.code} {rule.name}

| | |
|---|---|
| Severity | {rule.severity.value} |
| Category | {rule.category} |
| Fix | {rule.fix} |
| Spec | {rule.spec} |

{rule.summary}

## Why it matters

{rule.explanation}

## Example that fails{where}

```text
{_show(rule.bad).rstrip()}
```{also}{against}

## Example that passes

```text
{_show(rule.good).rstrip()}
```

## Fix

{_FIXES[rule.fix]}

## Silencing it

Every diagnostic is data: filter it out by its code, `{rule.code}`, in your own tooling.
"""


def render_index() -> str:
    """The Markdown table of every rule."""
    rows = [
        f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {r.fix} | {r.summary} |"
        for r in RULES.values()
    ]
    return (
        "# Rules\n\nEvery diagnostic code `adstxt` reports. Codes are stable: they are never "
        "renumbered or reused.\n\n| Code | Name | Severity | Fix | What it checks |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def write_pages(directory: Path) -> list[Path]:
    """Write every rule page and the index into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in RULES.values():
        path = directory / f"{rule.code}.md"
        path.write_text(render_rule(rule), encoding="utf-8")
        written.append(path)
    index = directory / "index.md"
    index.write_text(render_index(), encoding="utf-8")
    written.append(index)
    return written


if __name__ == "__main__":
    for written_path in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")):
        print(written_path)
