"""Write one HTML page about the ads.txt files of many sites, and about an audit of them.

Give it the folder that holds one folder per site (as ``adstxt crawl --mirror`` writes it)
and, optionally, the JSON result of ``adstxt audit``. It checks every ads.txt, app-ads.txt
and sellers.json with :mod:`adstxt.report`, adds the audit, and writes the page: open it in
any browser, mail it, print it. It prints one line of totals and exits with status 1 when a
file has an error, so a scheduled job can both publish the page and fail.

    python examples/site_report.py examples/data/sites \\
        --audit examples/data/audit-result.json --output report.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adstxt.report import AuditFormatError, Report, check_paths, find_files, read_audit, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="one folder per site, each with its ads.txt")
    parser.add_argument("--audit", help="the JSON that 'adstxt audit --output-format json' wrote")
    parser.add_argument("--output", default="report.html", help="the page to write")
    parser.add_argument("--title", default="Our sites' ads.txt files")
    args = parser.parse_args(argv)

    report = Report(title=args.title, row_limit=2000)
    report.check = check_paths(find_files([args.folder]), row_limit=report.row_limit)
    if args.audit:
        try:
            report.audit = read_audit(args.audit)
        except (OSError, AuditFormatError) as error:
            print(f"site_report: {args.audit}: {error}", file=sys.stderr)
            return 2
    Path(args.output).write_text(render(report), encoding="utf-8")

    files = report.check.files
    failing = sum(1 for file in files if file.verdict in ("errors", "unreadable"))
    print(
        f"{len(files)} files, {report.check.total_findings} findings, {failing} failing. "
        f"Report: {args.output}"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
