"""Field-by-field checks of one sellers.json document: the parent object and each seller.

These are the precise checks, run on every part of a small document and on the sellers that
the fast pass (:mod:`adstxt.sellers._bulk`) could not clear. Each returns :class:`Issue`
records located by JSON path; nothing here raises on any decoded JSON value.
"""

from __future__ import annotations

import difflib
import re
from typing import Final

from adstxt.sellers._domain import domain_problem
from adstxt.sellers._schema import (
    DRAFT_FIELDS,
    MAX_STRING,
    SELLER_FIELDS,
    SELLER_TYPES,
    TOP_FIELDS,
    Issue,
    Path,
    json_type,
)

__all__ = ["check_domain", "check_seller", "check_top", "is_confidential", "seller_key"]

_TAG_ID: Final = re.compile(r"[0-9a-fA-F]{16}\Z")
_DUNS: Final = re.compile(r"[0-9]{2}-?[0-9]{3}-?[0-9]{4}\Z")


def _unknown(key: str, known: frozenset[str], path: Path) -> Issue:
    if key in DRAFT_FIELDS:
        return Issue(
            code="ADS620",
            message=f"'{key}' is a field of the pre-release draft",
            path=path,
            part="key",
            hint=DRAFT_FIELDS[key],
        )
    close = difflib.get_close_matches(key.lower(), sorted(known), n=1, cutoff=0.75)
    hint = f"did you mean '{close[0]}'?" if close else "put extensions inside 'ext'"
    shown = key if len(key) <= 60 else key[:60] + "..."
    return Issue(
        code="ADS621",
        message=f"'{shown}' is not a sellers.json 1.0 field",
        path=path,
        part="key",
        hint=hint,
    )


def _long(value: str, path: Path, what: str) -> Issue | None:
    if len(value) > MAX_STRING:
        return Issue(
            code="ADS622",
            message=(
                f"{what} is {len(value):,} characters long; more than "
                f"{MAX_STRING:,} is not a plausible value"
            ),
            path=path,
        )
    return None


def is_confidential(seller: dict[str, object]) -> bool:
    """Whether the seller asks for confidentiality (lenient: a malformed 1 still counts)."""
    flag = seller.get("is_confidential", 0)
    return flag == 1 or flag == "1"


def seller_key(value: object) -> str | None:
    """The string a seller_id is compared as: trimmed text, or a JSON number's text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return None


def check_domain(value: str, path: Path) -> Issue | None:
    """A seller's ``domain`` must be a root domain, not a URL or a host name."""
    problem = domain_problem(value)
    if problem is None:
        return None
    return Issue(
        code=problem.code, message=problem.message, path=path, part="value", hint=problem.hint
    )


def _check_string(seller: dict[str, object], key: str, path: Path, issues: list[Issue]) -> None:
    value = seller.get(key)
    if value is None and key not in seller:
        return
    if not isinstance(value, str):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'{key}' is {json_type(value)}; expected a string",
                path=(*path, key),
            )
        )
        return
    too_long = _long(value, (*path, key), f"'{key}'")
    if too_long:
        issues.append(too_long)


def _check_seller_id(seller: dict[str, object], path: Path, issues: list[Issue]) -> None:
    if "seller_id" not in seller:
        issues.append(
            Issue(code="ADS605", message="the seller has no 'seller_id'", path=path, part="object")
        )
        return
    value = seller["seller_id"]
    where = (*path, "seller_id")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        issues.append(
            Issue(
                code="ADS608",
                message=f"seller_id {value!r} is a number; sellers.json 1.0 makes it a string",
                path=where,
                part="value",
                hint=f'write "{seller_key(value)}"',
            )
        )
    elif not isinstance(value, str):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'seller_id' is {json_type(value)}; expected a string",
                path=where,
            )
        )
    elif not value.strip():
        issues.append(Issue(code="ADS609", message="'seller_id' is empty", path=where))
    elif len(value) > MAX_STRING:
        issues.append(
            Issue(
                code="ADS622",
                message=(
                    f"'seller_id' is {len(value):,} characters long; more "
                    f"than {MAX_STRING:,} is not a plausible value"
                ),
                path=where,
            )
        )
    elif value != value.strip():
        issues.append(
            Issue(
                code="ADS618",
                message=f"seller_id '{value.strip()}' has spaces around it",
                path=where,
                part="value",
                hint=f'write "{value.strip()}"',
            )
        )


