"""The fetch engine: one HTTP exchange, a redirect chain under the spec's rules, the scheme
fallback, SUBDOMAIN referrals and app-ads.txt host discovery."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import math
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

import attrs

from adstxt._version import __version__
from adstxt.diagnostics import Diagnostic, Severity
from adstxt.fetch import _diag
from adstxt.fetch._body import BodyError, read_body
from adstxt.fetch._caching import DEFAULT_LIFETIME, Validators, caching_from_headers
from adstxt.fetch._checks import check_body, status_findings
from adstxt.fetch._client import ProtocolFailureError, open_response
from adstxt.fetch._connect import BlockedAddressError, ConnectTo, Resolver, connect_to_rules
from adstxt.fetch._failures import os_failure, tls_failure
from adstxt.fetch._gate import HostGate
from adstxt.fetch._result import FetchResult, Hop, Resource
from adstxt.fetch._robots import blocked_agents
from adstxt.fetch._turns import Turns
from adstxt.fetch._urls import app_ads_hosts, host_of, root_domain, simple_url, site_of
from adstxt.model import FileKind, Variable

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["DEFAULT_USER_AGENT", "MAX_BYTES", "Fetcher"]

# No "+URL" part: adstxt has no public page to point a site's operator at yet.
DEFAULT_USER_AGENT = f"adstxt/{__version__} (ads.txt and app-ads.txt checker)"
#: The default body size cap: far above any real file (the largest are a few MiB).
MAX_BYTES = 10 * 1024 * 1024
#: How many ``SUBDOMAIN=`` files of one site are followed at most, by default.
MAX_SUBDOMAINS = 50
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


class _Budget:
    """The time limit of one fetch, spent by its requests one after another: both schemes,
    every redirect, robots.txt. Waiting for a turn at the host (``host_delay``, or another
    request to the same host) is not counted: it says nothing about the server."""

    __slots__ = ("left", "total")

    def __init__(self, total: float) -> None:
        self.total = total
        self.left = total


#: The budget of the fetch that the running task is doing (each SUBDOMAIN file, fetched in
#: a task of its own, has its own).
_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "adstxt_fetch_budget", default=None
)


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
    between two reads, ``timeout`` for one whole fetch: HTTPS and HTTP, every redirect and
    robots.txt together, so that a server that trickles bytes forever is stopped too (each
    ``SUBDOMAIN=`` file has a limit of its own; waiting for ``host_delay`` is not counted).
    ``max_bytes`` caps the body as it streams in, compressed or not.
    ``connect_to`` overrides where host names connect: :class:`ConnectTo` values or
    ``HOST1:PORT1:HOST2:PORT2`` strings (see :func:`parse_connect_to`);
    ``allow_private_addresses`` lifts the refusal of private, loopback, link-local and
    multicast addresses. ``verify`` is ``True``, ``False`` or an :class:`ssl.SSLContext`.
    ``robots`` also reads robots.txt and warns when it blocks the file. ``host_delay``
    spaces requests to one host; requests to one host never overlap.
    """

    def __init__(
        self,
        *,
        connect_to: Sequence[ConnectTo | str] = (),
        allow_private_addresses: bool = False,
        verify: bool | ssl.SSLContext = True,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        timeout: float = 30.0,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = 10,
        user_agent: str = DEFAULT_USER_AGENT,
        robots: bool = False,
        max_connections: int = 100,
        host_delay: float = 0.0,
        lifetime: dt.timedelta = DEFAULT_LIFETIME,
        max_subdomains: int = MAX_SUBDOMAINS,
    ) -> None:
        # Checked here, so that a wrong argument fails at the call that gave it rather than
        # deep inside the first connection.
        for name, value in (
            ("connect_timeout", connect_timeout),
            ("read_timeout", read_timeout),
            ("timeout", timeout),
        ):
            _require_number(name, value, minimum=0.0, inclusive=False)
        _require_number("host_delay", host_delay, minimum=0.0)
        for name, count, least in (
            ("max_bytes", max_bytes, 1),
            ("max_redirects", max_redirects, 0),
            ("max_connections", max_connections, 1),
            ("max_subdomains", max_subdomains, 0),
        ):
            _require_count(name, count, least)
        if not isinstance(verify, (bool, ssl.SSLContext)):
            raise TypeError(f"verify must be True, False or an ssl.SSLContext, not {verify!r}")
        if not isinstance(user_agent, str):
            raise TypeError(f"user_agent must be a string, not {type(user_agent).__name__}")
        if not isinstance(lifetime, dt.timedelta):
            raise TypeError(f"lifetime must be a datetime.timedelta, not {lifetime!r}")
        self._resolver = Resolver(
            connect_to_rules(connect_to), allow_private=allow_private_addresses
        )
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
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Nothing to release: every connection closes when its response has been read."""

    # ---- one exchange ------------------------------------------------------------------

    async def _request(
        self,
        url: str,
        want_body: bool,
        accept: str = "text/plain",
        conditional: Sequence[tuple[bytes, bytes]] = (),
    ) -> _Response:
        host = host_of(url)
        budget = _BUDGET.get() or _Budget(self._timeout)
        async with self._slots, self._gate(host):
            if budget.left <= 0:
                return _Response(
                    url,
                    error=_diag.make(
                        "ADS502",
                        f"{url}: not requested: the fetch's time limit of "
                        f"{budget.total:g} s had run out",
                    ),
                )
            # The clock of asyncio's loops, without asking for the running loop (a system
            # call on Python 3.11).
            started = time.monotonic()
            try:
                return await self._exchange(url, want_body, accept, budget, conditional)
            finally:
                budget.left -= time.monotonic() - started

    def _budgeted(self) -> contextvars.Token[_Budget | None] | None:
        """Start the time limit of a fetch, unless this task is inside one already."""
        return _BUDGET.set(_Budget(self._timeout)) if _BUDGET.get() is None else None

    async def _exchange(
        self,
        url: str,
        want_body: bool,
        accept: str,
        budget: _Budget,
        conditional: Sequence[tuple[bytes, bytes]] = (),
    ) -> _Response:
        simple = simple_url(url)
        if simple is not None:  # the URLs the fetcher builds: nothing to escape or encode
            scheme, host, target = simple
            port = 443 if scheme == "https" else 80
            authority = host
        else:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            port = parts.port or (443 if scheme == "https" else 80)
            host = parts.hostname or ""
            default = (scheme, port) in (("https", 443), ("http", 80))
            host = host if host.isascii() else host.encode("idna").decode("ascii")
            name = f"[{host}]" if ":" in host else host  # an IPv6 literal is bracketed
            authority = name if default else f"{name}:{port}"
            # Non-ASCII in a redirect's path or query is sent percent-encoded, as browsers do.
            target = quote(
                (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                safe="/?&=%:;@!$'()*+,~[]-._",
            )
        headers = [
            (b"Host", authority.encode("ascii")),
            self._agent_header,
            _accept_header(accept),
            _ENCODINGS_HEADER,
            *conditional,
        ]
        response = _Response(url)
        try:
            async with open_response(
                self._resolver,
                self._context,
                scheme,
                host,
                port,
                target.encode("ascii"),
                headers,
                self._connect_timeout,
                self._read_timeout,
                budget.left,
                budget.total,
            ) as raw:
                response.status = raw.status
                response.headers = _headers(raw.headers)
                if want_body and 200 <= raw.status < 300:
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > self._max_bytes:
                        raise BodyError(
                            "ADS520",
                            f"the body is {int(length):,} bytes, over the "
                            f"{self._max_bytes:,}-byte limit",
                        )
                    response.body = await read_body(
                        raw.chunks(),
                        response.headers.get("content-encoding", ""),
                        self._max_bytes,
                    )
        except BodyError as exc:
            response.error = _diag.make(exc.code, f"{url}: {exc}")
        except BlockedAddressError as exc:
            response.error = _diag.make(
                "ADS523",
                f"{url}: {exc}; refused",
                "only public addresses are fetched unless private ones are allowed",
            )
        except TimeoutError as exc:
            # Ours say which limit ran out; the OS's (ETIMEDOUT) are put in words.
            why = os_failure(exc) if exc.errno is not None else str(exc) or "timed out"
            response.error = _diag.make("ADS502", f"{url}: {why}")
        except ssl.SSLError as exc:
            response.error = _diag.make("ADS503", f"{url}: TLS failed: {tls_failure(exc)}")
        except ProtocolFailureError as exc:
            response.error = _diag.make("ADS501", f"{url}: {exc}")
        except OSError as exc:
            response.error = _diag.make("ADS501", f"{url}: {os_failure(exc, host)}")
        except UnicodeError:
            response.error = _diag.make("ADS501", f"{url}: {host!r} is not a valid host name")
        except ValueError as exc:
            response.error = _diag.make("ADS501", f"{url}: cannot connect ({exc})")
        return response

    # ---- a redirect chain --------------------------------------------------------------

    async def _follow(
        self,
        url: str,
        root: str,
        accept: str = "text/plain",
        conditional: Sequence[tuple[bytes, bytes]] = (),
    ) -> _Chain:
        """Follow redirects from ``url`` under ads.txt 1.1 section 3.1 (``root`` is the
        registrable domain the chain started from)."""
        hops: list[Hop] = []
        found: list[Diagnostic] = []
        seen = {url}
        left_root = False
        current = url
        while True:
            response = await self._request(
                current, want_body=True, accept=accept, conditional=conditional
            )
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
                found.append(
                    _diag.make(
                        "ADS509",
                        f"{current} answers {status}, a redirect the ads.txt spec does "
                        "not list; it was followed",
                        "use 301, 302 or 307",
                    )
                )
            if root_domain(host_of(target)) != root:
                left_root = True
                found.append(
                    _diag.make(
                        "ADS515",
                        f"{current} delegates to {target}, outside {root}; no further "
                        "redirect is allowed from there",
                    )
                )
            seen.add(target)
            current = target

    def _refuse_redirect(
        self,
        current: str,
        status: int,
        location: str,
        left_root: bool,
        root: str,
        seen: set[str],
        hops: list[Hop],
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
                "ADS524", f"{current} redirects to {target}: only http and https are fetched"
            )
        if not has_host:
            return _diag.make("ADS510", f"{current} redirects to {location!r}, which has no host")
        if left_root:
            return _diag.make(
                "ADS511",
                f"{current} redirects again after leaving {root}; the spec allows "
                "one redirect outside the root domain and nothing after it",
                "redirect straight to the file's final location",
            )
        if target in seen:
            return _diag.make("ADS513", f"{current} redirects back to {target}: a redirect loop")
        if len(hops) > self._max_redirects:
            return _diag.make(
                "ADS512", f"more than {self._max_redirects} redirects starting from {hops[0].url}"
            )
        return target

    # ---- a file ------------------------------------------------------------------------

    async def _fetch_chain(
        self,
        url: str,
        root: str,
        kind: FileKind,
        validators: Validators | None = None,
    ) -> FetchResult:
        conditional = validators.headers() if validators is not None else ()
        chain = await self._follow(url, root, conditional=conditional)
        found = list(chain.diagnostics)
        last = chain.last
        if not chain.followed:
            return FetchResult(
                domain=host_of(url),
                kind=kind,
                url=url,
                final_url=None,
                status=None,
                content_type=None,
                chain=tuple(chain.hops),
                fetch_diagnostics=tuple(found),
            )
        status = last.status
        content_type = last.headers.get("content-type")
        # A 304 answers the validators this fetch sent: the copy they came from is current.
        unchanged = status == 304 and bool(conditional)
        if last.error is not None:
            found.append(last.error)
        elif status is not None and not unchanged:
            found.extend(status_findings(last.url, status))
        parsed = None
        if last.body is not None and last.error is None:
            await self._turns.take()
            # The file speaks for the host the chain started from, wherever a redirect
            # (ADS515, a delegation) took it: its SUBDOMAIN lines are that site's.
            parsed = check_body(
                last.url, last.status, last.body, content_type, kind, found, site=host_of(url)
            )
            if len(chain.hops) > 1:
                path = urlsplit(last.url).path
                if path.rstrip("/").rsplit("/", 1)[-1] != kind:
                    found.append(
                        _diag.make(
                            "ADS514",
                            f"the redirects end at {last.url}, whose path is not "
                            f"/{kind}; this is often a home or error page",
                        )
                    )
        caching = None
        if status is not None and (200 <= status < 300 or unchanged) and last.error is None:
            caching = caching_from_headers(last.headers, last.fetched_at, self._lifetime)
        return FetchResult(
            domain=host_of(url),
            kind=kind,
            url=url,
            final_url=chain.hops[-1].url,
            status=status,
            content_type=content_type,
            chain=tuple(chain.hops),
            fetch_diagnostics=tuple(found),
            parse_result=parsed,
            caching=caching,
            body=last.body,
        )

    # ---- a host: HTTPS, then HTTP ------------------------------------------------------

    async def _fetch_host(
        self, host: str, kind: FileKind, validators: Validators | None = None
    ) -> FetchResult:
        token = self._budgeted()
        try:
            return await self._fetch_schemes(host, kind, validators)
        finally:
            if token is not None:
                _BUDGET.reset(token)

    async def _fetch_schemes(
        self, host: str, kind: FileKind, validators: Validators | None = None
    ) -> FetchResult:
        root = root_domain(host) or host
        secure = await self._fetch_chain(f"https://{host}/{kind}", root, kind, validators)
        if secure.status in (200, 304) and secure.outcome == "ok":
            return await self._with_robots(attrs.evolve(secure, attempts=(secure.chain,)))
        if _spent():  # HTTPS used up the time limit: nothing is left to try HTTP with
            return attrs.evolve(secure, attempts=(secure.chain,))
        plain = await self._fetch_chain(f"http://{host}/{kind}", root, kind, validators)
        attempts = (secure.chain, plain.chain)
        # A 304 confirms a copy over HTTP only just as a 200 serves one: the same warning.
        if plain.status in (200, 304) and plain.outcome == "ok":
            # A final URL is one fetched, absolute and http or https (its scheme as the
            # redirect wrote it: HTTP:// stays in upper case).
            if (plain.final_url or "")[:5].lower() == "http:":
                why = (
                    secure.fetch_diagnostics[-1].message
                    if secure.fetch_diagnostics
                    else (f"status {secure.status}")
                )
                return await self._with_robots(
                    attrs.evolve(
                        plain,
                        attempts=attempts,
                        fetch_diagnostics=(
                            *plain.fetch_diagnostics,
                            _diag.make(
                                "ADS527",
                                f"{host} serves /{kind} over HTTP only (HTTPS: {why})",
                                "serve the file over HTTPS too; crawlers prefer it",
                            ),
                        ),
                    )
                )
            if plain.status == 304:
                return await self._with_robots(attrs.evolve(plain, attempts=attempts))
            chosen = plain
        elif not _answered(secure.chain) and not _answered(plain.chain):
            # No answer either way: HTTP's failure, the last, is the outcome, and names the
            # HTTPS one (a refused HTTPS port says nothing of why HTTP then timed out).
            return await self._with_robots(
                attrs.evolve(
                    plain,
                    attempts=attempts,
                    fetch_diagnostics=_after(plain.fetch_diagnostics, secure.fetch_diagnostics),
                )
            )
        elif _answered(secure.chain):
            chosen = secure
        else:
            # HTTPS gave no response at all: report why, after what HTTP answered (the
            # outcome is that of the first error, and the HTTP answer is the one to act on).
            return await self._with_robots(
                attrs.evolve(
                    plain,
                    attempts=attempts,
                    fetch_diagnostics=(*plain.fetch_diagnostics, *secure.fetch_diagnostics),
                )
            )
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
                found.append(
                    _diag.make(
                        "ADS526",
                        f"{origin}/robots.txt forbids {', '.join(blocked)} to fetch "
                        f"{parts.path}; crawlers that obey it never read the file",
                        f"add 'Allow: {parts.path}' for those user agents",
                    )
                )
        if not found:
            return result
        return attrs.evolve(result, fetch_diagnostics=(*result.fetch_diagnostics, *found))

    # ---- public entry points -----------------------------------------------------------

    async def fetch(
        self,
        domain: str,
        *,
        kind: FileKind = "ads.txt",
        subdomains: bool = True,
        validators: Validators | None = None,
    ) -> FetchResult:
        """Fetch a site's file the way crawlers do.

        For ads.txt, ``domain`` is reduced to its root domain (public suffix plus one label)
        and ``SUBDOMAIN=`` entries of the root file are fetched one level down (unless
        ``subdomains`` is false). For app-ads.txt, ``domain`` is the developer URL or host
        from the app store listing, and the app-ads.txt appendix's host rules apply.

        ``validators`` (the ETag and Last-Modified of a copy already held) make the request
        conditional: a server that answers 304 Not Modified gives a result with status 304,
        outcome ``ok``, no body and no parse result, meaning the held copy is current. The
        files of ``SUBDOMAIN=`` entries are followed only when a body came.
        """
        token = self._budgeted()
        try:
            return await self._fetch(domain, kind, subdomains, validators)
        finally:
            if token is not None:
                _BUDGET.reset(token)

    async def _fetch(
        self, domain: str, kind: FileKind, subdomains: bool, validators: Validators | None
    ) -> FetchResult:
        if kind == "app-ads.txt":
            return await self._fetch_app_ads(domain, validators)
        _, root = site_of(domain)
        if root is None:
            return _invalid(domain, kind)
        result = await self._fetch_host(root, kind, validators)
        governs = {root: result.final_url or result.url}
        if not subdomains or result.parse_result is None or result.outcome != "ok":
            return attrs.evolve(result, governs=governs)
        return await self._follow_subdomains(result, root, governs)

    async def follow_subdomains(
        self,
        domain: str,
        result: FetchResult,
        validators: Callable[[str], Validators | None] | None = None,
    ) -> FetchResult:
        """Fetch the files of the ``SUBDOMAIN=`` lines of ``result``, the site file of
        ``domain`` whose body the caller filled in (a 304 answer and the copy it confirms),
        each with the validators ``validators(host)`` gives for the copy held of it."""
        _, root = site_of(domain)
        governs = {**result.governs}
        if root is None or result.parse_result is None or result.outcome != "ok":
            return result
        return await self._follow_subdomains(result, root, governs, validators)

    async def _follow_subdomains(
        self,
        result: FetchResult,
        root: str,
        governs: dict[str, str],
        validators: Callable[[str], Validators | None] | None = None,
    ) -> FetchResult:
        assert result.parse_result is not None
        wanted = subdomain_hosts(result.parse_result.variables, root, self._max_subdomains)
        if not wanted:  # most files: no referral to follow, nothing to gather
            return attrs.evolve(result, governs=governs)
        # SUBDOMAIN entries inside these files are not followed: referrals go one level down.
        found = await asyncio.gather(
            *(
                self._fetch_file(name, validators(name) if validators is not None else None)
                for name in wanted
            )
        )
        notes = []
        for name, sub in zip(wanted, found, strict=True):
            if sub.outcome == "ok":
                governs[name] = sub.final_url or sub.url
            else:
                governs[name] = governs[root]
                notes.append(
                    _diag.make(
                        "ADS528",
                        f"SUBDOMAIN={name}: no usable file there ({sub.outcome}); "
                        f"{governs[root]} governs {name}",
                    )
                )
        return attrs.evolve(
            result,
            subdomains=tuple(found),
            governs=governs,
            fetch_diagnostics=(*result.fetch_diagnostics, *notes),
        )

    async def _fetch_file(self, host: str, validators: Validators | None = None) -> FetchResult:
        """A SUBDOMAIN file, in a task of its own: with a time limit of its own."""
        _BUDGET.set(_Budget(self._timeout))
        return await self._fetch_host(host, "ads.txt", validators)

    async def _fetch_app_ads(
        self, developer_url: str, validators: Validators | None = None
    ) -> FetchResult:
        hosts = app_ads_hosts(developer_url)
        if not hosts:
            return _invalid(developer_url, "app-ads.txt")
        attempts: tuple[tuple[Hop, ...], ...] = ()
        result = None
        for host in hosts:
            result = await self._fetch_host(host, "app-ads.txt", validators)
            attempts += result.attempts
            if result.outcome == "ok" or _spent():  # no time left: this failure is the one
                break
        assert result is not None
        return attrs.evolve(
            result, attempts=attempts, governs={hosts[0]: result.final_url or result.url}
        )

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
            "app-ads.txt" if parts.path.lower().endswith("app-ads.txt") else "ads.txt"
        )
        root = root_domain(host) or host
        token = self._budgeted()
        try:
            result = await self._fetch_chain(url.strip(), root, file_kind)
            result = await self._with_robots(attrs.evolve(result, attempts=(result.chain,)))
        finally:
            if token is not None:
                _BUDGET.reset(token)
        return attrs.evolve(result, governs={host: result.final_url or result.url})

    async def fetch_resource(
        self, domain: str, path: str, *, accept: str, validators: Validators | None = None
    ) -> Resource:
        """Fetch ``path`` (such as ``/sellers.json``) on the root domain of ``domain``.

        The crawling rules of ads.txt apply: HTTPS first, then HTTP, redirects under the
        spec's rules, the body capped at ``max_bytes`` as it streams in. ``accept`` is the
        Accept header. What the body says, and its Content-Type, are left to the caller.
        ``validators`` (those of a copy already held) make the request conditional: a 304
        answer (:attr:`Resource.unchanged`) confirms that copy.
        """
        _, root = site_of(domain)
        if root is None:
            invalid = _invalid(domain, "ads.txt")
            return Resource("", None, None, {}, None, (), invalid.fetch_diagnostics)
        token = self._budgeted()
        try:
            secure = await self._resource(f"https://{root}{path}", root, accept, validators)
            if secure.ok or secure.unchanged or _spent():
                return secure
            plain = await self._resource(f"http://{root}{path}", root, accept, validators)
        finally:
            if token is not None:
                _BUDGET.reset(token)
        if plain.ok or plain.unchanged:
            return plain
        if not _answered(secure.chain) and not _answered(plain.chain):
            # No answer either way: HTTP's failure is the outcome and names the HTTPS one.
            return attrs.evolve(plain, diagnostics=_after(plain.diagnostics, secure.diagnostics))
        if _answered(secure.chain):
            return secure
        # HTTPS gave no response at all: what HTTP answered is the one to act on.
        return attrs.evolve(plain, diagnostics=(*plain.diagnostics, *secure.diagnostics))

    async def fetch_resource_at(
        self, url: str, *, accept: str, validators: Validators | None = None
    ) -> Resource:
        """Fetch exactly ``url`` (an ad system's sellers.json published off its root).

        As :meth:`fetch_resource`, but with no HTTP fallback: the URL says its scheme. The
        redirect rules count from the root domain of the URL's host.
        """
        _, root = site_of(url)
        if root is None or not url.lower().startswith(("https://", "http://")):
            invalid = _invalid(
                url, "ads.txt", f"{url!r} is not an http(s) URL on a domain under a public suffix"
            )
            return Resource(url, None, None, {}, None, (), invalid.fetch_diagnostics)
        return await self._resource(url, root, accept, validators)

    async def _resource(
        self, url: str, root: str, accept: str, validators: Validators | None = None
    ) -> Resource:
        conditional = validators.headers() if validators is not None else ()
        chain = await self._follow(url, root, accept, conditional)
        found = list(chain.diagnostics)
        last = chain.last
        if not chain.followed:
            return Resource(url, None, None, {}, None, tuple(chain.hops), tuple(found))
        # A 304 answers the validators this fetch sent: the copy they came from is current.
        unchanged = last.status == 304 and bool(conditional) and last.error is None
        if last.error is not None:
            found.append(last.error)
        elif last.status is not None and not unchanged:
            found.extend(status_findings(last.url, last.status))
        served = (
            last.status is not None and 200 <= last.status < 300 and last.error is None
        ) or unchanged
        caching = (
            caching_from_headers(last.headers, last.fetched_at, self._lifetime) if served else None
        )
        return Resource(
            url,
            last.url,
            last.status,
            dict(last.headers),
            last.body if served and not unchanged else None,
            tuple(chain.hops),
            tuple(found),
            caching,
        )


def _invalid(text: str, kind: FileKind, message: str | None = None) -> FetchResult:
    return FetchResult(
        domain=text,
        kind=kind,
        url="",
        final_url=None,
        status=None,
        content_type=None,
        chain=(),
        fetch_diagnostics=(
            _diag.make(
                "ADS529",
                message or f"{text!r} is not a domain under a public suffix",
                "give a domain such as 'example.com'",
            ),
        ),
    )


def _spent() -> bool:
    """Whether the running fetch has no time left for another request."""
    budget = _BUDGET.get()
    return budget is not None and budget.left <= 0


def _after(last: tuple[Diagnostic, ...], first: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """``last``'s findings, its failure also naming ``first``'s: when two attempts both got
    no answer, the last one's failure is the outcome, and the earlier one is not lost."""
    earlier = "; ".join(d.message for d in first if d.severity is Severity.ERROR)
    found = list(last)
    for index in range(len(found) - 1, -1, -1):
        if earlier and found[index].severity is Severity.ERROR:
            failure = found[index]
            found[index] = attrs.evolve(
                failure, message=f"{failure.message}; tried before it: {earlier}"
            )
            return tuple(found)
    return (*last, *first)


def _require_count(name: str, value: object, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {value!r}")
    if value < least:
        raise ValueError(f"{name} must be at least {least}, not {value!r}")


def _require_number(name: str, value: object, *, minimum: float, inclusive: bool = True) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {value!r}")
    if not math.isfinite(value) or not (value >= minimum if inclusive else value > minimum):
        bound = "at least" if inclusive else "more than"
        raise ValueError(f"{name} must be {bound} {minimum:g} seconds, not {value!r}")


def _answered(chain: Sequence[Hop]) -> bool:
    """Whether any server answered during a fetch (a redirect error still is an answer)."""
    return any(hop.status is not None for hop in chain)


def subdomain_hosts(
    variables: Iterable[Variable], root: str, most: int = MAX_SUBDOMAINS
) -> list[str]:
    """The hosts of the ``SUBDOMAIN=`` lines a crawler follows from the file of ``root``:
    each under ``root`` (the spec has a file refer only to its own subdomains), once, in the
    order written, at most ``most`` of them."""
    wanted: list[str] = []
    for variable in variables:
        name = variable.value.strip().lower().rstrip(".")
        if variable.name == "SUBDOMAIN" and name.endswith("." + root) and name not in wanted:
            wanted.append(name)
    return wanted[:most]
