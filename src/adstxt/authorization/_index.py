"""The authorization index: every file of a source reduced to what lookups need.

A file becomes one dictionary from ``(ad-system domain, seller ID)`` to the lines that list
the pair, plus the variables that steer lookups (SUBDOMAIN, INVENTORYPARTNERDOMAIN,
OWNERDOMAIN, MANAGERDOMAIN). Files are read from the source on first use, or all at once
with :meth:`AuthorizationIndex.load`. Which file governs a publisher is worked out once per
publisher and kept, so a repeated question costs two dictionary lookups.

Matching follows ads.txt 1.1: ad-system domains compare without regard to case (they are
DNS names), relationships too, and seller IDs exactly after trimming whitespace (the spec
says they must equal the value used in transactions and never calls them case-insensitive).
A seller ID that matches only when case is ignored authorizes nobody, but the answer says
so and points at the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import NamedTuple

from adstxt.authorization._sources import AdsFile, FileState, Source
from adstxt.authorization._verdicts import Answer, Evidence, Verdict
from adstxt.model import FileKind
from adstxt.sellers._fields import is_confidential

__all__ = ["AuthorizationIndex", "Question", "SellerFacts"]

_PLACEHOLDER = "placeholder.example.com"
_DIRECT = "DIRECT"
_RESELLER = "RESELLER"


class Question(NamedTuple):
    """One question for :meth:`AuthorizationIndex.lookup`."""

    publisher: str
    ad_system: str
    seller_id: str
    relationship: str | None = None
    kind: FileKind = "ads.txt"
    inventory_partner: str | None = None


class SellerFacts(NamedTuple):
    """What a sellers.json says of one seller ID (``found`` false when it is not listed)."""

    found: bool
    seller_type: str | None = None
    is_confidential: bool = False
    is_passthrough: bool = False
    name: str | None = None
    domain: str | None = None
    pointer: str | None = None


_MISSING = SellerFacts(False)
_UNAUTHORIZED = Verdict.UNAUTHORIZED
_SELLER_TYPES = frozenset({"PUBLISHER", "INTERMEDIARY", "BOTH"})
_MISMATCH = Verdict.RELATIONSHIP_MISMATCH
_FOUND = {_DIRECT: Verdict.AUTHORIZED_DIRECT, _RESELLER: Verdict.AUTHORIZED_RESELLER}
_NO_SELLERS = Verdict.NO_SELLERS


class _File:
    """One host's file, reduced for lookups."""

    __slots__ = (
        "case_folded",
        "exact",
        "file",
        "managers",
        "ok",
        "owner",
        "partners",
        "placeholder",
        "records",
        "subdomains",
    )

    def __init__(self, file: AdsFile) -> None:
        self.file = file
        self.exact: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.case_folded: dict[tuple[str, str], list[tuple[int, str, str]]] | None = None
        self.subdomains: frozenset[str] = frozenset()
        self.partners: frozenset[str] = frozenset()
        self.owner: str | None = None
        self.managers: tuple[str, ...] = ()
        self.records = 0
        self.placeholder = False
        parsed = file.parsed
        self.ok = file.state == "ok" and parsed is not None
        if not self.ok or parsed is None:
            return
        exact = self.exact
        for record in parsed.records:
            if record.domain == _PLACEHOLDER:
                self.placeholder = True
                continue
            key = (record.domain, record.account_id.strip())
            found = exact.get(key)
            if found is None:
                exact[key] = [(record.line, record.relationship.value)]
            else:
                found.append((record.line, record.relationship.value))
        self.records = len(exact)
        subdomains, partners, managers = set(), set(), []
        for variable in parsed.variables:
            value = variable.value.strip().lower().rstrip(".")
            if variable.name == "SUBDOMAIN":
                subdomains.add(value)
            elif variable.name == "INVENTORYPARTNERDOMAIN":
                partners.add(value)
            elif variable.name == "OWNERDOMAIN":
                # ads.txt 1.1 section 3.5.1: only the first OWNERDOMAIN counts.
                self.owner = self.owner or value
            elif variable.name == "MANAGERDOMAIN":
                managers.append(variable.value.strip())
        self.subdomains = frozenset(subdomains)
        self.partners = frozenset(partners)
        self.managers = tuple(managers)

    def folded(self) -> dict[tuple[str, str], list[tuple[int, str, str]]]:
        """The pairs by lower-case seller ID, built on the first case-only question."""
        if self.case_folded is None:
            folded: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
            for (domain, seller), lines in self.exact.items():
                folded.setdefault((domain, seller.lower()), []).extend(
                    (line, relationship, seller) for line, relationship in lines
                )
            self.case_folded = folded
        return self.case_folded


class _Governing(NamedTuple):
    file: _File
    via: str