def _check_seller_type(seller: dict[str, object], path: Path, issues: list[Issue]) -> None:
    if "seller_type" not in seller:
        hint = DRAFT_FIELDS["directness"] if "directness" in seller else None
        issues.append(
            Issue(
                code="ADS605",
                message="the seller has no 'seller_type'",
                path=path,
                part="object",
                hint=hint,
            )
        )
        return
    value = seller["seller_type"]
    where = (*path, "seller_type")
    if not isinstance(value, str):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'seller_type' is {json_type(value)}; expected a string",
                path=where,
            )
        )
        return
    upper = value.strip().upper()
    if upper in SELLER_TYPES:
        if value != upper:
            issues.append(
                Issue(
                    code="ADS613",
                    message=f"seller_type '{value}' is not written in upper case",
                    path=where,
                    part="value",
                    hint=f'write "{upper}"',
                )
            )
        return
    shown = value if len(value) <= 60 else value[:60] + "..."
    close = difflib.get_close_matches(upper, sorted(SELLER_TYPES), n=1, cutoff=0.6)
    if upper in ("DIRECT", "RESELLER"):
        hint = "that is an ads.txt relationship; " + DRAFT_FIELDS["directness"]
    else:
        hint = f"did you mean '{close[0]}'?" if close else None
    issues.append(
        Issue(
            code="ADS612",
            message=f"seller_type must be PUBLISHER, INTERMEDIARY or BOTH, got '{shown}'",
            path=where,
            part="value",
            hint=hint,
        )
    )


def check_seller(seller: object, index: int) -> list[Issue]:
    """Every problem with the seller object at ``/sellers/<index>``."""
    path: Path = ("sellers", index)
    if not isinstance(seller, dict):
        return [
            Issue(
                code="ADS606",
                message=f"seller {index} is {json_type(seller)}; expected an object",
                path=path,
            )
        ]
    issues: list[Issue] = []
    for key in seller:
        if key not in SELLER_FIELDS:
            issues.append(_unknown(key, SELLER_FIELDS, (*path, key)))
    _check_seller_id(seller, path, issues)
    _check_seller_type(seller, path, issues)
    for flag in ("is_confidential", "is_passthrough"):
        if flag in seller:
            value = seller[flag]
            if type(value) is not int or value not in (0, 1):
                issues.append(
                    Issue(
                        code="ADS614",
                        message=f"'{flag}' must be the number 0 or 1, got {_show(value)}",
                        path=(*path, flag),
                    )
                )
    for key in ("name", "domain", "comment"):
        _check_string(seller, key, path, issues)
    if "ext" in seller and not isinstance(seller["ext"], dict):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'ext' is {json_type(seller['ext'])}; expected an object",
                path=(*path, "ext"),
            )
        )
    confidential = is_confidential(seller)
    name = seller.get("name")
    if not confidential and (name is None or (isinstance(name, str) and not name.strip())):
        issues.append(
            Issue(
                code="ADS610",
                message="the seller is not confidential but has no name",
                path=path if name is None else (*path, "name"),
                part="object" if name is None else "value",
                hint=(
                    "add the legal name of the company paid for this inventory, or set "
                    "is_confidential to 1"
                ),
            )
        )
    domain = seller.get("domain")
    if isinstance(domain, str) and domain.strip() and len(domain) <= MAX_STRING:
        problem = check_domain(domain, (*path, "domain"))
        if problem:
            issues.append(problem)
    elif not confidential and (domain is None or (isinstance(domain, str) and not domain.strip())):
        issues.append(
            Issue(
                code="ADS611",
                message="the seller is not confidential but has no domain",
                path=path if domain is None else (*path, "domain"),
                part="object" if domain is None else "value",
                hint=(
                    "add the root domain of the seller's business (omit it only if the seller has "
                    "no web presence)"
                ),
            )
        )
    return issues


