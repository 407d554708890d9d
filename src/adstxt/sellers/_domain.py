"""The syntax of a seller's ``domain``: a root domain such as ``example.com``, never a URL.

The same rules run two ways: :func:`domain_problem` for one value, and
:func:`bad_domains` for a whole column at once, with string operations that run at C speed
over the joined values. Public-suffix lookups are deliberately left out: at a few
microseconds per distinct domain they would cost more than decoding a multi-million-seller
file. A ``www.`` prefix, the usual way a host name ends up where the root domain belongs,
is recognised without them.
"""

from __future__ import annotations

import operator
import re
from itertools import compress, count, repeat
from typing import Final, NamedTuple

__all__ = ["DomainProblem", "bad_domains", "domain_problem"]

_ALLOWED: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"
_DELETE_ALLOWED: Final = str.maketrans("", "", _ALLOWED + "\n")
_DELETE_HOST: Final = str.maketrans("", "", _ALLOWED)
_LABEL: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
#: Sequences that cannot occur in a host name, in values joined by newlines.
_BLOCK: Final = 512
_LABEL_TEXT: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: A value :func:`domain_problem` accepts for sure (short enough, no www., plain labels).
_PLAIN: Final = re.compile(rf"(?!www\.|WWW\.)(?=.{{3,63}}\Z)(?:{_LABEL_TEXT}\.)+{_LABEL_TEXT}\Z")


class DomainProblem(NamedTuple):
    """Why a seller's domain is not a root domain: an error (ADS616) or a host (ADS617)."""

    code: str
    message: str
    hint: str | None = None


def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:80] + "..."


def domain_problem(value: str) -> DomainProblem | None:
    """What is wrong with one ``domain`` value, or None when it is a plain root domain."""
    shown = _shown(value)
    if "://" in value or "/" in value:
        host = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", value).split("/", 1)[0]
        host = host.split(":", 1)[0].split("@")[-1]
        hint = f"did you mean '{host[4:] if host.lower().startswith('www.') else host}'?"
        return DomainProblem("ADS616", f"'{shown}' is a URL; expected a root domain such as "
                             "'example.com'", hint if _is_host(host) else None)
    if "@" in value:
        return DomainProblem("ADS616", f"'{shown}' is an e-mail address, not a domain")
    bad = value.translate(_DELETE_HOST)
    if bad:
        what = "a space" if bad[0].isspace() else f"'{bad[0]}'"
        return DomainProblem("ADS616", f"'{shown}' is not a domain name: it contains {what}")
    if "." not in value:
        return DomainProblem("ADS616", f"'{shown}' is not a domain name: it has no dot")
    if len(value) > 253:
        return DomainProblem("ADS616", f"'{shown}' is longer than the 253 characters of a "
                             "domain name")
    if not all(_LABEL.match(label) for label in value.split(".")):
        return DomainProblem("ADS616", f"'{shown}' is not a domain name: a label is empty, "
                             "too long, or starts or ends with '-'")
    if value.startswith(("www.", "WWW.")):
        return DomainProblem("ADS617", f"'{shown}' is a host name, not the business's root "
                             "domain", f"did you mean '{value[4:].lower()}'?")
    return None


def _is_host(text: str) -> bool:
    return "." in text and len(text) <= 253 and all(_LABEL.match(p) for p in text.split("."))


def _clean(values: list[str]) -> bool:
    """Whether every value is a plain root domain, tested on the joined values at once."""
    joined = "\n" + "\n".join(values) + "\n"
    if joined.translate(_DELETE_ALLOWED) or joined.count("\n") != len(values) + 1:
        return False
    if "\nwww." in joined or "\nWWW." in joined:
        return False
    # With the separators as dots, every empty label or edge hyphen shows as one of these.
    dotted = joined.replace("\n", ".")
    return (
        ".." not in dotted and "-." not in dotted and ".-" not in dotted
        and all(map(operator.contains, values, repeat(".")))
        and max(map(len, values)) <= 63
    )


def bad_domains(values: list[str]) -> list[int]:
    """Positions of the values that :func:`domain_problem` objects to.

    The joined test runs on blocks of :data:`_BLOCK` values; only the values of a failing
    block are matched one by one, so a few bad domains do not slow the whole column down.
    """
    bad: list[int] = []
    if not values or _clean(values):
        return bad
    for first in range(0, len(values), _BLOCK):
        block = values[first : first + _BLOCK]
        if not _clean(block):
            suspicious = compress(count(first), map(operator.not_, map(_PLAIN.match, block)))
            bad.extend(i for i in suspicious if domain_problem(values[i]))
    return bad
