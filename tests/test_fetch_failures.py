"""How a fetch fails, against real local servers: which failure is the outcome when both
schemes fail, one time limit for the whole fetch, failures said in the user's words, and
options checked at the call."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

pytest.importorskip("h11")

from adstxt.fetch import ConnectTo, Fetcher, fetch, fetch_url
from adstxt.fetch._failures import os_failure
from tests.cli import crawl, run
from tests.httpserver import GOOD, LocalServers, Reply, closed_port, redirect, text

#: What the machine's insides say, which a finding must never pass on as it is.
_JARGON = (
    "Errno",
    "_ssl.c",
    "[SSL",
    "can't handle event",
    "role=SERVER",
    "Receive buffer",
    "Connect call failed",
    "bytearray",
    "ConnectionClosed",
)


def _https_refused(live: LocalServers, **options: object) -> dict[str, object]:
    """Options sending HTTPS to a closed port and HTTP to the local server."""
    return {
        **live.options,
        "connect_to": (
            ConnectTo(None, 443, "127.0.0.1", closed_port()),
            ConnectTo(None, 80, "127.0.0.1", live.http_port),
        ),
        **options,
    }


def _errors(result: object) -> list[str]:
    return [
        f"{d.code} {d.message}"
        for d in result.fetch_diagnostics  # type: ignore[attr-defined]
        if d.severity.value == "error"
    ]


def _plain(messages: list[str]) -> None:
    for message in messages:
        assert not any(word in message for word in _JARGON), message


# ---- both schemes fail -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("behaviour", "outcome", "code", "what"),
    [
        ("hang", "timeout", "ADS502", "http://example.com/ads.txt: read timeout after 0.5 s"),
        (
            "reset",
            "connection-error",
            "ADS501",
            "http://example.com/ads.txt: the server reset the connection without sending a "
            "response",
        ),
        (
            "close",
            "connection-error",
            "ADS501",
            "http://example.com/ads.txt: the server closed the connection without sending a "
            "response",
        ),
    ],
)
def test_when_https_is_refused_the_http_failure_is_the_outcome(
    live: LocalServers,
    behaviour: str,
    outcome: str,
    code: str,
    what: str,
) -> None:
    live.routes["http://example.com/ads.txt"] = Reply(behaviour=behaviour)
    result = fetch("example.com", **_https_refused(live))
    assert result.outcome == outcome
    (error,) = _errors(result)  # one finding: the last failure, naming the first
    assert error.startswith(
        f"{code} {what}; tried before it: https://example.com/ads.txt: cannot connect to 127.0.0.1:"
    ), error
    assert error.endswith(": the connection was refused (nothing listens on that port)")
    assert result.url == "http://example.com/ads.txt"
    assert [len(chain) for chain in result.attempts] == [1, 1]
    _plain(_errors(result))


def test_a_sellers_json_fetch_reports_both_schemes_too(live: LocalServers) -> None:
    live.routes["http://example.com/sellers.json"] = Reply(behaviour="hang")

    async def run_it() -> object:
        async with Fetcher(**_https_refused(live)) as fetcher:  # type: ignore[arg-type]
            return await fetcher.fetch_resource(
                "example.com", "/sellers.json", accept="application/json"
            )

    import asyncio

    resource = asyncio.run(run_it())
    assert resource.outcome == "timeout"  # type: ignore[attr-defined]
    (message,) = [d.message for d in resource.diagnostics]  # type: ignore[attr-defined]
    assert message.startswith(
        "http://example.com/sellers.json: read timeout after 0.5 s; "
        "tried before it: https://example.com/sellers.json: cannot "
        "connect to 127.0.0.1:"
    )


def test_a_hanging_site_is_a_timeout_in_the_crawl(live: LocalServers, tmp_path: object) -> None:
    import json
    from pathlib import Path

    folder = Path(str(tmp_path))
    live.routes["http://example.com/ads.txt"] = Reply(behaviour="hang")
    (folder / "domains.txt").write_text("example.com\n", encoding="utf-8")
    done = crawl(
        str(folder / "domains.txt"),
        "-o",
        str(folder / "out.jsonl"),
        "--retries",
        "0",
        "--read-timeout",
        "0.3",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{live.http_port}",
    )
    assert done.returncode == 0, done.stderr
    (line,) = (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["outcome"] == "timeout" and entry["diagnostics"] == {"ADS502": 1}


# ---- one time limit for the whole fetch ----------------------------------------------------


def test_the_time_limit_covers_both_schemes(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = Reply(behaviour="hang")
    started = time.monotonic()
    result = fetch("example.com", **{**live.options, "read_timeout": 5.0, "timeout": 1.0})
    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 1.8  # not a second per scheme
    assert result.outcome == "timeout"
    (error,) = _errors(result)
    assert error == "ADS502 https://example.com/ads.txt: the fetch's time limit of 1 s ran out"
    assert [seen.scheme for seen in live.seen] == ["https"]  # no time was left for HTTP


def test_the_time_limit_covers_every_redirect(live: LocalServers) -> None:
    slow = redirect("https://example.com/b/ads.txt")
    slow.delay = 0.8
    live.routes["https://example.com/ads.txt"] = slow
    live.routes["https://example.com/b/ads.txt"] = Reply(delay=0.8)
    options = {**live.options, "read_timeout": 2.0, "timeout": 1.5}
    result = fetch_url("https://example.com/ads.txt", **options)  # two hops of 0.8 s
    assert result.outcome == "timeout"
    assert "the fetch's time limit of 1.5 s ran out" in _errors(result)[0]
    live.routes["https://example.com/b/ads.txt"] = text(GOOD)
    assert fetch_url("https://example.com/ads.txt", **options).outcome == "ok"


def test_each_subdomain_file_has_a_time_limit_of_its_own(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(
        200, GOOD + b"SUBDOMAIN=shop.example.com\n", {"Content-Type": "text/plain"}, delay=0.6
    )
    live.routes["https://shop.example.com/ads.txt"] = Reply(delay=0.6)
    result = fetch("example.com", **{**live.options, "read_timeout": 2.0})  # 1.2 s in all
    assert result.outcome == "ok"
    assert [sub.outcome for sub in result.subdomains] == ["ok"]


def test_waiting_for_the_host_delay_is_not_counted(live: LocalServers) -> None:
    # HTTPS is refused at once; HTTP then waits 0.8 s for its turn at the host and answers in
    # 0.3 s: 1.1 s in all, but the server took far less than the 1 s limit.
    live.routes["http://example.com/ads.txt"] = Reply(delay=0.3)
    started = time.monotonic()
    result = fetch("example.com", **_https_refused(live, host_delay=0.8))
    assert time.monotonic() - started > 1.0
    assert result.outcome == "ok", _errors(result)


# ---- failures in the user's words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(behaviour="huge-head"), "the response headers exceed the 64 KiB limit"),
        (
            Reply(behaviour="cut-head"),
            "the server closed the connection before sending a complete response",
        ),
        (
            Reply(200, b"abc", {"Content-Type": "text/plain", "Content-Length": "100"}),
            "the server closed the connection before sending the whole body (3 of 100 bytes)",
        ),
        (Reply(behaviour="reset"), "the server reset the connection without sending a response"),
    ],
)
def test_broken_responses_are_described_in_plain_words(
    live: LocalServers,
    reply: Reply,
    expected: str,
) -> None:
    live.routes["https://example.com/ads.txt"] = reply
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert result.outcome == "connection-error"
    assert _errors(result) == [f"ADS501 https://example.com/ads.txt: {expected}"]


@contextlib.contextmanager
def _plain_http_server() -> Iterator[int]:
    """A port where a server answers whatever comes with a plain-HTTP 400, as web servers do
    when spoken TLS to."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()
        thread.join(5)


