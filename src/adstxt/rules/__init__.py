"""The rule registry: every diagnostic code, its name, default severity and documentation.

Codes are public API. They are never renumbered or reused; a retired rule keeps its entry.
Each rule carries a failing and a passing example file, which the documentation shows and
the test suite checks (the failing example yields exactly the rule's code, plus any codes in
``also``; the passing example yields nothing at all).

The rules live in one module per family, named by the first digit of the code:

======  ===========================  =================================
Codes   Family                       Module
======  ===========================  =================================
ADS0xx  File and encoding            :mod:`adstxt.rules.file_encoding`
ADS1xx  Line shape                   :mod:`adstxt.rules.line_shape`
ADS2xx  Record fields                :mod:`adstxt.rules.record_fields`
ADS3xx  Variables                    :mod:`adstxt.rules.variables`
ADS4xx  Whole file                   :mod:`adstxt.rules.whole_file`
ADS5xx  Fetching and serving         :mod:`adstxt.rules.fetching`
ADS6xx  sellers.json                 :mod:`adstxt.rules.sellers_json`
ADS7xx  sellers.json cross-checks    :mod:`adstxt.rules.sellers_crosscheck`
ADS8xx  Supply chains (schain)       :mod:`adstxt.rules.supply_chains`
ADS9xx  Suppression comments         :mod:`adstxt.rules.suppression`
======  ===========================  =================================
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

from adstxt import diagnostics
from adstxt.rules import (
    fetching,
    file_encoding,
    line_shape,
    record_fields,
    sellers_crosscheck,
    sellers_json,
    supply_chains,
    suppression,
    variables,
    whole_file,
)
from adstxt.rules._rule import FixKind, Rule
from adstxt.rules.fetching import HTTP_EXCHANGE

__all__ = ["FAMILIES", "HTTP_EXCHANGE", "RULES", "FixKind", "Rule"]

#: The module of each family, by the first digit of its codes.
FAMILIES: Mapping[str, ModuleType] = {
    "0": file_encoding,
    "1": line_shape,
    "2": record_fields,
    "3": variables,
    "4": whole_file,
    "5": fetching,
    "6": sellers_json,
    "7": sellers_crosscheck,
    "8": supply_chains,
    "9": suppression,
}

RULES: Mapping[str, Rule] = {
    rule.code: rule
    for rule in sorted(
        (rule for family in FAMILIES.values() for rule in family.RULES),
        key=lambda rule: rule.code,
    )
}
"""Every rule by code, in code order."""

# Diagnostic.name reads the names from the layer below, which cannot import this one.
diagnostics.RULE_NAMES.update((code, rule.name) for code, rule in RULES.items())
