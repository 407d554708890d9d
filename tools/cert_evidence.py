"""Regenerate src/adstxt/data/certification_evidence.csv from a corpus of real ads.txt files.

Usage: ``python tools/cert_evidence.py CORPUS_DIR [CORPUS_NAME]``. ``CORPUS_DIR`` holds the
surveyed files and their ``SOURCES.tsv`` (columns ``filename`` and ``repository``). Only
figures leave the corpus: for every ad system of ``certification_ids.csv``, how many files
(and repositories) carry one of its accepted IDs in field 4, how many carry any well-formed
16-hex ID there, and the share of the first among the second (the agreement). Files are
read as ``data/SOURCES.md`` ("Corpus survey method") describes.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "adstxt" / "data"
TARGET = DATA / "certification_evidence.csv"
_DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")


def _text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace").removeprefix("\ufeff")


def _pairs(data: bytes) -> set[tuple[str, str]]:
    """The (ad-system domain, lower-cased field 4) pairs of one file."""
    text = _text(data)
    rtf = text.startswith("{\\rtf")
    found: set[tuple[str, str]] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0]
        if rtf:
            line = line.removesuffix("\\")
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 4 or fields[2].upper() not in ("DIRECT", "RESELLER"):
            continue
        domain = fields[0].lower()
        if _DOMAIN.match(domain):
            found.add((domain, fields[3].lower()))
    return found


def main(corpus: Path, name: str) -> None:
    repos = {}
    with (corpus / "SOURCES.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            repos[row["filename"]] = row["repository"]
    accepted: dict[str, set[str]] = defaultdict(set)
    with (DATA / "certification_ids.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            accepted[row["domain"]].add(row["certification_id"])
    agreeing: dict[str, set[str]] = defaultdict(set)
    any_hex: dict[str, set[str]] = defaultdict(set)
    for path in sorted(corpus.iterdir()):
        if not path.is_file() or path.name == "SOURCES.tsv":
            continue
        for domain, cert in _pairs(path.read_bytes()):
            if domain in accepted and _HEX16.match(cert):
                any_hex[domain].add(path.name)
                if cert in accepted[domain]:
                    agreeing[domain].add(path.name)
    with TARGET.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(
            [
                "domain",
                "corpus",
                "files_agreeing",
                "repos_agreeing",
                "files_with_an_id",
                "agreement",
            ]
        )
        for domain in sorted(accepted):
            total = len(any_hex[domain])
            good = agreeing[domain]
            out.writerow(
                [
                    domain,
                    name,
                    len(good),
                    len({repos.get(n, n) for n in good}),
                    total,
                    f"{len(good) / total:.3f}" if total else "",
                ]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else Path(sys.argv[1]).name)
