"""The fetch engine: one HTTP exchange, a redirect chain under the spec's rules, the scheme
fallback, SUBDOMAIN referrals and app-ads.txt host discovery."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import ssl
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

import attrs

from adstxt._version import __version__
from adstxt.diagnostics import Diagnostic
from adstxt.fetch import _diag
from adstxt.fetch._body import BodyError, read_body
from adstxt.fetch._caching import DEFAULT_LIFETIME, caching_from_headers
from adstxt.fetch._checks import check_body, status_findings
from adstxt.fetch._client import ProtocolFailureError, open_response
from adstxt.fetch._connect import BlockedAddressError, ConnectTo, Resolver
from adstxt.fetch._gate import HostGate
from adstxt.fetch._result import FetchResult, Hop, Resource
from adstxt.fetch._robots import blocked_agents
from adstxt.fetch._turns import Turns
from adstxt.fetch._urls import app_ads_hosts, host_of, root_domain, site_of
from adstxt.model import FileKind

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["DEFAULT_USER_AGENT", "MAX_BYTES", "Fetcher"]

# No "+URL" part: adstxt has no public page to point a site's operator at yet.
DEFAULT_USER_AGENT = f"adstxt/{__version__} (ads.txt and app-ads.txt checker)"
#: The default body size cap: far above any real file (the largest are a few MiB).
MAX_BYTES = 10 * 1024 * 1024
_SPEC_REDIRECTS = frozenset({301, 302, 307})
_EXTRA_REDIRECTS = frozenset({303, 308})
# Bodies of error responses are never used; reading a little of them is not needed either.


@attrs.define
class _Response:
    """One exchange: a status and headers, or ``error`` when none came; ``body`` for 2xx."""

    url: str
    status: int | None = None
    headers: dict[str, str] = attrs.field(factory=dict)
    body: bytes | None = None
    error: Diagnostic | None = None
    fetched_at: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))


@attrs.define
class _Chain:
    """A followed redirect chain: its hops, its last response and the findings on the way."""

    hops: list[Hop]
    last: _Response
    diagnostics: list[Diagnostic]
    followed: bool = True  # False when a redirect was refused and the last response dropped


_ENCODINGS_HEADER = (b"Accept-Encoding", b"gzip, deflate")


@functools.lru_cache(maxsize=16)
def _accept_header(accept: str) -> tuple[bytes, bytes]:
    return b"Accept", accept.encode("latin-1", "replace")


def _headers(raw: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1").strip()
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _tls_context(verify: bool | ssl.SSLContext) -> ssl.SSLContext:
    """The TLS context: verifying by default, shared by every connection of a fetcher."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class Fetcher:
    """Fetches ads.txt and app-ads.txt files; share one across many fetches, with ``async with``.

    Timeouts are in seconds: ``connect_timeout`` to open a connection, ``read_timeout``
    between two reads, ``timeout`` for one whole exchange (which stops a server that trickles
    bytes forever). ``max_bytes`` caps the body as it streams in, compressed or not.
    ``connect_to`` overrides where host names connect (see :func:`parse_connect_to`);
    ``allow_private_addresses`` lifts the refusal of private, loopback, link-local and
    multicast addresses. ``verify`` is ``True``, ``False`` or an :class:`ssl.SSLContext`.
    ``robots`` also reads robots.txt and warns when it blocks the file. ``host_delay``
    spaces requests to one host; requests to one host never overlap.
    """

    def __init__(
        self, *, connect_to: Sequence[ConnectTo] = (), allow_private_addresses: bool = False,
        verify: bool | ssl.SSLContext = True, connect_timeout: float = 5.0,
        read_timeout: float = 10.0, timeout: float = 30.0, max_bytes: int = MAX_BYTES,
        max_redirects: int = 10, user_agent: str = DEFAULT_USER_AGENT, robots: bool = False,
        max_connections: int = 100, host_delay: float = 0.0,
        lifetime: dt.timedelta = DEFAULT_LIFETIME, max_subdomains: int = 50,
    ) -> None:
        self._resolver = Resolver(connect_to, allow_private=allow_private_addresses)
        self._context = _tls_context(verify)
        self._slots = asyncio.Semaphore(max_connections)
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._user_agent = user_agent
        self._agent_header = (b"User-Agent", user_agent.encode("latin-1", "replace"))
        self._robots = robots
        self._gate = HostGate(host_delay)
        self._turns = Turns()  # one body check per event-loop round (see Turns)
        self._lifetime = lifetime
        self._max_subdomains = max_subdomains

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Nothing to release: every connection closes when its response has been read."""

    # ---- one exchange ------------------------------------------------------------------

    async def _request(self, url: str, want_body: bool, accept: str = "text/plain") -> _Response:
        host = host_of(url)
        async with self._slots, self._gate(host):
            return await self._exchange(url, want_body, accept)

    async def _exchange(self, url: str, want_body: bool, accept: str) -> _Response:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
        host = parts.hostname or ""
        default = (scheme, port) in (("https", 443), ("http", 80))
        host = host if host.isascii() else host.encode("idna").decode("ascii")
        name = f"[{host}]" if ":" in host else host  # an IPv6 literal is bracketed
        authority = name if default else f"{name}:{port}"
        # Non-ASCII in a redirect's path or query is sent percent-encoded, as browsers do.
        target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                       safe="/?&=%:;@!$'()*+,~[]-._")
        headers = [
            (b"Host", authority.encode("ascii")),
            self._agent_header,
            _accept_header(accept),
            _ENCODINGS_HEADER,
        ]
        response = _Response(url)
        try:
            async with open_response(
                self._resolver, self._context, scheme, host, port,
                target.encode("ascii"), headers, self._connect_timeout,
                self._read_timeout, self._timeout,
            ) as raw:
                response.status = raw.status
                response.headers = _headers(raw.headers)
                if want_body and 200 <= raw.status < 300:
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > self._max_bytes:
                        raise BodyError(
                            "ADS520", f"The body is {int(length):,} bytes, over the "
                                      f"{self._max_bytes:,}-byte limit"
                        )
                    response.body = await read_body(
                        raw.chunks(), response.headers.get("content-encoding", ""),
                        self._max_bytes,
                    )
        except BodyError as exc:
            response.error = _diag.make(exc.code, f"{url}: {exc}")
        except BlockedAddressError as exc:
            response.error = _diag.make(
                "ADS523", f"{url}: {exc}; refused",
                "only public addresses are fetched unless private ones are allowed",
            )
        except TimeoutError as exc:
            response.error = _diag.make("ADS502", f"{url}: {exc}")
        except (ssl.SSLError, ssl.CertificateError) as exc:
            response.error = _diag.make("ADS503", f"{url}: TLS failed: {exc}")
        except (ProtocolFailureError, OSError, UnicodeError, ValueError) as exc:
            detail = str(exc) or type(exc).__name__
            response.error = _diag.make("ADS501", f"{url}: {detail}")
        return response

    # ---- a redirect chain --------------------------------------------------------------

    async def _follow(self, url: str, root: str, accept: str = "text/plain") -> _Chain:
        """Follow redirects from ``url`` under ads.txt 1.1 section 3.1 (``root`` is the
        registrable domain the chain started from)."""
        hops: list[Hop] = []
        found: list[Diagnostic] = []
        seen = {url}
        left_root = False
        current = url
        while True:
            response = await self._request(current, want_body=True, accept=accept)
            status = response.status
            if status not in _SPEC_REDIRECTS and status not in _EXTRA_REDIRECTS:
                hops.append(Hop(current, status))
                return _Chain(hops, response, found)
            location = response.headers.get("location", "").strip()
            hops.append(Hop(current, status, location or None))
            refused = self._refuse_redirect(current, status, location, left_root, root, seen, hops)
            if isinstance(refused, Diagnostic):
                found.append(refused)
                return _Chain(hops, response, found, followed=False)
            target = refused
            if status in _EXTRA_REDIRECTS:
                found.append(_diag.make(
                    "ADS509", f"{current} answers {status}, a redirect the ads.txt spec does "
                              "not list; it was followed", "use 301, 302 or 307"))
            if root_domain(host_of(target)) != root:
                left_root = True
                found.append(_diag.make(
                    "ADS515", f"{current} delegates to {target}, outside {root}; no further "
                              "redirect is allowed from there"))
            seen.add(target)
            current = target

    def _refuse_redirect(
        self, current: str, status: int, location: str, left_root: bool, root: str,
        seen: set[str], hops: list[Hop],
    ) -> Diagnostic | str:
        """The diagnostic that stops this redirect, or the absolute URL to follow."""
        if not location:
            return _diag.make("ADS510", f"{current} answers {status} without a Location header")
        try:
            target = urljoin(current, location)
            parts = urlsplit(target)
            scheme = parts.scheme.lower()
            has_host = bool(host_of(target)) and parts.port != 0
        except ValueError:  # a bad port or IPv6 literal
            return _diag.make("ADS510", f"{current} redirects to an invalid URL {location!r}")
        if scheme not in ("http", "https"):
            return _diag.make(
                "ADS524", f"{current} redirects to {target}: only http and https are fetched")
        if not has_host:
            return _diag.make("ADS510", f"{current} redirects to {location!r}, which has no host")
        if left_root:
            return _diag.make(
                "ADS511", f"{current} redirects again after leaving {root}; the spec allows "
                          "one redirect outside the root domain and nothing after it",
                "redirect straight to the file's final location")
        if target in seen:
            return _diag.make(
                "ADS513", f"{current} redirects back to {target}: a redirect loop")
        if len(hops) > self._max_redirects:
            return _diag.make(
                "ADS512", f"more than {self._max_redirects} redirects starting from {hops[0].url}")
        return target

    # ---- a file ------------------------------------------------------------------------

    async def _fetch_chain(self, url: str, root: str, kind: FileKind) -> FetchResult:
        chain = await self._follow(url, root)
        found = list(chain.diagnostics)
        last = chain.last
        if not chain.followed:
            return FetchResult(
                domain=host_of(url), kind=kind, url=url, final_url=None, status=None,
                content_type=None, chain=tuple(chain.hops), fetch_diagnostics=tuple(found),
            )
        status = last.status
        content_type = last.headers.get("content-type")
        if last.error is not None:
            found.append(last.error)
        elif status is not None:
            found.extend(status_findings(last.url, status))
        parsed = None
        if last.body is not None and last.error is None:
            await self._turns.take()
            parsed = check_body(last.url, last.status, last.body, content_type, kind, found)
            if len(chain.hops) > 1:
                path = urlsplit(last.url).path
                if path.rstrip("/").rsplit("/", 1)[-1] != kind:
                    found.append(_diag.make(
                        "ADS514", f"the redirects end at {last.url}, whose path is not "
                                  f"/{kind}; this is often a home or error page"))
        caching = None
        if status is not None and 200 <= status < 300 and last.error is None:
            caching = caching_from_headers(last.headers, last.fetched_at, self._lifetime)
        return FetchResult(
            domain=host_of(url), kind=kind, url=url, final_url=chain.hops[-1].url,
            status=status, content_type=content_type, chain=tuple(chain.hops),
            fetch_diagnostics=tuple(found), parse_result=parsed, caching=caching,
            body=last.body,
        )

    # ---- a host: HTTPS, then HTTP ------------------------------------------------------

    async def _fetch_host(self, host: str, kind: FileKind) -> FetchResult:
        root = root_domain(host) or host
        secure = await self._fetch_chain(f"https://{host}/{kind}", root, kind)
        if secure.status == 200 and secure.outcome == "ok":
            return await self._with_robots(attrs.evolve(secure, attempts=(secure.chain,)))
        plain = await self._fetch_chain(f"http://{host}/{kind}", root, kind)
        attempts = (secure.chain, plain.chain)
        if plain.status == 200 and plain.outcome == "ok":
            if urlsplit(plain.final_url or "").scheme == "http":
                why = secure.fetch_diagnostics[-1].message if secure.fetch_diagnostics else (
                    f"status {secure.status}")
                return await self._with_robots(attrs.evolve(
                    plain, attempts=attempts, fetch_diagnostics=(
                        *plain.fetch_diagnostics, _diag.make(
                            "ADS527", f"{host} serves /{kind} over HTTP only (HTTPS: {why})",
                            "serve the file over HTTPS too; crawlers prefer it"))))
            chosen = plain
        elif _answered(secure.chain) or not _answered(plain.chain):
            chosen = secure
        else:
            # HTTPS gave no response at all: report why, after what HTTP answered (the
            # outcome is that of the first error, and the HTTP answer is the one to act on).
            return await self._with_robots(attrs.evolve(
                plain, attempts=attempts,
                fetch_diagnostics=(*plain.fetch_diagnostics, *secure.fetch_diagnostics)))
        return await self._with_robots(attrs.evolve(chosen, attempts=attempts))

    async def _with_robots(self, result: FetchResult) -> FetchResult:
        if not self._robots:
            return result
        found: list[Diagnostic] = []
        checked = set()
        for hop in result.chain:
            parts = urlsplit(hop.url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin in checked:
                continue
            checked.add(origin)
            response = await self._request(f"{origin}/robots.txt", want_body=True)
            if response.status != 200 or response.body is None:
                continue
            blocked = blocked_agents(response.body.decode("utf-8", "replace"), parts.path or "/")
            if blocked:
                found.append(_diag.make(
                    "ADS526", f"{origin}/robots.txt forbids {', '.join(blocked)} to fetch "
                              f"{parts.path}; crawlers that obey it never read the file",
                    f"add 'Allow: {parts.path}' for those user agents"))
        if not found:
            return result
        return attrs.evolve(result, fetch_diagnostics=(*result.fetch_diagnostics, *found))

    # ---- public entry points -----------------------------------------------------------

    async def fetch(
        self, domain: str, *, kind: FileKind = "ads.txt", subdomains: bool = True,
    ) -> FetchResult:
        """Fetch a site's file the way crawlers do.

        For ads.txt, ``domain`` is reduced to its root domain (public suffix plus one label)
        and ``SUBDOMAIN=`` entries of the root file are fetched one level down (unless
        ``subdomains`` is false). For app-ads.txt, ``domain`` is the developer URL or host
        from the app store listing, and the app-ads.txt appendix's host rules apply.
        """
        return await self._fetch(domain, kind, subdomains)

    async def _fetch(self, domain: str, kind: FileKind, subdomains: bool) -> FetchResult:
        if kind == "app-ads.txt":
            return await self._fetch_app_ads(domain)
        _, root = site_of(domain)
        if root is None:
            return _invalid(domain, kind)
        result = await self._fetch_host(root, kind)
        governs = {root: result.final_url or result.url}
        if not subdomains or result.parse_result is None or result.outcome != "ok":
            return attrs.evolve(result, governs=governs)
        return await self._follow_subdomains(result, root, governs)

    async def _follow_subdomains(
        self, result: FetchResult, root: str, governs: dict[str, str],
    ) -> FetchResult:
        assert result.parse_result is not None
        wanted: list[str] = []
        for variable in result.parse_result.variables:
            name = variable.value.strip().lower().rstrip(".")
            if variable.name == "SUBDOMAIN" and name.endswith("." + root) and name not in wanted:
                wanted.append(name)
        wanted = wanted[: self._max_subdomains]
        if not wanted:  # most files: no referral to follow, nothing to gather
            return attrs.evolve(result, governs=governs)
        # SUBDOMAIN entries inside these files are not followed: referrals go one level down.
        found = await asyncio.gather(*(self._fetch_host(name, "ads.txt") for name in wanted))
        notes = []
        for name, sub in zip(wanted, found, strict=True):
            if sub.outcome == "ok":
                governs[name] = sub.final_url or sub.url
            else:
                governs[name] = governs[root]
                notes.append(_diag.make(
                    "ADS528", f"SUBDOMAIN={name}: no usable file there ({sub.outcome}); "
                              f"{governs[root]} governs {name}"))
        return attrs.evolve(
            result, subdomains=tuple(found), governs=governs,
            fetch_diagnostics=(*result.fetch_diagnostics, *notes),
        )

    async def _fetch_app_ads(self, developer_url: str) -> FetchResult:
        hosts = app_ads_hosts(developer_url)
        if not hosts:
            return _invalid(developer_url, "app-ads.txt")
        attempts: tuple[tuple[Hop, ...], ...] = ()
        result = None
        for host in hosts:
            result = await self._fetch_host(host, "app-ads.txt")
            attempts += result.attempts
            if result.outcome == "ok":
                break
        assert result is not None
        return attrs.evolve(
            result, attempts=attempts, governs={hosts[0]: result.final_url or result.url})

    async def fetch_url(self, url: str, *, kind: FileKind | None = None) -> FetchResult:
        """Fetch exactly ``url`` (no scheme fallback, no SUBDOMAIN referrals).

        The redirect rules use the URL host's root domain; ``kind`` defaults to what the
        path's last segment says (``app-ads.txt`` or ``ads.txt``).
        """
        try:
            parts = urlsplit(url.strip())
            host = host_of(url.strip()) if parts.port != 0 else ""
        except ValueError:  # a bad port or IPv6 literal
            parts, host = None, ""
        if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
            return _invalid(url, kind or "ads.txt", f"{url!r} is not an http or https URL")
        file_kind: FileKind = kind or (
            "app-ads.txt" if parts.path.lower().endswith("app-ads.txt") else "ads.txt")
        root = root_domain(host) or host
        result = await self._fetch_chain(url.strip(), root, file_kind)
        result = await self._with_robots(attrs.evolve(result, attempts=(result.chain,)))
        return attrs.evolve(result, governs={host: result.final_url or result.url})

    async def fetch_resource(self, domain: str, path: str, *, accept: str) -> Resource:
        """Fetch ``path`` (such as ``/sellers.json``) on the root domain of ``domain``.

        The crawling rules of ads.txt apply: HTTPS first, then HTTP, redirects under the
        spec's rules, the body capped at ``max_bytes`` as it streams in. ``accept`` is the
        Accept header. What the body says, and its Content-Type, are left to the caller.
        """
        _, root = site_of(domain)
        if root is None:
            invalid = _invalid(domain, "ads.txt")
            return Resource("", None, None, {}, None, (), invalid.fetch_diagnostics)
        secure = await self._resource(f"https://{root}{path}", root, accept)
        if secure.ok:
            return secure
        plain = await self._resource(f"http://{root}{path}", root, accept)
        if plain.ok:
            return plain
        if _answered(secure.chain) or not _answered(plain.chain):
            return secure
        # HTTPS gave no response at all: what HTTP answered is the one to act on.
        return attrs.evolve(plain, diagnostics=(*plain.diagnostics, *secure.diagnostics))

    async def _resource(self, url: str, root: str, accept: str) -> Resource:
        chain = await self._follow(url, root, accept)
        found = list(chain.diagnostics)
        last = chain.last
        if not chain.followed:
            return Resource(url, None, None, {}, None, tuple(chain.hops), tuple(found))
        if last.error is not None:
            found.append(last.error)
        elif last.status is not None:
            found.extend(status_findings(last.url, last.status))
        served = last.status is not None and 200 <= last.status < 300 and last.error is None
        caching = (caching_from_headers(last.headers, last.fetched_at, self._lifetime)
                   if served else None)
        return Resource(
            url, last.url, last.status, dict(last.headers), last.body if served else None,
            tuple(chain.hops), tuple(found), caching,
        )


def _invalid(text: str, kind: FileKind, message: str | None = None) -> FetchResult:
    return FetchResult(
        domain=text, kind=kind, url="", final_url=None, status=None, content_type=None,
        chain=(), fetch_diagnostics=(_diag.make(
            "ADS529", message or f"{text!r} is not a domain under a public suffix",
            "give a domain such as 'example.com'"),),
    )


def _answered(chain: Sequence[Hop]) -> bool:
    """Whether any server answered during a fetch (a redirect error still is an answer)."""
    return any(hop.status is not None for hop in chain)
