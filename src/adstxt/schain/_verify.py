"""Verifying a supply chain against the ads.txt of the publisher and the sellers.json of
each ad system.

There is no single normative verification algorithm; the checks below put together what
supplychainobject.md, sellers.json 1.0 and ads.txt 1.1 each require:

* every node in the payment flow (``hp`` 1) names a seller that the sellers.json of its
  ``asi`` lists (a confidential entry counts: it exists, only its identity is withheld);
* the first node's (``asi``, ``sid``) is authorized by the publisher's ads.txt (or
  app-ads.txt), DIRECT where sellers.json calls the seller a PUBLISHER, RESELLER where it
  calls it an INTERMEDIARY (BOTH accepts either: no IAB text decides it);
* a chain is complete when it says so (``complete`` 1) and its first node is the
  inventory's owner; a complete chain whose first node is an INTERMEDIARY is not.

Node verdicts: ``verified``; ``seller-not-listed`` (the sellers.json does not list the
sid); ``unauthorized`` and ``relationship-mismatch`` (the first node against ads.txt);
``no-sellers-json`` and ``unverifiable`` (what would decide is not available);
``not-paid`` (hp 0: skipped); ``unchecked`` (no source to check against). The chain is
``invalid`` when its shape is wrong or any node failed, ``incomplete`` when it says it is or
something could not be verified, and ``valid`` otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from adstxt.diagnostics import Diagnostic, Severity
from adstxt.schain._model import Node, SupplyChain
from adstxt.schain._parse import CheckResult, check, find_chain, validate

if TYPE_CHECKING:
    from adstxt.authorization import Answer, AuthorizationIndex, SellerFacts
    from adstxt.model import FileKind

__all__ = ["ChainResult", "NodeResult", "Publisher", "Verifier", "publisher_of"]

VALID, INCOMPLETE, INVALID = "valid", "incomplete", "invalid"
#: Node verdicts that make the chain invalid.
FAILED = frozenset({"seller-not-listed", "unauthorized", "relationship-mismatch", "invalid"})
#: Node verdicts that leave the chain unverified (incomplete).
UNVERIFIED = frozenset({"no-sellers-json", "unverifiable", "unchecked"})
_EXPECTED = {"PUBLISHER": "DIRECT", "INTERMEDIARY": "RESELLER"}
_ALL_VERIFIED = {
    kind: (
        f"every node is listed in its ad system's sellers.json and the first is "
        f"authorized by the publisher's {kind}",
    )
    for kind in ("ads.txt", "app-ads.txt")
}
#: How many node results a verifier remembers.
_MEMO = 1 << 18


class NodeResult(NamedTuple):
    """One node's verdict, the reasons in words, and the evidence: what the sellers.json of
    its ad system says of it, and for the first node, the ads.txt answer."""

    number: int
    asi: str
    sid: str
    hp: int | None
    verdict: str
    reasons: tuple[str, ...] = ()
    seller: SellerFacts | None = None
    authorization: Answer | None = None

    def to_json(self) -> dict[str, Any]:
        """The node's result as a JSON object."""
        out: dict[str, Any] = {
            "index": self.number,
            "asi": self.asi,
            "sid": self.sid,
            "hp": self.hp,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
        }
        if self.seller is not None:
            out["seller"] = self.seller._asdict()
        if self.authorization is not None:
            out["ads_txt"] = self.authorization.to_json()
        return out


def _id(node: Node) -> tuple[str, str, int | None]:
    return node.asi, node.sid, node.hp


class Publisher(NamedTuple):
    """Whose inventory the chain sells: a domain, which file authorizes its sellers, and
    the bid request's ``inventorypartnerdomain``."""

    domain: str
    kind: FileKind = "ads.txt"
    inventory_partner: str | None = None
    origin: str = "given"


