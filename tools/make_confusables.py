"""Regenerate src/adstxt/data/confusables.csv from Unicode's confusables data.

The data comes from the ``confusable_homoglyphs`` package (a maintained copy of Unicode's
confusables.txt): ``pip install confusable_homoglyphs``, then run this script. Only what a
domain name can imitate is kept: characters that look like a lower-case letter, a digit, ``-``
or ``.``, the digits that look like letters (``0``, ``1``) and short ASCII sequences such as
``rn``.
"""

from __future__ import annotations

import csv
import json
import string
import unicodedata
from importlib.resources import files
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "adstxt" / "data" / "confusables.csv"
_DOMAIN_CHARACTERS = set(string.ascii_lowercase + string.digits + "-.")


def _rows() -> list[tuple[str, str, str]]:
    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text())
    found: dict[str, str] = {}
    for key, entries in data.items():
        for entry in entries:
            seen, like = entry["c"], key
            # Both directions appear in the data; keep the one that ends in domain characters.
            for source, target in ((seen, like), (like, seen)):
                target = target.lower()
                if len(target) != 1 or target not in _DOMAIN_CHARACTERS or source.lower() == target:
                    continue
                if len(source) == 1 and (not source.isascii() or source.isdigit()):
                    # Non-ASCII look-alikes, and the digits that pass for letters (0, 1).
                    found.setdefault(source, target)
                elif 1 < len(source) <= 3 and source.isascii() and source.isalpha():
                    found.setdefault(source.lower(), target)
    rows = []
    for source, target in sorted(found.items()):
        name = (
            unicodedata.name(source, f"U+{ord(source):04X}")
            if len(source) == 1
            else "ASCII sequence " + source
        )
        rows.append((source, target, name))
    return rows


def main() -> None:
    rows = _rows()
    with TARGET.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(("seen", "looks_like", "name"))
        writer.writerows(rows)
    print(f"{TARGET}: {len(rows)} rows")


if __name__ == "__main__":
    main()
