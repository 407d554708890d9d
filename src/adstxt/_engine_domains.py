"""The field-1 analysis of the checker: a quick path for the usual ad-system domain.

:func:`analyze_ad_system` answers what :func:`adstxt._domains.analyze_ad_system` answers.
The usual field 1, ``name.suffix`` in lower case and no well-known ad system's look-alike,
is answered here from tables bound once (:class:`PlainAdSystems`); everything else goes to
the full checks in :mod:`adstxt._domains`. It is compiled with the rest of the checker
(see :mod:`adstxt._engine_source`): a file whose every line names a new ad system spends
most of its time here, and compiled, the string tests and look-ups below are C calls.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Final

from adstxt import _known, _lookalikes
from adstxt._domains import _CERT_THEN_DOMAIN, DomainAnalysis, _analyze_ad_system, _suffixes
from adstxt._domains import _SuffixList as SuffixList

#: Builds a :class:`DomainAnalysis` from its four fields without the named tuple's
#: interpreted ``__new__``.
_MAKE: Final[Callable[..., DomainAnalysis]] = tuple.__new__
#: How many beginnings of domains :attr:`PlainAdSystems.heads` remembers at most.
_HEADS: Final = 20_000


class PlainAdSystems:
    """Answers :func:`analyze_ad_system` for a plain field 1, or says None to ask the full
    checks: it answers only when they would find nothing to report."""

    __slots__ = (
        "built",
        "end",
        "glued",
        "heads",
        "root",
        "skeletons",
        "starts",
        "steps",
        "systems",
        "verdicts",
    )

    def __init__(self, reader: SuffixList, steps: tuple[tuple[str, str], ...]) -> None:
        self.root: dict[str, Any] = reader._root
        # The list's rules under a last label go into the trie when first asked about.
        self.built: Callable[[str], dict[str, Any] | None] = reader._built
        self.end: str = SuffixList._END
        systems = _known.ad_systems()
        self.systems = systems
        skeletons = _lookalikes.known_skeletons()
        # One look-up for what the full checks decide by name: True for a well-known ad
        # system (nothing to report), False for an alias, a misspelling, a deletion of one
        # character or the skeleton of a well-known name (the full checks decide), which
        # they decide in that order; a name in neither table goes on.
        verdicts: dict[str, bool] = dict.fromkeys(
            [*systems.aliases, *systems.misspellings, *systems.deletions, *skeletons], False
        )
        verdicts.update(dict.fromkeys([*systems.canonical, *systems.families], True))
        self.verdicts = verdicts
        self.skeletons: frozenset[str] = frozenset(skeletons)
        self.starts: frozenset[str] = systems.starts
        # The first four characters of a domain -> whether they pass the prefilter of
        # AdSystems.near_miss, which looks at nothing else: files name ad systems with a
        # few hundred distinct beginnings, and one look-up here replaces four.
        self.heads: dict[str, bool] = {}
        self.steps = steps
        self.glued: re.Pattern[str] = _CERT_THEN_DOMAIN

    def analyze(self, text: str) -> DomainAnalysis | None:
        """The analysis of ``text`` when it has nothing to report, else None."""
        name, _, suffix = text.rpartition(".")
        # Exactly two labels: a host-name label (ASCII letters and digits, inner hyphens,
        # lower case, not punycode; string tests, cheaper than a regex here) and a suffix
        # rule (no wildcard, no exception) of which it is no further rule. The
        # registrable domain is then the text itself.
        if (
            not name
            or len(name) > 63
            or len(text) < 4
            or not text.isascii()
            or "." in name
            or not (name.islower() or name.isdigit())
            or not name.replace("-", "").isalnum()
            or name[0] == "-"
            or name[-1] == "-"
            or name.startswith("xn--")
        ):
            return None
        node = self.root.get(suffix)
        if node is None:
            node = self.built(suffix)
        if node is None or self.end not in node or "*" in node or name in node:
            return None
        verdict = self.verdicts.get(text)
        if verdict is not None:
            return _MAKE(DomainAnalysis, (text, text, "", ())) if verdict else None
        if len(name) > 16 and self.glued.match(text) is not None:
            return None
        shown = text
        for seen, like in self.steps:
            shown = shown.replace(seen, like)
        if shown != text and shown in self.skeletons:
            return None  # it may imitate a well-known ad system
        # What AdSystems.near_miss looks at first, inline: it rules out nearly every domain.
        head = text[:4]
        passes = self.heads.get(head)
        if passes is None:
            starts = self.starts
            passes = (
                head[:3] in starts
                or head[1:4] in starts
                or head[0] + head[2:4] in starts
                or head[:2] + head[3] in starts
            )
            if len(self.heads) < _HEADS:
                self.heads[head] = passes
        if passes and self.systems.near_miss(text) is not None:
            return None
        return _MAKE(DomainAnalysis, (text, text, "", ()))


@functools.cache
def plain_ad_systems() -> PlainAdSystems | None:
    """The quick path, or None where the suffix list is tldextract's own (no trie to read)
    or look-alikes are not plain replacements."""
    reader = _suffixes(())  # the reader the thorough checks ask, whose trie they grow
    steps = _lookalikes.ascii_steps()
    if not isinstance(reader, SuffixList) or steps is None:
        return None
    return PlainAdSystems(reader, steps)


def analyze_ad_system(text: str) -> DomainAnalysis:
    """:func:`adstxt._domains.analyze_ad_system` of ``text``, by the quick path when it can."""
    quick = plain_ad_systems()
    if quick is not None:
        found = quick.analyze(text)
        if found is not None:
            return found
    return _analyze_ad_system(text, ())
