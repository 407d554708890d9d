"""Replay the HTTP exchanges that document the fetch rules (ADS5xx) on real local servers.

A rule example is a list of blocks, each ``GET url`` followed by the responses a crawler
receives: the first for ``url``, each next one for the previous response's Location. A
response is a status line, headers, a blank line and a body, or a note in parentheses for
what no status line can show: ``(connection refused)``, ``(no response ...)``, ``(certificate
issued for ...)``, ``(... and so on ...)`` (the chain goes on past the limit, replayed with a
limit of one redirect), and body placeholders such as ``(50 MiB of records)``.
``fetch NAME`` asks to fetch a name as given.
"""

from __future__ import annotations

import atexit
import gzip
from urllib.parse import urljoin, urlsplit

from adstxt.diagnostics import Diagnostic
from adstxt.fetch import ConnectTo, fetch, fetch_url
from tests.httpserver import GOOD, LocalServers, Reply, closed_port, text

_SERVERS: list[LocalServers] = []


def _servers() -> tuple[LocalServers, LocalServers]:
    """The replay servers, and one whose certificate is for another name, started once."""
    if not _SERVERS:
        for names in (None, ("another.example",)):
            servers = LocalServers() if names is None else LocalServers(names)
            servers.__enter__()
            atexit.register(servers.__exit__)
            _SERVERS.append(servers)
    return _SERVERS[0], _SERVERS[1]


def _responses(lines: list[bytes]) -> list[list[bytes]]:
    """Split a block's lines into responses (each a list of lines).

    A note in parentheses right after a response's blank line is that response's body.
    """
    found: list[list[bytes]] = []
    for line in lines:
        starts = line.startswith(b"HTTP/1.1 ") or (
            line.startswith(b"(") and (not found or found[-1][-1] != b"")
        )
        if starts and (not found or _complete(found[-1])):
            found.append([line])
        elif found:
            found[-1].append(line)
    return found


def _complete(response: list[bytes]) -> bool:
    """A note ends at once; a response with headers after its blank line."""
    return response[0].startswith(b"(") or b"" in response


def _reply(response: list[bytes]) -> Reply:
    status = int(response[0].split()[1])
    headers: dict[str, str] = {}
    body_lines: list[bytes] = []
    in_body = False
    for line in response[1:]:
        if in_body:
            body_lines.append(line)
        elif line == b"":
            in_body = True
        else:
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip()] = value.strip()
    body = b"".join(x + b"\n" for x in body_lines).rstrip(b"\n")
    body = body + b"\n" if body else b""
    if body.startswith(b"(") and b"gzip" in body:
        body = gzip.compress(b"\n" * (20 * 1024 * 1024), 9)
    return Reply(status, body, headers)


def replay(example: bytes) -> list[Diagnostic]:
    """Every diagnostic that fetching the example's URL reports, served as the example says."""
    servers, wrong_cert = _servers()
    servers.routes.clear()
    connect_to: list[ConnectTo] = []
    options: dict[str, object] = {
        "verify": servers.client_context,
        "connect_timeout": 0.5,
        "read_timeout": 0.5,
        "timeout": 1.0,
    }
    if example.startswith(b"fetch "):
        name = example[6:].decode().strip()
        servers.routes[f"https://{name}/ads.txt"] = text(GOOD)
        return list(fetch(name, connect_to=servers.connect_to, **options).diagnostics)  # type: ignore[arg-type]
    blocks = [b for b in example.split(b"GET ") if b.strip()]
    urls: list[str] = []
    hosts: set[str] = set()
    for block in blocks:
        head, *lines = block.split(b"\n")
        url = head.decode().strip()
        urls.append(url)
        for response in _responses(lines):
            parts = urlsplit(url)
            if parts.hostname and not parts.hostname.replace(".", "").isdigit():
                hosts.add(parts.hostname)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            note = response[0]
            if note.startswith(b"(connection refused"):
                connect_to.append(ConnectTo(parts.hostname, port, "127.0.0.1", closed_port()))
            elif note.startswith(b"(no response"):
                servers.routes[url] = Reply(behaviour="hang")
            elif note.startswith(b"(certificate issued for"):
                wrong_cert.routes[url] = text(GOOD)
                connect_to.append(
                    ConnectTo(parts.hostname, 443, "127.0.0.1", wrong_cert.https_port)
                )
            else:
                reply = _reply(response)
                servers.routes[url] = reply
                if "Location" in reply.headers:
                    url = urljoin(url, reply.headers["Location"])
    if b"(... and so on" in example:
        options["max_redirects"] = 1
    first = urlsplit(urls[0])
    for host in hosts:  # only the example's names reach the servers, never an IP literal
        connect_to.append(ConnectTo(host, 80, "127.0.0.1", servers.http_port))
        connect_to.append(ConnectTo(host, 443, "127.0.0.1", servers.https_port))
    if first.path == "/robots.txt":
        servers.routes[f"https://{first.hostname}/ads.txt"] = text(GOOD)
        result = fetch_url(
            f"https://{first.hostname}/ads.txt", connect_to=connect_to, robots=True, **options
        )  # type: ignore[arg-type]
    elif len(urls) > 1:
        result = fetch(first.hostname or "", connect_to=connect_to, **options)  # type: ignore[arg-type]
    else:
        result = fetch_url(urls[0], connect_to=connect_to, **options)  # type: ignore[arg-type]
    return list(result.diagnostics)
