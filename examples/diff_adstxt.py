"""Compare two versions of an ads.txt file: sellers added, removed and changed.

    python examples/diff_adstxt.py examples/data/diff/ads-2026-10.txt \\
        examples/data/diff/ads-2026-11.txt

A seller is an account in an ad system: (ad-system domain, account ID). Domains compare
without regard to case and relationships are normalized by the parser, so ``PubMatic.com,
156439, reseller`` is the same seller as ``pubmatic.com, 156439, RESELLER``; account IDs
compare exactly, as ad systems do. A seller whose relationship or certification ID changed
is reported as changed; variables (CONTACT, OWNERDOMAIN...) are compared too. Lines that do
not parse are reported as warnings and left out of the comparison.

Exit status: 0 when the files declare the same sellers and variables, 1 when they differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import adstxt

Seller = tuple[str, str]


def sellers(path: Path) -> tuple[dict[Seller, adstxt.Record], set[tuple[str, str]]]:
    """The file's records by seller, and its variables as (NAME, value) pairs."""
    result = adstxt.parse(path.read_bytes(), filename=path.name)
    for d in result.diagnostics:
        if d.severity is adstxt.Severity.ERROR:
            print(
                f"warning: {path}:{d.line}:{d.column}: {d.code} {d.message} (line left out)",
                file=sys.stderr,
            )
    by_seller: dict[Seller, adstxt.Record] = {}
    for record in result.records:
        # The first line for a seller wins, as in a consumer's lookup table.
        by_seller.setdefault((record.domain, record.account_id), record)
    return by_seller, {(v.name.upper(), v.value) for v in result.variables}


def describe(record: adstxt.Record) -> str:
    cert = f", {record.certification_authority_id}" if record.certification_authority_id else ""
    return f"{record.domain}, {record.account_id}, {record.relationship.value}{cert}"


def changes(old: adstxt.Record, new: adstxt.Record) -> list[str]:
    """What differs between two records of the same seller."""
    out = []
    if old.relationship != new.relationship:
        out.append(f"relationship {old.relationship.value} -> {new.relationship.value}")
    old_cert = old.certification_authority_id or "(none)"
    new_cert = new.certification_authority_id or "(none)"
    if old_cert.lower() != new_cert.lower():
        out.append(f"certification ID {old_cert} -> {new_cert}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args(argv)

    before, old_vars = sellers(args.old)
    after, new_vars = sellers(args.new)
    lines = []
    for key in sorted(after.keys() - before.keys()):
        lines.append(f"+ added    {describe(after[key])}  (line {after[key].line})")
    for key in sorted(before.keys() - after.keys()):
        lines.append(f"- removed  {describe(before[key])}  (was line {before[key].line})")
    for key in sorted(before.keys() & after.keys()):
        what = changes(before[key], after[key])
        if what:
            lines.append(f"~ changed  {key[0]}, {key[1]}: {'; '.join(what)}")
    for name, value in sorted(new_vars - old_vars):
        lines.append(f"+ variable {name}={value}")
    for name, value in sorted(old_vars - new_vars):
        lines.append(f"- variable {name}={value}")

    print("\n".join(lines) if lines else "No change in sellers or variables.")
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for k in before.keys() & after.keys() if changes(before[k], after[k]))
    print(
        f"{added} added, {removed} removed, {changed} changed; "
        f"{len(after)} sellers in {args.new.name}."
    )
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