class ChainResult(NamedTuple):
    """The verdict on a whole chain, why, each node's result and the validation findings."""

    verdict: str
    reasons: tuple[str, ...]
    nodes: tuple[NodeResult, ...]
    diagnostics: tuple[Diagnostic, ...]
    chain: SupplyChain | None
    publisher: Publisher | None = None
    verified: bool = True

    @property
    def ok(self) -> bool:
        """True for a ``valid`` chain."""
        return self.verdict == VALID

    def to_json(self) -> dict[str, Any]:
        """The result as the JSON object ``adstxt schain --output-format json`` prints."""
        return {
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "verified": self.verified,
            "publisher": self.publisher._asdict() if self.publisher else None,
            "complete": self.chain.complete if self.chain else None,
            "nodes": [node.to_json() for node in self.nodes],
            "diagnostics": [
                {
                    "code": d.code,
                    "severity": d.severity.value,
                    "message": d.message,
                    "pointer": d.pointer,
                    "line": d.line,
                    "column": d.column,
                }
                for d in self.diagnostics
            ],
        }


_SITES: dict[str, Publisher] = {}


def publisher_of(
    request: Mapping[str, Any], app_developers: Mapping[str, str] | None = None
) -> Publisher | None:
    """The publisher a bid request names: ``site.domain`` (else the host of ``site.page``,
    else ``site.publisher.domain``) for ads.txt; for an app, the developer domain from
    ``app_developers`` (bundle to developer domain or URL, from the store listing), else
    ``app.publisher.domain``, for app-ads.txt."""
    site = request.get("site")
    app = request.get("app")
    if type(site) is dict:
        partner = site.get("inventorypartnerdomain")
        partner = partner if type(partner) is str else None
        domain = site.get("domain")
        if type(domain) is str and domain:
            if partner is None:
                # One value per site domain: a stream names the same sites again and again.
                known = _SITES.get(domain)
                if known is None:
                    if len(_SITES) >= 100_000:
                        _SITES.clear()
                    known = _SITES[domain] = Publisher(domain, "ads.txt", None, "site.domain")
                return known
            return Publisher(domain, "ads.txt", partner, "site.domain")
        page = site.get("page")
        if type(page) is str and "//" in page:
            host = page.split("//", 1)[1].split("/", 1)[0].split(":", 1)[0]
            if host:
                return Publisher(host, "ads.txt", partner, "site.page")
        owner = site.get("publisher")
        domain = owner.get("domain") if type(owner) is dict else None
        if type(domain) is str and domain:
            return Publisher(domain, "ads.txt", partner, "site.publisher.domain")
    if type(app) is dict:
        partner = app.get("inventorypartnerdomain")
        partner = partner if type(partner) is str else None
        bundle = app.get("bundle")
        if app_developers is not None and type(bundle) is str and bundle in app_developers:
            return Publisher(app_developers[bundle], "app-ads.txt", partner, "app.bundle")
        storeurl = app.get("storeurl")
        if app_developers is not None and type(storeurl) is str and storeurl in app_developers:
            return Publisher(app_developers[storeurl], "app-ads.txt", partner, "app.storeurl")
        owner = app.get("publisher")
        domain = owner.get("domain") if type(owner) is dict else None
        if type(domain) is str and domain:
            return Publisher(domain, "app-ads.txt", partner, "app.publisher.domain")
    return None


