"""docs/history.md says what the code does: its column tables and its worked example."""

from __future__ import annotations

import re
from pathlib import Path

import adstxt
from adstxt.store._changes import derive_changes
from adstxt.store._export import TABLES
from adstxt.store._snapshot import FileSnapshot

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "history.md").read_text(encoding="utf-8")


def test_every_exported_column_is_documented_as_it_is() -> None:
    for table in TABLES.values():
        section = PAGE.split(f"### `{table.name}`", 1)[1].split("\n### ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        expected = [
            f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {c.description} |"
            for c in table.columns
        ]
        assert rows == expected, table.name


def test_every_event_type_is_documented() -> None:
    from adstxt.store._changes import ChangeType

    for kind in ChangeType:
        assert f"| `{kind.value}` |" in PAGE, kind


def test_the_worked_example_gives_the_events_shown() -> None:
    texts = re.findall(r"```text\n(.*?)```", PAGE, flags=re.DOTALL)
    old, new = (FileSnapshot.from_parse_result(adstxt.parse(text)) for text in texts[:2])
    table = PAGE.split("the events are, in this order:", 1)[1].split("\n\n", 2)[1]
    shown = [
        [cell.strip().strip("`") or None for cell in line.strip("|").split("|")]
        for line in table.splitlines()[2:]
    ]
    derived = [
        [
            e.type.value,
            e.ad_system,
            e.seller_id,
            e.variable,
            e.old,
            e.new,
            None if e.old_line is None else str(e.old_line),
            None if e.new_line is None else str(e.new_line),
        ]
        for e in derive_changes(old, new)
    ]
    assert shown == derived
