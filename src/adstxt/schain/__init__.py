"""Supply chains: parse, validate and verify OpenRTB SupplyChain (schain) objects.

A chain comes as the JSON object, inside an OpenRTB bid request (2.6 ``source.schain``,
2.5 ``source.ext.schain``, 2.4 ``ext.schain``) or in the string form of tags and URLs
(``1.0,1!exchange.com,1234,1``). :func:`check` reads any of them and reports what is wrong
with located diagnostics (codes ADS8xx); :class:`Verifier` checks each node against the
sellers.json of its ad system and the first against the publisher's ads.txt.

>>> from adstxt import schain
>>> result = schain.check("1.0,1!exchange.com,1234%21abcd,1,,publisher%2c%20Inc.")
>>> result.chain.nodes[0].sid, result.chain.nodes[0].name
('1234!abcd', 'publisher, Inc.')
>>> [(d.code, d.pointer) for d in schain.check('{"ver":"1.0","complete":1,'
...     '"nodes":[{"asi":"https://exchange.com","sid":"1","hp":1}]}').diagnostics]
[('ADS809', '/nodes/0/asi')]

This package is imported by the rule registry for its rules only: everything else loads on
first use, so ``import adstxt`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adstxt.schain._model import Node, SupplyChain
    from adstxt.schain._parse import CheckResult, check, parse_string, serialize
    from adstxt.schain._text import render_text
    from adstxt.schain._verify import ChainResult, NodeResult, Publisher, Verifier

__all__ = [
    "ChainResult",
    "CheckResult",
    "Node",
    "NodeResult",
    "Publisher",
    "SupplyChain",
    "Verifier",
    "check",
    "parse_string",
    "render_text",
    "serialize",
]

_WHERE = {
    "Node": "_model",
    "SupplyChain": "_model",
    "CheckResult": "_parse",
    "check": "_parse",
    "parse_string": "_parse",
    "serialize": "_parse",
    "ChainResult": "_verify",
    "NodeResult": "_verify",
    "Publisher": "_verify",
    "Verifier": "_verify",
    "render_text": "_text",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
