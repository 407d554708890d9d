"""Ad-system domains written to look like well-known ones.

A domain's *skeleton* replaces every character (or short ASCII sequence, such as ``rn``)
that Unicode's confusables data says looks like a letter or digit with that letter or
digit. Two domains with one skeleton look alike to a reader. The table is derived from the
Unicode data by ``tools/make_confusables.py`` and ships in ``data/confusables.csv``.
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from typing import NamedTuple

from adstxt import _known

__all__ = [
    "Imitation",
    "ascii_steps",
    "imitation",
    "known_skeletons",
    "skeleton",
    "unicode_form",
]


class Imitation(NamedTuple):
    """A domain that looks like the well-known ad system ``target``."""

    target: str
    #: The characters that make the look-alike, described for a person ("'rn' for 'm'").
    tricks: tuple[str, ...]


@functools.cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """Single characters and ASCII sequences, each mapped to what it looks like."""
    singles: dict[str, str] = {}
    sequences: dict[str, str] = {}
    for row in _known._read_csv("confusables.csv"):
        seen, like = row["seen"], row["looks_like"]
        (singles if len(seen) == 1 else sequences)[seen] = like
    return singles, sequences


@functools.cache
def _translation() -> tuple[dict[int, str], tuple[tuple[str, str], ...]]:
    """The single-character look-alikes as a :meth:`str.translate` table, and those of ASCII
    characters as pairs for :meth:`str.replace`, which is faster on ASCII text."""
    singles = _table()[0]
    ascii_pairs = tuple((seen, like) for seen, like in singles.items() if seen.isascii())
    # Replacing one pair after another equals translating at once only while no
    # replacement is itself replaced later; otherwise ASCII text is translated too.
    chained = not any(char in singles for _, like in ascii_pairs for char in like)
    return {ord(seen): like for seen, like in singles.items()}, ascii_pairs if chained else ()


@functools.cache
def ascii_steps() -> tuple[tuple[str, str], ...] | None:
    """The replacements :func:`skeleton` makes, in order, on lower-case ASCII text (None
    when it translates such text instead)."""
    _, sequences = _table()
    ascii_pairs = _translation()[1]
    return (*ascii_pairs, *sequences.items()) if ascii_pairs else None


def skeleton(text: str) -> str:
    """``text`` lower-cased, normalized, with every look-alike replaced by what it imitates."""
    _, sequences = _table()
    table, ascii_pairs = _translation()
    if text.isascii() and ascii_pairs:
        out = text.lower()  # NFKC leaves ASCII unchanged
        for seen, like in ascii_pairs:
            out = out.replace(seen, like)
    else:
        out = unicodedata.normalize("NFKC", text).lower().translate(table)
    for seen, like in sequences.items():
        out = out.replace(seen, like)
    return out


@functools.cache
def known_skeletons() -> dict[str, str]:
    """The skeleton of every well-known ad-system domain, mapped to that domain."""
    systems = _known.ad_systems()
    names = sorted(systems.canonical | systems.families.keys())
    found: dict[str, str] = {}
    for name in names:
        found.setdefault(skeleton(name), name)
    return found


def unicode_form(domain: str) -> str:
    """The domain as a browser would show it: punycode labels decoded."""
    if "xn--" not in domain:
        return domain
    labels = []
    for label in domain.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def _tricks(shown: str) -> tuple[str, ...]:
    singles, sequences = _table()
    tricks: list[str] = []
    for char in shown:
        like = singles.get(char) or singles.get(char.lower())
        if like is not None and like != char.lower():
            described = (
                f"'{char}' for '{like}'"
                if char.isascii()
                else f"U+{ord(char):04X} {unicodedata.name(char, '')} for '{like}'"
            )
            if described not in tricks:
                tricks.append(described)
    lowered = shown.lower()
    tricks.extend(f"'{seen}' for '{like}'" for seen, like in sequences.items() if seen in lowered)
    return tuple(tricks)


def imitation(domain: str, text: str) -> Imitation | None:
    """The well-known ad system that ``domain`` (normalized, possibly punycode) imitates.

    ``text`` is the domain as written (its non-ASCII characters name the look-alikes).
    None when ``domain`` is itself a known ad system or looks like none.
    """
    systems = _known.ad_systems()
    if systems.is_known(domain):
        return None
    shown = unicode_form(text if not text.isascii() else domain)
    target = known_skeletons().get(skeleton(shown))
    if target is None or target == domain:
        return None
    # Without a listed character, the skeleton matched through normalization alone
    # (fullwidth letters and the like).
    tricks = _tricks(shown) or ("characters that only look like the plain letters",)
    return Imitation(target, tricks)