def _show(value: object) -> str:
    if isinstance(value, str):
        return f"the string '{value[:40]}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json_type(value)


def _check_identifiers(value: object, issues: list[Issue]) -> None:
    if not isinstance(value, list):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'identifiers' is {json_type(value)}; expected an array",
                path=("identifiers",),
            )
        )
        return
    for i, item in enumerate(value):
        path: Path = ("identifiers", i)
        if not isinstance(item, dict):
            issues.append(
                Issue(
                    code="ADS606",
                    message=f"identifier {i} is {json_type(item)}; expected an object",
                    path=path,
                )
            )
            continue
        for key in ("name", "value"):
            if key not in item:
                issues.append(
                    Issue(
                        code="ADS605",
                        message=f"the identifier has no '{key}'",
                        path=path,
                        part="object",
                    )
                )
            elif not isinstance(item[key], str):
                issues.append(
                    Issue(
                        code="ADS606",
                        message=(
                            f"the identifier's '{key}' is {json_type(item[key])}; expected a string"
                        ),
                        path=(*path, key),
                    )
                )
            elif len(item[key]) > MAX_STRING:
                issues.append(
                    Issue(
                        code="ADS622",
                        message=f"the identifier's '{key}' is {len(item[key]):,} characters long",
                        path=(*path, key),
                    )
                )
        name, ident = item.get("name"), item.get("value")
        if not (isinstance(name, str) and isinstance(ident, str)) or len(ident) > MAX_STRING:
            continue
        kind = name.strip().upper()
        if kind == "TAG-ID" and not _TAG_ID.match(ident.strip()):
            issues.append(
                Issue(
                    code="ADS619",
                    message=f"TAG-ID '{ident[:40]}' is not 16 hexadecimal digits",
                    path=(*path, "value"),
                )
            )
        elif kind == "DUNS" and not _DUNS.match(ident.strip()):
            issues.append(
                Issue(
                    code="ADS619",
                    message=f"DUNS number '{ident[:40]}' is not 9 digits",
                    path=(*path, "value"),
                )
            )


def check_top(document: dict[str, object]) -> list[Issue]:
    """Every problem with the parent object, except inside the ``sellers`` array."""
    issues: list[Issue] = []
    for key in document:
        if key not in TOP_FIELDS:
            issues.append(_unknown(key, TOP_FIELDS, (key,)))
    if "version" not in document:
        issues.append(
            Issue(
                code="ADS605",
                message="the file has no 'version'",
                path=(),
                part="object",
                hint='add "version": "1.0"',
            )
        )
    elif document["version"] != "1.0" or not isinstance(document["version"], str):
        version = document["version"]
        if isinstance(version, (int, float)) and not isinstance(version, bool) and version == 1:
            hint = 'the version is a string: write "1.0"'
            message = f"version is the number {version!r}; sellers.json 1.0 makes it a string"
        else:
            hint = 'the only version is "1.0"'
            message = f'version must be "1.0", got {_show(version)}'
        issues.append(
            Issue(code="ADS607", message=message, path=("version",), part="value", hint=hint)
        )
    if "sellers" not in document:
        issues.append(
            Issue(code="ADS605", message="the file has no 'sellers' array", path=(), part="object")
        )
    elif not isinstance(document["sellers"], list):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'sellers' is {json_type(document['sellers'])}; expected an array",
                path=("sellers",),
            )
        )
    elif not document["sellers"]:
        issues.append(
            Issue(code="ADS623", message="the 'sellers' array is empty", path=("sellers",))
        )
    if "identifiers" in document:
        _check_identifiers(document["identifiers"], issues)
    for key in ("contact_email", "contact_address"):
        if key in document and not isinstance(document[key], str):
            issues.append(
                Issue(
                    code="ADS606",
                    message=f"'{key}' is {json_type(document[key])}; expected a string",
                    path=(key,),
                )
            )
    if "ext" in document and not isinstance(document["ext"], dict):
        issues.append(
            Issue(
                code="ADS606",
                message=f"'ext' is {json_type(document['ext'])}; expected an object",
                path=("ext",),
            )
        )
    return issues
