"""Who is authorized: seller-authorization lookups against ads.txt and app-ads.txt files.

Build an :class:`AuthorizationIndex` over a :class:`Source` (a mirror directory, files in
memory, or the live sites) and ask it ``(publisher, ad system, seller ID[, relationship])``:

>>> from adstxt.authorization import AuthorizationIndex, MemorySource
>>> index = AuthorizationIndex(MemorySource({
...     ("example.com", "ads.txt"): "exchange.com, 1234, DIRECT\\nreseller.com, 9, RESELLER\\n",
... }))
>>> answer = index.lookup("www.example.com", "exchange.com", "1234")
>>> answer.verdict.value, answer.evidence.lines
('authorized-direct', (1,))
>>> index.lookup("example.com", "exchange.com", "999").verdict.value
'unauthorized'
>>> index.lookup("example.org", "exchange.com", "1234").verdict.value
'no-file'
"""

from adstxt.authorization._index import AuthorizationIndex, Question, SellerFacts
from adstxt.authorization._sources import (
    AdsFile,
    FileState,
    MemorySource,
    MirrorSource,
    SellersFile,
    Source,
    classify,
)
from adstxt.authorization._verdicts import AUTHORIZED, Answer, Evidence, Verdict

__all__ = [
    "AUTHORIZED",
    "AdsFile",
    "Answer",
    "AuthorizationIndex",
    "Evidence",
    "FetchSource",
    "FileState",
    "MemorySource",
    "MirrorSource",
    "Question",
    "SellerFacts",
    "SellersFile",
    "Source",
    "Verdict",
    "classify",
]


def __getattr__(name: str) -> object:
    # The fetching source needs the HTTP client: imported only when asked for.
    if name == "FetchSource":
        from adstxt.authorization._fetching import FetchSource

        return FetchSource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
