"""What sellers.json 1.0 defines: field names, seller types, limits, and the issue record."""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

__all__ = [
    "DRAFT_FIELDS",
    "MAX_STRING",
    "SELLER_FIELDS",
    "SELLER_TYPES",
    "TOP_FIELDS",
    "Issue",
    "Part",
    "Path",
    "json_type",
    "pointer",
]

#: Fields of the parent object (sellers.json 1.0 section "Parent object").
TOP_FIELDS: Final = frozenset(
    {"sellers", "identifiers", "contact_email", "contact_address", "version", "ext"}
)
#: Fields of a seller object.
SELLER_FIELDS: Final = frozenset(
    {
        "seller_id",
        "seller_type",
        "is_confidential",
        "is_passthrough",
        "name",
        "domain",
        "comment",
        "ext",
    }
)
SELLER_TYPES: Final = frozenset({"PUBLISHER", "INTERMEDIARY", "BOTH"})

#: Fields of the pre-release draft that files written against it still carry, with the
#: advice for each. The draft described a seller by its "directness" towards the buyer.
DRAFT_FIELDS: Final = {
    "directness": "the pre-release draft's 'directness' (DIRECT, RESELLER, BOTH) became "
    "'seller_type' (PUBLISHER, INTERMEDIARY, BOTH) in sellers.json 1.0",
}

#: Longest string value accepted in a seller or identifier object. Real names and domains
#: are well under 200 characters; anything this long is corrupt data or an attack.
MAX_STRING: Final = 4096

Path = tuple[str | int, ...]
#: Which text an issue points at: the member's value, its key, or the start of the object
#: (for something missing from it).
Part = Literal["value", "key", "object"]


class Issue(NamedTuple):
    """A finding inside a JSON document, located by path rather than by text position."""

    code: str
    message: str
    path: Path
    part: Part = "value"
    hint: str | None = None


def pointer(path: Path) -> str:
    """The RFC 6901 JSON pointer of ``path``: ``("sellers", 5, "name")`` -> ``/sellers/5/name``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def json_type(value: object) -> str:
    """The JSON name of a decoded value's type, with an article: 'a string', 'an array'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
