"""The parts of a listing page that say which app it is and who made it, read with a real
HTML parser (selectolax, the ``apps`` extra), never with patterns over the markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

__all__ = ["Page", "read_page"]


@attrs.frozen
class Page:
    """What a listing page holds: its ``appstore:*`` meta tags (names in lower case), its
    canonical URL and the links of the page as (text with spaces collapsed, href)."""

    appstore: dict[str, str]
    canonical: str | None
    links: tuple[tuple[str, str], ...]


def _parser(body: bytes) -> LexborHTMLParser:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        raise ImportError(
            "reading app store listings needs the 'apps' extra: pip install 'adstxt[apps]'"
        ) from None
    return LexborHTMLParser(body)


def read_page(body: bytes) -> Page:
    """Read a listing page; any bytes give a :class:`Page` (an empty one for non-HTML)."""
    tree = _parser(body)
    appstore: dict[str, str] = {}
    for meta in tree.css("meta[name]"):
        name = (meta.attributes.get("name") or "").strip().lower()
        content = meta.attributes.get("content")
        if name.startswith("appstore:") and name not in appstore:
            appstore[name] = (content or "").strip()
    canonical = None
    for link in tree.css("link[rel]"):
        if (link.attributes.get("rel") or "").strip().lower() == "canonical":
            canonical = (link.attributes.get("href") or "").strip() or None
            break
    if canonical is None:
        for meta in tree.css("meta[property]"):
            if (meta.attributes.get("property") or "").strip().lower() == "og:url":
                canonical = (meta.attributes.get("content") or "").strip() or None
                break
    links = tuple(
        (" ".join(anchor.text(deep=True).split()), (anchor.attributes.get("href") or "").strip())
        for anchor in tree.css("a[href]")
    )
    return Page(appstore, canonical, links)
