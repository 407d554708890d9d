"""The publishers file of a forward audit: one domain (or app developer domain) a line.

Nothing is skipped without a word: a URL is reduced to its host with a warning, a repeat is
audited once and reported, a blank line is noted, and a line that is no domain is an error
that stays in the results as an ``unusable`` publisher.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["InputProblem", "PublisherLine", "read_publishers"]


@dataclass(frozen=True)
class InputProblem:
    """A problem in an input file, at a line."""

    file: str
    line: int
    severity: Literal["error", "warning", "info"]
    message: str

    def to_json(self) -> dict[str, object]:
        """The problem as the audit document writes it."""
        return {
            "file": self.file,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
        }

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class PublisherLine:
    """One publisher to audit; ``host`` is None when the line names no domain."""

    line: int
    written: str
    host: str | None


def _host(text: str) -> str | None:
    """The host a URL names, lower case, without port or trailing dot."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def _is_domain(host: str) -> bool:
    from adstxt._domains import analyze_host

    return analyze_host(host).registrable is not None


def read_publishers(
    lines: Iterable[str], name: str
) -> Iterator[tuple[PublisherLine | None, InputProblem | None]]:
    """Yield each publisher to audit, and each problem, as the lines are read.

    Items are ``(publisher, None)``, ``(None, problem)`` or, for a line that is kept but
    reported (a URL, junk), ``(publisher, problem)``.
    """
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.split("#", 1)[0].strip().lstrip("\ufeff")
        if not text:
            if not raw.strip():
                yield None, InputProblem(name, number, "info", "blank line skipped")
            continue
        if any(c.isspace() for c in text) or "," in text:
            yield (
                PublisherLine(number, text, None),
                InputProblem(name, number, "error", f"'{text}' is not one domain"),
            )
            continue
        problem = None
        is_url = "/" in text or ":" in text
        host = _host(text) if is_url else text.lower().rstrip(".")
        if host is None or not _is_domain(host):
            yield (
                PublisherLine(number, text, None),
                InputProblem(name, number, "error", f"'{text}' is no domain under a public suffix"),
            )
            continue
        if is_url:
            problem = InputProblem(name, number, "warning", f"'{text}' is a URL: audited as {host}")
        first = seen.get(host)
        if first is not None:
            yield (
                None,
                InputProblem(name, number, "warning", f"{host} repeats line {first}: audited once"),
            )
            continue
        seen[host] = number
        yield PublisherLine(number, text, host), problem
