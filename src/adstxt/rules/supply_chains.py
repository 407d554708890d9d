"""The rules of the supply-chain family (ADS8xx): SupplyChain objects, bid requests, and
the string form of tags and URLs.

Their examples are supply chains, not ads.txt files: each rule's ``filename`` is
:data:`SCHAIN_INPUT`, and its examples are what ``adstxt schain`` is given.
"""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._rule import Rule

__all__ = ["RULES", "SCHAIN_INPUT"]

#: The ``filename`` of rules whose examples are supply chains.
SCHAIN_INPUT = "supply chain"

E, W = Severity.ERROR, Severity.WARNING
_SPEC = "OpenRTB SupplyChain object 1.0"
_STRING_SPEC = "OpenRTB SupplyChain object 1.0, SupplyChain for Non-OpenRTB Requests"


def _chain(*nodes: str, ver: str = '"1.0"', complete: str = "1") -> bytes:
    """A SupplyChain object, one node per line."""
    body = ",\n".join(f"    {node}" for node in nodes)
    inner = f"[\n{body}\n  ]" if nodes else "[]"
    return f'{{\n  "ver": {ver},\n  "complete": {complete},\n  "nodes": {inner}\n}}\n'.encode()


_NODE = '{"asi": "exchange.com", "sid": "1234", "hp": 1}'
_GOOD = _chain(_NODE)
_REQUEST_GOOD = (
    b'{\n  "id": "req-1",\n  "imp": [{"id": "1"}],\n  "site": {"domain": "publisher.com"},\n'
    b'  "source": {"schain": {"ver": "1.0", "complete": 1,\n'
    b'    "nodes": [{"asi": "exchange.com", "sid": "1234", "hp": 1}]}}\n}\n'
)

