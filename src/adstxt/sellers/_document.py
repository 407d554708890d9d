"""Loading a whole sellers.json document: decode, parse, validate and index by seller_id.

The document is decoded once by :mod:`json`; the sellers array then goes through the fast
column checks, the precise checks for the few sellers those flag, and one dictionary from
seller_id to the seller's position. That dictionary is the only structure kept beside the
decoded document.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from adstxt import _decode
from adstxt._sniff import sniff
from adstxt.diagnostics import Diagnostic, Severity
from adstxt.rules import RULES
from adstxt.sellers._bulk import Pass, suspects
from adstxt.sellers._fields import check_seller, check_top, is_confidential, seller_key
from adstxt.sellers._locate import diagnostics_at
from adstxt.sellers._schema import Issue, json_type, pointer

__all__ = ["Seller", "SellersResult", "parse"]


@attrs.frozen
class Seller:
    """One entry of a sellers.json ``sellers`` array, as the cross-checks read it.

    ``seller_id`` is the trimmed ID (a JSON number as its text); ``seller_type`` is upper
    case when it is one of the three valid values and as written otherwise; ``index`` is the
    position in the array, so ``/sellers/<index>`` points at the entry.
    """

    seller_id: str
    seller_type: str | None
    name: str | None
    domain: str | None
    is_confidential: bool
    is_passthrough: bool
    comment: str | None
    index: int

    @property
    def pointer(self) -> str:
        """The JSON pointer of this entry."""
        return f"/sellers/{self.index}"


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


@attrs.frozen
class SellersResult:
    """Everything :func:`parse` learned about one sellers.json file.

    ``document`` is the decoded JSON (None when the file is not JSON at all). Look sellers up
    with :meth:`get`; the lookup compares trimmed seller IDs exactly, as buyers do.
    """

    document: Any
    diagnostics: tuple[Diagnostic, ...]
    encoding: str
    filename: str | None = None
    _index: dict[str, int] = attrs.field(factory=dict, repr=False, alias="index")
    _duplicated: frozenset[str] = attrs.field(default=frozenset(), repr=False, alias="duplicated")

    @property
    def ok(self) -> bool:
        """True when no diagnostic has error severity."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def usable(self) -> bool:
        """True when the file is a JSON object with a ``sellers`` array to look sellers up in."""
        return isinstance(self.document, dict) and isinstance(self.document.get("sellers"), list)

    @property
    def problem(self) -> str | None:
        """Why the file is not usable, or None when it is."""
        if self.usable:
            return None
        first = next((d for d in self.diagnostics if d.severity is Severity.ERROR), None)
        return first.message if first else "the file has no 'sellers' array"

    @property
    def sellers(self) -> list[Any]:
        """The raw ``sellers`` array (empty when the file is not usable)."""
        return self.document["sellers"] if self.usable else []

    def __len__(self) -> int:
        return len(self.sellers)

    def __bool__(self) -> bool:
        """Always true, even for an empty sellers array (test :attr:`usable` instead)."""
        return True

    @property
    def tag_ids(self) -> frozenset[str]:
        """The file's TAG-ID identifier values, lower case."""
        identifiers = self.document.get("identifiers") if isinstance(self.document, dict) else None
        if not isinstance(identifiers, list):
            return frozenset()
        return frozenset(
            item["value"].strip().lower()
            for item in identifiers
            if isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and item["name"].strip().upper() == "TAG-ID"
            and isinstance(item.get("value"), str)
            and item["value"].strip()
        )

    def _view(self, index: int) -> Seller | None:
        entry = self.sellers[index]
        if not isinstance(entry, dict):
            return None
        key = seller_key(entry.get("seller_id"))
        if key is None:
            return None
        kind = entry.get("seller_type")
        if isinstance(kind, str) and kind.strip().upper() in ("PUBLISHER", "INTERMEDIARY", "BOTH"):
            kind = kind.strip().upper()
        return Seller(
            seller_id=key,
            seller_type=_text_or_none(kind),
            name=_text_or_none(entry.get("name")),
            domain=_text_or_none(entry.get("domain")),
            is_confidential=is_confidential(entry),
            is_passthrough=entry.get("is_passthrough") == 1,
            comment=_text_or_none(entry.get("comment")),
            index=index,
        )

    def get(self, seller_id: str) -> Seller | None:
        """The first seller whose trimmed ``seller_id`` equals ``seller_id.strip()``."""
        index = self._index.get(seller_id.strip())
        return None if index is None else self._view(index)

    def is_duplicated(self, seller_id: str) -> bool:
        """True when more than one entry has this seller_id."""
        return seller_id.strip() in self._duplicated

    def case_variants(self, seller_ids: Iterable[str]) -> dict[str, list[Seller]]:
        """For each ID, the sellers whose ID equals it ignoring case; one pass over the index."""
        wanted: dict[str, list[str]] = {}
        for seller_id in seller_ids:
            wanted.setdefault(seller_id.strip().lower(), []).append(seller_id)
        found: dict[str, list[Seller]] = {}
        if not wanted:
            return found
        for key, index in self._index.items():
            asked = wanted.get(key.lower())
            if asked is not None:
                view = self._view(index)
                if view is not None:
                    for seller_id in asked:
                        found.setdefault(seller_id, []).append(view)
        return found

    def __iter__(self) -> Iterator[Seller]:
        """Every seller entry that has a usable seller_id, in file order."""
        for index in range(len(self.sellers)):
            view = self._view(index)
            if view is not None:
                yield view


def _diagnostic(
    code: str,
    message: str,
    line: int = 1,
    column: int = 1,
    width: int = 0,
    hint: str | None = None,
    where: str | None = None,
) -> Diagnostic:
    return Diagnostic(
        code=code,
        severity=RULES[code].severity,
        line=line,
        column=column,
        end_column=column + width,
        message=message,
        hint=hint,
        pointer=where,
    )


