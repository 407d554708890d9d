"""ADS5xx, fetching and serving: how a site serves its file over HTTP.

Their examples are HTTP exchanges: a request line, then the responses a crawler
receives. The rule tests serve each example from real local servers and fetch it
(tests/fetch_replay.py).
"""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import GOOD
from adstxt.rules._rule import Rule

#: The ``filename`` of rules whose examples are HTTP exchanges rather than files.
HTTP_EXCHANGE = "HTTP exchange"

_OK_RESPONSE = b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n" + GOOD


def _get(url: str, *responses: bytes) -> bytes:
    """An illustrative exchange: ``GET url`` and the response(s) it leads to."""
    return f"GET {url}\n".encode() + b"\n".join(responses)


#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS501",
        name="connection-failed",
        severity=Severity.ERROR,
        summary="No connection could be made, or it broke before a response arrived.",
        explanation=(
            "The host name does not resolve, the port refuses connections, or the connection was "
            "reset. A crawler that cannot connect keeps its last good copy for a while and then "
            "drops the site's sellers."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get("https://example.com/ads.txt", b"(connection refused)"),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS502",
        name="timeout",
        severity=Severity.ERROR,
        summary="The server did not answer, or not completely, within the time limit.",
        explanation=(
            "Crawlers give up on slow servers. A connection that never answers and a body that "
            "trickles in forever are both stopped by the connect, read and total time limits."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get("https://example.com/ads.txt", b"(no response within 30 s)"),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS503",
        name="tls-error",
        severity=Severity.ERROR,
        summary="The HTTPS certificate could not be verified.",
        explanation=(
            "An expired, self-signed or wrong-host certificate makes HTTPS unusable. Crawlers "
            "then fall back to HTTP if it works, losing the protection against spoofing that "
            "HTTPS gives."
        ),
        spec="ads.txt 1.1 sections 3.1 and 5.4",
        bad=_get("https://example.com/ads.txt", b"(certificate issued for another.example)"),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS504",
        name="not-found",
        severity=Severity.ERROR,
        summary="The file does not exist (404).",
        explanation=(
            "A 404 means no declarations exist: the spec then holds no ad system unauthorized, "
            "so the site gets none of the protection ads.txt gives against sellers it never "
            "authorized. Buyers that require an ads.txt file may pass over its inventory, and "
            "Google drops the entries it saw before."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get("https://example.com/ads.txt", b"HTTP/1.1 404 Not Found\n"),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS505",
        name="restricted",
        severity=Severity.ERROR,
        summary="Access to the file is restricted (401).",
        explanation=(
            "The spec reads 401 as 'restricted: contact the site for access'. Public crawlers "
            "have no credentials, so for them the file does not exist."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b'HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm="staff"\n',
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS506",
        name="http-error",
        severity=Severity.ERROR,
        summary="The server answers with a client error other than 401 and 404.",
        explanation=(
            "A 403 (often a firewall or bot filter), 410 or 429 is an error: crawlers keep "
            "their last good copy for a while, if they have one, and then stop using it."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get("https://example.com/ads.txt", b"HTTP/1.1 403 Forbidden\n"),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS507",
        name="server-error",
        severity=Severity.ERROR,
        summary="The server answers with a 5xx error.",
        explanation=(
            "A server error is treated like a temporary outage: crawlers keep the last good "
            "copy (Google for about five days) and then drop the entries."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get("https://example.com/ads.txt", b"HTTP/1.1 503 Service Unavailable\n"),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS508",
        name="non-200-success",
        severity=Severity.INFO,
        summary="A success status other than 200.",
        explanation=(
            "The spec says to use the content of any 2xx response, but Google asks for a "
            "200. A 203 or 206 is usually a proxy or a range request gone wrong."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 203 Non-Authoritative Information\n"
            b"Content-Type: text/plain; charset=utf-8\n\n" + GOOD,
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS509",
        name="redirect-not-in-spec",
        severity=Severity.WARNING,
        summary="A 303 or 308 redirect, which the spec does not list.",
        explanation=(
            "The spec lists 301, 302 and 307. Most crawlers follow 308 too, but some may not; "
            "a permanent move is best served as 301."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 308 Permanent Redirect\nLocation: https://www.example.com/ads.txt\n",
            _OK_RESPONSE,
        ),
        good=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/ads.txt\n",
            _OK_RESPONSE,
        ),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS510",
        name="invalid-redirect",
        severity=Severity.ERROR,
        summary=(
            "A redirect that cannot be followed: no Location, an invalid one, or a 3xx that "
            "is not a redirect."
        ),
        explanation=(
            "A 301 without a Location header, a Location that is not a URL, or a status such "
            "as 300 or 304 leaves a crawler with no file."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get("https://example.com/ads.txt", b"HTTP/1.1 301 Moved Permanently\n"),
        good=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/ads.txt\n",
            _OK_RESPONSE,
        ),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS511",
        name="redirect-after-leaving-root",
        severity=Severity.ERROR,
        summary="A redirect after the chain has already left the root domain.",
        explanation=(
            "Redirects within the root domain may chain freely, and one redirect to another "
            "domain is allowed. Any redirect after that makes the file unauthoritative; Google "
            "does not crawl it."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://cdn.example.net/ads.txt\n",
            b"HTTP/1.1 302 Found\nLocation: https://files.example.org/ads.txt\n",
        ),
        good=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://files.example.org/ads.txt\n",
            _OK_RESPONSE,
        ),
        also=("ADS515",),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS512",
        name="too-many-redirects",
        severity=Severity.ERROR,
        summary="More redirects than the limit (10 by default).",
        explanation=(
            "Long chains waste crawler time and usually point at a misconfiguration. Redirect "
            "straight to the file."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 302 Found\nLocation: /ads.txt?step=1\n",
            b"HTTP/1.1 302 Found\nLocation: /ads.txt?step=2\n",
            b"(... and so on, past the limit)",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS513",
        name="redirect-loop",
        severity=Severity.ERROR,
        summary="The redirects come back to a URL already visited.",
        explanation=(
            "A loop never ends in a file. It often comes from an HTTP to HTTPS rule meeting an "
            "HTTPS to HTTP rule on a proxy."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/ads.txt\n",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://example.com/ads.txt\n",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS514",
        name="redirect-to-other-path",
        severity=Severity.WARNING,
        summary="The redirects end at a URL whose path is not /ads.txt (or /app-ads.txt).",
        explanation=(
            "A redirect to the home page or an error page is a common way of 'not having' the "
            "file while still answering 200."
        ),
        spec="common mistakes observed in real sites",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 302 Found\nLocation: https://example.com/files/sellers.txt\n",
            _OK_RESPONSE,
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS515",
        name="off-domain-delegation",
        severity=Severity.INFO,
        summary="The file is served from another domain through the one allowed redirect.",
        explanation=(
            "Delegating to a third party (an ad-ops provider) is allowed, but nothing may "
            "redirect again from there. Reported so that the delegation is visible. The file "
            "still speaks for the site that delegated to it: its SUBDOMAIN lines are that "
            "site's, and are followed."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 301 Moved Permanently\nLocation: https://cdn.example.net/ads.txt\n",
            _OK_RESPONSE,
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS516",
        name="wrong-content-type",
        severity=Severity.ERROR,
        summary="The file is not served as text/plain.",
        explanation=(
            "The spec requires Content-Type text/plain and tells crawlers to ignore anything "
            "else. Servers often default to application/octet-stream or text/html for a .txt "
            "file that was uploaded through a CMS."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: application/octet-stream\n\n" + GOOD,
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS517",
        name="missing-charset",
        severity=Severity.INFO,
        summary="text/plain without a charset.",
        explanation=(
            "Without a charset some clients guess an encoding. The spec advises 'charset=utf-8'."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt", b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\n" + GOOD
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS518",
        name="non-utf8-charset",
        severity=Severity.WARNING,
        summary="The file is served with a charset other than UTF-8.",
        explanation=(
            "The body is decoded with the declared charset, but crawlers expect UTF-8 and may "
            "misread any non-ASCII character."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=iso-8859-1\n\n" + GOOD,
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS519",
        name="unknown-charset",
        severity=Severity.WARNING,
        summary="The declared charset is not a known encoding.",
        explanation=(
            "A misspelt charset such as 'utf8mb4' or 'none' leaves each client to guess; the "
            "body is read as UTF-8. So is a body declared in a codec that is no text "
            "encoding ('base64') or that cannot read arbitrary bytes ('idna')."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf8mb4\n\n" + GOOD,
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS520",
        name="body-too-large",
        severity=Severity.ERROR,
        summary="The body is larger than the size limit (10 MiB by default).",
        explanation=(
            "The limit is checked while the body streams in, so an endless or huge response "
            "is cut off early. Real files are well below it; such a body is almost always a "
            "misconfigured server."
        ),
        spec="ads.txt 1.1 section 3.1 (crawlers limit what they download)",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 52428800\n\n"
            b"(50 MiB of records)",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS521",
        name="decompression-bomb",
        severity=Severity.ERROR,
        summary="A compressed body expands past the size limit.",
        explanation=(
            "A few kilobytes of gzip can expand to gigabytes. Decompression stops as soon as "
            "the output passes the limit."
        ),
        spec="ads.txt 1.1 section 3.1 (crawlers limit what they download)",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Encoding: gzip\n\n"
            b"(20 KiB of gzip that expands to 20 MiB)",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS522",
        name="bad-content-encoding",
        severity=Severity.ERROR,
        summary="The body's Content-Encoding is corrupt or was not asked for.",
        explanation=(
            "Only gzip and deflate are requested. A Brotli body sent anyway, or a truncated "
            "gzip stream, cannot be read."
        ),
        spec="RFC 9110 section 8.4",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Encoding: br\n\n(Brotli)",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS523",
        name="private-address",
        severity=Severity.ERROR,
        summary="The host resolves to a private, loopback, link-local or multicast address.",
        explanation=(
            "Following such an address from a public name would let a site make the checker "
            "probe internal networks, so it is refused unless private addresses are allowed "
            "(--allow-private-addresses). Public crawlers cannot reach it either."
        ),
        spec="safety of the checker",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 302 Found\nLocation: http://10.0.0.7/ads.txt\n",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        also=("ADS515",),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS524",
        name="unsupported-scheme",
        severity=Severity.ERROR,
        summary="A redirect to something other than http or https.",
        explanation=(
            "Crawlers fetch only over HTTP and HTTPS; a redirect to ftp:, file: or a data: URL "
            "is never followed."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 302 Found\nLocation: ftp://files.example.com/ads.txt\n",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS525",
        name="soft-404",
        severity=Severity.ERROR,
        summary="A web page or other non-ads.txt body served with a success status.",
        explanation=(
            "Many sites answer every path with their home page, a 'not found' page or a bot "
            "challenge, with status 200. Crawlers treat such a response as a missing file. The "
            "body's own check reports ADS004 beside this."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n"
            b"<!DOCTYPE html><html><body>Page not found</body></html>",
        ),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        also=("ADS004", "ADS101"),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS526",
        name="robots-blocked",
        severity=Severity.WARNING,
        summary="robots.txt forbids crawlers to fetch the file.",
        explanation=(
            "Google's ads.txt crawler obeys robots.txt, and a rule as broad as 'Disallow: /ads' "
            "also blocks /ads.txt. Checked only when robots.txt checking is on."
        ),
        spec="Google Ad Manager and AdSense help on ads.txt crawling",
        bad=_get(
            "https://example.com/robots.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\nUser-agent: *\nDisallow: /ads\n",
        ),
        good=_get(
            "https://example.com/robots.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\nUser-agent: *\nDisallow: /ads/\n",
        ),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS527",
        name="http-only",
        severity=Severity.WARNING,
        summary="The file is available over HTTP but not over HTTPS.",
        explanation=(
            "Crawlers prefer HTTPS and the spec recommends it against spoofing; Google asks "
            "for the file on both."
        ),
        spec="ads.txt 1.1 sections 3.1 and 5.4",
        bad=_get("https://example.com/ads.txt", b"(connection refused)\n")
        + b"\n"
        + _get("http://example.com/ads.txt", _OK_RESPONSE),
        good=_get("https://example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS528",
        name="subdomain-without-file",
        severity=Severity.INFO,
        summary="A SUBDOMAIN= entry points at a host with no usable file of its own.",
        explanation=(
            "When a declared subdomain has no ads.txt, the root domain's file governs it. "
            "That may be intended; reported so that the governing file is clear."
        ),
        spec="ads.txt 1.1 sections 3.1 and 5.5",
        bad=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n"
            + GOOD
            + b"SUBDOMAIN=shop.example.com\n",
        )
        + b"\n"
        + _get("https://shop.example.com/ads.txt", b"HTTP/1.1 404 Not Found\n"),
        good=_get(
            "https://example.com/ads.txt",
            b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n"
            + GOOD
            + b"SUBDOMAIN=shop.example.com\n",
        )
        + b"\n"
        + _get("https://shop.example.com/ads.txt", _OK_RESPONSE),
        filename=HTTP_EXCHANGE,
    ),
    Rule(
        code="ADS529",
        name="invalid-fetch-target",
        severity=Severity.ERROR,
        summary=(
            "What was given to fetch is not a domain under a public suffix, or not an http(s) URL."
        ),
        explanation=(
            "The file lives on the root domain, which is derived with the whole Public Suffix "
            "List, private section included (the root domain of 'www.alice.github.io' is "
            "'alice.github.io'); an IP address, a bare name or a made-up suffix has none. A "
            "URL to check directly must use http or https."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad=b"fetch localhost\n",
        good=b"fetch example.com\n",
        filename=HTTP_EXCHANGE,
    ),
]