RULES: list[Rule] = [
    Rule(
        "ADS801",
        "schain-not-json",
        E,
        "The supply chain or bid request is not readable JSON.",
        "A SupplyChain object, and the bid request that carries it, are JSON objects in "
        "UTF-8. Text that does not decode (a cut-off request, a stray quote, bytes in "
        "another encoding) holds no chain that anyone can read, so buyers drop it.",
        _SPEC,
        b'{\n  "ver": "1.0",\n  "complete": 1,\n  "nodes": [\n'
        b'    {"asi": "exchange.com", "sid": "1234", "hp": 1}\n',
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS802",
        "schain-missing-field",
        E,
        "A required field of the SupplyChain or of a node is missing or empty.",
        "The SupplyChain requires 'ver', 'complete' and 'nodes'; every node requires 'asi' "
        "(the ad system's domain) and 'sid' (the seller's account ID in it). A node without "
        "them names no seller, so nothing can be checked against sellers.json or ads.txt.",
        _SPEC,
        _chain('{"asi": "exchange.com", "hp": 1}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS803",
        "schain-wrong-type",
        E,
        "A field has the wrong JSON type, such as a number where a string belongs.",
        "'sid', 'asi', 'rid', 'name', 'domain' and 'ver' are strings; 'complete' and 'hp' "
        "are integers; 'nodes' is an array of objects and 'ext' an object. A seller ID sent "
        "as a number loses leading zeros and fails exact comparison with sellers.json in "
        "strict readers (Prebid's schain module rejected such chains).",
        _SPEC,
        _chain('{"asi": "exchange.com", "sid": 1234, "hp": 1}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS804",
        "schain-unknown-version",
        E,
        "The 'ver' is not \"1.0\", the only version of the SupplyChain object.",
        "The version tells readers which fields and rules apply. Version 1.0 is the only one "
        "published; another value is a mistake or a private variant that readers cannot "
        "interpret.",
        _SPEC,
        _chain(_NODE, ver='"2.0"'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS805",
        "schain-invalid-flag",
        E,
        "'complete' or 'hp' is an integer other than 0 or 1, or in the string form no integer.",
        "'complete' says whether the chain goes back to the inventory's owner (1) or not "
        "(0); 'hp' whether the node is in the payment flow. No other value has a meaning.",
        _SPEC,
        _chain(_NODE, complete="2"),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS806",
        "schain-boolean-flag",
        W,
        "'complete' or 'hp' is written as true or false instead of 1 or 0.",
        "The OpenRTB protobuf types these fields as booleans, so some producers write JSON "
        "booleans. The JSON specification says integers; strict readers reject booleans. "
        "The value is read as 1 or 0 and the chain checked.",
        _SPEC,
        _chain(_NODE, complete="true"),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS807",
        "schain-missing-hp",
        W,
        "A node has no 'hp'.",
        "supplychainobject.md requires 'hp' (and says it should always be 1 in version "
        "1.0); OpenRTB 2.6 lists it without the word 'required'. A missing 'hp' is read as "
        "1, and reported as a warning because strict readers refuse the node.",
        _SPEC,
        _chain('{"asi": "exchange.com", "sid": "1234"}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS808",
        "schain-hp-zero",
        W,
        "A node has 'hp' 0 (not in the payment flow).",
        "In version 1.0 every node pays the one before it, so 'hp' should always be 1; 0 is "
        "reserved for future non-payment nodes. Such a node is skipped by the sellers.json "
        "and ads.txt checks.",
        _SPEC,
        _chain('{"asi": "exchange.com", "sid": "1234", "hp": 0}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS809",
        "schain-asi-not-domain",
        E,
        "A node's 'asi' is not a bare domain under a public suffix.",
        "'asi' is the canonical domain of the ad system, the same name as field 1 of ads.txt "
        "records and the host of its sellers.json: 'exchange.com', never "
        "'https://exchange.com' or a path. Buyers cannot find the sellers.json of anything "
        "else, so the node cannot be verified.",
        _SPEC,
        _chain('{"asi": "https://exchange.com", "sid": "1234", "hp": 1}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS810",
        "schain-node-domain-not-domain",
        W,
        "A node's 'domain' is not a bare domain.",
        "The optional 'domain' names the business domain of the seller, as a bare root "
        "domain like 'publisher.com'. A URL there is a common mistake; it should be left "
        "out when the ad system's sellers.json already gives the seller's domain.",
        _SPEC,
        _chain(
            '{"asi": "exchange.com", "sid": "1234", "hp": 1, '
            '"domain": "https://publisher.com/about"}'
        ),
        _chain('{"asi": "exchange.com", "sid": "1234", "hp": 1, "domain": "publisher.com"}'),
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS811",
        "schain-empty",
        E,
        "The chain has no nodes.",
        "The last node of a chain is the system that sends the bid request, so a chain has "
        "at least one node. An empty chain claims a path and shows none.",
        _SPEC,
        _chain(),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS812",
        "schain-too-long",
        E,
        "The chain has more than 20 nodes.",
        "Each node is a company that bought and resold the impression. Real chains have one "
        "to five nodes; one of more than 20 is broken or built to exhaust readers, and is "
        "refused as a whole (only its first 20 nodes are checked).",
        _STRING_SPEC,
        ("1.0,1!" + "!".join(f"exchange{n}.com,{n},1" for n in range(21)) + "\n").encode(),
        b"1.0,1!exchange0.com,0,1!exchange1.com,1,1\n",
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS813",
        "schain-sid-too-long",
        W,
        "A node's 'sid' is longer than 64 characters.",
        "The spec asks that seller IDs be limited to 64 characters. Longer values are often "
        "a whole URL or a serialized object pasted into the field.",
        _SPEC,
        _chain('{"asi": "exchange.com", "sid": "' + "a1b2c3d4" * 9 + '", "hp": 1}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS814",
        "schain-malformed-string",
        E,
        "The string form has stray separators, too many fields or bad percent-encoding.",
        "The string form is 'ver,complete' then one '!asi,sid,hp,rid,name,domain,ext' per "
        "node. A ',' or '!' inside a value must be written %2C or %21; an unencoded one "
        "shifts every later field, so the chain cannot be read reliably.",
        _STRING_SPEC,
        b"1.0,1!exchange.com,1234,1!!reseller.com,77,1\n",
        b"1.0,1!exchange.com,1234,1!reseller.com,77,1\n",
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS815",
        "schain-legacy-pid",
        W,
        "A node names the seller in 'pid', the field of an early draft, instead of 'sid'.",
        "The 2019 draft of the SupplyChain object called the seller ID 'pid'; the published "
        "spec calls it 'sid'. The value is read as the sid, with this warning.",
        _SPEC,
        _chain('{"asi": "exchange.com", "pid": "1234", "hp": 1}'),
        _GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS816",
        "schain-conflicting-locations",
        W,
        "A bid request carries two different supply chains.",
        "OpenRTB 2.6 puts the chain in source.schain, 2.5 in source.ext.schain and 2.4 in "
        "ext.schain. A request with more than one that differ leaves readers to pick one; "
        "the checker reads source.schain first, as Prebid does.",
        "OpenRTB 2.6 section 3.2.2; OpenRTB SupplyChain object 1.0",
        b'{\n  "id": "req-1",\n  "site": {"domain": "publisher.com"},\n'
        b'  "source": {\n    "schain": {"ver": "1.0", "complete": 1, "nodes": '
        b'[{"asi": "exchange.com", "sid": "1234", "hp": 1}]},\n'
        b'    "ext": {"schain": {"ver": "1.0", "complete": 1, "nodes": '
        b'[{"asi": "exchange.com", "sid": "9999", "hp": 1}]}}\n  }\n}\n',
        _REQUEST_GOOD,
        filename=SCHAIN_INPUT,
    ),
    Rule(
        "ADS817",
        "schain-not-found",
        E,
        "A bid request carries no supply chain.",
        "The chain is looked for in source.schain (OpenRTB 2.6), source.ext.schain (2.5) "
        "and ext.schain (2.4). A request without one cannot be verified; sellers that "
        "resell without a chain break the rules of the SupplyChain object.",
        "OpenRTB 2.6 section 3.2.2; OpenRTB SupplyChain object 1.0",
        b'{\n  "id": "req-1",\n  "imp": [{"id": "1"}],\n  "site": {"domain": "publisher.com"}\n}\n',
        _REQUEST_GOOD,
        filename=SCHAIN_INPUT,
    ),
]
