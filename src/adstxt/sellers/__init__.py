"""sellers.json: validation of the file itself, and cross-checks of ads.txt records against it.

>>> import adstxt.sellers
>>> result = adstxt.sellers.parse(b'{"version": "1.0", "sellers": [{"seller_id": "7", '
...     b'"seller_type": "Publisher", "name": "Example", "domain": "example.com"}]}')
>>> [(d.code, d.pointer) for d in result.diagnostics]
[('ADS613', '/sellers/0/seller_type')]
>>> result.get("7").seller_type
'PUBLISHER'
>>> ads = adstxt.parse("examplessp.com, 7, RESELLER\\n")
>>> [d.code for d in adstxt.sellers.cross_check(ads, {"examplessp.com": result})]
['ADS705']
"""

from adstxt.sellers._crosscheck import cross_check
from adstxt.sellers._document import Seller, SellersResult, parse
from adstxt.sellers._locations import SellersLocation, known_locations, sellers_json_location
from adstxt.sellers._online import OnlineSource, Retrieval, default_cache_dir, online_source
from adstxt.sellers._sniff import is_sellers_json
from adstxt.sellers._source import (
    CallableSource,
    DirectorySource,
    Document,
    MappingSource,
    SellersSource,
    as_source,
    open_source,
)
from adstxt.sellers._stream import iter_check

__all__ = [
    "CallableSource",
    "DirectorySource",
    "Document",
    "MappingSource",
    "OnlineSource",
    "Retrieval",
    "Seller",
    "SellersLocation",
    "SellersResult",
    "SellersSource",
    "as_source",
    "cross_check",
    "default_cache_dir",
    "is_sellers_json",
    "iter_check",
    "known_locations",
    "online_source",
    "open_source",
    "parse",
    "sellers_json_location",
]
