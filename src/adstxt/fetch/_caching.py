"""How long a fetched file may be used: Cache-Control, Expires, or the spec's 7 days."""

from __future__ import annotations

import datetime as dt
import re

import attrs

__all__ = ["DEFAULT_LIFETIME", "Caching", "Validators", "caching_from_headers"]

#: ads.txt 1.1 section 3.6: with no caching directives a copy expires after seven days.
DEFAULT_LIFETIME = dt.timedelta(days=7)

_MAX_AGE = re.compile(r"(?:^|,)\s*(s-maxage|max-age)\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(no-store|no-cache)\b", re.IGNORECASE)


@attrs.frozen
class Caching:
    """The caching headers as served and the deadline they imply.

    ``fresh_until`` is when a consumer must fetch again: ``max-age`` (``s-maxage`` first,
    since crawlers are shared caches) wins over ``Expires``, as in HTTP caching; ``no-cache``
    or ``no-store`` means at once; with neither, :data:`DEFAULT_LIFETIME` after the fetch.
    """

    fetched_at: dt.datetime
    fresh_until: dt.datetime
    source: str
    cache_control: str | None = None
    expires: str | None = None
    last_modified: str | None = None
    etag: str | None = None


def _http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    # Imported here: the email package is a large import that only an Expires header needs.
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def caching_from_headers(
    headers: dict[str, str],
    fetched_at: dt.datetime,
    default: dt.timedelta = DEFAULT_LIFETIME,
) -> Caching:
    """Work out the freshness deadline of a response fetched at ``fetched_at`` (aware UTC)."""
    control = headers.get("cache-control")
    expires = headers.get("expires")
    common = {
        "cache_control": control,
        "expires": expires,
        "last_modified": headers.get("last-modified"),
        "etag": headers.get("etag"),
    }
    if control:
        if _NO_CACHE.search(control):
            return Caching(fetched_at, fetched_at, "cache-control: no-cache", **common)
        ages = {m.group(1).lower(): int(m.group(2)) for m in _MAX_AGE.finditer(control)}
        if ages:
            name = "s-maxage" if "s-maxage" in ages else "max-age"
            age = headers.get("age", "0").strip()
            seconds = max(0, ages[name] - (int(age) if age.isdigit() else 0))
            deadline = fetched_at + dt.timedelta(seconds=min(seconds, 10**9))
            return Caching(fetched_at, deadline, f"cache-control: {name}", **common)
    if expires is not None:
        # An unparseable Expires means "already expired" (RFC 9111 section 5.3).
        when = _http_date(expires) or fetched_at
        return Caching(fetched_at, max(when, fetched_at), "expires", **common)
    return Caching(fetched_at, fetched_at + default, "default", **common)


@attrs.frozen
class Validators:
    """The validators of a copy already held, sent back to ask "has it changed?".

    A server that still has the same file answers 304 Not Modified without a body
    (RFC 9110 section 13.1): ``etag`` goes out as If-None-Match and ``last_modified`` as
    If-Modified-Since. Values are sent as they were served.
    """

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> tuple[tuple[bytes, bytes], ...]:
        """The request headers, encoded; none when there is nothing to validate with."""
        found = []
        for name, value in (
            (b"If-None-Match", self.etag),
            (b"If-Modified-Since", self.last_modified),
        ):
            # A value that cannot go on the wire (a line break, say) is not sent at all.
            if value and value.isprintable():
                try:
                    found.append((name, value.encode("latin-1")))
                except UnicodeEncodeError:
                    continue
        return tuple(found)
