"""Merge ads.txt lines supplied by a partner into a site's ads.txt, without duplicates.

    python examples/merge_partner_lines.py examples/data/merge/site-ads.txt \\
        examples/data/merge/partner-lines.txt --output merged-ads.txt

The site's file is kept exactly as it is (comments, variables, blank lines, order); the
partner's new records are appended under a comment naming their source. Along the way:

- the partner's lines get the safe fixes first (a URL written for a domain, letter case),
  exactly as ``adstxt-check --fix`` would apply them;
- a record the site already has (same ad system, account and relationship) is skipped;
- a record whose account the site lists with the other relationship is not added: the site
  decides, and the conflict is reported;
- lines that still have errors, and the partner's variables, are reported and left out.

The merged file is checked before it is written. Without ``--output`` it goes to standard
output and the report to standard error. Exit status: 0 when the merge was written cleanly,
1 when lines were rejected or the merged file has errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import adstxt

Key = tuple[str, str, adstxt.Relationship]


def key(record: adstxt.Record) -> Key:
    # The parser already lower-cases the domain and normalizes the relationship.
    return record.domain, record.account_id, record.relationship


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the site's ads.txt or app-ads.txt")
    parser.add_argument("partner", type=Path, help="the lines the partner sent")
    parser.add_argument("--output", type=Path, help="where to write the merged file")
    args = parser.parse_args(argv)

    def report(message: str) -> None:
        print(message, file=sys.stderr if args.output is None else sys.stdout)

    site_bytes = args.site.read_bytes()
    site = adstxt.parse(site_bytes, filename=args.site.name)
    have = {key(r) for r in site.records}
    relationship_of = {(r.domain, r.account_id): r.relationship for r in site.records}

    # Repair what can be repaired safely, then parse what is left.
    fixed = adstxt.apply_fixes(args.partner.read_bytes(), filename=args.site.name)
    partner = adstxt.parse(fixed.data, filename=args.site.name)
    # Fixes may delete lines, so findings quote the line rather than its number.
    lines = partner.text.splitlines()
    for d in fixed.applied:
        report(f"fixed     {d.code} {d.message}")
    rejected = 0
    for d in partner.diagnostics:
        if d.severity is adstxt.Severity.ERROR:
            report(f"rejected  {lines[d.line - 1].strip()!r}: {d.code} {d.message}")
            rejected += 1
    for variable in partner.variables:
        report(
            f"skipped   variable {variable.name}={variable.value} "
            "(the site's own variables stay in charge)"
        )

    new: list[adstxt.Record] = []
    for record in partner.records:
        seller = (record.domain, record.account_id)
        if key(record) in have:
            report(
                f"duplicate {record.domain}, {record.account_id}, "
                f"{record.relationship.value} is already in {args.site.name}"
            )
        elif seller in relationship_of:
            report(
                f"conflict  {record.domain}, {record.account_id} is "
                f"{record.relationship.value} from {args.partner.name} but "
                f"{relationship_of[seller].value} in {args.site.name}; kept the site's"
            )
            rejected += 1
        else:
            new.append(record)
            have.add(key(record))

    merged = site.text
    if new:
        merged = merged.rstrip("\r\n") + "\n" if merged.strip() else ""
        merged += f"\n# Added from {args.partner.name}\n" + adstxt.dumps(new)
    problems = [
        d
        for d in adstxt.lint(merged, filename=args.site.name)
        if d.severity is adstxt.Severity.ERROR
    ]
    for d in problems:
        report(f"error     merged:{d.line}:{d.column}: {d.code} {d.message}")

    if args.output is None:
        sys.stdout.write(merged)
    else:
        args.output.write_text(merged, encoding="utf-8")
    report(
        f"Added {len(new)} records; {rejected} partner lines rejected; "
        f"{len(problems)} errors in the merged file."
    )
    return 1 if rejected or problems else 0


if __name__ == "__main__":
    sys.exit(main())
