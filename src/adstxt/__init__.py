"""Parse and validate ads.txt and app-ads.txt files (IAB Tech Lab Authorized Digital Sellers).

>>> import adstxt
>>> result = adstxt.parse(b"mgid.com, 749656, DIRECT, d4c29acad76ce94f\\n")
>>> result.ok
True
>>> [d.code for d in adstxt.parse("mgid.com, 749656, DIRCT").diagnostics]
['ADS210']
"""

from adstxt._api import check, dumps, iter_parse, kind_for, load, loads, parse
from adstxt._fixer import FixResult, apply_fixes
from adstxt._lint import lint
from adstxt._settings import Settings
from adstxt._version import __version__
from adstxt.diagnostics import Diagnostic, Fix, Severity
from adstxt.errors import AdsTxtError
from adstxt.model import AdsTxt, Comment, FileKind, ParseResult, Record, Relationship, Variable
from adstxt.rules import RULES, Rule

__all__ = [
    "RULES",
    "AdsTxt",
    "AdsTxtError",
    "Comment",
    "Diagnostic",
    "FileKind",
    "Fix",
    "FixResult",
    "ParseResult",
    "Record",
    "Relationship",
    "Rule",
    "Settings",
    "Severity",
    "Variable",
    "__version__",
    "apply_fixes",
    "check",
    "dumps",
    "iter_parse",
    "kind_for",
    "lint",
    "load",
    "loads",
    "parse",
]
