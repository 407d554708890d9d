"""The record model: immutable attrs classes for what an ads.txt file declares."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import Final, Literal

import attrs

from adstxt.diagnostics import Diagnostic, Severity

__all__ = [
    "AdsTxt",
    "Comment",
    "FileKind",
    "ParseResult",
    "Record",
    "Relationship",
    "Variable",
]

FileKind = Literal["ads.txt", "app-ads.txt"]


class Relationship(str, enum.Enum):
    """Field 3 of a record: who controls the seller account."""

    DIRECT = "DIRECT"
    RESELLER = "RESELLER"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Record:
    """One data record: ``<domain>, <account_id>, <relationship>[, <cert id>][;<extension>]``.

    ``domain`` is normalized (lower case, no trailing dot) because the spec compares it
    case-insensitively; ``account_id`` is kept exactly as written because it must match the
    value used in bid requests. ``line`` records where the record came from and takes no
    part in equality, so the same record on two lines compares equal.
    """

    domain: str
    account_id: str
    relationship: Relationship
    certification_authority_id: str | None = None
    extension: str | None = None
    line: int = attrs.field(default=0, eq=False, order=False, repr=False)

    @classmethod
    def from_line(cls, text: str) -> Record:
        """Parse one record line, raising :class:`~adstxt.AdsTxtError` if it is not one.

        >>> Record.from_line("mgid.com, 749656, DIRECT, d4c29acad76ce94f")
        Record(domain='mgid.com', account_id='749656', relationship=<Relationship.DIRECT: \
'DIRECT'>, certification_authority_id='d4c29acad76ce94f', extension=None)
        """
        from adstxt._api import record_from_line

        return record_from_line(text)

    def to_line(self) -> str:
        """The canonical text of this record, as :func:`adstxt.dumps` writes it."""
        from adstxt._serialize import record_line

        return record_line(self)


def _record_maker() -> Callable[[str, str, Relationship, str | None, str | None, int], Record]:
    """A function that builds exactly what ``Record(...)`` builds, for the parser's hot loop.

    Record has no validators, converters or post-init hook, so its attrs ``__init__`` only
    sets the six slots, one frozen-safe ``object.__setattr__`` at a time; setting the slots
    through their descriptors does the same at a fraction of the cost.
    """
    new = object.__new__
    slots = Record.__dict__
    set_domain = slots["domain"].__set__
    set_account = slots["account_id"].__set__
    set_relationship = slots["relationship"].__set__
    set_cert = slots["certification_authority_id"].__set__
    set_extension = slots["extension"].__set__
    set_line = slots["line"].__set__

    def make(
        domain: str, account_id: str, relationship: Relationship, cert: str | None,
        extension: str | None, line: int,
    ) -> Record:
        record: Record = new(Record)
        set_domain(record, domain)
        set_account(record, account_id)
        set_relationship(record, relationship)
        set_cert(record, cert)
        set_extension(record, extension)
        set_line(record, line)
        return record

    return make


_make_record: Final = _record_maker()


@attrs.frozen
class Variable:
    """A ``NAME=value`` line: ``name`` upper-cased, ``value`` trimmed but otherwise as written."""

    name: str
    value: str
    line: int = attrs.field(default=0, eq=False, order=False, repr=False)


@attrs.frozen
class Comment:
    """The text after a ``#``, whether the comment fills its line or follows a record."""

    line: int
    column: int
    text: str


@attrs.frozen
class AdsTxt:
    """The declarations of a file: its records and variables, in file order."""

    records: tuple[Record, ...] = ()
    variables: tuple[Variable, ...] = ()

    def __iter__(self) -> Iterator[Record | Variable]:
        yield from self.records
        yield from self.variables


@attrs.frozen
class ParseResult:
    """Everything :func:`adstxt.parse` learned about a file.

    ``records`` and ``variables`` hold only lines that a consumer can use (no error on the
    line). ``text`` is the decoded file, so :meth:`lines` gives back every line, comments,
    blank lines and unusable lines included, with its original line ending.
    """

    records: tuple[Record, ...]
    variables: tuple[Variable, ...]
    comments: tuple[Comment, ...]
    diagnostics: tuple[Diagnostic, ...]
    kind: FileKind
    encoding: str
    text: str

    @property
    def ok(self) -> bool:
        """True when no diagnostic has error severity."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def file(self) -> AdsTxt:
        """The records and variables as one :class:`AdsTxt` value."""
        return AdsTxt(self.records, self.variables)

    def lines(self) -> Iterator[tuple[int, str, str]]:
        """Yield ``(number, text, line_ending)`` for every line of the decoded file.

        Joining ``text + line_ending`` over all lines gives back :attr:`text` exactly.
        """
        from adstxt._decode import split_lines_keepends

        for number, (body, ending) in enumerate(split_lines_keepends(self.text), start=1):
            yield number, body, ending
