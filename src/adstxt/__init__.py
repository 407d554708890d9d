"""Parse and validate ads.txt and app-ads.txt files (IAB Tech Lab Authorized Digital Sellers).

>>> import adstxt
>>> result = adstxt.parse(b"mgid.com, 749656, DIRECT, d4c29acad76ce94f\\n")
>>> result.ok
True
>>> [d.code for d in adstxt.parse("mgid.com, 749656, DIRCT").diagnostics]
['ADS210']
"""

import importlib as _importlib
import typing as _typing

from adstxt import model as _model
from adstxt._settings import Settings
from adstxt._version import __version__
from adstxt.diagnostics import Diagnostic, Fix, Severity
from adstxt.errors import AdsTxtError
from adstxt.model import AdsTxt, Comment, FileKind, ParseResult, Record, Relationship, Variable
from adstxt.rules import RULES, Rule

if _typing.TYPE_CHECKING:
    from adstxt._api import check, dumps, iter_parse, kind_for, load, loads, parse
    from adstxt._fixer import FixResult, apply_fixes
    from adstxt._lint import lint

#: The checker's functions, imported at their first use: importing them chooses and loads
#: the checker (the compiled one when it is current), which a program that imports a part
#: of the package that never checks a file does not need. A re-crawl whose files are all
#: unchanged is one: it reports what the store counted of each copy.
_CHECKER = {
    "check": "adstxt._api",
    "dumps": "adstxt._api",
    "iter_parse": "adstxt._api",
    "kind_for": "adstxt._api",
    "load": "adstxt._api",
    "loads": "adstxt._api",
    "parse": "adstxt._api",
    "FixResult": "adstxt._fixer",
    "apply_fixes": "adstxt._fixer",
    "lint": "adstxt._lint",
}


def _record_from_line(text: str) -> Record:
    """What :meth:`Record.from_line` calls until the checker is imported: importing it
    installs the checker's own parser in its place (see :data:`model.parse_record_line`)."""
    from adstxt._api import record_from_line

    return record_from_line(text)


_model.parse_record_line = _record_from_line


# Hidden from type checkers, which take a module __getattr__ as the answer to every name:
# they know the checker's names from the imports above, and still refuse a misspelt one.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        module = _CHECKER.get(name)
        if module is None:
            raise AttributeError(f"module 'adstxt' has no attribute {name!r}")
        value = getattr(_importlib.import_module(module), name)
        globals()[name] = value  # asked once
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_CHECKER})


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