_STATE_VERDICTS: dict[FileState, Verdict] = {
    "not-found": Verdict.NO_FILE,
    "restricted": Verdict.RESTRICTED,
    "invalid": Verdict.INVALID_FILE,
    "unavailable": Verdict.UNAVAILABLE,
}


def _normal(name: str) -> str:
    return name.strip().lower().rstrip(".")


class AuthorizationIndex:
    """Answers "is this seller authorized?" from the files of a :class:`Source`.

    >>> from adstxt.authorization import AuthorizationIndex, MemorySource
    >>> index = AuthorizationIndex(MemorySource(
    ...     {("example.com", "ads.txt"): "exchange.com, 1234, DIRECT\\n"}))
    >>> index.lookup("example.com", "Exchange.com", "1234").verdict.value
    'authorized-direct'
    >>> index.lookup("example.com", "exchange.com", "1234", "RESELLER").verdict.value
    'relationship-mismatch'
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self._files: dict[tuple[str, FileKind], _File] = {}
        self._governing: dict[tuple[str, FileKind], _Governing] = {}
        self._ad_systems: dict[str, str] = {}
        self._sellers: dict[str, dict[str, SellerFacts] | None] = {}
        # The governing file of each publisher as asked, for ads.txt: one dictionary lookup.
        self._ads_txt: dict[str, _Governing] = {}

    # ---- building ----------------------------------------------------------------------

    def load(self, kinds: Iterable[FileKind] = ("ads.txt", "app-ads.txt")) -> int:
        """Read every file the source can list now, rather than on first use; return how
        many files were read."""
        count = 0
        for kind in kinds:
            for host in self.source.hosts(kind):
                self._file(_normal(host), kind)
                count += 1
        return count

    def _file(self, host: str, kind: FileKind) -> _File:
        key = (host, kind)
        found = self._files.get(key)
        if found is None:
            found = self._files[key] = _File(self.source.ads_file(host, kind))
        return found

    def governing_file(self, publisher: str, kind: FileKind = "ads.txt") -> AdsFile:
        """The file that authorizes sellers for ``publisher``."""
        return self._govern(publisher, kind).file.file

    def _govern(self, publisher: str, kind: FileKind) -> _Governing:
        key = (publisher, kind)
        found = self._governing.get(key)
        if found is None:
            found = self._governing[key] = self._resolve(_normal(publisher), kind)
            if kind == "ads.txt":
                self._ads_txt[publisher] = found
        return found

    def _resolve(self, publisher: str, kind: FileKind) -> _Governing:
        from adstxt._domains import analyze_host

        if kind == "app-ads.txt":
            return self._resolve_app(publisher)
        host = publisher.split("//", 1)[-1].split("/", 1)[0]
        root = analyze_host(host or ".").registrable
        if root is None:
            raise ValueError(f"'{publisher}' is not a domain under a public suffix")
        governing = self._file(root, kind)
        # ads.txt 1.1 section 3.5.1: a subdomain declared by SUBDOMAIN= in the root file, that
        # serves a file of its own, is governed by that file; otherwise the root file governs.
        if host != root and host in governing.subdomains:
            own = self._file(host, kind)
            if own.file.state == "ok":
                return _Governing(own, "subdomain")
        return _Governing(governing, "root")

    def _resolve_app(self, developer: str) -> _Governing:
        hosts = _app_hosts(developer)
        if not hosts:
            raise ValueError(f"'{developer}' is not a domain or URL under a public suffix")
        chosen = None
        for host in hosts:
            chosen = self._file(host, "app-ads.txt")
            # app-ads.txt 1.0: try the developer's subdomain first, then the root domain.
            if chosen.file.state != "not-found":
                break
        assert chosen is not None
        return _Governing(chosen, "app-ads.txt host" if len(hosts) > 1 else "root")

    # ---- lookups -----------------------------------------------------------------------

    def lookup(
        self,
        publisher: str,
        ad_system: str,
        seller_id: str,
        relationship: str | None = None,
        *,
        kind: FileKind = "ads.txt",
        inventory_partner: str | None = None,
    ) -> Answer:
        """Is ``seller_id`` on ``ad_system`` authorized to sell ``publisher``'s inventory?

        ``relationship`` (DIRECT or RESELLER, any case) narrows the question; ``kind``
        ``app-ads.txt`` takes ``publisher`` as the app's developer domain or URL;
        ``inventory_partner`` is the bid request's ``inventorypartnerdomain``, which lets an
        INVENTORYPARTNERDOMAIN= partner's ads.txt authorize too. Raises ValueError when
        ``publisher`` is no domain under a public suffix.
        """
        governing = self._ads_txt.get(publisher) if kind == "ads.txt" else None
        if governing is None:
            governing = self._govern(publisher, kind)
        system = self._ad_systems.get(ad_system)
        if system is None:
            system = self._ad_systems[ad_system] = _normal(ad_system)
        seller = seller_id.strip()
        if relationship is not None:
            relationship = relationship.strip().upper()
            if relationship != _DIRECT and relationship != _RESELLER:
                raise ValueError(f"the relationship is DIRECT or RESELLER, not '{relationship}'")
        file = governing.file
        if not file.ok:
            return self._no_answer(governing, publisher, system, seller, relationship, kind)
        hit = file.exact.get((system, seller))
        if hit is not None:
            if len(hit) != 1:
                return _listed(hit, file, governing.via, publisher, system, seller, relationship)
            # Nearly always one line per pair: _listed, inline.
            found: str | None = hit[0][1]
            if relationship is not None and relationship != found:
                found = None
            return Answer(
                _MISMATCH if found is None else _FOUND[found],
                None,
                None,
                publisher,
                system,
                seller,
                relationship,
                partial(
                    _why_listed,
                    hit,
                    file,
                    governing.via,
                    publisher,
                    system,
                    seller,
                    relationship,
                    found,
                ),
            )
        if inventory_partner is not None:
            partner = self._partner(file, inventory_partner)
            if partner is not None:
                hit = partner.exact.get((system, seller))
                if hit is not None:
                    return _listed(
                        hit,
                        partner,
                        "inventorypartnerdomain",
                        publisher,
                        system,
                        seller,
                        relationship,
                    )
        # Whether the seller is listed with other letter case changes only the evidence and
        # the words, which are worked out when read.
        return Answer(
            _UNAUTHORIZED if file.records else _NO_SELLERS,
            None,
            None,
            publisher,
            system,
            seller,
            relationship,
            partial(self._why_unlisted, governing, publisher, system, seller, inventory_partner),
        )

    def ask(self, question: Question) -> Answer:
        """:meth:`lookup` for a :class:`Question`."""
        return self.lookup(
            question.publisher,
            question.ad_system,
            question.seller_id,
            question.relationship,
            kind=question.kind,
            inventory_partner=question.inventory_partner,
        )

    def answers(self, questions: Iterable[Question]) -> Iterator[Answer]:
        """Answer many questions, one at a time, in order."""
        for question in questions:
            yield self.ask(question)

    def _partner(self, file: _File, partner: str) -> _File | None:
        """The partner's ads.txt, when the publisher's file names it (one hop, ads.txt only:
        ads.txt 1.1 section 3.5.1; the partner's own INVENTORYPARTNERDOMAIN lines are not
        followed because only this one file is read)."""
        name = _normal(partner)
        if name not in file.partners:
            return None
        found = self._file(name, "ads.txt")
        return found if found.file.state == "ok" else None

    def _evidence(self, governing: _Governing, **extra: object) -> Evidence:
        file = governing.file
        return Evidence(
            file.file.where,
            via=governing.via,
            owner_domain=file.owner,
            manager_domains=file.managers,
            stale=file.file.stale,
            **extra,  # type: ignore[arg-type]
        )

    def _no_answer(
        self,
        governing: _Governing,
        publisher: str,
        system: str,
        seller: str,
        relationship: str | None,
        kind: FileKind,
    ) -> Answer:
        state = governing.file.file.state
        verdict = _STATE_VERDICTS[state]
        problem = governing.file.file.problem or state
        if verdict is Verdict.NO_FILE:
            reason = (
                f"{publisher} has no {kind} ({problem}): it does not take part, and by "
                f"the spec no seller is unauthorized for it (nor listed as authorized)"
            )
        elif verdict is Verdict.RESTRICTED:
            reason = (
                f"{publisher}'s {kind} is restricted (401): ask the site for access ({problem})"
            )
        elif verdict is Verdict.INVALID_FILE:
            reason = f"{publisher}'s {kind} is no {kind}, so consumers ignore it: {problem}"
        else:
            reason = f"{publisher}'s {kind} could not be obtained: {problem}"
        return Answer(
            verdict, self._evidence(governing), reason, publisher, system, seller, relationship
        )

    def _why_unlisted(
        self, governing: _Governing, publisher: str, system: str, seller: str, partner: str | None
    ) -> tuple[Evidence, str]:
        file = governing.file
        close = file.folded().get((system, seller.lower()))
        where = file.file.where or publisher
        if close is not None:
            lines = tuple(line for line, _, _ in close)
            written = close[0][2]
            return (
                self._evidence(
                    governing,
                    lines=lines,
                    relationships=tuple(r for _, r, _ in close),
                    case_only=True,
                ),
                f"{where} line {lines[0]} lists {system} seller '{written}', which differs "
                f"from '{seller}' only in letter case; seller IDs must match exactly, so "
                f"'{seller}' is not authorized (check which spelling the ad system uses)",
            )
        if file.records == 0:
            what = "only the placeholder record" if file.placeholder else "no records"
            tail = ""
            if file.partners:
                tail = (
                    " of its own (INVENTORYPARTNERDOMAIN partners authorize only bid "
                    "requests that name them"
                    + (f"; {partner} is not one of them" if partner else "")
                    + ")"
                )
            return (self._evidence(governing), f"{where} has {what}: it authorizes no seller{tail}")
        extra = ""
        if partner is not None:
            extra = (
                f"; {partner} is not an INVENTORYPARTNERDOMAIN of the file"
                if _normal(partner) not in file.partners
                else f"; nor does {_normal(partner)}'s ads.txt"
            )
        return (
            self._evidence(governing),
            f"{where} does not list {system} seller '{seller}'{extra}",
        )

    # ---- sellers.json ------------------------------------------------------------------

    def seller(self, ad_system: str, seller_id: str) -> SellerFacts | None:
        """What ``ad_system``'s sellers.json says of ``seller_id``; None without a usable
        sellers.json."""
        table = self._sellers.get(ad_system)
        if table is None:
            if ad_system in self._sellers:
                return None
            table = self._seller_table(ad_system)
            if table is None:
                return None
        facts = table.get(seller_id)
        if facts is None:
            facts = table[seller_id] = self._facts(ad_system, seller_id)
        return facts

    def sellers_file(self, ad_system: str) -> object:
        """The source's :class:`~adstxt.authorization.SellersFile` for ``ad_system``."""
        return self.source.sellers_file(_normal(ad_system))

    def _seller_table(self, ad_system: str) -> dict[str, SellerFacts] | None:
        found = self.source.sellers_file(_normal(ad_system))
        table: dict[str, SellerFacts] | None = {} if found.usable else None
        self._sellers[ad_system] = table
        return table

    def _facts(self, ad_system: str, seller_id: str) -> SellerFacts:
        result = self.source.sellers_file(_normal(ad_system)).result
        assert result is not None
        # The sellers.json module's own index (seller_id to position): the entry is read
        # straight from the decoded array, as SellersResult.get reads it, without making a
        # Seller object for each first question.
        position = result._index.get(seller_id.strip())
        if position is None:
            return _MISSING
        entry = result.document["sellers"][position]
        kind = entry.get("seller_type")
        if isinstance(kind, str) and kind.strip().upper() in _SELLER_TYPES:
            kind = kind.strip().upper()
        name = entry.get("name")
        domain = entry.get("domain")
        return SellerFacts(
            True,
            kind if isinstance(kind, str) else None,
            is_confidential(entry),
            entry.get("is_passthrough") == 1,
            name if isinstance(name, str) else None,
            domain if isinstance(domain, str) else None,
            f"/sellers/{position}",
        )


