"""Check every ads.txt and app-ads.txt under a folder and write the findings to a CSV file.

    python examples/check_folder.py examples/data/sites --output report.csv

One row per finding: the file, where in it, the rule, its severity and message, and whether
``adstxt-check --fix`` can repair it. Settings (``.adstxt.toml`` or ``[tool.adstxt]``) are
not read here; pass ``--strict`` to count warnings as failures, or adapt ``SETTINGS``.
The exit status is 1 when a file has a failing finding, as ``adstxt-check`` does.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import adstxt

NAMES = {"ads.txt", "app-ads.txt"}
COLUMNS = ["file", "line", "column", "code", "rule", "severity", "message", "fixable"]


def find_files(folder: Path) -> list[Path]:
    """Every ads.txt and app-ads.txt below ``folder``, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.lower() in NAMES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--output", type=Path, default=Path("adstxt-report.csv"))
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    args = parser.parse_args(argv)

    settings = adstxt.Settings(strict=args.strict)
    failing = {adstxt.Severity.ERROR} | ({adstxt.Severity.WARNING} if args.strict else set())
    counts: Counter[str] = Counter()
    files = find_files(args.folder)
    with args.output.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for path in files:
            # lint() picks the app-ads.txt rules from the file name, as the command does.
            found = adstxt.lint(path.read_bytes(), filename=path.name, settings=settings)
            for d in found:
                fixable = "safe" if d.fix and d.fix.safe else "unsafe" if d.fix else ""
                writer.writerow(
                    [
                        path.relative_to(args.folder).as_posix(),
                        d.line,
                        d.column,
                        d.code,
                        d.name,
                        d.severity.value,
                        d.message,
                        fixable,
                    ]
                )
                counts[d.severity.value] += 1
            counts["failing files"] += any(d.severity in failing for d in found)

    print(
        f"Checked {len(files)} files: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} info; "
        f"failing files: {counts['failing files']}. Report: {args.output}"
    )
    return 1 if counts["failing files"] else 0


if __name__ == "__main__":
    sys.exit(main())
