"""The rules about a final response: what its status means, its Content-Type and charset,
and whether its body is an ads.txt file at all."""

from __future__ import annotations

import codecs
import functools
import warnings
from collections.abc import Iterable

from adstxt.diagnostics import Diagnostic
from adstxt.fetch import _diag
from adstxt.fetch._urls import host_of
from adstxt.model import FileKind, ParseResult

__all__ = ["check_body", "check_content_type", "check_parsed", "status_findings"]

_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
#: The codecs (by their names in :mod:`codecs`) of those charsets.
_UTF8_CODECS = frozenset({"utf-8", "ascii"})


def _media_type(content_type: str) -> tuple[str, str | None]:
    """The lower-case media type and the charset parameter (``None`` when absent)."""
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').strip() or None
    return media.strip().lower(), charset


def status_findings(url: str, status: int) -> list[Diagnostic]:
    """What the final status means for crawlers (nothing for a plain 200)."""
    if status == 200:
        return []
    if 200 <= status < 300:
        return [_diag.make("ADS508", f"{url} answers {status}, not 200; the body was used")]
    if status == 401:
        return [
            _diag.make(
                "ADS505",
                f"{url} answers 401: access is restricted",
                "crawlers cannot authenticate; serve the file to everyone",
            )
        ]
    if status == 404:
        return [
            _diag.make(
                # A missing file means no declarations (every seller unchecked), not "nobody is
                # authorized", which is what the placeholder record says.
                "ADS504",
                f"{url} answers 404: there is no file, so the site makes no ads.txt "
                "declarations and no seller is held unauthorized",
            )
        ]
    if 500 <= status < 600:
        return [
            _diag.make(
                "ADS507",
                f"{url} answers {status}; crawlers keep using their last good copy "
                "for a while, then drop it",
            )
        ]
    if 300 <= status < 400:
        return [
            _diag.make("ADS510", f"{url} answers {status}, which is not a redirect crawlers follow")
        ]
    return [
        _diag.make(
            "ADS506",
            f"{url} answers {status}; crawlers treat it as an error and keep their "
            "last good copy, if any",
        )
    ]


def check_body(
    url: str,
    status: int | None,
    body: bytes | None,
    content_type: str | None,
    kind: FileKind,
    found: list[Diagnostic],
    site: str | None = None,
) -> ParseResult:
    """Check the Content-Type, decode by charset and parse; serving findings go to ``found``.

    ``site`` is the host whose file this is (where the redirects started), when that is
    not the host of ``url``.
    """
    body = body or b""
    charset = check_content_type(url, content_type, found)
    source: str | bytes = body
    if charset is not None and charset.lower() not in _UTF8_NAMES:
        codec = _text_codec(charset)
        # The parser reads UTF-8 itself, and detects UTF-16 and UTF-32 by their BOM.
        if codec is not None and codec not in _UTF8_CODECS | {"utf-16", "utf-32"}:
            source = _decoded(body, codec)
    # Imported at the first body checked: importing the checker loads it, and a re-crawl
    # whose files are all unchanged checks none.
    from adstxt._api import parse

    parsed = parse(source, kind=kind, domain=site or host_of(url) or None)
    check_parsed(url, status, kind, (d.code for d in parsed.diagnostics), found)
    return parsed


def check_content_type(url: str, content_type: str | None, found: list[Diagnostic]) -> str | None:
    """The findings of serving a file with ``content_type`` go to ``found``; returns the
    charset it declares, if any."""
    media, charset = _media_type(content_type or "")
    if not content_type:
        found.append(
            _diag.make(
                "ADS516",
                f"{url} has no Content-Type header; the spec requires text/plain",
                "serve it as 'text/plain; charset=utf-8'",
            )
        )
    elif media != "text/plain":
        found.append(
            _diag.make(
                "ADS516",
                f"{url} is served as {media or content_type!r}, not "
                "text/plain; crawlers ignore its content",
                "serve it as 'text/plain; charset=utf-8'",
            )
        )
    elif charset is None:
        found.append(
            _diag.make("ADS517", f"{url} is text/plain without a charset", "add '; charset=utf-8'")
        )
    if charset is not None and charset.lower() not in _UTF8_NAMES:
        codec = _text_codec(charset)
        if codec in _UTF8_CODECS:  # another name of UTF-8 ("utf_8", "U8") or of ASCII
            return charset
        if codec is None:
            found.append(
                _diag.make(
                    "ADS519",
                    f"{url} declares charset {charset!r}, which is not a "
                    "known encoding; the body was read as UTF-8",
                )
            )
        else:
            found.append(
                _diag.make(
                    "ADS518",
                    f"{url} declares charset {charset!r}; crawlers expect UTF-8",
                    "save the file as UTF-8 and serve charset=utf-8",
                )
            )
    return charset


#: Every byte value: what a codec must turn into text (bad bytes replaced) to be usable.
_PROBE = bytes(range(256))


@functools.lru_cache(maxsize=64)
def _text_codec(charset: str) -> str | None:
    """The name of the codec that reads a body declared in ``charset``; None when Python
    has none that turns any bytes into text: an unknown name, a codec from bytes to bytes
    (``base64``), or one that fails on arbitrary bytes (``idna``, ``undefined``). Decided by
    the name alone, so that a copy read back from the store gets the finding its fetch got.
    """
    try:
        name = codecs.lookup(charset).name
        with warnings.catch_warnings():  # unicode-escape warns of bad escapes
            warnings.simplefilter("ignore")
            _PROBE.decode(name, "replace")
    except (LookupError, ValueError):  # UnicodeError is a ValueError
        return None
    return name


def _decoded(body: bytes, codec: str) -> str | bytes:
    """``body`` read with ``codec`` (bad bytes replaced); the bytes themselves, read as
    UTF-8 by the parser, should the codec still fail on them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return body.decode(codec, "replace")
    except (LookupError, ValueError):
        return body


def check_parsed(
    url: str,
    status: int | None,
    kind: FileKind,
    codes: Iterable[str],
    found: list[Diagnostic],
) -> None:
    """What the body's own findings (``codes``, theirs) say of its serving goes to
    ``found``: a body that is not an ads.txt file is a soft 404 or a challenge page."""
    if any(code == "ADS004" for code in codes):
        found.append(
            _diag.make(
                "ADS525",
                f"{url} answers {status} with a body that is not an "
                f"{kind} file (a soft 404 or a challenge page); crawlers treat the "
                "file as missing",
            )
        )