def _listed(
    hit: list[tuple[int, str]],
    file: _File,
    via: str,
    publisher: str,
    system: str,
    seller: str,
    relationship: str | None,
) -> Answer:
    found: str | None
    if len(hit) == 1:  # nearly always: one line per pair
        found = hit[0][1]
        if relationship is not None and relationship != found:
            found = None
    elif relationship is None:
        found = _DIRECT if any(r == _DIRECT for _, r in hit) else _RESELLER
    else:
        found = relationship if any(r == relationship for _, r in hit) else None
    verdict = _MISMATCH if found is None else _FOUND[found]
    return Answer(
        verdict,
        None,
        None,
        publisher,
        system,
        seller,
        relationship,
        partial(_why_listed, hit, file, via, publisher, system, seller, relationship, found),
    )


def _why_listed(
    hit: list[tuple[int, str]],
    file: _File,
    via: str,
    publisher: str,
    system: str,
    seller: str,
    relationship: str | None,
    found: str | None,
) -> tuple[Evidence, str]:
    where = file.file.where or publisher
    relationships = tuple(r for _, r in hit)
    lines = tuple(line for line, _ in hit)
    evidence = Evidence(
        where, lines, relationships, False, via, file.owner, file.managers, file.file.stale
    )
    through = (
        " (an INVENTORYPARTNERDOMAIN partner's file)" if via == "inventorypartnerdomain" else ""
    )
    if found is not None:
        line = lines[relationships.index(found)]
        return evidence, f"{where}{through} line {line} lists {system}, {seller}, {found}"
    return evidence, (
        f"{where}{through} line {lines[0]} lists {system}, {seller} only as "
        f"{relationships[0]}, not {relationship}"
    )


def _app_hosts(developer: str) -> tuple[str, ...]:
    """The app-ads.txt hosts for a developer URL or domain (app-ads.txt 1.0 appendix)."""
    try:
        from adstxt.fetch import app_ads_hosts
    except ImportError:  # without the fetch extra: the registrable domain only
        from adstxt._domains import analyze_host

        host = developer.split("//", 1)[-1].split("/", 1)[0]
        root = analyze_host(host or ".").registrable
        return (root,) if root else ()
    return app_ads_hosts(developer)