def test_tls_failures_are_described_in_plain_words(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = text(GOOD)
    untrusted = fetch_url("https://example.com/ads.txt", connect_to=live.connect_to)
    assert _errors(untrusted) == [
        "ADS503 https://example.com/ads.txt: TLS failed: the server's certificate is not "
        "trusted (unable to get local issuer certificate)"
    ]
    with _plain_http_server() as port:
        plain_port = fetch_url(
            "https://example.com/ads.txt",
            **{**live.options, "connect_to": (ConnectTo(None, 443, "127.0.0.1", port),)},
        )
    assert _errors(plain_port) == [
        "ADS503 https://example.com/ads.txt: TLS failed: the server does not speak TLS on "
        "this port (plain HTTP?)"
    ]


def test_a_corrupt_compressed_body_is_described_in_plain_words(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(
        200, b"plain text, not gzip", {"Content-Type": "text/plain", "Content-Encoding": "gzip"}
    )
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert result.outcome == "bad-encoding"
    assert _errors(result) == [
        "ADS522 https://example.com/ads.txt: the body is declared gzip but is not valid gzip "
        "data after 20 bytes"
    ]


def test_os_errors_are_described_in_plain_words() -> None:
    import errno
    import socket

    assert os_failure(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")) == (
        "the connection was refused (nothing listens on that port)"
    )
    assert (
        os_failure(
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "nosuch.example"
        )
        == "the host name nosuch.example does not resolve to any address"
    )
    assert os_failure(OSError(errno.EMFILE, "Too many open files")) == "too many open files"


# ---- options are checked at the call -------------------------------------------------------


def test_connect_to_takes_the_command_line_form(live: LocalServers) -> None:
    live.routes["http://example.com/ads.txt"] = text(GOOD)
    options = {
        **live.options,
        "connect_to": [f":443:127.0.0.1:{closed_port()}", f":80:127.0.0.1:{live.http_port}"],
    }
    result = fetch("example.com", **options)
    assert result.outcome == "ok" and result.final_url == "http://example.com/ads.txt"


@pytest.mark.parametrize(
    ("connect_to", "error", "message"),
    [
        (
            ["example.com:443"],
            ValueError,
            "connect_to[0] 'example.com:443': expected HOST1:PORT1:HOST2:PORT2",
        ),
        (
            [":443:127.0.0.1:99999"],
            ValueError,
            "connect_to[0] ':443:127.0.0.1:99999': '99999' is not a port number",
        ),
        (
            [ConnectTo(None, 443, "127.0.0.1", 1), 443],
            TypeError,
            "connect_to[1]: expected a ConnectTo or a 'HOST1:PORT1:HOST2:PORT2' string, not int",
        ),
        (
            ":443:127.0.0.1:9",
            TypeError,
            "connect_to takes a list of overrides, not one str; "
            "write connect_to=[':443:127.0.0.1:9']",
        ),
        (443, TypeError, "connect_to takes a list of overrides, not int"),
    ],
)
def test_a_malformed_connect_to_is_refused_at_the_call(
    connect_to: object,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as raised:
        fetch("example.com", connect_to=connect_to)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"timeout": "5"}, TypeError, "timeout must be a number of seconds, not '5'"),
        ({"timeout": 0}, ValueError, "timeout must be more than 0 seconds, not 0"),
        (
            {"read_timeout": float("nan")},
            ValueError,
            "read_timeout must be more than 0 seconds, not nan",
        ),
        ({"host_delay": -1}, ValueError, "host_delay must be at least 0 seconds, not -1"),
        ({"max_bytes": 1.5}, TypeError, "max_bytes must be an integer, not 1.5"),
        ({"max_redirects": -1}, ValueError, "max_redirects must be at least 0, not -1"),
        ({"verify": "no"}, TypeError, "verify must be True, False or an ssl.SSLContext, not 'no'"),
    ],
)
def test_bad_options_are_refused_at_the_call(
    options: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as raised:
        fetch("example.com", **options)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_connect_to_values_are_checked_and_normalized() -> None:
    assert ConnectTo("Example.COM.", 443, None, None).matches("example.com", 443)
    with pytest.raises(ValueError, match=r"ConnectTo\.port: '443' is not a port number"):
        ConnectTo("example.com", "443", None, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_a_bad_timeout_is_a_usage_error(value: str, tmp_path: object) -> None:
    from pathlib import Path

    checked = run("--domain", "example.com", "--timeout", value)
    assert checked.returncode == 2
    assert "--timeout: expected a number of seconds above 0" in checked.stderr
    folder = Path(str(tmp_path))
    (folder / "domains.txt").write_text("example.com\n", encoding="utf-8")
    crawled = crawl(
        str(folder / "domains.txt"), "-o", str(folder / "out.jsonl"), f"--timeout={value}"
    )
    assert crawled.returncode == 2
    assert "--timeout must be a number of seconds above 0" in crawled.stderr
    assert "Traceback" not in crawled.stderr
