"""What a fetch found: the redirect chain, the response, its freshness and its diagnostics."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from adstxt.diagnostics import Diagnostic, Severity
from adstxt.fetch._caching import Caching
from adstxt.model import FileKind, ParseResult

__all__ = ["OUTCOMES", "FetchResult", "Hop", "Resource"]

#: The outcome of a fetch: the first of these codes (in this order of precedence) found at
#: error severity among the fetch diagnostics; with none of them, the outcome is "ok".
OUTCOMES: Mapping[str, str] = {
    # What the server answered comes first: a failed HTTPS attempt reported beside an HTTP
    # 404 does not make the outcome a connection error.
    "ADS504": "not-found",
    "ADS505": "restricted",
    "ADS506": "http-error",
    "ADS507": "server-error",
    "ADS510": "redirect-error",
    "ADS511": "redirect-error",
    "ADS512": "redirect-error",
    "ADS513": "redirect-error",
    "ADS524": "redirect-error",
    "ADS520": "too-large",
    "ADS521": "too-large",
    "ADS522": "bad-encoding",
    "ADS525": "not-ads-txt",
    "ADS516": "wrong-content-type",
    "ADS523": "blocked-address",
    "ADS503": "tls-error",
    "ADS502": "timeout",
    "ADS501": "connection-error",
    "ADS529": "invalid-domain",
}


def _outcome(diagnostics: tuple[Diagnostic, ...]) -> str:
    errors = {d.code for d in diagnostics if d.severity is Severity.ERROR}
    if not errors:  # the common case, asked for several times per fetch
        return "ok"
    return next((outcome for code, outcome in OUTCOMES.items() if code in errors), "ok")


@attrs.frozen
class Hop:
    """One request of a redirect chain: the URL, the status (``None`` if no response came)
    and, for a redirect, where it pointed."""

    url: str
    status: int | None
    location: str | None = None


@attrs.frozen
class FetchResult:
    """The outcome of fetching one ads.txt or app-ads.txt file.

    ``fetch_diagnostics`` are about serving (status, redirects, headers, limits);
    ``parse_result`` holds the body's own diagnostics when a body was parsed;
    :attr:`diagnostics` is both, in report order. ``attempts`` lists every chain tried
    (HTTPS, then HTTP; for app-ads.txt, the subdomain then the registrable domain), the
    chosen one last or first-successful. ``subdomains`` are the files that ``SUBDOMAIN=``
    entries led to, and ``governs`` maps each host to the URL of the file that authorizes
    its sellers.
    """

    domain: str
    kind: FileKind
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    chain: tuple[Hop, ...]
    fetch_diagnostics: tuple[Diagnostic, ...]
    parse_result: ParseResult | None = None
    caching: Caching | None = None
    body: bytes | None = None
    attempts: tuple[tuple[Hop, ...], ...] = ()
    subdomains: tuple[FetchResult, ...] = ()
    governs: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Fetch diagnostics and the body's parse diagnostics, sorted for reporting."""
        parsed = self.parse_result.diagnostics if self.parse_result is not None else ()
        return tuple(sorted((*self.fetch_diagnostics, *parsed), key=Diagnostic.sort_key))

    @property
    def outcome(self) -> str:
        """A one-word summary: ``ok`` or the kind of failure (``not-found``, ``timeout``...)."""
        return _outcome(self.fetch_diagnostics)

    @property
    def ok(self) -> bool:
        """True when the file was served as the spec requires and parsed without errors."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


@attrs.frozen
class Resource:
    """Any file fetched with the ads.txt crawling rules, its body unchecked.

    ``url`` is the first URL requested and ``final_url`` the one that answered (``None``
    when no response was accepted); ``body`` is set only for a 2xx answer read in full;
    ``diagnostics`` are the serving findings (status, redirects, limits, connection).
    """

    url: str
    final_url: str | None
    status: int | None
    headers: Mapping[str, str]
    body: bytes | None
    chain: tuple[Hop, ...]
    diagnostics: tuple[Diagnostic, ...]
    caching: Caching | None = None

    @property
    def outcome(self) -> str:
        """``ok`` or the kind of failure, as for :attr:`FetchResult.outcome`."""
        return _outcome(self.diagnostics)

    @property
    def ok(self) -> bool:
        """True when a body was served and nothing on the way was an error."""
        return self.body is not None and self.outcome == "ok"

    @property
    def unchanged(self) -> bool:
        """True for a 304 answer to a conditional request: the copy held is current."""
        return self.status == 304 and self.outcome == "ok"
