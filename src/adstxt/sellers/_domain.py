"""The syntax of a seller's ``domain``: a root domain such as ``example.com``, never a URL.

The same rules run two ways: :func:`domain_problem` for one value, and
:func:`bad_domains` for a whole column at once, with searches that run at C speed over the
joined values and point at the few values to test one by one. Public-suffix lookups are
deliberately left out: at a few microseconds per distinct domain they would cost more than
decoding a multi-million-seller file. A ``www.`` prefix, the usual way a host name ends up
where the root domain belongs, is recognised without them.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from itertools import compress, count
from typing import Final, NamedTuple

__all__ = ["DomainProblem", "bad_domains", "domain_problem"]

_ALLOWED: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"
_DELETE_HOST: Final = str.maketrans("", "", _ALLOWED)
#: Letters, digits and hyphens but 'w' and 'W', as bytes to delete from a joined column.
_LDH_BUT_W: Final = _ALLOWED.replace(".", "").replace("w", "").replace("W", "").encode("ascii")
#: Dots and newlines to '.', every other byte to 'a': the shape of a joined column's labels.
_SHAPE: Final = bytes(0x2E if byte in b".\n" else 0x61 for byte in range(256))
_LABEL: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_LABEL_TEXT: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: The longest domain name.
_LONGEST: Final = 253
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
        return DomainProblem(
            code="ADS616",
            message=f"'{shown}' is a URL; expected a root domain such as 'example.com'",
            hint=hint if _is_host(host) else None,
        )
    if "@" in value:
        return DomainProblem(code="ADS616", message=f"'{shown}' is an e-mail address, not a domain")
    bad = value.translate(_DELETE_HOST)
    if bad:
        what = "a space" if bad[0].isspace() else f"'{bad[0]}'"
        return DomainProblem(
            code="ADS616", message=f"'{shown}' is not a domain name: it contains {what}"
        )
    if "." not in value:
        return DomainProblem(
            code="ADS616", message=f"'{shown}' is not a domain name: it has no dot"
        )
    if len(value) > _LONGEST:
        return DomainProblem(
            code="ADS616", message=(f"'{shown}' is longer than the 253 characters of a domain name")
        )
    if not all(_LABEL.match(label) for label in value.split(".")):
        return DomainProblem(
            code="ADS616",
            message=(
                f"'{shown}' is not a domain name: a label is empty, "
                "too long, or starts or ends with '-'"
            ),
        )
    if value.startswith(("www.", "WWW.")):
        return DomainProblem(
            code="ADS617",
            message=f"'{shown}' is a host name, not the business's root domain",
            hint=f"did you mean '{value[4:].lower()}'?",
        )
    return None


def _is_host(text: str) -> bool:
    return "." in text and len(text) <= _LONGEST and all(_LABEL.match(p) for p in text.split("."))


def _literal(needle: bytes) -> re.Pattern[bytes]:
    """A search for ``needle``: the regular-expression engine finds short literals in
    these texts about twice as fast as ``bytes.find``."""
    return re.compile(re.escape(needle))


_DOUBLE_DOT: Final = _literal(b"..")
_EMPTY_LINE: Final = _literal(b"\n\n")
_THREE_DOTS: Final = _literal(b"...")
_LONG_LABEL: Final = b"a" * 64
_HOSTS: Final = ((_literal(b"ww"), _literal(b"\nwww.")), (_literal(b"WW"), _literal(b"\nWWW.")))
_HYPHENS: Final = tuple(_literal(needle) for needle in (b"-.", b".-", b"\n-", b"-\n"))


def _spans(text: bytes, needle: re.Pattern[bytes]) -> Iterator[int]:
    """The first and last offset of every occurrence of ``needle``, overlapping ones included."""
    found = needle.search(text)
    while found is not None:
        at = found.start()
        yield at
        yield found.end() - 1
        found = needle.search(text, at + 1)


def _lines(text: bytes, offsets: Iterable[int]) -> set[int]:
    """The values (lines of ``text``) that hold these offsets, counting newlines once."""
    found: set[int] = set()
    line = done = 0
    for offset in sorted(offsets):
        line += text.count(b"\n", done, offset)
        done = offset
        found.add(line)
    return found


def _suspicious(raw: bytes, count: int) -> tuple[set[int], set[int]] | None:
    """The values of ``raw`` (``count`` ASCII values, one a line) that may break a rule, and
    those that may be too long; None if a value holds a newline.

    Each rule is a search over the whole text, or over a translation of it; only the values
    at the places a search finds are suspicious. Every value that :func:`domain_problem`
    objects to is in the first set or is a value of the second that is too long.
    """
    end = len(raw)  # an offset past the end belongs to the last value, even an empty one
    # Letters, digits and hyphens gone, but w's, a value leaves its dots and w's: anything
    # else is foreign, and a value that starts with "www." still starts with it.
    rest = raw.translate(None, _LDH_BUT_W)
    if rest.count(b"\n") != count - 1:
        return None
    offsets: list[int] = []
    for char in set(rest.translate(None, b".\nwW")):
        offsets.extend(_spans(raw, _literal(bytes((char,)))))
    hosts = [0] if rest.startswith((b"www.", b"WWW.")) else []
    for pair, prefix in _HOSTS:
        if pair.search(rest):
            hosts.extend(_spans(rest, prefix))
    found = _lines(rest, hosts)
    # A value without a dot is an empty line of `dots`. One with 3 or more may be too long:
    # with fewer, the label test below keeps it within 3 * 63 + 2 characters.
    dots = rest.translate(None, b"wW")
    dotless = list(_spans(dots, _EMPTY_LINE))
    if not dots or dots[0] == 10:
        dotless.append(0)
    if dots[-1:] == b"\n":
        dotless.append(len(dots))
    found.update(_lines(dots, dotless))
    # With letters, digits and hyphens as 'a' and the separators as dots, an empty label
    # shows as two dots in a row and a label over 63 characters as 64 a's.
    shape = raw.translate(_SHAPE)
    offsets.extend(_spans(shape, _DOUBLE_DOT))
    at = shape.find(_LONG_LABEL)
    while at != -1:
        offsets.append(at)
        at = shape.find(_LONG_LABEL, at + len(_LONG_LABEL))
    if shape[:1] == b"." or shape[-1:] == b".":
        offsets.extend((0, end))
    if b"-" in raw:
        for needle in _HYPHENS:
            offsets.extend(_spans(raw, needle))
        if raw[:1] == b"-" or raw[-1:] == b"-":
            offsets.extend((0, end))
    found.update(_lines(raw, offsets))
    return found, _lines(dots, _spans(dots, _THREE_DOTS))


def bad_domains(values: list[str], joined: str | None = None) -> list[int]:
    """Positions of the values that :func:`domain_problem` objects to.

    ``joined`` is ``"\\n".join(values)`` when the caller has it. The rules run as searches
    over that text (:func:`_suspicious`), so a few bad values among many cost a few
    :func:`domain_problem` calls, not a test of every value.
    """
    if not values:
        return []
    if joined is None:
        joined = "\n".join(values)
    sets = _suspicious(joined.encode("ascii"), len(values)) if joined.isascii() else None
    if sets is not None:
        found, lengthy = sets
        found.update(i for i in lengthy if len(values[i]) > _LONGEST)
        suspicious: Iterable[int] = sorted(found)
    else:  # a value with a newline or a non-ASCII character: value by value
        suspicious = compress(count(), map(operator.not_, map(_PLAIN.match, values)))
    return [i for i in suspicious if domain_problem(values[i])]