class Verifier:
    """Verifies chains against an :class:`~adstxt.authorization.AuthorizationIndex`; with
    no index, chains are only validated (every node ``unchecked``)."""

    def __init__(
        self,
        index: AuthorizationIndex | None = None,
        *,
        app_developers: Mapping[str, str] | None = None,
    ) -> None:
        self.index = index
        # Kept as given: a mapping may resolve bundles on first use (adstxt.apps).
        self.app_developers: Mapping[str, str] = (
            app_developers if app_developers is not None else {}
        )
        self._memo: dict[tuple[Any, ...], NodeResult] = {}

    # ---- entry points ------------------------------------------------------------------

    def verify(
        self,
        data: bytes | str | Mapping[str, Any] | CheckResult,
        publisher: Publisher | str | None = None,
    ) -> ChainResult:
        """Check and verify a chain in any form (see :func:`adstxt.schain.check`).

        ``publisher`` overrides what a bid request names (a domain, for ads.txt).
        """
        checked = data if isinstance(data, CheckResult) else check(data)
        if isinstance(publisher, str):
            publisher = Publisher(publisher)
        if publisher is None and checked.request is not None:
            publisher = publisher_of(checked.request, self.app_developers)
        return self._verify(checked.chain, checked.diagnostics, publisher)

    def verify_request(
        self, request: Mapping[str, Any], publisher: Publisher | str | None = None
    ) -> ChainResult:
        """Verify the chain of a decoded bid request (the fast path for streams: the
        request is not re-encoded, and located diagnostics are made only for problems)."""
        if type(request) is not dict:
            return self.verify(request, publisher)  # reports what it is instead
        source = request.get("source")
        if type(source) is not dict:
            source = {}
        latest = source.get("schain")
        if (
            type(latest) is dict
            and publisher is None
            and "ext" not in source
            and "ext" not in request
        ):
            # OpenRTB 2.6 with no older location to compare: the usual request.
            usual = validate(latest)[0] if not latest.get("ext") else None
            if usual is not None:
                return self._verify(usual, (), publisher_of(request, self.app_developers))
        place, issues = find_chain(request)
        if isinstance(publisher, str):
            publisher = Publisher(publisher)
        elif publisher is None:
            publisher = publisher_of(request, self.app_developers)
        if place is None:
            return self.verify(request, publisher)
        value: Any = request
        for step in place:
            value = value[step]
        chain, found = validate(value, place)
        if issues or found:
            return self.verify(request, publisher)
        return self._verify(chain, (), publisher)

    def verify_lines(
        self,
        lines: Iterator[bytes | str],
        publisher: Publisher | str | None = None,
    ) -> Iterator[tuple[int, ChainResult]]:
        """Verify a JSONL stream of bid requests; yields (line number, result). A line
        that is no JSON gets an ``invalid`` result of its own and the stream goes on."""
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except (ValueError, RecursionError):
                yield number, self.verify(line, publisher)
                continue
            yield number, self.verify_request(request, publisher)

    # ---- the checks --------------------------------------------------------------------

    def _verify(
        self,
        chain: SupplyChain | None,
        diagnostics: tuple[Diagnostic, ...],
        publisher: Publisher | None,
    ) -> ChainResult:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR] if diagnostics else None
        if chain is None or errors:
            shown = errors or list(diagnostics)
            reasons = tuple(
                f"{d.code} {d.message}" + (f" (at {d.pointer})" if d.pointer else "")
                for d in shown[:5]
            )
            nodes: tuple[NodeResult, ...] = ()
            if chain is not None:
                nodes = tuple(
                    NodeResult(n, *_id(node), "invalid") for n, node in enumerate(chain.nodes)
                )
            return ChainResult(
                INVALID,
                reasons or ("no supply chain could be read",),
                nodes,
                diagnostics,
                chain,
                publisher,
                self.index is not None,
            )
        if self.index is None:
            said = ["not verified: no source of ads.txt and sellers.json files was given"]
            if chain.complete == 0:
                said.insert(0, "the chain says it is incomplete (complete is 0)")
            return ChainResult(
                VALID if chain.complete == 1 else INCOMPLETE,
                tuple(said),
                tuple(
                    NodeResult(n, *_id(node), "unchecked", ("no source to check against",))
                    for n, node in enumerate(chain.nodes)
                ),
                diagnostics,
                chain,
                publisher,
                False,
            )
        memo = self._memo
        if len(memo) >= _MEMO:
            memo.clear()
        results = []
        for number, node in enumerate(chain.nodes):
            # A node's result depends on the node and, for the first, on the publisher and
            # the chain's completeness: the index does not change, so it is kept.
            key = (
                (node.asi, node.sid, node.hp, publisher, chain.complete)
                if number == 0
                else (number, node.asi, node.sid, node.hp)
            )
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._node(number, node, chain, publisher)
            results.append(found)
        return self._overall(chain, results, diagnostics, publisher)

    def _node(
        self, number: int, node: Node, chain: SupplyChain, publisher: Publisher | None
    ) -> NodeResult:
        assert self.index is not None
        if node.hp == 0:
            return NodeResult(
                number,
                *_id(node),
                "not-paid",
                ("hp is 0: not in the payment flow, so not checked",),
            )
        facts = self.index.seller(node.asi.lower(), node.sid)
        if facts is None:
            problem = self.index.source.sellers_file(node.asi.lower()).problem
            reasons: tuple[str, ...] = (f"no usable sellers.json for {node.asi}: {problem}",)
            verdict = "no-sellers-json"
        elif not facts.found:
            why = f"{node.asi}'s sellers.json does not list seller_id '{node.sid}'"
            result = self.index.source.sellers_file(node.asi.lower()).result
            close = result.case_variants((node.sid,)).get(node.sid) if result else None
            if close:
                # Seller IDs compare exactly; a case-only match is told, not accepted.
                why += (
                    f"; it lists '{close[0].seller_id}' ({close[0].pointer}), which differs "
                    "only in letter case"
                )
            return NodeResult(number, *_id(node), "seller-not-listed", (why,), facts)
        elif facts.is_confidential:
            reasons, verdict = (
                (
                    (
                        f"{node.asi}'s sellers.json lists seller_id '{node.sid}' as "
                        "confidential: it exists, its identity is withheld"
                    ),
                ),
                "verified",
            )
        else:
            reasons, verdict = (), "verified"
        if number != 0:
            return NodeResult(number, *_id(node), verdict, reasons, facts)
        return self._first(node, chain, publisher, facts, verdict, reasons)

    def _first(
        self,
        node: Node,
        chain: SupplyChain,
        publisher: Publisher | None,
        facts: SellerFacts | None,
        verdict: str,
        reasons: tuple[str, ...],
    ) -> NodeResult:
        """The first node against the publisher's ads.txt (or app-ads.txt)."""
        assert self.index is not None
        if publisher is None:
            return NodeResult(
                0,
                *_id(node),
                "unverifiable" if verdict == "verified" else verdict,
                (
                    *reasons,
                    # True for every input: a bare chain has no bid request, and a
                    # request may name its site with a number where a string belongs.
                    "no publisher: none was given (--publisher), and no bid request "
                    "names one as a string in site.domain, site.page, "
                    "site.publisher.domain or app.publisher.domain (or an app.bundle "
                    "given by --app-developer), so ads.txt was not checked",
                ),
                facts,
            )
        try:
            answer = self.index.lookup(
                publisher.domain,
                node.asi,
                node.sid,
                kind=publisher.kind,
                inventory_partner=publisher.inventory_partner,
            )
        except ValueError as error:
            return NodeResult(0, *_id(node), "unverifiable", (*reasons, str(error)), facts)
        if not answer.authorized:
            if answer.verdict.value in ("unauthorized", "no-sellers"):
                return NodeResult(
                    0, *_id(node), "unauthorized", (*reasons, answer.reason), facts, answer
                )
            # no-file, restricted, invalid-file, unavailable: nothing decides.
            return NodeResult(
                0, *_id(node), "unverifiable", (*reasons, answer.reason), facts, answer
            )
        kind = facts.seller_type if facts is not None and facts.found else None
        expected = _EXPECTED.get(kind or "")
        if expected is not None and expected not in answer.evidence.relationships:
            return NodeResult(
                0,
                *_id(node),
                "relationship-mismatch",
                (
                    *reasons,
                    f"{publisher.domain}'s {publisher.kind} lists {node.asi}, "
                    f"{node.sid} as {'/'.join(answer.evidence.relationships)}, but "
                    f"{node.asi}'s sellers.json calls the seller {kind}, which is {expected}",
                ),
                facts,
                answer,
            )
        notes = list(reasons)
        if (
            chain.complete == 1
            and facts is not None
            and facts.found
            and kind in ("PUBLISHER", "BOTH")
            and facts.domain
        ):
            notes.extend(self._owner_note(publisher, facts.domain, answer))
        return NodeResult(0, *_id(node), verdict, tuple(notes), facts, answer)

    @staticmethod
    def _owner_note(publisher: Publisher, domain: str, answer: Answer) -> list[str]:
        """ads.txt 1.1 section 3.5.1: the owner's seller domain should be OWNERDOMAIN (the
        publisher's root domain by default) or a MANAGERDOMAIN. A note, not a failure: the
        spec words it as 'should' and sellers.json domains are often the group's name."""
        from adstxt._domains import analyze_host

        seller = domain.strip().lower().rstrip(".")
        owner = (
            answer.evidence.owner_domain
            or analyze_host(
                publisher.domain.split("//")[-1].split("/")[0].lower() or "."
            ).registrable
        )
        managers = {m.split(",")[0].strip().lower() for m in answer.evidence.manager_domains}
        if seller == owner or seller in managers:
            return []
        return [
            f"the sellers.json domain of the first node is {seller}, neither the "
            f"OWNERDOMAIN {owner} nor a MANAGERDOMAIN of {publisher.domain}"
        ]

    def _overall(
        self,
        chain: SupplyChain,
        results: list[NodeResult],
        diagnostics: tuple[Diagnostic, ...],
        publisher: Publisher | None,
    ) -> ChainResult:
        if chain.complete == 1 and publisher is not None:
            # The common case first: every node verified, the first not an intermediary.
            for result in results:
                if result.verdict != "verified" and result.verdict != "not-paid":
                    break
            else:
                seller = results[0].seller
                if seller is None or seller.seller_type != "INTERMEDIARY":
                    return ChainResult(
                        VALID,
                        _ALL_VERIFIED[publisher.kind],
                        tuple(results),
                        diagnostics,
                        chain,
                        publisher,
                    )
        failed = [r for r in results if r.verdict in FAILED]
        if failed:
            reasons = tuple(
                f"node {r.number} ({r.asi}, {r.sid}): {r.verdict}: "
                f"{r.reasons[-1] if r.reasons else r.verdict}"
                for r in failed
            )
            return ChainResult(INVALID, reasons, tuple(results), diagnostics, chain, publisher)
        reasons_list: list[str] = []
        if chain.complete == 0:
            reasons_list.append(
                "the chain says it is incomplete (complete is 0): it does "
                "not reach back to the inventory's owner"
            )
        first = results[0]
        if (
            chain.complete == 1
            and first.seller is not None
            and first.seller.found
            and first.seller.seller_type == "INTERMEDIARY"
        ):
            reasons_list.append(
                f"the chain says it is complete, but its first node "
                f"({first.asi}, {first.sid}) is an INTERMEDIARY "
                "in sellers.json, not the inventory's owner"
            )
        for r in results:
            if r.verdict in UNVERIFIED:
                reasons_list.append(
                    f"node {r.number} ({r.asi}, {r.sid}) could not "
                    f"be verified: {r.reasons[-1] if r.reasons else r.verdict}"
                )
        if reasons_list:
            return ChainResult(
                INCOMPLETE, tuple(reasons_list), tuple(results), diagnostics, chain, publisher
            )
        return ChainResult(
            VALID,
            _ALL_VERIFIED[publisher.kind if publisher else "ads.txt"],
            tuple(results),
            diagnostics,
            chain,
            publisher,
        )
