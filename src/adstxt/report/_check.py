"""Check files and folders for a report, with the checker's own API and settings.

Each file is checked as ``adstxt check`` checks it (the nearest configuration's rules and
severities, ``noqa`` comments), and parsed once more to count its usable records. Every
finding is counted; only the first ``row_limit`` are kept as rows, so a huge file costs
memory for its counts, not for a row per finding.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from adstxt._config import find_config
from adstxt._settings import Settings
from adstxt._text import Text
from adstxt.diagnostics import Diagnostic, Severity
from adstxt.report._model import CheckSection, FileRow, FindingRow

__all__ = ["FILE_NAMES", "check_paths", "find_files"]

#: The files a folder is searched for, as ``adstxt check`` searches it.
FILE_NAMES = frozenset(("ads.txt", "app-ads.txt", "sellers.json"))
# Folders never entered: hidden ones (version control), environments and caches.
_SKIPPED = frozenset(("node_modules", "__pycache__", "site-packages"))


def find_files(paths: Sequence[str]) -> Iterator[str]:
    """The files named, and the ads.txt, app-ads.txt and sellers.json files under each
    folder named, in name order."""
    for path in paths:
        if not os.path.isdir(path):
            yield path
            continue
        found: list[Path] = []
        for root, folders, files in os.walk(path):
            folders[:] = sorted(f for f in folders if not f.startswith(".") and f not in _SKIPPED)
            found.extend(Path(root, name) for name in files if name.lower() in FILE_NAMES)
        yield from (str(file) for file in sorted(found))


def _settings(path: str) -> Settings:
    config = find_config(Path(path).parent)
    return config.settings if config is not None else Settings()


def _fix_kind(d: Diagnostic) -> str:
    if d.fix is None:
        return ""
    return "safe" if d.fix.safe else "unsafe"


def _is_sellers_json(path: str, data: bytes) -> bool:
    name = path.lower()
    if name.endswith(".txt"):
        return False
    return name.endswith(".json") or data.lstrip()[:1] in (b"{", b"[")


def _check_one(path: str, data: bytes) -> tuple[int, int, Text, Sequence[Diagnostic]]:
    """A file's line count, record count, text and findings."""
    from adstxt import parse
    from adstxt._lint import lint

    settings = _settings(path)
    text = Text.from_bytes(data)
    lines = len(text.lines) - (1 if text.lines and text.lines[-1] == "" else 0)
    if _is_sellers_json(path, data):
        from adstxt.sellers import parse as parse_sellers

        sellers = parse_sellers(data, filename=path)
        found = sorted(settings.apply(sellers.diagnostics), key=Diagnostic.sort_key)
        return lines, len(sellers), text, found
    records = len(parse(text, filename=path).records)
    return lines, records, text, lint(text, filename=path, settings=settings)


def check_paths(
    files: Iterable[str], *, row_limit: int = 0, section: CheckSection | None = None
) -> CheckSection:
    """Check each file (read errors become files with the verdict ``unreadable``).

    ``row_limit`` caps the finding rows kept (0: keep all). A bad configuration file raises
    :class:`adstxt._config.ConfigError`.
    """
    section = section or CheckSection()
    for path in files:
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            problem = error.strerror or str(error)
            section.files.append(FileRow(path, 0, 0, 0, 0, 0, problem=problem))
            continue
        lines, records, text, found = _check_one(path, data)
        del data
        counts = dict.fromkeys(Severity, 0)
        for d in found:
            counts[d.severity] += 1
            section.by_rule[d.code, d.severity] += 1
            if not row_limit or len(section.findings) < row_limit:
                row = FindingRow(
                    path,
                    d.line,
                    d.column,
                    d.severity,
                    d.code,
                    d.message,
                    text.line(d.line),
                    _fix_kind(d),
                )
                section.findings.append(row)
        section.total_findings += len(found)
        section.files.append(
            FileRow(
                path,
                lines,
                records,
                counts[Severity.ERROR],
                counts[Severity.WARNING],
                counts[Severity.INFO],
            )
        )
    return section