def decode(data: bytes | str) -> tuple[str, str, list[Diagnostic]]:
    """The text of a sellers.json file, its encoding, and diagnostics about the encoding."""
    found: list[Diagnostic] = []
    if isinstance(data, str):
        if data.startswith("\ufeff"):
            found.append(_diagnostic("ADS603", "the file starts with a byte-order mark"))
            data = data[1:]
        return data, "utf-8", found
    encoding, skip = _decode.sniff_encoding(data[: _decode.SNIFF_BYTES])
    if encoding == "utf-8" and not skip:
        encoding = json.detect_encoding(data[:4])
    if encoding != "utf-8":
        found.append(
            _diagnostic(
                "ADS602",
                f"the file is encoded as {encoding.upper()}; sellers.json is UTF-8",
                hint="save the file as UTF-8",
            )
        )
        return data[skip:].decode(encoding, "replace"), encoding, found
    if skip:
        found.append(
            _diagnostic(
                "ADS603",
                "the file starts with a UTF-8 byte-order mark, which JSON forbids",
                hint="remove the first three bytes",
            )
        )
    body = data[skip:]
    try:
        return body.decode("utf-8"), "utf-8", found
    except UnicodeDecodeError as error:
        head = body[: error.start]
        line_start = head.rfind(b"\n") + 1
        column = len(head[line_start:].decode("utf-8", "replace")) + 1
        found.append(
            _diagnostic(
                "ADS602",
                f"invalid UTF-8 byte 0x{body[error.start]:02X} at offset {error.start + skip}",
                head.count(b"\n") + 1,
                column,
                1,
                "save the file as UTF-8",
            )
        )
        return body.decode("utf-8", "replace"), "utf-8", found


def not_json(text: str, error: json.JSONDecodeError | None) -> Diagnostic:
    """ADS601 for text that does not decode as JSON."""
    stripped = text.strip()
    try:
        looks = sniff(text[:4096]) if stripped else None
    except RecursionError:  # the sniffer decodes JSON, which deep nesting defeats
        looks = None
    if not stripped:
        return _diagnostic("ADS601", "the file is empty; expected a JSON object")
    if error is None:
        return _diagnostic("ADS601", "the JSON is nested too deeply to read")
    if looks and looks != "a JSON document":
        message = f"the file is {looks}, not JSON"
    elif error.pos >= len(text.rstrip()):
        message = f"the JSON ends early ({error.msg.lower()}): the file looks truncated"
    else:
        message = f"not valid JSON: {error.msg.lower()}"
    return _diagnostic("ADS601", message, error.lineno, error.colno, 1)


def _index(fast: Pass) -> tuple[dict[str, int], list[Issue]]:
    """seller_id -> first position, and an issue for every repeated seller_id."""
    if len(fast.by_id) == fast.keyed:
        return fast.by_id, []
    # Repeated IDs: the first occurrence wins, so the reversed pairs overwrite later
    # positions with earlier ones.
    keys = list(fast.ids)
    for position in fast.irregular:
        keys[position] = seller_key(keys[position]) or None
    index = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    index.pop(None, None)
    issues: list[Issue] = []
    for position, key in enumerate(keys):
        if key is None:
            continue
        first = index[key]
        if first != position:
            issues.append(
                Issue(
                    code="ADS615",
                    message=(
                        f"seller_id '{str(key)[:60]}' is listed again; the first entry is "
                        f"{pointer(('sellers', first))}"
                    ),
                    path=("sellers", position, "seller_id"),
                )
            )
    return index, issues  # type: ignore[return-value]


def parse(data: bytes | str, *, filename: str | os.PathLike[str] | None = None) -> SellersResult:
    """Parse and validate a sellers.json file. Never raises on bad content."""
    name = os.fspath(filename) if filename is not None else None
    text, encoding, found = decode(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return SellersResult(None, (*found, not_json(text, error)), encoding, name)
    except RecursionError:
        return SellersResult(None, (*found, not_json(text, None)), encoding, name)
    root = len(text) - len(text.lstrip(" \t\r\n"))
    if not isinstance(document, dict):
        found.extend(
            diagnostics_at(
                text,
                [
                    Issue(
                        code="ADS604",
                        message=(
                            f"the file holds {json_type(document)}; sellers.json is a JSON object"
                        ),
                        path=(),
                        part="object",
                    )
                ],
                root=root,
            )
        )
        return SellersResult(document, tuple(found), encoding, name)
    issues = check_top(document)
    sellers = document.get("sellers")
    index: dict[str, int] = {}
    duplicated: frozenset[str] = frozenset()
    if isinstance(sellers, list):
        fast = suspects(sellers, index=True)
        for position in fast.suspects:
            issues.extend(check_seller(sellers[position], position))
        index, repeated = _index(fast)
        issues.extend(repeated)
        duplicated = frozenset(_repeated_key(sellers, issue) for issue in repeated)
    if isinstance(sellers, list):

        def unique(position: int) -> bool:
            entry = sellers[position]
            key = seller_key(entry.get("seller_id")) if isinstance(entry, dict) else None
            if not key:
                return False
            return index.get(key) == position and key not in duplicated

        found.extend(diagnostics_at(text, issues, root=root, sellers=(sellers, unique)))
    else:
        found.extend(diagnostics_at(text, issues, root=root))
    found.sort(key=Diagnostic.sort_key)
    return SellersResult(document, tuple(found), encoding, name, index=index, duplicated=duplicated)


def _repeated_key(sellers: list[Any], issue: Issue) -> str:
    return seller_key(sellers[issue.path[1]]["seller_id"]) or ""  # type: ignore[index]
